"""The cheap check for a disclaimer paragraph inserted into an HTML page decides as the full one.

``rewrite._html_reads_well`` resumes the HTML walker from the state it recorded at a closing
main/body/html tag (or at the end of the input) and reads only the short snippet around the
insertion; whenever it says yes, the full ``rewrite._reads_well`` (a parse of the whole new page)
must say yes too, else a suggestion would change. Pages are generated from paragraphs, nested
and repeated main/body/html, unclosed comments, scripts, textareas, titles and code, broken and
unfinished tags (an unclosed quoted attribute at the very end too), bogus comments, CDATA in svg,
hidden elements (nav, footer, template), images with alt text and line breaks, indented or not,
with LF, CRLF or CR line breaks.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellnesslint import rewrite
from wellnesslint.documents import load_document

WORDS = ["Truffels", "genezen", "depressie", "Our", "tea", "cures", "anxiety", "&amp;", "&lt;", "a < b",
         "<b>bold</b>", "<em>", "</em>", "<span>", "</span>", "<br>", "<br><br>", "</br>", "x<3",
         "<img alt='an image'>", "<a href=\"/x\">link</a>", "Microdosing", "-->", "</", "<"]

PARAGRAPH = "Microdosing is no treatment for anxiety & depression; talk to your doctor first."
WRAPPER = '<aside class="disclaimer"><p>{text}</p></aside>'
EXAMPLES = int(os.environ.get("WELLNESSLINT_PROPERTY_EXAMPLES", "400"))  # more for a longer local run


@st.composite
def sentence(draw) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5)))


CLOSERS = ["</main>", "</body>", "</html>", "</main >", "</MAIN>", "</body\n>", "</main", "</html x>"]


@st.composite
def part(draw) -> str:
    s = draw(sentence())
    kind = draw(st.sampled_from([
        "p", "p_open", "div", "text", "heading", "list", "main", "main_open", "body", "html_lang",
        "closer", "comment", "open_comment", "bang_comment", "script", "open_script", "textarea",
        "open_textarea", "title", "open_title", "style", "code", "open_code", "pre", "nav", "footer",
        "template", "noscript", "svg", "open_svg", "cdata", "doctype", "bogus", "pi", "broken_tag",
        "open_attr", "img", "meta", "br", "table", "stray", "commented_closer", "closer_in_attr",
    ]))
    return {
        "p": f"<p>{s}</p>",
        "p_open": f"<p>{s}",
        "div": f"<div class=\"x\">\n  {s}\n</div>",
        "text": s,
        "heading": f"<h2>{s}</h2>",
        "list": f"<ul>\n<li>{s}\n<li>{s}</ul>",
        "main": f"<main>\n  <p>{s}</p>\n</main>",
        "main_open": "<main>",
        "body": f"<body>\n<p>{s}</p>",
        "html_lang": draw(st.sampled_from(["<html lang=\"nl\">", "<html lang=en>", "<html>"])),
        "closer": draw(st.sampled_from(CLOSERS)),
        "comment": f"<!-- {s} -->",
        "open_comment": f"<!-- {s}",
        "bang_comment": f"<!-- {s} --!>",
        "script": f"<script>var x = '</main>';</script>",
        "open_script": f"<script>{s}",
        "textarea": f"<textarea>{s}</textarea>",
        "open_textarea": f"<textarea>{s}",
        "title": f"<title>{s}</title>",
        "open_title": f"<title>{s}",
        "style": "<style>p { color: red }</style>",
        "code": f"<code>{s}</code>",
        "open_code": f"<code>{s}",
        "pre": f"<pre>{s}\n</pre>",
        "nav": f"<nav><a href=/>{s}</a></nav>",
        "footer": f"<footer>{s}</footer>",
        "template": f"<template><p>{s}</p></template>",
        "noscript": f"<noscript>{s}</noscript>",
        "svg": f"<svg><text>{s}</text><path/></svg>",
        "open_svg": f"<svg><text>{s}",
        "cdata": f"<svg><![CDATA[ {s} </main> ]]></svg>",
        "doctype": "<!DOCTYPE html>",
        "bogus": f"</ {s}>",
        "pi": "<?xml version=\"1.0\"?>",
        "broken_tag": f"<p {s}",
        "open_attr": f"<a title=\"{s}",
        "img": f"<img src=x.png alt=\"{s}\">",
        "meta": f"<meta name=\"description\" content=\"{s}\">",
        "br": f"{s}<br>",
        "table": f"<table><tr><td>{s}<td>{s}</table>",
        "stray": "<",
        "commented_closer": "<!-- </main> -->",
        "closer_in_attr": "<a title=\"</main>\">x</a>",
    }[kind]


@st.composite
def parts(draw, min_size: int = 1) -> str:
    items = draw(st.lists(part(), min_size=min_size, max_size=6))
    seps = [draw(st.sampled_from(["", "\n", "\n  ", "\n\t", "\n\n", " "])) for _ in items]
    return "".join(sep + p for sep, p in zip(seps, items))


@st.composite
def page(draw) -> str:
    text = draw(parts())
    if draw(st.booleans()):  # the usual frame, with something after main (a footer, a script) or not
        after = draw(parts(min_size=0))
        text = f"<!DOCTYPE html>\n<html>\n<body>\n<main>\n{text}\n</main>{after}\n</body>\n</html>"
    text += draw(st.sampled_from(["", "\n", "\n\n", "  ", " \t", "</", "<", "\n</main>", "</body>\n"]))
    nl = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return text.replace("\n", nl) if nl != "\n" else text


def _blocks(source: str, paragraph: str = PARAGRAPH):
    doc = load_document(source, "html")
    nl = rewrite._newline(source)
    block = WRAPPER.replace("{text}", rewrite.encode(paragraph, "html"))
    return doc, list(rewrite._insertions(doc, block, nl))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page())
def test_html_check_agrees_with_the_full_check(source):
    doc, insertions = _blocks(source)
    for pos, insert in insertions:
        if rewrite._html_reads_well(doc, pos, insert, PARAGRAPH):
            assert rewrite._reads_well(doc, pos, insert, PARAGRAPH), (source, pos, insert)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page(), st.sampled_from(["<p>{text}</p>", "{text}", "<div><span>{text}</span></div>", "<code>{text}</code>",
                                "<p>{text}</p></main>", "<!-- -->{text}", "<p>{text}</p><p>more</p>", "<br>{text}",
                                "<code>{text}", "<title>{text}", "<p title=\"{text}", "<svg>{text}"]))
def test_html_check_agrees_with_the_full_check_for_any_wrapper(source, wrapper):
    doc = load_document(source, "html")
    nl = rewrite._newline(source)
    block = wrapper.replace("{text}", rewrite.encode(PARAGRAPH, "html"))
    for pos, insert in rewrite._insertions(doc, block, nl):
        if rewrite._html_reads_well(doc, pos, insert, PARAGRAPH):
            assert rewrite._reads_well(doc, pos, insert, PARAGRAPH), (source, pos, insert)


def test_html_check_takes_a_plain_page():
    for source in ("<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n  <main>\n    <p>Our tea.</p>\n  </main>\n</body>\n</html>\n",
                   "<html><body><main><p>Our tea.</p></main><footer>Shop</footer></body></html>",
                   "<p>Our tea.</p>\n", "<main>Our tea.</main>\r\n"):
        doc, insertions = _blocks(source)
        assert insertions
        for pos, insert in insertions:
            if pos == len(source) and not source[-1].isspace():
                # the last tag may have run to the end of the input (a comment without "-->"
                # would): the state recorded there cannot tell, so the full check decides
                assert not rewrite._html_reads_well(doc, pos, insert, PARAGRAPH)
                continue
            assert rewrite._html_reads_well(doc, pos, insert, PARAGRAPH), (source, pos)
            assert rewrite._reads_well(doc, pos, insert, PARAGRAPH)


def test_html_check_refuses_what_would_hide_or_change_the_paragraph():
    for source in ("<p>Our tea.</p>\n<!-- note\n</main>", "<p>Our tea.</p><script>\n</body>\n",
                   "<main><textarea>\n</main>", "<p>Our tea.</p><!-- unclosed",
                   "<p>Our tea.</p><a title=\"x", "<p>Our tea.</p><p", "<main><code>x\n</main></code>",
                   "<p>Our tea.</p><title>x", "<main><p>Our tea.</p>\n</main\n"):
        doc, insertions = _blocks(source)
        for pos, insert in insertions:
            if not rewrite._reads_well(doc, pos, insert, PARAGRAPH):
                assert not rewrite._html_reads_well(doc, pos, insert, PARAGRAPH), (source, pos)


def test_html_check_leaves_an_open_block_to_the_full_check():
    # "Our tea" is still open when </main> comes: the snippet alone cannot show its whole text
    source = "<main><span>Our tea.</span>\n</main>"
    doc, insertions = _blocks(source)
    pos, insert = insertions[0]
    assert not rewrite._html_reads_well(doc, pos, insert, PARAGRAPH)
