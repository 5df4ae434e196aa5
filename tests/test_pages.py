"""Whole realistic pages (tests/data/pages) and claims in page context.

The pages were written blind (before reading the rules) to look like real sites: head, cookie
banners, navigation, product grids, reviews, FAQ accordions, tables and footers around the copy.
The floors sit just under what the linter reached after its fixes, so a change that loses claims,
adds false positives in boilerplate or breaks disclaimer verdicts on whole pages fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wellnesslint.engine import get_rulesets, lint_text

PAGES = Path(__file__).parent / "data" / "pages"
RULESETS = get_rulesets()

# A rule's match examples must also be found where they sit on a page: in a block after a heading
# without a full stop, as a paragraph's second sentence, and in HTML after other blocks.
_CONTEXTS = {
    "nl": ("## Onze aanpak\n\n{t}", "## Onze aanpak\n\nHallo daar. {t}", "<h2>Aanpak</h2>\n<p>Intro</p>\n<p>{t}</p>"),
    "en": ("## Our approach\n\n{t}", "## Our approach\n\nHello there. {t}", "<h2>Approach</h2>\n<p>Intro</p>\n<p>{t}</p>"),
}
CONTEXT_CASES = [
    pytest.param(lang, rule.id, rule.profile, text, id=f"{lang}-{rule.id}-{text[:40]}")
    for lang, rs in sorted(RULESETS.items())
    for rule in rs.rules
    for text in rule.examples_match
]


@pytest.mark.parametrize("lang,rule_id,profile,text", CONTEXT_CASES)
def test_match_examples_are_found_in_page_context(lang, rule_id, profile, text):
    for shape in _CONTEXTS[lang]:
        doc = shape.format(t=text)
        fmt = "html" if doc.startswith("<") else "markdown"
        claims = [f for f in lint_text(doc, format=fmt, lang=lang, profile=profile) if f.category != "missing_disclaimer"]
        assert claims, (rule_id, doc)


# A yes/no question in one block (a heading, a <summary>, a "Q:" line) of any length, answered with
# a plain yes in the next block or sentence: the yes asserts what the question asks.
AFFIRMED = [
    ("nl", "markdown", "### Mag ik deze druppels gebruiken als ik bloedverdunners slik?\n\nJa hoor, dat is geen probleem.", "safety_claim", "Ja hoor, dat is geen probleem"),
    ("nl", "html", "<details><summary>Is ademwerk veilig voor iedereen, ook met hartklachten?</summary><p>Zeker.</p></details>", "safety_claim", "Zeker"),
    ("nl", "markdown", "V: Kun je de thee combineren met je slaapmedicatie?\nA: Absoluut.", "safety_claim", "Absoluut"),
    ("en", "markdown", "Q: Can I take the gummies while on sertraline?\nA: Yes.", "safety_claim", "Yes"),
    ("en", "html", "<h3>Will the retreat help with my PTSD?</h3><p>It will.</p>", "cure_claim", "It will"),
    ("en", "html", "<h3>Is microdosing completely safe for beginners and regular users?</h3>\n<p>Absolutely. Thousands of people do it.</p>", "safety_claim", "Absolutely"),
]
AFFIRMED += [
    # a plain no to "is care or medication still needed?": the no says it is not
    ("nl", "markdown", "### Heb ik na de retraite nog een psycholoog nodig?\n\nNee hoor.", "discourages_treatment", "Nee hoor"),
    ("en", "html", "<details><summary>Do I still need my sleeping pills once I use the drops?</summary><p>Nope.</p></details>", "discourages_treatment", "Nope"),
]
NOT_AFFIRMED = [
    ("nl", "markdown", "### Mag ik deze druppels gebruiken als ik bloedverdunners slik?\n\nJa, maar alleen na overleg met je apotheker."),
    ("nl", "markdown", "### Is het veilig?\n\nJa. Overleg wel eerst met je huisarts als je medicijnen gebruikt."),
    ("nl", "markdown", "### Kan ik de cursus ook online volgen?\n\nJa, via Zoom."),
    ("nl", "markdown", "### Is het niet gevaarlijk?\n\nJa, voor sommige mensen wel."),
    ("en", "markdown", "Q: Can I take the gummies while on sertraline?\nA: Yes, if your psychiatrist agrees."),
    ("en", "html", "<h3>Will the retreat help with my PTSD?</h3><p>It may, for some people, but we can't promise anything.</p>"),
    ("en", "html", "<details><summary>Can I bring my own yoga mat and blanket to the ceremony?</summary><p>Yes, please do.</p></details>"),
    ("nl", "markdown", "### Moet ik stoppen met mijn antidepressiva?\n\nNee."),
    ("nl", "markdown", "### Heb ik na de retraite nog een psycholoog nodig?\n\nNee, tenzij je klachten houdt; bespreek dat met je huisarts."),
    ("en", "markdown", "Q: Is microdosing a miracle cure?\nA: No."),
    ("en", "markdown", "Q: Do I need to bring anything to the workshop?\nA: No."),
]


@pytest.mark.parametrize("lang,fmt,doc,category,words", AFFIRMED)
def test_a_plain_yes_makes_the_question_a_claim(lang, fmt, doc, category, words):
    claims = [f for f in lint_text(doc, format=fmt, lang=lang) if f.category != "missing_disclaimer"]
    assert [(f.category, f.text) for f in claims] == [(category, words)]


@pytest.mark.parametrize("lang,fmt,doc", NOT_AFFIRMED)
def test_a_limited_yes_or_a_harmless_question_is_no_claim(lang, fmt, doc):
    claims = [f for f in lint_text(doc, format=fmt, lang=lang) if f.category != "missing_disclaimer"]
    assert claims == []


def test_no_before_a_word_ends_its_sentence():
    """"No." is an abbreviation only before a number: an answer "No." ends its sentence, so its
    "no" neither negates the sentence after it nor hides a disclaimer there."""
    found = lint_text("Is it just a placebo? No. It cures panic attacks within a week.", format="markdown", lang="en")
    assert [f.category for f in found if f.category != "missing_disclaimer"] == ["cure_claim"]
    page = "# Psilocybin truffles\n\nQ: Can truffles replace my therapy?\nA: No. Truffles are not a substitute for medical treatment."
    missing = {f.element for f in lint_text(page, format="markdown", lang="en") if f.category == "missing_disclaimer"}
    assert "not_a_substitute" not in missing
    ranked = lint_text("The No. 1 choice for a calm mind.", format="markdown", lang="en")
    assert [f.text for f in ranked if f.category != "missing_disclaimer"] == ["No. 1"]


@pytest.mark.parametrize("lang,doc,kept", [
    ("en", "## Common misconceptions\n\n1. \"Truffles are completely safe.\" They are not.\n2. \"One dose fixes insomnia.\" It does not.\n\n## Our view\n\n\"One dose fixes insomnia.\"", ["fixes insomnia"]),
    ("nl", "## Feit of fabel?\n\n- \"Microdoseren is volkomen veilig.\" Fabel.\n- Onze truffels genezen angst.", ["genezen angst"]),
    ("nl", "## Ervaringen\n\n\"Mijn angststoornis is genezen.\"", ["angststoornis is genezen"]),
])
def test_quoted_slogans_under_a_myths_heading_are_quotations(lang, doc, kept):
    """Under a heading that announces myths, a claim in double quotes is quoted to be taken apart;
    unquoted claims there, and quoted ones elsewhere (reviews), are still the page's."""
    found = [f.text for f in lint_text(doc, format="markdown", lang=lang) if f.category != "missing_disclaimer"]
    assert found == kept


