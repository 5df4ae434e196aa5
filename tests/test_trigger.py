"""Trigger stems (trigger.py): skipping a rule never loses a match, and the prefilter answers
exactly as the combined pattern did."""

from __future__ import annotations

import os
import random

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    # after an apostrophe: a word start for \\b, so the scan lets it through (where a rule pattern
    # refuses it, its own anchor does)
    assert t.selected("x'ab") == {"A", "C"}
    assert t.selected("xxabc") == {"B", "C"}  # "ab" occurs too, but not at a word start
    assert t.selected("x abc") == {"A", "B", "C"}  # overlapping stems are all found
    assert t.selected("AB") == {"A", "C"}
    assert t.selected("") == {"C"}


def test_built_triggers_cover_every_rule():
    rs = _load_rulesets(builtin_dir())
    for ruleset in rs.values():
        for rule in ruleset.rules:
            gate = rule.gate
            keys = {k for forms in gate.stems.values() for f in forms for k, _slot in f} | set(gate.always)
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


# --- word ends: a pattern that ends at a word end gives stems that only count there -------------

_GUARD = "(?:(?<=\\W)|(?![\\w]|-\\w))"  # what rules/base.compile_pattern puts after every pattern
_ANCHORED = "(?<![\\w'’])"
END = trigger.END
# patterns whose last words are short and common inside words ("g", "mg"), ended in each way
# the rule and cue patterns end: the compile_pattern guard, (?!\w), \b, and one that does not
_WORD_END_PATTERNS = {
    "units": _ANCHORED + "(?:(?:\\d+(?:[.,]\\d+)?|een|twee) (?:\\w+ )?(?:capsules?|gram|g|mg))" + _GUARD,
    "lookahead": _ANCHORED + "(?:(?:per|a) (?:dag|day|g))(?!\\w)",
    "boundary": _ANCHORED + "(?:van\\b(?:[^\\w.!?]++[\\w'’-]++){0,3}?[^\\w.!?]+\\baf)\\b",
    "optional": _ANCHORED + "(?:(?:neem|take) (?:(?:\\w+ ){0,2})?(?:g|ml))" + _GUARD,
    "apostrophe": _ANCHORED + "(?:(?:\\w+ )?(?:gummy'?s?|xs'))" + _GUARD,  # no word end after "'"
    "short": _ANCHORED + "(?:(?:\\w+ )?per g)" + _GUARD,  # a stem that is the start of another's
    "long": _ANCHORED + "(?:(?:\\w+ )?per g-dag)" + _GUARD,
    "open": _ANCHORED + "(?:\\d+ ?g)",  # no guard: "g" may go on into a word
    # a word start before the last word: "gram" as a whole word ("\\b" holds after "'" too)
    "particle": _ANCHORED + "(?:\\w+\\b(?:[^\\w.!?]++[\\w'’-]++){0,3}?[^\\w.!?]+\\bgram)" + _GUARD,
    "lookbehind": _ANCHORED + "(?:\\w+[^\\w.!?]+(?<!\\w)gram)\\b",
    "no_start": _ANCHORED + "(?:\\w+ ?gram)" + _GUARD,  # "gram" may end a longer word
    "after_word": _ANCHORED + "(?:\\w+\\b gram)" + _GUARD,  # "\\b" before a space: a word before it
}


def test_word_start_before_the_last_word():
    """A word-start assertion before the last word makes its stem a whole word (anchored and
    marked at the end); the match itself starts earlier, so the prefilter searches for it."""
    whole = ("gram" + END, True)
    for key in ("particle", "lookbehind"):
        assert trigger.pattern_requirements(_WORD_END_PATTERNS[key])[0] == {whole}, key
    assert trigger._analysis(_WORD_END_PATTERNS["boundary"], frozenset()).suffix == {trigger.START + "af" + END}
    assert not any(a and s.endswith(END) for sets in trigger.pattern_requirements(_WORD_END_PATTERNS["no_start"])
                   for s, a in sets)
    t = trigger.Trigger({"w": ({whole},)})
    assert t.selected("neem 5 gram.") == {"w"}
    assert t.selected("5 'gram'") == {"w"}  # \\b holds after an apostrophe
    assert t.selected("het programma") == frozenset()
    assert t.selected("5 grammen") == frozenset()
    # a pattern whose first set is such a word is not tried only where that word starts
    prefilter = trigger.Prefilter([_Sources([_WORD_END_PATTERNS["particle"]])])
    assert prefilter.search("neem 5 gram") and prefilter.prepare().at_stem == frozenset()


