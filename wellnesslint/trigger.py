"""Trigger stems: one cheap pass that tells which rules can possibly match a text.

Most copy is innocent, and running every rule's regular expressions over every sentence is what
made linting slow. For every rule we derive a small set of literal *stems* from its patterns:
strings that every match of the rule contains (a rule without one is run on every sentence).
All stems of a language go into one Aho–Corasick automaton (pyahocorasick; without it, a
trie-shaped ``re`` alternation gives the same answers, slower); one pass of it over a text gives
the set of rules that may match there, and only those rules run. A rule is never
skipped where it would have matched, so findings are exactly those of running every rule.

How stems are found (in the spirit of RE2's prefilter and of trigram indexes): the parse tree of a
pattern (after lexicon expansion) is walked bottom-up; a node is either a small finite set of
strings it matches *exactly*, or a set of *factors* one of which each of its matches contains,
or unconstrained. A pattern whose matches all start with one of a few strings at a word start
(every rule pattern is compiled with ``(?<![\\w'’])`` in front) gets *anchored* stems, matched
only at a word start. A pattern that ends in a word-end guard (``\\b``, ``(?!\\w)``, the rules'
own guard) gets stems of how its matches end, marked to count only where no word character follows
(" g" of "5 g", not of "5 gaan"), and anchored too when a word-start assertion comes before them
("af" of ``\\bvan\\b{gap}\\baf\\b`` only as a whole word). Of the candidate sets, the most
selective is kept: long stems, no bare function words ("van", "the"); up to two more necessary
sets are added when they are selective and not made of function words or one- and two-letter
stems (those are hit every few words).
Stems are kept per pattern (:func:`pattern_keys`), so a rule runs only the patterns that can
match; a pair rule's predicate also needs one of its objects' stems, since both must occur.

Exactness of the scan, although rules are ``regex`` patterns matched case-insensitively:

- case: the scanned text goes through a translation table that maps every character that
  ``regex`` matches case-insensitively with a stem character (found by asking ``regex`` itself,
  over all code points) to one representative; stems are written with the representatives. So a
  text character matches a stem character exactly when the rule's pattern would match it;
- word starts and ends: the table also maps the characters that the scan's test (``str.isalnum``,
  as ``re`` counts word characters) takes for word characters but ``regex`` does not
  (superscript digits, vulgar fractions, ...) to a non-word character, so a word start (no
  word character before: what ``(?<![\\w'’])`` and ``\\b`` before a letter imply) or end holds in
  the scan wherever it holds for the rule;
- overlaps: the automaton reports every occurrence of every stem, overlapping ones included.

Anything the analysis does not understand (syntax only ``regex`` knows, back-references) makes a
pattern unconstrained, so the result is always safe.
"""

from __future__ import annotations

import array
import functools
import re
from typing import Any, Iterable

try:  # the stdlib regular-expression parser; its syntax covers what rule patterns use
    import re._constants as _C  # type: ignore[import-not-found]
    import re._parser as _P  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]

