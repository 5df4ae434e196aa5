"""The cheap paths of the suggestion step decide exactly as the full ones.

``rewrite._tail_reads_well`` parses only the end of a Markdown page (from ``doc.meta["tail"]``)
with the disclaimer paragraph appended; whenever it says yes, the full ``rewrite._reads_well``
(a parse of the whole new page) must say yes too, else a suggestion would change. Pages are
generated from lists, quotes, fences (closed or not), HTML blocks (unclosed comments and scripts
too), reference links and definitions, front matter, tables, setext headings, with LF, CRLF or CR
line breaks and any ending.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellnesslint import rewrite
from wellnesslint.documents import load_document
from wellnesslint.engine import lint_text

WORDS = ["Truffels", "genezen", "depressie", "Our", "tea", "cures", "anxiety", "shop", "*x*", "_y_",
         "`code`", "&amp;", "\\*", "<b>bold</b>", "[ref]", "[link][ref]", "[x](/u)", "![alt](/i.png)",
         "[a][missing]", "<span>", "</span>", "|", "1.", "-", ">", "#"]

PARAGRAPH = "Microdosing is no treatment for [anxiety] or *depression*; talk to your doctor first."


@st.composite
def sentence(draw) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)))


@st.composite
def block(draw) -> str:
    s = draw(sentence())
    kind = draw(st.sampled_from([
        "para", "para2", "heading", "setext", "list", "olist", "nested", "loose", "quote", "lazy",
        "fence", "open_fence", "tilde", "indented", "html", "comment", "open_comment", "script",
        "open_script", "refdef", "refdef_title", "refdef_split", "table", "hr", "dashes", "matter",
        "inline_html",
    ]))
    t = draw(sentence())
    return {
        "para": s,
        "para2": f"{s}\n{t}",
        "heading": f"# {s}",
        "setext": f"{s}\n{draw(st.sampled_from(['---', '===']))}",
        "list": f"- {s}\n- {t}",
        "olist": f"1. {s}\n2. {t}",
        "nested": f"- {s}\n  - {t}",
        "loose": f"- {s}\n\n- {t}",
        "quote": f"> {s}\n> {t}",
        "lazy": f"> {s}\n{t}",
        "fence": f"```\n{s}\n```",
        "open_fence": f"```\n{s}",
        "tilde": f"~~~ python\n{s}\n~~~",
        "indented": f"    {s}",
        "html": f"<div>\n{s}\n</div>",
        "comment": f"<!-- {s} -->",
        "open_comment": f"<!--\n{s}",
        "script": f"<script>\n{s}\n</script>",
        "open_script": f"<script>\n{s}",
        "refdef": "[ref]: /url",
        "refdef_title": "[ref]: /url 'a title'",
        "refdef_split": "[ref]:\n/url\n'title",
        "table": f"| a | b |\n|---|---|\n| {s} | {t} |",
        "hr": draw(st.sampled_from(["---", "***", "___"])),
        "dashes": f"---\ntitle: {s}\n---",
        "matter": f"---\ndescription: {s}\n---",
        "inline_html": f"<span>{s}</span> {t}",
    }[kind]


@st.composite
def page(draw) -> str:
    parts = draw(st.lists(block(), min_size=1, max_size=6))
    seps = [draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n  \n"])) for _ in parts[1:]]
    text = parts[0] + "".join(sep + part for sep, part in zip(seps, parts[1:]))
    if draw(st.booleans()):
        text = f"---\ntitle: {draw(sentence())}\nlang: en\n---\n" + text
    text += draw(st.sampled_from(["", "\n", "\n\n", "  ", "\n   \n", " \t", "\n\n\n"]))
    nl = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if nl == "mixed":
        text = text.replace("\n", "\r\n", 1)
    elif nl != "\n":
        text = text.replace("\n", nl)
    return text


WRAPPERS = ["{text}", "*{text}*", "> {text}", "- {text}", "<div>{text}</div>", "{text}\n\n[ref]: /other",
            "# {text}", "{text}\n---", "<!-- -->{text}"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page(), st.sampled_from(WRAPPERS))
def test_tail_check_agrees_with_the_full_check(source, wrapper):
    doc = load_document(source, "markdown")
    nl = rewrite._newline(source)
    block_text = wrapper.replace("{text}", rewrite.encode(PARAGRAPH, "markdown"))
    block_text = block_text.replace("\r\n", "\n").replace("\n", nl)
    for pos, insert in rewrite._insertions(doc, block_text, nl):
        if rewrite._tail_reads_well(doc, pos, insert, PARAGRAPH):
            assert rewrite._reads_well(doc, pos, insert, PARAGRAPH), (source, insert)


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_tail_check_leaves_a_dash_line_under_an_open_dash_line_to_the_full_check(nl):
    # the page opens with "---" that nothing closes (a thematic break); a paragraph followed by a
    # line of dashes would close it as front matter and hide the whole page (found by hypothesis)
    source = f"---{nl}{nl}Truffels"
    doc = load_document(source, "markdown")
    insert = f"{nl}{nl}{rewrite.encode(PARAGRAPH, 'markdown')}{nl}---"
    assert not rewrite._tail_reads_well(doc, len(source), insert, PARAGRAPH)
    assert not rewrite._reads_well(doc, len(source), insert, PARAGRAPH)


def test_tail_check_takes_a_plain_page():
    source = "# Title\n\nSome text here.\n\n- one\n- two\n"
    doc = load_document(source, "markdown")
    assert 0 < doc.meta["tail"] < len(source)
    insert = "\n" + rewrite.encode(PARAGRAPH, "markdown") + "\n"
    assert rewrite._tail_reads_well(doc, len(source), insert, PARAGRAPH)


def test_tail_check_leaves_a_reference_defined_above_to_the_full_check():
    # "[shop][s]" reads "shop" on the whole page but "[shop][s]" in the tail alone
    source = "[s]: /shop\n\nIntro.\n\nVisit our [shop][s].\n"
    doc = load_document(source, "markdown")
    insert = "\n" + rewrite.encode(PARAGRAPH, "markdown") + "\n"
    assert not rewrite._tail_reads_well(doc, len(source), insert, PARAGRAPH)
    assert rewrite._reads_well(doc, len(source), insert, PARAGRAPH)


def test_tail_check_refuses_an_unclosed_block():
    for source in ("Intro.\n\n```\ncode\n", "Intro.\n\n<!--\nhidden\n", "Intro.\n\n<script>\nvar x\n"):
        doc = load_document(source, "markdown")
        insert = "\n" + rewrite.encode(PARAGRAPH, "markdown") + "\n"
        assert not rewrite._tail_reads_well(doc, len(source), insert, PARAGRAPH)
        assert not rewrite._reads_well(doc, len(source), insert, PARAGRAPH)


@pytest.mark.parametrize("fmt, check, pages", [
    ("markdown", "_tail_reads_well", [
        "# Microdosing\n\nOur truffles help against anxiety.\n\n- calm\n- focus\n",
        "[s]: /shop\n\nMicrodosing truffles from our [shop][s].\r\n",
        "Microdosing truffels helpen bij depressie.\n\n> Een klant\n"]),
    ("html", "_html_reads_well", [
        "<html><body><main><h1>Microdosing</h1><p>Our truffles help against anxiety.</p></main></body></html>",
        "<main>\r\n  <p>Microdosing truffles from our shop.</p>\r\n</main>\r\n<footer>x</footer>\r\n",
        "<p>Microdosing truffels helpen bij depressie.</p>\n<!-- </main>\n",
        "<p>Microdosing truffels helpen bij depressie.</p><script>"]),
])
def test_disclaimer_suggestion_is_the_same_with_or_without_the_cheap_check(monkeypatch, fmt, check, pages):
    """The cheap checks of an appended disclaimer (the Markdown tail, the HTML reader resumed at
    a closing tag) only save time: with them turned off the findings and suggestions are equal."""
    for source in pages:
        fast = lint_text(source, format=fmt)
        with monkeypatch.context() as m:
            m.setattr(rewrite, check, lambda *a: False)
            slow = lint_text(source, format=fmt)
        assert [f.to_dict() for f in fast] == [f.to_dict() for f in slow]
        # a suggestion is made, but where the paragraph would land in a script or comment
        assert any(f.suggestion for f in fast if f.category == "missing_disclaimer") \
            or "<script>" in source or "<!--" in source


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab ?.!\n\t\u00a0\x1c", max_size=160), st.data())
def test_fragment_question_is_the_search_of_the_whole_prefix(text, data):
    # rewrite._fragment_question looks only at the end of the block before a sentence
    b = data.draw(st.integers(0, len(text)))
    s = data.draw(st.integers(b, len(text)))
    fast = rewrite._fragment_question(text, b, s)
    full = rewrite._FRAGMENT_QUESTION.search(text[b:s])
    assert (fast and fast.group(1)) == (full and full.group(1))


def test_fragment_question_far_into_a_block():
    filler = "Our shop sells tea. " * 50
    for lead in ("Pregnant?  ", "Pregnant?\n", "Is it safe to drink " + "x " * 40 + "?  ", "Why   ?"):
        text = filler + lead + "Our tea is safe."
        s = text.index("Our tea is safe.")
        for b in (0, len(filler) - 3, len(filler)):
            fast = rewrite._fragment_question(text, b, s)
            full = rewrite._FRAGMENT_QUESTION.search(text[b:s])
            assert (fast and fast.group(1)) == (full and full.group(1))


def test_front_matter_end_is_worked_out_per_source():
    from wellnesslint.documents import load_document

    def end(source: str) -> int:
        return rewrite._front_matter_end(load_document(source, "markdown"))

    assert end("---\ntitle: x\n---\nText.\n") == len("---\ntitle: x\n---\n")
    assert end("---\ntitle: x\n\nText.\n") == -1
    assert end("Text.\n") == -1


def test_lexicon_first_is_the_first_of_find():
    from wellnesslint.engine import get_rulesets

    for lang, ruleset in get_rulesets().items():
        rws = rewrite.rewrite_set(ruleset)
        if rws is None:
            continue
        for text in ("", "Nothing to see.", "Our microdosing truffles and CBD oil, truffels en CBD-olie.",
                     "ijsbad, retreat, ademwerk, cold plunge " * 3):
            found = rws.lexicons.find("product", text)
            assert rws.lexicons.first("product", text) == (found[0] if found else None)
            assert rewrite._default_phrase(rws, "product") == rewrite.make_phrase(
                "product", rws.defaults["product"], rws.grammar, sentence_start=False, title=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab ’‘'\u00a0\n\r\t\u202f“é\x00"), max_size=80) | st.text(max_size=80))
def test_normalise_is_the_translation(text):
    # rewrite._normalise replaces character by character what the translation table maps
    assert rewrite._normalise(text) == text.translate(rewrite._NORMALISE)


def test_phrases_are_remembered_per_grammar():
    from wellnesslint.engine import get_rulesets

    for ruleset in get_rulesets().values():
        rws = rewrite.rewrite_set(ruleset)
        if rws is None:
            continue
        g = rws.grammar
        for raw in ("Onze truffels", "CBD-olie", "the retreat", "slapeloosheid", "anxiety and depression"):
            for slot in rewrite.SLOTS:
                for start in (True, False):
                    for title in (True, False):
                        made = rewrite.make_phrase(slot, raw, g, sentence_start=start, title=title)
                        assert rewrite._phrase(slot, raw, g, start, title) == made
                        assert rewrite._phrase(slot, raw, g, start, title) == made
