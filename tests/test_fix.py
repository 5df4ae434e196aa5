"""Applying suggestions: edits, diff, --fix / --unsafe-fixes on files (md, html, txt; CRLF, BOM, mode)."""

from __future__ import annotations

import codecs
import os
import stat
import sys

import pytest

from wellnesslint.cli import main
from wellnesslint.engine import lint_text
from wellnesslint.fix import Edit, FixError, apply_edits, apply_suggestions, unified_diff, write_atomic
from wellnesslint.source import read_source

MD = """---
title: Microdoseren
---

# Microdoseren met truffels

Onze truffels **genezen** depressie, en dat binnen een paar weken.

- Geen bijwerkingen
- Bezorging binnen twee dagen
"""

HTML = """<!doctype html>
<html lang="en">
<body>
  <main>
    <h1>Magic truffles</h1>
    <p>Our truffles <strong>cure</strong> anxiety &amp; depression.</p>
    <p>Shipping within two days.</p>
  </main>
</body>
</html>
"""

TXT = """Ademwerk bij burn-out
Met onze ademsessies kom je in zes weken van je burn-out af.
Sommige deelnemers merken na een paar weken meer rust.
"""


def run(*argv) -> int:
    return main(["check", "--no-color", *argv])


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(MD, encoding="utf-8", newline="")
    (tmp_path / "page.html").write_text(HTML, encoding="utf-8", newline="")
    (tmp_path / "notes.txt").write_text(TXT, encoding="utf-8", newline="")
    return tmp_path


# ------------------------------------------------------------------------------------ edits


def test_apply_edits_in_order_skipping_overlaps_and_duplicates():
    src = "abcdefghij"
    edits = [Edit(6, 8, "X"), Edit(1, 3, "Y"), Edit(2, 4, "Z"), Edit(1, 3, "Y"), Edit(10, 10, "!"), Edit(8, 8, "+")]
    result = apply_edits(src, edits)
    assert result.text == "aYdefX+ij!"
    assert [(e.start, e.end) for e in result.skipped] == [(2, 4)]
    assert len(result.applied) == 4


def test_edits_only_touch_their_ranges():
    text = "Intro.\nOnze truffels genezen depressie.\nSlot.\n"
    new, result = apply_suggestions(text, [f for f in lint_text(text, lang="nl") if f.category != "missing_disclaimer"])
    (edit,) = result.applied
    assert new[: edit.start] == text[: edit.start]
    assert new[edit.start + len(edit.text) :] == text[edit.end :]


def test_safe_only_skips_unsafe():
    text = "Onze truffels genezen depressie.\n"
    found = lint_text(text, lang="nl")
    new, result = apply_suggestions(text, found, unsafe=False)
    assert new == text and not result.applied
    assert result.available["unsafe"] >= 1


def test_unified_diff_format():
    diff = unified_diff("x.txt", "a\nb\nc", "a\nB\nc")
    assert diff.splitlines()[:2] == ["--- x.txt", "+++ x.txt"]
    assert "-b\n+B\n" in diff
    assert diff.endswith(" c\n\\ No newline at end of file\n")
    assert unified_diff("x", "same", "same") == ""


# ------------------------------------------------------------------------------------ CLI


def test_diff_prints_and_writes_nothing(site, capsys):
    before = {p.name: p.read_bytes() for p in site.iterdir()}
    code = run(".", "--diff", "--unsafe-fixes")
    out, err = capsys.readouterr()
    assert code == 1
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before
    assert "--- page.md\n+++ page.md\n" in out and "--- page.html" in out and "--- notes.txt" in out
    assert "-Onze truffels **genezen** depressie, en dat binnen een paar weken.\n" in out
    assert "+Onze truffels genezen geen" not in out
    assert "Would apply" in err


def test_diff_without_unsafe_fixes_shows_nothing_and_says_why(site, capsys):
    code = run("page.md", "--diff")
    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    assert "unsafe fixes available, use --unsafe-fixes" in err


