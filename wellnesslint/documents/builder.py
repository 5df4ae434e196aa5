"""The builder the format adapters feed: a DocumentBuilder that leaves out what a reader never sees
inside the text it is given.

**Invisible format characters.** A soft hyphen (U+00AD, ``&shy;``), a zero-width space, joiner or
non-joiner, a word joiner and a zero-width no-break space (U+FEFF) render as nothing: CMS editors
put them inside long words ("angst&shy;stoornis", "Lion\u200b's") to control line breaks, and a
reader sees one word. They are left out of the prose wherever they come from (written as is, as a
character reference, as a Markdown entity), so the words around them join and a finding's
position still maps back to the source around them.

**Hidden ranges.** An adapter may mark source ranges that read as nothing (the Markdown adapter's
template tags: ``{{< shortcode >}}``, ``{% liquid %}``, kramdown's ``{: .class}``); text added over
such a range skips it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ..models import DocumentBuilder

#: characters that render as nothing (and are not white space)
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")


def has_invisible(text: str) -> bool:
    # one fast substring scan per character (a character class regex is several times slower,
    # and a string without characters beyond Latin-1 rules the rest out at once)
    return any(c in text for c in INVISIBLE)


class ProseBuilder(DocumentBuilder):
    """A DocumentBuilder that leaves invisible characters and hidden source ranges out."""

    def __init__(self, source: str, fmt: str, hidden: list[tuple[int, int]] | None = None) -> None:
        super().__init__(source, fmt)
        self._invisible = has_invisible(source)
        # sorted, disjoint source ranges that read as nothing
        self._hidden = hidden or []
        self._hidden_starts = [s for s, _ in self._hidden]
        # nothing written in the source to leave out (nearly every page): the plain method
        # (add_text still drops a decoded "&shy;"). A flag, not a bound method stored on the
        # instance: that would be a reference cycle, and a big page's builder would then live
        # until the cyclic collector ran (+17 MB peak over the corpus's two 2 MB Markdown pages)
        self._plain = not self._invisible and not self._hidden

    def add(self, src_start: int, src_end: int) -> None:
        if self._plain:
            DocumentBuilder.add(self, src_start, src_end)
            return
        if src_end <= src_start:
            return
        if self._hidden:
            pos = src_start
            hidden = self._hidden
            i = max(bisect_right(self._hidden_starts, src_start) - 1, 0)
            while i < len(hidden) and hidden[i][0] < src_end:
                hs, he = hidden[i]
                if he > pos:
                    if hs > pos:
                        self._add_visible(pos, hs)
                    pos = max(pos, he)
                    if self._block_empty():
                        # a block opens with what follows a hidden range, not with the space after it
                        while pos < src_end and self.source[pos] in " \t":
                            pos += 1
                i += 1
            if pos < src_end:
                self._add_visible(pos, src_end)
            return
        self._add_visible(src_start, src_end)

    def _block_empty(self) -> bool:
        return self._pos == self._block_start

    def _add_visible(self, src_start: int, src_end: int) -> None:
        if self._invisible:
            pos = src_start
            for m in _INVISIBLE.finditer(self.source, src_start, src_end):
                if m.start() > pos:
                    super().add(pos, m.start())
                pos = m.end()
            if pos < src_end:
                super().add(pos, src_end)
            return
        super().add(src_start, src_end)

    def add_text(self, text: str, src_start: int, src_end: int) -> None:
        if text and _INVISIBLE.search(text) is not None:
            text = _INVISIBLE.sub("", text)
        if not text:
            return
        if src_end - src_start == len(text) and self.source[src_start:src_end] == text:
            self.add(src_start, src_end)
            return
        super().add_text(text, src_start, src_end)
