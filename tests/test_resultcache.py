"""``check --cache`` (resultcache.py): unchanged files are not linted again, and anything that
could change a file's findings (its text, the rules, the settings passed to the engine) is."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import sys
import time
from pathlib import Path

import pytest

import wellnesslint.engine
from wellnesslint import resultcache
from test_custom_rules import RULE as TEAM_RULE  # a team rule on the word 'kristalkracht'
from wellnesslint.cli import main



@pytest.fixture
def site(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("WELLNESSLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("WELLNESSLINT_NO_CACHE", raising=False)
    resultcache._OPEN.clear()
    pages = tmp_path / "site"
    pages.mkdir()
    (pages / "a.md").write_text("# Thee\n\nDeze thee geneest hoofdpijn.\n", encoding="utf-8")
    (pages / "b.html").write_text("<p>Our drops cure anxiety.</p>\n<p>They are 100% safe for everyone.</p>\n",
                                  encoding="utf-8")
    (pages / "c.md").write_text("Een rustige wandeling in het bos.\n", encoding="utf-8")
    monkeypatch.chdir(pages)
    calls: list[str] = []
    real = wellnesslint.engine.lint_text

    def counting(text, **kw):
        if kw.get("path") is not None:  # the rewriter checks its suggestions with the engine too
            calls.append(kw["path"])
        return real(text, **kw)

    monkeypatch.setattr(wellnesslint.engine, "lint_text", counting)
    yield pages, calls
    resultcache._OPEN.clear()


def run(capsys, *argv):
    code = main(["check", "--output-format", "json", "--jobs", "1", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_a_second_run_reads_every_unchanged_file_from_the_cache(site, capsys):
    pages, calls = site
    first = run(capsys, "--cache")
    assert sorted(calls) == ["a.md", "b.html", "c.md"]
    assert first[1]  # findings, with suggestions
    assert any(f["suggestion"] for f in first[1])
    calls.clear()
    second = run(capsys, "--cache")
    assert calls == []
    assert second == first
    # and the same as without the cache
    assert run(capsys) == first
    if sys.platform != "win32":  # only this user may read or write the cache
        assert stat.S_IMODE((pages.parent / "cache" / "results").stat().st_mode) & 0o077 == 0


def test_a_changed_file_is_linted_again_and_only_it(site, capsys):
    pages, calls = site
    run(capsys, "--cache")
    calls.clear()
    (pages / "c.md").write_text("Een rustige wandeling in het bos geneest depressie.\n", encoding="utf-8")
    code, found, _ = run(capsys, "--cache")
    assert calls == ["c.md"]
    assert any(f["path"] == "c.md" and f["rule"] == "WL101" for f in found)
    assert code == 1


def test_a_copied_file_reports_its_own_path(site, capsys):
    pages, calls = site
    run(capsys, "--cache")
    calls.clear()
    (pages / "copy.md").write_bytes((pages / "a.md").read_bytes())
    _, found, _ = run(capsys, "--cache")
    assert calls == []  # same text, format and settings: the entry of a.md
    by_path = {}
    for f in found:
        by_path.setdefault(f["path"], []).append({k: v for k, v in f.items() if k != "path"})
    assert by_path["copy.md"] == by_path["a.md"]


def test_settings_given_to_the_engine_are_part_of_the_key(site, capsys):
    pages, calls = site
    run(capsys, "--cache")
    for extra in (["--lang", "en"], ["--profile", "strict"], ["--format", "text"]):
        calls.clear()
        run(capsys, "--cache", *extra)
        assert sorted(calls) == ["a.md", "b.html", "c.md"], extra
        calls.clear()
        run(capsys, "--cache", *extra)
        assert calls == [], extra


def test_rule_selection_and_suppressions_apply_to_cached_findings(site, capsys):
    pages, calls = site
    _, everything, _ = run(capsys, "--cache")
    rules = {f["rule"] for f in everything}
    assert "WL101" in rules
    calls.clear()
    _, found, _ = run(capsys, "--cache", "--ignore", "WL101")
    assert calls == []
    assert found and "WL101" not in {f["rule"] for f in found}
    (pages / "e.md").write_text("<!-- wellnesslint-disable-next-line WL101 -->\nDeze thee geneest hoofdpijn.\n",
                                encoding="utf-8")
    _, found, _ = run(capsys, "--cache")
    assert not [f for f in found if f["path"] == "e.md"]
    calls.clear()
    _, found, _ = run(capsys, "--cache")
    assert calls == [] and not [f for f in found if f["path"] == "e.md"]
    _, found, _ = run(capsys, "--cache", "--ignore-suppressions")
    assert calls == [] and [f["rule"] for f in found if f["path"] == "e.md"] == ["WL101"]


def test_a_changed_team_rule_invalidates_the_entries(site, capsys):
    pages, calls = site
    (pages / "team" / "nl").mkdir(parents=True)
    rule = pages / "team" / "nl" / "rules.yaml"
    rule.write_text(TEAM_RULE, encoding="utf-8")
    (pages / ".wellnesslint.yaml").write_text("rulesets: [team]\nlang: nl\n", encoding="utf-8")
    (pages / "d.md").write_text("Ervaar de kristalkracht en de stenenkracht van onze stenen.\n", encoding="utf-8")
    _, found, _ = run(capsys, "--cache")
    assert [f["text"] for f in found if f["rule"] == "WL801"] == ["kristalkracht"]
    calls.clear()
    rule.write_text(TEAM_RULE.replace("kristalkracht", "stenenkracht"), encoding="utf-8")
    _, found, _ = run(capsys, "--cache")
    assert "d.md" in calls
    assert [f["text"] for f in found if f["rule"] == "WL801"] == ["stenenkracht"]


def _database(pages):
    path = pages.parent / "cache" / "results" / f"{resultcache.code_key()[:32]}.sqlite"
    assert path.is_file()
    return sqlite3.connect(path, isolation_level=None)


def test_a_corrupt_entry_or_database_is_linted_again(site, capsys):
    pages, calls = site
    first = run(capsys, "--cache")
    db = _database(pages)
    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 3
    db.execute("UPDATE entries SET data = substr(data, 1, 3)")  # truncated pickles
    db.close()
    calls.clear()
    assert run(capsys, "--cache") == first
    assert sorted(calls) == ["a.md", "b.html", "c.md"]
    calls.clear()
    assert run(capsys, "--cache") == first  # written again
    assert calls == []
    # a file that is not a database at all is started again
    path = pages.parent / "cache" / "results" / f"{resultcache.code_key()[:32]}.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    resultcache._OPEN.clear()
    assert run(capsys, "--cache") == first
    calls.clear()
    assert run(capsys, "--cache") == first
    assert calls == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_folder_others_may_write_to_is_not_used(site, capsys):
    pages, calls = site
    base = pages.parent / "cache"
    base.mkdir()
    os.chmod(base, 0o777)
    first = run(capsys, "--cache")
    calls.clear()
    assert run(capsys, "--cache") == first
    assert sorted(calls) == ["a.md", "b.html", "c.md"]  # nothing read from it
    assert not (base / "results").exists() or not any((base / "results").glob("*.sqlite"))


def test_without_the_flag_nothing_is_written(site, capsys):
    pages, calls = site
    run(capsys)
    assert not (pages.parent / "cache" / "results").exists()


def test_old_code_versions_and_stale_entries_are_removed(site, capsys, monkeypatch):
    pages, calls = site
    root = pages.parent / "cache" / "results"
    root.mkdir(parents=True)
    for i in range(resultcache.KEEP + 2):
        (root / f"old{i}.sqlite").write_bytes(b"")
        os.utime(root / f"old{i}.sqlite", (i, i))
    run(capsys, "--cache")
    kept = sorted(p.name for p in root.glob("*.sqlite"))
    assert len(kept) == resultcache.KEEP
    assert "old0.sqlite" not in kept and f"old{resultcache.KEEP + 1}.sqlite" in kept  # the newest stay
    # entries unused for MAX_AGE_DAYS go at the next daily tidy; a read marks an entry used
    db = _database(pages)
    db.execute("UPDATE entries SET used = 0")
    db.execute("UPDATE entries SET used = ? WHERE rowid = (SELECT min(rowid) FROM entries)",
               (int(time.time() // 86_400) - resultcache.MAX_AGE_DAYS,))
    stamp = next(root.glob("*.tidied"))
    os.utime(stamp, (0, 0))
    resultcache._OPEN.clear()
    resultcache.ResultCache.open()
    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    calls.clear()
    run(capsys, "--cache")
    assert len(calls) == 2
    assert db.execute("SELECT min(used) FROM entries").fetchone()[0] == int(time.time() // 86_400)
