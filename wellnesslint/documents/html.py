"""HTML: the visible text of a page, plus its title, description metadata and image alt texts.

Positions come from our own single pass over the source. lxml reports elements and line
numbers but never columns, and its tree cannot be aligned to the source cheaply, so it is not
used on this path (which also means no network access, no entity expansion and no libxml2
depth limit). A small regex lexer walks the source left to right, without recursion:
comments, doctype, CDATA, processing instructions, start tags (with attributes), end tags and
the text runs between them. Text runs are copied verbatim into the prose, except
character references, which are decoded one by one with ``add_text`` so that every prose
character maps back to its exact source range.

On top of the lexer sits a deliberately small tree builder: a stack of open elements (with
per-name counts, so unmatched end tags cost O(1)) that tracks what the HTML parsing rules need
for *prose*: which elements hide their content (script, style, code, pre, svg, ...), the
nearest ``lang`` attribute, the kind of the innermost block element, and the common implied end
tags (``<p>`` closes an open ``p``, ``<li>`` an open ``li``, ...). Misnested and unclosed tags
never lose text: an end tag closes at most what it matches, an unclosed element is closed by
an end tag of an enclosing block, and a hiding element (``<code>``, ``<pre>``, ...) whose end
tag never comes hides nothing.

Block elements (p, div, li, td, h1-h6, ...) end a block; inline elements (b, em, a, span, ...)
never split a sentence. A single ``<br>`` reads as a line break; two in a row end the block. The
white space that follows a ``<br>`` in the source (``<br>\n``, the way editors write it) is not
a second line break: the text after it starts the line the ``<br>`` began.

The module also exports the pieces the Markdown adapter reuses for raw HTML inside Markdown:
:class:`ProseSink`, :class:`HtmlWalker`, :func:`decode_entities` and :func:`scan_tag`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape as _html_unescape
from html.entities import html5 as _HTML5

from ..models import Document, DocumentBuilder
from .builder import ProseBuilder

# --------------------------------------------------------------------------------------------
# Element classes
# --------------------------------------------------------------------------------------------

VOID = frozenset(
    "area base basefont bgsound br col embed frame hr img input keygen link meta param source "
    "track wbr".split()
)
#: elements whose start and end always end the current block
BLOCK = frozenset(
    "address article aside blockquote body button caption center col colgroup dd details dialog "
    "dir div dl dt fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 head header "
    "hgroup hr html legend li listing main menu nav ol optgroup option p pre search section "
    "select summary table tbody td tfoot th thead tr ul video audio canvas".split()
)
#: elements whose content a reader does not see (or that is not prose)
SKIP = frozenset(
    "script style noscript template code pre svg math iframe object textarea xmp noembed "
    "noframes".split()
)
#: raw-text / RCDATA elements: their content is not markup; find the end tag by search
_RAW = frozenset("script style textarea xmp iframe noembed noframes noscript title".split())
_FOREIGN = frozenset(("svg", "math"))
_KIND = {
    **{f"h{i}": "heading" for i in range(1, 7)},
    "li": "list_item",
    "td": "table_cell",
    "th": "table_cell",
    "blockquote": "quote",
}
#: kinds that a generic block inside them (p, div) keeps: <li><p>x</p></li> is a list item
_STICKY_KINDS = frozenset(("list_item", "table_cell", "quote"))

# implied end tags: start tag -> (names it closes, names that stop the search); hidden
# elements stop every search, so a <div> inside <code> does not end the code early
_SCOPE = SKIP | frozenset("html table td th caption object template applet marquee button".split())
_P_CLOSERS = (BLOCK - {"body", "html", "head", "td", "th", "tr", "tbody", "thead", "tfoot",
                       "caption", "col", "colgroup", "option", "optgroup", "select", "button",
                       "video", "audio", "canvas", "frameset", "legend"})
_IMPLIED: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset(("li",)), _SCOPE | {"ul", "ol"}),
    "dt": (frozenset(("dd", "dt")), _SCOPE | {"dl"}),
    "dd": (frozenset(("dd", "dt")), _SCOPE | {"dl"}),
    "td": (frozenset(("td", "th")), SKIP | {"tr", "table", "html"}),
    "th": (frozenset(("td", "th")), SKIP | {"tr", "table", "html"}),
    "tr": (frozenset(("tr", "td", "th")), SKIP | {"table", "html"}),
    "option": (frozenset(("option",)), SKIP | {"select", "html"}),
}
_HEADINGS = frozenset(f"h{i}" for i in range(1, 7))
_SEARCH_LIMIT = 64  # bounded stack searches keep pathological nesting linear

META_NAMES = {
    "description": "meta",
    "og:title": "meta",
    "og:description": "meta",
    "twitter:title": "meta",
    "twitter:description": "meta",
}

# --------------------------------------------------------------------------------------------
# Lexer patterns
# --------------------------------------------------------------------------------------------

_WS = "\t\n\f\r "
# attributes of a start tag, up to (not including) ">" or the end of input; possessive
# quantifiers keep a tag without ">" linear (no backtracking). A value that opens a quote is
# quoted to its closing quote or to the end of input (then the tag is unfinished, and dropped, as
# a browser drops it), never read again as an unquoted value: ``content="<p>...`` without its
# closing quote would otherwise end the tag at the ">" of the "<p>" inside the value
_ATTRS = (
    r"(?:[\t\n\f\r /]++"
    r"|[^\t\n\f\r />][^\t\n\f\r />=]*+"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+))?+"
    r")*+"
)
_START_TAG = re.compile(r"<([A-Za-z][^\t\n\f\r />]*+)(" + _ATTRS + r")(>?)")
_END_TAG = re.compile(r"</([A-Za-z][^\t\n\f\r />]*+)[^>]*+(>?)")
_ATTR = re.compile(
    r"([^\t\n\f\r />][^\t\n\f\r />=]*)"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)'|([^\t\n\f\r >]*)))?"
)
_COMMENT_END = re.compile(r"--!?>")
_DOCTYPE_SUBSET = re.compile(r"<!doctype[^>\[]*+\[", re.I)
_SUBSET_END = re.compile(r"\][\t\n\f\r ]*+>")
_NON_WS = re.compile(r"[^\t\n\f\r ]")
_LANG_HINT = re.compile(r"lang", re.I)
_ENTITY = re.compile(r"&(?:#[xX]([0-9a-fA-F]++);?|#([0-9]++);?|([A-Za-z][A-Za-z0-9]{0,31};?))")
_END_OF: dict[str, re.Pattern[str]] = {
    name: re.compile(r"</" + name + r"[\t\n\f\r />]", re.I) for name in _RAW | SKIP
}
_ALPHA = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: end tags before which the walker records its state (see HtmlWalker.checkpoints)
_CHECKPOINT_TAGS = frozenset(("main", "body", "html"))
_CHECKPOINT_KEEP = 3  # per name, the last ones (rewrite.py inserts before one of the last three)
_CHECKPOINT_DEPTH = 64  # deeper stacks are not copied (pathological nesting stays linear)


def normalize_lang(value: str | None) -> str | None:
    """Primary language subtag, lower case: "nl-NL" -> "nl"; empty -> None."""
    if not value:
        return None
    primary = re.split(r"[-_\s]", value.strip(), maxsplit=1)[0].lower()
    return primary or None


# --------------------------------------------------------------------------------------------
# Character references
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _numeric(digits: str, base: int) -> str:
    stripped = digits.lstrip("0")
    code = int(stripped or "0", base) if len(stripped) <= 8 else 0x110000
    # html.unescape applies the HTML5 rules: NUL/out of range -> U+FFFD, C1 -> windows-1252
    return _html_unescape(f"&#{min(code, 0x110000)};")


@lru_cache(maxsize=4096)
def _named(name: str) -> tuple[str, int] | None:
    """Decode a named reference (``name`` may end in ";"); returns (text, chars consumed after
    "&") or None. Without a semicolon, browsers take the longest legacy name that is a prefix."""
    if name in _HTML5:
        return _HTML5[name], len(name)
    for size in range(min(len(name), 6), 1, -1):  # legacy names are at most 6 letters
        prefix = name[:size]
        if prefix in _HTML5:
            return _HTML5[prefix], size
    return None


def decode_entities(sink, src: str, start: int, end: int, attribute: bool = False) -> None:
    """Copy ``src[start:end]`` into ``sink`` (``add``/``add_text``), decoding character
    references. In an attribute value, a reference without ";" followed by a letter, digit or
    "=" stays literal, as in browsers."""
    pos = start
    for m in _ENTITY.finditer(src, start, end):
        hexa, dec, name = m.groups()
        if hexa is not None:
            text, stop = _numeric(hexa, 16), m.end()
        elif dec is not None:
            text, stop = _numeric(dec, 10), m.end()
        else:
            found = _named(name)
            if found is None:
                continue
            text, used = found
            stop = m.start() + 1 + used
            if attribute and not name[used - 1 : used] == ";" and stop < end:
                nxt = src[stop]
                if nxt == "=" or nxt.isalnum():
                    continue
        if m.start() > pos:
            sink.add(pos, m.start())
        sink.add_text(text, m.start(), stop)
        pos = stop
    if pos < end:
        sink.add(pos, end)


class Pieces:
    """A recorder with the sink interface: prose pieces to replay later (alt, meta, title)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[str | None, int, int]] = []

    def add(self, start: int, end: int) -> None:
        if end > start:
            self.items.append((None, start, end))

    def add_text(self, text: str, start: int, end: int) -> None:
        if text:
            self.items.append((text, start, end))