# --- the pages themselves --------------------------------------------------------------------

ELEMENTS = ("not_a_substitute", "contraindications_medication", "contraindications_mental_health",
            "contraindications_pregnancy", "consult_professional")
CLAIM_CATEGORIES = ("discourages_treatment", "cure_claim", "safety_claim", "evidence_claim", "absolute_claim")


def _norm(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "}))
    return " ".join(text.split()).strip(" \"'").lower()


def _pages(pages: Path = PAGES):
    return [json.loads(line) for line in (pages / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def _lint_page(name: str, pages: Path = PAGES):
    from wellnesslint.documents import format_for_path
    from wellnesslint.source import read_source

    path = pages / name
    return read_source(path).text, lint_text(read_source(path).text, format=format_for_path(path, "text"), lang="auto", path=str(path))


def score_pages(pages: Path) -> dict:
    """Claims caught, extra claim findings and element verdicts on the pages of a manifest (the
    dev_docs format, ``"psilocybin": false`` for a page whose elements are not scored)."""
    caught = missed = extra = right = total = compliant_right = scored_pages = off_topic = 0
    for row in _pages(pages):
        _, findings = _lint_page(row["file"], pages)
        flagged = [_norm(f.sentence) for f in findings if f.category in CLAIM_CATEGORIES and f.rule != "WL410"]
        used: set[int] = set()
        for claim in row["claims"]:
            gold = _norm(claim["text"])
            hit = next((i for i, fs in enumerate(flagged) if i not in used and (gold in fs or fs in gold)), None)
            if hit is None:
                missed += 1
            else:
                used.add(hit)
                caught += 1
        extra += len(flagged) - len(used)
        missing = {f.element for f in findings if f.category == "missing_disclaimer"} & set(ELEMENTS)
        if row.get("psilocybin", True) is False:
            off_topic += len(missing)
            continue
        scored_pages += 1
        present = set(row["elements_present"])
        for e in ELEMENTS:
            total += 1
            right += (e in present) == (e not in missing)
        compliant_right += (present >= set(ELEMENTS)) == (not missing)
    return dict(caught=caught, missed=missed, extra=extra, right=right, total=total,
                compliant_right=compliant_right, pages=scored_pages, off_topic=off_topic)


@pytest.fixture(scope="module")
def scored():
    return score_pages(PAGES)


def test_page_claims_floor(scored):
    # after the fixes of this round: 79/79 caught, 0 extra (before: 61/79, 8 extra)
    assert scored["caught"] >= 77, scored
    assert scored["extra"] <= 1, scored


def test_page_elements_floor(scored):
    # after: 70/70 element verdicts, 14/14 compliant calls, no element findings on the two pages
    # that are not about psilocybin (before: 69/70, 13/14)
    assert scored["right"] >= scored["total"] - 1, scored
    assert scored["compliant_right"] >= scored["pages"] - 1, scored
    assert scored["off_topic"] == 0, scored


def test_page_findings_point_at_their_words():
    """Every claim finding on the pages points at the flagged words in the source: its offsets
    hold its text, and its line and column are where that text starts."""
    for row in _pages():
        source, findings = _lint_page(row["file"])
        lines = source.split("\n")
        for f in findings:
            if f.category not in CLAIM_CATEGORIES:
                continue
            assert source[f.offset : f.end_offset] == f.text, (row["file"], f.rule, f.text)
            assert lines[f.line - 1][f.column - 1 :].startswith(f.text.split("\n")[0]), (row["file"], f.line, f.column, f.text)


def test_no_claim_pattern_anchors_at_the_text_start():
    """A bare '^' holds only at the start of the text a pattern is matched in: the block
    prefilter matches from a block's start inside the page, where it never holds, so such a
    pattern silently stopped working after the first block. Sentence-start rules say
    '(?:^|(?<=\\n)|(?<=[.!?:;…] )|...)' instead."""
    import re

    bare = re.compile(r"(?:^|\(\?:|[|(])\^")
    for lang, rs in RULESETS.items():
        for rule in rs.rules:
            for src in rule.matcher.sources():
                cleaned = src.replace("(?:^|(?<=", "")
                assert not bare.search(cleaned), (lang, rule.id, src[:80])
