"""Balanced rewrites for claim findings and ready disclaimer paragraphs for missing elements.

Every finding gets ``finding.suggestion``::

    {"replacement": "...", "start": {"line": 3, "column": 1}, "end": {"line": 3, "column": 42},
     "applicability": "unsafe"}

(ruff's vocabulary: a rewrite changes what the copy says, so it is never "safe"). ``start`` and
``end`` are 1-based source positions, ``end`` exclusive; ``replacement`` is source text, ready to
be put in place of that range (entity-encoded for HTML, escaped for Markdown).

**Templates are data.** A ``rewrites:`` section in ``rulesets/<lang>/*.yaml`` holds, per rule id
and per category (the fallback for rules without their own entry), a list of *variants*::

    rewrites:
      rules:
        WL101:
          - text: "{product} {is|zijn} geen behandeling voor {condition}."
            requires: [product, condition]   # slots that must be filled from the sentence
            when: {claim: 'voorkom'}         # regexes on slots, the claim words or the sentence
            form: sentence                   # sentence | heading | clause

The first variant whose conditions hold and whose result lints clean is used. Slots are filled
from the words the rule matched and otherwise from the sentence (the ruleset's lexicons), so the
writer's own product and condition stay; an unfilled slot takes ``defaults``. ``{a|b}`` picks by
the number of the product (singular | plural), ``{condition:a|b}`` by another slot's number, and
``{de=..|het=..|pl=..}`` by Dutch gender. ``grammar:`` holds the small word lists this needs.

**Forms.** A sentence without closing punctuation (a heading, a bullet, a tagline) gets a
``heading`` variant and stays without a period; a claim in a clause after "maar"/"but" whose
first part is fine gets a ``clause`` variant that replaces only that clause. Capitalisation of
the first letter and a leading bullet symbol follow the original sentence.

**Markup.** The replaced range is the sentence's source range, widened over inline tags or
Markdown delimiters right around it when that makes the range balanced
(``<strong>Truffels genezen</strong> depressie.`` is replaced whole). Tags that still open or close
across the range boundary are re-emitted around the rewrite, so the page stays valid.

**Disclaimers.** ``missing_disclaimer`` findings of one document share one paragraph (on the first
of them) covering every missing element, inserted at the end of a Markdown/text file or before
``</main>`` / ``</body>`` in HTML, in the file's newline style.
"""

from __future__ import annotations

import html as _html
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

import regex

from .engine import replace_chars
from .models import Document, Finding
from .source import detect_newline
from .yamlload import DataError, LDict, LList

__all__ = ["attach_suggestions", "rewrite_set", "suggest", "RewriteSet"]

SLOTS = ("product", "condition", "medication", "care")
FORMS = ("sentence", "heading", "clause")
WHEN_KEYS = (*SLOTS, "claim", "sentence")
APPLICABILITY = "unsafe"

_REF = regex.compile(r"\{([^{}]*)\}")
_HEAD = regex.compile(r"(\w+):(?=\S)")
_WORDS = regex.compile(r"[\w'’-]+")
_TERMINAL = regex.compile(r"""([.!?…]+)["'”’»)\]]*(?:\[\d{1,3}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)?\s*$""")
_LEADING_SYMBOLS = regex.compile(r"""^[^\w\s"'“”‘’«»„(\[]+\s*""")
_FRAGMENT_QUESTION = regex.compile(r"(?:^|[.!?]\s+)([^.!?\n]{1,60}\?)\s*$")
_ATTRIBUTION = regex.compile(r"[ \t]*[—–-][ \t]*\p{Lu}[^\n]{0,80}?(?=[ \t]*(?:\r?\n|\r|$))")
_SEGMENT = regex.compile(r"\s+[|·•]\s+")
_SENTENCE_END = regex.compile(r"([.!?])(\s+)(\w)")


# --------------------------------------------------------------------------------------------
# Data: templates, grammar, rewrite sets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple[Any, ...]  # str | ("slot", name) | ("agree", slot, {key: text})
    slots: frozenset[str]

    def render(self, values: dict[str, Phrase]) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "slot":
                out.append(values[part[1]].text)
            else:
                _, slot, options = part
                out.append(values[slot].pick(options))
        return "".join(out)


@dataclass(frozen=True)
class Variant:
    template: Template
    form: str = "sentence"
    requires: frozenset[str] = frozenset()
    when: tuple[tuple[str, Any], ...] = ()
    where: str = ""  # file:line, for messages


@dataclass(frozen=True)
class Phrase:
    text: str
    plural: bool = False
    gender: str = "de"  # de | het (only Dutch uses it)

    def pick(self, options: dict[str, str]) -> str:
        if self.plural:
            return options.get("pl", options.get("sg", ""))
        if self.gender in options:
            return options[self.gender]
        return options.get("sg", options.get("de", ""))


@dataclass
class Grammar:
    plural: list[regex.Pattern[str]] = field(default_factory=list)
    singular: list[regex.Pattern[str]] = field(default_factory=list)
    plural_suffixes: tuple[str, ...] = ()
    singular_suffixes: tuple[str, ...] = ()
    het: list[regex.Pattern[str]] = field(default_factory=list)
    het_determiners: frozenset[str] = frozenset()
    determiners: frozenset[str] = frozenset()
    product_determiners: frozenset[str] = frozenset()
    product_articles: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()  # from the language profile
    possessive: str = ""  # "je" / "your": before a bare singular count medication ("your inhaler")
    count_medication: list[regex.Pattern[str]] = field(default_factory=list)
    modifier_stop: list[regex.Pattern[str]] = field(default_factory=list)
    generic_conditions: list[regex.Pattern[str]] = field(default_factory=list)
    needs_article: list[regex.Pattern[str]] = field(default_factory=list)
    article: str = ""
    article_vowel: str = ""
    drop_words: frozenset[str] = frozenset()
    keep_case: list[regex.Pattern[str]] = field(default_factory=list)
    normalise: dict[str, list[tuple[regex.Pattern[str], str]]] = field(default_factory=dict)
    count_nouns: list[tuple[regex.Pattern[str], str]] = field(default_factory=list)
    coordination: regex.Pattern[str] | None = None
    clause_split: regex.Pattern[str] | None = None

    def is_plural(self, text: str) -> bool:
        words = _WORDS.findall(text.lower())
        if self.coordination is not None and len(words) > 2 and any(
            self.coordination.fullmatch(f" {w} ") for w in words[1:-1]
        ):
            return True  # "depressie en angst"
        if not words:
            return False
        head = words[-1].split("-")[-1] if "-" in words[-1] else words[-1]
        whole = words[-1]
        if any(p.fullmatch(whole) or p.fullmatch(head) for p in self.singular):
            return False
        if any(p.fullmatch(whole) or p.fullmatch(head) for p in self.plural):
            return True
        head = head.replace("’", "'")
        return head.endswith(self.plural_suffixes) and not head.endswith(self.singular_suffixes) if self.plural_suffixes else False

    def gender_of(self, text: str) -> str:
        words = _WORDS.findall(text.lower())
        if not words:
            return "de"
        if words[0] in self.het_determiners:
            return "het"
        head = words[-1].split("-")[-1]
        if any(p.fullmatch(words[-1]) or p.fullmatch(head) for p in self.het):
            return "het"
        return "de"


@dataclass
class DisclaimerData:
    elements: dict[str, Template] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    wrappers: dict[str, str] = field(default_factory=dict)  # format -> "...{text}..."


@dataclass
class RewriteSet:
    lang: str
    rules: dict[str, list[Variant]] = field(default_factory=dict)
    categories: dict[str, list[Variant]] = field(default_factory=dict)
    fallback: list[Variant] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    grammar: Grammar = field(default_factory=Grammar)
    disclaimer: DisclaimerData = field(default_factory=DisclaimerData)

    def variants(self, rule: str, category: str) -> Iterable[Variant]:
        yield from self.rules.get(rule, ())
        yield from self.categories.get(category, ())
        yield from self.fallback


def parse_template(text: Any, path: str, line: int, key: str) -> Template:
    if not isinstance(text, str) or not text.strip():
        raise DataError(path, line, key, "a template must be a non-empty string")
    parts: list[Any] = []
    used: set[str] = set()
    pos = 0
    for m in _REF.finditer(text):
        parts.append(text[pos : m.start()])
        inner = m.group(1)
        name = inner.strip()
        if name in SLOTS:
            parts.append(("slot", name))
            used.add(name)
        elif "|" in inner:
            slot = "product"
            head = _HEAD.match(inner)
            if head and head.group(1) in SLOTS:
                slot = head.group(1)
                inner = inner[head.end() :]
            options = inner.split("|")
            if all("=" in o for o in options):
                choice = {}
                for o in options:
                    k, v = o.split("=", 1)
                    if k.strip() not in ("sg", "pl", "de", "het"):
                        raise DataError(path, line, key, f"{{{m.group(1)}}}: choice keys are sg, pl, de and het")
                    choice[k.strip()] = v
                if "pl" not in choice or not ("sg" in choice or {"de", "het"} <= choice.keys()):
                    raise DataError(path, line, key, f"{{{m.group(1)}}}: give pl and either sg or both de and het")
            elif len(options) == 2:
                choice = {"sg": options[0], "pl": options[1]}
            else:
                raise DataError(path, line, key, f"{{{m.group(1)}}}: write {{singular|plural}} or {{de=..|het=..|pl=..}}")
            parts.append(("agree", slot, choice))
            used.add(slot)
        else:
            raise DataError(path, line, key, f"unknown slot {{{name}}} (slots: {', '.join(SLOTS)})")
        pos = m.end()
    parts.append(text[pos:])
    if any(isinstance(p, str) and ("{" in p or "}" in p) for p in parts):
        raise DataError(path, line, key, "unbalanced { or } in template")
    return Template(text, tuple(p for p in parts if p != ""), frozenset(used))


