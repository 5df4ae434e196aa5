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
