import os
import shutil
import subprocess

import pytest

from wellnesslint.discover import Entry, discover


def touch(root, *names):
    for name in names:
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x\n")


def paths(entries):
    return [e.path for e in entries]


def rel(root, entries):
    return [os.path.relpath(e.path, root).replace(os.sep, "/") for e in entries]


def test_directory_walk_filters_and_sorts(tmp_path):
    touch(
        tmp_path,
        "b.md",
        "a.html",
        "sub/c.markdown",
        "sub/d.htm",
        "sub/e.txt",
        "sub/f.py",
        "g.MD",
        ".hidden.md",
        ".hidden/x.md",
        ".git/y.md",
        "node_modules/pkg/readme.md",
        "deep/node_modules/z.md",
    )
    found = discover([str(tmp_path)])
    assert rel(tmp_path, found) == ["a.html", "b.md", "g.MD", "sub/c.markdown", "sub/d.htm", "sub/e.txt"]
    formats = {os.path.basename(e.path): e.format for e in found}
    assert formats == {
        "a.html": "html",
        "b.md": "markdown",
        "g.MD": "markdown",
        "c.markdown": "markdown",
        "d.htm": "html",
        "e.txt": "text",
    }
    assert all(e.error is None for e in found)


def test_explicit_files_whatever_extension(tmp_path):
    touch(tmp_path, "notes.rst", "page.html", ".hidden.md", "node_modules/x.md")
    found = discover(
        [str(tmp_path / "page.html"), str(tmp_path / "notes.rst"), str(tmp_path / ".hidden.md"), str(tmp_path / "node_modules/x.md")]
    )
    by_name = {os.path.basename(e.path): e.format for e in found}
    assert by_name == {"page.html": "html", "notes.rst": "text", ".hidden.md": "markdown", "x.md": "markdown"}


def test_missing_path_is_an_error_entry(tmp_path):
    touch(tmp_path, "a.md")
    missing = str(tmp_path / "nope.md")
    found = discover([missing, str(tmp_path)])
    assert Entry(missing, error="no such file or directory") in found
    assert str(tmp_path / "a.md") in paths(found)


def test_relative_paths_are_clean(tmp_path, monkeypatch):
    touch(tmp_path, "docs/a.md", "b.md")
    monkeypatch.chdir(tmp_path)
    assert paths(discover(["."])) == ["b.md", os.path.join("docs", "a.md")]
    assert paths(discover(["docs/"])) == [os.path.join("docs", "a.md")]
    assert paths(discover(["./docs"])) == [os.path.join("docs", "a.md")]


def test_each_file_once(tmp_path):
    touch(tmp_path, "a.md")
    found = discover([str(tmp_path), str(tmp_path / "a.md"), str(tmp_path)])
    assert paths(found) == [str(tmp_path / "a.md")]


def test_extensions_option(tmp_path):
    touch(tmp_path, "a.md", "b.mdx")
    assert [os.path.basename(p) for p in paths(discover([str(tmp_path)], extensions=["mdx"]))] == ["b.mdx"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlink_loop_terminates(tmp_path):
    touch(tmp_path, "a/b.md")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")  # a/loop -> a
    os.symlink(tmp_path, tmp_path / "a" / "up")  # a/up -> root
    os.symlink(tmp_path / "gone", tmp_path / "a" / "broken.md")  # dangling link: skipped in a walk
    found = discover([str(tmp_path)])
    assert rel(tmp_path, found) == ["a/b.md"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinked_directory_is_followed(tmp_path):
    touch(tmp_path, "real/x.md")
    (tmp_path / "site").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "site" / "linked")
    assert rel(tmp_path, discover([str(tmp_path / "site")])) == ["site/linked/x.md"]


def test_broken_explicit_symlink(tmp_path):
    os.symlink(tmp_path / "gone.md", tmp_path / "link.md")
    [entry] = discover([str(tmp_path / "link.md")])
    assert entry.error == "broken symbolic link"


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def git(cwd, *args):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@needs_git
def test_gitignored_paths_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("build/\n*.draft.md\ndocs/private.md\n")
    touch(tmp_path, "a.md", "x.draft.md", "build/out.html", "build/deep/more.md", "docs/private.md", "docs/public.md", "tracked.draft.md")
    git(tmp_path, "add", "-f", "tracked.draft.md")  # tracked files are never ignored
    found = rel(tmp_path, discover([str(tmp_path)]))
    assert found == ["a.md", "docs/public.md", "tracked.draft.md"]
    # from a sub-directory, the same rules apply
    assert rel(tmp_path, discover([str(tmp_path / "docs")])) == ["docs/public.md"]
    # a directory given explicitly is walked even when ignored as a whole
    assert rel(tmp_path, discover([str(tmp_path / "build")])) == ["build/deep/more.md", "build/out.html"]
    # an ignored file given explicitly is linted
    assert rel(tmp_path, discover([str(tmp_path / "x.draft.md")])) == ["x.draft.md"]


def test_without_git(tmp_path, monkeypatch):
    touch(tmp_path, "a.md")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # git cannot be found
    assert rel(tmp_path, discover([str(tmp_path)])) == ["a.md"]
