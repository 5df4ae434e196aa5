"""Property tests over hostile documents: the whole lint-and-fix path, from file bytes.

Documents are soups of fragments: claim sentences and harmless copy in Dutch or English, markup
of the format (well-formed, unbalanced and broken), entities (named, numeric, unknown, out of
range), stray Unicode, front matter, code, comments, list and quote markers; joined with a
random mix of LF, CRLF and CR line breaks and saved as UTF-8, UTF-8 with a BOM or UTF-16 with a
BOM. Each property runs 200 examples (``EXAMPLES``; ``WELLNESSLINT_PROPERTY_EXAMPLES`` raises it for
a longer run), whatever the format:

- linting never raises, and every finding's span lies inside the text and reads the flagged text
  (line and column agree with the offsets);
- linting is deterministic (two runs in one process agree; two processes with different hash
  seeds agree on a fixed set of pages);
- fixing (all suggestions, unsafe included, as ``--fix --unsafe-fixes``) twice equals fixing once
  (when a fix overlapped another and was left for the next run, as fix.py does: the runs converge);
- fixing changes no character outside the edited spans, and keeps the encoding and the BOM.

The atheris harness in ``fuzz/`` runs the same checks on inputs no generator thinks of.
"""

from __future__ import annotations

import codecs
import json
import os
import pathlib
import subprocess
import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import wellnesslint
from wellnesslint.engine import lint_text
from wellnesslint.fix import apply_suggestions, encode
from wellnesslint.models import LineIndex
from wellnesslint.source import read_source

from edits import assert_only_edits_changed

EXAMPLES = int(os.environ.get("WELLNESSLINT_PROPERTY_EXAMPLES", "200"))  # more for a longer local run
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PACKAGE_ROOT = pathlib.Path(wellnesslint.__file__).resolve().parent.parent

CLAIMS = {
    "nl": [
        "Onze truffels genezen depressie.",
        "Microdosing heeft geen bijwerkingen.",
        "Werkt bij iedereen, gegarandeerd!",
        "Stop met je antidepressiva, je hebt ze niet meer nodig.",
        "Wetenschappelijk bewezen werking",
        "Het is geen wondermiddel, maar het geneest wel je burn-out.",
        "Bijwerkingen? Die kent onze olie niet.",
        "Onze truffels helpen bij:",
        "100% veilig en natuurlijk.",
    ],
    "en": [
        "Our truffles cure anxiety.",
        "Microdosing has no side effects whatsoever.",
        "Clinically proven to work for everyone.",
        "Ditch your antidepressants and let nature take over.",
        "It's not a quick fix, but it will heal your burnout.",
        "Side effects? Our oil has none.",
        "Our truffles help with:",
    ],
}
COPY = {
    "nl": ["Bezorging binnen twee werkdagen.", "Sommige mensen merken weinig verschil.",
           "Lees de bijsluiter voor mogelijke bijwerkingen.", "Overleg eerst met je huisarts.",
           "Truffels & thee: R&D in de keuken.", "depressie", "angst"],
    "en": ["Shipping within two working days.", "Some people notice little difference.",
           "Talk to your doctor first.", "Tea & truffles: <fresh> from the farm.", "anxiety", "burnout"],
}
UNICODE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)

