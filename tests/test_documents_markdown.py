"""The Markdown adapter: rendered prose, blocks, front matter and exact source positions."""

from __future__ import annotations

import os

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
    """A marker without a definition is literal text (as a renderer shows it)."""
    assert texts(parse("Bewezen[^1].\n")) == ["Bewezen[^1]."]


def test_footnotes_read_as_rendered():
    """A footnote reference renders as a small number: it is no part of the sentence. Each
    definition is a block of its own, read where it is written (markdown-it moves them after
    the last block), and one nobody refers to is not shown at all."""
    source = ("Deze thee kalmeert[^rust], zeggen klanten.[^2]\n\n"
              "[^rust]: Eigen enquête, 2023.\n[^2]: Niet onderzocht.\n[^weg]: Ongebruikt.\n\n"
              "Tot slot.\n")
    doc = parse(source)
    assert texts(doc) == ["Deze thee kalmeert, zeggen klanten.", "Eigen enquête, 2023.",
                          "Niet onderzocht.", "Tot slot."]
    assert src_of(doc, "kalmeert, zeggen") == "kalmeert[^rust], zeggen"
    assert src_of(doc, "Niet onderzocht.") == "Niet onderzocht."
    assert src_of(doc, "Tot slot.") == "Tot slot."


def test_a_claim_with_a_footnote_is_found_at_its_source():
    from wellnesslint.engine import lint_text

    source = "# Kruiden\n\nOnze kruidenmix geneest[^a] je slapeloosheid.\n\n[^a]: Zie de bijsluiter.\n"
    found = [f for f in lint_text(source, format="markdown", lang="nl") if f.category == "cure_claim"]
    assert found and all(source[f.offset : f.end_offset] == f.text for f in found)
    assert all(f.sentence == "Onze kruidenmix geneest je slapeloosheid." for f in found)


def test_template_tags_are_not_prose():
    """Hugo shortcodes, Liquid/Jinja tags and output, kramdown attribute lists and MDX import
    lines are replaced by the site generator: a line of them is a block boundary, one inside a
    line reads as nothing, and a link whose target is a tag stays a link."""
    source = (
        "---\ntitle: \"{{ site.title }} ademwerk\"\n---\n"
        "import Box from '../components/Box.astro';\n\n"
        "{{< notice warning >}}\nAdemwerk is geen therapie.\n{{< /notice >}}\n"
        "Kom langs {{% badge %}}op donderdag{{% /badge %}} in de studio.\n"
        "{: .lead }\n\n"
        "## Aanmelden {#aanmelden}\n\n"
        "- [Plan een sessie]({{ site.baseurl }}/agenda/){: .btn }\n"
        "- Nog {{ page.plekken }} plekken vrij\n\n"
        "{% raw %}Schrijf {{ naam }} zo.{% endraw %}\n"
    )
    doc = parse(source)
    assert texts(doc) == ["{{ site.title }} ademwerk", "Ademwerk is geen therapie.",
                          "Kom langs op donderdag in de studio.", "Aanmelden ", "Plan een sessie",
                          "Nog  plekken vrij", "Schrijf {{ naam }} zo."]
    assert src_of(doc, "langs op donderdag in") == "langs {{% badge %}}op donderdag{{% /badge %}} in"
    assert src_of(doc, "Plan een sessie") == "Plan een sessie"
    assert src_of(doc, "vrij") == "vrij"


def test_a_claim_between_template_tags_is_found_at_its_source():
    from wellnesslint.engine import lint_text

    source = ("{% include header.html %}\n{{< callout >}}\n"
              "Met onze {{< product-link \"olie\" >}} ben je **binnen een week** van je migraine af.\n"
              "{{< /callout >}}\n")
    found = [f for f in lint_text(source, format="markdown", lang="nl") if f.category == "cure_claim"]
    assert found
    for f in found:
        assert source[f.offset : f.end_offset] == f.text
        assert f.sentence == "Met onze ben je binnen een week van je migraine af."


def test_br_then_a_line_end_is_one_line_break():
    doc = parse("Kerkstraat 4<br>\nWij stellen geen diagnoses.\n")
    assert texts(doc) == ["Kerkstraat 4\nWij stellen geen diagnoses."]
    assert src_of(doc, "\n") == "<br>"