def test_common_stems_the_scan_looks_for_anyway_make_further_sets():
    """"van" (a function word) is no stem of its own for "komt ... van ... af", but where another
    pattern's first set makes the scan look for it anyway, it is a further requirement."""
    fw = frozenset({"van"})
    both = _ANCHORED + "(?:komt\\b(?:[^\\w.!?]++[\\w'’-]++){0,4}?[^\\w.!?]+\\bvan\\b[^\\w.!?]+\\baf)" + _GUARD
    van = _ANCHORED + "(?:van)" + _GUARD  # its first set: "van"
    alone = trigger.pattern_requirements(both, fw)
    assert not any("van" in s for sets in alone for s, _ in sets)
    assert frozenset({("van", False)}) in trigger.pattern_requirements(both, fw, frozenset({"van"}))
    prefilter = trigger.Prefilter([_Sources([both, van])], fw)
    trig = prefilter.prepare().trigger
    assert trig.selected("komt er af") == frozenset()  # no "van": not tried
    assert 0 in trig.selected("komt er van af")
    assert prefilter.search("komt er echt van af") and not prefilter.search("komt er af")


class _Sources:
    """A matcher of a kind the trigger does not know: only its pattern sources."""

    def __init__(self, sources: list[str]) -> None:
        self._sources = sources

    def sources(self) -> list[str]:
        return self._sources


def test_word_end_stems():
    reqs = trigger.pattern_requirements(_WORD_END_PATTERNS["units"])
    assert reqs and reqs[0] == frozenset(
        (f" {u}{END}", False) for u in ("capsule", "capsules", "gram", "g", "mg"))
    # no word end after the last word: no end mark
    assert not any(s.endswith(END) for sets in trigger.pattern_requirements(_WORD_END_PATTERNS["open"])
                   for s, _ in sets)
    t = trigger.Trigger({"u": trigger.pattern_requirements(_WORD_END_PATTERNS["units"])})
    assert t.selected("neem 5 g per dag") == {"u"}
    assert t.selected("neem 5 g.") == {"u"}
    assert t.selected("neem 5 G") == {"u"}
    assert t.selected("twee capsules") == {"u"}
    assert t.selected("5 gaan goed") == frozenset()  # "g" goes on into a word
    assert t.selected("ging, gaf, weg") == frozenset()
    assert t.selected("5 mgx") == frozenset()
    # a stem that ends where a longer one goes on: both are found
    both = trigger.Trigger({k: trigger.pattern_requirements(_WORD_END_PATTERNS[k]) for k in ("short", "long")})
    assert "long" in both.selected("neem per g-dag")
    assert both.selected("neem per g, per dag") == {"short"}
    assert "long" not in both.selected("per g-dagx")


_PIECES = ["5", "12,5", " ", "  ", "g", "G", "mg", "gram", "capsule", "s", "'", "’", "-", ".", "x", "é",
           "een", "twee", "per", "dag", "day", "a", "neem", "take", "ml", "van", "af", "²", "ſ", "_",
           "gummy", "\n", "het", "pro", "gram", " gram", "'gram"]
_PREFILTER = trigger.Prefilter([_Sources(list(_WORD_END_PATTERNS.values()))])


