"""``check --cache``: the findings of files that have not changed since an earlier run.

CI lints whole sites on every push, where most pages are what they were last time; linting a
page takes milliseconds, reading a remembered result a few microseconds. An entry holds what
``engine.lint_text`` gave for one text (before the rule selection, suppression comments and the
baseline, which are applied again on every run), under a key made of

- the code: every module of the package, its version, the Python version and the installed
  ``regex``, ``lxml``, ``markdown-it-pyrs`` and ``pyahocorasick`` (a code change without a
  version bump counts);
- the rulesets: the name and contents of every built-in rule file, and of the team's rule
  folders the file's settings name;
- what the file's settings pass to the engine: format, language and profile;
- the decoded text (so a file renamed or copied keeps its entry; the path is filled in again).

Entries live in ``<cache folder>/results/<code key>.sqlite`` (the folder of the rulesets cache,
see cache.py: ``$WELLNESSLINT_CACHE_DIR``, ``$XDG_CACHE_HOME/wellnesslint`` or
``~/.cache/wellnesslint``), so a new version of the code starts a new database; the most recently
used few are kept. Inside one, an entry not used for ``MAX_AGE_DAYS`` goes, checked once a day.
As with the rulesets cache, anything that goes wrong (unwritable or foreign folder, corrupt
entry, a race between processes) only means the file is linted as without a cache; entries are
written atomically and read only from a folder that belongs to the current user and nobody else
can write to.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import cache

KEEP = 4  # code versions whose entries are kept
MAX_AGE_DAYS = 30  # an entry not read or written for this long is removed
_FORMAT = b"wellnesslint-results-2"
_PACKAGES = ("regex", "lxml", "markdown_it_pyrs", "ahocorasick")


def _package_versions() -> str:
    """The installed libraries that parse and match, each by where its module lives and that
    file's size and time (importlib.metadata would be 15 ms of a one-file run)."""
    from importlib.util import find_spec

    out = []
    for name in _PACKAGES:
        try:
            origin = find_spec(name).origin  # type: ignore[union-attr]
            st = os.stat(origin)  # type: ignore[arg-type]
            out.append(f"{name} {origin} {st.st_size} {st.st_mtime_ns}")
        except Exception:  # not installed (ahocorasick is optional)
            out.append(f"{name} ?")
    return "|".join(out)


def code_key() -> str:
    """A digest of the package's modules and the versions that decide what the engine finds."""
    from . import __version__

    h = cache._hasher()
    h.update(_FORMAT + f"|{__version__}|{sys.version}|{_package_versions()}\n".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*.py")):
        h.update(str(path.relative_to(here)).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"\0missing")
        h.update(b"\0")
    return h.hexdigest()


def rulesets_key(folders: tuple[str, ...]) -> str:
    """A digest of the built-in rule files and those of the team folders ``folders``."""
    from .ruleset import builtin_dir

    h = cache._hasher()
    for folder in (builtin_dir(), *(Path(f) for f in folders)):
        h.update(str(folder).encode("utf-8", "surrogateescape") + b"\0\0")
        for path in cache.ruleset_files(Path(folder)):
            h.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


class ResultCache:
    """The entries of one code version, in one SQLite database: ``get`` and ``put`` the engine's
    findings for a text. (A file per entry cost 0.2-1 ms per new file on the benchmark VM, more
    than linting a small page; a row costs tens of microseconds.) Each process opens its own
    connection; worker processes write side by side (WAL mode, a short busy timeout, and an
    entry that cannot be written in time is simply not written)."""

    def __init__(self, db: Any, path: Path) -> None:
        self.db = db
        self.path = path
        self.today = int(time.time() // 86_400)
        self._rules: dict[tuple[str, ...], str | None] = {}

    @classmethod
    def open(cls) -> ResultCache | None:
        """The cache of this code version, or None (turned off, or no usable folder)."""
        base = cache.cache_dir()
        if base is None:
            return None
        root = base / "results"
        path = root / f"{code_key()[:32]}.sqlite"
        try:
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not (cache._trusted(base) and cache._trusted(root)):
                return None
            return cls._connect(path, root)
        except Exception:  # no sqlite3 module, a foreign or corrupt database, a full disk
            return None

    @classmethod
    def _connect(cls, path: Path, root: Path) -> ResultCache | None:
        import sqlite3

        for attempt in (1, 2):
            try:
                st = path.stat()
            except FileNotFoundError:
                pass
            else:
                if hasattr(os, "getuid") and st.st_uid != os.getuid():
                    return None
            db = sqlite3.connect(str(path), timeout=2.0, isolation_level=None, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, data BLOB NOT NULL, "
                           "used INTEGER NOT NULL)")
                self = cls(db, path)
                self._tidy(root)
                return self
            except sqlite3.DatabaseError:
                db.close()
                if attempt == 2:
                    raise
                _remove_db(path)  # not a database (any more): start it again
        return None

    def key(self, text: str, fmt: str, lang: str | None, profile: str, folders: tuple[str, ...]) -> str | None:
        """The entry name for linting ``text`` so; None when the rule files cannot be read."""
        rules = self._rules.get(folders, "")
        if rules == "":
            try:
                rules = rulesets_key(folders)
            except (OSError, ValueError):
                rules = None  # let the loader report it
            self._rules[folders] = rules
        if rules is None:
            return None
        h = cache._hasher()
        h.update(f"{rules}|{fmt}|{lang}|{profile}\n".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def get(self, key: str, path: str) -> list | None:
        """The findings remembered under ``key``, reported for ``path``; None if there are none."""
        try:
            row = self.db.execute("SELECT data, used FROM entries WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            found = pickle.loads(row[0])
            if not isinstance(found, list):
                return None
            if row[1] < self.today:  # recently used: kept when old entries are removed
                self.db.execute("UPDATE entries SET used = ? WHERE key = ?", (self.today, key))
            return [replace(f, path=path) for f in found]
        except Exception:  # corrupt, from an incompatible build, locked too long: lint again
            return None

    def put(self, key: str, findings: list) -> None:
        """Remember ``findings`` under ``key`` (silently nothing if that fails)."""
        try:
            data = pickle.dumps([replace(f, path="") for f in findings], protocol=pickle.HIGHEST_PROTOCOL)
            self.db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)", (key, data, self.today))
        except Exception:  # read-only or full disk, locked too long, unpicklable finding
            pass

    def _tidy(self, root: Path) -> None:
        """Keep the ``KEEP`` most recently used code versions; once a day, drop old entries of this one."""
        try:
            os.utime(self.path)
            versions = sorted(root.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in versions[KEEP:]:
                _remove_db(old)
            stamp = root / f"{self.path.stem}.tidied"
            if stamp.exists() and time.time() - stamp.stat().st_mtime < 86_400:
                return
            stamp.touch()
            self.db.execute("DELETE FROM entries WHERE used < ?", (self.today - MAX_AGE_DAYS,))
        except Exception:
            pass


def _remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass
    try:
        os.unlink(path.with_suffix(".tidied"))
    except OSError:
        pass


_OPEN: dict[int, ResultCache | None] = {}  # pid -> this process's cache (workers open their own)


def for_process() -> ResultCache | None:
    """This process's cache, opened on first use (see :func:`start_run`)."""
    pid = os.getpid()
    if pid not in _OPEN:
        _OPEN.clear()
        _OPEN[pid] = ResultCache.open()
    return _OPEN[pid]


def start_run() -> None:
    """A run starts: the rule files are hashed again (a long-lived process may run ``check``
    more than once, with rule files edited in between; forked workers inherit the reset)."""
    _OPEN.clear()
