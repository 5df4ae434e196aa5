"""Safe YAML loading that remembers where each key and item came from.

Rulesets and configuration are data written by people; an error must name the file, the line and
the key. The loader is PyYAML's SafeLoader (the C-accelerated one where available), so no YAML
tag can construct arbitrary objects.

A file is data from outside the project, so two more limits hold before and while it is built:
collections nest at most :data:`MAX_DEPTH` levels (deeper nesting makes the parser quadratic and
crashes the C composer, which recurses without limit), and anchors and aliases may expand to at
most :data:`MAX_VALUES` values (a "billion laughs" file is a few lines that alias lists of lists;
walking or printing the result would never end). :func:`check_nesting` is the first check for
any YAML text, front matter included.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

# PyYAML is imported on the first load: a run whose rulesets come from the cache (cache.py) and
# that has no configuration file never needs it


class DataError(Exception):
    """A problem in a user-visible data file, with its location."""

    def __init__(self, path: str | Path, line: int | None, key: str | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.key = key
        self.message = message
        where = self.path + (f":{line}" if line else "")
        what = f"{key}: " if key else ""
        super().__init__(f"{where}: {what}{message}")


class LDict(dict):
    """A dict that knows the line of each key (1-based) and of itself."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LList(list):
    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


MAX_DEPTH = 100  # nested collections (sequences and mappings)
MAX_VALUES = 1_000_000  # values in a file once its aliases are expanded (a large file has far fewer)

_LOADER: list[Any] = []


def check_nesting(text: str, loader: Any = None, limit: int = MAX_DEPTH) -> int | None:
    """The line (1-based) where collections first nest deeper than ``limit``, or None.

    Reads parser events only (with ``loader``, by default PyYAML's C safe loader where built),
    and stops at the first one too deep, so it costs little however deep the text goes. Syntax
    errors are left to the real load.
    """
    # Every collection opens with an indicator character of its own: a block sequence with "-",
    # a block mapping with ":" (or "?" before a complex key), a flow collection with "[" or "{".
    # A text with no more of them than ``limit`` cannot nest deeper (most front matter), and
    # needs no parse of its own before the real load.
    if sum(map(text.count, _OPENERS)) <= limit:
        return None
    return _first_too_deep(text, loader, limit)


_OPENERS = ("-", ":", "?", "[", "{")


def _first_too_deep(text: str, loader: Any, limit: int) -> int | None:
    import yaml

    if loader is None:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parser = loader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > limit:
                    return event.start_mark.line + 1
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None


def _loader() -> Any:
    """The loader class: PyYAML's SafeLoader (the C one where built) with line-keeping
    mappings and sequences; created on first use."""
    if _LOADER:
        return _LOADER[0]
    import yaml

    try:  # the C loader parses several times faster
        base = yaml.CSafeLoader  # type: ignore[attr-defined]
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base = yaml.SafeLoader

    class _Loader(base):  # type: ignore[misc, valid-type]
        """Keeps lines, and counts the values that aliases expand to."""

        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self.sizes: dict[int, int] = {}  # id(node) -> values in it, aliases expanded

        def count(self, node: Any, children: Any) -> None:
            size = 1 + sum(self.sizes.get(id(child), 1) for child in children)
            if size > MAX_VALUES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"more than {MAX_VALUES} values once its aliases are expanded", node.start_mark
                )
            self.sizes[id(node)] = size

    def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LDict:
        loader.flatten_mapping(node)
        d = LDict()
        d.line = node.start_mark.line + 1
        d.lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be plain scalars", key_node.start_mark
                )
            d[key] = loader.construct_object(value_node, deep=True)
            d.lines[str(key)] = key_node.start_mark.line + 1
        loader.count(node, [n for pair in node.value for n in pair])
        return d

    def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LList:
        lst = LList(loader.construct_object(child, deep=True) for child in node.value)
        loader.count(node, node.value)
        lst.line = node.start_mark.line + 1
        lst.lines = [child.start_mark.line + 1 for child in node.value]
        return lst

    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    _LOADER.append(_Loader)
    return _Loader


def load_yaml(path: str | Path, text: str | None = None) -> Any:
    """Load one YAML file safely; syntax errors become a DataError with the line."""
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(path, None, None, f"cannot read: {exc}") from None
    loader = _loader()
    import yaml

    deep = check_nesting(text)
    if deep is not None:
        raise DataError(path, deep, None, f"invalid YAML: nested more than {MAX_DEPTH} levels deep")
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - the loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise DataError(path, line, None, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise DataError(path, None, None, f"invalid YAML: {exc}") from None
    except RecursionError:  # pragma: no cover - check_nesting keeps files far from the limit
        raise DataError(path, None, None, "invalid YAML: nested too deeply") from None
