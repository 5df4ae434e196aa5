"""A cache of compiled rulesets, so a one-file run does not parse YAML or compile regexes.

Loading the built-in rulesets means parsing YAML and compiling several hundred regular
expressions; that costs far more than linting one page. The loaded rulesets are pickled (the
``regex`` module pickles a pattern with its compiled code, so unpickling does not compile again)
into a user cache folder, under a key made of

- the contents of every ruleset file (``<folder>/*/*.yaml``) and their names,
- the source of the modules that turn those files into rules (so a code change is picked up
  even without a version bump), the package version, the Python and ``regex`` versions.

Any change gives a new key; the old entry is simply not used again (the most recently used
few are kept).

The folder is ``$WELLNESSLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/wellnesslint``, else
``~/.cache/wellnesslint``. ``WELLNESSLINT_NO_CACHE=1`` turns the cache off. Everything here fails
silently: an unwritable or foreign folder, a corrupt or incompatible entry, a race between two
processes -- the rulesets are then simply built as without a cache. Entries are written
atomically (a temporary file renamed into place) and only read from a folder that belongs to the
current user and that nobody else can write to.
"""

from __future__ import annotations

import _thread
import gc
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

KEEP = 16  # entries kept per kind; the least recently used go when a new one is written

# modules whose code decides what a loaded ruleset looks like
_BUILDERS = (
    "cache.py",
    "ruleset.py",
    "language.py",
    "yamlload.py",
    "trigger.py",
    "rules/base.py",
    "rules/pair.py",
    "rules/phrase.py",
    "rules/disclaimer.py",
)


