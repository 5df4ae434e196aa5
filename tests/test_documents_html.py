"""The HTML adapter: visible prose, blocks, metadata and exact source positions."""

from __future__ import annotations

import time

import pytest

from wellnesslint.documents import load_document
from wellnesslint.documents.html import parse


def blocks(doc):
    """(kind, prose) per block."""
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


def test_markup_is_stripped():
    doc = parse("<p>Onze <a href='/thee'>thee</a> is <span class=x>heerlijk</span>.</p>")
    assert texts(doc) == ["Onze thee is heerlijk."]


def test_inline_tags_do_not_split_a_sentence():
    doc = parse("<p><strong>geneest</strong> depressie</p>")
    assert blocks(doc) == [("paragraph", "geneest depressie")]
    assert src_of(doc, "geneest depressie") == "geneest</strong> depressie"
    doc = parse("<p><b>a</b><i>b</i><em>c</em><span>d</span><font>e</font><mark>f</mark></p>")
    assert texts(doc) == ["abcdef"]


def test_block_tags_split():
    doc = parse("<div>een<p>twee</p>drie<h2>vier</h2><ul><li>vijf</li><li>zes</li></ul>"
                "<table><tr><td>zeven</td><th>acht</th></tr></table>"
                "<blockquote>negen</blockquote><section>tien</section></div>")
    assert blocks(doc) == [
        ("paragraph", "een"), ("paragraph", "twee"), ("paragraph", "drie"),
        ("heading", "vier"), ("list_item", "vijf"), ("list_item", "zes"),
        ("table_cell", "zeven"), ("table_cell", "acht"), ("quote", "negen"),
        ("paragraph", "tien"),
    ]


def test_block_kind_follows_the_container():
    doc = parse("<ul><li><p>in een lijst</p></li></ul><blockquote><p>geciteerd</p></blockquote>"
                "<table><td><div>cel</div></td></table><li><h3>kop</h3></li>")
    assert blocks(doc) == [("list_item", "in een lijst"), ("quote", "geciteerd"),
                           ("table_cell", "cel"), ("heading", "kop")]


def test_nested_list_text_before_the_sublist_is_its_own_block():
    doc = parse("<ul><li>Voordelen <ul><li>rust</li></ul> en meer</li></ul>")
    assert blocks(doc) == [("list_item", "Voordelen "), ("list_item", "rust"),
                           ("list_item", "en meer")]


def test_single_br_is_whitespace_double_br_splits():
    doc = parse("<p>geneest<br>depressie</p>")
    assert texts(doc) == ["geneest\ndepressie"]
    assert src_of(doc, "\n") == "<br>"
    doc = parse("<p>een<br/>\n<br>twee<BR>drie</p>")
    assert texts(doc) == ["een\n", "twee\ndrie"]


def test_entities_are_decoded_with_exact_positions():
    doc = parse("<p>Caf&eacute; &amp; th&#233;e &#xE9;&#XE9; &lt;b&gt; a&nbsp;b &copy2020</p>")
    assert texts(doc) == ["Café & thée éé <b> a\xa0b ©2020"]
    assert src_of(doc, "é") == "&eacute;"
    assert src_of(doc, "&") == "&amp;"
    assert src_of(doc, "thée") == "th&#233;e"
    assert src_of(doc, "éé") == "&#xE9;&#XE9;"
    assert src_of(doc, "©2020") == "&copy2020"
    assert src_of(doc, "2020") == "2020"


def test_invalid_and_odd_references():
    doc = parse("<p>&bogus; &#0; &#x110000; &#128512; & alone &amp &notit;</p>")
    assert texts(doc) == ["&bogus; \ufffd \ufffd 😀 & alone & ¬it;"]
    assert src_of(doc, "&bogus;") == "&bogus;"
    assert src_of(doc, "😀") == "&#128512;"


def test_attribute_references_follow_browser_rules():
    doc = parse('<img alt="a &amp; b &ampx &amp=c &copy;">')
    assert texts(doc) == ["a & b &ampx &amp=c ©"]


def test_skipped_regions():
    doc = parse(
        "<p>zicht<script>var s = '<p>geneest</p>';</script>baar</p>"
        "<style>p { content: 'geneest' }</style><noscript>Zet JS aan</noscript>"
        "<template><p>sjabloon</p></template><pre>code\nblok</pre>"
        "<p>Gebruik <code>rm -rf</code> nooit</p><svg><title>icoon</title><text>svg</text></svg>"
        "<math><mi>x</mi></math><iframe>frame</iframe><object>obj</object>"
        "<textarea>invoer</textarea><!-- <p>commentaar</p> -->"
    )
    assert texts(doc) == ["zichtbaar", "Gebruik  nooit"]
    # block tags inside hidden content split nothing a reader sees
    assert texts(parse("<p>a <code><div>x</div></code> b</p>")) == ["a  b"]


