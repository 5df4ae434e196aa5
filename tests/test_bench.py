"""The benchmark scripts run (not a timed test: the figures are in the README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_corpus_is_deterministic(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import make_corpus
    finally:
        sys.path.pop(0)
    a = make_corpus.generate(str(tmp_path / "a"), pages=6, seed=3, big=1, big_mb=0.05, stress=True, stress_mb=0.02)
    b = make_corpus.generate(str(tmp_path / "b"), pages=6, seed=3, big=1, big_mb=0.05, stress=True, stress_mb=0.02)
    assert a == b
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
    assert a["formats"]["md"]["files"] == a["formats"]["html"]["files"] == 7
    line = (tmp_path / "a" / "stress" / "line.html").read_text(encoding="utf-8")
    assert line.count("\n") == 1


def test_run_small(tmp_path):
    out = tmp_path / "results.json"
    env = dict(os.environ, WELLNESSLINT_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--small", "--corpus", str(tmp_path / "corpus"),
         "--json", str(out)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "| run | files | MB |" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    runs = {r["run"] for r in data["rows"]}
    assert any(r.startswith("md ") for r in runs) and any(r.startswith("html ") for r in runs)
    assert all(r["files"] > 0 and r["wall_s"] > 0 for r in data["rows"])
    assert len(data["one_file"]) == 2
    assert all(r["first_run_ms"] > r["min_ms"] > 0 for r in data["one_file"])  # the first run compiles the rulesets


def test_pattern_cost_lists_the_slowest_patterns(tmp_path):
    """scripts/pattern_cost.py runs on a page and ranks every rule pattern (not timed here)."""
    page = tmp_path / "p.md"
    page.write_text("# Onze thee\n\nOnze thee geneest depressie. Our tea cures anxiety.\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "pattern_cost.py"), str(page), "--top", "3"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(tuple("0123456789")) and "patterns over 2 texts" in lines[0]
    assert len(lines) == 5 and all(" WL" in line for line in lines[2:])
