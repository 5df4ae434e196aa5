"""Text output for people: ``full`` (with the source line and a ``^`` underline) and ``concise``.

full::

    fixtures/shop.md:3:13: WL101 [error] Claims that the product cures depression
      3 | Microdosing geneest depressie.
        |             ^^^^^^^^^^^^^^^^^
      suggestion: Sommige mensen melden dat ...

    Found 1 finding (1 error, 0 warnings) in 1 file.

concise: only the first line of each finding, then the summary.
"""

from __future__ import annotations

import unicodedata
from typing import Iterator, Mapping, Sequence

from ..models import Finding, LineIndex
from . import sort_findings

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
_SEVERITY_STYLE = {
    "error": "\x1b[1;31m",  # bold red
    "warning": "\x1b[1;33m",  # bold yellow
    "info": "\x1b[1;36m",  # bold cyan
}
GUTTER = "\x1b[34m"  # blue
HINT = "\x1b[32m"  # green

MAX_LINE = 160  # characters of a long source line shown around the flagged span
CONTEXT_BEFORE = 40
TAB_WIDTH = 4


class _Style:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if self.enabled and text else text


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def summary_line(findings: Sequence[Finding], errors: int = 0) -> str:
    """The closing line; ``errors`` counts the files that could not be checked."""
    unchecked = f"{_plural(errors, 'file')} could not be checked" if errors else ""
    if not findings:
        return f"No findings; {unchecked}." if errors else "All clean."
    counts = {sev: 0 for sev in ("error", "warning", "info")}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    parts = [_plural(counts["error"], "error"), _plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(_plural(counts["info"], "info", "info"))
    files = len({f.path for f in findings})
    found = f"Found {_plural(len(findings), 'finding')} ({', '.join(parts)}) in {_plural(files, 'file')}"
    return f"{found}; {unchecked}." if errors else f"{found}."


def headline(f: Finding, style: _Style) -> str:
    sev = _SEVERITY_STYLE.get(f.severity, BOLD)
    location = style(f"{f.path}:{f.line}:{f.column}:", BOLD)
    return f"{location} {style(f.rule, sev)} {style('[' + f.severity + ']', sev)} {f.message}"


def _char_width(ch: str) -> int:
    if ch == "\t":
        return TAB_WIDTH
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def _display(ch: str) -> str:
    if ch == "\t":
        return " " * TAB_WIDTH
    category = unicodedata.category(ch)
    if category == "Cc":  # never send the file's control characters to a terminal
        return "\ufffd"
    if category == "Cf":  # nor invisible format characters (bidi overrides, zero-width spaces)
        return ""
    return ch


def _line_text(source: str, index: LineIndex, line: int) -> str | None:
    starts = index.starts
    if line < 1 or line > len(starts):
        return None
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(source)
    text = source[start:end]
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\n", "\r")):
        return text[:-1]
    return text


def snippet(f: Finding, source: str, index: LineIndex, style: _Style) -> list[str]:
    """The flagged source line with a ``^`` underline (to the end of the line if the span goes on)."""
    text = _line_text(source, index, f.line)
    if text is None:
        return []
    start = min(max(f.column - 1, 0), len(text))
    if f.end_line == f.line:
        end = min(max(f.end_column - 1, start), len(text))
    else:
        end = len(text)

    lo, hi = 0, len(text)
    if len(text) > MAX_LINE:  # a minified page: show a window around the span
        lo = max(0, min(start - CONTEXT_BEFORE, len(text) - MAX_LINE))
        hi = min(len(text), lo + MAX_LINE)
    shown = "".join(_display(ch) for ch in text[lo:hi])
    pad = sum(_char_width(ch) for ch in text[lo:start])
    width = sum(_char_width(ch) for ch in text[start:min(end, hi)])
    if lo > 0:
        shown = "…" + shown
        pad += 1
    if hi < len(text):
        shown += "…"

    number = str(f.line)
    gutter = " " * len(number)
    sev = _SEVERITY_STYLE.get(f.severity, BOLD)
    return [
        f"  {style(number + ' |', GUTTER)} {shown}".rstrip(),
        f"  {style(gutter + ' |', GUTTER)} {' ' * pad}{style('^' * max(width, 1), sev)}",
    ]


def render(findings: Sequence[Finding], **options) -> str:
    """The whole report as one string: :func:`lines`, each ended by a line break."""
    out = list(lines(findings, **options))
    return "\n".join(out) + "\n" if out else ""


def lines(
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str],
    color: bool = False,
    concise: bool = False,
    summary: bool = True,
    errors: int = 0,
) -> Iterator[str]:
    """The report's lines, without their line ends, one finding at a time (a report on a whole
    site is written as it is made, never held in memory whole)."""
    style = _Style(color)
    # the findings come file by file: one file's line index at a time (all of them at once
    # would be a list entry for every line checked)
    indexed: tuple[str, LineIndex] | None = None
    for f in sort_findings(findings):
        yield headline(f, style)
        if concise:
            continue
        source = sources.get(f.path)
        if source is not None:
            if indexed is None or indexed[0] != f.path:
                indexed = (f.path, LineIndex(source))
            yield from snippet(f, source, indexed[1], style)
        replacement = (f.suggestion or {}).get("replacement")
        if replacement and replacement.strip():
            # an inserted paragraph carries the file's line breaks around it: show the words only
            shown = "\n      ".join(line.strip() for line in replacement.strip().splitlines() if line.strip())
            yield f"  {style('suggestion:', HINT)} {shown}"
        yield ""
    if summary:
        if concise and findings:
            yield ""
        yield summary_line(findings, errors)
