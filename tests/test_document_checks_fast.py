"""The document checks' shortcuts (rules/disclaimer.py) never change a finding.

The checks skip work with trigger scans: one fold of the page per trigger instead of one per
sentence, one scan that serves both the cues and the research rules, what a sentence's text
selects remembered across pages, contexts built only for the sentences a cue is asked about. ``_Page.exhaustive`` turns every shortcut off (no scan: every cue
is tried on every sentence, every research rule runs); the findings must be the same either way.
"""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellnesslint.documents import load_document
from wellnesslint.engine import get_rulesets, lint_text
from wellnesslint.rules.disclaimer import _SELECTIONS, _Page, check_document, checks_for

RULESETS = get_rulesets()
LANGS = sorted(RULESETS)

# sentences that hold cues, mention topics or report research, from the rulesets' own examples
POOL: list[str] = []
for _rs in RULESETS.values():
    _checks = checks_for(_rs)
    for _topic in _checks.topics.values():
        for _el in _topic.elements:
            POOL += _el.examples_present + _el.examples_missing
    for _rule in _checks.research:
        POOL += _rule.examples_match + _rule.examples_no_match
    for _rule in _rs.rules[:40]:
        POOL += _rule.examples_match[:1]
POOL = sorted({p.strip() for p in POOL if p.strip()})
# pieces that sit at word and sentence edges: units, apostrophes, odd case and word characters
GLUE = ["", " ", "5 g", "5g.", "’", "'", "x", "İ", "²", "ß", "Σ", "\u00a0", "?", ":", ".", "1", "(Polito, 2024)",
        "[1]", "Lithium", "zwanger", "arts", "is geen", "niet", "-"]

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextlib.contextmanager
def exhaustive():
    old = _Page.exhaustive
    _Page.exhaustive = True
    try:
        yield
    finally:
        _Page.exhaustive = old


def _piece(draw) -> str:
    text = draw(st.sampled_from(POOL))
    if draw(st.booleans()):  # cut it up a little: a cue split over sentences, glued words
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(GLUE)) + text[cut:]
    return text


@st.composite
def markdown_pages(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["p", "p", "h", "li", "table"]))
        if kind == "table":
            rows = [" | ".join(_piece(draw) for _ in range(2)) for _ in range(draw(st.integers(1, 3)))]
            blocks.append("\n".join([f"| {rows[0]} |", "| - | - |", *(f"| {r} |" for r in rows[1:])]))
        else:
            text = " ".join(_piece(draw) for _ in range(draw(st.integers(1, 3))))
            blocks.append({"p": "", "h": "## ", "li": "- "}[kind] + text)
    return "\n\n".join(blocks) + "\n"


@st.composite
def cut_pages(draw):
    """A page with sentence spans cut anywhere (mid-word too) and a language per block: the
    document checks take whatever units the engine hands them."""
    doc = load_document(draw(markdown_pages()), "markdown")
    units = []
    for block in doc.blocks:
        n = block.end - block.start
        cuts = sorted(set(draw(st.lists(st.integers(1, max(1, n - 1)), max_size=4)))) if n > 1 else []
        bounds = [block.start, *(block.start + c for c in cuts), block.end]
        spans = [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]
        units.append((block, draw(st.sampled_from(LANGS)), spans))
    return doc, units


def _key(findings):
    return [(f.rule, f.offset, f.end_offset, f.element, f.message, f.sentence) for f in findings]


@SETTINGS
@given(cut_pages())
def test_a_sentence_scanned_in_the_page_selects_what_it_selects_alone(page_units):
    doc, units = page_units
    _SELECTIONS.clear()  # scan, do not recall what another example's page selected
    page = _Page(doc, units, RULESETS, "default")
    for sid, sent in enumerate(page.sents):
        checks = page.checks[sent.lang]
        for trig in (checks.cue_trigger, checks.research_trigger):
            assert page.selection(trig, sid) == trig.selected(sent.text), (sent.text, sid)


@SETTINGS
@given(cut_pages(), st.booleans())
def test_research_rules_let_through_every_rule_that_finds_something(page_units, topical):
    doc, units = page_units
    _SELECTIONS.clear()
    page = _Page(doc, units, RULESETS, "default")
    page.topical = topical  # the shared cue scan, or the research trigger alone
    for sid, sent in enumerate(page.sents):
        may = page.research_rules(sid)
        for rule in page.checks[sent.lang].research:
            if rule.find(sent.text):
                assert may is None or rule.id in may, (rule.id, sent.text)


@SETTINGS
@given(cut_pages(), st.sampled_from(LANGS))
def test_document_findings_equal_the_exhaustive_checks_on_any_units(page_units, lang):
    doc, units = page_units
    _SELECTIONS.clear()
    fast = check_document(doc, units, RULESETS, lang)
    with exhaustive():
        slow = check_document(doc, units, RULESETS, lang)
    assert _key(fast) == _key(slow)