@settings(max_examples=int(os.environ.get("WELLNESSLINT_PROPERTY_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_word_end_stems_never_hide_a_match(pieces):
    """Wherever a pattern matches, the trigger built from its requirements selects it: at the
    end of the text, before punctuation, apostrophes, hyphens and non-ASCII letters."""
    text = "".join(pieces)
    patterns = {k: regex.compile(p, regex.IGNORECASE) for k, p in _WORD_END_PATTERNS.items()}
    t = trigger.Trigger({k: trigger.pattern_requirements(p) for k, p in _WORD_END_PATTERNS.items()})
    chosen = t.selected(text)
    for key, pat in patterns.items():
        if pat.search(text):
            assert key in chosen, (key, text)
    # and inside a window of a longer text, as the prefilter asks about a block of a page
    page = "x " + text + "abc"
    folded = t.fold(page)
    window = t.selected_folded(folded, 2, 2 + len(text))
    for key, pat in patterns.items():
        if pat.search(page, 2, 2 + len(text)):
            assert key in window, (key, text)
    # the prefilter over all of them answers as trying each pattern does, in the text and the window
    assert bool(_PREFILTER.search(text)) == any(p.search(text) for p in patterns.values()), text
    assert bool(_PREFILTER.search(page, 2, 2 + len(text))) == any(
        p.search(page, 2, 2 + len(text)) for p in patterns.values()), text


def test_scans_stay_linear_in_the_page(monkeypatch):
    """Every scan of a block or sentence reads only that stretch: the text handed to the
    automaton over a whole lint stays a small multiple of the page, however many blocks it has
    (handing it the page with a window each time made a 10 MB one-line page take minutes)."""
    from wellnesslint.engine import lint_text

    seen: list[int] = []
    original = trigger.Trigger.automaton.fget

    class Counting:
        def __init__(self, ac):
            self.ac = ac

        def iter(self, text, *args):
            seen.append(len(text))
            return self.ac.iter(text, *args)

    monkeypatch.setattr(trigger.Trigger, "automaton",
                        property(lambda self: None if original(self) is None else Counting(original(self))))
    para = "Onze truffels helpen bij stress en je slaapt beter. Neem 1 g per dag, zonder bijwerkingen. "
    for fmt, page in (("markdown", "# Truffels\n\n" + "\n\n".join([para] * 400)),
                      ("html", "<html lang='nl'><body><main>" + "".join(f"<p>{para}</p>" for _ in range(400))
                       + "</main></body></html>")):
        seen.clear()
        lint_text(page, format=fmt)
        assert seen and sum(seen) < 20 * len(page), (fmt, sum(seen), len(page))


# --- without pyahocorasick: the stdlib scan gives the same answers ------------------------------


def _built_triggers():
    from wellnesslint.rules.disclaimer import checks_for

    for rs in RULESETS.values():
        yield rs.prefilter.prepare().trigger
        checks = checks_for(rs)
        yield checks.cue_trigger
        yield checks.topic_trigger


def _texts():
    texts = [t for rs in RULESETS.values() for r in rs.rules for t in r.examples_match + r.examples_no_match]
    rnd = random.Random(11)
    words = [w for t in texts for w in t.split()]
    texts += [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))) for _ in range(200)]
    return texts


def test_trie_scan_finds_what_the_automaton_finds():
    import ahocorasick

    texts = _texts()
    for trig in _built_triggers():
        values = {text: (len(text) - 1, *forms) for text, forms in trig.stems.items()}
        ac = ahocorasick.Automaton()
        for text, value in values.items():
            ac.add_word(text, value)
        ac.make_automaton()
        scan = trigger._TrieScan(values)
        for text in texts:
            folded = trig.fold(normalise(text))
            want = sorted((end, id(v)) for end, v in ac.iter(folded))
            assert sorted((end, id(v)) for end, v in scan.iter(folded)) == want, folded


def test_without_pyahocorasick_the_findings_are_the_same(monkeypatch):
    """An environment set up before pyahocorasick was a dependency still lints, and alike."""
    import sys

    from wellnesslint import engine

    pages = [" ".join(r.examples_match[:2]) for rs in RULESETS.values() for r in rs.rules]
    pages.append("# Microdosing\n\nOnze truffels helpen bij angst. Neem 1 g per dag. Geen bijwerkingen!\n")

    def findings(rulesets):  # freshly built rulesets: their automata are built on first use
        monkeypatch.setattr(engine, "get_rulesets", lambda folder=None: rulesets)
        return [[(f.rule, f.offset, f.end_offset, f.suggestion) for f in engine.lint_text(p, format="markdown")]
                for p in pages]

    with_ac = findings(_load_rulesets(builtin_dir()))
    monkeypatch.setitem(sys.modules, "ahocorasick", None)  # import ahocorasick -> ImportError
    fresh = _load_rulesets(builtin_dir())
    without = findings(fresh)
    assert all(type(rs.prefilter.trigger.automaton) is trigger._TrieScan for rs in fresh.values())
    assert without == with_ac
    assert any(with_ac)


