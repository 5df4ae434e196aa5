"""Every rule's own examples: `match` sentences must trigger the rule, `no_match` must not."""

from __future__ import annotations

import pytest

from wellnesslint.engine import get_rulesets, judge_sentence

RULESETS = get_rulesets()
CASES = []
for lang, rs in sorted(RULESETS.items()):
    for rule in rs.rules:
        for text in rule.examples_match:
            CASES.append(pytest.param(lang, rule.id, text, True, id=f"{lang}-{rule.id}-match-{text[:40]}"))
        for text in rule.examples_no_match:
            CASES.append(pytest.param(lang, rule.id, text, False, id=f"{lang}-{rule.id}-no_match-{text[:40]}"))


def fired(lang: str, rule_id: str, text: str) -> bool:
    rs = RULESETS[lang]
    rule = next(r for r in rs.rules if r.id == rule_id)
    from wellnesslint.claims import SentenceContext, stands
    from wellnesslint.engine import normalise

    from wellnesslint.sentences import split

    for s, e in split(text, 0, len(text), rs.profile.abbreviations):
        norm = normalise(text[s:e])
        ctx = SentenceContext.build(norm, rs.profile)
        if any(stands(c, rule, ctx) for c in rule.find(norm)):
            return True
    return False


@pytest.mark.parametrize("lang,rule_id,text,expected", CASES)
def test_rule_example(lang, rule_id, text, expected):
    assert fired(lang, rule_id, text) is expected


def test_every_rule_has_both_kinds_of_examples():
    for rs in RULESETS.values():
        for rule in rs.rules:
            assert rule.examples_match and rule.examples_no_match, rule.id


def test_match_examples_produce_a_finding_in_the_sentence_judge():
    """A match example is not only found by its rule but survives the whole-sentence judgement."""
    for lang, rs in RULESETS.items():
        for rule in rs.rules:
            for text in rule.examples_match:
                from wellnesslint.engine import lint_text

                assert lint_text(text, lang=lang, profile=rule.profile), (lang, rule.id, text)