_EXACT_LIMIT = 64  # largest exact set kept before it is turned into factors
_CLASS_LIMIT = 10  # a character class with at most this many characters stays exact
_STEM_MAX = 12  # stems are cut to this length: a smaller automaton, the same rules found
_MUSTS = 4  # necessary stem sets kept per node
_EXTRA_COST = 0.02  # a second or third necessary set is used when it is at least this selective
_PRIMARY_OK = 1e-4  # a pattern whose cheapest set is this selective needs no second one
_ANCHOR = "(?<![\\w'’])"  # what rules/base.compile_pattern puts in front of every pattern
# Marks the end of a stem that only counts where no word character follows it (a pattern that
# ends in a word-end guard, "\\b" or "(?!\\w)"): the scan checks the character after the stem; the
# mark itself is never looked for in a text.
END = "\x01"
# Marks the start of a suffix stem that follows a word start (\b or (?<!\w) before a word
# character): no word character comes before it. Only in the analysis: the stem then becomes an
# anchored one (``af`` of "hangt van je dosis af" as a whole word, not the "af" of "afvallen").
START = "\x02"
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT} if hasattr(_C, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(_C, "ATOMIC_GROUP", None)

Stems = frozenset  # of (stem, anchored) pairs


# ----------------------------------------------------------------------------------------------
# Pattern analysis
# ----------------------------------------------------------------------------------------------


def _char_rate(c: str) -> float:
    """Roughly how often a character of running text is this one (letters follow each other
    predictably, so a letter counts for much less than one in twenty-six)."""
    if c.isalpha():
        return 1 / 6 if c.isascii() else 1 / 50
    if c == " ":
        return 1 / 5
    if c.isdigit():
        return 1 / 20
    return 1 / 30 if c.isascii() else 1 / 500


def _cost(stems: Stems | None, function_words: frozenset[str]) -> float:
    """Expected hits per text position, roughly: the product of the characters' rates, at least
    one in two hundred for a function word ("van", "the"); an anchored stem (at a word start
    only) a quarter as often. Longer strings never cost more than their parts."""
    if stems is None:
        return float("inf")
    total = 0.0
    for stem, anchored in stems:
        c = _stem_cost(stem, anchored, function_words)
        if c is None:
            return float("inf")
        total += c
    return total


@functools.lru_cache(maxsize=65536)  # the analysis weighs the same stems over and over
def _stem_cost(stem: str, anchored: bool, function_words: frozenset[str]) -> float | None:
    """One stem's part of :func:`_cost` (None: a stem of no characters, which costs everything)."""
    ends = stem.endswith(END)
    stem = stem.rstrip(END)
    core = stem.strip(" '-").lower()
    if not core:
        return None
    p = 1.0
    for c in stem:
        p *= _char_rate(c)
    if core in function_words:
        p = max(p, 0.005)
    return p * (0.25 if anchored else 1.0) * (0.25 if ends else 1.0)


class _Info:
    """What a node of a pattern's parse tree tells about its matches.

    exact:  every match is one of these strings (None: not finite, or too many);
    prefix: every match starts with one of these strings (None: not known);
    suffix: every match ends with one of these strings ("" among them: it may match nothing;
            None: not known), :data:`END` marking a word end after a string, :data:`START` a
            word start before it;
    best:   every match contains one of these stems; anchored ones start the match
            (the cheapest such set found, None: unconstrained);
    musts:  a few such sets, each necessary on its own (a match meets all of them)."""

    __slots__ = ("exact", "prefix", "suffix", "best", "musts")

    def __init__(self, exact=None, prefix=None, best=None, musts=None, suffix=None) -> None:
        self.exact = exact
        self.prefix = prefix if prefix is not None else exact
        self.suffix = suffix if suffix is not None else exact
        if best is None and exact is not None and "" not in exact:
            best = frozenset((x, True) for x in exact)
        self.best = best
        # several stem sets that are each necessary (every match meets all of them), cheapest first
        self.musts = musts if musts is not None else ((best,) if best else ())


def _loose(stems: Stems | None) -> Stems | None:
    """The same stems anywhere in a match (a prefix of a part is still a factor of the whole)."""
    return None if stems is None else frozenset((s, False) for s, _ in stems)


def _product(a, b):
    if a is None or b is None or len(a) * len(b) > _EXACT_LIMIT:
        return None
    return frozenset(x + y for x in a for y in b)


def _then(suffix, info: _Info, word_start: bool = False):
    """The suffixes of a sequence after one more item (``suffix``: before it, None: unknown;
    ``word_start``: the item follows a word-start assertion).

    In a suffix set, "" stands for "may match nothing"; an item that may end with anything has
    no suffix set (None)."""
    tail = info.suffix
    if tail is None:
        return None
    if word_start and info.exact is not None and all(y and _is_word(y[0]) for y in info.exact):
        # "\\bvan": a word character after a word start, so no word character before it
        tail = frozenset(START + y for y in info.exact)
    if info.exact is not None and suffix is not None and len(suffix) * len(tail) <= _EXACT_LIMIT:
        return frozenset(_join(x, y) for x in suffix for y in tail)
    if "" not in tail:  # the match ends with one of the item's own suffixes
        return tail
    # the item may match nothing (""): then the suffixes before it still end the match
    return None if suffix is None else suffix | (tail - {""})


def _join(x: str, y: str) -> str:
    """Suffix ``x`` followed by the text ``y`` (both may carry marks)."""
    if y and x.endswith(END):
        # text after a word end: the mark is then either implied (a non-word character follows)
        # or the match impossible; either way the stem goes on without it
        x = x[:-1]
    if x and y.startswith(START):
        y = y[1:]  # the character before y is x's last one, written out: the mark says no more
    return _last(x + y)


def _last(stem: str) -> str:
    """The last few characters of a suffix stem (and its marks; the start mark only while the
    stem keeps its first character)."""
    start, end = stem.startswith(START), stem.endswith(END)
    core = stem[start : len(stem) - end]
    if len(core) > _STEM_MAX:
        core, start = core[-_STEM_MAX:], False
    return START * start + core + END * end


def _end_stem(suffix: str) -> tuple[str, bool]:
    """A suffix as a stem: (text with its end mark, anchored), anchored if it has a start mark."""
    return (suffix[1:], True) if suffix.startswith(START) else (suffix, False)


def _minimal(stems: frozenset) -> frozenset:
    """``stems`` without those that contain another one (" gummy" where "gummy" is there too):
    a text that holds the longer one holds the shorter one, so it adds only scan time.

    Stem t lies within stem s (every occurrence of s holds one of t) when t is plain and its text
    is inside s's, when t has a start mark and s too and t's text begins s's, or when t has an end
    mark and s too and t's text ends s's; a whole word (both marks) lies only within itself.
    Suffix sets run into thousands of stems of at most a dozen characters, so each stem's own
    substrings, prefixes and suffixes are looked up rather than every pair compared."""
    plain: set[str] = set()
    starts: set[str] = set()
    ends: set[str] = set()
    split = []
    for s in stems:
        start, end = s.startswith(START), s.endswith(END)
        core = s.strip(START + END)
        split.append((s, start, core, end))
        if not start and not end:
            plain.add(core)
        elif start and not end:
            starts.add(core)
        elif end and not start:
            ends.add(core)
    keep = []
    for s, start, core, end in split:
        n = len(core)
        own = core if not start and not end else None  # s itself, among the plain stems
        if plain and any(core[i:j] in plain and core[i:j] != own for i in range(n + 1) for j in range(i, n + 1)):
            continue
        own = core if start and not end else None
        if start and starts and any(core[:j] in starts and core[:j] != own for j in range(n + 1)):
            continue
        own = core if end and not start else None
        if end and ends and any(core[i:] in ends and core[i:] != own for i in range(n + 1)):
            continue
        keep.append(s)
    return frozenset(keep)


def _is_word(c: str) -> bool:
    """Is ``c`` a word character for ``regex`` (whose patterns the stems stand for)?"""
    import regex

    return regex.match(r"\w", c) is not None


def _marked(suffix):
    """``suffix`` after an item that lets no word character follow a word character: each
    suffix ending in a word character gets the :data:`END` mark."""
    if suffix is None:
        return None
    return frozenset(x + END if x and not x.endswith(END) and _is_word(x[-1]) else x for x in suffix)


def _word_class(items) -> bool:
    """Is ``items`` one character class that takes every word character (``\\w``, ``[\\w'’]``)?"""
    if len(items) != 1 or items[0][0] is not _C.IN:
        return False
    members = items[0][1]
    return (_C.CATEGORY, _C.CATEGORY_WORD) in members and not any(op is _C.NEGATE for op, _ in members)


def _word_start(op, av) -> bool:
    """Does this zero-width item let no word character come before a word character that
    follows it? ``\\b``, ``(?<!\\w)``, the anchor ``(?<![\\w'’])``."""
    if op is _C.AT:
        return av is _C.AT_BOUNDARY
    return op is _C.ASSERT_NOT and av[0] == -1 and _word_class(list(av[1]))


def _word_end(op, av) -> bool:
    """Does this zero-width item let no word character follow a word character? ``\\b``,
    ``(?!\\w)`` and the guard rules end with, ``(?:(?<=\\W)|(?![\\w]|-\\w))``."""
    if op is _C.AT:
        return av is _C.AT_BOUNDARY
    if op is _C.ASSERT_NOT and av[0] == 1:  # a negative lookahead that refuses any word character
        body = list(av[1])
        if _word_class(body):
            return True
        return len(body) == 1 and body[0][0] is _C.BRANCH and any(_word_class(list(b)) for b in body[0][1][1])
    if op is _C.BRANCH:  # every way through it: a word end, or a non-word character before
        for branch in av[1]:
            items = list(branch)
            if len(items) != 1:
                return False
            bop, bav = items[0]
            if _word_end(bop, bav):
                continue
            if bop is _C.ASSERT and bav[0] == -1 and list(bav[1]) == [(_C.IN, [(_C.CATEGORY, _C.CATEGORY_NOT_WORD)])]:
                continue
            return False
        return True
    return False


class _Analyser:
    def __init__(self, function_words: frozenset[str]) -> None:
        self.fw = function_words

    def pick(self, *options: Stems | None) -> Stems | None:
        best, cost = None, float("inf")
        for o in options:
            if o:
                c = _cost(o, self.fw)
                if c < cost:
                    best, cost = o, c
        return best

    def cls(self, items) -> _Info:
        chars: set[str] = set()
        for op, av in items:
            if op is _C.LITERAL:
                chars.add(chr(av))
            elif op is _C.RANGE and av[1] - av[0] < _CLASS_LIMIT:
                chars.update(chr(c) for c in range(av[0], av[1] + 1))
            else:  # NEGATE, CATEGORY (\w, \s, ...), wide ranges
                return _ANY
            if len(chars) > _CLASS_LIMIT:
                return _ANY
        return _Info(frozenset(chars)) if chars else _ANY

    def top(self, sets) -> tuple:
        """The few cheapest distinct sets."""
        uniq = {o for o in sets if o}
        return tuple(sorted(uniq, key=lambda o: (_cost(o, self.fw), sorted(o)))[:_MUSTS])

    def sequence(self, items) -> _Info:
        best = None
        musts: list = []
        run = frozenset({""})  # exact strings of the current run of exact items
        run_at_start = True  # the run began at the start of the sequence
        whole = True  # the sequence so far is one exact run
        prefix = frozenset({""})  # exact prefixes of the sequence
        prefix_open = True
        first = True  # no item that consumes text (or may) seen yet
        suffix: frozenset | None = frozenset({""})
        word_start = False  # the item follows a word-start assertion
        for op, av in items:
            info = self.node(op, av)
            suffix = _marked(suffix) if _word_end(op, av) else _then(suffix, info, word_start)
            zero = info.exact is not None and info.exact == frozenset({""})
            word_start = _word_start(op, av) or (word_start and zero)
            if prefix_open:
                grown = _product(prefix, info.exact)
                if grown is not None:
                    prefix = grown
                else:
                    grown = _product(prefix, info.prefix)
                    if grown is not None and "" not in info.prefix:
                        prefix = grown
                    prefix_open = False
            if first and not zero:
                best = self.pick(best, info.best)  # anchored stems of the first item start the match
                musts.extend(info.musts)
            elif not zero:
                best = self.pick(best, _loose(info.best))
                musts.extend(_loose(m) for m in info.musts)
            if not zero:
                first = False
            if info.exact is not None and run is not None:
                grown = _product(run, info.exact)
                if grown is not None:
                    run = grown
                    continue
            whole = False
            if run is not None and "" not in run:
                run_set = frozenset((x, run_at_start) for x in run)
                best = self.pick(best, run_set)
                musts.append(run_set)
            run = info.exact
            run_at_start = False
        if whole and run is not None:
            return _Info(run)
        if run is not None and "" not in run:
            run_set = frozenset((x, run_at_start) for x in run)
            best = self.pick(best, run_set)
            musts.append(run_set)
        prefix_set = None if "" in prefix else prefix
        if prefix_set:
            best = self.pick(best, frozenset((x, True) for x in prefix_set))
            musts.append(frozenset((x, True) for x in prefix_set))
        return _Info(None, prefix_set, best, self.top(musts), suffix)

    def alternation(self, branches) -> _Info:
        infos = [self.sequence(b) for b in branches]
        if all(i.exact is not None for i in infos):
            union = frozenset().union(*(i.exact for i in infos))
            if len(union) <= _EXACT_LIMIT:
                return _Info(union)
        best: set | None = set()
        prefix: set | None = set()
        suffix: set | None = set()
        for i in infos:
            best = None if i.best is None or best is None else best | i.best
            p = i.prefix if i.prefix is not None and "" not in i.prefix else None
            prefix = None if p is None or prefix is None else prefix | p
            suffix = None if i.suffix is None or suffix is None else suffix | i.suffix
        return _Info(None, frozenset(prefix) if prefix is not None else None,
                     frozenset(best) if best is not None else None,
                     suffix=frozenset(suffix) if suffix is not None else None)

    def node(self, op, av) -> _Info:
        if op is _C.LITERAL:
            return _Info(frozenset({chr(av)}))
        if op is _C.IN:
            return self.cls(av)
        if op is _C.SUBPATTERN:
            return self.sequence(av[-1])
        if _ATOMIC is not None and op is _ATOMIC:
            return self.sequence(av)
        if op is _C.BRANCH:
            return self.alternation(av[1])
        if op in _REPEATS:
            lo, hi, body = av
            inner = self.sequence(body)
            if lo == 0:
                if hi == 1 and inner.exact is not None and len(inner.exact) < _EXACT_LIMIT:
                    return _Info(inner.exact | {""})
                if inner.suffix is not None:  # may match nothing; else it ends as its body does
                    return _Info(suffix=inner.suffix | {""})
                return _ANY  # may match nothing or anything: not zero-width
            if lo == hi == 1:
                return inner
            return _Info(None, inner.prefix, inner.best, inner.musts, inner.suffix)
        if op in _ZERO_WIDTH:
            return _EMPTY
        return _ANY  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...


_EMPTY = _Info(frozenset({""}))
_ANY = _Info()


def _has_backref(items) -> bool:
    for op, av in items:
        if op is _C.GROUPREF or op is getattr(_C, "GROUPREF_EXISTS", None):
            return True
        stack = [av]
        while stack:
            x = stack.pop()
            if isinstance(x, _P.SubPattern):
                if _has_backref(x):
                    return True
            elif isinstance(x, (list, tuple)):
                stack.extend(x)
    return False


@functools.lru_cache(maxsize=4096)  # lexicon-heavy patterns recur across rules
def _analysis(pattern: str, function_words: frozenset[str]) -> _Info | None:
    """What the parse tree of ``pattern`` tells about its matches, or None if it is not analysed
    (syntax only ``regex`` knows, back-references)."""
    try:
        tree = _P.parse(_NAMED_GROUP.sub("(?:", pattern))
    except Exception:  # syntax only the regex module knows
        return None
    if _has_backref(tree):
        return None
    return _Analyser(function_words).sequence(list(tree))


def pattern_stems(pattern: str, function_words: frozenset[str] = frozenset()) -> Stems | None:
    """Stems one of which every match of ``pattern`` contains (anchored ones at the start of the
    match, which follows a non-word character), or None if unknown."""
    info = _analysis(pattern, function_words)
    if info is None:
        return None
    best = info.best
    if not best or any(not s for s, _ in best):
        return None
    if not pattern.startswith(_ANCHOR):  # a match may start anywhere
        best = _loose(best)
    return best


@functools.lru_cache(maxsize=4096)
def pattern_requirements(pattern: str, function_words: frozenset[str] = frozenset(),
                         scanned: frozenset[str] = frozenset()) -> tuple[Stems, ...] | None:
    """Up to three stem sets a match of ``pattern`` meets all of, or None if unknown. The first
    is :func:`pattern_stems`, or the match's last words at a word end (see :data:`END`) when
    those are more selective and the first set is not anchored. ``scanned``: stems (without
    marks) that the scan looks for anyway, so common ones among them may make another set."""
    info = _analysis(pattern, function_words)
    if info is None:
        return None
    first = pattern_stems(pattern, function_words)
    ends = info.suffix
    end_set = None
    if ends and "" not in ends and any(x.endswith(END) for x in ends):
        end_set = frozenset(_end_stem(x) for x in _minimal(ends))  # "5 g": " g", then no letter
    if first is None and end_set is None:
        return None
    others = []
    if end_set is not None and (first is None or (_cost(end_set, function_words) < _cost(first, function_words)
                                                  and not all(a for _, a in first))):
        primary = end_set
        if first is not None:
            others.append(first)
    else:
        primary = first
        if end_set is not None:
            others.append(end_set)
    out = [primary]
    if _cost(primary, function_words) > _PRIMARY_OK:
        anchored = pattern.startswith(_ANCHOR)
        used = {s for s, _ in primary}
        for m in (*others, *info.musts):
            if len(out) == 3:
                break
            m = m if anchored else _loose(m)
            if not m or any(not s.rstrip(END) for s, _ in m) or _cost(m, function_words) > _EXTRA_COST:
                continue
            if any(_common(s, function_words) and s.rstrip(END) not in scanned for s, _ in m):
                # "een", "in", "is": a hit every few words costs more scan time than it saves
                # (unless the scan looks for the stem anyway)
                continue
            if used & {s for s, _ in m}:
                continue  # overlaps a set already used: adds little
            out.append(m)
            used |= {s for s, _ in m}
    return tuple(out)


def _common(stem: str, function_words: frozenset[str]) -> bool:
    """A stem found all over running text: a function word, or one or two characters (the scan
    finds "in" inside every "binnen" before it checks the word start, so a whole word "in" is
    common too; " g" of "5 g" is not: the space is part of what the scan looks for)."""
    word = stem.startswith(" ") and stem.endswith(END)
    core = stem.rstrip(END).strip(" '-").lower()
    return (len(core) <= 2 and not word) or core in function_words


def pattern_keys(matcher: Any, function_words: frozenset[str] = frozenset()) -> dict[tuple[str, int], Stems | None]:
    """Stems of each pattern of ``matcher``, keyed by (kind, index) as ``matcher.find(text,
    only)`` takes them; a matcher of a kind we do not know has the one key ("*", 0) without
    stems (always run in full)."""
    from .rules.pair import PairMatcher
    from .rules.phrase import PhraseMatcher

    if type(matcher) is PhraseMatcher:
        kinds = ("patterns",)
    elif type(matcher) is PairMatcher:
        kinds = ("phrases", "predicates", "objects")
    else:
        return {("*", 0): None}
    out = {(kind, i): pattern_requirements(p.pattern, function_words)
           for kind in kinds for i, p in enumerate(getattr(matcher, kind))}
    if kinds[-1] == "objects":
        # a predicate only counts next to an object: it also needs one of the objects' stems
        firsts = [out[("objects", i)] for i in range(len(matcher.objects))]
        if firsts and all(f is not None for f in firsts):
            objects = frozenset().union(*(f[0] for f in firsts))  # type: ignore[index]
            for i in range(len(matcher.predicates)):
                own = out[("predicates", i)]
                if own is not None:
                    out[("predicates", i)] = (*own, objects)
    return out


# ----------------------------------------------------------------------------------------------
# Case folding and word characters, as the regex engine sees them
# ----------------------------------------------------------------------------------------------


_CHARS: dict[str, str] = {}


def _all_chars() -> str:
    """Every code point except the surrogates, once per process (only needed to build)."""
    if "all" not in _CHARS:
        low = array.array("I", range(0xD800)).tobytes().decode("utf-32-le")
        high = array.array("I", range(0xE000, 0x110000)).tobytes().decode("utf-32-le")
        _CHARS["all"] = low + high
    return _CHARS["all"]


def _word_mismatch() -> str:
    """Characters that ``re`` counts as word characters and ``regex`` does not."""
    if "mismatch" not in _CHARS:
        import regex

        _CHARS["mismatch"] = "".join(re.findall(r"\w", regex.sub(r"\w", "", _all_chars())))
    return _CHARS["mismatch"]


_TABLES: dict[frozenset, tuple] = {}


def _shared_fold_table(alphabet: frozenset) -> tuple:
    """fold_table(), one object per alphabet in a process: triggers built together share it (and
    the ruleset cache stores it once)."""
    hit = _TABLES.get(alphabet)
    if hit is None:
        table, anchor_safe, special = fold_table(alphabet)
        hit = _TABLES[alphabet] = (table, anchor_safe, special)
    return hit


def _lower_breakers() -> str:
    """Characters whose ``lower()`` is not one character (it would shift positions)."""
    if "breakers" not in _CHARS:
        everything = _all_chars()
        out = []
        step = 4096
        for i in range(0, len(everything), step):
            chunk = everything[i : i + step]
            if len(chunk.lower()) != len(chunk):
                out.extend(c for c in chunk if len(c.lower()) != 1)
        _CHARS["breakers"] = "".join(out)
    return _CHARS["breakers"]


def _lower_wrong() -> str:
    """Characters that ``lower()`` gets wrong for any alphabet: those whose lower case is not one
    character (:func:`_lower_breakers`), and the non-word characters whose lower case is a word
    character or an apostrophe. Once per process: it reads every code point."""
    if "lower_wrong" not in _CHARS:
        import regex

        breakers = _lower_breakers()
        non_word = "".join(c for c in regex.sub(r"[\w'’]", "", _all_chars()) if c not in breakers)
        lowered = non_word.lower()
        _CHARS["lower_wrong"] = breakers + "".join(non_word[m.start()] for m in re.finditer(r"[\w'’]", lowered))
    return _CHARS["lower_wrong"]


def fold_table(alphabet: Iterable[str]) -> tuple[dict[int, str], bool, str | None]:
    """How to fold a text so that a stem matches it case-sensitively exactly where ``regex``
    would match the stem case-insensitively.

    Returns (table, anchor_safe, special):

    - ``table`` maps each character that ``regex`` matches case-insensitively with a character
      of ``alphabet`` to one representative (its usual lower-case form), and the characters that
      ``re`` counts as word characters but ``regex`` does not to NUL (a non-word character for
      both, so word starts are judged alike);
    - ``anchor_safe`` says whether word starts survive the folding (every character folded to a
      word character is a word character for ``regex`` too); if not, stems must not be anchored;
    - ``special``: the characters for which plain ``str.lower()`` would fold differently from the
      table. A text without any of them can be folded with ``lower()`` (much faster); None if
      ``lower()`` must never be used."""
    import regex

    everything = _all_chars()
    alphabet = sorted(set(alphabet))
    table: dict[int, str] = {}
    special: set[str] = set()
    if alphabet:
        cls = "[" + "".join(regex.escape(c) for c in alphabet) + "]"
        related = set(regex.findall(cls, everything, flags=regex.IGNORECASE)) | set(alphabet)
        # join every stem character with the characters regex matches it with (union-find)
        parent = {x: x for x in related}

        def root(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for c in alphabet:
            pat = regex.compile(regex.escape(c), regex.IGNORECASE)
            for x in related:
                if pat.fullmatch(x):
                    a, b = root(c), root(x)
                    if a != b:
                        parent[max(a, b)] = min(a, b)
        groups: dict[str, list[str]] = {}
        for x in related:
            groups.setdefault(root(x), []).append(x)
        for members in groups.values():
            lowers = [x.lower() for x in members if len(x.lower()) == 1]
            rep = max(sorted(set(lowers)), key=lowers.count) if lowers else min(members)
            for x in members:
                if x != rep:
                    table[ord(x)] = rep
                if x.lower() != rep:
                    special.add(x)  # lower() would not give the representative
    anchor_safe = all(regex.match(r"\w", x) or x in "'’" or not re.match(r"[\w'’]", r) for x, r in
                      ((chr(k), v) for k, v in table.items()))
    for ch in _word_mismatch():
        if ch not in alphabet:
            table.setdefault(ord(ch), "\x00")
    # lower() must keep positions, and must not turn a non-word character into a word character
    # (or an apostrophe): that would hide a word start
    special.update(_lower_wrong())
    if any(c in special for c in alphabet):
        return table, anchor_safe, None  # a stem character lower() gets wrong: always use the table
    return table, anchor_safe, "".join(sorted(special))


# ----------------------------------------------------------------------------------------------
# The compiled trigger
# ----------------------------------------------------------------------------------------------


class _TrieScan:
    """What the automaton's ``iter(text)`` gives (end index, value) for every occurrence of every
    word, done with the stdlib ``re`` engine, for an interpreter without pyahocorasick.

    One trie-shaped alternation in a lookahead finds, at each position, the longest word that
    starts there; every other word that starts there is a prefix of it, so each hit also reports
    the words that are its prefixes."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.prefixes = {w: [w[:n] for n in range(1, len(w) + 1) if w[:n] in values] for w in values}
        self.scan = re.compile("(?=(" + _trie(sorted(values)) + "))", re.DOTALL)

    def iter(self, text: str):
        values, prefixes = self.values, self.prefixes
        for m in self.scan.finditer(text):
            at = m.start()
            for w in prefixes[m.group(1)]:
                yield at + len(w) - 1, values[w]


def _trie(words: list[str]) -> str:
    """An alternation of ``words`` shaped as a trie: at each character the longer words first, so
    it matches the longest word that starts where it is tried."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" not in node:
            return body
        return "(?:" + "|".join(alts) + ")?" if alts else ""

    return build(trie)


def _window(folded: str, pos: int, end: int) -> str:
    """folded[pos:end], for the automaton: its ``iter(text, start, end)`` takes time for the
    whole text on every call (a 10 MB page asked about block by block would be quadratic)."""
    return folded if pos == 0 and end >= len(folded) else folded[pos:end]


def _placed(folded: str, at: int, last: int, end: int, anywhere: frozenset, start_: frozenset,
            end_: frozenset, word: frozenset) -> frozenset:
    """The pairs of a stem occurrence at folded[at:last + 1] whose place suits them: a word start
    (no word character before it, or the text start), a word end (no word character after it, or
    ``end``). Word characters as ``re`` counts them, which the fold table makes agree with
    ``regex`` (see :func:`fold_table`)."""
    out = anywhere
    after = last + 1
    ends = after >= end or not (folded[after].isalnum() or folded[after] == "_")
    if start_ or word:
        c = folded[at - 1] if at else ""
        starts = not c or not (c.isalnum() or c == "_")
        if starts:
            out = out | start_ | (word if ends else frozenset())
    if ends and end_:
        out = out | end_
    return out


class Trigger:
    """Which rules may match a text: ``selected(text)`` gives the keys of those rules.

    ``stems`` maps a rule key to its stems: one set (the text must contain one of them), a tuple
    of sets (one of each), or None (the rule runs on every text). The last text asked about is
    remembered, so the rules of one ruleset, asked one after the other about the same sentence
    (``Rule.find``), share one scan."""

    def __init__(self, stems: dict[Any, Stems | tuple[Stems, ...] | None]) -> None:
        self.always = frozenset(k for k, s in stems.items() if s is None)
        cut: dict[tuple[Any, int], set[tuple[str, bool]]] = {}
        need: dict[Any, int] = {}
        for k, s in stems.items():
            if s is None:
                continue
            sets = (s,) if isinstance(s, frozenset) else tuple(s)
            sets = tuple(x for x in sets if x)
            if not sets:  # no stems at all: nothing can match... unless we are wrong; run it
                self.always = self.always | {k}
                continue
            need[k] = len(sets)
            for slot, x in enumerate(sets):
                # a long stem is cut to its first characters, one with an end mark to its last
                # (which start inside a word where the stem started at a word start: no anchor)
                cut[(k, slot)] = {(_last(stem), anch and _last(stem) == stem) if stem.endswith(END)
                                  else (stem[:_STEM_MAX], anch) for stem, anch in x}
        # keys with more than one set: the (key, set) pairs that must all be hit
        self.need = {k: frozenset((k, slot) for slot in range(n)) for k, n in need.items() if n > 1}
        alphabet = {ch for s in cut.values() for stem, _ in s for ch in stem if ch != END}
        self.table, anchor_safe, special = _shared_fold_table(frozenset(alphabet))
        self.anchor_safe = anchor_safe
        self.special = None if special is None else frozenset(special)
        self.ascii_plain = special is not None and not any(c.isascii() for c in special)
        # per stem (folded, without its end mark): the (key, set) pairs of its four forms, found
        # anywhere / only at a word start / only at a word end / only as a whole word
        forms: dict[str, tuple[set, set, set, set]] = {}
        for ks, s in cut.items():
            for stem, anch in s:
                ends = stem.endswith(END) and anchor_safe  # word ends must survive the folding
                text = stem.rstrip(END).translate(self.table)
                form = (2 if ends else 0) + (1 if anch and anchor_safe else 0)
                forms.setdefault(text, (set(), set(), set(), set()))[form].add(ks)
        self.stems = {t: tuple(frozenset(x) for x in f) for t, f in forms.items()}
        self.nstems = len(self.stems)
        self._ac: Any = None
        self._last: tuple[str, frozenset] | None = None
        self._last_by_rule: tuple[str, dict] | None = None

    def _complete(self, got: set) -> frozenset:
        """Keys whose every stem set has a hit, from the (key, set) pairs hit."""
        keys = {k for k, _ in got}
        # most keys have one set; the few with more need a hit of each (checked in C: the
        # pairs to look for are listed per key)
        for k in self.need.keys() & keys:
            if not got.issuperset(self.need[k]):
                keys.discard(k)
        return self.always | keys

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_ac"] = None  # built on first use in each process
        state["_last"] = state["_last_by_rule"] = None
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)

    @property
    def automaton(self) -> Any:
        """An Aho–Corasick automaton of the stems (pyahocorasick): one pass over a text finds
        every occurrence of every stem, overlapping ones included, in C. Values: (length - 1,
        pairs found anywhere, at a word start, at a word end, as a whole word)."""
        if self._ac is None and self.stems:
            values = {text: (len(text) - 1, *f) for text, f in self.stems.items()}
            try:
                import ahocorasick
            except ImportError:  # an environment set up without it: the same answers, slower
                self._ac = _TrieScan(values)
            else:
                ac = ahocorasick.Automaton()
                for text, value in values.items():
                    ac.add_word(text, value)
                ac.make_automaton()
                self._ac = ac
        return self._ac

    def fold(self, text: str) -> str:
        """``text`` with stem characters folded (same length): ``lower()`` unless the text holds a
        character ``lower()`` folds differently, else the translation table."""
        sp = self.special
        if sp is not None and ((self.ascii_plain and text.isascii()) or sp.isdisjoint(set(text))):
            return text.lower()
        return text.translate(self.table)

    def hits(self, folded: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, frozenset]]:
        """(position, (key, set) pairs of the stems that occur there) for every stem occurrence
        inside folded[pos:endpos]; the characters around it count for word starts and ends
        (as ``re`` would see them with ``pos``/``endpos``: the text before ``pos`` is looked at,
        ``endpos`` is the end of the text)."""
        ac = self.automaton
        if ac is None:
            return []
        end = len(folded) if endpos is None else endpos
        out = []
        for last, (n, anywhere, start_, end_, word) in ac.iter(_window(folded, pos, end)):
            last += pos
            at = last - n
            if start_ or end_ or word:
                pairs = _placed(folded, at, last, end, anywhere, start_, end_, word)
                if pairs:
                    out.append((at, pairs))
            else:
                out.append((at, anywhere))
        return out

    def keys(self, hits: list[tuple[int, frozenset]]) -> frozenset:
        """Keys of the rules that may match where :meth:`hits` found ``hits``."""
        if not hits:
            return self.always
        return self._complete(set().union(*[pairs for _, pairs in hits]))

    def selected_folded(self, folded: str, pos: int = 0, endpos: int | None = None) -> frozenset:
        """Keys of the rules that may match inside folded[pos:endpos]."""
        return self.keys(self.hits(folded, pos, endpos))

    def selected(self, text: str) -> frozenset:
        """Keys of the rules that may match somewhere in ``text``."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        out = self.selected_folded(self.fold(text))
        self._last = (text, out)
        return out

    def by_rule(self, text: str) -> dict[Any, frozenset]:
        """For keys (rule, kind, index): rule -> the (kind, index) of its patterns that may
        match in ``text``; rules without any are left out. The last text is remembered."""
        last = self._last_by_rule
        if last is not None and last[0] is text:
            return last[1]
        groups: dict[Any, set] = {}
        for rid, kind, i in self.selected(text):
            groups.setdefault(rid, set()).add((kind, i))
        # objects alone give no candidate: a rule needs a phrase, pattern or predicate
        out = {rid: frozenset(g) for rid, g in groups.items() if any(k != "objects" for k, _ in g)}
        self._last_by_rule = (text, out)
        return out


class Prefilter:
    """Drop-in for the old combined prefilter pattern (``regex.compile("|".join(sources),
    IGNORECASE)``): ``search(text, pos, endpos)`` returns a match (truthy) exactly when one of
    the rules' source patterns matches in ``text[pos:endpos]``, else None.

    One trigger scan finds where the patterns' stems occur; only those patterns are tried. A
    pattern whose every match starts with one of its (anchored) stems is only tried *at* the
    places where such a stem starts (``match``), the others over the whole range (``search``)."""

    def __init__(self, matchers: list[Any], function_words: frozenset[str] = frozenset()) -> None:
        self._todo: tuple | None = (list(matchers), function_words)  # built on first use
        self._folded: list[tuple[str, str]] = []
        self.patterns: list = []
        self.trigger: Trigger | None = None
        self.at_stem: frozenset[int] = frozenset()

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_folded"] = []
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)

    def prepare(self) -> Prefilter:
        """Build the trigger now (before the ruleset is cached) rather than on first use."""
        if self._todo is None:
            return self
        import regex

        matchers, function_words = self._todo
        for m in matchers:
            own = {p.pattern: p for p in _compiled(m)}
            for src in m.sources():
                p = own.get(src)
                if p is None or not p.flags & regex.IGNORECASE:
                    p = regex.compile(src, regex.IGNORECASE)
                self.patterns.append(p)
        alone = [pattern_requirements(p.pattern, function_words) for p in self.patterns]
        # the first sets' stems are looked for in every block: as a further set of another pattern
        # a common one ("van" of "komt ... van ... af", the first stem of "van ... af") is free
        scanned = frozenset(s.rstrip(END) for st in alone if st for s, _ in st[0])
        stems = {i: pattern_requirements(p.pattern, function_words, scanned) for i, p in enumerate(self.patterns)}
        self.trigger = Trigger(stems)
        # patterns that can only match where one of their (first set's) stems starts: that set is
        # the pattern's own anchored stems (those of how a match ends are anchored at a word start
        # only, not at the start of the match)
        self.at_stem = frozenset(
            i for i, st in stems.items()
            if st and self.trigger.anchor_safe and all(a for _, a in st[0])
            and st[0] == pattern_stems(self.patterns[i].pattern, function_words))
        self._todo = None
        return self

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        trig = self.trigger if self._todo is None else self.prepare().trigger
        assert trig is not None
        # the engine asks about every block of one text in turn (and now and then about another,
        # short text): fold each text once, remembering the last two
        memo = self._folded
        for i, (known, folded) in enumerate(memo):
            if known is text:
                if i:
                    self._folded = [memo[i], *memo[:i], *memo[i + 1 :]]  # most recently used first
                break
        else:
            folded = trig.fold(text)
            self._folded = [(text, folded), *memo[:1]]
        # which patterns' stem sets are all there (most blocks: none); then try those patterns,
        # one that can only match where its first set's (anchored) stems start only there
        found = trig.hits(folded, pos, end)
        complete = trig.keys(found)
        if not complete:
            return None
        at_stem = self.at_stem
        places: dict[int, list[int]] = {}
        if not at_stem.isdisjoint(complete):
            wanted = at_stem & complete
            for at, pairs in found:
                for k, slot in pairs:
                    if slot == 0 and k in wanted:
                        places.setdefault(k, []).append(at)
        for k in sorted(complete):
            p = self.patterns[k]
            if k not in at_stem:
                m = p.search(text, pos, end)
                if m:
                    return m
            else:
                for at in places.get(k, ()):
                    m = p.match(text, at, end)
                    if m:
                        return m
        return None


def _compiled(matcher: Any) -> list:
    from .rules.pair import PairMatcher
    from .rules.phrase import PhraseMatcher

    if type(matcher) is PhraseMatcher:
        return list(matcher.patterns)
    if type(matcher) is PairMatcher:
        return list(matcher.predicates) + list(matcher.phrases)
    return []
