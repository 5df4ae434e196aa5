"""Property tests: every prose character maps back to the source text it came from.

Random documents are composed from fragments (words, Dutch accented words, emoji, entities,
inline and block markup, code, comments, LF and CRLF line ends; characters that render as nothing,
such as soft hyphens; in Markdown also footnotes and the tags of site generators). For every block, and for
random runs of whole words inside a block, the mapped source range - with markup removed and
entities decoded - must read the same as the prose (ignoring whitespace and markup
characters). Offsets must stay in bounds and move forward within a block, and parsing must
never raise, whatever the input.
"""

from __future__ import annotations

import html
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellnesslint.documents import html as html_adapter
from wellnesslint.documents import markdown as md_adapter
from wellnesslint.documents import text as text_adapter

SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

WORDS = ["geneest", "depressie", "één", "café", "naïef", "thee", "cures", "anxiety", "Zoë",
         "100%", "😀", "natuurlijk", "ß", "x"]
# characters that are markup in one format or another; compared texts drop them
MARKUP_CHARS = re.compile(r"[\s*_\[\]`#>|\\<-]+")

word = st.sampled_from(WORDS)
eol = st.sampled_from(["\n", "\r\n"])

# ------------------------------------------------------------------------------------------
# normalizing a source range the way a reader sees it
# ------------------------------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HIDDEN = re.compile(r"<(script|style|code|pre|title)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[A-Za-z/!][^>]*>")
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_LINK_TAIL = re.compile(r"\]\([^)]*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")  # its alt text is a block of its own
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# site-generator tags (the generator below writes none that a reader would take for another)
_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{:[^{}\n]*\}|import Box from '\./Box\.astro';")
_FOOTNOTE_REF = re.compile(r"\[\^n\](?!:)")  # the generator defines footnote "n" when it uses it


def _squash(text: str) -> str:
    return MARKUP_CHARS.sub("", text)


def read_html(src: str) -> str:
    src = _COMMENT.sub("", src)
    src = _HIDDEN.sub("", src)
    src = _TAG.sub("", src)
    return _squash(_INVISIBLE.sub("", html.unescape(src)))


def read_markdown(src: str) -> str:
    src = _TEMPLATE_TAG.sub("", src)
    src = _FOOTNOTE_REF.sub("", src)
    src = _CODE_SPAN.sub("", src)
    src = _IMAGE.sub("", src)
    src = _COMMENT.sub("", src)
    src = _HIDDEN.sub("", src)
    src = _LINK_TAIL.sub("", src)
    src = _TAG.sub("", src)
    return _squash(_INVISIBLE.sub("", html.unescape(src)))


def read_text(src: str) -> str:
    return _squash(_INVISIBLE.sub("", src))


READERS = {"html": read_html, "markdown": read_markdown, "text": read_text}

# ------------------------------------------------------------------------------------------
# the checks
# ------------------------------------------------------------------------------------------


def check_positions(doc, data) -> None:
    read = READERS[doc.format]
    n_src = len(doc.source)
    previous_end = 0
    for block in doc.blocks:
        assert previous_end <= block.start < block.end <= len(doc.text)
        previous_end = block.end
        last = -1
        for p in range(block.start, block.end):
            s = doc.offsets.src_start(p)
            e = doc.offsets.src_end(p)
            assert 0 <= s <= e <= n_src
            assert s >= last, "source offsets go backwards inside a block"
            last = s
        prose = doc.text[block.start : block.end]
        s, e = doc.source_span(block.start, block.end)
        assert read(doc.source[s:e]) == _squash(prose), (block, doc.source[s:e], prose)
        # random runs of whole words inside the block
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", prose)]
        if not words:
            continue
        for _ in range(3):
            i = data.draw(st.integers(0, len(words) - 1))
            j = data.draw(st.integers(i, len(words) - 1))
            ps, pe = block.start + words[i][0], block.start + words[j][1]
            s, e = doc.source_span(ps, pe)
            assert read(doc.source[s:e]) == _squash(doc.text[ps:pe]), (
                doc.source[s:e], doc.text[ps:pe])


# ------------------------------------------------------------------------------------------
# HTML documents
# ------------------------------------------------------------------------------------------