def test_head_contributes_only_title_and_metadata():
    doc = parse(
        "<!DOCTYPE html><html lang='nl-NL'><head><meta charset='utf-8'>"
        "<title>Kruiden &amp; thee</title>"
        '<meta name="description" content="Geneest &eacute;&eacute;n ding">'
        '<meta property="og:title" content="OG titel">'
        "<meta property='og:description' content='OG omschrijving'>"
        '<meta name="twitter:description" content=Twitter>'
        '<meta name="keywords" content="niet dit">'
        "<link rel=stylesheet href=x.css><script>var x;</script></head><body><p>Tekst</p></body>"
        "</html>"
    )
    assert blocks(doc) == [
        ("title", "Kruiden & thee"),
        ("meta", "Geneest één ding"),
        ("meta", "OG titel"),
        ("meta", "OG omschrijving"),
        ("meta", "Twitter"),
        ("paragraph", "Tekst"),
    ]
    assert doc.lang == "nl"
    assert src_of(doc, "één") == "&eacute;&eacute;n"
    assert src_of(doc, "Geneest één ding") == "Geneest &eacute;&eacute;n ding"
    assert src_of(doc, "Twitter") == "Twitter"


def test_alt_text_is_its_own_block_after_the_sentence():
    doc = parse('<p>Onze thee <img src="t.jpg" alt="Thee &amp; kruiden"> geneest alles.</p>'
                '<img alt="">')
    assert blocks(doc) == [("paragraph", "Onze thee  geneest alles."),
                           ("alt", "Thee & kruiden")]
    assert src_of(doc, "Thee & kruiden") == "Thee &amp; kruiden"


def test_lang_attributes():
    doc = parse('<html lang="en-GB"><body><p>one</p><div lang="nl"><p>twee</p>'
                '<p lang="">unknown</p></div><p lang="de_AT">drei</p></body></html>')
    assert doc.lang == "en"
    assert [(b.lang, doc.text[b.start : b.end]) for b in doc.blocks] == [
        ("en", "one"), ("nl", "twee"), (None, "unknown"), ("de", "drei")]
    doc = parse('<meta http-equiv="Content-Language" content="nl-BE"><p>x</p>')
    assert doc.lang == "nl"


def test_unclosed_and_misnested_tags_keep_their_text():
    assert texts(parse("<p>een <b>vet <i>schuin</p><p>volgende")) == [
        "een vet schuin", "volgende"]
    assert texts(parse("<div>a<span>b</div>c</span>d")) == ["ab", "cd"]
    assert texts(parse("<b><p>x</b>y</p>z")) == ["xy", "z"]
    assert texts(parse("<ul><li>een<li>twee</ul>")) == ["een", "twee"]
    # a <code> that is never closed hides nothing; a closed one hides its content
    assert texts(parse("<p>Zie <code>x<p>Volgende alinea")) == ["Zie x", "Volgende alinea"]
    assert texts(parse("<p>Zie <code>x<p>y</code> verder")) == ["Zie  verder"]
    assert texts(parse("<pre>nooit gesloten")) == ["nooit gesloten"]
    assert texts(parse("<table><tr><td>a<td>b<tr><td>c</table>")) == ["a", "b", "c"]
    assert texts(parse("</p></div></b>tekst<p")) == ["tekst"]


def test_whitespace_between_blocks_adds_nothing():
    doc = parse("<ul>\n  <li>een</li>\n  \n  <li>twee</li>\n</ul>\n")
    assert texts(doc) == ["een", "twee"]
    assert doc.text == "een\n\ntwee\n\n"


def test_soft_line_breaks_stay_verbatim_crlf():
    source = "<p>\r\n  Onze thee\r\n  geneest\r\n</p>\r\n"
    doc = parse(source)
    assert texts(doc) == ["Onze thee\r\n  geneest\r\n"]
    start = doc.text.index("geneest")
    s, e = doc.source_span(start, start + 7)
    assert source[s:e] == "geneest"
    assert doc.lines.position(s) == (3, 3)


