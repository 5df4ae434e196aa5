"""Plain values handed from stage to stage: documents with an offset map, and findings.

The prose text of a document is what a reader sees (tags and markup removed, entities decoded).
Every prose character maps back to a half-open range of the decoded source text, so a finding
can always be reported at the exact line and column of the original file.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("info", "warning", "error")
CATEGORIES = (
    "cure_claim",
    "absolute_claim",
    "safety_claim",
    "evidence_claim",
    "discourages_treatment",
    "missing_disclaimer",
)


class OffsetMap:
    """Maps prose indices to source offsets with run-length segments.

    A *verbatim* segment copies ``length`` characters from the source unchanged, so prose index
    ``p`` maps to ``src + (p - prose_start)``. An *atom* segment stands for a source range that
    was replaced (an entity like ``&amp;``, a block separator): every prose character in it maps
    to the whole source range ``[src, src_end)``.
    """

    __slots__ = ("_prose", "_src", "_len", "_src_end")

    def __init__(self) -> None:
        self._prose: list[int] = []
        self._src: list[int] = []
        self._len: list[int] = []
        self._src_end: list[int] = []  # -1 for verbatim segments

    def add_verbatim(self, prose_start: int, src_start: int, length: int) -> None:
        if length <= 0:
            return
        if (
            self._prose
            and self._src_end[-1] == -1
            and self._prose[-1] + self._len[-1] == prose_start
            and self._src[-1] + self._len[-1] == src_start
        ):
            self._len[-1] += length  # merge adjacent identity runs
            return
        self._prose.append(prose_start)
        self._src.append(src_start)
        self._len.append(length)
        self._src_end.append(-1)

    def add_atom(self, prose_start: int, length: int, src_start: int, src_end: int) -> None:
        if length <= 0:
            return
        self._prose.append(prose_start)
        self._src.append(src_start)
        self._len.append(length)
        self._src_end.append(src_end)

    def last_src_end(self) -> int:
        """Source offset just after the last prose character (``src_end`` of it, without the
        search: the last segment holds it)."""
        if self._src_end[-1] == -1:
            return self._src[-1] + self._len[-1]
        return self._src_end[-1]

    def _segment(self, p: int) -> int:
        i = bisect_right(self._prose, p) - 1
        return max(i, 0)

    def src_start(self, p: int) -> int:
        """Source offset where prose character ``p`` begins."""
        if not self._prose:
            return 0
        i = self._segment(p)
        if self._src_end[i] == -1:
            return self._src[i] + min(p - self._prose[i], self._len[i])
        return self._src[i]

    def src_end(self, p: int) -> int:
        """Source offset just after prose character ``p`` (inclusive index)."""
        if not self._prose:
            return 0
        i = self._segment(p)
        if self._src_end[i] == -1:
            return self._src[i] + min(p - self._prose[i], self._len[i] - 1) + 1
        return self._src_end[i]

    def gaps(self, start: int, end: int) -> list[tuple[int, int]]:
        """Source ranges inside the source span of prose ``[start, end)`` that no prose character
        of it comes from (the markup between them), in source order.

        Only the first character of a segment can start a gap (inside a segment the source is
        contiguous, or one range), so this costs one step per segment, not per character.
        """
        out: list[tuple[int, int]] = []
        if end - start < 2 or not self._prose:
            return out
        prose = self._prose
        n = len(prose)
        prev = self.src_end(start)
        p = start + 1
        i = self._segment(p)
        while p < end:
            st = self.src_start(p)
            if st > prev:
                out.append((prev, st))
            last = (min(prose[i + 1], end) if i + 1 < n else end) - 1  # the segment's last character in range
            prev = max(prev, self.src_end(last))
            p = last + 1
            i += 1
        return out

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source range covering prose range ``[start, end)``."""
        if end <= start:
            s = self.src_start(start)
            return s, s
        return self.src_start(start), self.src_end(end - 1)


@dataclass(slots=True)
class Block:
    """A unit of prose: sentences never cross a block boundary."""

    start: int  # index into Document.text
    end: int
    kind: str  # heading | paragraph | list_item | table_cell | title | meta | alt | text | quote | ...
    lang: str | None = None  # declared language (lang attribute, front matter), if any


