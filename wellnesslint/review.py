"""What the editor-facing outputs share: the language server, the review page and the HTML report.

- :func:`lint_source` lints a text with the project configuration of its file (one call site);
- :func:`rule_for` / :func:`explain` look up a finding's rule: rationale, legal basis, how to fix;
- :func:`finding_span` / :func:`suggestion_edit` turn a finding and its suggested rewrite into
  source offsets (code points into the linted text), whatever shape the suggestion carries.

Nothing here formats output: each front end renders these plain values its own way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

from .models import Finding, LineIndex

_URL = re.compile(r"https?://[^\s)>\]]+")


# --------------------------------------------------------------------------------------------
# linting with the project's configuration


def lint_options(path: str | None) -> dict[str, Any]:
    """Engine options for the file at ``path`` from the nearest project configuration.

    CONFIG HOOK: the single place where the language server and the review page ask for
    project settings. ``wellnesslint/config.py`` (issue 5, configuration discovery) is not in
    the tree yet; when it lands, resolve the settings for ``path`` here (nearest
    ``pyproject.toml [tool.wellnesslint]`` / ``.wellnesslint.yaml`` upward from the file) and
    return the engine options (``lang``, ``profile``, ``rulesets_dir``, ...).
    """
    return {}


def filter_findings(findings: list[Finding], path: str | None) -> list[Finding]:
    """Apply the project's select/ignore settings (CONFIG HOOK, see :func:`lint_options`)."""
    return findings


def lint_source(text: str, fmt: str, *, path: str | None = None, lang: str = "auto") -> list[Finding]:
    """Lint ``text`` as ``fmt`` with the settings of the project that holds ``path``.

    ``lang`` other than ``auto`` (an explicit choice of the user) wins over the configuration.
    """
    from .engine import lint_text

    options = lint_options(path)
    if lang != "auto" or "lang" not in options:
        options["lang"] = lang
    findings = lint_text(text, format=fmt, path=path or "<text>", **options)
    return filter_findings(findings, path)


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
    try:
        table = _rule_table(rulesets_dir)
    except Exception:  # a broken ruleset already surfaced as a lint error
        return None
    return table.get((finding.lang or "", finding.rule)) or table.get(("", finding.rule))


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
