"""HTML report: one self-contained page for many files, for compliance reviews.

The same view as the review page (``wellnesslint serve``): each file's text with the claims
highlighted in place (a colour per category), then per finding its message, the rule's
rationale and legal basis, and the suggested rewrite; missing disclaimer elements with the
suggested paragraph. An overview table links to every file.

The page needs nothing else: the stylesheet is inlined, there is no script, and a
Content-Security-Policy forbids loading anything. Everything from the linted files is escaped.
Large files show the lines around their findings instead of the whole text.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from importlib import resources
from typing import Any, Mapping, Sequence

from ..models import Finding, LineIndex
from . import sort_findings

CATEGORY_LABELS = {
    "cure_claim": "Cure claim",
    "absolute_claim": "Absolute claim",
    "safety_claim": "Safety claim",
    "evidence_claim": "Evidence claim",
    "discourages_treatment": "Discourages treatment",
    "missing_disclaimer": "Missing disclaimer",
}
CLAIM_CATEGORIES = [c for c in CATEGORY_LABELS if c != "missing_disclaimer"]
FULL_TEXT_LIMIT = 60_000  # characters; a longer file shows its findings' lines with context
CONTEXT_LINES = 2
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _stylesheet() -> str:
    try:
        return resources.files("wellnesslint").joinpath("web", "app.css").read_text(encoding="utf-8")
    except OSError:  # pragma: no cover - an install without the web assets still gets a readable page
        return "body{font-family:sans-serif} mark{background:#fde3e1}"


def _safe_url(ref: str) -> str | None:
    from ..review import split_reference

    url, _ = split_reference(ref)
    return url if url and url.lower().startswith(("https://", "http://")) else None


def _highlight(text: str, spans: list[tuple[int, int, Finding, int]]) -> str:
    """``text[...]`` escaped, with ``<mark>`` around each (clipped, non-overlapping) span."""
    out: list[str] = []
    pos = 0
    for start, end, f, n in sorted(spans, key=lambda s: (s[0], -s[1])):
        start = max(start, pos)
        end = min(end, len(text))
        if end <= start:
            continue
        out.append(esc(text[pos:start]))
        title = f"{CATEGORY_LABELS.get(f.category, f.category)} · {f.rule}: {f.message}"
        out.append(
            f'<a href="#{n}" class="claim-link"><mark class="claim cat-{esc(f.category)}" title="{esc(title)}">'
            f"{esc(text[start:end])}</mark></a>"
        )
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _source_view(source: str, claims: list[tuple[int, int, Finding, str]]) -> str:
    if len(source) <= FULL_TEXT_LIMIT:
        return f'<div class="doc">{_highlight(source, [(s, e, f, n) for s, e, f, n in claims])}</div>'
    # a long file: the lines around its findings, with gaps marked
    index = LineIndex(source)
    starts = index.starts
    ranges: list[list[int]] = []
    for s, e, _, _ in sorted(claims, key=lambda c: c[0]):
        first = max(1, index.position(s)[0] - CONTEXT_LINES)
        last = min(len(starts), index.position(max(s, e - 1))[0] + CONTEXT_LINES)
        if ranges and first <= ranges[-1][1] + 1:
            ranges[-1][1] = max(ranges[-1][1], last)
        else:
            ranges.append([first, last])
    parts = []
    for first, last in ranges:
        lo = starts[first - 1]
        hi = starts[last] if last < len(starts) else len(source)
        local = [(max(s, lo) - lo, min(e, hi) - lo, f, n) for s, e, f, n in claims if s < hi and e > lo]
        parts.append(f'<div class="doc"><span class="lineno">line {first}</span>\n{_highlight(source[lo:hi], local)}</div>')
    return '<p class="muted">Long file: the lines around each finding.</p>' + "\n".join(parts)


def _finding_card(f: Finding, anchor: str, source: str | None, lines: LineIndex | None) -> str:
    from ..review import rule_for, suggestion_edit

    info = rule_for(f)
    parts = [
        f'<li class="finding cat-{esc(f.category)}" id="{anchor}">',
        '<div class="head">'
        f'<span class="badge">{esc(CATEGORY_LABELS.get(f.category, f.category))}</span>'
        f'<span class="rule">{esc(f.rule)}</span>'
        f'<span class="sev-{esc(f.severity)}">{esc(f.severity)}</span>'
        f'<span class="where">line {f.line}, column {f.column}</span></div>',
        f'<p class="message">{esc(f.message)}</p>',
        f'<p class="flagged">Flagged: <q>{esc(f.text)}</q></p>',
    ]
    if info is not None:
        parts.append(f'<p class="rationale"><strong>Why: </strong>{esc(info.rationale)}</p>')
        if info.fix_hint:
            parts.append(f'<p class="rationale"><strong>How to fix: </strong>{esc(info.fix_hint)}</p>')
        if info.references:
            items = []
            for ref in info.references:
                url = _safe_url(ref)
                items.append(f'<li><a href="{esc(url)}" rel="noopener noreferrer">{esc(ref)}</a></li>' if url else f"<li>{esc(ref)}</li>")
            parts.append(f'<details><summary>Legal basis and sources ({len(items)})</summary><ul class="refs">{"".join(items)}</ul></details>')
    edit = suggestion_edit(f, source, lines) if source is not None else None
    if edit is not None and edit.replacement.strip():
        parts.append(
            '<div class="suggestion"><span class="label">Suggested rewrite</span>'
            f'<div class="text">{esc(edit.replacement)}</div></div>'
        )
    elif f.suggestion and f.suggestion.get("replacement"):
        parts.append(
            '<div class="suggestion"><span class="label">Suggested rewrite</span>'
            f'<div class="text">{esc(f.suggestion["replacement"])}</div></div>'
        )
    else:
        parts.append('<p class="no-suggestion">No rewrite suggested: rephrase this claim by hand.</p>')
    parts.append("</li>")
    return "".join(parts)


def _disclaimer_panel(missing: list[Finding], source: str | None, lines: LineIndex | None) -> str:
    if not missing:
        return ""
    from ..review import disclaimer_edits

    seen: set[str] = set()
    items = []
    for f in missing:
        key = f.element or f.rule
        if key in seen:
            continue
        seen.add(key)
        items.append(
            f'<li><code>{esc(f.element or "")}</code> <div class="muted">{esc(f.rule)}: {esc(f.message)}</div></li>'
        )
    paragraphs = []
    if source is not None:
        for edit, _group in disclaimer_edits(missing, source, lines):
            paragraphs.append(
                '<div class="suggestion"><span class="label">Suggested paragraph</span>'
                f'<div class="text">{esc(edit.replacement.strip())}</div></div>'
            )
    if not paragraphs:
        paragraphs.append('<p class="no-suggestion">Add a paragraph that covers these elements.</p>')
    return (
        '<section class="disclaimer"><h3>Missing disclaimer</h3>'
        f'<ul class="missing">{"".join(items)}</ul>{"".join(paragraphs)}</section>'
    )


def render(
    findings: Sequence[Finding],
    *,
    sources: Mapping[str, str] | None = None,
    errors: int = 0,
    title: str = "wellnesslint report",
    **_unused: Any,
) -> str:
    from .. import __version__
    from .text import summary_line

    sources = sources or {}
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in sort_findings(findings):
        by_file[f.path].append(f)
    paths = sorted(set(sources) | set(by_file))

    rows = []
    sections = []
    for i, path in enumerate(paths, 1):
        found = by_file.get(path, [])
        claims = [f for f in found if f.category != "missing_disclaimer"]
        missing = [f for f in found if f.category == "missing_disclaimer"]
        counts = Counter(f.category for f in claims)
        n_missing = len({f.element or f.rule for f in missing})
        link = f'<a href="#file-{i}">{esc(path)}</a>' if found else esc(path)
        cells = "".join(f'<td class="num">{counts.get(c, 0) or ""}</td>' for c in CLAIM_CATEGORIES)
        status = "clean" if not found else ""
        rows.append(f'<tr><td>{link}</td>{cells}<td class="num">{n_missing or ""}</td><td>{status}</td></tr>')
        if not found:
            continue

        source = sources.get(path)
        lines = LineIndex(source) if source is not None else None
        cards = []
        spans = []
        from ..review import finding_span

        for j, f in enumerate(claims, 1):
            anchor = f"f{i}-{j}"
            cards.append(_finding_card(f, anchor, source, lines))
            if source is not None:
                s, e = finding_span(f, source, lines)
                spans.append((s, e, f, anchor))
        legend = "".join(
            f'<li class="cat-{c}"><span class="swatch"></span>{esc(CATEGORY_LABELS[c])} ({counts[c]})</li>'
            for c in CLAIM_CATEGORIES
            if counts.get(c)
        )
        view = _source_view(source, spans) if source is not None else ""
        summary = f"{len(claims)} claim{'s' if len(claims) != 1 else ''}"
        if n_missing:
            summary += f" · {n_missing} missing disclaimer element{'s' if n_missing != 1 else ''}"
        sections.append(
            f'<section class="file" id="file-{i}"><h2>{esc(path)}</h2>'
            f'<div class="summary">{summary}</div><ul class="legend">{legend}</ul>{view}'
            f"{_disclaimer_panel(missing, source, lines)}"
            f'<ol class="findings">{"".join(cards)}</ol></section>'
        )

    header_cells = "".join(f"<th>{esc(CATEGORY_LABELS[c])}</th>" for c in CLAIM_CATEGORIES)
    checked = len(paths)
    overview = (
        f'<p>{esc(summary_line(findings, errors))} Checked {checked} file{"s" if checked != 1 else ""}.</p>'
        f'<table class="overview"><thead><tr><th>File</th>{header_cells}<th>Missing disclaimer elements</th><th></th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title><style>{_stylesheet()}</style></head>\n"
        '<body class="report-page"><header class="topbar">'
        f'<h1>wellnesslint <span class="sub">report</span></h1>'
        f'<p class="tagline">wellnesslint {esc(__version__)} · claims highlighted in place, with the reason, the legal '
        "basis and a balanced rewrite.</p></header>\n"
        f'<main class="report">{overview}\n' + "\n".join(sections) + "</main></body></html>\n"
    )
