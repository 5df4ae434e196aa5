"""Read bytes into text: detect the encoding, keep the newlines, refuse binary files.

What is read:

- UTF-8, with or without a byte-order mark (``encoding`` is ``"utf-8"`` or ``"utf-8-sig"``);
- UTF-16 with a byte-order mark (``"utf-16-le"`` / ``"utf-16-be"``);
- UTF-16 *without* a byte-order mark, detected by a heuristic: the content has NUL bytes, an even
  length, nearly all its NUL bytes at odd offsets (little endian) or at even offsets (big endian),
  at least a third of the characters in the first 4 KiB look like ASCII in that layout, and the
  whole file decodes to text without NUL or other control characters. Text in a non-Latin script
  without a BOM is therefore not detected; save such files with a BOM (or as UTF-8).

What is refused with a :class:`SourceError` (one line, naming the problem): content with NUL bytes
that is not UTF-16 (``binary file (contains NUL bytes)``), bytes that do not decode
(``not valid UTF-8 at byte 1234``), UTF-32 (``UTF-32 is not supported``), what is not a regular
file (a named pipe named on the command line would otherwise wait for a writer forever, a device
such as ``/dev/zero`` never end), and a file larger than
``max_bytes`` (by default :data:`MAX_FILE_SIZE`; checked before it is read, so memory stays flat).
Copy is never that large; a file that is (a data dump, a page with inlined images) would take
minutes and gigabytes to lint.

The decoded text keeps every newline exactly as in the file (no universal-newline translation),
so offsets into :attr:`SourceText.text` index the original text; only the byte-order mark is
dropped (it is in :attr:`SourceText.bom`).
"""

from __future__ import annotations

import codecs
import os
import stat
from typing import NamedTuple

__all__ = ["MAX_FILE_SIZE", "SourceError", "SourceText", "decode", "detect_newline", "read_source"]

MAX_FILE_SIZE = 20_000_000  # bytes (20 MB); ``wellnesslint check --max-file-size`` changes it

_BOMS = (
    (codecs.BOM_UTF32_LE, None),  # FF FE 00 00 -- checked before UTF-16 LE (FF FE)
    (codecs.BOM_UTF32_BE, None),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF = 4096
# control characters that never occur in text (tab, newlines, form feed and ESC are allowed)
_BAD_CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v\x1b")


class SourceError(Exception):
    """A file that cannot be read as text. ``str(error)`` is a one-line message."""


class SourceText(NamedTuple):
    """A decoded source file and what is needed to write it back byte for byte."""

    text: str  # decoded, BOM removed, newlines as in the file
    encoding: str  # "utf-8", "utf-8-sig", "utf-16-le" or "utf-16-be"
    bom: bytes = b""
    newline: str = "\n"  # "\n", "\r\n", "\r" or "mixed" ("\n" when the text has no line break)


def detect_newline(text: str) -> str:
    """The line-break style of ``text``: ``"\\n"``, ``"\\r\\n"``, ``"\\r"`` or ``"mixed"``."""
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [nl for nl, n in (("\r\n", crlf), ("\n", lf), ("\r", cr)) if n]
    if not kinds:
        return "\n"
    return kinds[0] if len(kinds) == 1 else "mixed"


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 codec name when ``data`` looks like BOM-less UTF-16, else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    head = data[:_SNIFF]
    pairs = len(head) // 2
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    if odd_nul >= pairs / 3 and even_nul <= odd_nul / 20:
        return "utf-16-le"
    if even_nul >= pairs / 3 and odd_nul <= even_nul / 20:
        return "utf-16-be"
    return None


def _decode_error(exc: UnicodeDecodeError, label: str, skip: int) -> SourceError:
    return SourceError(f"not valid {label} at byte {exc.start + skip}")


def decode(data: bytes) -> SourceText:
    """Decode file content; raise :class:`SourceError` for binary or undecodable bytes."""
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding is None:
                raise SourceError("UTF-32 is not supported (save the file as UTF-8)")
            body = data[len(bom) :]
            if encoding == "utf-8-sig":
                if b"\x00" in body:
                    raise SourceError("binary file (contains NUL bytes)")
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise _decode_error(exc, "UTF-8", len(bom)) from None
            else:
                label = "UTF-16-LE" if encoding.endswith("le") else "UTF-16-BE"
                try:
                    text = body.decode(encoding)
                except UnicodeDecodeError as exc:
                    raise _decode_error(exc, label, len(bom)) from None
                if "\x00" in text:
                    raise SourceError("binary file (contains NUL characters)")
            return SourceText(text, encoding, bom, detect_newline(text))

    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is not None:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                text = None
            if text is not None and not any(ch in _BAD_CONTROLS for ch in text):
                return SourceText(text, encoding, b"", detect_newline(text))
        raise SourceError("binary file (contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _decode_error(exc, "UTF-8", 0) from None
    return SourceText(text, "utf-8", b"", detect_newline(text))


def _size(n: int) -> str:
    return f"{n / 1e6:.1f}".removesuffix(".0") + " MB" if n >= 100_000 else f"{n} bytes"


def _open_nonblocking(path: str, flags: int) -> int:
    # a named pipe opens at once instead of waiting for a writer that may never come (and is
    # then refused); regular files read as usual
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _too_large(size: int, limit: int) -> SourceError:
    return SourceError(f"file too large: {_size(size)} (the limit is {_size(limit)}; --max-file-size changes it)")


def read_source(
    path_or_bytes: str | os.PathLike[str] | bytes | bytearray | memoryview,
    max_bytes: int | None = MAX_FILE_SIZE,
) -> SourceText:
    """Read a file (given by path) or raw bytes into a :class:`SourceText`.

    Errors reading the file (missing, a directory, no permission) also raise
    :class:`SourceError`, with the operating system's message. ``max_bytes=None``: no size limit.
    """
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        if max_bytes is not None and len(path_or_bytes) > max_bytes:
            raise _too_large(len(path_or_bytes), max_bytes)
        return decode(bytes(path_or_bytes))
    path = os.fspath(path_or_bytes)
    try:
        with open(path, "rb", opener=_open_nonblocking) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise SourceError("not a regular file (a named pipe, a device or a socket)")
            if max_bytes is None:
                data = fh.read()
            else:
                size = os.fstat(fh.fileno()).st_size
                if size > max_bytes:
                    raise _too_large(size, max_bytes)
                # read what fstat promised and one byte more: asking for max_bytes + 1 at once
                # makes the reader set up a 20 MB buffer for every small page (3x the read time)
                data = fh.read(size + 1)
                if len(data) > size:  # it grew meanwhile: the rest, still refused past the limit
                    data += fh.read(max_bytes + 1 - len(data))
                if len(data) > max_bytes:
                    raise _too_large(len(data), max_bytes)
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except FileNotFoundError:
        raise SourceError("no such file or directory") from None
    except PermissionError:
        raise SourceError("permission denied") from None
    except OSError as exc:
        raise SourceError((exc.strerror or str(exc)).lower()) from None
    return decode(data)
