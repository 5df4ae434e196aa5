"""lazyre.LazyPattern: module-level and cached rule patterns compiled on first use."""

from __future__ import annotations

import copy
import pickle

import regex

from wellnesslint import cache
from wellnesslint.lazyre import LazyPattern


def test_compiles_on_first_use_and_answers_as_the_pattern():
    lazy = LazyPattern(r"(?<![\w'’])wonder(?:middel|olie)\b", regex.IGNORECASE)
    assert "_compiled" not in lazy.__dict__
    plain = regex.compile(r"(?<![\w'’])wonder(?:middel|olie)\b", regex.IGNORECASE)
    for text in ("Een WONDERMIDDEL!", "wonderolie", "geen wondermiddelen", "x wonderolie y"):
        assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert bool(lazy.search(text, timeout=1.0)) == bool(plain.search(text))
    assert lazy.pattern == plain.pattern and lazy.flags == plain.flags
    assert lazy.compiled() is lazy.compiled()


def test_pickles_and_copies_as_source_and_flags():
    lazy = LazyPattern("ab+", regex.I)
    for other in (pickle.loads(pickle.dumps(lazy)), copy.copy(lazy), copy.deepcopy(lazy)):
        assert "_compiled" not in other.__dict__
        assert other.match("ABB").group() == "ABB"


def test_cached_rule_patterns_are_lazy_and_equal(tmp_path):
    """A ruleset part from the cache holds its rules' patterns as LazyPattern (no compiling when
    the part is read); each is the same pattern, with the same flags, as the one built."""
    from wellnesslint.ruleset import _load_rulesets, builtin_dir

    built = _load_rulesets(builtin_dir())
    entry = tmp_path / "rulesets.pickle"
    entry.write_bytes(cache.pack_rulesets(built).dumps())
    unpacked = cache.unpack_rulesets(cache._read(entry))
    for lang, rs in built.items():
        loaded = unpacked[lang]
        assert len(loaded.rules) == len(rs.rules)
        for a, b in zip(rs.rules, loaded.rules):
            mine = [p for kind in ("patterns", "predicates", "objects", "phrases") for p in getattr(a.matcher, kind, [])]
            theirs = [p for kind in ("patterns", "predicates", "objects", "phrases") for p in getattr(b.matcher, kind, [])]
            assert theirs and all(type(p) is LazyPattern for p in theirs), a.id
            assert [(p.pattern, p.flags) for p in mine] == [(p.pattern, p.flags) for p in theirs], a.id
            for text in a.examples_match + a.examples_no_match:
                assert [(c.start, c.end) for c in a.find(text)] == [(c.start, c.end) for c in b.find(text)], a.id
        # the language profile's cue patterns too (negators, hedges, ...)
        cues = {k: p for k, p in loaded.profile.patterns.items() if p is not None}
        assert cues and all(type(p) is LazyPattern for p in cues.values())
        assert {k: (p.pattern, p.flags) for k, p in cues.items()} == \
               {k: (p.pattern, p.flags) for k, p in rs.profile.patterns.items() if p is not None}


def test_carries_compiled_code_and_loads_it_instead_of_compiling(monkeypatch):
    """A pattern from the cache carries its pickled compiled code; first use unpickles it (about
    1/20 of a compile) and gives the same pattern. Code that does not load, or loads as another
    pattern, falls back to compiling the source."""
    plain = regex.compile(r"(?<![\w'’])geneest\s+(?:depressie|angst)\b", regex.IGNORECASE)
    lazy = pickle.loads(pickle.dumps(LazyPattern.of(plain)))
    assert lazy._code is not None and "_compiled" not in lazy.__dict__
    other = pickle.dumps(regex.compile("x+"))
    compiled = []
    real = regex.compile
    monkeypatch.setattr(regex, "compile", lambda *a, **k: compiled.append(a) or real(*a, **k))
    assert lazy.search("Dit GENEEST depressie.").span() == plain.search("Dit GENEEST depressie.").span()
    assert lazy.compiled().pattern == plain.pattern and lazy.flags == plain.flags
    assert compiled == []  # loaded, not compiled
    for code in (b"not a pickle", other):
        broken = LazyPattern(plain.pattern, plain.flags, code)
        assert broken.search("geneest angst").group() == "geneest angst"
        assert broken.compiled().pattern == plain.pattern
    assert len(compiled) == 2


def test_cached_rule_patterns_carry_their_code():
    from wellnesslint.ruleset import _load_rulesets, builtin_dir

    built = _load_rulesets(builtin_dir())
    part = cache._dumps_part({"rules": built["nl"].rules})
    rules = pickle.loads(part)["rules"]
    lazies = [p for r in rules for kind in ("patterns", "predicates", "phrases") for p in getattr(r.matcher, kind, [])]
    assert lazies and all(type(p) is LazyPattern and p._code for p in lazies)
