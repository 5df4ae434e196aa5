"""The Markdown adapter: rendered prose, blocks, front matter and exact source positions."""

from __future__ import annotations

from wellnesslint.documents import load_document
from wellnesslint.documents.markdown import parse


def blocks(doc):
    return [(b.kind, doc.text[b.start : b.end]) for b in doc.blocks]


def texts(doc):
    return [doc.text[b.start : b.end] for b in doc.blocks]


def src_of(doc, needle, nth=0):
    """The source text behind the ``nth`` occurrence of ``needle`` in the prose."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    s, e = doc.source_span(start, start + len(needle))
    return doc.source[s:e]


def test_emphasis_markers_never_split_a_sentence():
    doc = parse("Onze thee **geneest** depressie en *helpt* bij _angst_.\n")
    assert blocks(doc) == [("paragraph", "Onze thee geneest depressie en helpt bij angst.")]
    assert src_of(doc, "geneest depressie") == "geneest** depressie"
    assert src_of(doc, "angst") == "angst"


def test_block_kinds():
    source = (
        "# Kop\n\nAlinea een.\n\n- item een\n- item twee\n\n1. genummerd\n\n"
        "> citaat\n\nSetext kop\n---\n\n| a | b |\n|---|---|\n| c | d |\n"
    )
    assert blocks(parse(source)) == [
        ("heading", "Kop"),
        ("paragraph", "Alinea een."),
        ("list_item", "item een"),
        ("list_item", "item twee"),
        ("list_item", "genummerd"),
        ("quote", "citaat"),
        ("heading", "Setext kop"),
        ("table_cell", "a"),
        ("table_cell", "b"),
        ("table_cell", "c"),
        ("table_cell", "d"),
    ]


def test_heading_marks_are_not_prose():
    doc = parse("## Thee *geneest* ##\n# # hekje\n")
    assert texts(doc) == ["Thee geneest", "# hekje"]
    assert src_of(doc, "Thee") == "Thee"
    assert src_of(doc, "# hekje") == "# hekje"


def test_container_markers_are_skipped_and_soft_breaks_kept():
    source = "> Onze thee\n> geneest alles\n\n- een\n  twee\n"
    doc = parse(source)
    assert texts(doc) == ["Onze thee\ngeneest alles", "een\ntwee"]
    assert src_of(doc, "geneest alles") == "geneest alles"
    assert src_of(doc, "thee\ngeneest") == "thee\n> geneest"
    assert src_of(doc, "twee") == "twee"


def test_links_keep_their_text_not_their_url():
    doc = parse('Lees [onze *studie*](https://x.nl/studie "studie") en [dit][ref] of '
                "<https://auto.link>.\n\n[ref]: https://example.com 'Titel'\n")
    assert texts(doc) == ["Lees onze studie en dit of ."]
    assert src_of(doc, "studie", 0) == "studie"
    # the word "studie" in the link's URL and title is never taken for the prose
    start = doc.text.index("studie")
    s, _ = doc.source_span(start, start + 6)
    assert s == doc.source.index("studie")


def test_link_title_with_the_same_words_as_the_following_text():
    doc = parse('[x](/u "title a") a')
    start = doc.text.index(" a")
    s, e = doc.source_span(start + 1, start + 2)
    assert (s, e) == (len(doc.source) - 1, len(doc.source))


def test_entities_and_escapes():
    doc = parse("Caf&eacute; &amp; th&#233;e &#xE9; \\*niet vet\\* &bogus; a&nbsp;b\n")
    assert texts(doc) == ["Café & thée é *niet vet* &bogus; a\xa0b"]
    assert src_of(doc, "é") == "&eacute;"
    assert src_of(doc, "&") == "&amp;"
    assert src_of(doc, "*niet") == "\\*niet"
    assert src_of(doc, "\xa0") == "&nbsp;"


def test_hard_breaks_read_as_line_breaks():
    doc = parse("een  \ntwee\\\ndrie\n")
    assert texts(doc) == ["een\ntwee\ndrie"]


def test_code_is_skipped():
    source = (
        "Gebruik `geneest()` nooit.\n\n```python\ngeneest = True\n```\n\n"
        "    ingesprongen code geneest\n\nTot ``slot ` hier``.\n"
    )
    doc = parse(source)
    assert texts(doc) == ["Gebruik  nooit.", "Tot ."]
    assert "geneest" not in doc.text


def test_comments_and_reference_definitions_are_skipped():
    doc = parse("Tekst <!-- geneest\nalles --> verder.\n\n<!-- blok -->\n\n"
                "[def]: https://example.com\n")
    assert texts(doc) == ["Tekst  verder."]


def test_raw_html_block_text_is_linted_tags_are_not():
    doc = parse("Intro\n\n<div class=\"x\">\n<p>geneest <b>depressie</b> &eacute;</p>\n"
                "<p>tweede</p>\n</div>\n\nSlot\n")
    assert blocks(doc) == [("paragraph", "Intro"), ("paragraph", "geneest depressie é"),
                           ("paragraph", "tweede"), ("paragraph", "Slot")]
    assert src_of(doc, "geneest depressie") == "geneest <b>depressie"
    assert src_of(doc, "é") == "&eacute;"


def test_raw_html_block_inside_a_blockquote():
    doc = parse("> <p>geciteerd <b>geneest</b></p>\n")
    assert texts(doc) == ["geciteerd geneest"]
    assert src_of(doc, "geneest") == "geneest"


def test_inline_html():
    doc = parse('Een <b>geneest</b> twee<br>drie <code>verborgen</code> vier '
                '<img alt="Foto &amp; zo"> vijf\n')
    assert blocks(doc) == [("paragraph", "Een geneest twee\ndrie  vier  vijf"),
                           ("alt", "Foto & zo")]
    assert src_of(doc, "geneest twee") == "geneest</b> twee"
    assert src_of(doc, "Foto & zo") == "Foto &amp; zo"


def test_image_alt_is_its_own_block():
    doc = parse("Onze thee ![Thee *en* kruiden](t.png \"titel\") geneest alles.\n")
    assert blocks(doc) == [("paragraph", "Onze thee  geneest alles."),
                           ("alt", "Thee en kruiden")]
    assert src_of(doc, "kruiden") == "kruiden"


def test_front_matter_title_description_and_lang():
    source = (
        "---\ntitle: Kruiden & thee\ndescription: \"Geneest \\u00e9\\u00e9n ding\"\n"
        "lang: nl-NL\ntags: [a, b]\nauthor: niet dit\n---\n\n# Kop\n"
    )
    doc = parse(source)
    assert blocks(doc) == [("title", "Kruiden & thee"), ("meta", "Geneest één ding"),
                           ("heading", "Kop")]
    assert doc.lang == "nl"
    assert all(b.lang == "nl" for b in doc.blocks)
    assert src_of(doc, "Kruiden & thee") == "Kruiden & thee"
    # an escaped value maps to the written value as a whole
    assert src_of(doc, "één") == "Geneest \\u00e9\\u00e9n ding"
    assert "niet dit" not in doc.text


def test_front_matter_plain_value_with_comment_and_block_scalar():
    source = "---\ndescription: >\n  Gevouwen\n  tekst\ntitle: Titel # commentaar\n---\nx\n"
    doc = parse(source)
    assert blocks(doc) == [("meta", "Gevouwen tekst\n"), ("title", "Titel"),
                           ("paragraph", "x")]
    assert src_of(doc, "Titel") == "Titel"
    assert src_of(doc, "Gevouwen") == "Gevouwen\n  tekst"


def test_invalid_front_matter_is_tolerated():
    doc = parse("---\ntitle: [niet gesloten\n---\nTekst\n")
    assert texts(doc) == ["Tekst"]
    doc = parse("---\n- een lijst\n---\nTekst\n")
    assert texts(doc) == ["Tekst"]


def test_table_cells_with_escaped_pipes():
    source = "| a | b \\| c |\n|---|---|\n| één | &amp; **x** |\n"
    doc = parse(source)
    assert texts(doc) == ["a", "b | c", "één", "& x"]
    assert src_of(doc, "b | c") == "b \\| c"
    start = doc.text.index("c")
    assert doc.source_span(start, start + 1) == (source.index("\\| c") + 3,
                                                 source.index("\\| c") + 4)
    assert src_of(doc, "één") == "één"


def test_crlf_source():
    source = "# Kop\r\n\r\nOnze thee\r\n**geneest** alles\r\n\r\n- een\r\n"
    doc = parse(source)
    assert texts(doc) == ["Kop", "Onze thee\r\ngeneest alles", "een"]
    start = doc.text.index("alles")
    s, e = doc.source_span(start, start + 5)
    assert source[s:e] == "alles"
    assert doc.lines.position(s) == (4, 13)


def test_utf8_accents_and_emoji():
    source = "Eén kopje 😀 per dag, **één** naïef café.\n"
    doc = parse(source)
    assert texts(doc) == ["Eén kopje 😀 per dag, één naïef café."]
    start = doc.text.index("café")
    assert doc.source_span(start, start + 4) == (source.index("café"),
                                                 source.index("café") + 4)


def test_tab_after_a_container_marker():
    doc = parse(">\tgeciteerd\n>\tverder\n")
    assert texts(doc) == ["geciteerd\nverder"]
    assert src_of(doc, "verder") == "verder"


def test_footnote_markers_stay_text():
    assert texts(parse("Bewezen[^1].\n")) == ["Bewezen[^1]."]


def test_load_document_dispatch():
    doc = load_document("*x*", "markdown")
    assert doc.format == "markdown" and texts(doc) == ["x"]


def test_pathological_inputs_do_not_raise():
    for source in ["> " * 10_000 + "x", "[" * 10_000, "*" * 10_000 + "a", "`" * 5_000,
                   "<div>" * 10_000, "- " * 5_000 + "x", "&" * 10_000, "\r" * 1000]:
        parse(source)


# --- plain inline content is not run through the inline parser --------------------------------


import re as _re  # noqa: E402

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import wellnesslint.documents.markdown as _md  # noqa: E402

_PLAIN_PIECES = st.sampled_from([
    "Truffels", "helpen", "bij", "angst", "-", ":", "#", "+", "=", "@", "^", "{", "}", "$", "%", "'",
    '"', "(", ")", ".", ",", "?", "1.", "2)", "\u00a0", "\t", "\x00", "é", "İ", "ß", "\u200b",
    "&amp;", "*", "_", "[", "]", "!", "<", ">", "`", "~", "\\",
    # whole pieces of markup: each is read differently by the inline parser than as plain text
    "*zacht*", "_echt_", "**vet**", "[link](https://x.nl)", "![alt](a.png)", "`code`", "<b>", "\\*", "&copy;",
    "~~weg~~", "<https://x.nl>",
])
# "" glues pieces together: "*helpen*", "![alt]", "&amp;x" need markup next to words
_SEPARATORS = st.sampled_from(["", "", " ", " ", " ", "\n", "\r\n", "\r", "  \n", " \n", "\n ", "\n\n", "\t"])


def _read(source: str, fast: bool):
    saved = _md._is_plain
    if not fast:
        _md._is_plain = lambda content: False  # the inline parser reads every content
    try:
        doc = parse(source)
    finally:
        _md._is_plain = saved
    spans = [doc.source_span(b.start, b.end) for b in doc.blocks]
    return doc.text, [(b.start, b.end, b.kind) for b in doc.blocks], spans


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_PLAIN_PIECES, _SEPARATORS), max_size=30),
       st.sampled_from(["", "# ", "- ", "> ", "1. ", "| a | b |\n|---|---|\n| "]))
def test_plain_content_reads_as_the_inline_parser_reads_it(parts, prefix):
    source = prefix + "".join(p + s for p, s in parts)
    assert _read(source, fast=True) == _read(source, fast=False)


@pytest.mark.parametrize("markup", ["*zacht*", "_echt_", "[link](https://x.nl)", "![alt](a.png)", "`code`",
                                    "<b>vet</b>", "\\.", "&copy;", "<https://x.nl>", "a  \nb",
                                    "a\n  b", "a \nb"])
def test_each_kind_of_markup_is_not_plain(markup):
    """Every markup the inline parser reads differently from plain text keeps a content off
    the plain path: with the plain path forced, one of these would read wrong."""
    source = f"Truffels {markup} helpen."
    assert _read(source, fast=True) == _read(source, fast=False)
    saved = _md._is_plain
    _md._is_plain = lambda content: True  # nothing is markup: everything takes the plain path
    try:
        forced = _read(source, fast=True)
    finally:
        _md._is_plain = saved
    assert forced != _read(source, fast=False), markup


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", "a", "bc", " ", "\t"]),
                          st.sampled_from(["\n", "\r\n", "\r", "\n\n"])), max_size=8),
       st.sampled_from(["", "z", "\r", "\n"]))
def test_line_table_gives_each_lines_bounds(lines, last):
    """Both ways of building the line table (one for "\\n"-only sources) agree with a scan."""
    source = "".join(t + e for t, e in lines) + last
    expected = ([0], [], [])
    for m in _re.finditer(r"\r\n?|\n", source):
        expected[1].append(m.start())
        expected[2].append(m.end())
        expected[0].append(m.end())
    expected[1].append(len(source))
    expected[2].append(len(source))
    assert _md._line_table(source) == expected


@pytest.mark.parametrize("opening", ["\u00a0", "\u2003 \u00a0", "\u3000", "- \u00a0", "> \u00a0", "1. \u00a0"])
@pytest.mark.parametrize("closing", ["", "\n===="])
def test_a_first_line_of_unicode_spaces_keeps_positions(opening, closing):
    """A line of only no-break (or em, ideographic) spaces opens a paragraph, list item or quote
    (CommonMark does not count it as blank) and markdown-it strips it off the content: the
    content's positions must still point at the words on the next line."""
    from wellnesslint.engine import lint_text

    lead = "  " if opening[0] in "-1" else "> " if opening[0] == ">" else ""
    source = f"Intro.\n\n{opening}\n{lead}Onze truffels genezen depressie.{closing}\n"
    found = [f for f in lint_text(source, format="markdown", suggest=False) if f.rule.startswith("WL1")]
    assert found
    for f in found:
        assert source[f.offset : f.end_offset] == f.text
        assert f.text.startswith("genezen") and f.line == 4
