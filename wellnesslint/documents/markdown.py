"""Markdown (CommonMark + tables + YAML front matter): the prose a reader of the rendered page sees.

The structure comes from markdown-it-pyrs: markdown-it.rs, the Rust port of markdown-it, behind a
Python tree. Every node of that tree carries a source map, ``(start, end)`` in UTF-8 bytes of
the parsed text, inline nodes included, so where a text is written is read, not searched for:

1. **Bytes -> characters.** A page that is all ASCII needs no conversion. Otherwise a table of
   its runs of non-ASCII characters (found by the ASCII codec's error handler, once per page)
   turns a byte offset into a character offset with one bisection.
2. **Checked, never trusted.** A text node is taken where its source map starts only if the
   source reads its content there; its end is never used (markdown-it.rs miscomputes the end of
   a text whose trailing spaces a line break removed). Two ways the start can be off are
   repaired: a tab that a container marker (``>``, ``-``) consumed in part leaves spaces behind
   that shift every source map of that line (the line's first node is found a few bytes before,
   and the shift kept for the rest of the line), and a table cell's ``\\|`` is ``|`` in its
   content. Anything else is searched for from the end of what was read before: a cursor that
   only moves forward, past dropped markup too (a link's destination and title, code spans), so
   a URL or title is never taken for prose; a text found nowhere is still kept, at the cursor.

Entities and backslash escapes map back to their source text (``add_text``); soft and hard line
breaks keep the source line terminator verbatim; inline code, URLs, autolinks, HTML comments,
code blocks and reference definitions are dropped; NUL reads as U+FFFD, as CommonMark renders
it; raw HTML (blocks and inline tags) goes through the HTML adapter's walker, so its text is
linted and its tags are not. Image alt texts become blocks of their own (kind "alt"), emitted
after the block that holds the image, and the front matter's ``title``/``description`` become
"title"/"meta" blocks at their values. A block's content is stripped of white space at both ends
as markdown-it-py stripped it (with ``str.strip``, Unicode spaces included), so block texts and
positions are the ones the former parser gave.

Hostile input. markdown-it.rs has no nesting limit: containers nested as deep as markdown-it's
20 levels (``maxNesting``, where the former parser skipped the rest of the page) make the page
read as plain text (:class:`_TooDeep`), as before. A deep tree is taken apart iteratively before
it is let go, since freeing it frees its nodes recursively and overflows the C stack some ten
thousand levels down. Shapes that make markdown-it.rs quadratic are counted before parsing (a
line of many container markers, emphasis pairs times the nodes before them in one paragraph,
many consecutive reference definitions): such a page reads as plain text, or without emphasis or
references. markdown-it.rs panics when a ``[`` makes it scan an unmatched backtick run twice: the
panic is caught (its message kept off stderr) and the page parsed again with its unmatched
backtick runs, literal text anyway, replaced by another punctuation character.
"""

from __future__ import annotations

import codecs
import os
import re
import threading
from bisect import bisect_right

import markdown_it_pyrs

from ..models import Document, DocumentBuilder
from . import text as _text_adapter
from .builder import ProseBuilder
from .html import SKIP, HtmlWalker, Pieces, ProseSink, decode_entities, normalize_lang, \
    parse_attrs, scan_tag

_MD = markdown_it_pyrs.MarkdownIt("commonmark").enable("table").enable("front_matter").enable("footnote")
# the same rules one by one, for a parser without some of them (_Converter._parser)
_RULES = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
          "reference", "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
          "newline", "html_block", "html_inline", "table", "front_matter", "footnote")
_PARSERS: dict[frozenset[str], markdown_it_pyrs.MarkdownIt] = {frozenset(): _MD}

_NESTING = 20  # markdown-it's maxNesting: a container at level 19 made the page plain text
_LISTS = frozenset(("bullet_list", "ordered_list"))
_INLINE = frozenset(("text", "text_special", "softbreak", "hardbreak", "em", "strong", "link",
                     "image", "code_inline", "html_inline", "autolink", "footnote_ref",
                     "footnote_ref_anchor"))
_DROPPED = frozenset(("code_block", "fence", "definition"))
_PLAIN = frozenset(("text", "softbreak", "hardbreak"))  # what a block's stripped ends are made of
_DEEP_TREE = 256  # inline nesting from which the tree is taken apart iteratively

# shapes that make markdown-it.rs quadratic (_Converter._plan); each budget keeps it near a second
_PREFIX_CHECK = 1 << 16  # from this size on, pages are searched for long container prefixes
_PREFIX_MARKERS = 64  # container markers at the start of one line that make a page too deep
_EMPHASIS_BUDGET = 3e8  # emphasis delimiters x nodes, in one chunk between blank lines
_REFERENCE_BUDGET = 4e7  # reference definitions x lines, in one chunk
_MARKERS = r"(?:(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t\r\n]|$))[ \t]*){%d}" % _PREFIX_MARKERS
_DEEP_PREFIX = re.compile(r"^[ \t]*" + _MARKERS, re.M)
_DEEP_PREFIX_CR = re.compile(r"(?:^|(?<=\r))[ \t]*" + _MARKERS, re.M)
_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1)*[ \t]*(?:\r\n?|\n|$)")

# a long page is parsed in chunks (_chunks): markdown-it-pyrs builds the whole tree of what it
# parses as Python objects, some thirty bytes for every byte of text
_CHUNKED = 1 << 18  # pages from this many characters on
_CHUNK = 1 << 16  # characters in a chunk, at least
# where a chunk may end: after a blank line, before a line that starts with no indentation (such
# a line ends every container, indented code, tables and paragraphs)
_CHUNK_END = re.compile(r"(?:\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)(?=[^ \t\r\n])")
_OPEN_AT_END = re.compile(r"(?:\A|\r\n|\r(?!\n)|\n)[ \t]*(?:\r\n|\r(?!\n)|\n)[ \t]*\Z")
_BLANK_LINES = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t]*(?:\r\n|\r(?!\n)|\n|$))+")

_BACKTICKS = re.compile(r"`+")
_LINE_HEAD = re.compile(r"[ \t>*+\-0-9.)]*")  # what may stand before a fence on its line
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_EOL = re.compile(r"\r\n?|\n")
_SPACE_TAB = " \t"
_BREAK_LEAD = frozenset(" \t\\")  # what a line break's source map starts with before the terminator
_SHIFT_LIMIT = 16  # how far off a source map is looked behind and around
_END = ("end",)  # on the walk's stack: the end of emphasis (or of a node this module does not know)
_BARRIER = ("", 0, 0)  # a piece that adds nothing: a block's end is not stripped past markup


class _TooDeep(Exception):
    """Containers nested as deep as markdown-it's ``maxNesting`` (or a page markdown-it.rs would
    take minutes for): the page is read as plain text."""


# -- parsing ---------------------------------------------------------------------------------------


def _is_panic(exc: BaseException) -> bool:
    """A Rust panic raised into Python (``pyo3_runtime.PanicException``, a BaseException)."""
    return type(exc).__name__ == "PanicException"