# --------------------------------------------------------------------------------------------
# Sinks: where prose goes
# --------------------------------------------------------------------------------------------


class ProseSink:
    """Feeds a DocumentBuilder and keeps the per-block bookkeeping the adapters share.

    A block opens with its first non-space text (``begin``), which fixes its kind and
    language. Auxiliary blocks (alt text, meta, title) met in the middle of a block are held
    back until that block ends, so that an inline image never splits a sentence.
    Subclasses may translate offsets (the Markdown adapter maps inline-content offsets back to
    the source) by overriding ``add``/``add_text``.
    """

    def __init__(self, builder: DocumentBuilder) -> None:
        self.b = builder
        self.has_text = False
        self.kind = "paragraph"
        self.lang: str | None = None
        self._held: list[tuple[str, Pieces, str | None]] = []

    def add(self, start: int, end: int) -> None:
        self.b.add(start, end)

    def add_text(self, text: str, start: int, end: int) -> None:
        self.b.add_text(text, start, end)

    def begin(self, kind: str, lang: str | None) -> None:
        if not self.has_text:
            self.has_text = True
            self.kind = kind
            self.lang = lang

    def end_block(self) -> None:
        if self.has_text:
            self.b.end_block(self.kind, self.lang)
            self.has_text = False
        if self._held:
            held, self._held = self._held, []
            for kind, pieces, lang in held:
                self._emit(kind, pieces, lang)

    def aux(self, kind: str, pieces: Pieces, lang: str | None) -> None:
        """A block of its own (alt text, title, meta): now, or after the current block."""
        if self.has_text:
            self._held.append((kind, pieces, lang))
        else:
            self._emit(kind, pieces, lang)

    def _emit(self, kind: str, pieces: Pieces, lang: str | None) -> None:
        for text, start, end in pieces.items:
            if text is None:
                self.add(start, end)
            else:
                self.add_text(text, start, end)
        self.has_text = True
        self.kind, self.lang = kind, lang
        self.end_block()


