#!/usr/bin/env python3
"""Benchmark wellnesslint on a generated corpus and print throughput, memory and start-up time.

    python bench/run.py [--corpus DIR] [--pages N] [--small] [--runs R] [--scaling] [--json FILE]

Without --corpus, a corpus is generated into a temporary folder with bench/make_corpus.py
(2,000 Markdown and 2,000 HTML pages, two 2 MB pages each, and the two stress files: a 5 MB
single paragraph and a 10 MB single line). With --corpus DIR, DIR is used if it holds md/ and
html/ (any corpus with that layout works, e.g. the shared one), else it is generated there.

For each format it runs ``wellnesslint check DIR/<fmt>`` as a separate process, once with
``--jobs 1`` and once with the default number of jobs, and reports files, MB, wall seconds,
MB/s, files/s and the peak RSS of the largest process (from wait4, like GNU time). It also
times the library in one process (``engine.lint_text`` over the same files, start-up
included), a one-file run of the command (the smallest page; median of --runs runs after one
warm-up, interpreter start included, the way a pre-commit hook pays it; and once with an empty
cache folder, as the first run after an install does), and the stress files.
With --scaling it also lints the first half of the ordinary pages to check linear growth. With
``--cache`` (a cache folder of its own), it lints each format twice more with ``--jobs 1``: the run
that fills the cache, then one in which no file changed.

The command runs from this checkout (PYTHONPATH is set to the repository root), with
``--output-format concise --exit-zero --no-color`` and its output discarded; its bytecode is
written to a scratch folder (PYTHONPYCACHEPREFIX), as an installed package has it compiled, and
the rulesets come from the user cache after the first run (see wellnesslint/cache.py). Timings
are wall-clock on a warm page cache; expect 10-20 % noise on a shared machine.

--small makes a tiny corpus and one run of each: CI uses it to check that the script works.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FORMATS = {"md": ("md", "markdown"), "html": ("html", "html")}


# ------------------------------------------------------------------------------------------
# Running things
# ------------------------------------------------------------------------------------------


PYCACHE: list[str] = []  # a scratch folder for the children's bytecode


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    # bytecode as an installed package has it (compiled once, in a scratch folder, not the checkout)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if PYCACHE:
        env["PYTHONPYCACHEPREFIX"] = PYCACHE[0]
    env.setdefault("NO_COLOR", "1")
    env.pop("FORCE_COLOR", None)
    return env


TIMEOUT = [600.0]  # seconds per command (--timeout)


class TimedOut(Exception):
    pass


def timed(cmd: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Run ``cmd`` with its output discarded (``env``: more environment variables): (wall seconds,
    peak RSS MB of the largest process, exit status). Raises TimedOut after --timeout seconds (the
    process group is killed)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**child_env(), **(env or {})},
                            cwd=cwd, start_new_session=True)
    killed = []

    def kill() -> None:
        killed.append(True)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass

    timer = threading.Timer(TIMEOUT[0], kill)
    timer.start()
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read() if proc.stderr else b""))
    reader.start()
    try:
        # wait4 reports the child's own usage; ru_maxrss is the largest of it and its reaped children
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    wall = time.perf_counter() - t0
    reader.join()
    if proc.stderr:
        proc.stderr.close()
    err = b"".join(err_chunks).decode("utf-8", "replace")
    proc.returncode = os.waitstatus_to_exitcode(status)
    if killed:
        raise TimedOut(f"{' '.join(cmd)}: no result after {TIMEOUT[0]:.0f} s")
    rss_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 2**20
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, rss_mb, proc.returncode


def check_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "wellnesslint", "check", "--output-format", "concise",
            "--exit-zero", "--no-color", *args]


def check_options() -> str:
    return subprocess.run([sys.executable, "-m", "wellnesslint", "check", "--help"], capture_output=True,
                          text=True, env=child_env()).stdout


def files_of(folder: str, ext: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith("." + ext))
    return out


def size_of(paths: list[str]) -> int:
    return sum(os.path.getsize(p) for p in paths)


def api_worker(folder: str, ext: str, fmt: str) -> None:
    """Child process: lint every file with the library, print seconds as JSON."""
    t0 = time.perf_counter()
    from wellnesslint import engine

    findings = 0
    for path in files_of(folder, ext):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
        findings += len(engine.lint_text(text, format=fmt, path=path))
    print(json.dumps({"seconds": time.perf_counter() - t0, "findings": findings}))


def api_run(folder: str, ext: str, fmt: str) -> tuple[float, float]:
    cmd = [sys.executable, os.path.abspath(__file__), "--api-worker", folder, ext, fmt]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=child_env())
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"library run failed on {folder}")
    json.loads(out)
    return wall, usage.ru_maxrss / 1024


# ------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------


def ensure_corpus(path: str, pages: int, seed: int, small: bool) -> None:
    if all(os.path.isdir(os.path.join(path, f)) for f in ("md", "html")):
        return
    sys.path.insert(0, HERE)
    import make_corpus

    t0 = time.perf_counter()
    if small:
        make_corpus.generate(path, pages=pages, seed=seed, big=0, stress=True, stress_mb=0.05)
    else:
        make_corpus.generate(path, pages=pages, seed=seed, stress=True)
    print(f"# corpus generated in {path} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)


def subset(corpus: str, ext: str, scratch: str, name: str, fraction: float) -> str:
    """Hard links to the first ``fraction`` of the ordinary pages (no big ones)."""
    folder = os.path.join(corpus, ext)
    pages = [p for p in files_of(folder, ext) if os.sep + "big" + os.sep not in p]
    out = os.path.join(scratch, name, ext)
    for p in pages[: int(len(pages) * fraction)]:
        dst = os.path.join(out, os.path.relpath(p, folder))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(p, dst)
        except OSError:
            shutil.copyfile(p, dst)
    return out


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = ""
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), "
            f"Python {platform.python_version()}, wellnesslint at {commit or '?'}")


def row(name: str, nfiles: int, nbytes: int, wall: float, rss: float) -> dict:
    mb = nbytes / 1e6
    return {"run": name, "files": nfiles, "MB": round(mb, 2), "wall_s": round(wall, 3),
            "MB_per_s": round(mb / wall, 2) if wall else None, "files_per_s": round(nfiles / wall, 1) if wall else None,
            "peak_rss_MB": round(rss)}


def print_table(rows: list[dict]) -> None:
    cols = ["run", "files", "MB", "wall_s", "MB_per_s", "files_per_s", "peak_rss_MB"]
    head = ["run", "files", "MB", "wall s", "MB/s", "files/s", "peak RSS MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(cols) - 1)) + "|")
    for r in rows:
        print("| " + " | ".join("" if r.get(c) is None else str(r[c]) for c in cols) + " |")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--api-worker"]:
        sys.path.insert(0, ROOT)
        api_worker(*argv[1:4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="corpus folder (generated there if it has no md/ and html/)")
    ap.add_argument("--pages", type=int, default=None, help="pages per format when generating (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--small", action="store_true", help="tiny corpus, one run of everything (CI)")
    ap.add_argument("--runs", type=int, default=None, help="one-file runs, median reported (default 9)")
    ap.add_argument("--formats", default="md,html")
    ap.add_argument("--no-api", action="store_true", help="skip the in-process library run")
    ap.add_argument("--no-stress", action="store_true", help="skip the stress files")
    ap.add_argument("--scaling", action="store_true", help="also lint half of the ordinary pages (linear growth)")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per command (default 600)")
    a = ap.parse_args(argv)
    TIMEOUT[0] = a.timeout

    pages = a.pages or (8 if a.small else 2000)
    runs = a.runs or (1 if a.small else 9)
    scratch = tempfile.mkdtemp(prefix="wellnesslint-bench-")
    PYCACHE[:] = [os.path.join(scratch, "pycache")]
    try:
        corpus = a.corpus or os.path.join(scratch, "corpus")
        ensure_corpus(corpus, pages, a.seed, a.small)
        helptext = check_options()
        jobs = "--jobs" in helptext
        cached = "--cache" in helptext
        print(f"# {machine()}")
        print(f"# corpus: {corpus}")
        if not jobs:
            print("# this wellnesslint has no --jobs: every command run is one process")
        rows: list[dict] = []
        one_file: list[dict] = []
        # the first run after a change to the code or the rules compiles the rulesets into the
        # user cache (seconds, reported below as the one-file first run): not in the first row
        for key in a.formats.split(","):
            ext = FORMATS[key.strip()][0]
            timed(check_cmd(min(files_of(os.path.join(corpus, ext), ext), key=os.path.getsize)))
        for key in a.formats.split(","):
            ext, fmt = FORMATS[key.strip()]
            folder = os.path.join(corpus, ext)
            paths = files_of(folder, ext)
            nbytes = size_of(paths)
            if jobs:
                wall, rss, _ = timed(check_cmd("--jobs", "1", folder))
                rows.append(row(f"{ext} check --jobs 1", len(paths), nbytes, wall, rss))
                wall, rss, _ = timed(check_cmd(folder))
                rows.append(row(f"{ext} check (default jobs: {os.cpu_count()})", len(paths), nbytes, wall, rss))
            else:
                wall, rss, _ = timed(check_cmd(folder))
                rows.append(row(f"{ext} check (one process)", len(paths), nbytes, wall, rss))
            if cached and jobs:
                # --cache (a cache folder of its own, its rulesets compiled first): the run that
                # fills it, then a run in which no file changed
                env = {"WELLNESSLINT_CACHE_DIR": os.path.join(scratch, f"cache-{ext}")}
                timed(check_cmd(paths[0]), env=env)
                wall, rss, _ = timed(check_cmd("--jobs", "1", "--cache", folder), env=env)
                rows.append(row(f"{ext} check --jobs 1 --cache, first run", len(paths), nbytes, wall, rss))
                wall, rss, _ = timed(check_cmd("--jobs", "1", "--cache", folder), env=env)
                rows.append(row(f"{ext} check --jobs 1 --cache, no file changed", len(paths), nbytes, wall, rss))
            if not a.no_api:
                wall, rss = api_run(folder, ext, fmt)
                rows.append(row(f"{ext} library, one process", len(paths), nbytes, wall, rss))
            if a.scaling:
                j1 = ["--jobs", "1"] if jobs else []
                for name, fraction in (("half", 0.5), ("all", 1.0)):
                    sub = subset(corpus, ext, scratch, name, fraction)
                    spaths = files_of(sub, ext)
                    wall, rss, _ = timed(check_cmd(*j1, sub))
                    label = "half of the pages" if name == "half" else "all pages (no big ones)"
                    rows.append(row(f"{ext} {label}, one job", len(spaths), size_of(spaths), wall, rss))
            # one small file, the way pre-commit runs it
            small = min((p for p in paths if os.sep + "big" + os.sep not in p), key=os.path.getsize)
            # the first run after an install or upgrade, or on a CI machine without the cache
            # folder: the rulesets are compiled (an empty cache folder of its own)
            cold, _, _ = timed(check_cmd(small), env={"WELLNESSLINT_CACHE_DIR": os.path.join(scratch, f"cold-{ext}")})
            timed(check_cmd(small))  # warm-up (and the ruleset cache, if any)
            walls = []
            for _ in range(runs):
                w, rss, _ = timed(check_cmd(small))
                walls.append(w)
            one_file.append({"file": os.path.relpath(small, corpus), "bytes": os.path.getsize(small),
                             "median_ms": round(statistics.median(walls) * 1000, 1),
                             "min_ms": round(min(walls) * 1000, 1), "runs": runs, "peak_rss_MB": round(rss),
                             "first_run_ms": round(cold * 1000, 1)})
        stress = os.path.join(corpus, "stress")
        if not a.no_stress and not os.path.isdir(stress):  # a corpus from elsewhere: add them
            sys.path.insert(0, HERE)
            import make_corpus

            stress = os.path.join(scratch, "stress-corpus", "stress")
            make_corpus.stress_files(os.path.dirname(stress), a.seed, 0.05 if a.small else 5.0)
        if not a.no_stress and os.path.isdir(stress):
            for name in sorted(os.listdir(stress)):
                p = os.path.join(stress, name)
                try:
                    wall, rss, _ = timed(check_cmd(*(["--jobs", "1"] if jobs else []), p))
                except TimedOut as exc:
                    print(f"# stress {name}: {exc}", file=sys.stderr)
                    rows.append({"run": f"stress: {name}", "files": 1, "MB": round(os.path.getsize(p) / 1e6, 2),
                                 "wall_s": f"> {TIMEOUT[0]:.0f}", "MB_per_s": None, "files_per_s": None,
                                 "peak_rss_MB": None})
                    continue
                rows.append(row(f"stress: {name}", 1, os.path.getsize(p), wall, rss))
        print()
        print_table(rows)
        print()
        print("| one file | bytes | median wall ms | min ms | runs | peak RSS MB | first run, empty cache folder, ms |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for r in one_file:
            print(f"| {r['file']} | {r['bytes']} | {r['median_ms']} | {r['min_ms']} | {r['runs']} | {r['peak_rss_MB']} "
                  f"| {r['first_run_ms']} |")
        if a.scaling:
            for key in a.formats.split(","):
                ext = FORMATS[key.strip()][0]
                h = next(r for r in rows if r["run"].startswith(f"{ext} half"))
                f = next(r for r in rows if r["run"].startswith(f"{ext} all pages"))
                print(f"# {ext}: {f['MB'] / h['MB']:.2f}x the bytes took {f['wall_s'] / h['wall_s']:.2f}x the time")
        if jobs:
            for key in a.formats.split(","):
                ext = FORMATS[key.strip()][0]
                j1 = next(r for r in rows if r["run"] == f"{ext} check --jobs 1")
                jd = next(r for r in rows if r["run"].startswith(f"{ext} check (default"))
                print(f"# {ext}: default jobs {j1['wall_s'] / jd['wall_s']:.2f}x as fast as --jobs 1")
        if a.json:
            with open(a.json, "w", encoding="utf-8") as fh:
                json.dump({"machine": machine(), "corpus": corpus, "rows": rows, "one_file": one_file}, fh, indent=2)
                fh.write("\n")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