_STDERR_LOCK = threading.Lock()


class _QuietStderr:
    """File descriptor 2 to /dev/null for a while: a Rust panic prints its message there before
    it is raised as an exception, and that message is no concern of the user's.

    One thread at a time (the language server and the review server lint in threads): two
    overlapping uses would save each other's /dev/null and leave stderr silenced for good."""

    def __enter__(self) -> None:
        _STDERR_LOCK.acquire()
        self.saved = -1
        try:
            self.saved = os.dup(2)
            null = os.open(os.devnull, os.O_WRONLY)
        except OSError:  # no stderr at all, or no /dev/null: nothing to keep quiet
            if self.saved >= 0:
                os.close(self.saved)
                self.saved = -1
            return
        os.dup2(null, 2)
        os.close(null)

    def __exit__(self, *exc) -> None:
        try:
            if self.saved >= 0:
                os.dup2(self.saved, 2)
                os.close(self.saved)
        finally:
            _STDERR_LOCK.release()


def _may_open_fence(text: str, s: int, e: int) -> bool:
    if e - s < 3:
        return False
    ls = max(text.rfind("\n", 0, s), text.rfind("\r", 0, s)) + 1
    return _LINE_HEAD.match(text, ls).end() >= s


def _lone_backticks(text: str) -> str:
    """``text`` with every backtick run that no later run of the same length closes (in its
    chunk between blank lines) replaced by "§", another punctuation character that is no markup:
    such a run is literal text, so the page reads the same. Runs that may open a fence stay, and
    so does a chunk with an escaped backtick (an escape changes which runs pair)."""
    out = []
    done = start = 0
    for end in [m.start() for m in _BLANK_LINES.finditer(text)] + [len(text)]:
        runs = [m.span() for m in _BACKTICKS.finditer(text, start, end)]
        if not any(s > 0 and text[s - 1] == "\\" for s, _ in runs):
            i = 0
            while i < len(runs):
                s, e = runs[i]
                closer = next((j for j in range(i + 1, len(runs))
                               if runs[j][1] - runs[j][0] == e - s), None)
                if closer is not None:  # a code span, as far as the chunk tells
                    i = closer + 1
                    continue
                if not _may_open_fence(text, s, e):
                    out.append(text[done:s])
                    out.append("§" * (e - s))
                    done = e
                i += 1
        start = end
    out.append(text[done:])
    return "".join(out)


def _every_backtick(text: str) -> str:
    """``text`` with every backtick run that cannot open a fence replaced by "§": code spans
    are lost (the last resort, when runs pair across blocks or escapes are in the way)."""
    return _BACKTICKS.sub(lambda m: m.group() if _may_open_fence(text, *m.span())
                          else "§" * len(m.group()), text)


def _tree(parser, text: str):
    """The tree of ``text``, and the text it is the tree of (see the module doc on panics)."""
    if "`" not in text or "[" not in text:  # the panic needs both
        return parser.tree(text), text
    for attempt in (None, _lone_backticks, _every_backtick):
        candidate = text if attempt is None else attempt(text)
        try:
            with _QuietStderr():
                return parser.tree(candidate), candidate
        except BaseException as exc:  # a panic is a BaseException
            if not _is_panic(exc):
                raise
    raise _TooDeep


def _chunks(text: str) -> list[int] | None:
    """Where to cut a long page into chunks that parse as the whole page does: the end of each
    chunk (the last is the page's end), or None to parse it whole. A chunk ends after a blank
    line, before a line without indentation: only a fenced code block or a raw HTML block of
    the kinds that run over blank lines (``<pre>``, ``<script>``, ``<!--`` ...) reads on there,
    which the parse itself tells (_Converter._convert_chunks). Not cut: a page with anything
    like a reference definition (one chunk's link may use another's definition), and front
    matter only after a line ``---`` that may close it."""
    n = len(text)
    if n < _CHUNKED or "]:" in text:
        return None
    pos = 0
    eol = _EOL.search(text)
    if eol and text[: eol.start()].strip(" \t").startswith("---"):
        close = re.compile(r"(?:\r\n?|\n)---(?=\r|\n|\Z)").search(text, eol.start())
        if close is None:
            return None
        pos = close.end()
    ends = []
    while True:
        m = _CHUNK_END.search(text, pos + _CHUNK)
        if m is None:
            break
        pos = m.end()
        ends.append(pos)
    if not ends:
        return None
    ends.append(n)
    return ends


def _dismantle(root) -> None:
    """Let a tree go without recursion: each node's children are released bottom-up."""
    order = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.children)
    for node in reversed(order):
        node.children = []


# -- byte offsets -> character offsets ---------------------------------------------------------------


class _CharOffsets:
    """Character offsets of UTF-8 byte offsets (``__call__``) and back (``byte``) in a text with
    non-ASCII characters, from its runs of them: run ``i`` starts at byte ``bstart[i]`` and
    character ``cstart[i]``, ends at ``bend[i]`` and ``cend[i]``, and after it the text has
    ``extra[i + 1]`` more bytes than characters (``extra[0]`` is 0)."""

    __slots__ = ("text", "bstart", "cstart", "bend", "cend", "extra")

    def __init__(self, text: str) -> None:
        self.text = text
        self.bstart: list[int] = []
        self.cstart: list[int] = []
        self.bend: list[int] = []
        self.cend: list[int] = []
        self.extra: list[int] = [0]
        extra = 0
        for s, e in _non_ascii_runs(text):
            self.bstart.append(s + extra)
            self.cstart.append(s)
            extra += len(text[s:e].encode("utf-8", "surrogatepass")) - (e - s)
            self.bend.append(e + extra)
            self.cend.append(e)
            self.extra.append(extra)

    def __call__(self, b: int) -> int:
        i = bisect_right(self.bstart, b) - 1
        if i < 0:
            return b
        if b >= self.bend[i]:
            return b - self.extra[i + 1]
        # inside a run (no node starts there, but a source map may be off)
        run = self.text[self.cstart[i] : self.cend[i]].encode("utf-8", "surrogatepass")
        return self.cstart[i] + len(run[: b - self.bstart[i]].decode("utf-8", "ignore"))

    def byte(self, c: int) -> int:
        i = bisect_right(self.cstart, c) - 1
        if i < 0:
            return c
        if c >= self.cend[i]:
            return c + self.extra[i + 1]
        return self.bstart[i] + len(self.text[self.cstart[i] : c].encode("utf-8", "surrogatepass"))


_runs = threading.local()


def _record_run(exc: UnicodeEncodeError) -> tuple[str, int]:
    _runs.found.append((exc.start, exc.end))
    return "", exc.end


codecs.register_error("wellnesslint.non_ascii_runs", _record_run)


def _non_ascii_runs(text: str) -> list[tuple[int, int]]:
    """Where ``text``'s runs of non-ASCII characters are. The ASCII codec calls its error handler
    once per run and skips the ASCII in C: five times faster than a regex scan."""
    _runs.found = found = []
    text.encode("ascii", "wellnesslint.non_ascii_runs")
    return found


