"""The second set of whole realistic pages (tests/data/pages2), kept as floors.

Written blind (before reading the rules or the code) and measured once before any fix: claims
40/51 caught, 6 extra claim findings, element verdicts 29/30, compliant calls 6/6 (see
tests/data/pages2/README.md). The rules were then fixed on their errors, so the pages are no
longer an unseen measure; the floors sit just under what the linter reached after the fixes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_pages import CLAIM_CATEGORIES, score_pages
from wellnesslint.engine import lint_text

PAGES = Path(__file__).parent / "data" / "pages2"


@pytest.fixture(scope="module")
def scored():
    return score_pages(PAGES)


def test_pages2_claims_floor(scored):
    # after this round's fixes: 50/51 caught, 1 extra (before: 40/51, 6 extra)
    assert scored["caught"] >= 49, scored
    assert scored["extra"] <= 2, scored


def test_pages2_elements_floor(scored):
    # after: 30/30 element verdicts, 6/6 compliant calls, no element findings on the four pages
    # that are not about psilocybin (before: 29/30, 6/6)
    assert scored["right"] >= scored["total"] - 1, scored
    assert scored["compliant_right"] == scored["pages"], scored
    assert scored["off_topic"] == 0, scored


@pytest.mark.parametrize("lang,text,category", [
    ("nl", "Migraine? Onze druppels zorgen ervoor dat je er geen last meer van hebt.", "cure_claim"),
    ("nl", "Wachtlijst bij de psycholoog? Begin vandaag nog zelf met microdoseren.", "discourages_treatment"),
])
def test_a_short_question_answered_in_its_own_block_is_judged_with_its_answer(lang, text, category):
    """The block gate sees the block as the judge reads it: the short question joined to the
    sentence that answers it, in the same paragraph."""
    found = [f.category for f in lint_text(text, lang=lang) if f.category in CLAIM_CATEGORIES]
    assert found == [category]


@pytest.mark.parametrize("lang,text", [
    ("nl", "Wachtlijst bij de psycholoog? Bel je huisarts, die kan je soms sneller doorverwijzen."),
    ("nl", "Migraine? Bespreek met je huisarts welke behandeling bij je past."),
])
def test_a_short_question_with_a_harmless_answer_stays_clean(lang, text):
    assert [f for f in lint_text(text, lang=lang) if f.category in CLAIM_CATEGORIES] == []