# --- the scan against its definition -------------------------------------------------------------

_LETTERS = st.sampled_from(["a", "b", "ab", "ba", " ", "'", "-", "B", "é"])


def _occurs(text: str, stem: str, anchored: bool) -> bool:
    """The definition: ``stem`` occurs case-insensitively where no word character comes before
    it (if anchored) and none after it (if it carries the end mark)."""
    ends = stem.endswith(END)
    core = stem.rstrip(END)
    for m in regex.finditer(f"(?=({regex.escape(core)}))", text, regex.IGNORECASE):
        start, stop = m.start(1), m.end(1)
        if anchored and start and regex.match(r"\w", text[start - 1]):
            continue
        if ends and stop < len(text) and regex.match(r"\w", text[stop]):
            continue
        return True
    return False


# a stem: (text, anchored), the text maybe with the end mark; a key: one to three such sets
_STEM = st.tuples(st.lists(_LETTERS, min_size=1, max_size=3).map("".join), st.booleans(), st.booleans()).map(
    lambda t: (t[0] + END * t[2], t[1]))
_SETS = st.lists(st.frozensets(_STEM, min_size=1, max_size=3), min_size=1, max_size=3).map(tuple)


@settings(max_examples=int(os.environ.get("WELLNESSLINT_PROPERTY_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_SETS, min_size=1, max_size=4), st.lists(_LETTERS, max_size=12).map("".join))
def test_trigger_selects_exactly_the_keys_whose_every_set_occurs(keys, text):
    """A key with several stem sets is selected exactly when each of its sets has a stem that
    occurs in its place; the hits the selection comes from are where their stems are."""
    stems = dict(enumerate(keys))
    t = trigger.Trigger(stems)
    want = {k for k, sets in stems.items() if all(any(_occurs(text, s, a) for s, a in group) for group in sets)}
    assert t.selected(text) == want
    for at, pairs in t.hits(t.fold(text)):
        assert all(any(text[at:].lower().startswith(s.rstrip(END).lower()) for s, _ in stems[k][slot])
                   for k, slot in pairs), (at, pairs)


def test_a_long_word_end_stem_cut_to_its_end_is_not_anchored():
    """A suffix stem that starts at a word start ("wat je achtergrond ook is", anchored) is cut
    to its last characters, which start inside a word: the cut stem must not need a word start
    (the gate hid the rule wherever it matched)."""
    gap = "(?P<gap>(?:[^\\w.!?;:]++[\\w'’-]++){0,6}?)[^\\w.!?;:]+"
    pattern = (_ANCHORED + "(?:veilig\\w*\\b" + gap
               + "\\b(?:wat je (?:medische )?(?:achtergrond|leeftijd) ook is|hoe oud je ook bent))" + _GUARD)
    reqs = trigger.pattern_requirements(pattern)
    assert any(a and len(s) > trigger._STEM_MAX for sets in reqs for s, a in sets)  # the shape at issue
    t = trigger.Trigger({"k": reqs})
    for text in ("Ademwerk is veilig, wat je medische achtergrond ook is.", "Het is veilig, hoe oud je ook bent"):
        assert regex.search(pattern, text, regex.IGNORECASE)
        assert t.selected(text) == {"k"}, text


@pytest.mark.parametrize("lang", sorted(RULESETS))
def test_every_built_in_pattern_is_gated_by_trigger_stems(lang):
    """The deterministic half of scripts/pattern_cost.py: no built-in rule pattern runs on every
    block or every sentence. A pattern the trigger cannot derive stems from (one that opens with
    ``\\w+``, a character class or a lookbehind only, or whose every word is a function word) would
    be searched everywhere, on every page; give it a literal word or a lookahead for one."""
    rs = RULESETS[lang]
    prefilter = rs.prefilter.prepare()
    always = [prefilter.patterns[k].pattern for k in sorted(prefilter.trigger.always)]
    assert always == [], f"{lang}: patterns without trigger stems (run on every block): {always}"
    ungated = [r.id for r in rs.rules if r.gate is None or r.gated is not r.matcher]
    assert ungated == [], f"{lang}: rules without a trigger gate (run on every sentence): {ungated}"
    for rule in rs.rules:
        gate = rule.gate
        keys = [k for k in gate.always if k[0] == rule.id and k[1] != "objects"]
        assert keys == [], f"{lang}: {rule.id} has patterns the gate cannot skip: {keys}"


GATE_PASS_LIMIT = 0.25  # of the labelled sentences; today the highest is 0.12 (nl), the median 0.004


@pytest.mark.parametrize("lang", sorted(RULESETS))
def test_no_pattern_is_gated_by_stems_too_common_to_skip_it(lang):
    """A pattern whose stems are everyday words ("de ", "is ", "van") is tried on nearly every
    block: as slow as ungated. Counted, not timed: on how many labelled sentences (claim-dense
    copy, so these rates are higher than on a real page) does the trigger let each pattern
    through? A new pattern over the limit needs a rarer word, or a lookahead for one, first."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent
    files = [root.parent.parent / "shared" / "corpus" / "dev_sentences.jsonl", *sorted((root / "data").glob("*_sentences.jsonl"))]
    texts = []
    for f in files:
        if f.is_file():
            texts += [d["text"] for d in map(json.loads, f.read_text(encoding="utf-8").splitlines()) if d["lang"] == lang]
    assert len(texts) >= 500
    prefilter = RULESETS[lang].prefilter.prepare()
    trig = prefilter.trigger
    passed = [0] * len(prefilter.patterns)
    for text in texts:
        for k in trig.keys(trig.hits(trig.fold(normalise(text)))):
            passed[k] += 1
    common = [(round(n / len(texts), 3), prefilter.patterns[k].pattern[:80]) for k, n in enumerate(passed)
              if n > GATE_PASS_LIMIT * len(texts)]
    assert common == [], f"{lang}: patterns tried on more than {GATE_PASS_LIMIT:.0%} of the sentences: {common}"


def _minimal_pairwise(stems: frozenset) -> frozenset:
    """_minimal by its definition, every pair compared (the implementation looks each stem's own
    substrings up instead, for suffix sets of thousands)."""
    S, E = trigger.START, trigger.END

    def within(t: str, s: str) -> bool:
        if t == s:
            return False
        t_start, t_core, t_end = t.startswith(S), t.strip(S + E), t.endswith(E)
        s_start, s_core, s_end = s.startswith(S), s.strip(S + E), s.endswith(E)
        if t_start and t_end:
            return False
        if t_end:
            return s_end and s_core.endswith(t_core)
        if t_start:
            return s_start and s_core.startswith(t_core)
        return t_core in s_core

    return frozenset(s for s in stems if not any(within(t, s) for t in stems))


_MARKED_STEM = st.tuples(st.booleans(), st.text(alphabet="ab ", max_size=5), st.booleans()).map(
    lambda p: trigger.START * p[0] + p[1] + trigger.END * p[2])


@settings(max_examples=300, deadline=None)
@given(st.frozensets(_MARKED_STEM, max_size=12))
def test_minimal_stems_as_defined(stems):
    assert trigger._minimal(stems) == _minimal_pairwise(stems)


def test_minimal_stems_examples():
    S, E = trigger.START, trigger.END
    # a plain stem inside a longer one; a start-marked prefix; an end-marked suffix; whole words
    assert trigger._minimal(frozenset({"gummy", " gummy"})) == {"gummy"}
    assert trigger._minimal(frozenset({S + "cur", S + "cures", "xcures"})) == {S + "cur", "xcures"}
    assert trigger._minimal(frozenset({" g" + E, "5 g" + E, "5 g"})) == {" g" + E, "5 g"}
    assert trigger._minimal(frozenset({S + "pil" + E, S + "pills" + E})) == {S + "pil" + E, S + "pills" + E}