_FRONT_MATTER_READ = frozenset(("title", "description", "lang", "language"))
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_PLAIN_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)")


def _front_matter_keys(content: str) -> str | None:
    """The lines of the front matter's keys that are read (title, description, lang, language),
    each with the lines below it that belong to its value: YAML whose parse gives those keys
    as the whole front matter would, at a fraction of the cost (the values are all PyYAML has
    to build in Python). None where the front matter is not a plain mapping of simple keys
    that can be cut so (a line at the margin that is not ``key:`` or a comment: a list,
    directives, a complex key, a value running on at the margin); an alias to another key's
    anchor fails to parse, and the whole front matter is parsed then."""
    if _OTHER_BREAKS.search(content):
        return None  # line breaks other than \n: parsed whole
    out = []
    keep = False
    for line in content.splitlines(keepends=True):  # \n only (checked above): ends kept
        first = line[:1]
        if first in (" ", "\t") or not line.strip(" \t\n"):
            if keep:
                out.append(line)
            continue
        if first == "#":
            if keep:
                out.append(line)
            continue
        m = _PLAIN_KEY.match(line)
        if m is None:
            return None
        keep = m.group(1) in _FRONT_MATTER_READ
        if keep:
            out.append(line)
    return "".join(out)


def _identity(b: int) -> int:
    return b


def _nul_pieces(content: str, at: int) -> list:
    """``content``, written as is at ``at``, but for each NUL, which reads as U+FFFD."""
    items = []
    s = 0
    for j, ch in enumerate(content):
        if ch == "\x00":
            if j > s:
                items.append((None, at + s, at + j))
            items.append(("\ufffd", at + j, at + j + 1))
            s = j + 1
    if s < len(content):
        items.append((None, at + s, at + len(content)))
    return items


# -- raw HTML blocks: content -> source ---------------------------------------------------------------


class _Segments:
    """Maps offsets in an HTML block's content (its lines without container markers, joined with
    "\\n") to source offsets.

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

    def emit(self, target, text: str, content: str, cs: int, ce: int) -> None:
        """Add content[cs:ce] to ``target``, verbatim where ``text`` (what was parsed) agrees."""
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
                if text[s:e] == piece:
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


def _html_segments(text: str, content: str, start: int) -> tuple[str, _Segments]:
    """An HTML block whose source starts at ``start`` and whose content is not written as is
    there: each content line is the end of one source line, from the line of ``start`` on.
    Returns the content as the source writes it (a tab stays a tab where the parser made spaces
    of it, a CRLF ends a line as "\\n") and its segments."""
    segs = _Segments()
    lines = content.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()  # the block's last line ends in "\n" as well
    out = []
    ls = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    n = len(text)
    cs = 0
    for t in lines:
        if ls > n:  # more content lines than source lines: should not happen
            out.append(t)
            cs += len(t) + 1
            continue
        m = _EOL.search(text, ls)
        le, te = (m.start(), m.end()) if m else (n, n)
        k = le - len(t)
        if not (k >= ls and text.startswith(t, k)):
            # spaces that the parser synthesised (a tab in a container marker becomes spaces):
            # the rest is written at the end of the line, after the source's own white space
            core = t.lstrip(" ")
            k = le - len(core)
            if core and not (k >= ls and text.startswith(core, k)):
                found = text.find(core, ls, le)
                k = found if found >= 0 else -1
            if k >= 0:
                ws = k
                while ws > ls and text[ws - 1] in _SPACE_TAB and k - ws < len(t) - len(core):
                    ws -= 1
                t = text[ws:k] + core
                k = ws
            else:  # not in the source at all: the content's text, at the line's end
                k = le
        segs.append(cs, k, len(t), (le, te))
        out.append(t)
        cs += len(t) + 1
        ls = te if te > le else n + 1
    return "\n".join(out) + ("\n" if content.endswith("\n") else ""), segs


class _MappedSink(ProseSink):
    """A ProseSink for the HTML walker running over an html_block's content; prose goes to
    ``target`` (the builder, or a _NulSplitter before it)."""

    def __init__(self, builder: DocumentBuilder, target, segs: _Segments, text: str,
                 content: str) -> None:
        super().__init__(builder)
        self.target = target
        self.segs = segs
        self.text = text
        self.content = content

    def add(self, start: int, end: int) -> None:
        self.segs.emit(self.target, self.text, self.content, start, end)

    def add_text(self, text: str, start: int, end: int) -> None:
        self.target.add_text(text, *self.segs.span(start, end))


class _ShiftedSink(ProseSink):
    """A ProseSink for the HTML walker running over an html_block's content written as is at
    ``at``; prose goes to ``target``."""

    def __init__(self, builder: DocumentBuilder, target, at: int) -> None:
        super().__init__(builder)
        self.target = target
        self.at = at

    def add(self, start: int, end: int) -> None:
        self.target.add(start + self.at, end + self.at)

    def add_text(self, text: str, start: int, end: int) -> None:
        self.target.add_text(text, start + self.at, end + self.at)


class _NulSplitter:
    """Adds to a builder, NUL read as U+FFFD (as CommonMark renders it)."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.b = builder

    def add(self, start: int, end: int) -> None:
        piece = self.b.source[start:end]
        if "\x00" not in piece:
            self.b.add(start, end)
            return
        for t, s, e in _nul_pieces(piece, start):
            if t is None:
                self.b.add(s, e)
            else:
                self.b.add_text(t, s, e)

    def add_text(self, text: str, start: int, end: int) -> None:
        self.b.add_text(text.replace("\x00", "\ufffd"), start, end)


# -- template syntax ------------------------------------------------------------------------------

# Static-site generators and MDX pages carry syntax that the build replaces before anyone reads the
# page: Hugo shortcodes and Go templates ({{< notice >}}, {{% details %}}, {{ .Title }}), Liquid,
# Jinja and Nunjucks tags ({% include %}, {% for %}, {# comment #}), kramdown attribute lists
# ({: .lead}) and heading attributes ({#anchor}), MDX import/export lines. None of it is prose.
_TEMPLATE = re.compile(
    r"\{\{(?:[^}\r\n]|\}(?!\}))*+\}\}"  # {{ output }}, {{< shortcode >}}, {{% shortcode %}}
    r"|\{%(?:[^%\r\n]|%(?!\}))*+%\}"  # {% tag %}
    r"|\{#(?:[^#\r\n]|#(?!\}))*+#\}"  # {# comment #}
    r"|\{::?[^{}\r\n]*+\}"  # kramdown: {: .class}, {:toc}, {::comment}
    r"|\{[#.][\w-][^{}\r\n]*+\}(?=[ \t]*+(?:\r\n?|\n|$))"  # {#id .class} ending a line
)
_RAW_OPEN = re.compile(r"\{%-?\s*raw\s*-?%\}")
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_MDX_LINE = re.compile(
    r"(?:^|(?<=\r))(?:import[ \t]+(?:[\w$*{}, \t]+?[ \t]+from[ \t]+)?['\"][^'\"\r\n]+['\"]"
    r"|export[ \t]+(?:const|let|var|function|default|async)\b[^\r\n]*?)[ \t]*;?[ \t]*(?=\r|\n|\Z)",
    re.M,
)
# an HTML element whose content kramdown (and PHP Markdown Extra) reads as Markdown, its start tag
# alone on its line: <div class="notice" markdown="1">
_MARKDOWN_OPEN = re.compile(
    r"(?:^|(?<=\r))[ \t]{0,3}<([A-Za-z][\w-]*)(?=[\s/>])[^<>\r\n]*?\smarkdown\s*=\s*[\"']?(?:1|block|span)\b"
    r"[\"']?[^<>\r\n]*>[ \t]*(?=\r|\n|\Z)",
    re.M | re.I,
)
_FRONT_MATTER_CLOSE = re.compile(r"(?:\r\n?|\n)(?:---|\.\.\.)[ \t]*(?=\r|\n|$)")
_LINE_PREFIX = " \t>"  # what may stand before a template tag on a line of its own
_MASK = "x"  # what a tag inside a line is parsed as (a word character: never markup, never space)