class DocumentBuilder:
    """Accumulates prose with its offset map. Format adapters only talk to this class."""

    def __init__(self, source: str, fmt: str) -> None:
        self.source = source
        self.format = fmt
        self._parts: list[str] = []
        self._pos = 0
        self._block_start = 0
        self._block_part = 0  # index into _parts where the current block's text begins
        self.map = OffsetMap()
        self.blocks: list[Block] = []
        self.lang: str | None = None
        self.meta: dict[str, Any] = {}

    @property
    def pos(self) -> int:
        return self._pos

    def add(self, src_start: int, src_end: int) -> None:
        """Append source[src_start:src_end] verbatim."""
        if src_end <= src_start:
            return
        self._parts.append(self.source[src_start:src_end])
        self.map.add_verbatim(self._pos, src_start, src_end - src_start)
        self._pos += src_end - src_start

    def add_text(self, text: str, src_start: int, src_end: int) -> None:
        """Append ``text`` that stands for source[src_start:src_end] (an entity, an escape)."""
        if not text:
            return
        if src_end - src_start == len(text) and self.source[src_start:src_end] == text:
            self.add(src_start, src_end)
            return
        self._parts.append(text)
        self.map.add_atom(self._pos, len(text), src_start, src_end)
        self._pos += len(text)

    def last_char(self) -> str:
        for part in reversed(self._parts):
            if part:
                return part[-1]
        return ""

    def end_block(self, kind: str, lang: str | None = None, src_at: int | None = None) -> None:
        """Close the current block (if it holds any non-space text) and add a separator."""
        if self._pos > self._block_start:
            # join only this block's parts: joining everything so far would be quadratic
            block_text = "".join(self._parts[self._block_part :])
            self._parts[self._block_part :] = [block_text]
            if not block_text.isspace():  # any non-space (the text is not empty: pos moved)
                self.blocks.append(Block(self._block_start, self._pos, kind, lang))
            at = src_at if src_at is not None else self.map.last_src_end()
            self._parts.append("\n\n")
            self.map.add_atom(self._pos, 2, at, at)
            self._pos += 2
        self._block_start = self._pos
        self._block_part = len(self._parts)

    def build(self) -> Document:
        self.end_block("text")
        return Document(
            source=self.source,
            text="".join(self._parts),
            offsets=self.map,
            blocks=self.blocks,
            format=self.format,
            lang=self.lang,
            meta=self.meta,
        )


class LineIndex:
    """Line/column lookup over a source text; \\n, \\r\\n and \\r all end a line."""

    __slots__ = ("_starts",)

    def __init__(self, source: str) -> None:
        starts = [0]
        n = len(source)
        find = source.find
        # the next "\n" and the next "\r", each searched for again only once passed (searching for
        # both at every line would rescan the whole rest of a file that has only one kind)
        a = find("\n")
        b = find("\r")
        while a >= 0 or b >= 0:
            if b >= 0 and (a < 0 or b < a):
                nxt = b + 2 if b + 1 < n and source[b + 1] == "\n" else b + 1
            else:
                nxt = a + 1
            starts.append(nxt)
            if 0 <= a < nxt:
                a = find("\n", nxt)
            if 0 <= b < nxt:
                b = find("\r", nxt)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count characters."""
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_bounds(self, line: int) -> int:
        return self._starts[line - 1]

    @property
    def starts(self) -> list[int]:
        return self._starts


@dataclass(slots=True)
class Document:
    """A parsed page: the source, its prose (``text``), the map between them and the prose blocks."""

    source: str
    text: str
    offsets: OffsetMap
    blocks: list[Block]
    format: str
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.span(start, end)


@dataclass(slots=True)
class Finding:
    """One problem found: rule, message, exact source span (line:column and offsets) and suggestion."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive: the column just after the last flagged character
    rule: str
    category: str
    severity: str
    message: str
    text: str  # the flagged source text, as written in the file
    sentence: str  # the sentence as a reader sees it
    offset: int = 0  # source offsets [offset, end_offset)
    end_offset: int = 0
    suggestion: dict[str, Any] | None = None
    element: str | None = None
    lang: str | None = None
    # for rewrites (not in to_dict): the flagged sentence's source range [sentence_offset,
    # sentence_end_offset), its prose range in Document.text, and the lexicon words the rule matched
    sentence_offset: int | None = None
    sentence_end_offset: int | None = None
    sentence_span: tuple[int, int] | None = None
    slots: dict[str, str] = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule)

    def to_dict(self) -> dict[str, Any]:
        d = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "text": self.text,
            "sentence": self.sentence,
            "suggestion": self.suggestion,
        }
        if self.element is not None:
            d["element"] = self.element
        return d