html_inline = st.one_of(
    word,
    word,
    word,
    st.sampled_from(["&amp;", "&eacute;", "&#233;", "&#xE9;", "&nbsp;", "&copy;", "&lt;",
                     "&gt;", "&quot;", "&amp ", "&copy2020", "&bogus;", "&#128512;", "a < b"]),
    st.sampled_from(["<b>", "</b>", "<em>", "</em>", '<span lang="en">', "</span>",
                     '<a href="/x?a=1&amp;b=2">', "</a>", "<strong>", "</strong>"]),
    st.sampled_from(["<br>", "<br/>", "<wbr>", "<!-- geneest -->", "<!---->", "<br>\n  ",
                     "<br/>\r\n"]),
    st.sampled_from(["angst&shy;stoornis", "slaap\u00adproblemen", "burn&#x200B;out", "x\u200b",
                     "&zwj;", "\ufeff"]),
    st.builds(lambda w: f"<code>{w}</code>", word),
    st.builds(lambda w: f'<img src="i.png" alt="{w} &amp; {w}">', word),
    st.just('<script>var s = "<p>geneest</p>";</script>'),
    st.just("<style>p { color: red }</style>"),
)
html_block_tag = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<li>", "<h2>", "</h2>",
                                  "<ul>", "</ul>", "<td>", "<blockquote>", "</blockquote>",
                                  "<pre>geneest</pre>", '<div lang="nl-NL">', "<hr>"])
html_piece = st.one_of(html_inline, html_inline, html_block_tag)
sep = st.sampled_from([" ", " ", "", "\n", "\r\n", "  "])


@st.composite
def html_documents(draw):
    parts = []
    if draw(st.booleans()):
        parts.append('<!DOCTYPE html><html lang="nl"><head><title>')
        parts.append(" ".join(draw(st.lists(word, min_size=1, max_size=3))))
        parts.append('</title><meta name="description" content="')
        parts.append(draw(st.sampled_from(["Geneest &amp; helpt", "één", "x"])))
        parts.append('"></head><body>')
    for piece in draw(st.lists(st.tuples(html_piece, sep), max_size=40)):
        parts.extend(piece)
    return "".join(parts)


@SETTINGS
@given(html_documents(), st.data())
def test_html_positions(source, data):
    doc = html_adapter.parse(source)
    check_positions(doc, data)


# ------------------------------------------------------------------------------------------
# Markdown documents
# ------------------------------------------------------------------------------------------

md_inline = st.one_of(
    word,
    word,
    word,
    st.sampled_from(["&amp;", "&eacute;", "&#233;", "&#xE9;", "&nbsp;", "&lt;b&gt;", "\\*",
                     "\\_", "AT&T"]),
    st.builds(lambda w: f"**{w}**", word),
    st.builds(lambda w: f"*{w}*", word),
    st.builds(lambda w: f"_{w}_", word),
    st.builds(lambda w: f"`{w}`", word),
    st.builds(lambda w: f"``a ` {w}``", word),
    st.builds(lambda w: f"[{w}](https://example.com/{w} \"{w}\")", word),
    st.builds(lambda w: f"![{w} *{w}*](img.png)", word),
    st.builds(lambda w: f"<b>{w}</b>", word),
    st.builds(lambda w: f"<code>{w}</code>", word),
    st.sampled_from(["<https://example.com>", "<!-- geneest -->", "<br>", "[^1]"]),
    st.sampled_from(["angst&shy;stoornis", "slaap\u00adproblemen", "x\u200b", "[^n]", "<br>\n",
                     "{{< ref \"x.md\" >}}", "{{ .Params.prijs }}", "{% if a %}", "{{% b %}}x{{% /b %}}",
                     "{: .lead}", "[w]({{ site.url }}/a)"]),
)


@st.composite
def md_line(draw):
    # a line opens with a word: "<b>" or "<!--" there would start an HTML block instead
    text = " ".join([draw(word)] + draw(st.lists(md_inline, max_size=7)))
    prefix = draw(st.sampled_from(["", "", "", "# ", "## ", "- ", "* ", "1. ", "> ", "> - ",
                                   "  "]))
    suffix = draw(st.sampled_from(["", "", "  ", " \\", "\u00a0"]))
    return prefix + text + suffix