def test_soft_hyphens_and_zero_width_spaces_read_as_nothing():
    doc = parse("Geen wonder&shy;middel tegen angst\u00adklachten of slaap\u200bproblemen.\n")
    assert texts(doc) == ["Geen wondermiddel tegen angstklachten of slaapproblemen."]
    assert src_of(doc, "wondermiddel") == "wonder&shy;middel"
    assert src_of(doc, "angstklachten") == "angst\u00adklachten"


def test_load_document_dispatch():
    doc = load_document("*x*", "markdown")
    assert doc.format == "markdown" and texts(doc) == ["x"]


def test_pathological_inputs_do_not_raise():
    for source in ["> " * 10_000 + "x", "[" * 10_000, "*" * 10_000 + "a", "`" * 5_000,
                   "<div>" * 10_000, "- " * 5_000 + "x", "&" * 10_000, "\r" * 1000]:
        parse(source)


# --- positions from the parser's source maps (byte offsets, checked against the source) ---------


import html as _html  # noqa: E402
import os  # noqa: E402
import re as _re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import wellnesslint.documents.markdown as _md  # noqa: E402


def words_read_as_written(doc):
    """Every word of every block maps back to the same word in the source (an entity to the
    word it stands for)."""
    for b in doc.blocks:
        for m in _re.finditer(r"\w+", doc.text[b.start : b.end]):
            s, e = doc.source_span(b.start + m.start(), b.start + m.end())
            assert _html.unescape(doc.source[s:e]) == m.group(), (m.group(), doc.source[s:e])


def test_non_ascii_before_markup_keeps_positions():
    """The parser counts UTF-8 bytes: two- to four-byte characters before markup must not shift
    what follows (in a heading, a paragraph, link text, an alt text, a table cell)."""
    source = ("# Één café 😀 *geneest*\n\nNaïef — “zó” **geneest** [de studie 🍄](https://x.nl/é) "
              "en ![Thee é 😀 *kruid*](t.png) &eacute; klaar.\n\n| ß | 😀 **vet** |\n|---|---|\n"
              "| ü | é [x](u) y |\n")
    doc = parse(source)
    assert texts(doc) == ["Één café 😀 geneest", "Naïef — “zó” geneest de studie 🍄 en  é klaar.",
                          "Thee é 😀 kruid", "ß", "😀 vet", "ü", "é x y"]
    words_read_as_written(doc)
    assert src_of(doc, "é klaar") == "&eacute; klaar"
    assert src_of(doc, "studie 🍄") == "studie 🍄"


def test_non_ascii_runs_and_byte_offsets():
    """The table of non-ASCII runs gives every character's byte offset, both ways."""
    for text in ["", "abc", "é", "aé b😀c€\u0301", "😀" * 5 + "x" + "ß" * 3, "x\udc80y"]:
        runs = [m.span() for m in _re.finditer(r"[^\x00-\x7f]+", text)]
        assert _md._non_ascii_runs(text) == runs
        offsets = _md._CharOffsets(text)
        for c in range(len(text) + 1):
            b = len(text[:c].encode("utf-8", "surrogatepass"))
            assert offsets(b) == c and offsets.byte(c) == b


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
def test_line_breaks_keep_the_source_terminator(eol):
    source = eol.join(["Onze thee", "geneest  ", "alles\\", "*echt* niet", "", "> quote", "> twee", ""])
    doc = parse(source)
    assert texts(doc) == [eol.join(["Onze thee", "geneest", "alles", "echt niet"]), "quote" + eol + "twee"]
    words_read_as_written(doc)
    start = doc.text.index("niet")
    s, _ = doc.source_span(start, start + 4)
    assert doc.lines.position(s) == (4, 8)


def test_table_cells_with_escaped_pipes_and_markup():
    source = "| a \\| b | *c* \\| [d](u) \\| e |\n|---|---|\n| \\|f\\| | g |\n"
    doc = parse(source)
    assert texts(doc) == ["a | b", "c | d | e", "|f|", "g"]
    words_read_as_written(doc)
    assert src_of(doc, "a | b") == "a \\| b"
    assert src_of(doc, "|f|") == "|f\\|"  # the first backslash is before the prose


@pytest.mark.parametrize("marker, indent", [(">\t", ">\t"), ("-\t", "    "), ("1.\t", "    "),
                                           ("> -\t", ">   "), (">\t>\t", ">\t>\t")])
