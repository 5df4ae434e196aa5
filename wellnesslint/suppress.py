"""Inline suppressions in Markdown and HTML comments, and the check for unused ones (WL900).

Directives (the codes are optional; without codes a directive covers every rule)::

    <!-- wellnesslint-disable WL101 WL203 -->      from here ...
    <!-- wellnesslint-enable -->                   ... to here (or to the end of the file)
    <!-- wellnesslint-disable-next-line WL101 -->  the next non-blank line
    <!-- wellnesslint-disable-file -->             the whole file

Codes are separated by spaces or commas; anything after `` -- `` is a free-text reason
(``<!-- wellnesslint-disable-next-line WL101 -- quote approved by legal -->``).
``wellnesslint-enable WL101`` ends only the ranges that named WL101; a bare
``wellnesslint-enable`` ends every open range.

A directive that suppressed nothing is reported as ``WL900`` (severity info, category
``unused_suppression``) at the comment, as ruff's RUF100 does: it names the codes that were
unused, not enabled, or unknown. A directive whose tokens are all invalid (a typo such as
``WL1O1``) suppresses nothing rather than everything.

The comments are found with a regular expression over the decoded source, so the positions
are exact; a directive inside a Markdown code block is still a directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from .models import Finding, LineIndex

CODE = "WL900"
NAME = "unused-suppression"
CATEGORY = "unused_suppression"
SEVERITY = "info"
FORMATS = frozenset({"markdown", "html"})

_DIRECTIVE = re.compile(
    r"<!--[ \t]*wellnesslint-(disable-next-line|disable-file|disable|enable)(?![\w-])"
    r"((?:(?!-->).){0,1000}?)-->",
    re.DOTALL | re.IGNORECASE,
)
_CODE = re.compile(r"WL\d{3}", re.IGNORECASE)
_SPLIT = re.compile(r"[\s,]+")

_PRIORITY = {"disable-next-line": 0, "disable": 1, "disable-file": 2}


@dataclass(eq=False)
class Directive:
    """A ``wellnesslint-disable`` comment: its kind, codes and the source region it covers."""

    kind: str  # disable | enable | disable-next-line | disable-file
    codes: tuple[str, ...] | None  # None: every rule
    invalid: tuple[str, ...]  # tokens that are not rule codes
    start: int  # source offsets of the comment
    end: int
    text: str
    region: tuple[int, int] = (0, 0)  # source offsets the directive covers (disable kinds)
    line: int | None = None  # disable-next-line: the line it covers
    used: set[str] = field(default_factory=set)  # codes it suppressed ("*" for a directive without codes)
    closes: int = 0  # enable: how many open ranges it ended


def _tokens(body: str) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    body = re.split(r"\s--(?:\s|$)", " " + body, maxsplit=1)[0]
    tokens = [t for t in _SPLIT.split(body.strip()) if t]
    if not tokens:
        return None, ()
    codes = tuple(dict.fromkeys(t.upper() for t in tokens if _CODE.fullmatch(t)))
    invalid = tuple(t for t in tokens if not _CODE.fullmatch(t))
    return codes, invalid


def parse(source: str, index: LineIndex | None = None) -> list[Directive]:
    """Every directive in ``source`` with the region it covers."""
    if "wellnesslint-" not in source:
        return []
    index = index or LineIndex(source)
    out: list[Directive] = []
    open_ranges: list[Directive] = []
    for m in _DIRECTIVE.finditer(source):
        kind = m.group(1).lower()
        codes, invalid = _tokens(m.group(2))
        d = Directive(kind, codes, invalid, m.start(), m.end(), m.group(0))
        out.append(d)
        if kind == "disable-file":
            d.region = (0, len(source))
        elif kind == "disable":
            d.region = (m.end(), len(source))
            open_ranges.append(d)
        elif kind == "disable-next-line":
            d.line = _next_line(source, index, m.end())
        else:  # enable
            for r in list(open_ranges):
                if codes is None:
                    pass
                elif r.codes is None or not set(r.codes) & set(codes):
                    continue
                r.region = (r.region[0], m.start())
                open_ranges.remove(r)
                d.closes += 1
    return out


def _next_line(source: str, index: LineIndex, offset: int) -> int | None:
    """The first line after the one holding ``offset`` that is not blank."""
    starts = index.starts
    line, _ = index.position(offset)
    for n in range(line + 1, len(starts) + 1):
        begin = starts[n - 1]
        finish = starts[n] if n < len(starts) else len(source)
        if source[begin:finish].strip():
            return n
    return None


def _offset(f: Finding, index: LineIndex) -> int:
    starts = index.starts
    line = min(max(f.line, 1), len(starts))
    return starts[line - 1] + max(f.column - 1, 0)


def _covers(d: Directive, f: Finding, offset: int) -> bool:
    if d.codes is not None and f.rule not in d.codes:
        return False
    if d.kind == "disable-next-line":
        return d.line is not None and f.line == d.line
    return d.region[0] <= offset < d.region[1]


def apply(
    findings: Sequence[Finding],
    source: str,
    path: str,
    fmt: str,
    *,
    known: Callable[[str], bool] | None = None,
    enabled: Callable[[str], bool] | None = None,
    report_unused: bool = True,
) -> list[Finding]:
    """The findings no directive suppresses, plus one WL900 finding per unused directive.

    ``known(code)`` tells whether a code exists and ``enabled(code)`` whether it is selected for
    this file; both only sharpen the WL900 message. Formats other than Markdown and HTML have
    no comments: their findings are returned unchanged.
    """
    if fmt not in FORMATS:
        return list(findings)
    index = LineIndex(source)
    directives = parse(source, index)
    if not directives:
        return list(findings)
    ordered = sorted(
        (d for d in directives if d.kind != "enable"),
        key=lambda d: (_PRIORITY[d.kind], -d.start),  # the innermost, most specific first
    )
    kept: list[Finding] = []
    for f in findings:
        offset = _offset(f, index)
        for d in ordered:
            if d.codes == () or not _covers(d, f, offset):
                continue
            d.used.add("*" if d.codes is None else f.rule)
            break
        else:
            kept.append(f)
    if report_unused:
        kept.extend(_unused(directives, path, index, known, enabled))
    return kept


def _unused(
    directives: Iterable[Directive],
    path: str,
    index: LineIndex,
    known: Callable[[str], bool] | None,
    enabled: Callable[[str], bool] | None,
) -> list[Finding]:
    out = []
    for d in directives:
        if d.kind == "enable":
            if d.closes == 0:
                out.append(_finding(d, path, index, "`wellnesslint-enable` ends no open `wellnesslint-disable` range"))
            continue
        directive = f"`wellnesslint-{d.kind}`"
        if d.codes is None:
            if not d.used:
                out.append(_finding(d, path, index, f"Unused suppression: {directive} suppressed no finding"))
            continue
        unused = [c for c in d.codes if c not in d.used]
        parts = []
        unknown = [c for c in unused if known is not None and not known(c)]
        off = [c for c in unused if c not in unknown and enabled is not None and not enabled(c)]
        plain = [c for c in unused if c not in unknown and c not in off]
        if plain:
            parts.append("unused: " + ", ".join(plain))
        if off:
            parts.append("not enabled: " + ", ".join(off))
        if unknown:
            parts.append("unknown: " + ", ".join(unknown))
        if d.invalid:
            parts.append("not a rule code: " + ", ".join(d.invalid))
        if parts:
            out.append(_finding(d, path, index, f"Unused suppression in {directive} ({'; '.join(parts)})"))
    return out


def _finding(d: Directive, path: str, index: LineIndex, message: str) -> Finding:
    line, col = index.position(d.start)
    end_line, end_col = index.position(d.end)
    return Finding(
        path=path,
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
        rule=CODE,
        category=CATEGORY,
        severity=SEVERITY,
        message=message,
        text=d.text,
        sentence=" ".join(d.text.split()),
        offset=d.start,
        end_offset=d.end,
    )


__all__ = ["CATEGORY", "CODE", "Directive", "FORMATS", "NAME", "SEVERITY", "apply", "parse"]
