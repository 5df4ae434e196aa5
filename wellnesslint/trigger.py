"""Trigger stems: one cheap pass that tells which rules can possibly match a text.

Most copy is innocent, and running every rule's regular expressions over every sentence is what
made linting slow. For every rule we derive a small set of literal *stems* from its patterns:
strings that every match of the rule contains (a rule without one is run on every sentence).
All stems of a language are compiled into one trie-shaped alternation; a scan of a text with it
gives the set of rules that may match there, and only those rules run. A rule is never skipped
where it would have matched, so findings are exactly those of running every rule.

How stems are found (in the spirit of RE2's prefilter and of trigram indexes): the parse tree of a
pattern (after lexicon expansion) is walked bottom-up; a node is either a small finite set of
strings it matches *exactly*, or a set of *factors* one of which each of its matches contains,
or unconstrained. A pattern whose matches all start with one of a few strings at a word start
(every rule pattern is compiled with ``(?<![\\w'’])`` in front) gets *anchored* stems, matched
only at a word start. Of the candidate sets, the most selective is kept: long stems, no bare
function words ("van", "the"). For a pair rule (predicate + object) the better of the two sides
is enough, since both must occur; its standalone phrases are added to that.

Exactness of the scan, which runs on the stdlib ``re`` engine (several times faster than
``regex`` for a literal trie) although rules are ``regex`` patterns matched case-insensitively:

- case: the scanned text goes through a translation table that maps every character that
  ``regex`` matches case-insensitively with a stem character (found by asking ``regex`` itself,
  over all code points) to one representative; stems are written with the representatives. So a
  text character matches a stem character exactly when the rule's pattern would match it;
- word starts: the table also maps the characters that ``re`` counts as word characters but
  ``regex`` does not (superscript digits, vulgar fractions, ...) to a non-word character, so the
  anchor ``(?<![\\w'’])`` holds in the scan wherever it holds for the rule;
- overlaps: the scan restarts one character after each hit, and every hit also selects the rules
  of the stems that are its prefixes, so no stem occurrence is hidden by another.

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
_STEM_MAX = 12  # stems are cut to this length: shorter tries, same rules found
_ANCHOR = "(?<![\\w'’])"  # what rules/base.compile_pattern puts in front of every pattern
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_ZERO_WIDTH = {_C.AT, _C.ASSERT, _C.ASSERT_NOT}
_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT} if hasattr(_C, "POSSESSIVE_REPEAT") else set())
_ATOMIC = getattr(_C, "ATOMIC_GROUP", None)

Stems = frozenset  # of (stem, anchored) pairs


# ----------------------------------------------------------------------------------------------
# Pattern analysis
# ----------------------------------------------------------------------------------------------


def _cost(stems: Stems | None, function_words: frozenset[str]) -> float:
    """Expected hits per text position, roughly: a stem of n characters hits about 3.3**-n of
    the positions, a function word ("van", "the") at least one in two hundred; an anchored stem
    (at a word start only) a quarter as often. Longer strings never cost more than their parts."""
    if stems is None:
        return float("inf")
    total = 0.0
    for stem, anchored in stems:
        core = stem.strip(" '-").lower()
        if not core:
            return float("inf")
        p = 3.3 ** -len(stem.strip())
        if core in function_words:
            p = max(p, 0.005)
        total += p * (0.25 if anchored else 1.0)
    return total


class _Info:
    """What a node of a pattern's parse tree tells about its matches.

    exact:  every match is one of these strings (None: not finite, or too many);
    prefix: every match starts with one of these strings (None: not known);
    best:   every match contains one of these stems; anchored ones start the match
            (the cheapest such set found, None: unconstrained)."""

    __slots__ = ("exact", "prefix", "best")

    def __init__(self, exact=None, prefix=None, best=None) -> None:
        self.exact = exact
        self.prefix = prefix if prefix is not None else exact
        if best is None and exact is not None and "" not in exact:
            best = frozenset((x, True) for x in exact)
        self.best = best


def _loose(stems: Stems | None) -> Stems | None:
    """The same stems anywhere in a match (a prefix of a part is still a factor of the whole)."""
    return None if stems is None else frozenset((s, False) for s, _ in stems)


def _product(a, b):
    if a is None or b is None or len(a) * len(b) > _EXACT_LIMIT:
        return None
    return frozenset(x + y for x in a for y in b)


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

    def sequence(self, items) -> _Info:
        best = None
        run = frozenset({""})  # exact strings of the current run of exact items
        run_at_start = True  # the run began at the start of the sequence
        whole = True  # the sequence so far is one exact run
        prefix = frozenset({""})  # exact prefixes of the sequence
        prefix_open = True
        first = True  # no item that consumes text (or may) seen yet
        for op, av in items:
            info = self.node(op, av)
            zero = info.exact is not None and info.exact == frozenset({""})
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
            elif not zero:
                best = self.pick(best, _loose(info.best))
            if not zero:
                first = False
            if info.exact is not None and run is not None:
                grown = _product(run, info.exact)
                if grown is not None:
                    run = grown
                    continue
            whole = False
            if run is not None and "" not in run:
                best = self.pick(best, frozenset((x, run_at_start) for x in run))
            run = info.exact
            run_at_start = False
        if whole and run is not None:
            return _Info(run)
        if run is not None and "" not in run:
            best = self.pick(best, frozenset((x, run_at_start) for x in run))
        prefix_set = None if "" in prefix else prefix
        if prefix_set:
            best = self.pick(best, frozenset((x, True) for x in prefix_set))
        return _Info(None, prefix_set, best)

    def alternation(self, branches) -> _Info:
        infos = [self.sequence(b) for b in branches]
        if all(i.exact is not None for i in infos):
            union = frozenset().union(*(i.exact for i in infos))
            if len(union) <= _EXACT_LIMIT:
                return _Info(union)
        best: set | None = set()
        prefix: set | None = set()
        for i in infos:
            best = None if i.best is None or best is None else best | i.best
            p = i.prefix if i.prefix is not None and "" not in i.prefix else None
            prefix = None if p is None or prefix is None else prefix | p
        return _Info(None, frozenset(prefix) if prefix is not None else None,
                     frozenset(best) if best is not None else None)

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
                return _ANY  # may match nothing or anything: not zero-width
            if lo == hi == 1:
                return inner
            return _Info(None, inner.prefix, inner.best)
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
def pattern_stems(pattern: str, function_words: frozenset[str] = frozenset()) -> Stems | None:
    """Stems one of which every match of ``pattern`` contains (anchored ones at the start of the
    match, which follows a non-word character), or None if unknown."""
    try:
        tree = _P.parse(_NAMED_GROUP.sub("(?:", pattern))
    except Exception:  # syntax only the regex module knows
        return None
    if _has_backref(tree):
        return None
    best = _Analyser(function_words).sequence(list(tree)).best
    if not best or any(not s for s, _ in best):
        return None
    if not pattern.startswith(_ANCHOR):  # a match may start anywhere
        best = _loose(best)
    return best


def _union(patterns, function_words) -> Stems | None:
    out: set = set()
    for p in patterns:
        s = pattern_stems(p.pattern, function_words)
        if s is None:
            return None
        out |= s
    return frozenset(out)


def rule_stems(matcher: Any, function_words: frozenset[str] = frozenset()) -> Stems | None:
    """Stems one of which a text must contain for ``matcher.find`` to return a candidate."""
    from .rules.pair import PairMatcher
    from .rules.phrase import PhraseMatcher

    if type(matcher) is PhraseMatcher:
        return _union(matcher.patterns, function_words)
    if type(matcher) is PairMatcher:
        # a candidate is a standalone phrase, or a predicate together with an object
        phrases = _union(matcher.phrases, function_words)
        if phrases is None:
            return None
        if not matcher.predicates or not matcher.objects:
            return phrases  # only the phrases can match
        preds = _union(matcher.predicates, function_words)
        objs = _union(matcher.objects, function_words)
        side = _Analyser(function_words).pick(preds, objs)
        return None if side is None else phrases | side
    return None  # a kind we do not know (or a team rule wrapped with a time limit): always run


def source_stems(matcher: Any, function_words: frozenset[str] = frozenset()) -> Stems | None:
    """Stems for ``matcher.sources()`` (what the old combined prefilter searched for)."""
    from .rules.pair import PairMatcher
    from .rules.phrase import PhraseMatcher

    if type(matcher) is PhraseMatcher:
        return _union(matcher.patterns, function_words)
    if type(matcher) is PairMatcher:
        a = _union(matcher.predicates, function_words)
        b = _union(matcher.phrases, function_words)
        return None if a is None or b is None else a | b
    return None


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


def fold_table(alphabet: Iterable[str]) -> tuple[dict[int, str], bool]:
    """A translation table: each character that ``regex`` matches case-insensitively with a
    character of ``alphabet`` -> one representative; characters that ``re`` counts as word
    characters but ``regex`` does not -> NUL (not a word character for either).

    The flag says whether word starts survive the folding (every character folded to a word
    character is a word character for ``regex`` too); if not, stems must not be anchored."""
    import regex

    everything = _all_chars()
    alphabet = sorted(set(alphabet))
    table: dict[int, str] = {}
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
        rep = {x: root(x) for x in related}
        table.update({ord(x): r for x, r in rep.items() if x != r})
    anchor_safe = all(regex.match(r"\w", x) or x in "'’" or not re.match(r"[\w'’]", r) for x, r in
                      ((chr(k), v) for k, v in table.items()))
    for ch in _word_mismatch():
        if ch not in alphabet:
            table.setdefault(ord(ch), "\x00")
    return table, anchor_safe


# ----------------------------------------------------------------------------------------------
# The compiled trigger
# ----------------------------------------------------------------------------------------------


def _trie_source(stems: dict[str, bool]) -> str:
    """A regex (re syntax, DOTALL) matching any stem, the longest one at each position.

    ``stems`` maps stem -> anchored. An anchored stem only counts where the character before it
    is not a word character: its end in the trie carries a fixed-width lookbehind that checks the
    character before its start, so anchored and unanchored stems share one trie and a shorter
    stem never hides a longer one starting at the same place."""
    trie: dict = {}
    for w in stems:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w

    def guard(stem: str) -> str:
        return "(?<![\\w'’]" + "." * len(stem) + ")" if stems[stem] else ""

    def build(node: dict) -> str:
        alts = []
        singles = []
        for ch in sorted(k for k in node if k):
            child = node[ch]
            if len(child) == 1 and "" in child and not stems[child[""]]:
                singles.append(ch)  # an unanchored stem ends right after this character
            else:
                alts.append(re.escape(ch) + build(child))
        if len(singles) == 1:
            alts.append(re.escape(singles[0]))
        elif singles:
            alts.append("[" + "".join(re.escape(c) for c in singles) + "]")
        if "" in node:
            g = guard(node[""])
            if not alts:
                return g
            body = "|".join(alts)
            # greedy: a longer stem first, else the one ending here (if its anchor holds)
            return "(?:" + body + ")?" if not g else "(?:" + body + "|" + g + ")"
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(trie)


def _sre_code(source: str, flags: int):
    """The arguments ``re`` hands to its C engine for ``source``: parsing a big trie in pure
    Python costs tens of milliseconds per process, the C step a fraction of one. Only ever
    reused by the same Python build (cache.py keys entries on ``sys.version``); None if this
    Python's ``re`` internals look different."""
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]

        p = _parser.parse(source, flags)
        code = _compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        args = (source, flags | p.state.flags, [int(c) for c in code], p.state.groups - 1, groupindex,
                tuple(indexgroup))
        if _sre.compile(*args).pattern != source:
            return None
        return args
    except Exception:  # pragma: no cover - another Python
        return None