COMMON = [
    " ", " ", "  ", "\t", "\n", "\n\n", "\u00a0", "\u200b", "\ufeff", "\u202e", "é", "😀", "’", "“", "”",
    "&amp;", "&eacute;", "&#233;", "&#x1F600;", "&#0;", "&#99999999;", "&bogus;", "&amp", "&", "<", ">",
    ":", "?", "!", ".", "...", "…", "-", "—", "|", "\\", "*", "_", "`", "[", "]", "(", ")", "#",
]
MARKUP = {
    "markdown": [
        "# ", "## ", "- ", "* ", "1. ", "> ", ">> ", "    ", "**", "__", "*", "_", "~~", "`", "``", "```\n", "~~~\n",
        "[", "](https://example.com)", "![", "](x.png)", "[1]: https://example.com\n", "<b>", "</b>", "<em>",
        "</em>", "<div>\n", "</div>\n", "<!-- ", " -->", "<br>", "\\*", "\\", "| a | b |\n|---|---|\n| ",
        " | ", "---\n", "***\n", "===\n", "<https://example.com>", "---\ntitle: ", "\ndescription: '", "'\n---\n",
        "<!-- wellnesslint-disable-next-line WL101 -->\n", "<details><summary>", "</summary>",
    ],
    "html": [
        "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<i>", "</i>", "<em>", "</em>", "<strong>", "</strong>",
        "<br>", "<br/>", "</br>", "<li>", "<ul>", "</ul>", "<ol>", "<td>", "<tr>", "<table>", "</table>",
        "<h1>", "</h1>", "<h2>", "<blockquote>", "</blockquote>", "<span lang=\"en\">", "<span lang='nl'>",
        "</span>", "<a href=\"/x?a=1&amp;b=2\">", "</a>", "<img alt=\"", "\">", "<img alt='geneest' src=x>",
        "<meta name=\"description\" content=\"", "<title>", "</title>", "<script>", "</script>", "<style>",
        "</style>", "<code>", "</code>", "<pre>", "</pre>", "<svg>", "</svg>", "<!--", "-->", "<!-- x -->",
        "<!DOCTYPE html>", "<!DOCTYPE html [<!ENTITY x \"lol\">]>", "<![CDATA[", "]]>", "<?xml ?>",
        "<html lang=\"nl\">", "<html lang=\"en\">", "<body>", "</body>", "<main>", "</main>", "<",
        "</", "<p class=\"", "<textarea>", "</textarea>", "<noscript>", "<template>", "</template>",
    ],
    "text": ["- ", "• ", "1. ", "2) ", "\n\n", "\n", ":", "  ", "Let op:\n", "FAQ\n"],
}


