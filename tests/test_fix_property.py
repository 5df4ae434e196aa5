"""Property tests for fixes: nothing outside the fixed spans changes, and fixing is idempotent.

Documents are generated from dev-set and hand-written sentences (claims and harmless copy) in
Markdown, HTML and plain text, with inline markup around random word runs, LF or CRLF line breaks
and with or without a byte-order mark.
"""

from __future__ import annotations

import codecs
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellnesslint.engine import lint_text
from wellnesslint.fix import apply_suggestions, encode
from wellnesslint.source import read_source

from edits import assert_only_edits_changed

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "dev_sentences.jsonl"

_OWN = {
    "nl": [
        "Onze truffels genezen depressie.",
        "Microdosing heeft geen bijwerkingen.",
        "Werkt bij iedereen, gegarandeerd.",
        "Bouw je medicatie af zodra je begint.",
        "Wetenschappelijk bewezen werking",
        "Bezorging binnen twee werkdagen.",
        "Sommige mensen merken weinig verschil.",
        "Microdosing is geen wondermiddel, maar het geneest wel je burn-out.",
        "Truffels & thee: R&D in de keuken.",
    ],
    "en": [
        "Our truffles cure anxiety.",
        "Microdosing has no side effects whatsoever.",
        "Works for everyone, every single time.",
        "Ditch your antidepressants and let nature take over.",
        "Clinically Proven Formula",
        "Shipping within two working days.",
        "Some people notice little difference.",
        "It's not a quick fix, but it will heal your burnout.",
        "Tea & truffles: <fresh> from the farm.",
    ],
}


def _sentences() -> dict[str, list[str]]:
    out = {lang: list(items) for lang, items in _OWN.items()}
    if DEV.is_file():
        rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
        for row in rows[:160]:
            out[row["lang"]].append(row["text"])
    return out


SENTENCES = _sentences()


@st.composite
def inline(draw, sentence: str, fmt: str) -> str:
    """The sentence, maybe with one run of its words wrapped in inline markup."""
    words = sentence.split(" ")
    if fmt == "html":
        words = [html.escape(w, quote=False) for w in words]
    if fmt == "text" or len(words) < 2 or not draw(st.booleans()):
        return " ".join(words)
    i = draw(st.integers(0, len(words) - 1))
    j = draw(st.integers(i + 1, len(words)))
    if fmt == "markdown":
        left, right = draw(st.sampled_from([("**", "**"), ("*", "*"), ("_", "_"), ("[", "](/shop)"), ("<em>", "</em>")]))
    else:
        left, right = draw(st.sampled_from([("<strong>", "</strong>"), ("<em>", "</em>"), ('<a href="/x">', "</a>")]))
    words[i] = left + words[i]
    words[j - 1] = words[j - 1] + right
    return " ".join(words)


@st.composite
def documents(draw, fmt: str):
    lang = draw(st.sampled_from(["nl", "en"]))
    pool = SENTENCES[lang]
    n_blocks = draw(st.integers(1, 5))
    blocks = []
    for _ in range(n_blocks):
        sents = [draw(inline(draw(st.sampled_from(pool)), fmt)) for _ in range(draw(st.integers(1, 3)))]
        kind = draw(st.sampled_from(["p", "p", "h", "li", "quote"]))
        body = " ".join(sents)
        if fmt == "markdown":
            blocks.append({"p": body, "h": "## " + sents[0], "li": "- " + body, "quote": "> " + body}[kind])
        elif fmt == "html":
            blocks.append({"p": f"<p>{body}</p>", "h": f"<h2>{sents[0]}</h2>", "li": f"<ul><li>{body}</li></ul>",
                           "quote": f"<blockquote>{body}</blockquote>"}[kind])
        else:
            blocks.append(body if kind != "h" else sents[0])
    if fmt == "html":
        inner = "\n".join("    " + b for b in blocks)
        wrapper = draw(st.sampled_from(["main", "body", "none"]))
        if wrapper == "main":
            text = f"<html>\n<body>\n  <main>\n{inner}\n  </main>\n</body>\n</html>\n"
        elif wrapper == "body":
            text = f"<html>\n<body>\n{inner}\n</body>\n</html>\n"
        else:
            text = inner + "\n"
    else:
        text = "\n\n".join(blocks) + draw(st.sampled_from(["\n", "", "\n\n"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", codecs.BOM_UTF8]))
    return lang, bom + text.replace("\n", newline).encode("utf-8")


def fix_bytes(data: bytes, fmt: str, lang: str):
    src = read_source(data)
    found = lint_text(src.text, format=fmt, lang=lang)
    new, result = apply_suggestions(src.text, found)
    return src, new, result, encode(new, src)


def check_outside_unchanged(data: bytes, fmt: str, lang: str) -> bytes:
    src, new, result, out = fix_bytes(data, fmt, lang)
    assert out.startswith(src.bom)
    # every character between the applied edits is the original's
    assert_only_edits_changed(src.text, new, sorted(result.applied, key=lambda e: (e.start, e.end)))
    if src.newline == "\r\n":  # inserted line breaks follow the file
        assert all(e.text.count("\n") == e.text.count("\r\n") for e in result.applied)
    assert out == src.bom + encode(new, src)[len(src.bom) :]
    return out


class _Balance(HTMLParser):
    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.ok = False


def html_balanced(text: str) -> bool:
    p = _Balance()
    p.feed(text)
    p.close()
    return p.ok and not p.stack


def markdown_balanced(text: str) -> bool:
    """Per block: as many [ as ], and an even number of * and of _ (the generator pairs them)."""
    blocks = re.split(r"(?:\r?\n){2,}", text)
    return all(b.count("[") == b.count("]") and b.count("*") % 2 == 0 and b.count("_") % 2 == 0 for b in blocks)


SETTINGS = settings(max_examples=35, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(documents("markdown"))
def test_markdown_fixes_touch_only_their_spans_and_are_idempotent(doc):
    lang, data = doc
    once = check_outside_unchanged(data, "markdown", lang)
    twice = fix_bytes(once, "markdown", lang)[3]
    assert twice == once
    before = read_source(data).text
    if markdown_balanced(before):
        assert markdown_balanced(read_source(once).text)


@SETTINGS
@given(documents("html"))
def test_html_fixes_touch_only_their_spans_and_are_idempotent(doc):
    lang, data = doc
    once = check_outside_unchanged(data, "html", lang)
    twice = fix_bytes(once, "html", lang)[3]
    assert twice == once
    if html_balanced(read_source(data).text):
        assert html_balanced(read_source(once).text)  # the page stays well-formed


@SETTINGS
@given(documents("text"))
def test_text_fixes_touch_only_their_spans_and_are_idempotent(doc):
    lang, data = doc
    once = check_outside_unchanged(data, "text", lang)
    twice = fix_bytes(once, "text", lang)[3]
    assert twice == once
