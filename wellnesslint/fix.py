"""Apply suggestions to a source text: ``--diff``, ``--fix`` and ``--fix --unsafe-fixes``.

A finding's ``suggestion`` (see rewrite.py) names a source range by line and column and the text
that replaces it. Applying fixes:

- converts every suggestion of the selected applicability (``safe`` only, or also ``unsafe``) into
  an :class:`Edit` (source offsets), drops exact duplicates, sorts them and applies those that do
  not overlap an earlier one (the others are reported as skipped; a second run picks them up);
- touches no character outside the edited ranges;
- writes atomically: a temporary file in the same folder, flushed and fsynced, with the original
  file's mode, then ``os.replace`` over the original (a symlink is followed, so the link stays a
  link, but only to a file inside the folders being checked). The file is re-read first: if it
  changed since it was linted, nothing is written; if anything fails on the way (a full disk, an
  interrupt), the original is left as it was and the temporary file is removed. A read-only
  file is not written.
- keeps the encoding, the byte-order mark and the newline style (inserted paragraphs already come
  in the file's newline style from rewrite.py).

The command line prints a unified diff (``--diff``, nothing written) or writes the files
(``--fix``); all rewrites are ``unsafe`` (they change what the copy says), so ``--fix`` alone only
says how many are available.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .models import Finding, LineIndex
from .source import SourceError, SourceText, read_source

__all__ = [
    "Edit",
    "FixResult",
    "FixError",
    "apply_edits",
    "apply_suggestions",
    "edits_for",
    "unified_diff",
    "write_atomic",
]

_RANK = {"safe": 0, "unsafe": 1, "display-only": 2}


class FixError(Exception):
    """A fix could not be written (the file changed, cannot be replaced, ...)."""


@dataclass(frozen=True, slots=True)
class Edit:
    start: int  # source offsets, [start, end) replaced by text
    end: int
    text: str
    applicability: str = "unsafe"
    rule: str = ""


@dataclass
class FixResult:
    text: str
    applied: list[Edit] = field(default_factory=list)
    skipped: list[Edit] = field(default_factory=list)  # overlapping an applied edit
    available: dict[str, int] = field(default_factory=dict)  # applicability -> count (all suggestions)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def _offset(index: LineIndex, length: int, pos: dict) -> int:
    line, column = int(pos["line"]), int(pos["column"])
    starts = index.starts
    if not 1 <= line <= len(starts) or column < 1:
        raise ValueError(f"position {line}:{column} is outside the text")
    offset = starts[line - 1] + column - 1
    if offset > length:
        raise ValueError(f"position {line}:{column} is outside the text")
    return offset


def edits_for(source: str, findings: Iterable[Finding], *, unsafe: bool = False,
              counts: dict[str, int] | None = None) -> list[Edit]:
    """The edits of ``findings``' suggestions: safe ones, and unsafe ones too when ``unsafe``."""
    index = LineIndex(source)
    out = []
    for f in findings:
        s = f.suggestion
        if not s or s.get("replacement") is None or "start" not in s or "end" not in s:
            continue
        app = s.get("applicability", "unsafe")
        if counts is not None:
            counts[app] = counts.get(app, 0) + 1
        if app == "display-only" or (app != "safe" and not unsafe):
            continue
        try:
            start = _offset(index, len(source), s["start"])
            end = _offset(index, len(source), s["end"])
        except (ValueError, KeyError, TypeError):
            continue
        if end < start:
            continue
        out.append(Edit(start, end, str(s["replacement"]), app, f.rule))
    return out


def apply_edits(source: str, edits: Iterable[Edit]) -> FixResult:
    """Apply non-overlapping edits in source order; overlapping ones are skipped."""
    unique: dict[tuple[int, int, str], Edit] = {}
    for e in edits:
        unique.setdefault((e.start, e.end, e.text), e)
    ordered = sorted(unique.values(), key=lambda e: (e.start, e.end))
    parts: list[str] = []
    pos = 0
    applied: list[Edit] = []
    skipped: list[Edit] = []
    for e in ordered:
        if e.start < pos:
            skipped.append(e)
            continue
        parts.append(source[pos : e.start])
        parts.append(e.text)
        pos = e.end
        applied.append(e)
    parts.append(source[pos:])
    return FixResult("".join(parts), applied, skipped)


