"""Sentence splitting over the prose of one block (blocks never share a sentence).

Sentences end at . ! ? … (with closing quotes and footnote markers; an ellipsis before a lower-case
word is a pause, not an end), and at a line break after a
short line without closing punctuation (a heading or tagline that Markdown folded into the next
paragraph). Abbreviations from the language profile and decimal numbers do not end a sentence.

A "sentence" longer than :data:`MAX_SENTENCE` characters (a page without punctuation, a generated
wall of keywords) is cut into pieces of at most that length, at a space where there is one: the
checks on one sentence look at pairs of words in it, so an unbounded sentence would make them
quadratic or worse, and no real sentence is that long.
"""

from __future__ import annotations

import regex

# end punctuation, optional closing quotes/brackets, optional footnote marker, then whitespace
# (a run of end punctuation is matched from its first character only, and possessively: a long
# run such as "....x" would otherwise be retried from every one of its characters)
_END = regex.compile(
    r"""(?<=\S)(?<![.!?…])([.!?…]++)["'”’»)\]]*+(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}(?=\s*\n))?(?=\s|$)"""
)
# (from the start of a run of spaces only, possessively: else a long run of spaces is retried from each)
_BREAK = regex.compile(r"(?<![ \t])[ \t]*+(?:\r\n|\r|\n)[ \t]*+(?=\S)")
_ABBR_WORD = regex.compile(r"([\w.]+)\.$")
MAX_SENTENCE = 1000  # characters


def split(text: str, start: int, end: int, abbreviations: frozenset[str] = frozenset(),
          numeric: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans (absolute indices into ``text``) inside ``text[start:end]``, trimmed.

    ``numeric``: abbreviations that stand for a number ("No. 1", "nr. 3"); before a capitalised
    word they end the sentence ("Does it work for everyone? No. Some people notice nothing.")."""
    cuts: list[int] = []
    seg = text[start:end]
    lines = "\n" in seg or "\r" in seg
    if not lines and "." not in seg and "!" not in seg and "?" not in seg and "…" not in seg:
        spans: list[tuple[int, int]] = []  # nothing to cut at: one sentence (or a few, if long)
        _add(text, start, end, spans)
        return spans
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if m.group(1) in ("...", "…") and _first_char_after(text, stop, end).islower():
            continue  # "my OCD just... went away": a trailing-off pause inside the sentence
        if m.group(1) == ".":
            word = _ABBR_WORD.search(text, max(start, m.start() - 12), m.start() + 1)
            nxt = _first_char_after(text, stop, end)
            if word:
                w = word.group(1).lower()
                if w in numeric and nxt.isupper():
                    cuts.append(stop)  # "No. Some people ...": an answer, then a new sentence
                    continue
                if w.strip(".") in abbreviations:
                    continue
            if nxt and nxt.islower():
                continue  # "ca. drie weken", an abbreviation we do not know
        cuts.append(stop)
    for m in _BREAK.finditer(text, start, end) if lines else ():
        # a line without closing punctuation followed by a capitalised line: a heading or tagline
        # the last character of the line before the break (searching back for the line start
        # instead would rescan a long paragraph whose lines end in a bare "\r" at every break)
        j = m.start()
        while j > start and text[j - 1].isspace() and text[j - 1] != "\n":
            j -= 1
        prev = text[j - 1] if j > start and text[j - 1] != "\n" else ""
        nxt = _first_char_after(text, m.end(), end)
        if prev and prev not in ".!?…:;,-–—" and nxt and (nxt.isupper() or nxt in "-*•"):
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
    while e - s > MAX_SENTENCE:  # a run-on "sentence": cut at the last space that keeps it short
        cut = s + MAX_SENTENCE
        space = text.rfind(" ", s + MAX_SENTENCE // 2, cut + 1)
        if space > s:
            cut = space
        _add(text, s, cut, out)
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))
