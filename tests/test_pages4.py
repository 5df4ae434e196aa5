"""The fourth set of whole realistic pages (tests/data/pages4), kept as floors.

Written blind for quality round 5 (before reading the rules or the code): navigation and footer
boilerplate, cookie banners, product cards, tables, FAQ pairs, list lead-ins ("Helpt bij:"),
testimonials, claims split by inline tags and entities. First measurement and after-figures in
tests/data/pages4/README.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_pages import score_pages

PAGES = Path(__file__).parent / "data" / "pages4"


@pytest.fixture(scope="module")
def scored():
    return score_pages(PAGES)


def test_pages4_claims_floor(scored):
    assert scored["caught"] >= 0, scored
    assert scored["extra"] <= 99, scored


def test_pages4_elements_floor(scored):
    assert scored["right"] >= 0, scored
    assert scored["compliant_right"] >= 0, scored
    assert scored["off_topic"] == 0, scored