# --------------------------------------------------------------------------------------------
# Tags
# --------------------------------------------------------------------------------------------


def parse_attrs(src: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """Attributes in ``src[start:end]``: lower-cased name -> value span (first one wins)."""
    attrs: dict[str, tuple[int, int]] = {}
    for m in _ATTR.finditer(src, start, end):
        name = m.group(1).lower()
        if name in attrs:
            continue
        for g in (2, 3, 4):
            if m.start(g) >= 0:
                attrs[name] = (m.start(g), m.end(g))
                break
        else:
            attrs[name] = (m.end(1), m.end(1))
    return attrs


def scan_tag(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """Classify one tag: ("start"|"end"|"other", lower-cased name, attribute span) or None."""
    if text.startswith("</"):
        m = _END_TAG.match(text)
        return ("end", m.group(1).lower(), (0, 0)) if m else ("other", "", (0, 0))
    m = _START_TAG.match(text)
    if m:
        return "start", m.group(1).lower(), m.span(2)
    return ("other", "", (0, 0)) if text.startswith("<") else None


# --------------------------------------------------------------------------------------------
# The walker
# --------------------------------------------------------------------------------------------


class HtmlWalker:
    """One left-to-right pass over ``src`` (no recursion) feeding a :class:`ProseSink`.

    ``default_kind`` is the block kind for text outside any block element (the Markdown
    adapter passes "list_item" or "quote" for HTML inside those containers).
    """

    def __init__(self, src: str, sink: ProseSink, default_kind: str = "paragraph",
                 lang: str | None = None) -> None:
        self.src = src
        self.sink = sink
        # the stack of open elements: (name, lang, kind, skip, foreign); entry 0 is the root
        self.stack: list[tuple[str, str | None, str, bool, bool]] = [
            ("#root", lang, default_kind, False, False)
        ]
        self.counts: dict[str, int] = {}
        self._next_end: dict[str, int] = {}  # name -> offset of its next end tag (-1: none)
        self.doc_lang: str | None = None
        self.content_language: str | None = None
        #: where the main loop met the end tags of main, body and html, and the end of the input:
        #: offset -> (text_start, end of the tag, stack, sink.has_text, sink.kind, sink.lang,
        #: held aux blocks, br_pending), the state *before* the text run that ends there. Only
        #: recorded, never read by the walk: rewrite.py resumes a walker from one of these to see
        #: what a paragraph inserted there does (``_html_reads_well``). No entry at the end of
        #: the input when an unfinished tag stopped the walk.
        self.checkpoints: dict[int, tuple] = {}
        self._recent: dict[str, list[int]] = {}

    # -- stack ---------------------------------------------------------------------------

    def _push(self, name: str, lang: str | None, has_lang: bool, pos: int) -> None:
        _, plang, pkind, pskip, pforeign = self.stack[-1]
        kind = _KIND.get(name)
        if kind is None:
            kind = pkind if (name not in BLOCK or pkind in _STICKY_KINDS) else "paragraph"
        self.stack.append((
            name,
            lang if has_lang else plang,
            kind,
            pskip or (name in SKIP and self._closed_later(name, pos)),
            pforeign or name in _FOREIGN,
        ))
        self.counts[name] = self.counts.get(name, 0) + 1

    def _closed_later(self, name: str, pos: int) -> bool:
        """Whether an end tag for ``name`` follows ``pos``. A <code> or <pre> that is never
        closed hides nothing: browsers would stretch it over the rest of the page, but a
        forgotten end tag must not hide text from the linter. Positions only move forward,
        so caching the next end tag keeps this linear."""
        nxt = self._next_end.get(name)
        if nxt is None or 0 <= nxt < pos:
            m = _END_OF[name].search(self.src, pos)
            nxt = m.start() if m else -1
            self._next_end[name] = nxt
        return nxt >= 0

    def _pop_to(self, index: int) -> None:
        """Pop every element at or above stack[index]."""
        counts = self.counts
        stack = self.stack
        while len(stack) > index:
            counts[stack.pop()[0]] -= 1

    def _find(self, names: frozenset[str] | str, stoppers: frozenset[str] | None,
              limit: int | None) -> int:
        """Index of the topmost element named in ``names`` (a set, or one name), not beyond a
        stopper and at most ``limit`` entries down; -1 if there is none."""
        stack = self.stack
        lowest = 1 if limit is None else max(1, len(stack) - limit)
        single = isinstance(names, str)
        for i in range(len(stack) - 1, lowest - 1, -1):
            name = stack[i][0]
            if (name == names) if single else (name in names):
                return i
            if stoppers is not None and name in stoppers:
                return -1
        return -1

    def _close_implied(self, name: str) -> None:
        counts = self.counts
        if name in _P_CLOSERS and counts.get("p"):
            i = self._find("p", _SCOPE, _SEARCH_LIMIT)
            if i > 0:
                self._pop_to(i)
        if name in _HEADINGS and self.stack[-1][0] in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        implied = _IMPLIED.get(name)
        if implied is not None and any(counts.get(n) for n in implied[0]):
            i = self._find(implied[0], implied[1], _SEARCH_LIMIT)
            if i > 0:
                self._pop_to(i)

    def _end_tag(self, name: str) -> None:
        stack = self.stack
        if stack[-1][0] == name and len(stack) > 1:  # the common, well-nested case
            self.counts[name] -= 1
            stack.pop()
            return
        if not self.counts.get(name):
            return
        if name in BLOCK or name in SKIP or name in _FOREIGN:
            # a block (or hidden) element closes everything opened inside it
            i = self._find(name, None, None)
        else:
            # an inline end tag never closes a block opened after it
            i = self._find(name, BLOCK, _SEARCH_LIMIT)
        if i > 0:
            self._pop_to(i)

    # -- helpers -------------------------------------------------------------------------

    def _attr_pieces(self, span: tuple[int, int]) -> Pieces:
        pieces = Pieces()
        decode_entities(pieces, self.src, span[0], span[1], attribute=True)
        return pieces

    def _text(self, start: int, end: int, after_br: bool = False) -> None:
        """A text run between tags: skipped, or added (decoding references). ``after_br``: it
        follows a ``<br>``, so the white space it opens with (the source's line break after the
        tag, the next line's indentation) is not read: the ``<br>`` already stands for it."""
        top = self.stack[-1]
        if top[3]:
            return
        if after_br:
            m = _NON_WS.search(self.src, start, end)
            start = end if m is None else m.start()
        sink = self.sink
        if not sink.has_text:
            m = _NON_WS.search(self.src, start, end)
            if m is None:
                return  # whitespace between blocks adds nothing
            start = m.start()
            sink.begin(top[2], top[1])
        if self.src.find("&", start, end) < 0:
            sink.add(start, end)
        else:
            decode_entities(sink, self.src, start, end)

    def _start_tag(self, name: str, a_start: int, a_end: int, tag_end: int,
                   self_closing: bool) -> None:
        src = self.src
        sink = self.sink
        attrs = None
        lang = None
        has_lang = False
        if a_end > a_start and _LANG_HINT.search(src, a_start, a_end):
            attrs = parse_attrs(src, a_start, a_end)
            span = attrs.get("lang") or attrs.get("xml:lang")
            if span is not None:
                has_lang = True
                lang = normalize_lang(src[span[0] : span[1]])
        if name == "html":
            if has_lang and self.doc_lang is None:
                self.doc_lang = lang
                root = self.stack[0]
                self.stack[0] = (root[0], lang, root[2], root[3], root[4])
            return
        if name == "body" or name == "head":
            return
        if name in BLOCK:
            if not self.stack[-1][4]:
                self._close_implied(name)
            if not self.stack[-1][3]:  # a <div> inside hidden content splits nothing
                sink.end_block()
        top = self.stack[-1]
        if name == "img" or name == "meta":
            if attrs is None:
                attrs = parse_attrs(src, a_start, a_end)
            if not self.stack[-1][3]:
                self._void_with_text(name, attrs)
            return
        if name in VOID:
            return
        if self_closing and top[4]:
            return  # <path/> inside svg
        self._push(name, lang, has_lang, tag_end)

    def _void_with_text(self, name: str, attrs: dict[str, tuple[int, int]]) -> None:
        src = self.src
        top = self.stack[-1]
        if name == "img":
            span = attrs.get("alt")
            if span is not None and _NON_WS.search(src, span[0], span[1]):
                self.sink.aux("alt", self._attr_pieces(span), top[1])
            return
        content = attrs.get("content")
        if content is None:
            return
        for key in ("name", "property"):
            span = attrs.get(key)
            if span is None:
                continue
            kind = META_NAMES.get(src[span[0] : span[1]].strip().lower())
            if kind is not None:
                if _NON_WS.search(src, content[0], content[1]):
                    self.sink.aux(kind, self._attr_pieces(content), top[1])
                return
        span = attrs.get("http-equiv")
        if span is not None and src[span[0] : span[1]].strip().lower() == "content-language":
            self.content_language = normalize_lang(src[content[0] : content[1]].split(",")[0])

    def _raw_text(self, name: str, start: int) -> int:
        """Content of a raw-text element starting at ``start``; returns where lexing resumes."""
        src = self.src
        m = _END_OF[name].match(src, self._next_end[name]) if self._closed_later(name, start) else None
        if m is None:
            if name == "title":
                return start  # an unclosed <title>: lex on, so no text is lost
            return len(src)  # browsers hide the rest of the page too
        if name == "title" and not self.stack[-1][3]:
            pieces = Pieces()
            first = _NON_WS.search(src, start, m.start())
            if first is not None:
                decode_entities(pieces, src, first.start(), m.start())
                self.sink.aux("title", pieces, self.stack[-1][1])
        close = src.find(">", m.end() - 1)
        return len(src) if close < 0 else close + 1

    def _checkpoint(self, at: int, text_start: int, end_at: int, br_pending: bool, name: str) -> None:
        stack = self.stack
        if len(stack) > _CHECKPOINT_DEPTH:
            return
        sink = self.sink
        self.checkpoints[at] = (text_start, end_at, tuple(stack), sink.has_text, sink.kind, sink.lang,
                                len(sink._held), br_pending)
        recent = self._recent.setdefault(name, [])
        recent.append(at)
        if len(recent) > _CHECKPOINT_KEEP:
            del self.checkpoints[recent.pop(0)]

    # -- the main loop ---------------------------------------------------------------------

    def run(self) -> None:
        src = self.src
        n = len(src)
        find = src.find
        sink = self.sink
        stack = self.stack
        text_start = pos = 0  # text_start: where the pending text run begins
        br_pending = False  # the last thing seen was a <br> (and whitespace since)
        while True:
            lt = find("<", pos)
            if lt < 0:
                break
            c = src[lt + 1 : lt + 2]
            if c in _ALPHA:  # a start tag
                m = _START_TAG.match(src, lt)
                if text_start < lt:
                    self._text(text_start, lt, br_pending)
                    if br_pending and _NON_WS.search(src, text_start, lt):
                        br_pending = False
                if not m.group(3):  # no ">" before the end: an unfinished tag is dropped
                    return
                name = m.group(1).lower()
                tag_end = m.end()
                if name == "br":
                    if not stack[-1][3]:
                        if br_pending:  # <br><br>: a paragraph break
                            sink.end_block()
                            br_pending = False
                        elif sink.has_text:  # a single <br> reads as a line break
                            sink.add_text("\n", lt, tag_end)
                            br_pending = True
                    text_start = pos = tag_end
                    continue
                br_pending = False
                self._start_tag(name, m.start(2), m.end(2), tag_end, src[tag_end - 2] == "/")
                if name in _RAW and not stack[-1][4] and stack[-1][0] == name:
                    resume = self._raw_text(name, tag_end)
                    if resume != tag_end:  # the element is complete
                        self._pop_to(len(stack) - 1)
                        tag_end = resume
                text_start = pos = tag_end
            elif c == "/":  # an end tag, "</>" or a bogus comment
                m = _END_TAG.match(src, lt)
                if m is None:
                    if lt + 2 >= n:
                        break  # "</" at the very end is text
                    close = find(">", lt + 2)
                    end_at = n if close < 0 else close + 1
                elif not m.group(2):
                    end_at = n  # unfinished end tag at the end of input
                else:
                    end_at = m.end()
                    if m.end(1) - lt <= 6 and m.group(1).lower() in _CHECKPOINT_TAGS:
                        self._checkpoint(lt, text_start, end_at, br_pending, m.group(1).lower())
                if text_start < lt:
                    self._text(text_start, lt, br_pending)
                    if br_pending and _NON_WS.search(src, text_start, lt):
                        br_pending = False
                if m is not None and m.group(2):
                    name = m.group(1).lower()
                    if name == "br":  # </br> acts as <br>
                        if not stack[-1][3] and sink.has_text:
                            sink.add_text("\n", lt, end_at)
                    else:
                        br_pending = False
                        if name in BLOCK and not stack[-1][3]:
                            sink.end_block()
                        self._end_tag(name)
                text_start = pos = end_at
            elif c == "!" or c == "?":  # comment, doctype, CDATA, processing instruction
                if text_start < lt:
                    self._text(text_start, lt, br_pending)
                if src.startswith("<!--", lt):
                    if src.startswith(">", lt + 4):
                        end_at = lt + 5  # <!-->
                    elif src.startswith("->", lt + 4):
                        end_at = lt + 6  # <!--->
                    else:
                        m = _COMMENT_END.search(src, lt + 4)
                        end_at = n if m is None else m.end()
                elif stack[-1][4] and src.startswith("<![CDATA[", lt):
                    close = find("]]>", lt + 9)
                    end_at = n if close < 0 else close + 3
                else:
                    close = find(">", lt + 2)
                    end_at = n if close < 0 else close + 1
                    if close >= 0 and _DOCTYPE_SUBSET.match(src, lt, close):
                        # an XML internal subset, <!DOCTYPE html [ <!ENTITY ...> ]>: declarations,
                        # never prose (and never expanded: an undeclared &name; stays as written)
                        m = _SUBSET_END.search(src, close)
                        if m is not None:
                            end_at = m.end()
                text_start = pos = end_at
            else:
                pos = lt + 1  # a "<" that starts no markup is text
        self._checkpoint(n, text_start, n, br_pending, "")
        if text_start < n:
            self._text(text_start, n, br_pending)


def parse(source: str) -> Document:
    b = ProseBuilder(source, "html")
    sink = ProseSink(b)
    walker = HtmlWalker(source, sink)
    walker.run()
    sink.end_block()
    b.lang = walker.doc_lang or walker.content_language
    doc = b.build()
    doc.meta["checkpoints"] = walker.checkpoints  # see HtmlWalker.checkpoints
    return doc
