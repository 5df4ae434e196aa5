"""Expand the paths given on the command line into the files to lint.

- A file named explicitly is linted whatever its extension (and even when hidden or git-ignored);
  its format comes from the extension, ``text`` when the extension is unknown.
- A directory is walked recursively for files with the given extensions (by default
  ``.md .markdown .html .htm .txt``). The walk skips hidden files and folders (name starting
  with a dot, so ``.git`` too), ``node_modules``, ``__pycache__`` and ``site-packages``, and
  every path git ignores (``.gitignore``, ``.git/info/exclude``, the global excludes file) when
  the directory is inside a git work tree: one ``git ls-files`` call per directory. Without git,
  or outside a work tree, nothing is git-ignored. A directory given explicitly is walked even if
  git ignores it as a whole (its contents are then all linted).
- Symbolic links are followed, and each real directory is visited once, so links that loop end.
- The result is sorted by path and holds each real file once. A path that does not exist is an
  entry with an ``error``; the other paths are still expanded.
"""

from __future__ import annotations

import os
from typing import Iterable, NamedTuple, Sequence

from .documents import DEFAULT_EXTENSIONS, format_for_path

SKIP_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})

__all__ = ["Entry", "SKIP_DIRS", "discover", "git_ignored", "printable"]


def printable(path: str) -> str:
    """``path`` as text that can be printed and written as UTF-8.

    A file name that is not valid UTF-8 reaches Python with its odd bytes as lone surrogates
    (``os.fsdecode``); those cannot be encoded, so they are shown as ``\\xNN`` escapes instead.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


class Entry(NamedTuple):
    """A file to lint (``format`` set) or a path that could not be used (``error`` set)."""

    path: str
    format: str | None = None
    error: str | None = None


def _is_hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


def git_ignored(root: str) -> tuple[set[str], set[str]] | None:
    """Git-ignored (files, directories) under ``root``, relative to it with ``/`` separators.

    None when git is missing or ``root`` is not inside a work tree. Directories are listed
    without the trailing slash; ``"."`` among them means that ``root`` itself is ignored.
    """
    import subprocess  # only a folder walk asks git (a pre-commit run names its files)

    try:
        proc = subprocess.run(
            ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, ValueError):
        return None
    if proc.returncode != 0:
        return None
    files: set[str] = set()
    dirs: set[str] = set()
    for raw in proc.stdout.split(b"\0"):
        if not raw:
            continue
        name = os.fsdecode(raw)
        if name.endswith("/"):
            dirs.add(name.rstrip("/") or ".")
        else:
            files.add(name)
    return files, dirs


def _join(root: str, rel: str) -> str:
    return os.path.normpath(os.path.join(root, rel)) if rel else root


def _walk(root: str, extensions: frozenset[str], seen_dirs: set[str]) -> Iterable[str]:
    ignored = git_ignored(root)
    ign_files, ign_dirs = ignored if ignored is not None else (set(), set())
    if "." in ign_dirs:  # the directory given is ignored as a whole: lint all of it
        ign_files, ign_dirs = set(), set()

    stack = [""]  # directories relative to root, "/"-separated
    while stack:
        rel = stack.pop()
        here = _join(root, rel)
        real = os.path.realpath(here)
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        try:
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            if _is_hidden(name):
                continue
            child = f"{rel}/{name}" if rel else name
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                continue
            if is_dir:
                if name in SKIP_DIRS or child in ign_dirs or child in ign_files:
                    continue
                subdirs.append(child)
                continue
            if os.path.splitext(name)[1].lower() not in extensions:
                continue
            if child in ign_files:
                continue
            try:
                if not entry.is_file():  # a broken link, a socket, a fifo
                    continue
            except OSError:
                continue
            yield _join(root, child)
        stack.extend(reversed(subdirs))


def discover(paths: Sequence[str], extensions: Iterable[str] = DEFAULT_EXTENSIONS) -> list[Entry]:
    """Expand ``paths`` into sorted :class:`Entry` values (see the module docstring)."""
    exts = frozenset(e.lower() if e.startswith(".") else "." + e.lower() for e in extensions)
    found: dict[str, Entry] = {}
    seen_files: set[str] = set()
    seen_dirs: set[str] = set()

    def add_file(path: str) -> None:
        real = os.path.realpath(path)
        if real in seen_files:
            return
        seen_files.add(real)
        found.setdefault(path, Entry(path, format_for_path(path, "text")))

    for given in paths:
        if os.path.isdir(given):
            for path in _walk(given, exts, seen_dirs):
                add_file(path)
        elif os.path.exists(given):
            add_file(given)
        elif os.path.lexists(given):
            found.setdefault(given, Entry(given, error="broken symbolic link"))
        else:
            found.setdefault(given, Entry(given, error="no such file or directory"))
    return [found[p] for p in sorted(found)]
