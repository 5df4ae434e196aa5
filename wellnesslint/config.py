"""Configuration: ``[tool.wellnesslint]`` in ``pyproject.toml`` or a ``.wellnesslint.yaml``.

Where: for each linted file, the nearest configuration file in its folder or a parent folder
wins (no merging, as in ruff); in one folder ``.wellnesslint.yaml`` wins over ``pyproject.toml``,
and a ``pyproject.toml`` without a ``[tool.wellnesslint]`` table is passed over. ``--config
PATH`` uses that file for every input. Globs and folders in a configuration file are relative
to the folder the file is in.

Keys (``pyproject.toml`` spells them the same, under ``[tool.wellnesslint]``)::

    select: [WL1, WL201]          # rule codes, prefixes (WL1, WL10), categories, or ALL (default ALL)
    extend-select: [WL205]
    ignore: [WL205]
    per-file-ignores:             # glob -> codes; a glob without "/" matches a name at any depth
      "legacy/**": [WL101]
      "faq.md": [WL502]
    exclude: ["drafts/**"]        # files not to lint when a folder is walked
    lang: nl                      # auto | nl | en
    fail-on: warning              # error | warning | info
    profile: default              # default | strict
    rulesets: [team-rules]        # folders with the team's own rules: <folder>/<lang>/*.yaml

Rule selection follows ruff: within one source (the configuration, then the command line) the
most specific selector wins and, at equal specificity, ``ignore`` beats ``select``; a ``select``
on the command line replaces the configuration's selection, ``--extend-select`` and
``--ignore`` adjust it. ``per-file-ignores`` then switch rules off for matching files.

Every problem is a :class:`~wellnesslint.yamlload.DataError` naming the file, the key (with
its line where it can be found) and what is allowed; the command line turns it into one line
on standard error and exit code 2.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from .yamlload import DataError

YAML_NAME = ".wellnesslint.yaml"
PYPROJECT = "pyproject.toml"
CONFIG_NAMES = (YAML_NAME, PYPROJECT)  # precedence within one folder
TABLE = "tool.wellnesslint"

LANGS = ("auto", "nl", "en")
FAIL_ON = ("error", "warning", "info")
PROFILES = ("default", "strict")

KEYS = {
    "select": "a list of rule codes (WL101), prefixes (WL1, WL10), categories (cure_claim) or ALL",
    "extend-select": "a list of rule codes, prefixes, categories or ALL",
    "ignore": "a list of rule codes, prefixes, categories or ALL",
    "per-file-ignores": "a mapping of glob -> list of rule codes, prefixes or categories",
    "exclude": "a list of globs of files not to lint",
    "lang": "one of " + ", ".join(LANGS),
    "fail-on": "one of " + ", ".join(FAIL_ON),
    "profile": "one of " + ", ".join(PROFILES),
    "rulesets": "a list of folders with the team's own rules (<folder>/<lang>/*.yaml)",
}

_SELECTOR = re.compile(r"WL\d{0,3}")


# --------------------------------------------------------------------------- files


class Config(NamedTuple):
    """One configuration file, checked for types and values (not yet for rule codes)."""

    path: str | None  # None: the built-in defaults
    root: str  # folder that globs and ruleset folders are relative to
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    lang: str | None = None
    fail_on: str | None = None
    profile: str | None = None
    rulesets: tuple[str, ...] = ()  # absolute folders
    lines: tuple[tuple[str, int], ...] = ()  # key -> line, for messages
    prefix: str = ""  # "tool.wellnesslint." in pyproject.toml

    def line(self, key: str) -> int | None:
        return dict(self.lines).get(key)

    def error(self, key: str, message: str) -> DataError:
        return DataError(self.path or "<defaults>", self.line(key), self.prefix + key, message)


def _error(path: str, lines: Mapping[str, int], prefix: str, key: str, message: str) -> DataError:
    return DataError(path, lines.get(key), prefix + key, message)


def _toml_lines(text: str) -> dict[str, int]:
    """Line of each key inside the [tool.wellnesslint] table (tomllib does not keep positions)."""
    lines: dict[str, int] = {}
    table = None
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    assign = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=""")
    for n, raw in enumerate(text.splitlines(), 1):
        m = header.match(raw)
        if m:
            table = m.group(1).replace(" ", "").replace('"', "")
            if table.startswith(TABLE + "."):
                lines.setdefault(table[len(TABLE) + 1 :].split(".")[0], n)
            continue
        m = assign.match(raw)
        if not m:
            continue
        key = m.group(1) or m.group(2) or m.group(3)
        if table == TABLE:
            lines.setdefault(key, n)
        elif table is None and key.startswith(TABLE + "."):
            lines.setdefault(key[len(TABLE) + 1 :].split(".")[0], n)
        elif table and table.startswith(TABLE + "."):
            sub = table[len(TABLE) + 1 :].split(".")[0]
            lines.setdefault(f"{sub}.{key}", n)
    return lines


