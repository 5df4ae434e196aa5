"""--jobs: parallel runs give the same output as serial ones; progress on a terminal; --quiet and --exit-zero."""

import io
import pathlib
import shutil

from wellnesslint import runner
from wellnesslint.cli import main

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_jobs_2_output_equals_jobs_1(tmp_path, capsys, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(REPO / "fixtures", site)
    for i, page in enumerate(sorted(p for p in site.rglob("*") if p.is_file())):
        shutil.copy(page, page.with_name(f"copy{i}{page.suffix}"))  # more files than workers
    (site / "suppressed.md").write_text("<!-- wellnesslint-disable-next-line WL203 -->\nRustig.\n")
    (site / "broken.md").write_bytes(b"\x00\x01binary")
    monkeypatch.chdir(site)
    outputs = {}
    for jobs in ("1", "2"):
        for fmt in ("full", "json"):
            code = main(["check", ".", "--jobs", jobs, "--output-format", fmt, "--no-color"])
            out, err = capsys.readouterr()
            outputs[jobs, fmt] = (code, out, err)
    assert outputs["1", "full"] == outputs["2", "full"]
    assert outputs["1", "json"] == outputs["2", "json"]
    code, out, err = outputs["2", "full"]
    assert code == 2 and err == "broken.md: error: binary file (contains NUL bytes)\n"
    assert "suppressed.md:1:1: WL900" in out and "copy" in out


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_after_a_second():
    now = [0.0]
    stream = Tty()
    progress = runner.Progress(100, stream, enabled=True, clock=lambda: now[0])
    progress.update(1)
    assert stream.getvalue() == ""  # quick runs show nothing
    now[0] = 1.5
    progress.update(40)
    assert stream.getvalue() == "\rwellnesslint: checked 40/100 files"
    now[0] = 1.55
    progress.update(41)  # at most ten updates a second ...
    now[0] = 1.56
    progress.update(100)  # ... but the last one always shows
    progress.finish()
    assert stream.getvalue() == "\rwellnesslint: checked 40/100 files\rwellnesslint: checked 100/100 files\r\x1b[K"
    # not a terminal, or --quiet: never
    for stream, enabled in ((io.StringIO(), True), (Tty(), False)):
        progress = runner.Progress(5, stream, enabled=enabled, clock=lambda: 10.0 + now[0])
        now[0] = 100.0
        progress.update(5)
        progress.finish()
        assert stream.getvalue() == ""


def test_quiet_and_exit_zero_exist(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text("Deze thee geneest hoofdpijn.\n")
    assert main(["check", "--exit-zero", "--quiet", "--output-format", "concise"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("page.md:1:11: WL101") and "Found" not in out


def test_jobs_must_be_positive(capsys):
    assert main(["check", "--jobs", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_batches_cover_every_job_once_largest_first(tmp_path):
    sizes = [5, 3_000_000, 40_000, 0, 120_000, 7, 2_500_000] + [1_000 + i for i in range(300)]
    jobs = []
    for i, size in enumerate(sizes):
        page = tmp_path / f"p{i}.md"
        page.write_bytes(b"x" * size)
        jobs.append(runner.Job(str(page), "markdown"))
    jobs.append(runner.Job("-", "text", b"y" * 60_000))  # stdin: its length
    jobs.append(runner.Job(str(tmp_path / "gone.md"), "markdown"))  # unreadable: size 0, still a job
    out = runner.batches(jobs, 2)
    flat = [i for batch in out for i in batch]
    assert sorted(flat) == list(range(len(jobs)))
    assert out[0] == [1] and out[1] == [6]  # the two big pages alone, first
    assert len(out) < len(jobs) / 4  # small pages travel together ...
    nbytes = [sum(runner._size(jobs[i]) for i in batch) for batch in out]
    assert nbytes[-1] <= runner.BATCH_MIN_BYTES + 2_000 < nbytes[2]  # ... in batches that get smaller towards the end


def test_one_job_lints_the_largest_files_first_and_reports_in_order(tmp_path, monkeypatch):
    sizes = [10, 5_000, 200, 80_000, 0]
    jobs = []
    for i, size in enumerate(sizes):
        page = tmp_path / f"p{i}.md"
        page.write_text("Rustig. " * (size // 8), encoding="utf-8")
        jobs.append(runner.Job(str(page), "markdown"))
    seen = []

    def spy(job, options, settings):
        seen.append(job.path)
        return runner.FileResult(job.path)

    monkeypatch.setattr(runner, "lint_file", spy)
    results = runner.run_jobs(jobs, runner.Options(), [None], 1)
    assert [r.path for r in results] == [j.path for j in jobs]  # reported in the given order
    assert seen == [jobs[i].path for i in (3, 1, 2, 0, 4)]  # linted largest first