md_block = st.one_of(
    md_line(),
    md_line(),
    md_line(),
    st.just(""),
    st.just("```\ngeneest *niet*\n```"),
    st.just("    indented code geneest"),
    st.just("| a | b \\| c |\n|---|---|\n| één | &amp; **x** |"),
    # an HTML block runs to the next blank line: keep blank lines around it
    st.just("\n<div>\n<p>geneest <b>depressie</b> &eacute;</p>\n</div>\n"),
    st.just("[ref]: https://example.com \"Titel\""),
    # a line of Unicode spaces only (no-break, em, ideographic): not blank for CommonMark, so
    # it belongs to the paragraph around it, but markdown-it strips it off a paragraph's edges
    st.sampled_from(["\u00a0", "\u2003\u00a0", "\u3000 ", "- \u00a0", "> \u00a0"]),
    # lines of site-generator tags only: blocks of their own
    st.sampled_from(["{{< notice warning >}}", "{{< /notice >}}", "{% include cta.html %}",
                     "> {{< quote >}}", "{: .lead }", "  {%- endfor -%}"]),
    # an element kramdown reads as Markdown
    st.just('\n<div class="box" markdown="1">\n**geneest** [x](/y) {{ a }}\n\n- één\n</div>\n'),
    st.just("import Box from './Box.astro';"),
)


@st.composite
def md_documents(draw, blocks=md_block, max_size=14,
                 front="---\ntitle: Kruiden & thee\ndescription: \"Geneest één\"\nlang: nl\n---\n",
                 eols=("\r\n",)):
    lines = draw(st.lists(blocks, max_size=max_size))
    body = "\n".join(lines)
    if "[^n]" in body:
        body += "\n\n[^n]: Noot &amp; geneest.\n"
    if draw(st.booleans()):
        body = front + body
    if draw(st.booleans()):
        body = body.replace("\n", draw(st.sampled_from(eols)))
    return body


@SETTINGS
@given(md_documents(), st.data())
def test_markdown_positions(source, data):
    doc = md_adapter.parse(source)
    check_positions(doc, data)


# blocks that read on over blank lines, or that a blank line splits in two
md_long_block = st.one_of(
    md_block,
    st.sampled_from(["```\ngeneest\n", "~~~~\n\ngeneest\n\n~~~~", "<pre>\ngeneest\n\n*x*\n</pre>",
                     "<!--\n\ngeneest -->", "<script>\nx\n\ny</script>", "- één\n\n- twee\n\n  drie",
                     "1. a\n\n   b", "> a\n\nb", "***", "Kop\n===", "<div>\n\nx</div>"]),
)


def md_long_documents():
    return md_documents(md_long_block, 20, "---\ntitle: Kruiden & thee\n\nlang: nl\n---\n", ("\r\n", "\r"))


def _as_read(doc):
    m = doc.offsets
    return (doc.text, [(b.start, b.end, b.kind, b.lang) for b in doc.blocks], m._prose, m._src,
            m._len, m._src_end, doc.meta.get("front_matter"), doc.lang)


@SETTINGS
@given(md_long_documents(), st.integers(1, 40))
def test_markdown_in_chunks_reads_as_whole(source, chunk):
    """A long page is parsed chunk by chunk (to bound the parser's memory): cut anywhere the
    cutting allows (here: every chunk as short as can be), it reads exactly as parsed whole."""
    saved = md_adapter._CHUNKED, md_adapter._CHUNK
    try:
        md_adapter._CHUNKED, md_adapter._CHUNK = 1 << 60, 1
        whole = _as_read(md_adapter.parse(source))
        md_adapter._CHUNKED, md_adapter._CHUNK = 0, chunk
        cut = md_adapter.parse(source)
    finally:
        md_adapter._CHUNKED, md_adapter._CHUNK = saved
    assert _as_read(cut) == whole


# ------------------------------------------------------------------------------------------
# plain text
# ------------------------------------------------------------------------------------------


@st.composite
def text_documents(draw):
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        bullet = draw(st.sampled_from(["", "", "- ", "1. ", "• "]))
        words = draw(st.lists(word, min_size=0, max_size=8))
        end = draw(st.sampled_from(["", ".", "!", ":"]))
        lines.append(bullet + " ".join(words) + end)
    return draw(eol).join(lines)


@SETTINGS
@given(text_documents(), st.data())
def test_text_positions(source, data):
    doc = text_adapter.parse(source)
    check_positions(doc, data)
    for block in doc.blocks:  # plain text is copied verbatim
        s, e = doc.source_span(block.start, block.end)
        assert doc.source[s:e] == doc.text[block.start : block.end]


# ------------------------------------------------------------------------------------------
# never raise
# ------------------------------------------------------------------------------------------

markupish = st.text(alphabet=st.sampled_from(list("<>/!-&#;=\"' \n\r\tab*_`[]()\\|:éx0")),
                    max_size=200)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), markupish))
def test_parse_never_raises(source):
    for adapter in (html_adapter, md_adapter, text_adapter):
        doc = adapter.parse(source)
        for block in doc.blocks:
            s, e = doc.source_span(block.start, block.end)
            assert 0 <= s <= e <= len(source)
