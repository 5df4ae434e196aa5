"""The later sets of whole realistic pages (tests/data/pages2 ... pages5), kept as floors.

Each was written blind for a quality round (before its writer read the rules or the code) and
measured once before any fix; the rules were then fixed on its errors by class of phrasing, so
the pages are no longer an unseen measure. The floors sit just under what the linter reached
after the fixes. Each set's README has its figures:

| set | round | claims caught, extra: before -> after | element verdicts, compliant calls: before -> after |
|---|---|---|---|
| pages2 | 3 | 40/51, 6 -> 51/51, 1 | 29/30, 6/6 -> 30/30, 6/6 |
| pages3 | 4 | 20/24, 1 -> 24/24, 0 | 19/20, 3/4 -> 20/20, 4/4 |
| pages4 | 5 | 19/21, 4 -> 20/21, 1 | 20/20, 4/4 -> 20/20, 4/4 |
| pages5 | 6 | 47/50, 5 -> 50/50, 1 | 27/30, 5/6 -> 30/30, 6/6 |

Pages of a set that are not about psilocybin must get no finding of its five safety elements,
but for the few a set allows (OFF_TOPIC): pages5's breathwork page names truffles once in passing
("Wie eerder met truffels ... heeft geëxperimenteerd, hoeft dat niet te vermelden"), which the
topic check cannot tell from a page about truffles (round 6: 3 such findings -> 1). pages5's one
extra claim finding left is the review title "Game changer" (its README).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from test_pages import CLAIM_CATEGORIES, _lint_page, _pages, score_pages

DATA = Path(__file__).parent / "data"
# set -> (claims caught at least, extra claim findings at most)
CLAIM_FLOORS = {"pages2": (49, 2), "pages3": (23, 1), "pages4": (19, 2), "pages5": (49, 2)}
# set -> missing-element findings allowed on its pages that are not about psilocybin
OFF_TOPIC = {"pages5": 1}


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
    assert got["off_topic"] <= OFF_TOPIC.get(name, 0), (name, got)


@pytest.mark.parametrize("name", sorted(CLAIM_FLOORS))
def test_findings_point_at_their_words(name):
    """Every claim finding on a set's pages (div soup, entities, soft hyphens, template tags,
    footnotes) points at the flagged words: its offsets hold its text, its line and column are
    where that text starts."""
    pages = DATA / name
    for row in _pages(pages):
        source, findings = _lint_page(row["file"], pages)
        lines = source.split("\n")
        for f in findings:
            if f.category not in CLAIM_CATEGORIES:
                continue
            assert source[f.offset : f.end_offset] == f.text, (name, row["file"], f.rule, f.text)
            assert lines[f.line - 1][f.column - 1 :].startswith(f.text.split("\n")[0]), \
                (name, row["file"], f.line, f.column, f.text)