def test_a_tab_after_a_container_marker(marker, indent):
    """A tab that a container marker consumes in part shifts markdown-it.rs's source maps of the
    whole line: the words must still be found where they are written."""
    source = f"{marker}Onze *truffels* `x` [genezen](u) &amp; depressie\\\n{indent}en **angst**  \n{indent}ook é\n"
    doc = parse(source)
    assert texts(doc)[0].split() == ["Onze", "truffels", "genezen", "&", "depressie", "en", "angst", "ook", "é"]
    words_read_as_written(doc)


def test_an_unmatched_backtick_after_a_bracket(capfd):
    """markdown-it.rs panics on a backtick run it scans twice (after a "["): the page is parsed
    with such runs as the literal text they are, and nothing reaches stderr."""
    source = "[don`t](https://x.nl) geneest.\n\n[a `b` c `d\n\n`e` [f](u) ``g\n"
    with pytest.raises(BaseException, match="index out of bounds"):
        _md._MD.tree("[`")  # (the panic, should markdown-it.rs ever fix it: drop the workaround)
    capfd.readouterr()
    doc = parse(source)
    assert texts(doc) == ["don`t geneest.", "[a  c `d", " f ``g"]
    words_read_as_written(doc)
    assert capfd.readouterr().err == ""
    # runs that pair across blocks hide the lone one: then every run is read as text
    doc = parse("- `a [b\n- c`\n")
    assert texts(doc) == ["`a [b", "c`"]
    assert capfd.readouterr().err == ""


def test_the_panic_workaround_leaves_stderr_alone_across_threads():
    """The language server and the review server lint in threads: pages that make markdown-it.rs
    panic, parsed in several threads at once, must leave file descriptor 2 where it was."""
    import threading

    before = os.fstat(2)
    source = "[don`t](https://x.nl) geneest.\n\n[a `b` c `d\n"
    failures = []

    def work():
        try:
            for _ in range(40):
                assert texts(parse(source))[0] == "don`t geneest."
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    after = os.fstat(2)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)


def test_nul_and_lone_surrogates():
    doc = parse("a\x00b *c*\n\n<p>d\x00</p>\n\n\\\x00 e\n")
    assert texts(doc) == ["a\ufffdb c", "d\ufffd", "\\\ufffd e"]
    assert src_of(doc, "\ufffd") == "\x00"
    doc = parse("x\ud800 **geneest**\n")
    assert texts(doc) == ["x\ud800 geneest"]
    words_read_as_written(doc)


def test_block_edges_are_stripped_of_unicode_spaces():
    """markdown-it-py stripped a block's content with str.strip; the same block texts result."""
    doc = parse("\u00a0\u2003Onze thee geneest.\u00a0\n\n- \u3000een\u00a0\n\n# Kop\u2003\n\n\u00a0\\\nna\n")
    assert texts(doc) == ["Onze thee geneest.", "een", "Kop", "\nna"]
    words_read_as_written(doc)


def test_raw_html_in_a_container_keeps_its_white_space():
    doc = parse(">\t<p>geneest\n>\t\tdepressie</p>\n\n- <div>\n\t*niet*\n  </div>\n")
    assert texts(doc) == ["geneest\n\t\tdepressie", "*niet*\n"]
    words_read_as_written(doc)


def test_a_marker_alone_continues_a_paragraph():
    """CommonMark: an empty list item, or an ordered one not starting at 1, cannot interrupt a
    paragraph; the line is paragraph text (markdown-it-py started a list there)."""
    assert texts(parse("> Onze thee\n- \n")) == ["Onze thee\n-"]
    assert texts(parse("Onze thee\n2) geneest\n")) == ["Onze thee\n2) geneest"]


def test_the_tail_is_where_the_last_top_level_block_starts():
    source = "---\ntitle: x\n---\n\nEen.\n\n> Twee\n> drie\n\n[r]: /u\n"
    assert parse(source).meta["tail"] == source.index("> Twee")
    assert parse("Één 😀\n\n  - é\n").meta["tail"] == len("Één 😀\n\n")