@SETTINGS
@given(markdown_pages(), st.sampled_from(["markdown", "html"]))
def test_lint_findings_equal_the_exhaustive_checks(text, fmt):
    if fmt == "html":
        text = "".join(f"<p>{line}</p>" if not line.startswith("|") else f"<table><tr><td>{line}</td></tr></table>"
                       for line in text.split("\n") if line)
    _SELECTIONS.clear()
    fast = lint_text(text, format=fmt, suggest=False)
    with exhaustive():
        slow = lint_text(text, format=fmt, suggest=False)
    assert _key(fast) == _key(slow)



def eager_contexts(page: _Page) -> list[list[int]]:
    """The contexts as the checks computed them before they were built lazily: one pass over
    every block and sentence of the page (after the earlier ``_Page._contexts``, without its
    slip: its loop over a table row reused the variable that holds the lead-in of a list, so a
    list right after a table took a cell of the row or header as its lead-in, not the last cell)."""
    out: list[list[int]] = [[] for _ in page.sents]
    kinds = [u[0].kind for u in page.units]
    heading = None
    rows = page._table_rows()
    other = -1
    for bi, ids in enumerate(page.block_sents):
        kind = kinds[bi]
        lead = other
        if kind != "list_item":
            other = bi
        if kind == "heading":
            heading = bi
            continue
        shared: list[int] = []
        if bi > 0:
            prev = page._last(bi - 1)
            if prev and (page.sents[prev[0]].text.rstrip().endswith(":") or page.sents[prev[0]].question):
                shared += prev
        if kind == "list_item":
            if lead >= 0:
                shared += page._last(lead)
            if heading is not None:
                shared += page.block_sents[heading]
        elif kind == "table_cell":
            row, header = rows.get(bi, ([], []))
            for cell in row + header:
                if cell != bi:
                    shared += page.block_sents[cell]
            if heading is not None:
                shared += page.block_sents[heading]
        elif heading is not None and heading == bi - 1:
            shared += page.block_sents[heading]
        for k, sid in enumerate(ids):
            ctx = list(dict.fromkeys(shared))
            before = ids[k - 1] if k > 0 else (page._last(bi - 1)[0] if bi > 0 and page._last(bi - 1) else None)
            if before is not None:
                if (k > 0 and page.sents[before].question) or page._anaphoric(sid):
                    ctx.append(before)
            out[sid] = ctx
    return out


@SETTINGS
@given(cut_pages(), st.randoms(use_true_random=False))
def test_contexts_built_on_demand_equal_the_eager_pass(page_units, rnd):
    doc, units = page_units
    page = _Page(doc, units, RULESETS, "default")
    want = eager_contexts(page)
    order = list(range(len(page.sents)))
    rnd.shuffle(order)  # asked in any order, for some sentences only
    for sid in order[: rnd.randint(0, len(order))]:
        assert page.ctx(sid) == want[sid], sid


@SETTINGS
@given(st.lists(st.sampled_from(["p", "li", "h", "table", "table2"]), min_size=1, max_size=12), st.sampled_from(["markdown", "html"]))
def test_contexts_of_lists_tables_and_headings_equal_the_eager_pass(kinds, fmt):
    """Block shapes the pool pages rarely have: a list right after a table, tables after headings."""
    parts = []
    for i, kind in enumerate(kinds):
        word = f"Zin {i}: lithium?" if i % 3 == 0 else f"Zin {i} niet combineren."
        if fmt == "markdown":
            parts.append({"p": word, "li": f"- {word}", "h": f"## {word}",
                          "table": f"| {word} | b |\n| - | - |\n| c | {word} |",
                          "table2": f"| {word} |\n| - |"}[kind])
        else:
            parts.append({"p": f"<p>{word}</p>", "li": f"<ul><li>{word}</li></ul>", "h": f"<h2>{word}</h2>",
                          "table": f"<table><tr><th>{word}</th><th>b</th></tr><tr><td>c</td><td>{word}</td></tr></table>",
                          "table2": f"<table><tr><td>{word}</td></tr></table>"}[kind])
    doc = load_document("\n\n".join(parts) + "\n", fmt)
    units = [(b, "nl", RULESETS["nl"].profile.sentences(doc.text, b.start, b.end)) for b in doc.blocks]
    page = _Page(doc, units, RULESETS, "default")
    want = eager_contexts(page)
    assert [page.ctx(sid) for sid in range(len(page.sents))] == want


def test_a_remembered_selection_is_the_selection_of_the_same_text():
    _SELECTIONS.clear()
    text = "# Truffels\n\nNiet combineren met lithium. Overleg met je arts.\n"
    doc = load_document(text, "markdown")
    units = [(b, "nl", RULESETS["nl"].profile.sentences(doc.text, b.start, b.end)) for b in doc.blocks]
    first = _Page(doc, units, RULESETS, "default")
    trig = checks_for(RULESETS["nl"]).cue_trigger
    got = [first.selection(trig, sid) for sid in range(len(first.sents))]
    assert len(_SELECTIONS[trig]) == len({s.text for s in first.sents})
    second = _Page(doc, units, RULESETS, "default")
    assert [second.selection(trig, sid) for sid in range(len(second.sents))] == got
    assert got == [trig.selected(s.text) for s in first.sents]