def _read_pyproject(path: str) -> tuple[Any, dict[str, int]] | None:
    """The [tool.wellnesslint] table and key lines, or None when the file has no such table."""
    import tomllib

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise DataError(path, None, None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        raise DataError(path, None, None, f"not valid UTF-8 at byte {exc.start}") from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DataError(path, int(m.group(1)) if m else None, None, f"invalid TOML: {message}") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "wellnesslint" not in tool:
        return None
    return tool["wellnesslint"], _toml_lines(text)


def _read_yaml(path: str) -> tuple[Any, dict[str, int]]:
    from .yamlload import LDict, load_yaml

    data = load_yaml(path)
    if data is None:
        return {}, {}
    lines = dict(data.lines) if isinstance(data, LDict) else {}
    pfi = data.get("per-file-ignores") if isinstance(data, dict) else None
    if isinstance(pfi, LDict):
        for glob, line in pfi.lines.items():
            lines[f"per-file-ignores.{glob}"] = line
    return data, lines


def _str_list(value: Any, path: str, lines: Mapping[str, int], prefix: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _error(path, lines, prefix, key, f"must be {KEYS.get(key.split('.')[0], 'a list of strings')}")
    return tuple(v.strip() for v in value)


def _codes(value: Any, path: str, lines: Mapping[str, int], prefix: str, key: str) -> tuple[str, ...]:
    items = _str_list(value, path, lines, prefix, key)
    for item in items:
        if parse_selector(item) is None:
            raise _error(
                path, lines, prefix, key,
                f"{item!r} is not a rule selector (allowed: a rule code such as WL101, a prefix such as WL1, "
                f"a category such as cure_claim, or ALL)",
            )
    return items


def _choice(value: Any, allowed: Sequence[str], path: str, lines: Mapping[str, int], prefix: str, key: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _error(path, lines, prefix, key, f"{value!r} is not allowed (allowed: {', '.join(allowed)})")
    return value


def parse(data: Any, path: str, lines: Mapping[str, int] | None = None, prefix: str = "") -> Config:
    """Check one configuration mapping; ``path`` names the file in errors."""
    lines = dict(lines or {})
    root = os.path.dirname(os.path.abspath(path))
    if not isinstance(data, dict):
        raise DataError(path, None, prefix.rstrip(".") or None, "the configuration must be a mapping of keys to values")
    values: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise _error(path, lines, prefix, key, f"unknown key (allowed: {', '.join(KEYS)}){hint}")
        if key in ("select", "extend-select", "ignore"):
            values[key.replace("-", "_")] = _codes(value, path, lines, prefix, key)
        elif key == "exclude":
            values["exclude"] = _str_list(value, path, lines, prefix, key)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise _error(path, lines, prefix, key, f"must be {KEYS[key]}")
            pfi = []
            for glob, codes in value.items():
                sub = f"{key}.{glob}"
                if sub not in lines and key in lines:
                    lines[sub] = lines[key]
                pfi.append((str(glob), _codes(codes, path, lines, prefix, sub)))
            values["per_file_ignores"] = tuple(pfi)
        elif key == "lang":
            if not isinstance(value, str) or not re.fullmatch(r"auto|[a-z]{2}", value):
                raise _error(path, lines, prefix, key, f"{value!r} is not allowed (allowed: {', '.join(LANGS)})")
            values["lang"] = value
        elif key == "fail-on":
            values["fail_on"] = _choice(value, FAIL_ON, path, lines, prefix, key)
        elif key == "profile":
            values["profile"] = _choice(value, PROFILES, path, lines, prefix, key)
        elif key == "rulesets":
            folders = _str_list(value, path, lines, prefix, key)
            values["rulesets"] = tuple(os.path.normpath(os.path.join(root, os.path.expanduser(f))) for f in folders)
    return Config(path=path, root=root, lines=tuple(sorted(lines.items())), prefix=prefix, **values)


def display_path(path: str) -> str:
    """``path`` relative to the working directory when it is inside it (for messages)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def load(path: str) -> Config:
    """Read and check one configuration file (``.wellnesslint.yaml`` or ``pyproject.toml``)."""
    path = display_path(path)
    if not os.path.isfile(path):
        raise DataError(path, None, None, "configuration file not found")
    if os.path.basename(path) == PYPROJECT or path.endswith(".toml"):
        found = _read_pyproject(path)
        if found is None:
            return Config(path=path, root=os.path.dirname(os.path.abspath(path)), prefix=TABLE + ".")
        data, lines = found
        return parse(data, path, lines, TABLE + ".")
    data, lines = _read_yaml(path)
    return parse(data, path, lines)


def _config_in(folder: str) -> str | None:
    for name in CONFIG_NAMES:
        candidate = os.path.join(folder, name)
        if not os.path.isfile(candidate):
            continue
        if name == PYPROJECT:
            try:
                with open(candidate, "rb") as fh:
                    head = fh.read()
            except OSError:
                continue
            if b"wellnesslint" not in head:
                continue
            if _read_pyproject(display_path(candidate)) is None:
                continue
        return candidate
    return None


def find(folder: str, cache: dict[str, str | None] | None = None) -> str | None:
    """The nearest configuration file for files in ``folder`` (an absolute path), or None."""
    cache = {} if cache is None else cache
    seen = []
    found = None
    while True:
        if folder in cache:
            found = cache[folder]
            break
        seen.append(folder)
        found = _config_in(folder)
        if found is not None:
            break
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    for f in seen:
        cache[f] = found
    return found


# --------------------------------------------------------------------------- selectors


def parse_selector(text: str) -> tuple[str, str, int] | None:
    """(kind, value, specificity) of a rule selector, or None when it is not one."""
    from .models import CATEGORIES
    from .suppress import CATEGORY as SUPPRESSION

    if text == "ALL":
        return ("all", "", 0)
    if text in CATEGORIES or text == SUPPRESSION:
        return ("category", text, 1)
    if _SELECTOR.fullmatch(text):
        return ("prefix", text, len(text))
    return None


def selector_matches(selector: str, code: str, category: str) -> bool:
    parsed = parse_selector(selector)
    if parsed is None:
        return False
    kind, value, _ = parsed
    if kind == "all":
        return True
    if kind == "category":
        return category == value
    return code.startswith(value)


def check_selectors(selectors: Iterable[str], known: Mapping[str, str], make_error) -> None:
    """Every selector must name at least one known rule; ``make_error(message)`` builds the error."""
    for sel in selectors:
        parsed = parse_selector(sel)
        if parsed is None:
            raise make_error(f"{sel!r} is not a rule selector (allowed: a rule code such as WL101, a prefix such as WL1, a category such as cure_claim, or ALL)")
        kind, value, _ = parsed
        if kind == "prefix" and not any(code.startswith(value) for code in known):
            import difflib

            close = difflib.get_close_matches(value, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise make_error(f"unknown rule code {sel!r} (no rule starts with it; `wellnesslint rules` lists them){hint}")


class Layer(NamedTuple):
    """One layer of rule selection (defaults, a configuration file, the command line)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


class Selection:
    """Which rules are on, resolved ruff's way over layers (defaults, configuration, command line)."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = tuple(layers)
        self._memo: dict[tuple[str, str], bool] = {}

    def __getstate__(self):
        return {"layers": self.layers}

    def __setstate__(self, state):
        self.layers = state["layers"]
        self._memo = {}

    def enabled(self, code: str, category: str = "") -> bool:
        key = (code, category)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._resolve(code, category)
        return hit

    def _resolve(self, code: str, category: str) -> bool:
        state = False
        for layer in self.layers:
            best_on = max(
                (parse_selector(s)[2] for s in (*(layer.select or ()), *layer.extend_select) if selector_matches(s, code, category)),
                default=-1,
            )
            best_off = max((parse_selector(s)[2] for s in layer.ignore if selector_matches(s, code, category)), default=-1)
            if best_on < 0 and best_off < 0:
                update = None
            else:
                update = best_on > best_off
            if layer.select is not None:
                state = bool(update)
            elif update is not None:
                state = update
        return state


# --------------------------------------------------------------------------- globs


@lru_cache(maxsize=512)
def _glob_regex(glob: str) -> re.Pattern[str]:
    out = []
    i = 0
    g = glob.strip()
    if g.endswith("/"):
        g += "**"
    if g.startswith("./"):
        g = g[2:]
    while i < len(g):
        c = g[i]
        if g.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif g.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = g.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
                i += 1
            else:
                body = g[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out))


def glob_matches(glob: str, path: str, root: str) -> bool:
    """Does ``glob`` (relative to ``root``) match ``path`` or one of its parent folders?

    A glob without ``/`` matches a file or folder name at any depth (``"*.html"``, ``"drafts"``).
    """
    pattern = _glob_regex(glob)
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute, root) if os.path.isabs(root) else absolute
    rel = rel.replace(os.sep, "/")
    parts = rel.split("/")
    inside = parts[0] != ".."
    if inside:
        for i in range(len(parts), 0, -1):
            if pattern.fullmatch("/".join(parts[:i])):
                return True
    if "/" not in glob.strip().rstrip("/"):
        names = parts if inside else [os.path.basename(absolute)]
        return any(pattern.fullmatch(name) for name in names)
    return False


# --------------------------------------------------------------------------- resolved settings


class Overrides(NamedTuple):
    """Settings given on the command line; they beat every configuration file."""

    config: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    lang: str | None = None
    fail_on: str | None = None
    profile: str | None = None


@dataclass
class Settings:
    """Everything that decides how one file is linted."""

    config: Config
    lang: str
    fail_on: str
    profile: str
    selection: Selection
    rulesets: tuple[str, ...]
    rulesets_key: str | None = None  # what engine.lint_text gets as rulesets_dir (team rules)
    known: dict[str, str] = field(default_factory=dict)  # rule code -> category
    sources: dict[str, str] = field(default_factory=dict)  # key -> where its value came from

    def excluded(self, path: str) -> bool:
        return any(glob_matches(g, path, self.config.root) for g in self.config.exclude)

    def ignored_for(self, path: str) -> tuple[str, ...]:
        cache = self.__dict__.setdefault("_ignored", {})
        found = cache.get(path)
        if found is None:
            out: list[str] = []
            for glob, codes in self.config.per_file_ignores:
                if glob_matches(glob, path, self.config.root):
                    out.extend(codes)
            found = cache[path] = tuple(out)
        return found

    def enabled(self, code: str, category: str = "", path: str | None = None) -> bool:
        if not self.selection.enabled(code, category):
            return False
        if path is not None and self.config.per_file_ignores:
            return not any(selector_matches(s, code, category) for s in self.ignored_for(path))
        return True


def _known_codes(rulesets: Mapping[str, Any]) -> dict[str, str]:
    """code -> category of every rule (also document checks defined in other sections), plus WL900."""
    from .suppress import CATEGORY, CODE

    known = {CODE: CATEGORY}
    for rs in rulesets.values():
        deferred = getattr(rs, "deferred_codes", None)  # a cached ruleset whose rules are not loaded yet
        codes = deferred() if deferred is not None else None
        if codes is None:
            from .catalog import extra_rules

            codes = [(rule.id, rule.category) for rule in [*rs.rules, *extra_rules(rs)]]
        for code, category in codes:
            known.setdefault(code, category)
    return known


def resolve(config: Config, overrides: Overrides = Overrides()) -> Settings:
    """Settings for files under ``config``: loads the team's rulesets and checks the rule codes."""
    from . import custom_rules

    for folder in config.rulesets:
        if not os.path.isdir(folder):
            raise config.error("rulesets", f"folder not found: {folder}")
    rulesets = custom_rules.rulesets_for(config.rulesets)
    known = _known_codes(rulesets)

    for key, attr in (("select", "select"), ("extend-select", "extend_select"), ("ignore", "ignore")):
        check_selectors(getattr(config, attr) or (), known, lambda msg, key=key: config.error(key, msg))
    for glob, codes in config.per_file_ignores:
        check_selectors(codes, known, lambda msg, glob=glob: config.error(f"per-file-ignores.{glob}", msg))
    for flag, values in (("--select", overrides.select), ("--extend-select", overrides.extend_select), ("--ignore", overrides.ignore)):
        check_selectors(values or (), known, lambda msg, flag=flag: DataError("command line", None, flag, msg))

    langs = ("auto", *sorted(rulesets))
    sources: dict[str, str] = {}
    where = config.path or "default"

    def pick(name: str, cli: str | None, conf: str | None, default: str) -> str:
        if cli is not None:
            sources[name] = "command line"
            return cli
        if conf is not None:
            sources[name] = where
            return conf
        sources[name] = "default"
        return default

    lang = pick("lang", overrides.lang, config.lang, "auto")
    if lang not in langs:
        if overrides.lang is None:
            raise config.error("lang", f"{lang!r} is not allowed (allowed: {', '.join(langs)})")
        raise DataError("command line", None, "--lang", f"{lang!r} is not allowed (allowed: {', '.join(langs)})")
    fail_on = pick("fail-on", overrides.fail_on, config.fail_on, "warning")
    profile = pick("profile", overrides.profile, config.profile, "default")

    layers = [Layer(select=("ALL",))]
    if config.select is not None or config.extend_select or config.ignore:
        layers.append(Layer(config.select, config.extend_select, config.ignore))
    if overrides.select is not None or overrides.extend_select or overrides.ignore:
        layers.append(Layer(overrides.select, overrides.extend_select, overrides.ignore))
    key = custom_rules.rulesets_key(config.rulesets) if config.rulesets else None
    return Settings(
        config=config,
        lang=lang,
        fail_on=fail_on,
        profile=profile,
        selection=Selection(layers),
        rulesets=config.rulesets,
        rulesets_key=key,
        known=known,
        sources=sources,
    )


class Resolver:
    """Finds and resolves the settings of each linted file, once per configuration file."""

    def __init__(self, overrides: Overrides = Overrides()) -> None:
        self.overrides = overrides
        self._settings: dict[str | None, Settings] = {}
        self._found: dict[str, str | None] = {}  # folder -> nearest configuration file
        if overrides.config is not None:
            load(os.path.abspath(overrides.config))  # fail early: a missing --config file is an error

    def config_path(self, path: str | None) -> str | None:
        if self.overrides.config is not None:
            return os.path.abspath(self.overrides.config)
        if path is None or path == "-":
            folder = os.getcwd()
        else:
            folder = os.path.dirname(os.path.abspath(path)) if not os.path.isdir(path) else os.path.abspath(path)
        return find(folder, self._found)

    def settings_for(self, path: str | None) -> Settings:
        config_path = self.config_path(path)
        settings = self._settings.get(config_path)
        if settings is None:
            if config_path is None:
                config = Config(path=None, root=os.getcwd())
            else:
                config = load(config_path)
            settings = self._settings[config_path] = resolve(config, self.overrides)
        return settings

    def all_settings(self) -> list[Settings]:
        return list(self._settings.values())


# --------------------------------------------------------------------------- --show-settings


def show(settings: Settings, path: str, enabled_codes: Iterable[str], all_codes: Iterable[str]) -> str:
    """The resolved settings for one file, as TOML-like lines (values are JSON)."""
    import json

    c = settings.config

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def origin(name: str) -> str:
        return f"  # {settings.sources.get(name, 'default')}"

    enabled = sorted(enabled_codes)
    disabled = sorted(set(all_codes) - set(enabled))
    layers = settings.selection.layers
    lines = [
        f"# Settings for {path}",
        f"# configuration file: {c.path or 'none (built-in defaults)'}",
        f"lang = {dump(settings.lang)}{origin('lang')}",
        f"profile = {dump(settings.profile)}{origin('profile')}",
        f"fail-on = {dump(settings.fail_on)}{origin('fail-on')}",
        f"select = {dump(list(c.select) if c.select is not None else ['ALL'])}",
        f"extend-select = {dump(list(c.extend_select))}",
        f"ignore = {dump(list(c.ignore))}",
    ]
    if len(layers) > 1 and layers[-1] != Layer(c.select, c.extend_select, c.ignore):
        cli = layers[-1]
        lines.append(
            f"# command line: select = {dump(list(cli.select) if cli.select is not None else None)}, "
            f"extend-select = {dump(list(cli.extend_select))}, ignore = {dump(list(cli.ignore))}"
        )
    lines += [
        f"per-file-ignores = {dump({g: list(v) for g, v in c.per_file_ignores})}",
        f"exclude = {dump(list(c.exclude))}",
        f"rulesets = {dump(list(c.rulesets))}",
        f"# per-file-ignores for this file: {', '.join(settings.ignored_for(path)) or 'none'}",
        f"# excluded: {'yes' if settings.excluded(path) else 'no'}",
        f"# rules enabled for this file ({len(enabled)}): {', '.join(enabled) or 'none'}",
        f"# rules not enabled ({len(disabled)}): {', '.join(disabled) or 'none'}",
    ]
    return "\n".join(lines) + "\n"