def _from_sre_code(args, source: str, flags: int) -> re.Pattern[str]:
    if args is not None and args[0] == source:
        try:
            import _sre

            return _sre.compile(*args)
        except Exception:  # pragma: no cover - another Python
            pass
    return re.compile(source, flags)


class Trigger:
    """Which rules may match a text: ``selected(text)`` gives the keys of those rules.

    ``stems`` maps a rule key to its stems (None: the rule runs on every text). The last text
    asked about is remembered, so the rules of one ruleset, asked one after the other about the
    same sentence (``Rule.find``), share one scan."""

    def __init__(self, stems: dict[Any, Stems | None]) -> None:
        self.always = frozenset(k for k, s in stems.items() if s is None)
        cut: dict[Any, set[tuple[str, bool]]] = {}
        for k, s in stems.items():
            if s:
                cut[k] = {(stem[:_STEM_MAX], anch) for stem, anch in s}
        alphabet = {ch for s in cut.values() for stem, _ in s for ch in stem}
        self.table, anchor_safe = fold_table(alphabet)
        self.anchor_safe = anchor_safe
        by_stem: dict[str, set] = {}
        anchored: dict[str, bool] = {}
        for k, s in cut.items():
            for stem, anch in s:
                f = stem.translate(self.table)
                by_stem.setdefault(f, set()).add(k)
                # a stem wanted both anchored and not is matched everywhere
                anchored[f] = anchored.get(f, True) and anch and anchor_safe
        # a hit selects the rules of every stem that is a prefix of it: those start there too
        self.rules_of = {
            hit: frozenset().union(*(by_stem.get(hit[:n], ()) for n in range(1, len(hit) + 1)))
            for hit in by_stem
        }
        self.source = _trie_source(anchored) if anchored else ""
        self.nstems = len(by_stem)
        self._scan: re.Pattern[str] | None = None
        self._last: tuple[str, frozenset] | None = None

    def __getstate__(self):
        state = dict(self.__dict__)
        if self.source and state.get("_code") is None:
            state["_code"] = _sre_code(self.source, re.DOTALL)
        state["_scan"] = None  # compiled on first use in each process
        state["_last"] = None
        return state

    def __setstate__(self, state) -> None:
        self.__dict__.update(state)

    @property
    def scan(self) -> re.Pattern[str] | None:
        if self._scan is None and self.source:
            self._scan = _from_sre_code(getattr(self, "_code", None), self.source, re.DOTALL)
        return self._scan

    def fold(self, text: str) -> str:
        return text.translate(self.table)

    def hits(self, folded: str):
        """(position, keys of the rules whose stems start there) for every stem occurrence."""
        scan = self.scan
        if scan is None:
            return
        rules_of = self.rules_of
        m = scan.search(folded)
        while m is not None:
            yield m.start(), rules_of[m.group()]
            m = scan.search(folded, m.start() + 1)

    def selected_folded(self, folded: str, pos: int = 0, endpos: int | None = None) -> frozenset:
        """Keys of the rules that may match inside folded[pos:endpos]."""
        out = self.always
        scan = self.scan
        if scan is None:
            return out
        end = len(folded) if endpos is None else endpos
        rules_of = self.rules_of
        m = scan.search(folded, pos, end)
        while m is not None:
            out = out | rules_of[m.group()]
            m = scan.search(folded, m.start() + 1, end)
        return out

    def selected(self, text: str) -> frozenset:
        """Keys of the rules that may match somewhere in ``text``."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        out = self.selected_folded(text.translate(self.table))
        self._last = (text, out)
        return out


def build(matchers: dict[Any, Any], function_words: frozenset[str] = frozenset(), *, sources: bool = False) -> Trigger:
    """A trigger over ``matchers`` (key -> matcher); ``sources=True`` for the stems of
    ``matcher.sources()`` instead of those of ``matcher.find``."""
    pick = source_stems if sources else rule_stems
    return Trigger({k: pick(m, function_words) for k, m in matchers.items()})


class Prefilter:
    """Drop-in for the old combined prefilter pattern (``regex.compile("|".join(sources),
    IGNORECASE)``): ``search(text, pos, endpos)`` returns a match (truthy) exactly when one of
    the rules' source patterns matches in ``text[pos:endpos]``, else None.

    One trigger scan finds where the patterns' stems occur; only those patterns are tried. A
    pattern whose every match starts with one of its (anchored) stems is only tried *at* the
    places where such a stem starts (``match``), the others over the whole range (``search``)."""

    def __init__(self, matchers: list[Any], function_words: frozenset[str] = frozenset()) -> None:
        self._todo: tuple | None = (list(matchers), function_words)  # built on first use
        self.patterns: list = []
        self.trigger: Trigger | None = None
        self.at_stem: frozenset[int] = frozenset()

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
        stems = {i: pattern_stems(p.pattern, function_words) for i, p in enumerate(self.patterns)}
        self.trigger = Trigger(stems)
        # patterns that can only match where one of their stems starts
        self.at_stem = frozenset(i for i, st in stems.items() if st and all(a for _, a in st)
                                 and self.trigger.anchor_safe)
        self._todo = None
        return self

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        end = len(text) if endpos is None else min(endpos, len(text))
        trig = self.trigger if self._todo is None else self.prepare().trigger
        assert trig is not None
        where: dict[int, list[int] | None] = dict.fromkeys(trig.always)
        for at, keys in trig.hits(text[pos:end].translate(trig.table)):
            for k in keys:
                if k not in self.at_stem:
                    where[k] = None
                elif k not in where:
                    where[k] = [pos + at]
                elif where[k] is not None:
                    where[k].append(pos + at)  # type: ignore[union-attr]
        for k in sorted(where):
            p = self.patterns[k]
            places = where[k]
            if places is None:
                m = p.search(text, pos, end)
                if m:
                    return m
            else:
                for at in places:
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
