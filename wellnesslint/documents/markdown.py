"""Markdown (CommonMark + tables + YAML front matter): the prose a reader of the rendered page sees.

markdown-it-py gives the structure: block tokens with line ranges (``token.map``) and, per
block, an *inline content* string (the block's text with container markers, indentation and
heading marks removed) whose child tokens carry no positions. Positions are recovered in two
steps:

1. **Content -> source.** Each line of a block's inline content is a piece of one source line
   (markdown-it only strips prefixes, and the first/last line of a paragraph). Aligning each
   content line with the *end* of its source line (the part after container markers such as
   ``> ``, ``- ``, ``1. ``) gives a segment table; a heading is aligned after its ``#`` marks,
   a table cell by a forward search in its row (``\\|`` in the source is ``|`` in the cell).
2. **Tokens -> content.** The inline children are walked in order with a cursor into the
   content: each text token is found by a forward search from the cursor; markup whose extent
   the token does not tell us is measured the way markdown-it itself measures it (link labels
   with ``parseLinkLabel``, destinations and titles with ``parseLinkDestination`` /
   ``parseLinkTitle``, code spans by their backtick runs), so a URL or link title is never
   mistaken for prose.

Every emitted piece is checked against the source: if the source characters at the computed
range differ from the content (a tab expanded into spaces, NUL replaced by U+FFFD), the content
text is added with ``add_text`` for that range, so the prose is always right.

Entities and backslash escapes map back to their source text (``add_text``); soft and hard line
breaks keep the source line terminator verbatim; inline code, URLs, autolinks, HTML comments,
code blocks and reference definitions are dropped; raw HTML (blocks and inline tags) goes
through the HTML adapter's walker, so its text is linted and its tags are not. Image alt texts
become blocks of their own (kind "alt"), emitted after the block that holds the image, and the
front matter's ``title``/``description`` become "title"/"meta" blocks at their values.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import attrgetter

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.front_matter import front_matter_plugin

from ..models import Document, DocumentBuilder
from . import text as _text_adapter
from .html import SKIP, HtmlWalker, Pieces, ProseSink, decode_entities, normalize_lang, \
    parse_attrs, scan_tag

_MD = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
# keep entities and escapes as separate ``text_special`` tokens (they carry their source text)
_MD.disable("text_join")
# blocks only: each block's inline content is parsed when it is read (``_Converter._inline``),
# and not at all when it is plain text
_MD_BLOCKS = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
_MD_BLOCKS.disable(["text_join", "inline"])
# what can make inline content more than its plain text: escapes, entities, emphasis, links and
# images ("!" alone is prose: an image needs the "[" after it), raw HTML and autolinks, code
# spans, and line breaks with spaces around them (markdown-it drops those spaces, and two of them
# before a break make a hard break); without any of these the whole content is one run of text
# and soft breaks, which the inline parser would only split up ("~~" is plain: CommonMark has no
# strikethrough). Two searches: a pattern that is one character class is scanned quickly, an
# alternation is tried at every position (three times slower); and most content is one line
_MARKUP_CHAR = re.compile(r"[\\&*_\[\]<`]")
_SPACE_AT_BREAK = re.compile(r"[ \t]\n|\n[ \t]")


def _is_plain(content: str) -> bool:
    """Whether ``content`` holds no markup: its text alone is what the inline parser gives."""
    return _MARKUP_CHAR.search(content) is None and (
        "\n" not in content or _SPACE_AT_BREAK.search(content) is None
    )


_EOL_KEPT = re.compile(r"(\r\n?|\n)")  # line terminators, kept by split()


def _line_table(source: str) -> tuple[list[int], list[int], list[int]]:
    """Where each source line starts, where its text ends and where its terminator ends.

    Built from the lengths of the lines with running sums: a loop over regex matches would cost
    four times as much, and a page has a few hundred lines.
    """
    if "\r" in source:
        # split keeping the terminators: line, terminator, line, ..., line; the running sums
        # of their lengths are start, end, end of terminator (= next start), ... of each line
        bounds = list(accumulate(map(len, _EOL_KEPT.split(source)), initial=0))
        starts, ends, term_ends = bounds[0::2], bounds[1::2], bounds[2::2]
        term_ends.append(len(source))  # the last line has no terminator
        return starts, ends, term_ends
    # "\n" only (most pages): each line's terminator is the one character before the next start
    starts = list(accumulate([len(line) + 1 for line in source.split("\n")], initial=0))
    term_ends = starts[1:]
    ends = [t - 1 for t in term_ends]
    starts.pop()  # the running sum past the last line
    term_ends[-1] = len(source)  # the last line has no terminator
    return starts, ends, term_ends
_SPACE_TAB = " \t"
_MARKER_CHARS = " \t>-*+.)0123456789"  # what may stand before a block's content on its line


class _Segments:
    """Maps offsets in a block's inline content to source offsets.

    Segment ``i`` copies ``length[i]`` content characters starting at ``cstart[i]`` from source
    offset ``sstart[i]``; if ``eol[i]`` is set, the content character right after it is a "\\n"
    standing for that source line terminator.
    """

    __slots__ = ("cstart", "sstart", "length", "eol")

    def __init__(self) -> None:
        self.cstart: list[int] = []
        self.sstart: list[int] = []
        self.length: list[int] = []
        self.eol: list[tuple[int, int] | None] = []

    def append(self, cs: int, ss: int, length: int, eol: tuple[int, int] | None) -> None:
        self.cstart.append(cs)
        self.sstart.append(ss)
        self.length.append(length)
        self.eol.append(eol)

    def point(self, p: int) -> int:
        """Source offset of content offset ``p`` (a line's "\\n" maps to its terminator)."""
        if not self.cstart:
            return 0
        i = max(bisect_right(self.cstart, p) - 1, 0)
        off = p - self.cstart[i]
        if off < self.length[i] or self.eol[i] is None:
            return self.sstart[i] + min(off, self.length[i])
        return self.eol[i][0]

    def span(self, cs: int, ce: int) -> tuple[int, int]:
        if ce <= cs:
            s = self.point(cs)
            return s, s
        start = self.point(cs)
        last = ce - 1
        i = max(bisect_right(self.cstart, last) - 1, 0)
        off = last - self.cstart[i]
        if off >= self.length[i] and self.eol[i] is not None:
            end = self.eol[i][1]
        else:
            end = self.sstart[i] + min(off, max(self.length[i] - 1, 0)) + 1
        return start, max(start, end)

    def one_piece(self, source: str, content: str) -> int:
        """Where all of ``content`` is written as is in the source when it is one segment (a
        heading, a table cell, a one-line paragraph: most content), else -1. ``emit`` gives
        that one verbatim piece for the whole content: this costs less."""
        if len(self.cstart) == 1 and self.length[0] == len(content):
            at = self.sstart[0]
            if source[at : at + len(content)] == content:
                return at
        return -1

    def emit(self, target, source: str, content: str, cs: int, ce: int) -> None:
        """Add content[cs:ce] to ``target``, verbatim where the source agrees."""
        if ce <= cs or not self.cstart:
            return
        i = max(bisect_right(self.cstart, cs) - 1, 0)
        p = cs
        count = len(self.cstart)
        while p < ce and i < count:
            ls = self.cstart[i]
            line_end = ls + self.length[i]
            if p < line_end:
                q = min(ce, line_end)
                s = self.sstart[i] + (p - ls)
                e = s + (q - p)
                piece = content[p:q]
                if source[s:e] == piece:
                    target.add(s, e)
                else:
                    target.add_text(piece, s, e)
                p = q
            if p < ce and p == line_end and self.eol[i] is not None:
                es, ee = self.eol[i]
                if ee > es:
                    target.add(es, ee)  # the line terminator, verbatim ("\n" or "\r\n")
                else:
                    target.add_text("\n", es, ee)
                p += 1
            i += 1
        if p < ce:  # past the last segment: should not happen, but never lose text
            at = self.point(ce)
            target.add_text(content[p:ce], at, at)


class _MappedSink(ProseSink):
    """A ProseSink for the HTML walker running over an html_block's content."""

    def __init__(self, builder: DocumentBuilder, segs: _Segments, content: str) -> None:
        super().__init__(builder)
        self.segs = segs
        self.content = content

    def add(self, start: int, end: int) -> None:
        self.segs.emit(self.b, self.b.source, self.content, start, end)

    def add_text(self, text: str, start: int, end: int) -> None:
        self.b.add_text(text, *self.segs.span(start, end))


class _Converter:
    def __init__(self, source: str) -> None:
        self.source = source
        self.b = DocumentBuilder(source, "markdown")
        self.sink = ProseSink(self.b)
        self.env: dict = {}
        # source lines: start, end of text, end of terminator (markdown-it numbers lines alike)
        self.starts, self.ends, self.term_ends = _line_table(source)
        self.row: tuple[int, int] = (-1, 0)  # (line, cursor) of the table row being read

    # -- content -> source segments ---------------------------------------------------------

    def _line_segments(self, content: str, first_line: int, strip_last: bool) -> _Segments:
        """Segments for a block whose content lines are suffixes of consecutive source lines
        (paragraphs, setext headings, HTML blocks)."""
        source = self.source
        segs = _Segments()
        cs = 0
        lines = content.split("\n")
        first_line = self._first_content_line(lines[0].lstrip(), first_line, len(lines))
        for idx, t in enumerate(lines):
            ln = first_line + idx
            if ln >= len(self.starts):
                break
            ls, le = self.starts[ln], self.ends[ln]
            eol = (le, self.term_ends[ln])
            tail = le
            if strip_last and idx == len(lines) - 1:
                while tail > ls and source[tail - 1].isspace():
                    tail -= 1
            k = tail - len(t)
            if k >= ls and source.startswith(t, k):
                segs.append(cs, k, len(t), eol)
            else:
                # leading whitespace that markdown-it synthesised (a tab inside a container
                # marker becomes spaces): align the rest, map the spaces just before it
                core = t.lstrip()
                pad = len(t) - len(core)
                k = tail - len(core)
                if not (k >= ls and source.startswith(core, k)):
                    found = source.find(core, ls, le) if core else -1
                    k = found if found >= 0 else ls
                if pad:
                    segs.append(cs, max(ls, k - pad), pad, None)
                segs.append(cs + pad, k, len(core), eol)
            cs += len(t) + 1
        return segs

    def _first_content_line(self, first: str, line: int, count: int) -> int:
        """The source line that holds the content's first line ``first`` (stripped), from the
        block's first line ``line`` on. markdown-it strips a paragraph's or setext heading's
        content with Python's ``str.strip``, which also takes Unicode spaces (no-break, em,
        ideographic): a first line of only such spaces ("\\u00a0", "- \\u00a0") is not blank to
        CommonMark, so it opens the block, but its content is gone. The content then starts on a
        later line; mapping it to the block's first line would shift every position after it."""
        source, starts, ends = self.source, self.starts, self.ends
        if not first or line >= len(starts):
            return line
        ln = line
        while source.find(first, starts[ln], ends[ln]) < 0:  # almost always found at once
            # a skipped line must be all whitespace after its container markers ("- ", "> ")
            blank = source[starts[ln] : ends[ln]].lstrip(_MARKER_CHARS).isspace()
            if not (blank and ln + count < len(starts)):
                return line  # not there at all (markdown-it rewrote it): as before
            ln += 1
        return ln

    def _heading_segments(self, content: str, line: int) -> _Segments:
        source = self.source
        ls, le = self.starts[line], self.ends[line]
        hash_at = source.find("#", ls, le)
        pos = hash_at if hash_at >= 0 else ls
        while pos < le and source[pos] == "#":
            pos += 1
        k = source.find(content, pos, le)
        segs = _Segments()
        segs.append(0, k if k >= 0 else pos, len(content), (le, self.term_ends[line]))
        return segs

    def _cell_segments(self, content: str, line: int) -> _Segments:
        """A table cell: found in its row after the previous cell; "|" in the content is
        "\\|" in the source (markdown-it drops the backslash)."""
        source = self.source
        ls, le = self.starts[line], self.ends[line]
        cursor = self.row[1] if self.row[0] == line else ls
        written = content.replace("|", "\\|")
        k = source.find(written, cursor, le) if content else -1
        segs = _Segments()
        if k < 0:
            segs.append(0, cursor, len(content), None)
            return segs
        self.row = (line, k + len(written))
        # one segment per escaped pipe: the backslash before each "|" is skipped
        cs, shift = 0, 0
        for j, ch in enumerate(content):
            if ch == "|":
                segs.append(cs, k + cs + shift, j - cs, None)
                shift += 1
                cs = j
        segs.append(cs, k + cs + shift, len(content) - cs, None)
        return segs

    # -- inline content -------------------------------------------------------------------

    def _inline(self, token, segs: _Segments, kind: str) -> None:
        content = token.content
        sink = self.sink
        # prose goes straight to the builder: self.sink is a ProseSink, whose add and add_text
        # are the builder's (one call less per piece)
        builder = self.b
        if _is_plain(content):
            # plain text: the whole content, which is what the walk of its tokens would give.
            # Every emitted piece is the content's text or a line terminator where the content
            # has "\n", so the block has prose exactly when the content has a non-space
            if content.strip():
                sink.begin(kind, builder.lang)
                at = segs.one_piece(self.source, content)
                if at >= 0:
                    builder.add(at, at + len(content))
                else:
                    segs.emit(builder, self.source, content, 0, len(content))
            return
        walker = _InlineWalker(self, content, segs)
        main = Pieces()
        alts: list[Pieces] = []
        children: list = []
        _MD.inline.parse(content, _MD, self.env, children)
        walker.walk(children, 0, main, alts)
        source = self.source
        if any((t if t is not None else source[s:e]).strip() for t, s, e in main.items):
            sink.begin(kind, builder.lang)
            for t, s, e in main.items:
                if t is None:
                    builder.add(s, e)
                else:
                    builder.add_text(t, s, e)
        for alt in alts:
            sink.aux("alt", alt, builder.lang)

    # -- front matter ------------------------------------------------------------------------

    def _front_matter(self, token) -> None:
        import yaml  # only pages with front matter need it

        from ..yamlload import check_nesting

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            # PyYAML's safe loader, the C one where it is built (several times faster); nesting
            # checked first: deep nesting is quadratic to parse and crashes the C loader
            if check_nesting(token.content, loader) is not None:
                return
            data = yaml.load(token.content, Loader=loader)  # noqa: S506
        except Exception:  # invalid YAML (or anything odd): no metadata, no crash
            return
        if not isinstance(data, dict):
            return
        self.b.meta["front_matter"] = data
        for key in ("lang", "language"):
            if isinstance(data.get(key), str):
                self.b.lang = normalize_lang(data[key])
                break
        first, last = 1, (token.map[1] if token.map else 1) - 1
        found = []
        for key, kind in (("title", "title"), ("description", "meta")):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                pieces = self._yaml_value(key, value, first, last)
                if pieces is not None and pieces.items:
                    found.append((pieces.items[0][1], kind, pieces))
        for _, kind, pieces in sorted(found, key=lambda f: f[0]):  # in source order
            self.sink.aux(kind, pieces, self.b.lang)

    def _yaml_value(self, key: str, value: str, first: int, last: int) -> Pieces | None:
        """Where a top-level key's string value sits in the source: verbatim if it is written
        as is on the key's line, else the decoded value over the whole written value."""
        source = self.source
        key_re = re.compile(re.escape(key) + r"[ \t]*:(?:[ \t]+|$)")
        for ln in range(first, min(last, len(self.starts))):
            ls, le = self.starts[ln], self.ends[ln]
            m = key_re.match(source, ls, le)
            if m is None:
                continue
            vs = m.end()
            ve = le
            while ve > vs and source[ve - 1] in _SPACE_TAB:
                ve -= 1
            raw = source[vs:ve]
            if raw[:1] in ("'", '"') and len(raw) >= 2 and raw[-1] == raw[0]:
                vs, ve = vs + 1, ve - 1  # a quoted scalar: point inside the quotes
            elif " #" in raw:  # a plain scalar with a trailing comment
                ve = vs + raw.index(" #")
                while ve > vs and source[ve - 1] in _SPACE_TAB:
                    ve -= 1
            # continuation lines (block scalars, folded plain scalars) belong to the value
            nxt = ln + 1
            while nxt < last and (
                self.ends[nxt] == self.starts[nxt] or source[self.starts[nxt]] in _SPACE_TAB
            ):
                nxt += 1
            while nxt > ln + 1 and not source[self.starts[nxt - 1] : self.ends[nxt - 1]].strip():
                nxt -= 1  # trailing blank lines are not part of it
            pieces = Pieces()
            if nxt == ln + 1 and source[vs:ve] == value:
                pieces.add(vs, ve)  # written as is: exact positions
            else:
                if raw[:1] in ("|", ">") and nxt > ln + 1:  # block scalar: text starts below
                    vs = self.starts[ln + 1]
                    while vs < self.ends[ln + 1] and source[vs] in _SPACE_TAB:
                        vs += 1
                end = self.ends[nxt - 1] if nxt > ln + 1 else ve
                pieces.add_text(value, vs, max(vs, end))  # decoded: the whole written value
            return pieces
        return None

    # -- blocks --------------------------------------------------------------------------------

    def convert(self) -> Document:
        tokens = _MD_BLOCKS.parse(self.source, self.env)
        limit = _MD.options["maxNesting"]
        # the deepest level first (one pass in C): pages never come near the limit
        if tokens and max(map(_LEVEL, tokens)) + 1 >= limit and any(
            t.nesting == 1 and t.level + 1 >= limit and t.type in _CONTAINERS for t in tokens
        ):
            raise _TooDeep  # markdown-it dropped the rest of the page below this container
        sink = self.sink
        containers: list[str] = []  # "quote" / "list_item", innermost last
        kind = "paragraph"
        opener = None
        for tok in tokens:
            t = tok.type
            if t == "inline":
                if not tok.map:
                    continue
                line = tok.map[0]
                if opener is not None and opener.type == "heading_open" and \
                        opener.markup.startswith("#"):
                    segs = self._heading_segments(tok.content, line)
                elif opener is not None and opener.type in ("th_open", "td_open"):
                    segs = self._cell_segments(tok.content, line)
                else:
                    segs = self._line_segments(tok.content, line, strip_last=True)
                self._inline(tok, segs, kind)
            elif t == "paragraph_open":
                kind = containers[-1] if containers else "paragraph"
                opener = tok
            elif t == "heading_open":
                kind, opener = "heading", tok
            elif t in ("th_open", "td_open"):
                kind, opener = "table_cell", tok
            elif t in ("paragraph_close", "heading_close", "th_close", "td_close", "hr"):
                sink.end_block()
                opener = None
            elif t == "blockquote_open":
                sink.end_block()
                containers.append("quote")
            elif t == "list_item_open":
                sink.end_block()
                containers.append("list_item")
            elif t in ("blockquote_close", "list_item_close"):
                sink.end_block()
                if containers:
                    containers.pop()
            elif t == "html_block":
                sink.end_block()
                if tok.map:
                    self._html_block(tok, containers[-1] if containers else "paragraph")
            elif t == "front_matter":
                self._front_matter(tok)
            # fences, indented code, tables' row tokens: nothing to read
        sink.end_block()
        doc = self.b.build()
        # where the last top-level block starts: a parse of the source from here on reads the end of
        # the page as the whole parse does (but for references defined above), so a check of what an
        # appended paragraph does to the page need not parse it all again (rewrite._reads_well)
        doc.meta["tail"] = 0
        for tok in reversed(tokens):
            if tok.level == 0 and tok.nesting != -1 and tok.map and tok.type != "front_matter":
                doc.meta["tail"] = self.starts[min(tok.map[0], len(self.starts) - 1)]
                break
        return doc

    def _html_block(self, token, default_kind: str) -> None:
        content = token.content
        segs = self._line_segments(content, token.map[0], strip_last=False)
        msink = _MappedSink(self.b, segs, content)
        walker = HtmlWalker(content, msink, default_kind, self.b.lang)
        walker.run()
        msink.end_block()


class _InlineWalker:
    """Walks one block's inline tokens with a cursor into its content (see module doc)."""

    def __init__(self, conv: _Converter, content: str, segs: _Segments) -> None:
        self.conv = conv
        self.source = conv.source
        self.content = content
        self.segs = segs
        self._state: StateInline | None = None
        self.skip = 0  # depth of raw-HTML elements whose content is hidden (<code>, <script>)

    @property
    def state(self) -> StateInline:
        if self._state is None:
            self._state = StateInline(self.content, _MD, self.conv.env, [])
        return self._state

    def _emit(self, target: Pieces, cs: int, ce: int) -> None:
        if not self.skip:
            self.segs.emit(target, self.source, self.content, cs, ce)

    def _emit_text(self, target: Pieces, text: str, cs: int, ce: int) -> None:
        if not self.skip:
            target.add_text(text, *self.segs.span(cs, ce))

    def _label_end(self, start: int, nested: bool) -> int:
        """Position of the "]" closing the label whose "[" is at ``start`` (markdown-it's own
        scan, which knows about code spans, autolinks and nested brackets), or -1."""
        try:
            return _MD.helpers.parseLinkLabel(self.state, start, not nested)
        except Exception:
            return -1

    def _link_tail(self, label_end: int) -> int:
        """End of ``](destination "title")``, ``][ref]``, ``][]`` or ``]`` - as markdown-it's
        link rule decides it."""
        c = self.content
        n = len(c)
        pos = label_end + 1
        if pos < n and c[pos] == "(":
            p = pos + 1
            while p < n and c[p] in " \t\n":
                p += 1
            if p < n:
                res = _MD.helpers.parseLinkDestination(c, p, n)
                if res.ok:
                    # markdown-it validates the normalized URL; normalizing (slow) never
                    # changes the verdict for a URL that passes as written
                    if _MD.validateLink(res.str) or \
                            _MD.validateLink(_MD.normalizeLink(res.str)):
                        p = res.pos
                    start = p
                    while p < n and c[p] in " \t\n":
                        p += 1
                    title = _MD.helpers.parseLinkTitle(c, p, n)
                    if p < n and start != p and title.ok:
                        p = title.pos
                        while p < n and c[p] in " \t\n":
                            p += 1
                if p < n and c[p] == ")":
                    return p + 1
        if pos < n and c[pos] == "[":
            end = self._label_end(pos, nested=True)
            if end >= 0:
                return end + 1
        return pos

    def _find(self, needle: str, cur: int) -> int:
        """Where ``needle`` (the next token's text) starts: only characters markdown-it drops
        (spaces around line breaks, emphasis markers already consumed) can lie between."""
        return self.content.find(needle, cur) if needle else cur

    def walk(self, children, cur: int, target: Pieces, alts: list[Pieces]) -> int:
        c = self.content
        labels: list[int] = []  # label ends of the open links
        autolink = False
        for tok in children:
            t = tok.type
            if autolink:
                if t == "link_close":
                    autolink = False
                continue
            if t == "text":
                j = self._find(tok.content, cur)
                if j < 0:  # should not happen: keep the text, positioned at the cursor
                    at = self.segs.point(cur)
                    if not self.skip:
                        target.add_text(tok.content, at, at)
                    continue
                self._emit(target, j, j + len(tok.content))
                cur = j + len(tok.content)
            elif t == "text_special":  # an entity or a backslash escape
                j = self._find(tok.markup, cur)
                if j < 0:
                    continue
                self._emit_text(target, tok.content, j, j + len(tok.markup))
                cur = j + len(tok.markup)
            elif t == "softbreak" or t == "hardbreak":
                j = c.find("\n", cur)
                if j < 0:
                    continue
                self._emit(target, j, j + 1)  # the source line terminator, verbatim
                cur = j + 1
            elif t in ("em_open", "em_close", "strong_open", "strong_close"):
                j = self._find(tok.markup, cur)
                if j >= 0:
                    cur = j + len(tok.markup)
            elif t == "code_inline":
                j = self._find(tok.markup, cur)
                if j < 0:
                    continue
                close = re.compile(r"(?<!`)" + re.escape(tok.markup) + r"(?!`)")
                m = close.search(c, j + len(tok.markup))
                cur = m.end() if m else j + len(tok.markup)
            elif t == "link_open":
                if tok.markup == "autolink":
                    j = c.find("<", cur)
                    k = c.find(">", j + 1) if j >= 0 else -1
                    if k >= 0:
                        cur = k + 1
                    autolink = True
                    continue
                j = c.find("[", cur)
                if j < 0:
                    labels.append(-1)
                    continue
                end = self._label_end(j, nested=False)
                labels.append(end if end >= 0 else c.find("]", j + 1))
                cur = j + 1
            elif t == "link_close":
                end = labels.pop() if labels else -1
                if end >= cur - 1 and end >= 0:
                    cur = self._link_tail(end)
            elif t == "image":
                j = c.find("![", cur)
                if j < 0:
                    continue
                end = self._label_end(j + 1, nested=True)
                if end < 0:
                    end = c.find("]", j + 2)
                alt = Pieces()
                if not self.skip:
                    self.walk(tok.children or [], j + 2, alt, alts)
                    if any((x if x is not None else self.source[s:e]).strip()
                           for x, s, e in alt.items):
                        alts.append(alt)
                cur = self._link_tail(end) if end >= 0 else j + 2
            elif t == "html_inline":
                j = self._find(tok.content, cur)
                if j < 0:
                    continue
                self._html_inline(tok.content, j, target, alts)
                cur = j + len(tok.content)
        return cur

    def _html_inline(self, tag: str, at: int, target: Pieces, alts: list[Pieces]) -> None:
        """A tag inside a paragraph: lint what it shows, never the tag itself."""
        info = scan_tag(tag)
        if info is None:
            return
        what, name, (a_start, a_end) = info
        if name == "br" and what in ("start", "end"):
            self._emit_text(target, "\n", at, at + len(tag))
        elif name in SKIP:
            if what == "start" and not tag.endswith("/>"):
                self.skip += 1
            elif what == "end" and self.skip:
                self.skip -= 1
        elif name == "img" and what == "start" and not self.skip:
            span = parse_attrs(tag, a_start, a_end).get("alt")
            if span is None:
                return
            local = Pieces()
            decode_entities(local, tag, span[0], span[1], attribute=True)
            alt = Pieces()
            for text, s, e in local.items:
                if text is None:
                    self.segs.emit(alt, self.source, self.content, at + s, at + e)
                else:
                    alt.add_text(text, *self.segs.span(at + s, at + e))
            if any((x if x is not None else self.source[s:e]).strip() for x, s, e in alt.items):
                alts.append(alt)


class _TooDeep(Exception):
    """Containers nested beyond markdown-it's ``maxNesting``: it skips everything after them."""


_CONTAINERS = frozenset(("blockquote_open", "list_item_open"))  # the rules that parse blocks inside
_LEVEL = attrgetter("level")


def parse(source: str) -> Document:
    try:
        return _Converter(source).convert()
    except (RecursionError, _TooDeep):
        # markdown-it recursion on absurd nesting, or nesting so deep (20 levels: ten nested lists)
        # that markdown-it skips the rest of the page: read it as plain text rather than fail or
        # miss what follows
        doc = _text_adapter.parse(source)
        doc.format = "markdown"
        return doc