def test_fix_alone_applies_no_unsafe_fix(site, capsys):
    before = (site / "page.md").read_bytes()
    code = run("page.md", "--fix")
    out, err = capsys.readouterr()
    assert code == 1  # the findings remain
    assert (site / "page.md").read_bytes() == before
    assert "unsafe fixes available, use --unsafe-fixes" in err
    assert "WL101" in out


@pytest.mark.parametrize("name", ["page.md", "page.html", "notes.txt"])
def test_fix_unsafe_then_a_second_run_is_clean(site, capsys, name):
    path = site / name
    os.chmod(path, 0o640)
    code = run(name, "--fix", "--unsafe-fixes")
    out, err = capsys.readouterr()
    assert "Applied" in err
    fixed = path.read_bytes()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert code == 0, out
    # nothing left to fix
    code = run(name, "--fix", "--unsafe-fixes")
    out, err = capsys.readouterr()
    assert code == 0 and path.read_bytes() == fixed
    assert "No fixes applied." in err
    assert not [p for p in site.iterdir() if "wellnesslint-tmp" in p.name]


@pytest.mark.parametrize(
    "bom,newline",
    [(b"", "\r\n"), (codecs.BOM_UTF8, "\n"), (codecs.BOM_UTF8, "\r\n"), (codecs.BOM_UTF16_LE, "\r\n")],
)
@pytest.mark.parametrize("name,text", [("page.md", MD), ("page.html", HTML), ("notes.txt", TXT)])
def test_fix_keeps_encoding_bom_and_newlines(site, capsys, bom, newline, name, text):
    codec = {codecs.BOM_UTF16_LE: "utf-16-le"}.get(bom, "utf-8")
    data = bom + text.replace("\n", newline).encode(codec)
    path = site / name
    path.write_bytes(data)
    run(name, "--fix", "--unsafe-fixes")
    capsys.readouterr()
    out = path.read_bytes()
    assert out.startswith(bom) and out != data
    src = read_source(out)
    assert src.bom == bom
    assert src.newline == newline  # inserted paragraphs follow the file's newline style
    # every line that was not rewritten is byte-identical
    old_lines = text.replace("\n", newline).split(newline)
    new_lines = src.text.split(newline)
    kept = [line for line in old_lines if line in new_lines]
    assert len(kept) >= len(old_lines) - 4
    assert run(name, "--diff", "--unsafe-fixes") == 0
    capsys.readouterr()


def test_fix_follows_a_symlink(site, capsys):
    target = site / "real.md"
    target.write_text(MD, encoding="utf-8")
    link = site / "link.md"
    link.symlink_to(target)
    run("link.md", "--fix", "--unsafe-fixes")
    capsys.readouterr()
    assert link.is_symlink()
    assert "genezen** depressie" not in target.read_text(encoding="utf-8")


def test_fix_on_stdin_writes_the_fixed_text(site, capsys, monkeypatch):
    import io

    data = "Onze truffels genezen depressie.\n".encode()

    class Stdin:
        buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", Stdin())
    code = main(["check", "-", "--stdin-filename", "x.txt", "--fix", "--unsafe-fixes", "--lang", "nl"])
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("Sommige mensen melden") and "Applied" in err


def test_write_refuses_a_file_that_changed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("one\n", encoding="utf-8")
    src = read_source(str(path))
    path.write_text("two\n", encoding="utf-8")
    with pytest.raises(FixError):
        write_atomic(str(path), "three\n", src)
    assert path.read_text(encoding="utf-8") == "two\n"


