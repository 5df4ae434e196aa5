"""Plain text: paragraphs are separated by blank lines; a short line without closing
punctuation followed by a new line (a heading, a bullet, a tagline) is a block of its own."""

from __future__ import annotations

import regex

from ..lazyre import LazyPattern
from ..models import Document
from .builder import ProseBuilder

_LINE = LazyPattern(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BULLET = LazyPattern(r"[ \t]*(?:[-*•·‣–]|\d{1,3}[.)])[ \t]+")
_TERMINAL = frozenset(".!?:;…")


def _ends_block(line: str, next_line: str | None) -> bool:
    stripped = line.strip()
    if not stripped or next_line is None:
        return True
    nxt = next_line.strip()
    if not nxt or _BULLET.match(next_line):
        return True
    if stripped[-1] in _TERMINAL or stripped[-1] in "\"'”’»)":
        return True
    # a heading or tagline: a short line without punctuation, next line starts a sentence
    return len(stripped) <= 80 and nxt[:1].isupper()


def parse(source: str) -> Document:
    b = ProseBuilder(source, "text")
    lines = [(m.start(), m.group()) for m in _LINE.finditer(source) if m.group()]
    for i, (start, raw) in enumerate(lines):
        content = raw.rstrip("\r\n")
        bullet = _BULLET.match(content)
        begin = bullet.end() if bullet else 0
        if bullet and b.pos > 0:
            b.end_block("paragraph")
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None
        ends = _ends_block(content, nxt)
        if content[begin:].strip():
            # inside a block the line break stays (verbatim) and reads as a space
            b.add(start + begin, start + (len(content) if ends else len(raw)))
        if ends:
            b.end_block("list_item" if bullet else "paragraph")
    return b.build()
