"""What the editor-facing outputs share: the language server, the review page and the HTML report.

- :func:`lint_source` lints a text the way ``wellnesslint check`` lints its file (configuration,
  suppression comments);
- :func:`rule_for` / :func:`explain` look up a finding's rule: rationale, legal basis, how to fix;
- :func:`finding_span` / :func:`suggestion_edit` turn a finding and its suggested rewrite into
  source offsets (code points into the linted text), whatever shape the suggestion carries.

Nothing here formats output: each front end renders these plain values its own way.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

from .models import Finding, LineIndex

_URL = re.compile(r"https?://[^\s)>\]]+")


# --------------------------------------------------------------------------------------------
# linting with the project's configuration


_SETTINGS: dict[tuple[str | None, int, str], Any] = {}


def settings_for(path: str | None) -> Any | None:
    """The resolved settings (``config.Settings``) of the project that holds ``path``.

    The nearest ``pyproject.toml [tool.wellnesslint]`` or ``.wellnesslint.yaml`` upward from the
    file (from the current folder when ``path`` is None), as ``wellnesslint check`` finds it.
    Cached per configuration file and its modification time, so an edited configuration
    applies to the next lint of a long-running server. Raises ``DataError`` for a broken one.
    """
    try:
        from . import config as cfg
    except ImportError:  # pragma: no cover - a tree without configuration support
        return None
    folder = os.path.dirname(os.path.abspath(path)) if path else os.getcwd()
    config_path = cfg.find(folder)
    try:
        mtime = os.stat(config_path).st_mtime_ns if config_path else 0
    except OSError:
        mtime = 0
    key = (config_path, mtime, "" if config_path else folder)
    settings = _SETTINGS.get(key)
    if settings is None:
        config = cfg.load(config_path) if config_path else cfg.Config(path=None, root=folder)
        settings = _SETTINGS[key] = cfg.resolve(config)
        if len(_SETTINGS) > 64:
            _SETTINGS.pop(next(iter(_SETTINGS)))
    return settings


def lint_source(text: str, fmt: str, *, path: str | None = None, lang: str = "auto", use_config: bool = True) -> list[Finding]:
    """Lint ``text`` as ``fmt`` the way ``wellnesslint check`` lints the file at ``path``.

    The project's configuration applies (language, profile, team rules, select/ignore,
    per-file ignores, exclude) and so do suppression comments. ``lang`` other than ``auto``
    (the user's explicit choice) wins over the configuration. ``use_config=False`` lints with
    the defaults (after a broken configuration was reported).
    """
    from .engine import lint_text

    settings = settings_for(path) if use_config else None
    name = path or "<text>"
    if settings is None:
        return lint_text(text, format=fmt, lang=lang, path=name)
    if path is not None and settings.excluded(path):
        return []
    found = lint_text(
        text,
        format=fmt,
        lang=lang if lang != "auto" else settings.lang,
        path=name,
        profile=settings.profile,
        rulesets_dir=settings.rulesets_key,
    )
    found = [f for f in found if settings.enabled(f.rule, f.category, path)]
    try:
        from . import suppress
    except ImportError:  # pragma: no cover
        return found
    if fmt in suppress.FORMATS:
        found = suppress.apply(
            found,
            text,
            name,
            fmt,
            known=lambda code: code in settings.known,
            enabled=lambda code: settings.enabled(code, settings.known.get(code, ""), path),
        )
        found = [f for f in found if f.rule != suppress.CODE or settings.enabled(f.rule, f.category, path)]
    return found


# --------------------------------------------------------------------------------------------
# rules


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    rationale: str
    references: tuple[str, ...]
    fix_hint: str = ""

    def reference_urls(self) -> list[str]:
        return [url for url, _ in map(split_reference, self.references) if url]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "rationale": self.rationale,
            "references": list(self.references),
            "fix_hint": self.fix_hint,
        }


def split_reference(ref: str) -> tuple[str | None, str]:
    """``"https://... (Geneesmiddelenwet art. 84)"`` -> (the URL, the rest); (None, ref) without a URL."""
    m = _URL.search(ref)
    if not m:
        return None, ref.strip()
    url = m.group(0).rstrip(".,;")
    rest = (ref[: m.start()] + ref[m.start() + len(url) :]).strip()
    return url, rest


def _rule_table(rulesets_dir: str | None = None) -> dict[tuple[str, str], RuleInfo]:
    from .engine import get_rulesets

    key = rulesets_dir or ""
    table = _TABLES.get(key)
    if table is None:
        table = {}
        for lang, rs in get_rulesets(rulesets_dir).items():
            for rule in [*rs.rules, *_document_rules(rs)]:
                info = RuleInfo(
                    id=rule.id,
                    name=getattr(rule, "name", "") or "",
                    rationale=" ".join(rule.rationale.split()),
                    references=tuple(rule.references),
                    fix_hint=getattr(rule, "fix_hint", "") or "",
                )
                table.setdefault((lang, rule.id), info)
                table.setdefault(("", rule.id), info)
        _TABLES[key] = table
    return table


_TABLES: dict[str, dict[tuple[str, str], RuleInfo]] = {}


def _document_rules(rs: Any) -> list[Any]:
    """The document checks' rules (disclaimer elements, research without a source), if any."""
    try:
        from .rules.disclaimer import checks_for
    except ImportError:
        return []
    try:
        checks = checks_for(rs)
        elements = [el for topic in checks.topics.values() for el in topic.elements]
        return [*elements, *checks.research]
    except Exception:  # another shape of the document checks: the claim rules still explain
        return []


def rule_for(finding: Finding, rulesets_dir: str | None = None) -> RuleInfo | None:
    """The rule behind ``finding`` (in the finding's language when the rulesets differ)."""
    keys = [rulesets_dir]
    if rulesets_dir is None:  # a team rule: look in the rulesets of the configurations in use
        keys += [k for k in {getattr(s, "rulesets_key", None) for s in list(_SETTINGS.values())} if k]
    for key in keys:
        try:
            table = _rule_table(key)
        except Exception:  # a broken ruleset already surfaced as a lint error
            continue
        info = table.get((finding.lang or "", finding.rule)) or table.get(("", finding.rule))
        if info is not None:
            return info
    return None


# --------------------------------------------------------------------------------------------
# spans


def _offset_at(starts: Sequence[int], length: int, line: int, column: int) -> int | None:
    """Source offset of a 1-based (line, column); None when it lies outside the text."""
    if line < 1 or column < 1 or line > len(starts):
        return None
    off = starts[line - 1] + column - 1
    limit = starts[line] if line < len(starts) else length
    if off > limit:
        return None
    return off


def finding_span(finding: Finding, source: str, lines: LineIndex | None = None) -> tuple[int, int]:
    """Source offsets ``[start, end)`` of a finding in ``source`` (clamped to the text)."""
    n = len(source)
    start, end = finding.offset, finding.end_offset
    if end <= start and (finding.line, finding.column) != (1, 1):
        # a finding without offsets: derive them from its line and columns
        lines = lines or LineIndex(source)
        s = _offset_at(lines.starts, n, finding.line, finding.column)
        e = _offset_at(lines.starts, n, finding.end_line, finding.end_column)
        if s is not None:
            start, end = s, e if e is not None and e >= s else s
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    return start, end


@dataclass(frozen=True)
class Edit:
    start: int  # source offsets, code points
    end: int
    replacement: str
    applicability: str = "unsafe"

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


def _resolve_point(value: Any, source: str, lines: LineIndex) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= len(source) else None
    if isinstance(value, dict):
        if isinstance(value.get("offset"), int):
            return _resolve_point(value["offset"], source, lines)
        line, column = value.get("line"), value.get("column")
        if isinstance(line, int) and isinstance(column, int):
            return _offset_at(lines.starts, len(source), line, column)
    return None


def suggestion_edit(finding: Finding, source: str, lines: LineIndex | None = None) -> Edit | None:
    """The finding's suggested rewrite as an :class:`Edit` on ``source``, or None.

    Understands the JSON shape ``{"replacement", "start": {line, column}, "end": {...},
    "applicability"}`` (1-based columns, end exclusive), plain offsets (``start``/``end`` or
    ``offset``/``end_offset``), and a suggestion without a span (it then replaces the flagged
    text). A suggestion that points outside ``source`` is dropped, never guessed.
    """
    sug = finding.suggestion
    if not isinstance(sug, dict):
        return None
    replacement = sug.get("replacement")
    if not isinstance(replacement, str):
        return None
    lines = lines or LineIndex(source)
    start_v = sug.get("start", sug.get("offset"))
    end_v = sug.get("end", sug.get("end_offset"))
    if start_v is None and end_v is None:
        start, end = finding_span(finding, source, lines)
    else:
        start = _resolve_point(start_v, source, lines)
        end = _resolve_point(end_v if end_v is not None else start_v, source, lines)
        if start is None or end is None or end < start:
            return None
    applicability = sug.get("applicability") if isinstance(sug.get("applicability"), str) else "unsafe"
    return Edit(start, end, replacement, applicability)


def disclaimer_edits(findings: Sequence[Finding], source: str, lines: LineIndex | None = None) -> list[tuple[Edit, list[Finding]]]:
    """The distinct disclaimer paragraphs suggested by ``missing_disclaimer`` findings.

    One paragraph usually covers every missing element, so several findings share one edit.
    """
    lines = lines or LineIndex(source)
    out: dict[tuple[int, int, str], tuple[Edit, list[Finding]]] = {}
    for f in findings:
        if f.category != "missing_disclaimer":
            continue
        edit = suggestion_edit(f, source, lines)
        if edit is None:
            continue
        key = (edit.start, edit.end, edit.replacement)
        if key in out:
            out[key][1].append(f)
        else:
            out[key] = (edit, [f])
    return list(out.values())


def utf16_offsets(text: str, offsets: Sequence[int]) -> list[int]:
    """Convert code-point offsets into ``text`` to UTF-16 code-unit offsets (what JavaScript counts)."""
    if text.isascii() or not offsets:
        return list(offsets)
    # positions of astral characters: each adds one code unit after it
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    if not astral:
        return list(offsets)
    return [o + bisect_right(astral, o - 1) for o in offsets]