# ------------------------------------------------------------------------------------ safety


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_fix_refuses_a_symlink_out_of_the_checked_folders(site, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "target.md").write_text(MD, encoding="utf-8")
    (outside / "docs").mkdir()
    (outside / "docs" / "deep.md").write_text(MD, encoding="utf-8")
    (site / "link.md").symlink_to(outside / "target.md")
    (site / "docs").symlink_to(outside / "docs", target_is_directory=True)
    before = {p: p.read_bytes() for p in (outside / "target.md", outside / "docs" / "deep.md")}
    code = run(".", "--fix", "--unsafe-fixes")  # the walk follows both links
    out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines()[:2] == [
        f"docs/deep.md: error: not written: a symbolic link leads to {outside / 'docs' / 'deep.md'}, outside the checked folders",
        f"link.md: error: not written: a symbolic link leads to {outside / 'target.md'}, outside the checked folders",
    ]
    assert {p: p.read_bytes() for p in before} == before
    assert "genezen** depressie" not in (site / "page.md").read_text(encoding="utf-8")  # files inside are fixed
    code = run("link.md", "--fix", "--unsafe-fixes")  # named on the command line: the same
    assert code == 2 and capsys.readouterr().err.startswith("link.md: error: not written: a symbolic link leads to ")
    assert (outside / "target.md").read_bytes() == before[outside / "target.md"]
    # the folder a link points to is inside the check when the link itself is given
    code = run(str(site / "docs"), "--fix", "--unsafe-fixes")
    capsys.readouterr()
    assert (outside / "docs" / "deep.md").read_bytes() != before[outside / "docs" / "deep.md"]
    assert (site / "docs").is_symlink()


def _half_then(error):
    """An ``os.fdopen`` whose file writes half of what it is given, then fails with ``error``."""
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)

        class Half:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                fh.close()

            def write(self, data):
                fh.write(data[: len(data) // 2])
                fh.flush()
                raise error

            def __getattr__(self, name):
                return getattr(fh, name)

        return Half()

    return fdopen


@pytest.mark.parametrize(
    "where, error",
    [
        ("write", OSError(28, "No space left on device")),
        ("write", KeyboardInterrupt()),
        ("fsync", OSError(5, "Input/output error")),
        ("chmod", PermissionError(1, "Operation not permitted")),
        ("replace", OSError(18, "Invalid cross-device link")),
    ],
)
def test_a_write_killed_half_way_leaves_the_original_and_no_temporary_file(tmp_path, monkeypatch, where, error):
    path = tmp_path / "page.md"
    data = codecs.BOM_UTF8 + MD.replace("\n", "\r\n").encode()
    path.write_bytes(data)
    os.chmod(path, 0o640)
    src = read_source(str(path))
    if where == "write":
        monkeypatch.setattr(os, "fdopen", _half_then(error))
    else:
        def fail(*args, **kwargs):
            raise error

        monkeypatch.setattr(os, where, fail)
    expected = FixError if isinstance(error, OSError) else type(error)
    with pytest.raises(expected):
        write_atomic(str(path), src.text.replace("genezen", "helpen bij"), src)
    monkeypatch.undo()
    assert path.read_bytes() == data
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]  # no temporary file left behind


def test_fix_run_whose_writes_fail_reports_each_file_and_changes_nothing(site, capsys, monkeypatch):
    before = {p.name: p.read_bytes() for p in site.iterdir()}

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    code = run(".", "--fix", "--unsafe-fixes")
    out, err = capsys.readouterr()
    assert code == 2
    assert err.splitlines()[:3] == [
        "notes.txt: error: cannot write: No space left on device",
        "page.html: error: cannot write: No space left on device",
        "page.md: error: cannot write: No space left on device",
    ]
    assert {p.name: p.read_bytes() for p in site.iterdir()} == before  # and no temporary files


def test_fix_leaves_a_read_only_file_alone(site, capsys, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: not str(p).endswith("page.md") and real_access(p, mode))
    before = (site / "page.md").read_bytes()
    code = run("page.md", "--fix", "--unsafe-fixes")
    _, err = capsys.readouterr()
    assert code == 2 and err.startswith("page.md: error: not written: the file is read-only\n")
    assert (site / "page.md").read_bytes() == before