def test_quadratic_shapes_are_planned_around():
    """What markdown-it.rs would need minutes for is found by counting characters first."""
    deep = ("> " * 70 + "Onze truffels.\n") * 1000
    with pytest.raises(_md._TooDeep):
        _md._Converter(deep)._plan()
    _md._Converter(("* " * 70 + "\n") * 1000)._plan()  # thematic breaks: not too deep
    assert _md._Converter("*a* " * 20_000)._plan() == frozenset(("emphasis",))
    assert _md._Converter("*a*\n\n" * 20_000)._plan() == frozenset()  # paragraphs of their own
    refs = "".join(f"[r{i}]: /u{i}\n" for i in range(7000))
    assert _md._Converter(refs)._plan() == frozenset(("reference",))
    assert _md._Converter(refs.replace("\n", "\n\n"))._plan() == frozenset()
    page = parse("Onze *truffels* genezen.\n\n" + "*a* " * 20_000)
    assert texts(page)[0] == "Onze *truffels* genezen."  # read without emphasis: markers stay


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["geneest", "é", "😀", "ß", "*zacht*", "**vet**", "[link](u)", "![alt é](a)", "`c`",
                     "&amp;", "\\*", "<b>", "<br>", "\x00", "\u00a0", "|", "\\|", "[", "`", "_x_"]),
    st.sampled_from(["", " ", " ", "\n", "\r\n", "\r", "  \n", "\\\n", "\n>\t", "\n> ", "\n-\t", "\n- ",
                     "\n\t", "\n\n", "\n| ", "\n1.\t"])), max_size=25),
    st.sampled_from(["", ">\t", "-\t", "> ", "| a | b |\n|---|---|\n| ", "# "]))
def test_every_piece_is_where_it_is_written(parts, prefix):
    """Verbatim prose reads as the source there, and within a block the prose moves forward
    through the source (nothing is taken from a link's URL or a code span)."""
    source = prefix + "".join(p + s for p, s in parts)
    doc = parse(source)
    m = doc.offsets
    for p, s, length, src_end in zip(m._prose, m._src, m._len, m._src_end):
        if src_end == -1:
            assert doc.source[s : s + length] == doc.text[p : p + length]
    for b in doc.blocks:
        if b.kind == "alt":
            continue
        starts = [m.src_start(i) for i in range(b.start, b.end)]
        assert starts == sorted(starts), (source, doc.text[b.start : b.end])


# deep nesting and quadratic shapes, in a child process: a crash (a C stack overflow when a deep
# tree is freed) must not take the test run down, and each shape has a deadline. A thread with
# a small stack stands for the worst case (a thread pool, a platform with small thread stacks).
HOSTILE = textwrap.dedent(
    r"""
    import sys, threading, time
    from wellnesslint.documents.markdown import parse

    N = 100_000
    CLAIM = "Onze truffels genezen depressie."
    SHAPES = {
        "quotes": ">" * N + " " + CLAIM,
        "quotes with spaces": "> " * N + CLAIM,
        "list markers": "- " * N + "x\n\n" + CLAIM,
        "list markers, short page": "- " * 30_000 + "x\n\n" + CLAIM,
        "ordered markers": "1. " * N + CLAIM,
        "quotes in lists": "- > " * 20_000 + CLAIM,
        "indented lists": "".join("  " * i + "- item\n" for i in range(2_000)) + "\n" + CLAIM,
        "brackets": "[" * N + CLAIM + "]" * N,
        "stars": "*" * N + CLAIM + "*" * N,
        "nested emphasis": "*a " * N + CLAIM + " a*" * N,
        "emphasis pairs": "*a* " * N + CLAIM,
        "emphasis pairs on lines": "*a*\n" * N + CLAIM,
        "less-than signs": "<" * N + CLAIM,
        "backticks": "x " + "`" * N + CLAIM,
        "bracket backticks": "[`" * N + CLAIM,
        "nested images": "![" * N + CLAIM + "](u)" * N,
        "images in links": "[![" * 30_000 + CLAIM + "](u)](v)" * 30_000,
        "reference definitions": "".join(f"[r{i}]: /u\n" for i in range(30_000)) + CLAIM,
        "tabs after quote markers": ">\t" * N + CLAIM,
        "divs": "<div>" * N + CLAIM,
    }

    def run():
        for name, source in SHAPES.items():
            print("start", name, flush=True)
            start = time.perf_counter()
            doc = parse(source)
            assert "genezen depressie" in doc.text, name
            print("done", name, round(time.perf_counter() - start, 3), flush=True)

    if sys.argv[1] == "thread":
        threading.stack_size(512 * 1024)
        t = threading.Thread(target=run)
        t.start()
        t.join()
    else:
        run()
    """
)


