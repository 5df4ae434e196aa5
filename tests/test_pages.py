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
NOT_AFFIRMED = [
    ("nl", "markdown", "### Mag ik deze druppels gebruiken als ik bloedverdunners slik?\n\nJa, maar alleen na overleg met je apotheker."),
    ("nl", "markdown", "### Is het veilig?\n\nJa. Overleg wel eerst met je huisarts als je medicijnen gebruikt."),
    ("nl", "markdown", "### Kan ik de cursus ook online volgen?\n\nJa, via Zoom."),
    ("nl", "markdown", "### Is het niet gevaarlijk?\n\nJa, voor sommige mensen wel."),
    ("en", "markdown", "Q: Can I take the gummies while on sertraline?\nA: Yes, if your psychiatrist agrees."),
    ("en", "html", "<h3>Will the retreat help with my PTSD?</h3><p>It may, for some people, but we can't promise anything.</p>"),
    ("en", "html", "<details><summary>Can I bring my own yoga mat and blanket to the ceremony?</summary><p>Yes, please do.</p></details>"),
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
