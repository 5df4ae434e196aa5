"""Sentence splitting over the prose of one block (blocks never share a sentence).

Sentences end at . ! ? … (with closing quotes and footnote markers), and at a line break after a
short line without closing punctuation (a heading or tagline that Markdown folded into the next
paragraph). Abbreviations from the language profile and decimal numbers do not end a sentence.
"""

from __future__ import annotations

import regex

# end punctuation, optional closing quotes/brackets, optional footnote marker, then whitespace
_END = regex.compile(
    r"""(?<=\S)([.!?…]+)["'”’»)\]]*(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}(?=\s*\n))?(?=\s+|$)"""
)
_BREAK = regex.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*(?=\S)")
_ABBR_WORD = regex.compile(r"([\w.]+)\.$")


def split(text: str, start: int, end: int, abbreviations: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans (absolute indices into ``text``) inside ``text[start:end]``, trimmed."""
    cuts: list[int] = []
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if m.group(1) == ".":
            word = _ABBR_WORD.search(text, max(start, m.start() - 12), m.start() + 1)
            if word and word.group(1).lower().strip(".") in abbreviations:
                continue
            nxt = _first_char_after(text, stop, end)
            if nxt and nxt.islower():
                continue  # "ca. drie weken", an abbreviation we do not know
        cuts.append(stop)
    for m in _BREAK.finditer(text, start, end):
        # a line without closing punctuation followed by a capitalised line: a heading or tagline
        line_start = text.rfind("\n", start, m.start()) + 1
        line_start = max(line_start, start)
        prev = text[line_start : m.start()].rstrip()
        nxt = _first_char_after(text, m.end(), end)
        if prev and prev[-1] not in ".!?…:;,-–—" and nxt and (nxt.isupper() or nxt in "-*•"):
            cuts.append(m.start())
    cuts.sort()
    spans = []
    pos = start
    for cut in cuts:
        if cut <= pos:
            continue
        _add(text, pos, cut, spans)
        pos = cut
    _add(text, pos, end, spans)
    return spans


def _first_char_after(text: str, pos: int, end: int) -> str:
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos] if pos < end else ""


def _add(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))
