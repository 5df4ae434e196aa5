"""The later sets of whole realistic pages (tests/data/pages2, pages3, pages4), kept as floors.

Each was written blind for a quality round (before its writer read the rules or the code) and
measured once before any fix; the rules were then fixed on its errors by class of phrasing, so
the pages are no longer an unseen measure. The floors sit just under what the linter reached
after the fixes. Each set's README has its figures:

| set | round | claims caught, extra: before -> after | element verdicts, compliant calls: before -> after |
|---|---|---|---|
| pages2 | 3 | 40/51, 6 -> 51/51, 1 | 29/30, 6/6 -> 30/30, 6/6 |
| pages3 | 4 | 20/24, 1 -> 24/24, 0 | 19/20, 3/4 -> 20/20, 4/4 |
| pages4 | 5 | 19/21, 4 -> 20/21, 1 | 20/20, 4/4 -> 20/20, 4/4 |

Pages of a set that are not about psilocybin must get no finding of its five safety elements.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_pages import score_pages

DATA = Path(__file__).parent / "data"
# set -> (claims caught at least, extra claim findings at most)
CLAIM_FLOORS = {"pages2": (49, 2), "pages3": (23, 1), "pages4": (19, 2)}


@pytest.fixture(scope="module", params=sorted(CLAIM_FLOORS))
def scored(request):
    return request.param, score_pages(DATA / request.param)


def test_claims_floor(scored):
    name, got = scored
    caught, extra = CLAIM_FLOORS[name]
    assert got["caught"] >= caught, (name, got)
    assert got["extra"] <= extra, (name, got)


def test_elements_floor(scored):
    name, got = scored
    assert got["right"] >= got["total"] - 1, (name, got)
    assert got["compliant_right"] == got["pages"], (name, got)
    assert got["off_topic"] == 0, (name, got)