@pytest.mark.parametrize("where", ["main", "thread"])
def test_hostile_nesting_in_a_subprocess(where, tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(_md.__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [os.path.dirname(root),
                                                                     os.environ.get("PYTHONPATH")])))
    proc = subprocess.run([sys.executable, "-c", HOSTILE, where], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, (proc.returncode, proc.stdout[-500:], proc.stderr[-3000:])
    assert proc.stderr == ""
    times = {line.split(" ", 1)[1].rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
             for line in proc.stdout.splitlines() if line.startswith("done ")}
    assert len(times) == 20, proc.stdout
    slow = {name: t for name, t in times.items() if t > 10}
    assert not slow, slow


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


def test_where_a_long_page_is_cut_into_chunks(monkeypatch):
    """Cuts fall after a blank line before an unindented line, never inside front matter; a
    page with a reference definition, or front matter that may not close, is parsed whole."""
    monkeypatch.setattr(_md, "_CHUNKED", 0)
    monkeypatch.setattr(_md, "_CHUNK", 1)
    page = "---\ntitle: x\n\nlang: nl\n---\nEen.\n\nTwee.\n  \n- drie\n\n  vier\n"
    ends = _md._chunks(page)
    assert [page[e:][:6] for e in ends] == ["Twee.\n", "- drie", ""]
    assert _md._chunks("Een.\n\nZie [x][r].\n\n[r]: /u\n") is None
    assert _md._chunks("---\ntitle: x\n\nEen.\n\nTwee.\n") is None
    # a fence left open at a cut is parsed again with what follows: the code stays code
    doc = parse("Een.\n\n```\ngeneest\n\nniets\n```\n\nTwee, geneest.\n")
    assert texts(doc) == ["Een.", "Twee, geneest."]


_FM_KEY = st.sampled_from(["title", "description", "lang", "language", "tags", "seo", "author", "date"])
_FM_VALUE = st.sampled_from([
    " Onze thee", " 'Geneest: één'", ' "x \\u00e9 # y"', " Titel # commentaar", " >\n  Gevouwen\n\n  tekst",
    " |\n  a\n# c\n  b", " [a, b]", "\n  - a\n  - b", "\n  canonical: https://x.nl/\n  keywords: [a]",
    " &anker Anker", " *anker", " 2024-05-01", "", " nl-NL", " {a: 1}", " ja",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_FM_KEY, _FM_VALUE, st.sampled_from(["", "\n", "\n# noot"])), max_size=8))
def test_front_matter_read_from_its_keys_as_from_the_whole(items):
    """The keys read (title, description, lang, language) are parsed on their own lines; they
    read as they do in the whole front matter whenever that parses."""
    import yaml

    content = "\n".join(f"{k}:{v}{after}" for k, v, after in items) + "\n"
    try:
        whole = yaml.safe_load(content)
    except yaml.YAMLError:
        return  # invalid as a whole: the keys' own lines may still give the title
    cut = _md._front_matter_keys(content)
    if cut is None or not isinstance(whole, dict):
        return
    try:
        part = yaml.safe_load(cut) or {}
    except yaml.YAMLError:
        return  # an alias to another key's anchor: the markdown adapter parses the whole then
    read = ("title", "description", "lang", "language")
    assert {k: whole[k] for k in read if k in whole} == part


def test_html_element_marked_markdown_is_read_as_markdown():
    """kramdown renders the content of <div markdown="1"> as Markdown: no literal ** or link
    targets in the prose, positions on the words."""
    source = ('Welkom.\n\n<aside class="let-op" markdown="1">\n**Geen medicijn.** Lees [de folder](/folder.pdf)'
              ' voor je begint.\n\n<div>\nbinnen\n</div>\n</aside>\n\nTot ziens.\n')
    doc = parse(source)
    assert texts(doc)[:2] == ["Welkom.", "Geen medicijn. Lees de folder voor je begint."]
    assert texts(doc)[-1] == "Tot ziens."
    assert src_of(doc, "medicijn. Lees de") == "medicijn.** Lees [de"
    # without its end tag on a line of its own it stays an HTML block
    assert texts(parse('<div markdown="1">\n**x** y</div>\n')) == ["**x** y"]


def test_a_loop_between_table_rows_keeps_the_table():
    source = "| Olie | Prijs |\n|---|---|\n{% for p in site.data.olie %}\n| {{ p.naam }} | € 20 |\n{% endfor %}\n"
    doc = parse(source)
    assert blocks(doc) == [("table_cell", "Olie"), ("table_cell", "Prijs"), ("table_cell", "€ 20")]