def cache_dir() -> Path | None:
    if os.environ.get("WELLNESSLINT_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no"):
        return None
    explicit = os.environ.get("WELLNESSLINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "wellnesslint"
    try:
        return Path.home() / ".cache" / "wellnesslint"
    except (RuntimeError, KeyError, OSError):
        return None


def _code_fingerprint(h: Any) -> None:
    from . import __version__

    try:
        import regex

        regex_version = regex.__version__
    except Exception:  # pragma: no cover
        regex_version = "?"
    h.update(f"{__version__}|{sys.implementation.cache_tag}|{sys.version}|regex {regex_version}|"
             f"pickle {pickle.HIGHEST_PROTOCOL}\n".encode())
    here = Path(__file__).resolve().parent
    for name in _BUILDERS:
        try:
            h.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        except OSError:
            h.update(name.encode() + b"\0missing\0")


def _hasher():
    try:  # the module alone: importing hashlib (OpenSSL) costs more than the whole lookup
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover
        from hashlib import blake2b
    return blake2b(digest_size=20)


def key_for(kind: str, files: Iterable[Path]) -> str:
    """A hex digest of ``kind``, the code fingerprint and the names and contents of ``files``."""
    h = _hasher()
    h.update(kind.encode() + b"\n")
    _code_fingerprint(h)
    for path in files:
        h.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _trusted(folder: Path) -> bool:
    """The folder belongs to this user and nobody else may write to it."""
    try:
        st = folder.stat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    return not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


# A segmented entry (see Segmented) starts with this, then the header's length (8 bytes, little
# endian), the header pickle and the segments.
_SEGMENTED = b"WLSEGS1\n"


class Segmented:
    """What a ``pack`` function returns for an entry read in pieces: a header (any picklable
    value, read with the entry) that names its segments by :meth:`add` refs, and the segments,
    raw bytes that stay in the file until :meth:`SegmentReader.read` is asked for one."""

    def __init__(self) -> None:
        self.header: Any = None
        self.segments: list[bytes] = []
        self.size = 0

    def add(self, blob: bytes) -> tuple[int, int]:
        """Store ``blob``; its ref, (offset, length) in the segment area."""
        ref = (self.size, len(blob))
        self.segments.append(blob)
        self.size += len(blob)
        return ref

    def dumps(self) -> bytes:
        header = pickle.dumps((self.size, self.header), protocol=pickle.HIGHEST_PROTOCOL)
        return b"".join((_SEGMENTED, len(header).to_bytes(8, "little"), header, *self.segments))


class SegmentReader:
    """Reads the segments of one cache file from a descriptor kept open for the purpose: the
    file may be replaced or pruned meanwhile (by another run), the descriptor still reads the
    file the header came from. Closed when the reader is no longer referenced."""

    def __init__(self, fd: int, base: int) -> None:
        import weakref

        self.fd = fd
        self.base = base
        weakref.finalize(self, os.close, fd)

    def read(self, ref: tuple[int, int]) -> bytes:
        offset, length = ref
        pos = self.base + offset
        chunks = []
        while length > 0:
            if hasattr(os, "pread"):
                chunk = os.pread(self.fd, length, pos)
            else:  # Windows: seek and read, one thread at a time
                with _LOCK:
                    os.lseek(self.fd, pos, os.SEEK_SET)
                    chunk = os.read(self.fd, length)
            if not chunk:
                raise OSError("cache entry truncated")
            chunks.append(chunk)
            pos += len(chunk)
            length -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _read(path: Path) -> Any:
    """The entry at ``path``: its value, or for a segmented one (header, SegmentReader)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise OSError("not ours")
        head = fh.read(len(_SEGMENTED) + 8)
        if not head.startswith(_SEGMENTED):
            fh.seek(0)
            return pickle.load(fh)
        length = int.from_bytes(head[len(_SEGMENTED):], "little")
        size, header = pickle.loads(fh.read(length))
        base = len(head) + length
        if st.st_size != base + size:
            raise OSError("cache entry truncated")
        return header, SegmentReader(os.dup(fh.fileno()), base)


def _write(folder: Path, name: str, value: Any, kind: str) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not _trusted(folder):
        return
    import tempfile

    data = value.dumps() if isinstance(value, Segmented) else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    # keep only the newest few entries of this kind
    try:
        entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink()
    except OSError:
        pass


def cached(kind: str, files: Callable[[], Iterable[Path]], build: Callable[[], Any],
           pack: Callable[[Any], Any] | None = None, unpack: Callable[[Any], Any] | None = None) -> Any:
    """``build()``, or its pickled result from an earlier run with the same ``files`` and code.

    With ``pack`` and ``unpack`` the entry holds ``pack(build())`` and a hit returns
    ``unpack(entry)`` (an entry ``unpack`` rejects with an exception is built again). A
    :class:`Segmented` entry is unpacked from (its header, a :class:`SegmentReader`)."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        name = f"{kind}-{key_for(kind, sorted(files()))}.pickle"
    except (OSError, ValueError):
        return build()  # unreadable input: let the loader report it
    path = folder / name
    if _trusted(folder):
        try:
            value = _read(path)
            if unpack is not None:
                value = unpack(value)
            try:
                os.utime(path)  # recently used: kept when old entries are pruned
            except OSError:
                pass
            return value
        except FileNotFoundError:
            pass
        except Exception:  # corrupt, truncated, from an incompatible build: rebuild it
            pass
    value = build()
    try:
        _write(folder, name, pack(value) if pack is not None else value, kind)
    except Exception:  # read-only home, full disk, unpicklable value: run without a cache
        pass
    return value


def ruleset_files(folder: Path) -> list[Path]:
    """Every file ``ruleset.load_rulesets(folder)`` may read."""
    return sorted(p for p in folder.glob("*/*.yaml") if p.is_file())


# --------------------------------------------------------------------------- rulesets in parts
#
# A one-file run needs little of the built-in rulesets: the language profiles of every language
# (language detection), the compiled document checks, and of the page's own language usually only
# the prefilter (most blocks hold no claim word, so the rules are never asked). Unpickling all of
# it took about as long as the rest of a run. So the cache entry holds each ruleset in parts --
# its light fields (lang, profile, lexicons) and one pickle per heavy field group -- and a loaded
# ruleset unpickles a group the first time one of its fields is read. The groups share no mutable
# objects (the prefilter holds compiled patterns that the rules hold too; a pattern is immutable,
# so each group may have its own copy).
#
# The entry is segmented (see Segmented): a run reads the header (the rule codes and where each
# part lies) and then only the parts it loads, so a page in one language never reads the other
# language's parts (over half of the 2 MB file).

_LIGHT = ("lang", "profile", "lexicons")
_GROUPS = (("extra",), ("compiled",), ("prefilter",), ("rules",))  # anything else goes with the rules
_FORMAT = "wellnesslint-rulesets-parts-2"


def _deferred_class():
    """The Ruleset subclass whose heavy fields are unpickled on first use (made once)."""
    global _DEFERRED
    if _DEFERRED is not None:
        return _DEFERRED
    from .ruleset import Ruleset

    class _Part:
        """Non-data descriptor: the first read of the field loads its group into the instance."""

        def __init__(self, name: str) -> None:
            self.name = name

        def __get__(self, obj: Any, owner: Any = None) -> Any:
            if obj is None:
                return self
            return obj._load_part(self.name)

    class DeferredRuleset(Ruleset):
        """A :class:`~wellnesslint.ruleset.Ruleset` read from the cache in parts (see above).

        It behaves as the ruleset itself: a field's first read loads its group, and once a field
        is in the instance dict the class descriptor is no longer consulted. Pickling or copying
        loads every group and gives a plain Ruleset."""

        def _load_part(self, name: str) -> Any:
            with _LOCK:
                parts = self.__dict__.get("_parts")
                for entry in list(parts or ()):
                    if name in entry[0]:
                        blob = self.__dict__["_reader"].read(entry[1])
                        for key, value in _loads(blob).items():
                            self.__dict__.setdefault(key, value)  # a field set meanwhile wins
                        parts.remove(entry)
                        if not parts:
                            del self.__dict__["_parts"], self.__dict__["_reader"]
                        break
            try:
                return self.__dict__[name]
            except KeyError:
                raise AttributeError(name) from None

        def load_all(self) -> "DeferredRuleset":
            while self.__dict__.get("_parts"):
                names = self.__dict__["_parts"][0][0]
                self._load_part(names[0])
            return self

        def deferred_codes(self) -> list[tuple[str, str]] | None:
            """(code, category) of every rule, document checks included, while the rules are not loaded."""
            return None if "rules" in self.__dict__ else self.__dict__.get("_codes")

        def __reduce_ex__(self, protocol: int):
            self.load_all()
            state = {k: v for k, v in self.__dict__.items() if k not in ("_codes", "_reader")}
            return (_plain_ruleset, (state,))

    for names in _GROUPS:
        for name in names:
            setattr(DeferredRuleset, name, _Part(name))
    _DEFERRED = DeferredRuleset
    return _DEFERRED


_DEFERRED: Any = None
_LOCK = _thread.RLock()  # one group is unpickled once, also when threads ask at the same time


def _loads(blob: bytes) -> Any:
    """pickle.loads without the garbage collector: unpickling tens of thousands of objects (none of
    them garbage) would otherwise start collections that only walk the heap. The objects live as
    long as the process, so they are then moved out of the collector's sight (``gc.freeze``):
    every later collection, and the one at exit, would walk them all again (half the time of a
    one-file run's exit). Only cycles that are garbage at that moment stay uncollected."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(blob)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _plain_ruleset(state: dict) -> Any:
    from .ruleset import Ruleset

    rs = Ruleset.__new__(Ruleset)
    rs.__dict__.update(state)
    return rs


class LazyPatterns:
    """The compiled patterns of a prefilter read from the cache, each unpickled (compiled) when it
    is first asked for: a page asks for a few dozen of several hundred (those whose stems occur).

    The prefilter only indexes its pattern list; this is a read-only sequence of the same patterns
    (pickled, it stays lazy)."""

    __slots__ = ("_blobs", "_done")

    def __init__(self, blobs: list[bytes]) -> None:
        self._blobs = blobs
        self._done: list[Any] = [None] * len(blobs)

    @classmethod
    def of(cls, patterns: list[Any]) -> "LazyPatterns":
        return cls([pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) for p in patterns])

    def __len__(self) -> int:
        return len(self._blobs)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._blobs)))]
        found = self._done[index]
        if found is None:
            found = self._done[index] = pickle.loads(self._blobs[index])
        return found

    def __iter__(self):
        for i in range(len(self._blobs)):
            yield self[i]

    def __reduce__(self):
        return (LazyPatterns, (self._blobs,))


def _lazy_prefilter(prefilter: Any) -> Any:
    """A copy of a built trigger.Prefilter whose patterns compile on first use (else itself)."""
    if type(prefilter).__name__ != "Prefilter" or getattr(prefilter, "_todo", True) is not None:
        return prefilter
    patterns = getattr(prefilter, "patterns", None)
    if not isinstance(patterns, list):
        return prefilter
    import copy

    clone = copy.copy(prefilter)
    clone.patterns = LazyPatterns.of(patterns)
    return clone


def _dumps_part(group: dict) -> bytes:
    """pickle.dumps, but compiled ``regex`` patterns go in as :class:`~wellnesslint.lazyre.
    LazyPattern`: a part then unpickles without loading its several hundred patterns (a page
    needs a few of them). Each carries its pickled compiled code, which unpickles, when the
    pattern is first used, in about 1/20 of the time compiling takes."""
    import io

    import regex

    from .lazyre import LazyPattern

    pattern_type = type(regex.compile(""))

    class PartPickler(pickle.Pickler):
        def reducer_override(self, obj: Any) -> Any:
            if type(obj) is pattern_type:
                return LazyPattern.of(obj).__reduce__()
            return NotImplemented

    buf = io.BytesIO()
    PartPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(group)
    return buf.getvalue()


def pack_rulesets(rulesets: dict) -> Segmented:
    """The cache form of loaded rulesets: per language a segment of light fields and one per group."""
    from .catalog import extra_rules

    entry = Segmented()
    out = {}
    for lang, rs in rulesets.items():
        state = dict(rs.__dict__)
        light = {k: state.pop(k) for k in _LIGHT}
        parts = []
        for names in _GROUPS:
            group = {k: state.pop(k) for k in names if k in state}
            if "prefilter" in group:
                group["prefilter"] = _lazy_prefilter(group["prefilter"])
            if names is _GROUPS[-1]:
                group.update(state)  # caches kept on the instance go with the rules
            parts.append((names, entry.add(_dumps_part(group))))
        codes = [(r.id, r.category) for r in [*rs.rules, *extra_rules(rs)]]
        out[lang] = (entry.add(_dumps_part(light)), parts, codes)
    entry.header = (_FORMAT, out)
    return entry


def unpack_rulesets(packed: Any) -> dict:
    """Rulesets from a :func:`pack_rulesets` entry as read by the cache, (header, reader): the
    light fields are read now, each group on first use."""
    header, reader = packed if isinstance(packed, tuple) and len(packed) == 2 else (None, None)
    if not (isinstance(header, tuple) and len(header) == 2 and header[0] == _FORMAT
            and isinstance(reader, SegmentReader)):
        raise ValueError("not a packed rulesets entry")
    cls = _deferred_class()
    out = {}
    for lang, (light, parts, codes) in header[1].items():
        rs = cls.__new__(cls)
        rs.__dict__.update(_loads(reader.read(light)))
        rs.__dict__["_parts"] = list(parts)
        rs.__dict__["_reader"] = reader
        rs.__dict__["_codes"] = codes
        out[lang] = rs
    return out


def load_all(rulesets: Any) -> None:
    """Load every group of every ruleset now (before forking workers, so they share them)."""
    for rs in rulesets.values():
        if hasattr(type(rs), "load_all"):
            rs.load_all()
