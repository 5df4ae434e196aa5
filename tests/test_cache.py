"""The compiled-ruleset cache (cache.py): used when valid, rebuilt when anything changes, and
never in the way."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import sys

import pytest

from wellnesslint import cache
from wellnesslint.ruleset import builtin_dir, load_rulesets


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("WELLNESSLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("WELLNESSLINT_NO_CACHE", raising=False)
    return folder


def _counting_build(value="built"):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_second_call_reads_the_cache(cache_dir, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    build, calls = _counting_build({"v": 1})
    assert cache.cached("t", lambda: [f], build) == {"v": 1}
    assert cache.cached("t", lambda: [f], build) == {"v": 1}
    assert len(calls) == 1
    assert len(list(cache_dir.glob("t-*.pickle"))) == 1
    if hasattr(os, "getuid"):
        assert stat.S_IMODE(cache_dir.stat().st_mode) & 0o077 == 0


def test_a_changed_file_is_a_new_key(cache_dir, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    build, calls = _counting_build()
    cache.cached("t", lambda: [f], build)
    f.write_text("x: 2\n", encoding="utf-8")
    cache.cached("t", lambda: [f], build)
    assert len(calls) == 2


def test_corrupt_entry_is_rebuilt(cache_dir, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    build, calls = _counting_build()
    cache.cached("t", lambda: [f], build)
    (entry,) = cache_dir.glob("t-*.pickle")
    entry.write_bytes(b"not a pickle")
    assert cache.cached("t", lambda: [f], build) == "built"
    assert len(calls) == 2
    assert pickle.loads(entry.read_bytes()) == "built"  # and written again


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root may write anywhere")
def test_unwritable_folder_is_silent(tmp_path, monkeypatch):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    monkeypatch.setenv("WELLNESSLINT_CACHE_DIR", str(ro / "sub"))
    build, calls = _counting_build()
    assert cache.cached("t", lambda: [], build) == "built"
    assert cache.cached("t", lambda: [], build) == "built"
    assert len(calls) == 2


def test_unusable_folder_is_silent(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("I am a file", encoding="utf-8")
    monkeypatch.setenv("WELLNESSLINT_CACHE_DIR", str(blocker / "cache"))
    build, calls = _counting_build()
    assert cache.cached("t", lambda: [], build) == "built"
    assert len(calls) == 1


def test_a_folder_others_can_write_is_not_trusted(cache_dir):
    build, calls = _counting_build()
    cache.cached("t", lambda: [], build)
    cache_dir.chmod(0o777)
    try:
        cache.cached("t", lambda: [], build)
    finally:
        cache_dir.chmod(0o700)
    assert len(calls) == 2


def test_off_switch(cache_dir, monkeypatch):
    monkeypatch.setenv("WELLNESSLINT_NO_CACHE", "1")
    build, calls = _counting_build()
    cache.cached("t", lambda: [], build)
    assert not cache_dir.exists()


def test_default_folder_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("WELLNESSLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("WELLNESSLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "wellnesslint"


def test_cached_rulesets_equal_fresh_ones(cache_dir, tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(builtin_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    fresh = load_rulesets(folder)  # builds and writes
    again = load_rulesets(folder)  # reads
    assert list(cache_dir.glob("rulesets-*.pickle"))
    for lang, rs in fresh.items():
        other = again[lang]
        assert [r.id for r in rs.rules] == [r.id for r in other.rules]
        text = rs.rules[0].examples_match[0]
        assert [(c.start, c.end) for c in rs.rules[0].find(text)] == \
               [(c.start, c.end) for c in other.rules[0].find(text)]
    # a changed rule file is picked up
    claims = folder / "en" / "claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("WL101", "WL199", 1), encoding="utf-8")
    assert "WL199" in {r.id for r in load_rulesets(folder)["en"].rules}


def test_code_changes_are_part_of_the_key(cache_dir, tmp_path, monkeypatch):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    k1 = cache.key_for("t", [f])
    monkeypatch.setattr(sys, "version", sys.version + " (patched)")
    assert cache.key_for("t", [f]) != k1


def test_cached_rulesets_load_their_parts_on_first_use(cache_dir, tmp_path):
    import copy

    from wellnesslint import config
    from wellnesslint.catalog import extra_rules
    from wellnesslint.ruleset import Ruleset

    folder = tmp_path / "rules"
    shutil.copytree(builtin_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    fresh = load_rulesets(folder)  # builds (complete rulesets) and writes the parts
    again = load_rulesets(folder)  # reads: every heavy part waits for its first use
    assert sorted(again) == sorted(fresh)
    for lang, rs in again.items():
        assert isinstance(rs, Ruleset)
        assert {"rules", "prefilter", "compiled", "extra"}.isdisjoint(vars(rs))
        assert rs.profile.lang == lang
    # the rule codes (for checking selectors) without loading the rules
    assert config._known_codes(again) == config._known_codes(fresh)
    assert all("rules" not in vars(rs) for rs in again.values())
    nl = again["nl"]
    assert nl.prefilter is not None and "rules" not in vars(nl)
    assert [r.id for r in nl.rules] == [r.id for r in fresh["nl"].rules]
    cache.load_all(again)
    for lang, rs in again.items():
        assert "_parts" not in vars(rs)
        assert rs.extra == fresh[lang].extra
        assert [(r.id, r.category) for r in [*rs.rules, *extra_rules(rs)]] == rs.__dict__["_codes"]
    # pickled or copied, it is a plain Ruleset
    plain = pickle.loads(pickle.dumps(again["en"]))
    assert type(plain) is Ruleset and [r.id for r in plain.rules] == [r.id for r in fresh["en"].rules]
    assert type(copy.copy(again["en"])) is Ruleset


def test_an_entry_of_another_shape_is_rebuilt(cache_dir, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    build, calls = _counting_build({"v": 1})

    def unpack(value):
        if not isinstance(value, tuple):
            raise ValueError("old entry")
        return value[1]

    assert cache.cached("t", lambda: [f], build) == {"v": 1}  # an entry without pack
    assert cache.cached("t", lambda: [f], build, pack=lambda v: ("packed", v), unpack=unpack) == {"v": 1}
    assert cache.cached("t", lambda: [f], build, pack=lambda v: ("packed", v), unpack=unpack) == {"v": 1}
    assert len(calls) == 2


def test_cached_prefilter_compiles_its_patterns_on_first_use(cache_dir, tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(builtin_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    fresh = load_rulesets(folder)
    again = load_rulesets(folder)
    for lang, rs in fresh.items():
        lazy = again[lang].prefilter
        assert isinstance(lazy.patterns, cache.LazyPatterns)
        assert all(done is None for done in lazy.patterns._done)
        texts = [t for r in rs.rules for t in (*r.examples_match, *r.examples_no_match)]
        for text in texts:
            want, got = rs.prefilter.search(text), lazy.search(text)
            assert (want and want.span()) == (got and got.span()), text
        assert 0 < sum(done is not None for done in lazy.patterns._done) < len(lazy.patterns)
        assert [p.pattern for p in lazy.patterns] == [p.pattern for p in rs.prefilter.patterns]
        assert [p.pattern for p in lazy.patterns[1:3]] == [p.pattern for p in rs.prefilter.patterns[1:3]]
        copied = pickle.loads(pickle.dumps(lazy.patterns))
        assert len(copied) == len(lazy.patterns) and copied[0].pattern == lazy.patterns[0].pattern


def _segmented_build(blobs):
    def pack(value):
        entry = cache.Segmented()
        entry.header = ("refs", [entry.add(b) for b in blobs])
        return entry

    def unpack(packed):
        header, reader = packed
        assert header[0] == "refs"
        return header[1], reader

    return pack, unpack


def test_a_segmented_entry_reads_each_segment_when_asked(cache_dir, tmp_path, monkeypatch):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    blobs = [b"first", b"", b"x" * 100_000, "ü".encode()]
    pack, unpack = _segmented_build(blobs)
    build, calls = _counting_build("built")
    assert cache.cached("t", lambda: [f], build, pack=pack, unpack=unpack) == "built"
    refs, reader = cache.cached("t", lambda: [f], build, pack=pack, unpack=unpack)
    assert len(calls) == 1
    asked = []
    real = cache.SegmentReader.read
    monkeypatch.setattr(cache.SegmentReader, "read", lambda self, ref: asked.append(ref) or real(self, ref))
    assert reader.read(refs[2]) == blobs[2] and asked == [refs[2]]
    # the file replaced (another run) or pruned meanwhile: still read from the file the header came from
    (entry,) = cache_dir.glob("t-*.pickle")
    entry.unlink()
    assert [reader.read(r) for r in refs] == blobs


def test_a_truncated_segmented_entry_is_rebuilt(cache_dir, tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("x: 1\n", encoding="utf-8")
    pack, unpack = _segmented_build([b"a" * 1000, b"b" * 1000])
    build, calls = _counting_build("built")
    cache.cached("t", lambda: [f], build, pack=pack, unpack=unpack)
    (entry,) = cache_dir.glob("t-*.pickle")
    entry.write_bytes(entry.read_bytes()[:-1])
    assert cache.cached("t", lambda: [f], build, pack=pack, unpack=unpack) == "built"
    assert len(calls) == 2
    refs, reader = cache.cached("t", lambda: [f], build, pack=pack, unpack=unpack)  # written again, whole
    assert reader.read(refs[1]) == b"b" * 1000 and len(calls) == 2


def test_a_page_in_one_language_reads_only_its_parts(cache_dir, tmp_path, monkeypatch):
    folder = tmp_path / "rules"
    shutil.copytree(builtin_dir(), folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    load_rulesets(folder)  # builds and writes
    asked = []
    real = cache.SegmentReader.read
    monkeypatch.setattr(cache.SegmentReader, "read", lambda self, ref: asked.append(ref[1]) or real(self, ref))
    again = load_rulesets(folder)
    lights = len(asked)
    assert lights == len(again)  # the light fields of each language
    again["nl"].prefilter.search("Onze truffels genezen depressie.")
    assert len(asked) == lights + 1
    (entry,) = cache_dir.glob("rulesets-*.pickle")
    assert sum(asked) < entry.stat().st_size / 3