def _template_masks(source: str) -> tuple[str, list[tuple[int, int]]]:
    """The text to parse, with template syntax masked, and the masked source ranges (ascending).

    A line that holds nothing but tags (and white space, or a blockquote's ">") becomes a blank
    line: the tags stand for blocks of their own (a shortcode's box, a loop), so the text around
    them does not run on as one paragraph. A tag inside a line becomes as many "x" as it is long:
    the line keeps its structure (a link whose target is a tag stays a link; the text after a tag
    at a line's start is not indented code), and the builder leaves the range out of the prose.
    Between ``{% raw %}`` and ``{% endraw %}`` nothing is masked. The front matter is left alone.
    Masks keep every offset: the parsed text is as long as the source."""
    mdx = source.startswith(("import", "export")) or "\nimport" in source or "\nexport" in source \
        or "\rimport" in source or "\rexport" in source
    kramdown = "markdown=" in source or "markdown =" in source
    if "{" not in source and not mdx and not kramdown:
        return source, []
    start = 0
    if source.startswith("---"):
        m = _FRONT_MATTER_CLOSE.search(source, 3)
        if m is not None:
            start = m.end()
    spans: list[tuple[int, int]] = []
    if "{" in source:
        pos = start
        while True:
            m = _TEMPLATE.search(source, pos)
            if m is None:
                break
            spans.append(m.span())
            pos = m.end()
            if _RAW_OPEN.fullmatch(m.group()):
                close = _RAW_CLOSE.search(source, pos)
                if close is None:
                    break
                spans.append(close.span())
                pos = close.end()
    if mdx:
        spans += [m.span() for m in _MDX_LINE.finditer(source, start)]
    if kramdown:
        spans += _markdown_in_html(source, start)
    if mdx or kramdown:
        spans.sort()
    if not spans:
        return source, []
    out = []
    done = 0
    i = 0
    n = len(spans)
    while i < n:
        # the tags on one line: blank if nothing else is written there
        ls = max(source.rfind("\n", 0, spans[i][0]), source.rfind("\r", 0, spans[i][0])) + 1
        m = _EOL.search(source, spans[i][1])
        le = m.start() if m else len(source)
        j = i
        while j + 1 < n and spans[j + 1][0] < le:
            j += 1
        alone = not source[ls : spans[i][0]].strip(_LINE_PREFIX)
        k = i
        while alone and k <= j:
            gap_end = spans[k + 1][0] if k < j else le
            alone = not source[spans[k][1] : gap_end].strip()
            k += 1
        if alone and ls and "|" in source[source.rfind("\n", 0, ls - 1) + 1 : ls]:
            alone = False  # a loop between table rows: an empty row, not the table's end
        for s, e in spans[i : j + 1]:
            if s < done:
                continue
            out.append(source[done:s])
            piece = source[s:e]
            if alone:
                out.append("".join(c if c in "\r\n" else " " for c in piece))
            else:
                out.append("".join(c if c in "\r\n" else _MASK for c in piece))
            done = e
        i = j + 1
    out.append(source[done:])
    return "".join(out), spans


def _markdown_in_html(source: str, start: int) -> list[tuple[int, int]]:
    """The start and end tag lines of HTML elements marked ``markdown="1"`` (or "block", "span"):
    kramdown renders their content as Markdown, so they are masked like a line of template tags
    and the content is parsed as the Markdown it is. An element whose end tag is not alone on a
    line of its own further down stays an HTML block."""
    spans = []
    for m in _MARKDOWN_OPEN.finditer(source, start):
        name = m.group(1).lower()
        opener = re.compile(r"<" + re.escape(name) + r"(?=[\s/>])", re.I)
        closer = re.compile(r"(?:^|(?<=\r))[ \t]*</" + re.escape(name) + r"\s*>[ \t]*(?=\r|\n|\Z)", re.I | re.M)
        depth = 1
        pos = m.end()
        while True:
            c = closer.search(source, pos)
            if c is None:
                break
            depth += len(opener.findall(source, pos, c.start())) - 1
            pos = c.end()
            if depth == 0:
                tag = m.group().strip()
                at = source.index(tag, m.start())
                spans.append((at, at + len(tag)))
                end_tag = c.group().strip()
                at = source.index(end_tag, c.start())
                spans.append((at, at + len(end_tag)))
                break
    return spans


def _after_br(pieces: list) -> bool:
    """Is the last thing read (markup aside) a ``<br>``, which reads as a line break?"""
    for piece in reversed(pieces):
        if piece is _BARRIER:
            continue
        return piece[0] == "\n"
    return False


def _in_source_order(nodes) -> list:
    """Top-level nodes with the footnote definitions where they are written: markdown-it gathers
    them in a container after the last block (unreferenced ones are dropped, as a renderer drops
    them), and the reading of a page goes forward through its source."""
    if not nodes or nodes[-1].name != "footnote_container":
        return list(nodes)
    out = list(nodes[:-1])
    starts = [_first_start(node) or 0 for node in out]
    for node in nodes[-1].children:
        start = _first_start(node)
        if start is None:
            continue
        i = bisect_right(starts, start)
        out.insert(i, node)
        starts.insert(i, start)
    return out


def _first_start(node) -> int | None:
    """Where a node starts (bytes): its own source map, or its first descendant's."""
    stack = [node]
    while stack:
        n = stack.pop()
        if n.srcmap:
            return n.srcmap[0]
        stack.extend(reversed(n.children))
    return None


# -- the converter --------------------------------------------------------------------------------------