def apply_suggestions(source: str, findings: Sequence[Finding], *, unsafe: bool = True) -> tuple[str, FixResult]:
    """Convenience: the fixed text and the result for one source and its findings."""
    counts: dict[str, int] = {}
    result = apply_edits(source, edits_for(source, findings, unsafe=unsafe, counts=counts))
    result.available = counts
    return result.text, result


# --------------------------------------------------------------------------------------------
# Diff and writing
# --------------------------------------------------------------------------------------------

_LINES = re.compile(r"[^\n]*\n|[^\n]+$")


def unified_diff(path: str, old: str, new: str, context: int = 3) -> str:
    """A unified diff of ``old`` -> ``new`` (lines end at \\n; a CR stays part of its line)."""
    if old == new:
        return ""
    a = _LINES.findall(old)
    b = _LINES.findall(new)
    out = []
    for line in difflib.unified_diff(a, b, fromfile=path, tofile=path, n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
        elif line.endswith("\n"):
            out.append(line)
        else:  # the last line of a file without a final newline
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def encode(text: str, src: SourceText) -> bytes:
    codec = "utf-8" if src.encoding == "utf-8-sig" else src.encoding
    return src.bom + text.encode(codec)


def _within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # another drive on Windows
        return False


def checked_trees(paths: Sequence[str]) -> list[str]:
    """The real folders a check covers: each directory given, the folder of each file given."""
    out = []
    for given in paths or ["."]:
        if given == "-":
            continue
        real = os.path.realpath(given)
        out.append(real if os.path.isdir(real) else os.path.realpath(os.path.dirname(os.path.abspath(given))))
    return out


def write_atomic(path: str, text: str, src: SourceText, *, inside: Sequence[str] | None = None) -> None:
    """Replace the file at ``path`` with ``text`` in ``src``'s encoding, BOM and mode, atomically.

    ``src`` is what was read (and linted): if the file no longer holds that, nothing is written.
    ``inside``: the real folders being checked (:func:`checked_trees`); a file that a symbolic link
    leads out of them is not written, nor is a read-only file.
    """
    real = os.path.realpath(path)
    if inside is not None and not any(_within(real, folder) for folder in inside):
        raise FixError(f"not written: a symbolic link leads to {real}, outside the checked folders")
    if not os.access(real, os.W_OK):
        raise FixError("not written: the file is read-only")
    try:
        current = read_source(real, None)  # it was read (and linted) already, whatever its size
    except SourceError as exc:
        raise FixError(f"cannot re-read before writing: {exc}") from None
    if (current.text, current.encoding, current.bom) != (src.text, src.encoding, src.bom):
        raise FixError("the file changed since it was read; not written")
    data = encode(text, src)
    try:
        st = os.stat(real)
    except OSError as exc:
        raise FixError(f"cannot stat: {exc.strerror or exc}") from None
    folder = os.path.dirname(real) or "."
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(real) + ".", suffix=".wellnesslint-tmp")
    except OSError as exc:
        raise FixError(f"cannot create a temporary file next to it: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except (AttributeError, OSError):
            pass  # not permitted (another owner): the mode is kept, the owner becomes ours
        os.replace(tmp, real)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FixError(f"cannot write: {exc.strerror or exc}") from None
        raise


# --------------------------------------------------------------------------------------------
# Command line support
# --------------------------------------------------------------------------------------------


@dataclass
class Session:
    """Fix state across the files of one ``wellnesslint check`` run."""

    fix: bool = False  # write files (--fix)
    diff: bool = False  # print a diff, write nothing (--diff)
    unsafe: bool = False  # --unsafe-fixes
    fixed: int = 0  # edits applied (or that would be, with --diff); one edit may fix several findings
    files: int = 0  # files changed (or that would be)
    skipped: int = 0  # overlapping edits left for a next run
    unsafe_available: int = 0  # unsafe edits not applied because --unsafe-fixes is off
    diffs: list[str] = field(default_factory=list)
    errors: int = 0

    @property
    def active(self) -> bool:
        return self.fix or self.diff

    def summary(self) -> str:
        """One or two lines for stderr (empty when there is nothing to say)."""
        lines = []
        verb = "Would apply" if self.diff else "Applied"
        if self.fixed:
            noun = "fix" if self.fixed == 1 else "fixes"
            where = "file" if self.files == 1 else "files"
            lines.append(f"{verb} {self.fixed} {noun} in {self.files} {where}.")
        elif self.active:
            lines.append("No fixes applied." if not self.diff else "No fixes to show.")
        if self.skipped:
            lines.append(f"{self.skipped} overlapping fix{'es' if self.skipped != 1 else ''} skipped; run again to apply.")
        if self.unsafe_available:
            n = self.unsafe_available
            lines.append(f"{n} unsafe fix{'es' if n != 1 else ''} available, use --unsafe-fixes "
                         f"(rewrites change what the copy says: review them, e.g. with --diff --unsafe-fixes).")
        return "\n".join(lines)


def run_cli(args, jobs, findings: list[Finding], sources: dict[str, str], relint) -> tuple[list[Finding], int | None]:
    """``--diff`` / ``--fix`` [``--unsafe-fixes``] over the findings of a ``check`` run.

    ``jobs`` have ``path`` and ``data`` (stdin bytes or None); ``relint(job, data)`` lints new
    bytes of a job the way the run did (settings, selection, suppressions). Returns the findings to
    report and, when the run should end here (``--diff``; ``--fix`` on stdin, whose fixed text is
    the output), its exit code.
    """
    import sys

    from .discover import printable

    session = Session(fix=bool(getattr(args, "fix", False)), diff=bool(getattr(args, "diff", False)),
                      unsafe=bool(getattr(args, "unsafe_fixes", False)))
    trees = checked_trees(list(getattr(args, "paths", None) or []))
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    remaining: list[Finding] = []
    stdin_out: bytes | None = None
    for job in jobs:
        if job.path not in sources:
            continue  # could not be read or linted
        found = by_path.pop(job.path, [])
        try:
            src = read_source(job.data if job.data is not None else job.path, None)  # linted already
        except SourceError as exc:
            print(f"{printable(job.path)}: error: {exc}", file=sys.stderr)
            session.errors += 1
            remaining.extend(found)
            continue
        if src.text != sources[job.path]:
            print(f"{printable(job.path)}: error: the file changed while it was linted; not fixed", file=sys.stderr)
            session.errors += 1
            remaining.extend(found)
            continue
        stdin = job.data is not None
        counts: dict[str, int] = {}
        result = apply_edits(src.text, edits_for(src.text, found, unsafe=session.unsafe, counts=counts))
        if not session.unsafe:
            session.unsafe_available += counts.get("unsafe", 0)
        session.skipped += len(result.skipped)
        if stdin and session.fix and not session.diff:
            stdin_out = encode(result.text, src)
        if not result.changed:
            remaining.extend(found)
            continue
        session.fixed += len(result.applied)
        session.files += 1
        if session.diff:
            session.diffs.append(unified_diff(printable(job.path), src.text, result.text))
            remaining.extend(found)
            continue
        if not stdin:
            try:
                write_atomic(job.path, result.text, src, inside=trees)
            except FixError as exc:
                print(f"{printable(job.path)}: error: {exc}", file=sys.stderr)
                session.errors += 1
                session.fixed -= len(result.applied)
                session.files -= 1
                remaining.extend(found)
                continue
        sources[job.path] = result.text
        remaining.extend(relint(job, encode(result.text, src)))
    for rest in by_path.values():
        remaining.extend(rest)

    quiet = bool(getattr(args, "quiet", False))
    if session.diff:
        sys.stdout.write("".join(session.diffs))
        sys.stdout.flush()
        if not quiet and session.summary():
            print(session.summary(), file=sys.stderr)
        return remaining, (2 if session.errors else (1 if session.fixed else 0))
    if stdin_out is not None:
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(stdin_out)
            out.flush()
        else:
            sys.stdout.write(stdin_out.decode("utf-8", "replace"))
        if not quiet and session.summary():
            print(session.summary(), file=sys.stderr)
        if session.errors:
            return remaining, 2
        return remaining, (1 if remaining and not getattr(args, "exit_zero", False) else 0)
    if not quiet and session.summary():
        print(session.summary(), file=sys.stderr)
    return remaining, (2 if session.errors else None)
