"""Trigger stems (trigger.py): skipping a rule never loses a match, and the prefilter answers
exactly as the combined pattern did."""

from __future__ import annotations

import random

import pytest
import regex

from wellnesslint import trigger
from wellnesslint.engine import get_rulesets, normalise
from wellnesslint.ruleset import _load_rulesets, builtin_dir

RULESETS = get_rulesets()


def _spans(cands):
    return [(c.start, c.end) for c in cands]


def _variants(text: str) -> list[str]:
    """The sentence as written, shouted, title-cased, with odd spaces and case-folding lookalikes."""
    return [
        text,
        text.upper(),
        text.title(),
        text.replace(" ", "\u00a0"),
        text.replace(" ", "\n"),
        text.replace("s", "ſ").replace("k", "\u212a"),  # long s and the Kelvin sign fold to s, k
        "²" + text,  # a word character for `re` but not for `regex`, right before the claim
        "x" + text,
    ]


def _examples():
    for lang, rs in RULESETS.items():
        for rule in rs.rules:
            for text in rule.examples_match + rule.examples_no_match:
                yield lang, rule, text


@pytest.mark.parametrize("lang", sorted(RULESETS))
def test_gate_never_hides_a_candidate(lang):
    rs = RULESETS[lang]
    texts = [t for r in rs.rules for t in r.examples_match + r.examples_no_match]
    checked = 0
    for text in texts:
        for variant in _variants(text):
            norm = normalise(variant)
            for rule in rs.rules:
                assert rule.gate is not None
                assert _spans(rule.find(norm)) == _spans(rule.matcher.find(norm)), (rule.id, norm)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("lang", sorted(RULESETS))
def test_gate_on_shuffled_fragments(lang):
    """Texts glued from pieces of the rules' own examples: claims across piece boundaries."""
    rs = RULESETS[lang]
    words = [w for r in rs.rules for t in r.examples_match for w in t.split()]
    rnd = random.Random(6)
    for _ in range(300):
        text = normalise(" ".join(rnd.choice(words) for _ in range(rnd.randint(3, 14))))
        for rule in rs.rules:
            assert _spans(rule.find(text)) == _spans(rule.matcher.find(text)), (rule.id, text)


@pytest.mark.parametrize("lang", sorted(RULESETS))
def test_prefilter_agrees_with_the_combined_pattern(lang):
    rs = RULESETS[lang]
    combined = regex.compile(
        "|".join(f"(?:{s})" for r in rs.rules for s in r.matcher.sources()), regex.IGNORECASE
    )
    texts = [t for r in rs.rules for t in r.examples_match + r.examples_no_match]
    rnd = random.Random(7)
    page = " ".join(texts)
    for text in texts:
        for variant in _variants(text):
            assert bool(rs.prefilter.search(variant)) == bool(combined.search(variant)), variant
    for _ in range(300):  # windows of a long text: pos/endpos and the text around them count
        a = rnd.randrange(len(page))
        b = min(len(page), a + rnd.randint(0, 400))
        assert bool(rs.prefilter.search(page, a, b)) == bool(combined.search(page, a, b)), page[a:b]


def test_stems_of_patterns():
    anchored = "(?<![\\w'’])"
    # every match starts with one of these words, after a non-word character
    assert trigger.pattern_stems(anchored + "(?:wonder(?:middel|olie))") == {
        ("wondermiddel", True), ("wonderolie", True)}
    # an optional word in front: the stem is no longer where the match starts
    stems = trigger.pattern_stems(anchored + "(?:(?:\\w+)?middel voor)")
    assert stems and not any(a for _, a in stems) and any("middel" in s for s, _ in stems)
    # function words make poor stems when something better is there
    stems = trigger.pattern_stems(anchored + "(?:is\\b.{0,20}\\bverdwenen)", frozenset({"is"}))
    assert stems == {("verdwenen", False)}
    # nothing literal to hold on to: no stems, the rule runs everywhere
    assert trigger.pattern_stems("\\w+ \\d+") is None
    assert trigger.pattern_stems("(a)\\1") is None  # back-references are not analysed


def test_trigger_selects_by_stem_and_anchor():
    t = trigger.Trigger({
        "A": frozenset({("ab", True)}),
        "B": frozenset({("abc", False)}),
        "C": None,  # no stems: always
    })
    assert t.selected("xx ab") == {"A", "C"}
    assert t.selected("xxab") == {"C"}  # anchored: not inside a word
    assert t.selected("xxabc") == {"A", "B", "C"}  # a hit also selects its prefixes' rules
    assert t.selected("AB") == {"A", "C"}
    assert t.selected("") == {"C"}


def test_built_triggers_cover_every_rule():
    rs = _load_rulesets(builtin_dir())
    for ruleset in rs.values():
        for rule in ruleset.rules:
            gate = rule.gate
            keys = {k for v in gate.rules_of.values() for k, _slot in v} | set(gate.always)
            assert any(k[0] == rule.id for k in keys), rule.id


def test_fold_keeps_positions_and_case_rules():
    t = trigger.Trigger({"x": frozenset({("geneest", False)}), "y": frozenset({("sk", True)})})
    for text in ("GENEEST", "geneeſt", "Ge\u212aneest x", "²geneest", "İ geneest", "a\u212asK"):
        folded = t.fold(text)
        assert len(folded) == len(text)
        for stem, key in (("geneest", "x"), ("sk", "y")):
            hit = bool(regex.search(regex.escape(stem), text, regex.IGNORECASE))
            if hit and key == "x":
                assert key in t.selected(text), text
    assert "x" in t.selected("GENEEſT")  # long s folds to s, as regex matches it
    assert "y" in t.selected("²sk")  # superscript two is no word character for regex
    assert "y" not in t.selected("ask")