class _Converter:
    def __init__(self, source: str) -> None:
        self.source = source
        # what is parsed: the source with its template syntax masked (_template_masks)
        self.masked, hidden = _template_masks(source)
        self.text = self.masked  # what was parsed: the masked source, but for characters _tree replaced
        self.b = ProseBuilder(source, "markdown", hidden)
        self.sink = ProseSink(self.b)
        self.char = self.byte = _identity  # source map (bytes of the parsed chunk) <-> text offset
        self.base = 0  # where the parsed chunk starts in the text (characters)
        self.offsets: _CharOffsets | None = None  # the chunk's non-ASCII runs
        self.nul = "\x00" in source
        self.tabs = "\t" in source
        self.floor = 0  # the end of what has been read: text is looked for from here on
        self.block = None  # the block whose inline nodes are being read
        self.deep = False  # the tree nests deeply: take it apart before letting it go

    # -- hostile shapes ---------------------------------------------------------------------

    def _plan(self) -> frozenset[str]:
        """The rules to leave out of the parse (or _TooDeep), from character counts. markdown-it.rs
        is quadratic in the container markers at the start of one line, in emphasis pairs times
        the nodes before them in one paragraph, and in consecutive reference definitions. Pages
        that come near need thousands of them, so the counts are over the whole page first, and
        over its chunks between blank lines (which no paragraph crosses) only if that is not
        enough. A page shorter than _PREFIX_CHECK cannot hold a line long enough to matter."""
        source = self.source
        n = len(source)
        if n >= _PREFIX_CHECK:
            pattern = _DEEP_PREFIX_CR if "\r" in source else _DEEP_PREFIX
            for m in pattern.finditer(source):
                # a line of "- - - -" or "* * * *" alone is a thematic break, not nesting
                if not _THEMATIC_BREAK.match(source, m.start()):
                    raise _TooDeep
        delims = source.count("*") + source.count("_")
        defs = source.count("]:")
        lines = source.count("\n") + source.count("\r") + 1
        if delims * n <= _EMPHASIS_BUDGET and defs * lines <= _REFERENCE_BUDGET:
            return frozenset()
        emphasis = references = False
        pos = 0
        for end in [m.start() for m in _BLANK_LINES.finditer(source)] + [n]:
            chunk = source[pos:end]
            pos = end
            d = chunk.count("*") + chunk.count("_")
            if not emphasis and d * len(chunk) > _EMPHASIS_BUDGET:
                nodes = d + 1 + sum(map(chunk.count, ("\n", "\r", "&", "\\", "`", "<", "[", "]")))
                emphasis = d * nodes > _EMPHASIS_BUDGET
            r = chunk.count("]:")
            if not references and r:
                references = r * (chunk.count("\n") + chunk.count("\r") + 1) > _REFERENCE_BUDGET
        return frozenset(name for name, out in (("emphasis", emphasis), ("reference", references))
                         if out)

    @staticmethod
    def _parser(without: frozenset[str]):
        parser = _PARSERS.get(without)
        if parser is None:
            parser = _PARSERS[without] = markdown_it_pyrs.MarkdownIt("zero").enable_many(
                [r for r in _RULES if r not in without])
        return parser

    # -- blocks -----------------------------------------------------------------------------

    def convert(self) -> Document:
        parser = self._parser(self._plan())
        ends = _chunks(self.masked)
        if ends is None:
            try:
                root, text = _tree(parser, self.masked)
            except UnicodeEncodeError:  # lone surrogates (the parser takes UTF-8): one character each
                root, text = _tree(parser, _SURROGATES.sub("\ufffd", self.masked))
            self.text = text
            self._coordinates(text, 0)
            blocks = self._convert(root)
        else:
            blocks = self._convert_chunks(parser, ends)
        self.sink.end_block()
        doc = self.b.build()
        # where the last top-level block starts: a parse of the source from here on reads the end
        # of the page as the whole parse does (but for references defined above), so a check of
        # what an appended paragraph does to the page need not parse it all again
        # (rewrite._reads_well)
        text = self.text
        doc.meta["tail"] = 0
        for node in reversed(blocks):
            if node.name not in ("front_matter", "definition", "footnote_def") and node.srcmap:
                at = min(self.char(node.srcmap[0]), len(text))
                doc.meta["tail"] = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
                break
        return doc

    def _convert(self, root) -> list:
        """Read a tree's blocks; returns its top-level nodes (emptied if it was taken apart)."""
        done = False
        try:
            blocks = _in_source_order(root.children)
            self._blocks(blocks, [], 0)
            done = True
        finally:
            if self.deep or not done:
                _dismantle(root)
        return blocks

    def _convert_chunks(self, parser, ends: list[int]) -> list:
        """Parse and read the page chunk by chunk (see :func:`_chunks`), each tree let go before
        the next is built. A chunk whose last block runs on over the blank line it ends with
        (a fence or a raw HTML block that is not closed there) is parsed again with the next
        chunk, and the next, doubling, until it closes or the page ends."""
        text = self.text = _SURROGATES.sub("\ufffd", self.masked) if _SURROGATES.search(self.masked) \
            else self.masked
        start = 0
        i = 0
        blocks: list = []
        while start < len(text):
            take = 1
            while True:
                end = ends[min(i + take, len(ends)) - 1]
                chunk = text[start:end]
                root, parsed = _tree(parser, chunk)
                last = root.children[-1] if root.children else None
                if end >= len(text) or last is None or last.name not in ("fence", "html_block") \
                        or not _OPEN_AT_END.search(last.meta["content"]):
                    break
                last = None
                _dismantle(root)
                take *= 2
            if parsed is not chunk:  # unmatched backticks replaced (one character for one)
                text = self.text = text[:start] + parsed + text[end:]
            self._coordinates(parsed, start)
            blocks = self._convert(root)
            del root
            i = min(i + take, len(ends))
            start = end
        return blocks

    def _coordinates(self, parsed: str, base: int) -> None:
        """Offsets for the source maps of a tree of ``parsed``, the text from ``base`` on:
        ``char`` (bytes of ``parsed`` -> characters of the text) and ``byte`` (back)."""
        self.base = base
        offsets = self.offsets = None if parsed.isascii() else _CharOffsets(parsed)
        if offsets is None:
            if base:
                self.char = lambda b: b + base
                self.byte = lambda c: c - base
            else:
                self.char = self.byte = _identity
        elif base:
            self.char = lambda b: offsets(b) + base
            self.byte = lambda c: offsets.byte(c - base)
        else:
            self.char, self.byte = offsets, offsets.byte

    def _blocks(self, nodes, containers: list[str], level: int, parent=None) -> None:
        """Block nodes in order. ``level`` counts the containers around them as markdown-it did
        (a list and each of its items are a level each); ``parent`` holds inline nodes directly
        (a tight list item)."""
        sink = self.sink
        run: list = []  # inline nodes directly in a tight list item: its paragraph
        for node in nodes:
            name = node.name
            if name in _INLINE:
                run.append(node)
                continue
            if run:
                self._inline(run, containers[-1] if containers else "paragraph", parent)
                sink.end_block()
                run = []
            if name == "paragraph":
                self._inline(node.children, containers[-1] if containers else "paragraph", node)
                sink.end_block()
            elif name == "heading" or name == "lheading":
                self._inline(node.children, "heading", node)
                sink.end_block()
            elif name in _LISTS:
                self._blocks(node.children, containers, level + 1)
            elif name == "list_item" or name == "blockquote":
                if level + 1 >= _NESTING:
                    raise _TooDeep  # markdown-it-py dropped the rest of the page below this one
                sink.end_block()
                containers.append("list_item" if name == "list_item" else "quote")
                self._blocks(node.children, containers, level + 1, node)
                containers.pop()
                sink.end_block()
            elif name == "tcell":
                self._inline(node.children, "table_cell", node)
                sink.end_block()
            elif name == "table" or name == "thead" or name == "tbody" or name == "trow":
                self._blocks(node.children, containers, level)
            elif name == "html_block":
                sink.end_block()
                self._html_block(node, containers[-1] if containers else "paragraph")
            elif name == "hr":
                sink.end_block()
                self._skip(node)
            elif name == "front_matter":
                self._front_matter(node)
            elif name == "footnote_def":
                # read where it is written (see _in_source_order), though the cursor is past it
                # when it was written inside a container
                start = _first_start(node)
                saved = self.floor
                if start is not None:
                    self.floor = min(self.floor, self.char(start))
                sink.end_block()
                self._blocks(node.children, containers, level, node)
                self.floor = max(saved, self.floor)
            elif name in _DROPPED:
                self._skip(node)
            else:  # a node type this module does not know: read what it holds
                self._blocks(node.children, containers, level, node)
        if run:
            self._inline(run, containers[-1] if containers else "paragraph", parent)
            sink.end_block()

    def _skip(self, node) -> None:
        """A block with nothing to read: text is looked for after it."""
        if node.srcmap:
            self.floor = max(self.floor, self.char(node.srcmap[1]))

    # -- inline content -----------------------------------------------------------------------

    def _inline(self, nodes, kind: str, block) -> None:
        """One block's inline nodes: its prose (if it has any), and the alt texts of its images
        as blocks of their own after it."""
        if not nodes:
            return
        self.block = block
        text = self.text
        startswith = text.startswith
        char = self.char
        if len(nodes) == 1 and not self.tabs:  # one text where its map says (most headings, cells)
            node = nodes[0]
            if node.name == "text":
                content = node.meta["content"]
                at = char(node.srcmap[0])
                if at >= self.floor and startswith(content, at) and content.strip() \
                        and not content[0].isspace() and not content[-1].isspace() \
                        and not (self.nul and "\x00" in content):
                    self.floor = end = at + len(content)
                    self.sink.begin(kind, self.b.lang)
                    self.b.add(at, end)
                    return
        base = self.base
        offsets = self.offsets
        ascii_ = offsets is None
        if not ascii_:  # char(b), inline: exact but for offsets inside a run, where no node starts
            bend, extra = offsets.bend, offsets.extra
        nul = self.nul
        tabs = self.tabs
        floor = self.floor
        shift = 0  # bytes this line's source maps are off by (a tab in a container marker)
        fresh = tabs  # the next node is the first of its line on a page with tabs: find the shift
        pieces: list = []  # (text, or None for the source's; start, end)
        target = pieces  # pieces, or the alt text of the image being read
        alts: list[list] = []
        has_text = alt_text = False  # whether pieces / the alt text hold a non-space character
        skip = 0  # depth of raw-HTML elements whose content is hidden (<code>, <script>)
        stack = list(reversed(nodes))
        depth = 0  # of emphasis, links and images
        # markdown-it-py stripped a block's content with str.strip, which also takes Unicode
        # spaces (no-break, em, ideographic); markdown-it.rs strips spaces and tabs only. So
        # white space that opens a block is dropped here, and that which ends it after the walk
        lead = True
        plain_end = False  # whether the last top-level node is text or a line break
        while stack:
            node = stack.pop()
            if type(node) is tuple:  # the end of emphasis, a link or an image
                depth -= 1
                plain_end = False
                what = node[0]
                if what == "image":
                    _, img, saved, saved_text = node
                    if alt_text and not skip:
                        alts.append(target)
                    target, alt_text = saved, saved_text
                    floor, shift = self._markup_end(img, floor, shift, ")]")
                elif what == "link":
                    floor, shift = self._markup_end(node[1], floor, shift, ")]")
                target.append(_BARRIER)
                continue
            name = node.name
            if lead and name != "text":
                if name == "softbreak":
                    continue
                if name == "hardbreak" and not self._backslash_break(node, floor, shift):
                    continue  # spaces before a line break are white space; a backslash is not
                lead = False
            if name == "text":
                content = node.meta["content"]
                raw = node.srcmap[0]
                if fresh:
                    at, shift = self._line_shift(content, raw, floor)
                    fresh = False
                else:
                    raw -= shift
                    at = raw + base if ascii_ else raw + base - extra[bisect_right(bend, raw)]
                end = at + len(content)
                if at >= floor and startswith(content, at):
                    items = None
                else:
                    at, end, items, shift = self._find_text(content, at, node.srcmap[0], floor, shift)
                if lead:
                    lead = False
                    stripped = content.lstrip()
                    if len(stripped) < len(content):
                        if not stripped:
                            floor = max(floor, end)
                            lead = True
                            continue
                        if items is None:
                            at = end - len(stripped)
                        content = stripped
                if nul and items is None and "\x00" in content:
                    items = _nul_pieces(content, at)
                if not skip:
                    if items is not None:
                        target.extend(items)
                    elif target and target[-1][0] is None and target[-1][2] == at:
                        target[-1] = (None, target[-1][1], end)
                    else:
                        target.append((None, at, end))
                    if target is pieces:
                        if not has_text and content.strip():
                            has_text = True
                    elif not alt_text and content.strip():
                        alt_text = True
                if end > floor:
                    floor = end
            elif name == "softbreak" or name == "hardbreak":
                # the source's line terminator, after the spaces (or backslash) of a hard break
                raw = node.srcmap[0] - shift
                at = raw + base if ascii_ else raw + base - extra[bisect_right(bend, raw)]
                if tabs:
                    # the first terminator from where the map would point, had a tab shifted it
                    back = 3 * text.count("\t", floor, at) if at > floor else 0
                    m = _EOL.search(text, max(self._base(floor), char(max(raw - back, 0))))
                    at = m.start() if m else len(text)
                else:
                    while text[at : at + 1] in _BREAK_LEAD:
                        at += 1
                    if at > floor and text[at - 1 : at + 1] == "\r\n":
                        at -= 1  # the middle of a CRLF
                    if not (at >= floor and text[at : at + 1] in ("\n", "\r")):
                        m = _EOL.search(text, self._base(floor))  # the first one not read
                        at = m.start() if m else len(text)
                end = at + 2 if startswith("\r\n", at) else min(at + 1, len(text))
                if not skip and end > at and _after_br(target):
                    pass  # "<br>" then the line's end: one line break, the tag's
                elif not skip and end > at:
                    if target and target[-1][0] is None and target[-1][2] == at:
                        target[-1] = (None, target[-1][1], end)
                    else:
                        target.append((None, at, end))
                if end > floor:
                    floor = end
                shift = 0  # a new line, with a shift of its own
                fresh = tabs
            elif name == "text_special":  # an entity or a backslash escape: its source text
                meta = node.meta
                markup = meta["markup"]
                raw = node.srcmap[0]
                if fresh:
                    at, shift = self._line_shift(markup, raw, floor)
                    fresh = False
                else:
                    raw -= shift
                    at = raw + base if ascii_ else raw + base - extra[bisect_right(bend, raw)]
                if not (at >= floor and startswith(markup, at)):
                    at, _, _, shift = self._find_text(markup, at, node.srcmap[0], floor, shift, False)
                content = meta["content"]
                if content == markup:  # "\ " and the like: no escape after all, text as written
                    content = None
                if not skip:
                    if content is None and nul and "\x00" in markup:
                        target.extend(_nul_pieces(markup, at))
                    else:
                        target.append((content, at, at + len(markup)))
                    if (content or markup).strip():
                        if target is pieces:
                            has_text = True
                        else:
                            alt_text = True
                floor = max(floor, at + len(markup))
            elif name == "strong" or name == "em":
                stack.append(_END)
                stack.extend(reversed(node.children))
                depth += 1
            elif name == "link" or name == "image":
                if fresh:
                    shift = self._markup_shift(node, "[" if name == "link" else "![", floor)
                    fresh = False
                if name == "link":
                    stack.append(("link", node))
                else:
                    stack.append(("image", node, target, alt_text))
                    target, alt_text = [], False
                stack.extend(reversed(node.children))
                depth += 1
            elif name == "code_inline" or name == "autolink":  # dropped: read on after it
                sign = "`" if name == "code_inline" else "<"
                if fresh:
                    shift = self._markup_shift(node, sign, floor)
                    fresh = False
                floor, shift = self._markup_end(node, floor, shift, "`" if sign == "`" else ">")
                target.append(_BARRIER)
            elif name == "html_inline":
                tag = node.meta["content"]
                raw = node.srcmap[0]
                if fresh:
                    at, shift = self._line_shift(tag, raw, floor)
                    fresh = False
                else:
                    at = char(raw - shift)
                if not (at >= floor and startswith(tag, at)):
                    at, _, _, shift = self._find_text(tag, at, raw, floor, shift, False)
                skip = self._html_inline(tag, at, target, alts, skip)
                target.append(_BARRIER)
                floor = max(floor, at + len(tag))
            else:  # a node type this module does not know: read what it holds
                stack.append(_END)
                stack.extend(reversed(node.children))
                depth += 1
            if depth > _DEEP_TREE:
                self.deep = True
            elif not depth:
                plain_end = name in _PLAIN or (name == "text_special" and content is None)
        self.floor = floor
        sink = self.sink
        builder = self.b
        if has_text:
            if plain_end:
                self._strip_end(pieces)
            sink.begin(kind, builder.lang)
            add, add_text = builder.add, builder.add_text
            for t, s, e in pieces:
                if t is None:
                    add(s, e)
                else:
                    add_text(t, s, e)
        for alt in alts:
            recorded = Pieces()
            recorded.items = alt
            sink.aux("alt", recorded, builder.lang)

    def _strip_end(self, pieces: list) -> None:
        """White space that ends a block, up to markup (see ``_inline``)."""
        text = self.text
        while pieces:
            t, s, e = pieces[-1]
            if t is not None:
                return
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                pieces[-1] = (None, s, e)
                return
            del pieces[-1]

    def _base(self, floor: int) -> int:
        """Where the current block's content starts, or ``floor``."""
        block = self.block
        if block is not None and block.srcmap:
            return max(floor, self.char(block.srcmap[0]))
        return floor

    def _limit(self, floor: int) -> int:
        """Where to stop searching for a text of the current block whose source map is off."""
        block = self.block
        if block is not None and block.srcmap:
            return min(max(self.char(block.srcmap[1]) + _SHIFT_LIMIT, floor), len(self.text))
        return len(self.text)

    def _backslash_break(self, node, floor: int, shift: int) -> bool:
        """Whether a hard break is a backslash before the line terminator (not spaces)."""
        text = self.text
        raw = node.srcmap[0] - shift
        at = self.char(raw)
        tabs = text.count("\t", floor, at) if self.tabs and at > floor else 0
        for back in range(0, 3 * tabs + 1):
            c = self.char(max(raw - back, 0))
            if c < floor:
                break
            if text[c : c + 1] == "\\" and text[c + 1 : c + 2] in ("\n", "\r"):
                return True
        return False

    def _line_shift(self, needle: str, raw: int, floor: int) -> tuple[int, int]:
        """Where the first node of a line starts, its source map saying ``raw`` (bytes), and the
        line's shift (bytes). A tab that a container marker consumed in part leaves up to three
        spaces that markdown-it.rs counts as source bytes: the earliest place that reads
        ``needle``, as many bytes before as the tabs since the last text read can account for,
        is the one (the wrong map may even point into the next line)."""
        text = self.text
        char = self.char
        at = char(raw)
        tabs = text.count("\t", floor, at) if at > floor else 0
        for back in range(min(3 * tabs, raw), 0, -1):
            c = char(raw - back)
            if c >= floor and text.startswith(needle, c):
                return c, back
        return at, 0

    def _markup_shift(self, node, signature: str, floor: int) -> int:
        """The line's shift, from a link, image, code span or autolink that starts it."""
        sm = node.srcmap
        return self._line_shift(signature, sm[0], floor)[1] if sm else 0

    def _find_text(self, content: str, at: int, raw: int, floor: int, shift: int,
                   cells: bool = True):
        """Where ``content`` is written, its source map (``raw``, bytes; ``at`` with the line's
        shift, characters) being off: (start, end, the pieces to add if not ``content`` as
        written there, the line's shift)."""
        text = self.text
        limit = self._limit(floor)
        # a tab that a container marker consumed in part: the line's maps point a little too far
        for back in range(1, _SHIFT_LIMIT + 1):
            s = at - back
            if s < floor:
                break
            if text.startswith(content, s):
                return s, s + len(content), None, raw - self.byte(s)
        # a table cell: "\|" in the source is "|" in the content (the backslash is no prose)
        if cells and "|" in content:
            written = content.replace("|", "\\|")
            s = at if at >= floor and text.startswith(written, at) else text.find(written, floor, limit)
            if s >= 0:
                items = []
                cs = gap = 0
                for j, ch in enumerate(content):
                    if ch == "|":
                        if j > cs:
                            items.append((None, s + cs + gap, s + j + gap))
                        gap += 1
                        cs = j
                items.append((None, s + cs + gap, s + len(content) + gap))
                return s, s + len(written), items, shift
        s = text.find(content, floor, limit) if content else -1
        if s < 0 and limit < len(text) and content:
            s = text.find(content, floor)
        if s >= 0:
            if abs(at - s) <= _SHIFT_LIMIT:
                shift = raw - self.byte(s)  # the rest of the line is likely off by as much
            return s, s + len(content), None, shift
        s = min(max(floor, 0), len(text))
        return s, s, [(content, s, s)], shift  # nowhere to be found: keep the text, at the cursor

    def _markup_end(self, node, floor: int, shift: int, closers: str) -> tuple[int, int]:
        """The cursor past a link, image, code span or autolink (what follows is read from
        there): where its source map ends, if the character before closes such markup."""
        sm = node.srcmap
        if not sm:
            return floor, shift
        text = self.text
        end = self.char(sm[1] - shift)
        for back in range(0, _SHIFT_LIMIT + 1):
            e = end - back
            if e <= floor:
                break
            if text[e - 1 : e] in closers and text[e - 1 : e]:
                return e, (shift if not back else sm[1] - self.byte(e))
        return floor, shift

    def _html_inline(self, tag: str, at: int, target: list, alts: list, skip: int) -> int:
        """A tag inside a paragraph: lint what it shows, never the tag itself. Returns the new
        depth of hidden elements."""
        info = scan_tag(tag)
        if info is None:
            return skip
        what, name, (a_start, a_end) = info
        if name == "br" and what in ("start", "end"):
            if not skip:
                target.append(("\n", at, at + len(tag)))
            return skip
        if name in SKIP:
            if what == "start" and not tag.endswith("/>"):
                return skip + 1
            if what == "end" and skip:
                return skip - 1
            return skip
        if name == "img" and what == "start" and not skip:
            span = parse_attrs(tag, a_start, a_end).get("alt")
            if span is None:
                return skip
            local = Pieces()
            decode_entities(local, tag, span[0], span[1], attribute=True)
            verbatim = self.text.startswith(tag, at)
            alt = []
            for piece, s, e in local.items:
                if piece is None and not verbatim:
                    piece = tag[s:e]
                alt.append((piece, at + s, at + e))
            if any((x if x is not None else self.text[s:e]).strip() for x, s, e in alt):
                alts.append(alt)
        return skip

    # -- raw HTML blocks --------------------------------------------------------------------

    def _html_block(self, node, default_kind: str) -> None:
        content = node.meta["content"]
        sm = node.srcmap
        text = self.text
        start = self.char(sm[0]) if sm else self.floor
        if content.endswith("\n") and sm and self.char(sm[1]) >= len(text) \
                and not text.endswith(("\n", "\r")):
            content = content[:-1]  # the page's last line has no terminator
        target = _NulSplitter(self.b) if self.nul else self.b
        if text.startswith(content, start):
            msink: ProseSink = _ShiftedSink(self.b, target, start)
        else:
            content, segs = _html_segments(text, content, start)
            msink = _MappedSink(self.b, target, segs, text, content)
        HtmlWalker(content, msink, default_kind, self.b.lang).run()
        msink.end_block()
        if sm:
            self.floor = max(self.floor, self.char(sm[1]))

    # -- front matter ---------------------------------------------------------------------

    def _front_matter(self, node) -> None:
        import yaml  # only pages with front matter need it

        from ..yamlload import check_nesting

        content = node.meta["content"]
        end = self.char(node.srcmap[1]) if node.srcmap else 0
        self.floor = max(self.floor, end)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = None
        for part in (_front_matter_keys(content), content):
            if part is None:
                continue
            try:
                # PyYAML's safe loader, the C one where it is built (several times faster);
                # nesting checked first: deep nesting is quadratic to parse and crashes the C loader
                if check_nesting(part, loader) is not None:
                    return
                data = yaml.load(part, Loader=loader)  # noqa: S506
                break
            except Exception:  # invalid YAML (or anything odd): no metadata, no crash
                continue
        if not isinstance(data, dict):
            return
        self.b.meta["front_matter"] = data  # the keys read (all of them if it had to be parsed whole)
        for key in ("lang", "language"):
            if isinstance(data.get(key), str):
                self.b.lang = normalize_lang(data[key])
                break
        # the front matter's lines (start, end of text): the opening "---" first, the closing last
        text = self.text
        lines = []
        pos = 0
        while pos < end:
            m = _EOL.search(text, pos, end)
            if m is None:
                lines.append((pos, end))
                break
            lines.append((pos, m.start()))
            pos = m.end()
        found = []
        for key, kind in (("title", "title"), ("description", "meta")):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                pieces = self._yaml_value(key, value, lines)
                if pieces is not None and pieces.items:
                    found.append((pieces.items[0][1], kind, pieces))
        for _, kind, pieces in sorted(found, key=lambda f: f[0]):  # in source order
            self.sink.aux(kind, pieces, self.b.lang)

    def _yaml_value(self, key: str, value: str, lines: list[tuple[int, int]]) -> Pieces | None:
        """Where a top-level key's string value sits in the source: verbatim if it is written
        as is on the key's line, else the decoded value over the whole written value."""
        text = self.text
        key_re = re.compile(re.escape(key) + r"[ \t]*:(?:[ \t]+|$)")
        last = len(lines) - 1  # the closing "---"
        for ln in range(1, last):
            ls, le = lines[ln]
            m = key_re.match(text, ls, le)
            if m is None:
                continue
            vs = m.end()
            ve = le
            while ve > vs and text[ve - 1] in _SPACE_TAB:
                ve -= 1
            raw = text[vs:ve]
            if raw[:1] in ("'", '"') and len(raw) >= 2 and raw[-1] == raw[0]:
                vs, ve = vs + 1, ve - 1  # a quoted scalar: point inside the quotes
            elif " #" in raw:  # a plain scalar with a trailing comment
                ve = vs + raw.index(" #")
                while ve > vs and text[ve - 1] in _SPACE_TAB:
                    ve -= 1
            # continuation lines (block scalars, folded plain scalars) belong to the value
            nxt = ln + 1
            while nxt < last and (lines[nxt][1] == lines[nxt][0] or text[lines[nxt][0]] in _SPACE_TAB):
                nxt += 1
            while nxt > ln + 1 and not text[lines[nxt - 1][0] : lines[nxt - 1][1]].strip():
                nxt -= 1  # trailing blank lines are not part of it
            pieces = Pieces()
            if nxt == ln + 1 and text[vs:ve] == value:
                pieces.add(vs, ve)  # written as is: exact positions
            else:
                if raw[:1] in ("|", ">") and nxt > ln + 1:  # block scalar: text starts below
                    vs, first_end = lines[ln + 1]
                    while vs < first_end and text[vs] in _SPACE_TAB:
                        vs += 1
                end = lines[nxt - 1][1] if nxt > ln + 1 else ve
                pieces.add_text(value, vs, max(vs, end))  # decoded: the whole written value
            return pieces
        return None


def parse(source: str) -> Document:
    try:
        return _Converter(source).convert()
    except (RecursionError, _TooDeep):
        # nesting as deep as markdown-it's limit (20 levels: ten nested lists), where the former
        # parser skipped the rest of the page, or a page markdown-it.rs would take minutes for:
        # read it as plain text rather than fail or miss what follows
        doc = _text_adapter.parse(source)
        doc.format = "markdown"
        return doc
