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
}


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
        assert precision >= 0.95, (name, lang, precision)
        assert recall >= 0.90, (name, lang, recall)
        assert right / max(tp, 1) >= 0.90, (name, lang, right, tp)