def test_utf8_accents_and_emoji():
    source = "<p>Eén kopje 😀 per dag. <b>Één</b> naïef café</p>"
    doc = parse(source)
    assert texts(doc) == ["Eén kopje 😀 per dag. Één naïef café"]
    assert src_of(doc, "café") == "café"
    start = doc.text.index("naïef")
    assert doc.source_span(start, start + 5) == (source.index("naïef"),
                                                 source.index("naïef") + 5)


def test_lexer_corner_cases():
    assert texts(parse("a < b en 3 <4 maar <> en </ x")) == ["a < b en 3 <4 maar <> en "]
    assert texts(parse('<p title="a > b">tekst</p>')) == ["tekst"]
    assert texts(parse("<P CLASS=x>Hoofd<BR>letters</P>")) == ["Hoofd\nletters"]
    assert texts(parse("<!--> zichtbaar <!---> ook")) == ["zichtbaar  ook"]
    # outside SVG/MathML a CDATA section is a bogus comment, as in browsers
    assert texts(parse("<?xml version='1.0'?><!DOCTYPE html><![CDATA[x]]>y")) == ["y"]
    assert texts(parse("tekst <!-- nooit gesloten")) == ["tekst "]
    assert texts(parse("<title>Niet gesloten titel <b>maar</b> tekst")) == [
        "Niet gesloten titel maar tekst"]
    assert texts(parse("<svg><![CDATA[ <p>x</p> ]]></svg>na")) == ["na"]


def test_load_document_dispatch():
    doc = load_document("<p>x</p>", "html")
    assert doc.format == "html" and texts(doc) == ["x"]


@pytest.mark.parametrize(
    "source",
    [
        "<div>" * 100_000 + "diep" + "</div>" * 100_000,
        "<span>" * 100_000 + "diep" + "</span>" * 100_000,
        "<b><div>" * 50_000 + "diep" + "</b>" * 100_000,
        "<p>a<li>b" * 30_000,
    ],
    ids=["div", "span", "misnested", "implied"],
)
def test_deep_nesting_is_linear(source):
    t = time.perf_counter()
    doc = parse(source)
    assert time.perf_counter() - t < 5
    assert "diep" in doc.text or "a" in doc.text


def test_ten_megabyte_single_line():
    source = "<p>" + "geneest &amp; <b>helpt</b> " * 400_000 + "</p>"
    assert len(source) > 10_000_000
    t = time.perf_counter()
    doc = parse(source)
    assert time.perf_counter() - t < 20
    assert len(doc.blocks) == 1
    assert doc.text.startswith("geneest & helpt geneest")
    plain = "woord " * 2_000_000
    assert parse(plain).text.startswith("woord woord")


# --- round 6: characters that render as nothing, <br> before a line break ------------------------


@pytest.mark.parametrize("mark", ["&shy;", "\u00ad", "&#173;", "&#x200B;", "\u200b", "&zwj;",
                                  "\u2060", "\ufeff"])
def test_invisible_characters_inside_a_word_join_it(mark):
    """An editor's soft hyphen or zero-width space inside a long word is not seen by a reader:
    the word reads whole, and its source range still spans the mark."""
    doc = parse(f"<p>Deze kruidenthee verhelpt slaap{mark}problemen niet.</p>")
    assert texts(doc) == ["Deze kruidenthee verhelpt slaapproblemen niet."]
    assert src_of(doc, "slaapproblemen") == f"slaap{mark}problemen"


def test_a_claim_on_a_word_with_a_soft_hyphen_is_found_at_its_source():
    from wellnesslint.engine import lint_text

    source = "<div><p>Wij beloven: dit kruid geneest je burn&shy;out&shy;klachten.</p></div>"
    found = [f for f in lint_text(source, format="html", lang="nl") if f.category == "cure_claim"]
    assert found
    for f in found:
        assert source[f.offset : f.end_offset] == f.text
        assert "burn&shy;out&shy;klachten" in f.text and f.sentence.endswith(" burnoutklachten.")


def test_a_br_then_a_line_break_in_the_source_is_one_line_break():
    doc = parse("<p>Praktijk De Linde, Kerkstraat 4<br>\n   Wij stellen geen diagnoses.</p>")
    assert texts(doc) == ["Praktijk De Linde, Kerkstraat 4\nWij stellen geen diagnoses."]
    assert src_of(doc, "\n") == "<br>"
    assert src_of(doc, "Wij") == "Wij"
    # so the line before it ends a sentence, as any tagline line does
    from wellnesslint.engine import lint_text

    found = lint_text("<p>Voorgoed verlost van migraine<br>\nBestel vandaag, morgen in huis.</p>",
                      format="html", lang="nl")
    assert any(f.sentence == "Voorgoed verlost van migraine" for f in found)