def _compile(pattern: Any, path: str, line: int, key: str) -> regex.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise DataError(path, line, key, "must be a non-empty regular expression")
    try:
        return regex.compile(pattern, regex.IGNORECASE)
    except regex.error as exc:
        raise DataError(path, line, key, f"invalid pattern {pattern!r}: {exc}") from None


def _str_list(data: LDict, key: str, path: str, where: str) -> list[str]:
    val = data[key]
    if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
        raise DataError(path, data.line_of(key), f"{where}.{key}", "must be a list of strings")
    return list(val)


def _pattern_list(data: LDict, key: str, path: str, where: str) -> list[regex.Pattern[str]]:
    items = _str_list(data, key, path, where)
    lines = data[key].lines if isinstance(data[key], LList) else []
    return [_compile(p, path, lines[i] if i < len(lines) else data.line_of(key), f"{where}.{key}") for i, p in enumerate(items)]


def _pairs(data: LDict, key: str, path: str, where: str) -> list[tuple[regex.Pattern[str], str]]:
    val = data[key]
    if not isinstance(val, list):
        raise DataError(path, data.line_of(key), f"{where}.{key}", "must be a list of [pattern, replacement] pairs")
    out = []
    for i, pair in enumerate(val):
        line = val.line_of(i) if isinstance(val, LList) else data.line_of(key)
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            raise DataError(path, line, f"{where}.{key}", "each item must be a [pattern, replacement] pair")
        out.append((_compile(pair[0], path, line, f"{where}.{key}"), pair[1]))
    return out


_GRAMMAR_KEYS = {
    "plural": "regexes for head words that are plural",
    "singular": "regexes for head words that are singular (checked first)",
    "plural_suffixes": "endings that make an unknown head word plural",
    "singular_suffixes": "endings that keep a head word singular despite a plural ending",
    "het": "regexes for Dutch het-words",
    "het_determiners": "words that make a phrase a het-phrase (dit, ons)",
    "determiners": "words that already give a phrase its article",
    "product_determiners": "words before a product that belong to it ('onze', 'this'), up to two words away",
    "product_articles": "articles right before a product that belong to it ('het ijsbad', 'the retreat')",
    "needs_article": "singular count nouns that get the indefinite article when bare",
    "article": "the indefinite article",
    "article_vowel": "the indefinite article before a vowel (English 'an')",
    "possessive": "the reader's possessive, before a bare singular count medication ('je slaapmiddel')",
    "count_medication": "singular count nouns for medication that get the possessive when bare",
    "modifier_stop": "words that may not stand between a product determiner and the product (superlatives)",
    "generic_conditions": "condition words that take up to two words before them ('seasonal affective disorder')",
    "drop_words": "words dropped from the start of a condition, medication or care slot",
    "keep_case": "regexes for words whose capital stays at the start of a sentence",
    "normalise": "per slot, [pattern, replacement] pairs applied to the slot's words",
    "count_nouns": "[pattern, replacement] pairs that make a singular count condition plural",
    "coordination": "regex joining two slot words into one phrase (' en ', ', ')",
    "clause_split": "regex for the start of a contrast clause that a clause variant may replace",
}
_SECTION_KEYS = ("grammar", "defaults", "rules", "categories", "fallback", "disclaimer")


def _variants(items: Any, path: str, line: int, where: str) -> list[Variant]:
    if isinstance(items, (str, LDict)):
        items = LList([items])
        items.line, items.lines = line, [line]
    if not isinstance(items, list) or not items:
        raise DataError(path, line, where, "must be a template or a list of variants")
    out = []
    for i, item in enumerate(items):
        iline = items.line_of(i) if isinstance(items, LList) else line
        if isinstance(item, str):
            out.append(Variant(parse_template(item, path, iline, where), where=f"{path}:{iline}"))
            continue
        if not isinstance(item, LDict):
            raise DataError(path, iline, where, "a variant is a template string or a mapping with `text`")
        for k in item:
            if k not in ("text", "form", "requires", "when"):
                raise DataError(path, item.line_of(k), f"{where}.{k}", "unknown key (allowed: text, form, requires, when)")
        if "text" not in item:
            raise DataError(path, item.line, where, "a variant needs `text`")
        tmpl = parse_template(item["text"], path, item.line_of("text"), f"{where}.text")
        form = item.get("form", "sentence")
        if form not in FORMS:
            raise DataError(path, item.line_of("form"), f"{where}.form", f"must be one of {', '.join(FORMS)}")
        requires = item.get("requires", [])
        if isinstance(requires, str):
            requires = [requires]
        if not isinstance(requires, list) or any(r not in SLOTS for r in requires):
            raise DataError(path, item.line_of("requires"), f"{where}.requires", f"must list slots from: {', '.join(SLOTS)}")
        when = item.get("when", {})
        if not isinstance(when, dict):
            raise DataError(path, item.line_of("when"), f"{where}.when", "must be a mapping of slot/claim/sentence -> regex")
        conds = []
        for k, pat in when.items():
            if k not in WHEN_KEYS:
                raise DataError(path, when.line_of(k), f"{where}.when.{k}", f"unknown key (allowed: {', '.join(WHEN_KEYS)})")
            conds.append((k, _compile(pat, path, when.line_of(k), f"{where}.when.{k}")))
        out.append(Variant(tmpl, form, frozenset(requires), tuple(conds), f"{path}:{item.line}"))
    return out


def _load_grammar(data: Any, path: str, line: int, g: Grammar) -> None:
    if not isinstance(data, LDict):
        raise DataError(path, line, "rewrites.grammar", "must be a mapping")
    w = "rewrites.grammar"
    for key in data:
        if key not in _GRAMMAR_KEYS:
            raise DataError(path, data.line_of(key), f"{w}.{key}", f"unknown key (allowed: {', '.join(_GRAMMAR_KEYS)})")
        if key in ("plural", "singular", "het", "needs_article", "keep_case", "count_medication", "modifier_stop",
                   "generic_conditions"):
            getattr(g, key).extend(_pattern_list(data, key, path, w))
        elif key in ("plural_suffixes", "singular_suffixes"):
            setattr(g, key, getattr(g, key) + tuple(s.lower() for s in _str_list(data, key, path, w)))
        elif key in ("het_determiners", "determiners", "product_determiners", "product_articles", "drop_words"):
            setattr(g, key, getattr(g, key) | {s.lower() for s in _str_list(data, key, path, w)})
        elif key in ("article", "article_vowel", "possessive"):
            if not isinstance(data[key], str):
                raise DataError(path, data.line_of(key), f"{w}.{key}", "must be a string")
            setattr(g, key, data[key])
        elif key == "count_nouns":
            g.count_nouns.extend(_pairs(data, key, path, w))
        elif key == "normalise":
            norm = data[key]
            if not isinstance(norm, LDict):
                raise DataError(path, data.line_of(key), f"{w}.normalise", "must be a mapping of slot -> pairs")
            for slot in norm:
                if slot not in SLOTS:
                    raise DataError(path, norm.line_of(slot), f"{w}.normalise.{slot}", f"unknown slot (slots: {', '.join(SLOTS)})")
                g.normalise.setdefault(slot, []).extend(_pairs(norm, slot, path, f"{w}.normalise"))
        else:  # coordination, clause_split
            setattr(g, key, _compile(data[key], path, data.line_of(key), f"{w}.{key}"))


def _load_disclaimer(data: Any, path: str, line: int, d: DisclaimerData) -> None:
    w = "rewrites.disclaimer"
    if not isinstance(data, LDict):
        raise DataError(path, line, w, "must be a mapping with `elements` (and `markdown`, `html`, `text` wrappers)")
    for key in data:
        if key not in ("elements", "markdown", "html", "text"):
            raise DataError(path, data.line_of(key), f"{w}.{key}", "unknown key (allowed: elements, markdown, html, text)")
    elements = data.get("elements", LDict())
    if not isinstance(elements, LDict):
        raise DataError(path, data.line_of("elements"), f"{w}.elements", "must be a mapping of element -> sentence")
    for name, text in elements.items():
        if not regex.fullmatch(r"[a-z_]+", str(name)):
            raise DataError(path, elements.line_of(name), f"{w}.elements.{name}", "element names are lowercase words")
        if name not in d.elements:
            d.order.append(name)
        d.elements[name] = parse_template(text, path, elements.line_of(name), f"{w}.elements.{name}")
    for fmt in ("markdown", "html", "text"):
        if fmt in data:
            wrapper = data[fmt]
            if not isinstance(wrapper, str) or wrapper.count("{text}") != 1:
                raise DataError(path, data.line_of(fmt), f"{w}.{fmt}", "must be a string with {text} once")
            d.wrappers[fmt] = wrapper


