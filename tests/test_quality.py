"""Aggregate quality floors on labelled sentences (no per-sentence expectations).

The dev set lives in ../shared/corpus (beside the checkout in CI); the challenge set was written for this
project independently of the rules. Floors sit below the measured figures so a regression in a shared
mechanism (negation scope, hedges, lexicons) fails the suite.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wellnesslint.engine import CATEGORY_PRIORITY, lint_text

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "dev": ROOT.parent / "shared" / "corpus" / "dev_sentences.jsonl",
    "challenge": ROOT / "tests" / "data" / "challenge_sentences.jsonl",
    "heldout": ROOT / "tests" / "data" / "heldout_sentences.jsonl",
    # written blind (before reading the rules) and measured first; fixed afterwards, so no longer blind
    "blind2": ROOT / "tests" / "data" / "blind2_sentences.jsonl",
    "blind3": ROOT / "tests" / "data" / "blind3_sentences.jsonl",
    "probe3": ROOT / "tests" / "data" / "probe3_sentences.jsonl",
    "blind4": ROOT / "tests" / "data" / "blind4_sentences.jsonl",
    # written after the round-4 fixes to see whether they carry over to new wordings (small: 26)
    "probe4": ROOT / "tests" / "data" / "probe4_sentences.jsonl",
    # round 5: written blind, measured first (P 0.968 R 0.897), then fixed by class
    "blind5": ROOT / "tests" / "data" / "blind5_sentences.jsonl",
    # round 6: written blind, measured first (P 0.944 R 0.773), then fixed by class
    "blind6": ROOT / "tests" / "data" / "blind6_sentences.jsonl",
}
# (precision, recall) floors; a set measured after its fixes gets floors just below what it reached
FLOORS = {"blind2": (0.97, 0.95), "blind3": (0.97, 0.95), "probe3": (0.94, 0.94), "blind4": (0.97, 0.95),
          "probe4": (0.85, 0.80), "blind5": (0.97, 0.95), "blind6": (0.97, 0.95)}
DEFAULT_FLOORS = (0.95, 0.90)


def predict(text: str, lang: str) -> str:
    found = [f for f in lint_text(text, lang=lang) if f.category in CATEGORY_PRIORITY and f.rule != "WL410"]
    if not found:
        return "ok"
    return min(found, key=lambda f: CATEGORY_PRIORITY.index(f.category)).category


@pytest.mark.parametrize("name", sorted(SETS))
def test_precision_recall_floor_per_language(name):
    path = SETS[name]
    if not path.exists():
        pytest.skip(f"{path} is not available")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for lang in ("nl", "en"):
        tp = fp = fn = right = 0
        for row in (r for r in rows if r["lang"] == lang):
            pred = predict(row["text"], lang)
            gold = row["label"]
            if gold != "ok" and pred != "ok":
                tp += 1
                right += gold == pred
            elif pred != "ok":
                fp += 1
            elif gold != "ok":
                fn += 1
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        min_precision, min_recall = FLOORS.get(name, DEFAULT_FLOORS)
        assert precision >= min_precision, (name, lang, precision)
        assert recall >= min_recall, (name, lang, recall)
        assert right / max(tp, 1) >= 0.90, (name, lang, right, tp)
