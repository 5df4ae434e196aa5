"""Classes of phrasing found on the second set of realistic pages (tests/data/pages2); the pages'
floors are in tests/test_page_sets.py with those of the later sets."""

from __future__ import annotations

import pytest

from test_pages import CLAIM_CATEGORIES
from wellnesslint.engine import lint_text


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