@st.composite
def documents(draw, fmt: str | None = None):
    """(format, file bytes) of a hostile document."""
    fmt = fmt or draw(st.sampled_from(["markdown", "html", "text"]))
    # one language per page: a paragraph that mixes languages is judged in one of them, so a
    # rewrite can tip it over to the other (see the report of issue 7)
    lang = draw(st.sampled_from(["nl", "en"]))
    fragment = st.one_of(
        st.sampled_from(CLAIMS[lang]),
        st.sampled_from(CLAIMS[lang]),
        st.sampled_from(COPY[lang]),
        st.sampled_from(COMMON),
        st.sampled_from(MARKUP[fmt]),
        st.sampled_from(MARKUP[fmt]),
        UNICODE,
    )
    parts = draw(st.lists(fragment, max_size=40))
    text = ""
    for part in parts:
        text += part + draw(st.sampled_from(["", " ", " ", "\n", "\n\n"]))
    # a random mix of line breaks
    pieces = text.split("\n")
    breaks = draw(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=len(pieces), max_size=len(pieces)))
    text = "".join(p + b for p, b in zip(pieces, breaks))[: -len(breaks[-1])]
    bom, codec = draw(st.sampled_from([
        (b"", "utf-8"), (b"", "utf-8"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    ]))
    return fmt, bom + text.encode(codec)


def lint(data: bytes, fmt: str):
    src = read_source(data)
    return src, lint_text(src.text, format=fmt, lang="auto", path="page")


def fix(data: bytes, fmt: str):
    """What ``--fix --unsafe-fixes`` writes: (source, fixed text, result, fixed bytes)."""
    src, found = lint(data, fmt)
    new, result = apply_suggestions(src.text, found, unsafe=True)
    return src, new, result, encode(new, src)


@SETTINGS
@given(documents())
def test_linting_never_raises_and_every_span_reads_the_flagged_text(doc):
    fmt, data = doc
    src, found = lint(data, fmt)
    text = src.text
    lines = LineIndex(text)
    for f in found:
        assert 0 <= f.offset <= f.end_offset <= len(text), f
        assert text[f.offset : f.end_offset] == f.text, f
        assert lines.position(f.offset) == (f.line, f.column), f
        assert lines.position(f.end_offset) == (f.end_line, f.end_column), f
        if f.sentence_offset is not None:
            assert 0 <= f.sentence_offset <= f.sentence_end_offset <= len(text)


@SETTINGS
@given(documents())
def test_linting_is_deterministic(doc):
    fmt, data = doc
    first = [f.to_dict() for f in lint(data, fmt)[1]]
    second = [f.to_dict() for f in lint(data, fmt)[1]]
    assert first == second


@SETTINGS
@given(documents())
# found by this property: the disclaimer paragraph landed in an unclosed comment or textarea, or
# completed a broken tag before it (each run added another one); a rewrite after a question
# became its answer ("Bijwerkingen? Geen vervanging ...", a new claim)
@example(("html", b"Onze truffels genezen depressie.<!--"))
@example(("markdown", b"Onze truffels genezen depressie.\n\n<!--"))
@example(("html", b"<p>Onze truffels genezen depressie.<textarea>"))
@example(("html", b'<p>Onze truffels genezen depressie.</p><script>x="</body>"</script>'))
@example(("html", b'Onze truffels genezen depressie.<meta name="description" content="Onze truffels genezen depressie.'))
@example(("markdown", b"Wetenschappelijk bewezen werking\nBijwerkingen? Die kent onze olie niet.Stop met je "
                      b"antidepressiva, je hebt ze niet meer nodig.Onze truffels helpen bij:"))
@example(("markdown", b"Why spend years in therapy when a few truffles do the same job? Our truffles cure anxiety.\n"))
# a first line of a no-break space shifted the paragraph's positions (markdown-it strips it off the
# content), so the rewrite replaced the wrong characters
@example(("markdown", b"\xc2\xa0\nOnze truffels genezen depressie.Onze truffels genezen depressie."))
# a line break inside a sentence ("werking ?\nHet ...") split it in two when the rewriter checked
# what a narrow rewrite leaves, so the weaker claim left in it surfaced on the second run
@example(("markdown", b"Wetenschappelijk bewezen werking ?\nHet is geen wondermiddel, maar het geneest wel je burn-out."))
def test_fixing_twice_equals_fixing_once(doc):
    fmt, data = doc
    _, _, result, once = fix(data, fmt)
    if not result.skipped:
        assert fix(once, fmt)[3] == once
        return
    # fixes that overlap an applied one wait for the next run (fix.py); the runs still converge
    out = once
    for _ in range(6):
        again = fix(out, fmt)[3]
        if again == out:
            return
        out = again
    raise AssertionError("fixing does not converge")


@SETTINGS
@given(documents())
def test_fixing_changes_nothing_outside_the_fixed_spans(doc):
    fmt, data = doc
    src, new, result, out = fix(data, fmt)
    assert_only_edits_changed(src.text, new, result.applied)  # in source order, never overlapping
    again = read_source(out)
    assert (again.encoding, again.bom, again.text) == (src.encoding, src.bom, new)


def test_linting_does_not_depend_on_the_hash_seed(tmp_path):
    """Set and dict order must never leak into findings: two processes, two hash seeds."""
    pages = sorted((PACKAGE_ROOT / "fuzz" / "seeds").iterdir()) + sorted((PACKAGE_ROOT / "fixtures").rglob("*.*"))
    assert len(pages) >= 10
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
        proc = subprocess.run([sys.executable, "-m", "wellnesslint", "check", "--output-format", "json", "--jobs", "1",
                               *map(str, pages)], env=env, capture_output=True, timeout=120, cwd=tmp_path)
        assert proc.returncode in (1, 2), proc.stderr.decode()[-2000:]  # 2: a seed that is not text
        outputs.append((json.loads(proc.stdout), proc.stderr))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0]) > 20