def load_rewrites(lang: str, sections: list[tuple[str, Any]]) -> RewriteSet:
    """Build a rewrite set from the ``rewrites:`` sections of one language folder (in file order).

    A later file's variants for a rule or category come first (a team's own folder overrides).
    """
    rs = RewriteSet(lang)
    for path, data in sections:
        if not isinstance(data, LDict):
            raise DataError(path, getattr(data, "line", None), "rewrites", f"must be a mapping with {', '.join(_SECTION_KEYS)}")
        for key in data:
            if key not in _SECTION_KEYS:
                raise DataError(path, data.line_of(key), f"rewrites.{key}", f"unknown section (allowed: {', '.join(_SECTION_KEYS)})")
        if "grammar" in data:
            _load_grammar(data["grammar"], path, data.line_of("grammar"), rs.grammar)
        if "defaults" in data:
            defaults = data["defaults"]
            if not isinstance(defaults, LDict):
                raise DataError(path, data.line_of("defaults"), "rewrites.defaults", "must be a mapping of slot -> words")
            for slot, words in defaults.items():
                if slot not in SLOTS:
                    raise DataError(path, defaults.line_of(slot), f"rewrites.defaults.{slot}", f"unknown slot (slots: {', '.join(SLOTS)})")
                if not isinstance(words, str) or not words.strip():
                    raise DataError(path, defaults.line_of(slot), f"rewrites.defaults.{slot}", "must be a non-empty string")
                rs.defaults[slot] = words
        for key, target in (("rules", rs.rules), ("categories", rs.categories)):
            if key not in data:
                continue
            section = data[key]
            if not isinstance(section, LDict):
                raise DataError(path, data.line_of(key), f"rewrites.{key}", "must be a mapping")
            for name, items in section.items():
                name = str(name)
                if key == "rules" and not regex.fullmatch(r"WL\d{3}", name):
                    raise DataError(path, section.line_of(name), f"rewrites.rules.{name}", "is not a rule code like WL101")
                if key == "categories":
                    from .models import CATEGORIES

                    if name not in CATEGORIES:
                        raise DataError(path, section.line_of(name), f"rewrites.categories.{name}", f"unknown category (allowed: {', '.join(CATEGORIES)})")
                target[name] = _variants(items, path, section.line_of(name), f"rewrites.{key}.{name}") + target.get(name, [])
        if "fallback" in data:
            rs.fallback = _variants(data["fallback"], path, data.line_of("fallback"), "rewrites.fallback") + rs.fallback
        if "disclaimer" in data:
            _load_disclaimer(data["disclaimer"], path, data.line_of("disclaimer"), rs.disclaimer)
    for slot in SLOTS:
        rs.defaults.setdefault(slot, {"product": "this product", "condition": "these complaints"}.get(slot, slot))
    return rs


_SETS: dict[int, tuple[Any, RewriteSet | None]] = {}


def rewrite_set(ruleset) -> RewriteSet | None:
    """The rewrite set of a loaded ruleset (None when it has no ``rewrites:`` section)."""
    hit = _SETS.get(id(ruleset))
    if hit is not None and hit[0] is ruleset:
        return hit[1]
    sections = ruleset.extra.get("rewrites", [])
    rws = load_rewrites(ruleset.lang, sections) if sections else None
    for rule in ruleset.rules:  # a rule's own `rewrite:` templates come first
        if getattr(rule, "rewrite", None):
            rws = rws or load_rewrites(ruleset.lang, [])
            own = [Variant(parse_template(t, rule.path, rule.line, "rewrite"), where=f"{rule.path}:{rule.line}")
                   for t in rule.rewrite]
            rws.rules[rule.id] = own + rws.rules.get(rule.id, [])
    if rws is not None:
        rws.lexicons = _Lexicons.build(ruleset.lexicons)  # type: ignore[attr-defined]
        rws.grammar.function_words = frozenset(ruleset.profile.function_words)
    _SETS[id(ruleset)] = (ruleset, rws)
    return rws


# --------------------------------------------------------------------------------------------
# Slots: the writer's words, cleaned and inflected
# --------------------------------------------------------------------------------------------

_NORMALISE = str.maketrans({"’": "'", "‘": "'", "\u00a0": " ", "\n": " ", "\r": " ", "\t": " "})
_REPLACE = tuple((chr(k), v) for k, v in _NORMALISE.items())


def _normalise(text: str) -> str:
    """``text.translate(_NORMALISE)``, character for character (see engine.replace_chars)."""
    return replace_chars(text, _REPLACE)


@dataclass
class _Lexicons:
    patterns: dict[str, regex.Pattern[str]]

    @classmethod
    def build(cls, lexicons: dict[str, list[str]]) -> _Lexicons:
        pats = {}
        for slot in SLOTS:
            items = lexicons.get(slot)
            if not items:
                continue
            alts = "|".join(f"(?:{p})" for p in sorted(items, key=len, reverse=True))
            compound = r"(?:-\w+)*" if slot == "product" else ""
            pats[slot] = regex.compile(rf"(?<![\w'’-])(?:{alts}){compound}(?![\w'’])", regex.IGNORECASE)
        return cls(pats)

    def find(self, slot: str, text: str) -> list[tuple[int, int]]:
        pat = self.patterns.get(slot)
        return [m.span() for m in pat.finditer(text)] if pat is not None else []

    def first(self, slot: str, text: str) -> tuple[int, int] | None:
        """``find(slot, text)[0]`` (None if none), without finding the rest of a whole page."""
        pat = self.patterns.get(slot)
        m = pat.search(text) if pat is not None else None
        return m.span() if m is not None else None


def _locate(value: str, text: str) -> tuple[int, int] | None:
    i = text.lower().find(_normalise(value).lower())
    return (i, i + len(value)) if i >= 0 else None


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _slot_spans(sentence: str, slots: dict[str, str], lex: _Lexicons, g: Grammar) -> dict[str, tuple[int, int]]:
    """Where each slot's words are in the (normalised) sentence: the rule's own match first."""
    norm = _normalise(sentence)
    spans: dict[str, tuple[int, int]] = {}
    taken: list[tuple[int, int]] = []
    for slot in ("condition", "medication", "care", "product"):
        span = _locate(slots[slot], norm) if slots.get(slot) else None
        if span is None:
            found = [sp for sp in lex.find(slot, norm) if not _overlaps(sp, taken)]
            if slot == "product" and found:
                # prefer the writer's own product ("met onze truffels") over a passing mention
                widened = [_widen_product(norm, sp, lex.find(slot, norm), g) for sp in found]
                owned = [w for w in widened if norm[w[0]:w[1]].split(" ", 1)[0].lower() in g.product_determiners]
                span = (owned or widened)[0]
            else:
                span = found[0] if found else None
        elif slot == "product":
            span = _widen_product(norm, span, lex.find(slot, norm), g)
        if span is None:
            continue
        if slot == "condition":
            span = _widen_condition(norm, span, g)
        if slot == "condition" and g.coordination is not None:
            span = _coordinate(norm, span, [sp for sp in lex.find(slot, norm)], g.coordination)
        spans[slot] = span
        taken.append(span)
    return spans


_NEXT_WORD = regex.compile(r"\s+([\w'-]+)")
_PREV_WORD = regex.compile(r"(?<![\w'-])([\w'-]+)\s+$")


def _widen_product(text: str, span: tuple[int, int], others: list[tuple[int, int]], g: Grammar) -> tuple[int, int]:
    """"psilocybin microdosing", "our guided microdosing program", "ons microdosing-protocol"."""
    a, b = span
    while True:
        nxt = next((e for s, e in others if s > b and not text[b:s].strip()), None)
        if nxt is not None:
            b = nxt
            continue
        m = _NEXT_WORD.match(text, b)
        if m and any(p.fullmatch(m.group(1).lower()) for p in g.needs_article):
            b = m.end()
        break
    first = text[a:b].split(" ", 1)[0].lower()
    prev = _PREV_WORD.search(text, 0, a)
    if first not in g.determiners and prev and prev.group(1).lower() in g.product_articles:
        return prev.start(1), b  # "het ijsbad", "the retreat": the writer's own article
    if g.product_determiners and first not in g.determiners:
        m = _determiner_lead(g.product_determiners).search(text[:a])
        if m:
            between = m.group(1).split()
            if not any(w.lower() in g.function_words or w.lower() in g.determiners
                       or any(p.fullmatch(w) for p in g.modifier_stop) for w in between):
                a = m.start()  # "our guided microdosing program", not "the purest CBD oil"
    return a, b


@lru_cache(maxsize=16)
def _determiner_lead(determiners: frozenset[str]) -> regex.Pattern[str]:
    """A product determiner and up to two words before the end: "our guided " (compiled once per set)."""
    words = "|".join(regex.escape(w) for w in sorted(determiners, key=len, reverse=True))
    return regex.compile(rf"(?<![\w'-])(?:{words})\s+((?:[\w'-]+\s+){{0,2}})$", regex.IGNORECASE)


def _widen_condition(text: str, span: tuple[int, int], g: Grammar) -> tuple[int, int]:
    """A generic condition word takes the words that name it: "seasonal affective disorder"."""
    a, b = span
    if not any(p.fullmatch(text[a:b].lower()) for p in g.generic_conditions):
        return span
    for _ in range(2):
        m = _PREV_WORD.search(text, 0, a)
        if not m:
            break
        word = m.group(1)
        low = word.lower()
        if not word.isalpha() or not word.islower() or low in g.function_words or low in g.determiners \
                or low in g.drop_words:
            break
        a = m.start(1)
    return a, b


def _coordinate(text: str, span: tuple[int, int], others: list[tuple[int, int]], joiner: regex.Pattern[str]) -> tuple[int, int]:
    """Widen a condition to the coordination it stands in: "depressie en angst"."""
    a, b = span
    changed = True
    while changed:
        changed = False
        for s, e in others:
            if e <= a and joiner.fullmatch(text[e:a]):
                a, changed = s, True
            elif s >= b and joiner.fullmatch(text[b:s]):
                b, changed = e, True
    return a, b


def _title_case(sentence: str) -> bool:
    words = [w for w in _WORDS.findall(sentence) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _decapitalise(word: str, g: Grammar) -> str:
    if not word[:1].isupper() or any(p.fullmatch(word) for p in g.keep_case):
        return word
    rest = word[1:]
    if any(ch.isupper() for ch in rest.split("-")[0]):
        return word  # CBD, ADHD, iPhone-like words keep their case
    return word[0].lower() + rest


def make_phrase(slot: str, raw: str, g: Grammar, *, sentence_start: bool, title: bool) -> Phrase:
    text = " ".join(raw.split())
    words = text.split(" ")
    if slot != "product":
        while len(words) > 1 and words[0].lower() in g.drop_words:
            words = words[1:]
    if title:
        words = [_decapitalise(w, g) for w in words]
    elif sentence_start and words:
        words[0] = _decapitalise(words[0], g)
    text = " ".join(words)
    for pat, repl in g.normalise.get(slot, ()):
        text = pat.sub(repl, text)
    first = text.split(" ", 1)[0].lower()
    if slot == "condition" and first not in g.determiners and len(text.split()) <= 2:
        for pat, repl in g.count_nouns:
            text = pat.sub(repl, text)
    plural = g.is_plural(text)
    gender = "pl" if plural else g.gender_of(text)
    if slot == "medication" and not plural and first not in g.determiners and g.possessive:
        head = (_WORDS.findall(text.lower()) or [""])[-1]
        if any(p.fullmatch(head) or p.fullmatch(head.split("-")[-1]) for p in g.count_medication):
            text = f"{g.possessive} {text}"  # "je slaapmiddel", "your inhaler"
    if slot == "product" and not plural and first not in g.determiners and g.article:
        head = _WORDS.findall(text.lower())[-1] if _WORDS.findall(text) else ""
        head_last = head.split("-")[-1]
        if any(p.fullmatch(head) or p.fullmatch(head_last) for p in g.needs_article):
            article = g.article_vowel if g.article_vowel and text[:1].lower() in "aeio" else g.article
            text = f"{article} {text}"
    return Phrase(text, plural, gender)


_PHRASES_KEPT = 4096


def _phrase(slot: str, raw: str, g: Grammar, sentence_start: bool, title: bool) -> Phrase:
    """``make_phrase``, remembered per grammar: the same few product and condition words come back
    on page after page, and each costs a few hundred regex matches (``is_plural``, ``gender_of``).
    A grammar is not changed once its rewrite set is made (``rewrite_set``)."""
    memo = g.__dict__.get("_phrases")
    if memo is None:
        memo = g.__dict__["_phrases"] = {}
    key = (slot, raw, sentence_start, title)
    phrase = memo.get(key)
    if phrase is None:
        if len(memo) >= _PHRASES_KEPT:
            memo.clear()
        phrase = memo[key] = make_phrase(slot, raw, g, sentence_start=sentence_start, title=title)
    return phrase


# --------------------------------------------------------------------------------------------
# Rendering a rewrite for one sentence
# --------------------------------------------------------------------------------------------


_SPACE_BEFORE_PUNCT = regex.compile(r"\s+([,.;:!?)])")
_REPEATED_PUNCT = regex.compile(r"([.;:!?])\1+")
_NEXT_SENTENCE = regex.compile(r"[.!?](?=\s+\w)")


def _tidy(text: str) -> str:
    # compiled once: regex.sub(pattern_string, ...) looks its pattern up in regex's cache on every
    # call, which costs more than the substitution on these short texts
    text = " ".join(text.split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return text


def _capitalise_sentences(text: str) -> str:
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return _SENTENCE_END.sub(lambda m: m.group(1) + m.group(2) + m.group(3).upper(), text)


def _first_sentence(text: str) -> str:
    m = _NEXT_SENTENCE.search(text)
    return text[: m.start() + 1] if m else text


@dataclass
class _Context:
    finding: Finding
    sentence: str  # prose of the sentence, as written
    slots: dict[str, Phrase | None]
    claim: str
    context: str = ""


def _applicable(v: Variant, ctx: _Context, form: str) -> bool:
    if v.form != form:
        return False
    if any(ctx.slots.get(s) is None for s in v.requires):
        return False
    for key, pat in v.when:
        if key in SLOTS:
            val = ctx.slots.get(key)
            if val is None or not pat.search(val.text):
                return False
        elif key == "claim":
            if not pat.search(ctx.claim):
                return False
        elif not pat.search(ctx.sentence) and not (ctx.context and pat.search(ctx.context)):
            return False
    return True


def _default_phrase(rws: RewriteSet, slot: str) -> Phrase:
    """``make_phrase`` of the slot's default words, made once per rewrite set and words (every
    rendering and every disclaimer paragraph needs them)."""
    cache = rws.__dict__.setdefault("_default_phrases", {})
    key = (slot, rws.defaults[slot])
    phrase = cache.get(key)
    if phrase is None:
        phrase = cache[key] = make_phrase(slot, rws.defaults[slot], rws.grammar, sentence_start=False, title=False)
    return phrase


def _render(v: Variant, ctx: _Context, rws: RewriteSet) -> str:
    values = {}
    for slot in SLOTS:
        phrase = ctx.slots.get(slot)
        if phrase is None:
            phrase = _default_phrase(rws, slot)
        values[slot] = phrase
    return _capitalise_sentences(_tidy(v.template.render(values)))


def _shape(text: str, original: str, heading: bool) -> str:
    """Follow the original's first-letter case, leading bullet symbol and closing punctuation."""
    if heading:
        text = _first_sentence(text).rstrip()
        text = text[:-1] if text.endswith(".") else text
    elif not text.endswith((".", "!", "?")):
        text += "."
    stripped = original.lstrip()
    lead = _LEADING_SYMBOLS.match(stripped)
    body = stripped[lead.end() :] if lead else stripped
    first = next((ch for ch in body if ch.isalnum()), "")
    if body[:1].isalpha() and first.islower() and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    letters = [ch for ch in body if ch.isalpha()]
    if len(letters) > 3 and all(ch.isupper() for ch in letters):
        text = text.upper()  # a heading in capitals stays in capitals
    if lead:
        text = lead.group() + text
    return text


def _candidates(ctx: _Context, rws: RewriteSet, form: str) -> Iterable[tuple[Variant, str]]:
    seen = set()
    for v in rws.variants(ctx.finding.rule, ctx.finding.category):
        if _applicable(v, ctx, form):
            text = _render(v, ctx, rws)
            if text not in seen:
                seen.add(text)
                yield v, text
    if form == "heading":  # no heading variant fits: the first sentence of a sentence variant
        for v in rws.variants(ctx.finding.rule, ctx.finding.category):
            if _applicable(v, ctx, "sentence"):
                text = _first_sentence(_render(v, ctx, rws))
                if text not in seen:
                    seen.add(text)
                    yield v, text


_LINE_BREAKS = regex.compile(r"[\r\n]+")


@lru_cache(maxsize=4096)
def _lints_clean(text: str, lang: str, profile: str, rulesets_dir: str | None) -> bool:
    """Does ``text``, prose of one block (a sentence, what is left of it, a rewrite with its
    lead), make no claim? A line break in it is white space inside the block, as in the page: in
    plain text it would start a block of its own, and "Wetenschappelijk bewezen werking ?\nHet
    is ..." would be read as a question and a statement rather than the one sentence it is."""
    from .engine import lint_text

    text = _LINE_BREAKS.sub(" ", text)
    found = lint_text(text, format="text", lang=lang, profile=profile, rulesets_dir=rulesets_dir, suggest=False)
    return not any(f.category != "missing_disclaimer" for f in found)


@dataclass
class Rewrite:
    """A rewrite of one sentence (or of its last clause) in plain text."""

    text: str  # what replaces the prose range
    start: int  # prose range in the sentence (relative), replaced by ``text``
    end: int
    variant: Variant
    full: str  # the whole new sentence, as linted


def rewrite_sentence(sentence: str, finding: Finding, rws: RewriteSet, *, claim_at: int | None = None,
                     profile: str = "default", rulesets_dir: str | None = None,
                     wrap: tuple[str, str] = ("", ""), context: str = "", heading: bool | None = None) -> Rewrite | None:
    """A balanced rewrite of ``sentence`` (prose) for ``finding`` that lints clean, or None.

    ``wrap``: text around the sentence that is linted with it (the other parts of a title, a
    question the sentence answers); ``context``: text whose words may fill empty slots.
    """
    lang = finding.lang or rws.lang
    g = rws.grammar
    lex = getattr(rws, "lexicons", None)
    spans = _slot_spans(sentence, finding.slots, lex, g) if lex is not None else {}
    norm_start = len(sentence) - len(sentence.lstrip())
    lead = _LEADING_SYMBOLS.match(sentence[norm_start:])
    body_start = norm_start + (lead.end() if lead else 0)
    title = _title_case(sentence)
    slots: dict[str, Phrase | None] = {s: None for s in SLOTS}
    for slot, (a, b) in spans.items():
        before = sentence[body_start:a].rstrip()
        at_start = not before.strip(" \"'“‘«„(") or before[-1] in ".!?:;\"'“‘«„("
        slots[slot] = _phrase(slot, sentence[a:b], g, at_start, title)
    if context and lex is not None:
        for slot, (a, b) in _slot_spans(context, finding.slots, lex, g).items():
            if slots[slot] is None:
                at_start = not context[:a].strip(" \"'“‘«(") or context[:a].rstrip()[-1:] in ".!?:"
                slots[slot] = _phrase(slot, context[a:b], g, at_start, _title_case(context))
    ctx = _Context(finding, sentence, slots, _strip_tags(finding.text), context)
    term = _TERMINAL.search(sentence)
    if heading is None:
        heading = term is None
    body_end = term.start() if term else len(sentence.rstrip())

    def clean(text: str) -> bool:
        if not _lints_clean(text, lang, profile, rulesets_dir):
            return False
        return not (wrap[0] or wrap[1]) or _lints_clean(wrap[0] + text + wrap[1], lang, profile, rulesets_dir)

    # a claim in a contrast clause whose first part is fine: rewrite only that clause
    if g.clause_split is not None and claim_at is not None:
        cut = None
        for m in g.clause_split.finditer(sentence, 0, body_end):
            if m.start() <= claim_at:
                cut = m
        head_mentions_care = lex is not None and (
            lex.find("medication", _normalise(sentence[: cut.start()])) if cut is not None else False)
        if cut is not None and cut.start() > body_start and len(_WORDS.findall(sentence[:cut.start()])) >= 3 \
                and not head_mentions_care:
            head = sentence[: cut.start()]
            tail_punct = sentence[body_end:].rstrip() or ""
            if _lints_clean(head.strip() + ".", lang, profile, rulesets_dir):
                for v, text in _candidates(ctx, rws, "clause"):
                    if not text[1:2].isupper():
                        text = text[0].lower() + text[1:]
                    clause = ", " + text.rstrip(".")
                    full = head + clause + (tail_punct if not heading else "")
                    if clean(full):
                        return Rewrite(clause, cut.start(), body_end, v, full)

    for v, text in _candidates(ctx, rws, "heading" if heading else "sentence"):
        shaped = _shape(text, sentence, heading)
        if clean(shaped):
            return Rewrite(shaped, norm_start, len(sentence.rstrip()), v, shaped)
    return None


_TAG_RE = regex.compile(r"<[^<>]*>")


def _strip_tags(text: str) -> str:
    return " ".join(_TAG_RE.sub(" ", text).split())


_MD_LINK_TARGET = regex.compile(r"\]\([^)]*\)")
_MD_MARKUP = regex.compile(r"[*_`\[\]]+|\\(?=[^\w\s])")


def _rendered(source_text: str, fmt: str) -> str:
    """The words a reader sees in a span of source: no tags, no Markdown markers, entities decoded."""
    text = _strip_tags(source_text)
    if fmt == "markdown":
        text = _MD_MARKUP.sub("", _MD_LINK_TARGET.sub("", text))
    if fmt in ("markdown", "html"):
        text = _html.unescape(text)
    return " ".join(text.split())


# --------------------------------------------------------------------------------------------
# Markup-aware source ranges
# --------------------------------------------------------------------------------------------

_HTML_TOKEN = regex.compile(r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>", regex.DOTALL)
_MD_TOKEN = regex.compile(
    r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(/?)>"  # inline HTML
    r"|(?P<code>`+)[^`]*(?P=code)"  # a code span (dropped from the prose as a whole)
    r"|(?P<toggle>\*+|_+|~+)"  # emphasis / strikethrough delimiter runs
    r"|(?P<lopen>!?\[)"
    r"|(?P<lclose>\](?:\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|\[[^\]\n]*\])?)",
    regex.DOTALL,
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    kind: str  # open | close | toggle | lopen | lclose | other
    name: str
    text: str


def _tokens(source: str, a: int, b: int, fmt: str) -> list[_Tok]:
    pat = _MD_TOKEN if fmt == "markdown" else _HTML_TOKEN
    out = []
    for m in pat.finditer(source, a, b):
        text = m.group()
        if text.startswith("<!--"):
            kind, name = "other", ""
        elif m.group(2):
            name = m.group(2).lower()
            if m.group(3) or name in _VOID:
                kind = "other"
            else:
                kind = "close" if m.group(1) else "open"
        elif fmt == "markdown" and m.group("code"):
            kind, name = "other", ""
        elif fmt == "markdown" and m.group("toggle"):
            kind, name = "toggle", text
        elif fmt == "markdown" and m.group("lopen"):
            kind, name = "lopen", "["
        elif fmt == "markdown" and m.group("lclose") is not None:
            kind, name = "lclose", "["
        else:
            continue
        out.append(_Tok(m.start(), m.end(), kind, name, text))
    return out


def _gaps(doc: Document, s: int, e: int) -> list[tuple[int, int]]:
    """Source ranges inside the prose range's source span that no prose character comes from."""
    return doc.offsets.gaps(s, e)


def _adjacent(source: str, pos: int, limit: int, fmt: str, backward: bool) -> list[_Tok]:
    """Markup tokens directly before (or after) ``pos``, contiguous, not beyond ``limit``."""
    lo, hi = (limit, pos) if backward else (pos, limit)
    toks = _tokens(source, lo, hi, fmt)
    out = []
    if backward:
        cur = pos
        for t in reversed(toks):
            if t.end != cur:
                break
            out.append(t)
            cur = t.start
    else:
        cur = pos
        for t in toks:
            if t.start != cur:
                break
            out.append(t)
            cur = t.end
    return out


def _unmatched(toks: list[_Tok]) -> tuple[list[_Tok], list[_Tok]]:
    """Tokens that close something opened before / open something closed after the range."""
    stack: list[_Tok] = []
    closers: list[_Tok] = []
    toggles: dict[str, list[_Tok]] = {}
    # where each (kind, name) was opened: stack positions, topmost last; an entry is stale once
    # the stack was cut below it (checked by identity), so finding an opener is O(1) amortised
    # instead of a walk down the stack for every closer
    where: dict[tuple[str, str], list[tuple[int, _Tok]]] = {}
    for t in toks:
        if t.kind in ("open", "lopen"):
            where.setdefault((t.kind, t.name), []).append((len(stack), t))
            stack.append(t)
        elif t.kind in ("close", "lclose"):
            found = where.get(("open" if t.kind == "close" else "lopen", t.name))
            while found and (found[-1][0] >= len(stack) or stack[found[-1][0]] is not found[-1][1]):
                found.pop()
            if not found:
                closers.append(t)
            else:
                del stack[found.pop()[0]:]
        elif t.kind == "toggle":
            toggles.setdefault(t.name, []).append(t)
    openers = list(stack)
    for name, ts in toggles.items():
        if len(ts) % 2:
            openers.append(ts[-1])  # orientation is decided by the caller
    return closers, sorted(openers, key=lambda t: t.start)


_WIDEN = 16  # markup tokens right before / after a range that may be taken into it


def source_range(doc: Document, s: int, e: int) -> tuple[int, int, str, str]:
    """The source range to replace for prose range [s, e), and markup to keep before/after.

    Returns ``(start, end, before, after)``: the replacement is ``before + text + after``.
    """
    source = doc.source
    a, b = doc.source_span(s, e)
    fmt = doc.format
    if fmt not in ("html", "markdown"):
        return a, b, "", ""
    inside: list[_Tok] = []
    for ga, gb in _gaps(doc, s, e):
        inside.extend(_tokens(source, ga, gb, fmt))
    lo = doc.offsets.src_end(s - 1) if s > 0 else 0
    lo = min(lo, a)
    hi = doc.offsets.src_start(e) if e < len(doc.text) else len(source)
    hi = max(hi, b)
    # nearest first; at most _WIDEN tags on each side are tried (a page with thousands of tags
    # around a sentence would otherwise make the options below quadratic in number)
    lead = _adjacent(source, a, lo, fmt, backward=True)[:_WIDEN]
    trail = _adjacent(source, b, hi, fmt, backward=False)[:_WIDEN]
    options = sorted(((i, j) for i in range(len(lead) + 1) for j in range(len(trail) + 1)), key=lambda ij: (ij[0] + ij[1], ij))
    for i, j in options:
        toks = list(reversed(lead[:i])) + inside + trail[:j]
        closers, openers = _unmatched(toks)
        if not closers and not openers:
            return (lead[i - 1].start if i else a), (trail[j - 1].end if j else b), "", ""
    # still unbalanced: re-emit what crosses the boundary, outside the whitespace around the range
    closers, openers = _unmatched(inside)
    before = after = ""
    if fmt == "markdown":
        bstart = _block_of(doc, s)
        still_open = []
        for t in openers:
            if t.kind == "toggle":
                # toggles of this name earlier in the block (markup before the claim's start)
                n = bisect_right(_toggles_in_block(doc, bstart).get(t.name, ()), a)
                if n % 2:
                    closers.append(t)
                    continue
            still_open.append(t)
        openers = still_open
        closers.sort(key=lambda t: t.start)
    blk, blk_end = _block_bounds(doc, s)
    blk_lo = doc.offsets.src_start(blk)
    blk_hi = doc.offsets.src_end(blk_end - 1) if blk_end > 0 else len(source)
    if closers:
        a2 = a
        while a2 > blk_lo and source[a2 - 1] in " \t\r\n":
            a2 -= 1
        before = "".join(t.text for t in closers) + source[a2:a]
        a = a2
    if openers:
        b2 = b
        while b2 < blk_hi and source[b2] in " \t\r\n":
            b2 += 1
        after = source[b:b2] + "".join(t.text for t in openers)
        b = b2
    return a, b, before, after


_MEMO: list[Any] = [None, {}]  # (document, {what: value}) of the last call; see _memo


def _memo(doc: Document) -> dict[str, Any]:
    """What the rewrites of one document work out once and share (block starts, markup toggles,
    where its front matter ends): many findings in one long page would otherwise each redo it.
    Only the last document is remembered; attach_suggestions lets it go when it is done."""
    if _MEMO[0] is not doc:
        _MEMO[:] = [doc, {}]
    return _MEMO[1]


def _toggles_in_block(doc: Document, bstart: int) -> dict[str, list[int]]:
    """Markdown toggles (``*``, ``_``, ...) in the markup of the block starting at prose index
    ``bstart``, and right before it: name -> the source offsets where the markup holding each
    ends (-1 before the block), ascending. Worked out once per block, so that many findings in
    one long paragraph do not each walk its markup from the start."""
    known = _memo(doc).setdefault("toggles", {})
    found = known.get(bstart)
    if found is None:
        source, fmt = doc.source, doc.format
        first = doc.offsets.src_start(bstart)
        before_block = doc.offsets.src_end(bstart - 1) if bstart > 0 else 0
        found = {}
        for t in _adjacent(source, first, min(before_block, first), fmt, backward=True):
            if t.kind == "toggle":
                found.setdefault(t.name, []).append(-1)
        for ga, gb in _gaps(doc, bstart, _block_bounds(doc, bstart)[1]):
            for t in _tokens(source, ga, gb, fmt):
                if t.kind == "toggle":
                    found.setdefault(t.name, []).append(gb)
        known[bstart] = found
    return found



def _block_bounds(doc: Document, p: int) -> tuple[int, int]:
    """Prose range of the block that holds prose index ``p``."""
    memo = _memo(doc)
    starts = memo.get("starts")
    if starts is None or len(starts) != len(doc.blocks):
        starts = memo["starts"] = [blk.start for blk in doc.blocks]
    i = bisect_right(starts, p) - 1
    if i < 0:
        return 0, len(doc.text)
    return doc.blocks[i].start, doc.blocks[i].end


def _block_of(doc: Document, p: int) -> int:
    return _block_bounds(doc, p)[0]


def encode(text: str, fmt: str) -> str:
    """Text as source for ``fmt``: entity-encoded for HTML, escaped for Markdown."""
    if fmt == "html":
        return _html.escape(text, quote=False)
    if fmt == "markdown":
        return _MD_SPECIAL.sub(r"\\\1", text)
    return text


_MD_SPECIAL = regex.compile(r"([\\`*_\[\]<>|]|&(?=#?\w+;))")


def _position(doc: Document, offset: int) -> dict[str, int]:
    line, column = doc.lines.position(offset)
    return {"line": line, "column": column}


def make_suggestion(doc: Document, start: int, end: int, replacement: str) -> dict[str, Any]:
    return {
        "replacement": replacement,
        "start": _position(doc, start),
        "end": _position(doc, end),
        "applicability": APPLICABILITY,
    }


# --------------------------------------------------------------------------------------------
# Claim findings
# --------------------------------------------------------------------------------------------


def _sentence_span(doc: Document, finding: Finding, ruleset) -> tuple[int, int] | None:
    if finding.sentence_span is not None:
        return finding.sentence_span
    for block in doc.blocks:
        bs, be = doc.source_span(block.start, block.end)
        if not bs <= finding.offset < be:
            continue
        for s, e in ruleset.profile.sentences(doc.text, block.start, block.end):
            a, b = doc.source_span(s, e)
            if a <= finding.offset < b:
                return s, e
    return None


def _claim_position(doc: Document, s: int, e: int, offset: int) -> int:
    for p in range(s, e):
        if doc.offsets.src_end(p) > offset:
            return p - s
    return 0


_QUOTES = {"“": "”", "„": "“”", "«": "»", '"': '"', "‘": "’"}


def _whole_quote(doc: Document, s: int, e: int) -> tuple[int, int]:
    """Widen a sentence to the quotation it is part of: a testimonial is rewritten as a whole."""
    text = doc.text
    blk, blk_end = _block_bounds(doc, s)
    body = text[s:e].strip()
    if not body:
        return s, e
    lead = len(text[s:e]) - len(text[s:e].lstrip())
    opener = next((k for k, ch in enumerate(body) if ch in "“„«" or (ch == '"' and (k == 0 or body[k - 1] == " "))), None)
    if opener is not None and not any(c in body[opener + 1 :] for c in _QUOTES[body[opener]]):
        # "Reviews: “Sinds ik microdoseer, ... Aanrader!” – Marloes": from the opening quote to the closing one
        found = [i for i in (text.find(c, e, blk_end) for c in _QUOTES[body[opener]]) if i >= 0]
        if found:
            s = s + lead + opener
            e = min(found) + 1
            while e < blk_end and text[e] in ".,!?":
                e += 1
    elif body[-1] in "”»\"’":
        openers = [o for o, c in _QUOTES.items() if body[-1] in c]
        if not any(o in body[:-1] for o in openers):
            starts = [text.rfind(o, blk, s) for o in openers]
            if max(starts, default=-1) >= 0:
                s = max(starts)
    return s, e


def _narrow(sentence: str, claim_at: int) -> tuple[int, int] | None:
    """The part of an unpunctuated sentence that holds the claim: its line, or its title segment."""
    if _TERMINAL.search(sentence) is not None:
        return None
    a, b = 0, len(sentence)
    if "\n" in sentence.rstrip():
        # lines that the splitter kept together ("✓ Verlost je van angst" / "✓ Meer focus")
        a = sentence.rfind("\n", 0, claim_at) + 1
        nl = sentence.find("\n", claim_at)
        b = len(sentence) if nl < 0 else nl
        while b > a and sentence[b - 1] in " \t\r":
            b -= 1
    cuts = list(_SEGMENT.finditer(sentence, a, b))
    if cuts:  # a title of parts: "Magic Truffels Kopen | Het wondermiddel voor je brein"
        starts = [a] + [m.end() for m in cuts]
        ends = [m.start() for m in cuts] + [b]
        for sa, sb in zip(starts, ends):
            if sa <= claim_at < sb or sb == b:
                a, b = sa, sb
                break
    return (a, b) if (a, b) != (0, len(sentence)) else None


_SPACE = regex.compile(r"\s")  # what \s in _FRAGMENT_QUESTION matches


def _fragment_question(text: str, b: int, s: int):
    """``_FRAGMENT_QUESTION.search(text[b:s])``, looking only at the end of that range (it is the
    prose of a block before a sentence: searching it all for every finding of a long paragraph
    was quadratic).

    A match ends with a "?" that is the last non-space character, and its group holds at most 60
    characters before it: a search of ``text[w:s]`` gives the same match once ``w`` is 61
    characters before that "?" (then ``^`` cannot match at ``w``), moved back over spaces to the
    character before them (a match starting further back would need the spaces after its
    punctuation to run across that character)."""
    k = s
    while k > b and _SPACE.match(text, k - 1):
        k -= 1
    if k == b or text[k - 1] != "?":
        return None
    w = k - 1 - 61
    if w > b and _SPACE.match(text, w):
        while w > b and _SPACE.match(text, w - 1):
            w -= 1
        if w > b:
            w -= 1
    return _FRAGMENT_QUESTION.search(text[max(w, b) : s])


def suggest(doc: Document, finding: Finding, ruleset, *, profile: str = "default",
            rulesets_dir: str | None = None) -> dict[str, Any] | None:
    """The suggestion for one claim finding, or None when no rewrite fits."""
    rws = rewrite_set(ruleset)
    if rws is None:
        return None
    span = _sentence_span(doc, finding, ruleset)
    if span is None:
        return None
    s, e = span
    sentence = doc.text[s:e]
    flat = " ".join(sentence.split())
    context = ""
    if flat != finding.sentence:
        # judged together with the sentence before it: a fragment question it answers
        # ("Bijwerkingen? Die kent onze olie niet.") -- a list lead-in ("helpen bij:") is not rewritten
        lead = finding.sentence[: -len(flat)].rstrip() if finding.sentence.endswith(flat) else ""
        if not lead.endswith("?"):
            return None
        context = lead
    wrap_lead = context + " " if context else ""
    if not context:  # "Pregnant? Our tea is perfectly safe.": the question tells which variant fits
        q = _fragment_question(doc.text, _block_of(doc, s), s)
        if q and len(q.group(1).split()) <= 4:
            context = q.group(1)
        # the engine reads a short rewrite as the answer to a question right before it
        # ("Bijwerkingen? Geen vervanging voor professionele hulp." is a new claim): the rewrite
        # must lint clean after that question (unless the question is a claim itself, and rewritten)
        start = max(_block_of(doc, s), s - 300)
        prev = ruleset.profile.sentences(doc.text, start, s)
        question = doc.text[prev[-1][0] : prev[-1][1]] if prev else ""
        if question.rstrip().endswith("?") and _lints_clean(question, finding.lang or rws.lang, profile, rulesets_dir):
            wrap_lead = question + " "
    claim_at = _claim_position(doc, s, e, finding.offset)
    s, e = _whole_quote(doc, s, e)
    if doc.text[s:e] != sentence:
        claim_at = _claim_position(doc, s, e, finding.offset)
        sentence = doc.text[s:e]
    att = _ATTRIBUTION.match(doc.text, e)
    as_sentence = False
    if att and "\n\n" not in att.group():
        # "“...gewoon verdwenen.” – Fleur, 26": the rewrite is ours, not Fleur's
        as_sentence = _TERMINAL.search(sentence) is not None
        e = att.end()
        sentence = doc.text[s:e]
    attempts = []
    part = _narrow(sentence, claim_at)
    lang = finding.lang or rws.lang
    if part is not None and _lints_clean(wrap_lead + sentence[: part[0]] + sentence[part[1] :], lang, profile, rulesets_dir):
        pa, pb = part  # only when the rest is fine on its own: "BINNEN 10 MINUTEN ZEN – GEGARANDEERD" is one claim
        attempts.append((pa, pb, (wrap_lead + sentence[:pa], sentence[pb:])))
    attempts.append((0, len(sentence), (wrap_lead, "")))
    for pa, pb, wrap in attempts:
        rw = rewrite_sentence(sentence[pa:pb], finding, rws, claim_at=claim_at - pa, profile=profile,
                              rulesets_dir=rulesets_dir, wrap=wrap, context=context,
                              heading=False if as_sentence else None)
        if rw is None:
            continue
        a, b, before, after = source_range(doc, s + pa + rw.start, s + pa + rw.end)
        return make_suggestion(doc, a, b, before + encode_at(doc, a, rw.text) + after)
    return None


_FRONT_MATTER = regex.compile(r"\A---[ \t]*\r?\n.*?(?:\r?\n|\r)(?:---|\.\.\.)[ \t]*(?:\r?\n|\r|\Z)", regex.DOTALL)
_YAML_KEY = regex.compile(r"[ \t]*(?:-[ \t]+)?[^\s:#][^:\r\n]*:[ \t]+")


def _front_matter_end(doc: Document) -> int:
    """Where the front matter of a Markdown page ends (-1 without one), worked out once per
    page: a page opening with "---" and no closing line made each finding scan it all."""
    memo = _memo(doc)
    end = memo.get("front_matter_end")
    if end is None:
        fm = _FRONT_MATTER.match(doc.source)
        end = memo["front_matter_end"] = fm.end() if fm else -1
    return end


def encode_at(doc: Document, pos: int, text: str) -> str:
    """``text`` as source at ``pos``: in an HTML attribute, in Markdown front matter, or as prose."""
    source = doc.source
    if doc.format == "html":
        lt, gt = source.rfind("<", 0, pos), source.rfind(">", 0, pos)
        if lt > gt:  # inside a tag: an attribute value (meta description, alt, title)
            return _html.escape(text, quote=True)
        return encode(text, "html")
    if doc.format == "markdown":
        if pos < _front_matter_end(doc):
            line_start = max(source.rfind("\n", 0, pos), source.rfind("\r", 0, pos)) + 1
            key = _YAML_KEY.match(source, line_start)
            value_start = key.end() if key and key.end() <= pos else line_start
            quote = source[value_start] if value_start < len(source) else ""
            if quote == '"':
                return text.replace("\\", "\\\\").replace('"', '\\"')
            if quote == "'":
                return text.replace("'", "''")
            return text.replace(": ", " – ").replace(" #", " ")  # a plain scalar
    return encode(text, doc.format)


# --------------------------------------------------------------------------------------------
# Disclaimer paragraphs
# --------------------------------------------------------------------------------------------


def _newline(source: str) -> str:
    style = detect_newline(source)
    if style != "mixed":
        return style
    m = _LAST_NEWLINE.search(source)
    return m.group() if m else "\n"


_LAST_NEWLINE = regex.compile(r"\r\n|\r|\n", flags=regex.REVERSE)


def _doc_product(doc: Document, rws: RewriteSet) -> Phrase | None:
    lex = getattr(rws, "lexicons", None)
    if lex is None:
        return None
    found = lex.first("product", _normalise(doc.text))
    if found is None:
        return None
    a, b = found
    at_start = a == 0 or doc.text[max(0, a - 2) : a].strip() in ("", ".", "!", "?") and (a < 2 or not doc.text[a - 1].isalnum())
    return _phrase("product", doc.text[a:b], rws.grammar, at_start, False)


def disclaimer_paragraph(doc: Document, elements: list[str], rws: RewriteSet,
                         products: dict[str, str] | None = None) -> str | None:
    """Plain text of one paragraph covering ``elements`` (those with a sentence in the data).

    ``products`` maps an element to the words that mention its topic (a missing_disclaimer finding
    points at the topic's first mention): "Truffels zijn geen behandeling ..." on a page that also
    sells CBD oil. Otherwise the document's first product word, else the default.
    """
    g = rws.grammar
    fallback = _doc_product(doc, rws)
    base = {slot: _default_phrase(rws, slot) for slot in SLOTS}
    prose = " ".join(doc.text.split())
    parts = []
    wanted = set(elements)
    for name in rws.disclaimer.order:
        if name not in wanted:
            continue
        values = dict(base)
        words = _strip_tags((products or {}).get(name, ""))
        if words and getattr(rws, "lexicons", None) is not None and rws.lexicons.find("product", _normalise(words)):
            values["product"] = _phrase("product", words, g, True, False)
        elif fallback is not None:
            values["product"] = fallback
        sentence = _capitalise_sentences(_tidy(rws.disclaimer.elements[name].render(values)))
        if sentence in prose:
            continue  # inserted by an earlier run and not recognised: never insert it twice
        parts.append(sentence)
    return " ".join(parts) if parts else None


_CLOSERS = ("main", "body", "html")
_CLOSER_TAGS = {name: regex.compile(rf"</{name}\s*>", regex.IGNORECASE) for name in _CLOSERS}


def _insertions(doc: Document, block: str, nl: str):
    """Where the paragraph may go, best first: (offset, the exact text to insert there)."""
    source = doc.source
    if doc.format == "html":
        comments = _comments(source)
        for name in _CLOSERS:
            matches = [m for m in _CLOSER_TAGS[name].finditer(source) if not _in(comments, m.start())]
            for m in reversed(matches[-3:]):
                pos = m.start()
                line_start = max(source.rfind("\n", 0, pos), source.rfind("\r", 0, pos)) + 1
                indent = source[line_start:pos]
                if indent.strip() == "":
                    unit = "\t" if "\t" in indent else "  "
                    yield line_start, f"{indent}{unit}{block}{nl}"
                else:
                    yield pos, block
    end = len(source)
    if not source.strip():
        yield end, block + nl
    elif source.endswith(nl + nl) or source.endswith("\n\n") or source.endswith("\r\n\r\n"):
        yield end, block + nl
    elif source.endswith(("\n", "\r")):
        yield end, nl + block + nl
    else:
        yield end, nl + nl + block + nl


def _reads_well(doc: Document, pos: int, insert: str, text: str) -> bool:
    """Is the page, with ``insert`` at ``pos``, read as before plus the paragraph ``text``? Not
    when it would land inside an unclosed comment, script, textarea or code block (a second run
    would then add it again), nor when it would complete a broken tag before it."""
    from collections import Counter

    from .documents import load_document

    new = load_document(doc.source[:pos] + insert + doc.source[pos:], doc.format)
    paragraph = " ".join(text.split())
    if paragraph not in " ".join(new.text.split()):
        return False
    before = Counter(doc.text[b.start : b.end] for b in doc.blocks)
    after = Counter(new.text[b.start : b.end] for b in new.blocks)
    return not before - after and all(" ".join(b.split()) in paragraph for b in after - before)


_DASH_LINE = regex.compile(r"(?:^|[\r\n])-{3,}[ \t]*(?:[\r\n]|$)")  # a line of dashes, whatever the line ends


def _tail_reads_well(doc: Document, pos: int, insert: str, text: str) -> bool:
    """A cheap sufficient check for :func:`_reads_well` of a Markdown page with ``insert``
    appended: parse only the source from where the last top-level block starts
    (``doc.meta["tail"]``) with the insertion, and require exactly the old page's blocks from
    there plus one block that is the paragraph. False means "not shown": ask the full check.

    Everything above the tail parses as before (its blocks are closed before the tail; the
    insertion defines no link reference, see below), so the whole new page then reads as the old
    one plus the paragraph. A reference defined above the tail and used below makes the tail
    read differently (``[x][ref]`` stays as written), which fails the check."""
    from .documents import load_document

    tail = doc.meta.get("tail")
    source = doc.source
    if doc.format != "markdown" or not isinstance(tail, int) or not 0 < tail <= pos \
            or pos != len(source) or "]:" in insert or source.startswith("---", tail) \
            or (source.startswith("---") and _DASH_LINE.search(insert)):
        # tail 0: the cheap parse would be the whole parse; "]:" could define a reference that
        # changes a link above; "---" at the tail could be read as front matter, and so could
        # the page from its first line when that is "---" and the insertion has such a line
        # (it would close the front matter: "---\n\nText" + "...\n---")
        return False
    new = load_document(source[tail:pos] + insert, "markdown")
    if "tail" not in new.meta:  # read as plain text (nesting too deep)
        return False
    src_start = doc.offsets.src_start  # == doc.source_span(b.start, b.end)[0]
    old_texts = [doc.text[b.start : b.end] for b in doc.blocks if src_start(b.start) >= tail]
    new_texts = [new.text[b.start : b.end] for b in new.blocks]
    return len(new_texts) == len(old_texts) + 1 and new_texts[:-1] == old_texts \
        and " ".join(new_texts[-1].split()) == " ".join(text.split())


_HTML_SPACE = regex.compile(r"[\t\n\f\r ]*+")


def _html_reads_well(doc: Document, pos: int, insert: str, text: str) -> bool:
    """A cheap sufficient check for :func:`_reads_well` of an HTML page with ``insert`` at ``pos``
    (before a closing main/body/html tag, or at the end). False means "not shown": ask the
    full check.

    The walker recorded its state where its main loop met that closing tag (or the end of the
    input): the start of the text run before it, the stack of open elements and the sink's block
    state (``doc.meta["checkpoints"]``, see ``HtmlWalker.checkpoints``). A walker resumed from that
    state reads the short snippet from the text run through the closing tag twice, as it was and
    with the insertion. The page before the snippet reads as before: its lexing never looks past
    the snippet's start, and its look-ahead (is a ``<code>`` closed later?) finds the same end
    tags, as the insertion holds none. When both reads end in the same state (the same open
    elements, no block open), the page after the snippet reads as before too. So if the blocks
    read are the old ones plus one that is the paragraph, the whole new page is the old one plus
    the paragraph."""
    from .documents.html import HtmlWalker, ProseSink
    from .models import DocumentBuilder

    checkpoints = doc.meta.get("checkpoints")
    if doc.format != "html" or not checkpoints:
        return False
    source = doc.source
    at = _HTML_SPACE.match(source, pos).end()  # the closing tag (or the end) after the insertion's line start
    state = checkpoints.get(at)
    if state is None:
        return False
    text_start, end_at, stack, has_text, kind, lang, held, br_pending = state
    if not text_start <= pos or held or br_pending or has_text:
        return False
    if text_start == end_at == len(source):
        return False  # the last token may have run to the end of the input (an unclosed comment or
        # script): then it would take the insertion too

    def read(snippet: str):
        b = DocumentBuilder(snippet, "html")
        sink = ProseSink(b)
        walker = HtmlWalker(snippet, sink)
        walker.stack = list(stack)
        counts: dict[str, int] = {}
        for entry in stack[1:]:
            counts[entry[0]] = counts.get(entry[0], 0) + 1
        walker.counts = counts
        walker.run()
        # the snippet ends with the closing tag (or is the end of the page): the walk must have
        # reached its end (an unfinished tag stops it) without looking ahead
        if len(snippet) not in walker.checkpoints or walker._next_end:
            return None
        if end_at == len(source):
            sink.end_block()  # the end of the page
        # (the block kind and language left in the sink only matter while a block is open)
        state = (walker.stack, sink.has_text, walker.doc_lang, walker.content_language)
        read = b.build()
        return state, [read.text[blk.start : blk.end] for blk in read.blocks]

    snippet = source[text_start:pos] + insert + source[pos:end_at]
    if _html_end_tags().search(snippet):
        return False  # it could change what "is this element closed later?" finds before it
    old = read(source[text_start:end_at])
    new = read(snippet)
    if old is None or new is None or old[0] != new[0] or new[0][1]:
        return False
    from collections import Counter

    added = Counter(new[1])
    added.subtract(old[1])
    if any(v < 0 for v in added.values()) or sum(added.values()) != 1:
        return False
    block = next(k for k, v in added.items() if v)
    return " ".join(block.split()) == " ".join(text.split())


@lru_cache(maxsize=1)
def _html_end_tags():
    """The end tags the HTML walker searches ahead for (``_END_OF``), as one pattern."""
    import re

    from .documents.html import _END_OF

    return re.compile("|".join(f"(?:{p.pattern})" for p in _END_OF.values()), re.IGNORECASE)


def _comments(source: str) -> list[int]:
    """Where HTML comments start and end, flattened: [start, end, start, end, ...], ascending.
    (One pass: asking "is this in a comment?" by searching back from each position would be
    quadratic on a page with many closing tags.)"""
    out: list[int] = []
    pos = source.find("<!--")
    while pos >= 0:
        end = source.find("-->", pos)  # "<!-->" is a whole (empty) comment
        if end < 0:
            out += [pos, len(source) + 1]
            break
        out += [pos, end + 3]
        pos = source.find("<!--", end + 3)
    return out


def _in(comments: list[int], pos: int) -> bool:
    """Is ``pos`` inside one of the ``comments`` (see :func:`_comments`)?"""
    return bisect_right(comments, pos) % 2 == 1


_FENCE = regex.compile(r"^ {0,3}(`{3,}|~{3,})([^\n]*)", regex.MULTILINE)


def _open_fence(source: str) -> bool:
    """Does a Markdown text end inside a fenced code block (where an appended paragraph would be code)?"""
    fence = None
    for m in _FENCE.finditer(source):
        run = m.group(1)
        if fence is None:
            fence = run
        elif run[0] == fence[0] and len(run) >= len(fence) and not m.group(2).strip():
            fence = None  # a closing fence: the same character, at least as long, nothing after it
    return fence is not None


def disclaimer_suggestion(doc: Document, missing: list[Finding], rws: RewriteSet) -> dict[str, Any] | None:
    if doc.format == "markdown" and _open_fence(doc.source):
        return None  # the paragraph would land inside the unclosed code block
    elements = [f.element for f in missing if f.element]
    products = {f.element: _rendered(f.text, doc.format) for f in missing if f.element}
    text = disclaimer_paragraph(doc, elements, rws, products)
    if text is None:
        return None
    fmt = doc.format
    wrapper = rws.disclaimer.wrappers.get(fmt, "{text}")
    block = wrapper.replace("{text}", encode(text, fmt))
    nl = _newline(doc.source)
    block = block.replace("\r\n", "\n").replace("\n", nl)
    for pos, insert in _insertions(doc, block, nl):
        if _tail_reads_well(doc, pos, insert, text) or _html_reads_well(doc, pos, insert, text) \
                or _reads_well(doc, pos, insert, text):
            return make_suggestion(doc, pos, pos, insert)
    return None  # nowhere a reader would see it


# --------------------------------------------------------------------------------------------
# Entry point (called by the engine)
# --------------------------------------------------------------------------------------------


def attach_suggestions(doc: Document, findings: list[Finding], rulesets: dict, doc_lang: str, *,
                       profile: str = "default", rulesets_dir: str | None = None) -> None:
    """Fill ``suggestion`` of every finding that has none yet (in place)."""
    missing: list[Finding] = []
    for f in findings:
        if f.suggestion is not None:
            continue
        if f.category == "missing_disclaimer":
            missing.append(f)
            continue
        ruleset = rulesets.get(f.lang or doc_lang)
        if ruleset is None:
            continue
        try:
            f.suggestion = suggest(doc, f, ruleset, profile=profile, rulesets_dir=rulesets_dir)
        except DataError:
            raise
        except Exception:  # noqa: BLE001 - a rewrite must never cost the user the finding itself
            f.suggestion = None
    _MEMO[:] = [None, {}]
    if missing:
        lang = missing[0].lang or doc_lang
        ruleset = rulesets.get(lang)
        rws = rewrite_set(ruleset) if ruleset is not None else None
        if rws is not None:
            suggestion = disclaimer_suggestion(doc, missing, rws)
            if suggestion is not None:
                missing[0].suggestion = suggestion
