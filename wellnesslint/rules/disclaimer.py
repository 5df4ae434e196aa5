"""Document checks: required disclaimer elements per topic, and research reports without a source.

Claim rules judge one sentence at a time. The checks here need the whole page:

**Topics** (``topics:`` in any ``rulesets/<lang>/*.yaml``). A topic (psilocybin, supplement, coaching)
is mentioned when one of its ``triggers`` occurs anywhere in the document, unless the mention says
the page is not about it: a negator just before it in its clause, at most one word between
("contains no psilocybin", "dit is
geen microdosing", "without truffles") or "-free"/"-vrij" after it ("psilocybin-free"). Each topic lists the
disclaimer *elements* it requires; every required element the document does not carry gets one
``missing_disclaimer`` finding (rule id and message of that element), placed at the topic's first
mention. A page that never mentions a topic gets no disclaimer finding.

**Elements are detected from cues, not keywords.** An element is present when some sentence holds
one of its cues: a *subject* (lithium, psychosis, pregnancy, doctor, therapy, ...) together with a
warning or advice *predicate* (niet combineren, overleg, vervangt geen / do not combine, talk to,
not a substitute). The predicate may sit in the sentence itself or in the sentence's context:

- the lead-in of a list ("Niet gebruiken als je:" followed by list items), or any block that ends
  with a colon for the block after it;
- the heading above a list, a table or the first paragraph of a section ("Who shouldn't microdose?");
- the other cells of a table row, and the table's header row ("Contra-indicaties");
- the previous sentence, when the sentence refers back to it ("Hetzelfde geldt als je zwanger bent")
  or when the previous sentence is a question ("Gebruik je medicatie? Overleg dan met je arts.").

Context works both ways (a subject in a heading, a predicate in the paragraph under it). A sentence
never counts when

- a claim rule flags it (``engine.judge_sentence``): "You can keep taking your SSRIs - zero risk";
- it matches one of the ruleset's ``dismissals`` (reassurances: "gerust combineren met je medicatie",
  "Psychosis? Not an issue", "a real alternative to therapy", "niet meer nodig");
- it is a question, or a bibliography entry;
- its predicate is negated: a negator just before it in the same clause ("hoeft niet te overleggen",
  "you don't need to ask") or inside its gap ("raden het niet af"). ``double_negation`` patterns
  ("never ... without") cancel the negators they cover.

A cue with a ``window`` needs predicate and subject close together in one sentence, in the given
order ("geen vervanging voor therapie", not "geen vervanging voor een gevarieerd voedingspatroon;
raadpleeg je arts"). A lexicon entry may combine lexicons ("{consult}{gap6}{professional}": advice
to consult, about a professional), so a cue can ask for three things at once.

Disclaimers only add coverage: they never remove a claim finding.

**Research reports without a source** (``disclaimers: research:``, rule WL410). A sentence that
reports research results, even hedged ("voorlopige studies wijzen op mogelijke voordelen"), is an
``evidence_claim`` when neither the sentence nor its block carries a citation: a footnote marker
([1], ¹, a trailing digit, ``<sup>`` or a Markdown footnote in the block's source), a link to a
journal, doi.org, PubMed or PMC (``citation_links``), or an author-year reference ("(Polito, 2024)",
"Szigeti et al. (2021)"). Naming an institution is not a citation. Sentences a claim rule already
flags ("onderzoek toont aan") keep that finding and get no second one.

Schema (per language folder; all patterns are regexes, ``{name}`` refers to ``disclaimers.lexicons``,
``{gap}``/``{gapN}`` lets up to 5/N words sit in between)::

    disclaimers:
      lexicons: {name: [pattern, ...]}
      negators: [pattern]          # negators besides the language profile's (zonder)
      double_negation: [pattern]   # negators inside a match do not negate
      dismissals: [pattern]        # a sentence with one of these never counts as a disclaimer
      anaphora: [pattern]          # the sentence refers back to the previous one
      citation_links: [pattern]    # hosts/paths of links that count as a citation
      research: [rule]             # pair rules (see ruleset.py) judged with paragraph context
    topics:
      - id: psilocybin
        name: ...
        triggers: [pattern]
        elements:
          - element: not_a_substitute
            id: WL601
            severity: warning
            message / rationale / references
            cues: [{subjects: [..], predicates: [..], window: 8, order: predicate_first}]
            examples: {present: [document, ...], missing: [document, ...]}
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

import regex

from ..claims import SentenceContext, has_citation, stands
from ..engine import _finding, is_reference_entry, judge_sentence, normalise
from ..lazyre import LazyPattern
from ..models import SEVERITIES, Document, Finding
from ..ruleset import Rule, Ruleset, build_rule
from ..yamlload import DataError, LDict, LList
from .base import _REF, compile_pattern, expand, match_candidate
from .pair import PairMatcher

CATEGORY = "missing_disclaimer"
ORDERS = ("any", "predicate_first", "subject_first")

DISCLAIMER_KEYS = {
    "lexicons": "named lists of patterns, referenced as {name} in topics and research rules",
    "negators": "extra negators besides the language profile's",
    "double_negation": "patterns whose negators cancel out ('never ... without')",
    "dismissals": "reassurances: a sentence with one never counts as a disclaimer element",
    "anaphora": "patterns that make a sentence refer back to the previous one",
    "citation_links": "patterns for link targets that count as a citation",
    "research": "rules (kind pair) for research reports that need a source",
}
TOPIC_KEYS = {
    "id": "topic id, lowercase (required)",
    "name": "human-readable name (required)",
    "triggers": "patterns that mention the topic (required)",
    "elements": "the disclaimer elements the topic requires (required)",
}
ELEMENT_KEYS = {
    "element": "element id, lowercase with underscores (required)",
    "id": "rule code, WL followed by three digits (required)",
    "name": "short kebab-case name",
    "severity": f"one of {', '.join(SEVERITIES)} (default warning)",
    "message": "what the finding says, in the ruleset's language (required)",
    "rationale": "why it matters: legal basis and evidence (required)",
    "references": "list of URLs or citations (required)",
    "cues": "list of cues: subjects + predicates (required)",
    "examples": "mapping with `present` and `missing` lists of short documents (required)",
}
CUE_KEYS = {
    "subjects": "patterns for what the warning is about (required)",
    "predicates": "warning or advice patterns (required)",
    "window": "if set: predicate and subject in one sentence, at most this many words apart",
    "order": f"with a window: {', '.join(ORDERS)} (default any)",
}

_WORD = LazyPattern(r"[\w'’-]+")
_NEG_WORDS = 3  # a negator at most this many words before a predicate negates it

# Citations in the prose besides claims.has_citation: footnote digits inside a paragraph
# ("beperkingen.1 Volgende zin"), author-year forms with et al./two authors, several references.
_PROSE_CITATION = LazyPattern(
    r"(?<=[^\W\d_]{2}[.!?,;:)])\d{1,2}(?=\s+\p{Lu}|\s*$)"
    r"|\b\p{Lu}[\w'’-]+(?: et al\.?|,? (?:&|and|en) \p{Lu}[\w'’-]+),? \(?(?:19|20)\d\d[a-z]?\)?"
    r"|\((?:[^()]{0,60}?\b\p{Lu}[\w'’-]+(?: et al\.?)?,? (?:19|20)\d\d[a-z]?[;,]?\s*)+\)"
)
# Citations only visible in the source: <sup> footnote numbers, Markdown footnote references.
_SOURCE_CITATION = LazyPattern(
    r"<sup\b[^>]*>\s*(?:<a\b[^>]*>\s*)?\[?\d{1,3}|\[\^[^\]\s]+\](?!:)", regex.IGNORECASE
)
_URL = LazyPattern(r"""(?:https?:)?//[^\s"'<>)\]]+|\bdoi:\s*10\.\d+/\S+""", regex.IGNORECASE)
_TR = LazyPattern(r"<tr\b", regex.IGNORECASE)
# a topic mention that denies the topic: "psilocybin-free", "psilocybine vrij"
_FREE_OF = LazyPattern(r"[-\s]?(?:free|vrij)\b", regex.IGNORECASE)
_CLAUSE_END = LazyPattern(r"[.;:!?,()\n]")
_MENTION_LOOKBACK = 80  # characters before a mention searched for its clause's negator
# a negator denies a mention with at most one word between ("geen psilocybine", "don't use
# truffles"); further away it negates something else ("no way a microdose could ...", "het is
# geen geheim dat psilocybine ...")
_DENIAL_WORDS = 2
_CELL_TAG = LazyPattern(r"<(t[hd])\b", regex.IGNORECASE)
RESEARCH = "research"  # first part of the trigger keys of research rules (see DocumentChecks)
# a character the trigger scan counts as part of a word before a stem (its word test is
# str.isalnum, as stdlib re counts word characters): a sentence that follows one is scanned on its
# own (see _Page.selection)
_WORDISH = re.compile(r"[\w'’]")
# trigger -> {sentence text: what it selects there}, kept across pages (see _Page.selection)
_SELECTIONS: weakref.WeakKeyDictionary[Any, dict[str, frozenset]] = weakref.WeakKeyDictionary()
_MEMO_SIZE = 4_096  # texts remembered per trigger, then it starts over: boilerplate fits, memory stays small


# ----------------------------------------------------------------------------------------------
# Compiled data
# ----------------------------------------------------------------------------------------------


@dataclass
class Cue:
    """A subject pattern and a predicate pattern that together say an element (a pair within ``window``)."""

    subjects: regex.Pattern[str]
    predicates: regex.Pattern[str]
    window: int | None = None
    pair: PairMatcher | None = None


@dataclass
class Element:
    """One required disclaimer element; also the 'rule' of its missing_disclaimer findings."""

    element: str
    id: str
    name: str
    severity: str
    message: str
    rationale: str
    references: list[str]
    cues: list[Cue]
    examples_present: list[str]
    examples_missing: list[str]
    topic: str
    lang: str
    path: str
    line: int
    category: str = CATEGORY


@dataclass
class Topic:
    """A page topic (psilocybin, ...) found by ``triggers``, with the safety elements it needs."""

    id: str
    name: str
    triggers: regex.Pattern[str]
    elements: list[Element]
    path: str
    line: int


@dataclass
class DocumentChecks:
    """Everything the document checks need from one language folder."""

    lang: str
    topics: dict[str, Topic] = field(default_factory=dict)
    negators: regex.Pattern[str] | None = None
    double_negation: regex.Pattern[str] | None = None
    dismissals: regex.Pattern[str] | None = None
    anaphora: regex.Pattern[str] | None = None
    citation_links: regex.Pattern[str] | None = None
    research: list[Rule] = field(default_factory=list)
    # trigger stems (trigger.py): which cues can hold in a sentence, which topics a block can mention;
    # cue_trigger also tells which research rules can find something there (keys RESEARCH, rule
    # id, pattern kind, index: one scan of a sentence serves both checks), research_trigger only that
    cue_trigger: Any = None
    topic_trigger: Any = None
    research_trigger: Any = None

    def element(self, element_id: str) -> Element | None:
        for topic in self.topics.values():
            for el in topic.elements:
                if el.element == element_id:
                    return el
        return None


def _line(node: Any, key: str | int | None = None) -> int | None:
    if key is not None and isinstance(node, (LDict, LList)):
        return node.line_of(key)  # type: ignore[arg-type]
    return getattr(node, "line", None)


def _check_keys(node: Any, allowed: dict[str, str], path: str, where: str) -> LDict:
    if not isinstance(node, LDict):
        raise DataError(path, _line(node), where, "must be a mapping")
    for key in node:
        if key not in allowed:
            raise DataError(path, node.line_of(str(key)), f"{where}.{key}",
                            f"unknown key (allowed: {', '.join(allowed)})")
    return node


def _str(node: LDict, key: str, path: str, where: str, required: bool = True) -> str:
    if key not in node:
        if required:
            raise DataError(path, node.line, f"{where}.{key}", "required key is missing")
        return ""
    val = node[key]
    if not isinstance(val, str) or not val.strip():
        raise DataError(path, node.line_of(key), f"{where}.{key}", "must be a non-empty string")
    return val


def _strings(node: LDict, key: str, path: str, where: str, required: bool = True) -> LList | None:
    if key not in node:
        if required:
            raise DataError(path, node.line, f"{where}.{key}", "required key is missing")
        return None
    val = node[key]
    if not isinstance(val, LList) or not val or not all(isinstance(v, str) and v.strip() for v in val):
        raise DataError(path, node.line_of(key), f"{where}.{key}", "must be a non-empty list of strings")
    return val


def _pattern(items: LList, lexicons: dict[str, list[str]], path: str, where: str) -> regex.Pattern[str]:
    """One pattern from a list of fragments; each fragment is checked on its own for a precise line."""
    for i, item in enumerate(items):
        compile_pattern(item, lexicons, (path, items.line_of(i), where))
    return compile_pattern("|".join(f"(?:{p})" for p in items), lexicons, (path, items.line, where))


def _trigger_pattern(items: LList, lexicons: dict[str, list[str]], path: str, where: str) -> regex.Pattern[str]:
    """Like _pattern, but the first part of a compound counts too ("Microdosing-pakket", "CBD-olie")."""
    _pattern(items, lexicons, path, where)  # validation with precise lines
    src = expand("|".join(f"(?:{p})" for p in items), lexicons, (path, items.line, where))
    return regex.compile(rf"(?<![\w'’])(?:{src})(?!\w)", regex.IGNORECASE)


def _plain_pattern(items: LList, path: str, where: str) -> regex.Pattern[str]:
    """Fragments without lexicons or word boundaries (cues that contain punctuation)."""
    for i, item in enumerate(items):
        try:
            regex.compile(item)
        except regex.error as exc:
            raise DataError(path, items.line_of(i), where, f"invalid pattern {item!r}: {exc}") from None
    return regex.compile("|".join(f"(?:{p})" for p in items), regex.IGNORECASE)


def _load_lexicons(node: Any, path: str, into: dict[str, list[str]]) -> None:
    if not isinstance(node, LDict):
        raise DataError(path, _line(node), "disclaimers.lexicons", "must be a mapping of name -> list of patterns")
    for name, items in node.items():
        where = f"disclaimers.lexicons.{name}"
        if not regex.fullmatch(r"[a-z][a-z_]*", str(name)) or str(name).startswith("gap"):
            raise DataError(path, node.line_of(str(name)), where, "lexicon names are lowercase words (not gap...)")
        if not isinstance(items, LList) or not items or not all(isinstance(i, str) and i for i in items):
            raise DataError(path, node.line_of(str(name)), where, "must be a non-empty list of strings")
        for i, item in enumerate(items):
            try:
                regex.compile(item)
            except regex.error as exc:
                raise DataError(path, items.line_of(i), where, f"invalid pattern {item!r}: {exc}") from None
        into.setdefault(str(name), []).extend(items)


def _resolve_lexicons(lexicons: dict[str, list[str]], path: str) -> dict[str, list[str]]:
    """Expand {gapN} and {other_lexicon} inside lexicon entries (rule patterns only expand one level)."""
    out = {name: list(items) for name, items in lexicons.items()}
    for _ in range(5):  # nested references, a few levels deep at most
        changed = False
        for name, items in out.items():
            for i, item in enumerate(items):
                if "{" in item and _REF.search(item):
                    others = {k: v for k, v in out.items() if k != name}
                    items[i] = expand(item, others, (path, None, f"disclaimers.lexicons.{name}"))
                    changed = True
        if not changed:
            return out
    raise DataError(path, None, "disclaimers.lexicons", "lexicons refer to each other in a cycle")


def _build_cue(node: Any, lexicons: dict[str, list[str]], path: str, where: str) -> Cue:
    node = _check_keys(node, CUE_KEYS, path, where)
    subjects = _pattern(_strings(node, "subjects", path, where), lexicons, path, f"{where}.subjects")
    predicates = _pattern(_strings(node, "predicates", path, where), lexicons, path, f"{where}.predicates")
    window = node.get("window")
    if window is not None and (not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 20):
        raise DataError(path, node.line_of("window"), f"{where}.window", "must be a whole number from 0 to 20")
    order = node.get("order", "any")
    if order not in ORDERS:
        raise DataError(path, node.line_of("order"), f"{where}.order", f"must be one of {', '.join(ORDERS)}")
    if order != "any" and window is None:
        raise DataError(path, node.line_of("order"), f"{where}.order", "an order needs a window")
    pair = None
    if window is not None:
        pair_order = {"any": "any", "predicate_first": "predicate_first", "subject_first": "object_first"}[order]
        pair = PairMatcher([predicates], [subjects], window, pair_order)
    return Cue(subjects, predicates, window, pair)


def _build_element(node: Any, lexicons: dict[str, list[str]], topic: str, lang: str, path: str,
                   where: str) -> Element:
    node = _check_keys(node, ELEMENT_KEYS, path, where)
    element = _str(node, "element", path, where)
    if not regex.fullmatch(r"[a-z][a-z_]*", element):
        raise DataError(path, node.line_of("element"), f"{where}.element", f"{element!r} is not a lowercase id")
    where = f"{where}[{element}]"
    rid = _str(node, "id", path, where)
    if not regex.fullmatch(r"WL\d{3}", rid):
        raise DataError(path, node.line_of("id"), f"{where}.id", f"{rid!r} is not a rule code like WL601")
    severity = node.get("severity", "warning")
    if severity not in SEVERITIES:
        raise DataError(path, node.line_of("severity"), f"{where}.severity", f"must be one of {', '.join(SEVERITIES)}")
    cues_node = node.get("cues")
    if not isinstance(cues_node, LList) or not cues_node:
        raise DataError(path, node.line_of("cues"), f"{where}.cues", "must be a non-empty list of cues")
    cues = [_build_cue(c, lexicons, path, f"{where}.cues[{i}]") for i, c in enumerate(cues_node)]
    examples = node.get("examples")
    if not isinstance(examples, LDict):
        raise DataError(path, node.line_of("examples"), f"{where}.examples",
                        "needs examples with `present` and `missing` lists")
    _check_keys(examples, {"present": "", "missing": ""}, path, f"{where}.examples")
    return Element(
        element=element,
        id=rid,
        name=_str(node, "name", path, where, required=False) or element.replace("_", "-"),
        severity=severity,
        message=_str(node, "message", path, where),
        rationale=_str(node, "rationale", path, where),
        references=list(_strings(node, "references", path, where)),
        cues=cues,
        examples_present=list(_strings(examples, "present", path, f"{where}.examples")),
        examples_missing=list(_strings(examples, "missing", path, f"{where}.examples")),
        topic=topic,
        lang=lang,
        path=path,
        line=node.line,
    )


def _build_topic(node: Any, lexicons: dict[str, list[str]], lang: str, path: str, index: int) -> Topic:
    node = _check_keys(node, TOPIC_KEYS, path, f"topics[{index}]")
    tid = _str(node, "id", path, f"topics[{index}]")
    if not regex.fullmatch(r"[a-z][a-z_]*", tid):
        raise DataError(path, node.line_of("id"), f"topics[{index}].id", f"{tid!r} is not a lowercase id")
    where = f"topics[{tid}]"
    name = _str(node, "name", path, where)
    triggers = _trigger_pattern(_strings(node, "triggers", path, where), lexicons, path, f"{where}.triggers")
    items = node.get("elements")
    if not isinstance(items, LList) or not items:
        raise DataError(path, node.line_of("elements"), f"{where}.elements", "must be a non-empty list of elements")
    elements = [_build_element(e, lexicons, tid, lang, path, f"{where}.elements") for e in items]
    return Topic(tid, name, triggers, elements, path, node.line)


def build_checks(rs: Ruleset) -> DocumentChecks:
    """Validate and compile the ``disclaimers`` and ``topics`` sections of one language's ruleset."""
    checks = DocumentChecks(rs.lang)
    sections = rs.extra.get("disclaimers", [])
    lexicons: dict[str, list[str]] = {}
    for path, node in sections:
        node = _check_keys(node, DISCLAIMER_KEYS, path, "disclaimers")
        if "lexicons" in node:
            _load_lexicons(node["lexicons"], path, lexicons)
    lexicons = _resolve_lexicons(lexicons, sections[0][0] if sections else "disclaimers")
    lists: dict[str, list[str]] = {}
    research_nodes: list[tuple[str, Any]] = []
    for path, node in sections:
        for key in ("negators", "double_negation", "dismissals", "anaphora", "citation_links"):
            if key in node:
                items = _strings(node, key, path, "disclaimers")
                _plain_pattern(items, path, f"disclaimers.{key}")  # validate with the line of each item
                lists.setdefault(key, []).extend(items)
        if "research" in node:
            rules = node["research"]
            if not isinstance(rules, LList):
                raise DataError(path, node.line_of("research"), "disclaimers.research", "must be a list of rules")
            research_nodes.extend((path, r) for r in rules)
    for key, items in lists.items():
        setattr(checks, key, _words(items) if key in ("negators",) else
                regex.compile("|".join(f"(?:{p})" for p in items), regex.IGNORECASE))
    claim_ids = {r.id for r in rs.rules}
    seen: dict[str, str] = {}
    for path, node in research_nodes:
        rule = build_rule(node, {**rs.lexicons, **lexicons}, rs.lang, path)
        if rule.kind != "pair":
            raise DataError(path, rule.line, "disclaimers.research.kind", "research rules are of kind pair")
        _unique(rule.id, path, rule.line, claim_ids, seen)
        checks.research.append(rule)
    for path, items in rs.extra.get("topics", []):
        if not isinstance(items, LList):
            raise DataError(path, _line(items), "topics", "must be a list of topics")
        for i, node in enumerate(items):
            topic = _build_topic(node, lexicons, rs.lang, path, i)
            known = checks.topics.get(topic.id)
            if known is not None:  # a later file extends a topic: more triggers, added or replaced elements
                topic = _merge_topics(known, topic)
            checks.topics[topic.id] = topic
    elements: dict[str, str] = {}
    for topic in checks.topics.values():
        for el in topic.elements:
            _unique(el.id, el.path, el.line, claim_ids, seen, el.element)
            if elements.setdefault(el.element, topic.id) != topic.id:
                raise DataError(el.path, el.line, f"topics[{topic.id}].elements[{el.element}]",
                                f"element {el.element} is already required by topic {elements[el.element]}")
    _add_triggers(checks, rs.profile.function_words)
    return checks


def _add_triggers(checks: DocumentChecks, function_words: frozenset[str]) -> None:
    """Speed only: the checks skip sentences and blocks where none of a pattern's stems occur."""
    from ..ruleset import _gate
    from ..trigger import Trigger, pattern_keys, pattern_requirements

    _gate(checks.research, function_words)
    research = {(RESEARCH, r.id, kind, i): st for r in checks.research
                for (kind, i), st in pattern_keys(r.matcher, function_words).items()}
    cues = {}
    for topic in checks.topics.values():
        for el in topic.elements:
            for i, cue in enumerate(el.cues):
                # a cue holds in a sentence only if its subject or its predicate occurs there
                cues[(el.element, i, "s")] = pattern_requirements(cue.subjects.pattern, function_words)
                cues[(el.element, i, "p")] = pattern_requirements(cue.predicates.pattern, function_words)
    checks.cue_trigger = Trigger({**cues, **research})
    checks.research_trigger = Trigger(research)
    checks.topic_trigger = Trigger({tid: pattern_requirements(t.triggers.pattern, function_words)
                                    for tid, t in checks.topics.items()})


def _words(items: list[str]) -> regex.Pattern[str]:
    from ..language import words_pattern

    pat = words_pattern(items)
    assert pat is not None
    return pat


def _unique(rid: str, path: str, line: int, claim_ids: set[str], seen: dict[str, str], what: str = "") -> None:
    if rid in claim_ids:
        raise DataError(path, line, "id", f"rule id {rid} is already used by a claim rule")
    key = what or rid
    if rid in seen and seen[rid] != key:
        raise DataError(path, line, "id", f"duplicate rule id {rid}")
    seen[rid] = key


def _merge_topics(old: Topic, new: Topic) -> Topic:
    triggers = regex.compile(f"(?:{old.triggers.pattern})|(?:{new.triggers.pattern})", regex.IGNORECASE)
    elements = {e.element: e for e in old.elements}
    elements.update({e.element: e for e in new.elements})
    return Topic(old.id, new.name, triggers, list(elements.values()), new.path, new.line)


def checks_for(rs: Ruleset) -> DocumentChecks:
    """The compiled document checks of a ruleset (compiled once per loaded ruleset and kept with
    it, so the on-disk ruleset cache holds them too)."""
    checks = rs.compiled.get("document_checks")
    if checks is None:
        checks = rs.compiled["document_checks"] = build_checks(rs)
    return checks


# ----------------------------------------------------------------------------------------------
# The document
# ----------------------------------------------------------------------------------------------


@dataclass
class _Sentence:
    """A sentence of the page as the document checks see it (prose offsets, normalised text)."""

    start: int
    end: int
    block: int
    lang: str
    text: str  # normalised, same length as the prose
    question: bool
    reference: bool
    ctx: list[int] | None = None  # see _Page.ctx
    void: bool | None = None
    claim: bool | None = None
    negs: list[tuple[int, int]] | None = None
    cuts: list[int] | None = None
    sides: frozenset | None = None  # see _Page.sides


class _ChecksByLang(dict):
    """lang -> DocumentChecks, built (or read from the rulesets cache) for a language only when a
    page has a sentence in it: a one-file run on a Dutch page need not load the English checks."""

    def __init__(self, rulesets: dict[str, Ruleset]) -> None:
        super().__init__()
        self._rulesets = rulesets

    def __missing__(self, lang: str) -> DocumentChecks:
        checks = self[lang] = checks_for(self._rulesets[lang])
        return checks

    def get(self, lang, default=None):  # type: ignore[override]
        return self[lang] if lang in self._rulesets else default

    def values(self):  # type: ignore[override]
        return [self[lang] for lang in self._rulesets]


class _Page:
    """Sentences of one document with their contexts, and the judgements on them (computed lazily)."""

    # True: no trigger scans, every context computed: the plain definition, for tests to compare with
    exhaustive = False

    def __init__(self, doc: Document, units, rulesets: dict[str, Ruleset], profile: str,
                 norm_text: str | None = None) -> None:
        self.doc = doc
        self.rulesets = rulesets
        self.profile = profile
        self.checks = _ChecksByLang(rulesets)
        self.units = units
        self.sents: list[_Sentence] = []
        self.block_sents: list[list[int]] = []
        self._by_element: dict[str, list[int]] | None = None  # see _candidates
        self._every: list[int] = []
        self._plan: list[tuple[int, int | None]] | None = None  # see _shared
        self._shared: dict[int, list[int] | None] = {}
        self._rows: dict[int, tuple[list[int], list[int]]] | None = None  # see _table_rows
        self._folded: dict[int, str] = {}  # id(trigger) -> the normalised text, folded for it
        self._memos: dict[int, dict[str, frozenset]] = {}  # id(trigger) -> its _SELECTIONS memo
        text = doc.text
        ntext = normalise(text) if norm_text is None else norm_text  # length-preserving: same offsets
        self.ntext = ntext
        self.topical = False  # does the page mention a topic (set by _missing_disclaimers)
        for bi, (block, lang, spans) in enumerate(units):
            ids = []
            ref = block.kind in ("list_item", "paragraph") and is_reference_entry(text[block.start : block.end])
            for s, e in spans:
                norm = ntext[s:e]
                q = norm.rstrip(" \"')»").endswith("?")
                ids.append(len(self.sents))
                self.sents.append(_Sentence(s, e, bi, lang, norm, q, ref))
            self.block_sents.append(ids)

    # -- contexts --------------------------------------------------------------------------------

    def _last(self, bi: int) -> list[int]:
        ids = self.block_sents[bi]
        return ids[-1:] if ids else []

    def _shared_ctx(self, bi: int) -> list[int] | None:
        """The sentences of block ``bi``'s context that all its sentences share (None: a heading,
        whose sentences have no context): a lead-in or question just before it, the lead-in of
        a list and the heading above it, the other cells of a table row and the table's header
        row, the heading of a section's first block. Built for a block when first asked."""
        if bi in self._shared:
            return self._shared[bi]
        plan = self._plan
        if plan is None:
            # one pass over the blocks: the lead-in of each list item (the last block before it
            # that is not a list item) and the heading above each block
            plan = self._plan = []
            heading: int | None = None
            other = -1
            for i, unit in enumerate(self.units):
                kind = unit[0].kind
                plan.append((other, heading))
                if kind != "list_item":
                    other = i
                if kind == "heading":
                    heading = i
        kind = self.units[bi][0].kind
        if kind == "heading":
            self._shared[bi] = None
            return None
        lead, heading = plan[bi]
        shared: list[int] = []
        if bi > 0:
            prev = self._last(bi - 1)
            if prev and (self.sents[prev[0]].text.rstrip().endswith(":") or self.sents[prev[0]].question):
                shared += prev  # a lead-in ("Niet gebruiken als je:") or the question a block answers
        if kind == "list_item":
            if lead >= 0:
                shared += self._last(lead)
            if heading is not None:
                shared += self.block_sents[heading]
        elif kind == "table_cell":
            row, header = self._table_rows().get(bi, ([], []))
            for cell in row + header:
                if cell != bi:
                    shared += self.block_sents[cell]
            if heading is not None:
                shared += self.block_sents[heading]
        elif heading is not None and heading == bi - 1:
            shared += self.block_sents[heading]  # the first block of a section
        out = self._shared[bi] = list(dict.fromkeys(shared))
        return out

    def _before(self, sid: int) -> int | None:
        """The sentence before ``sid`` (in its block, else the last of the block before)."""
        st = self.sents[sid]
        ids = self.block_sents[st.block]
        if sid > ids[0]:
            return sid - 1
        bi = st.block
        return self._last(bi - 1)[0] if bi > 0 and self._last(bi - 1) else None

    def _refers_back(self, sid: int, before: int) -> bool:
        """Is the sentence before part of the context: a question just before in the same
        block, or ``sid`` refers back to it ("Hetzelfde geldt als je zwanger bent")?"""
        return (sid > self.block_sents[self.sents[sid].block][0] and self.sents[before].question) \
            or self._anaphoric(sid)

    def ctx(self, sid: int) -> list[int]:
        """The sentences whose subject or predicate may complete a cue of sentence ``sid``: the
        context its block shares, and the sentence before it when it is a question or ``sid``
        refers back to it."""
        st = self.sents[sid]
        if st.ctx is None:
            shared = self._shared_ctx(st.block)
            if shared is None:
                st.ctx = []
                return st.ctx
            ctx = list(shared)
            before = self._before(sid)
            if before is not None and self._refers_back(sid, before):
                ctx.append(before)
            st.ctx = ctx
        return st.ctx

    def _anaphoric(self, sid: int) -> bool:
        st = self.sents[sid]
        pat = self.checks[st.lang].anaphora
        return bool(pat and pat.search(st.text))

    def _table_rows(self) -> dict[int, tuple[list[int], list[int]]]:
        """For each table cell block: (the blocks of its row, the blocks of its table's header row)."""
        if self._rows is not None:
            return self._rows
        out: dict[int, tuple[list[int], list[int]]] = {}
        self._rows = out
        doc = self.doc
        html = doc.format == "html"
        bi = 0
        n = len(self.units)
        while bi < n:
            if self.units[bi][0].kind != "table_cell":
                bi += 1
                continue
            rows: list[list[int]] = []
            header: list[int] = []
            prev_end = None
            j = bi
            while j < n and self.units[j][0].kind == "table_cell":
                block = self.units[j][0]
                s, e = doc.source_span(block.start, block.end)
                sep = doc.source[prev_end:s] if prev_end is not None else ""
                new_row = prev_end is None or (bool(_TR.search(sep)) if html else "\n" in sep)
                if new_row:
                    rows.append([])
                rows[-1].append(j)
                if html:
                    tags = _CELL_TAG.findall(doc.source, max(0, s - 300), s)
                    if tags and tags[-1].lower() == "th" and len(rows) == 1:
                        header.append(j)
                prev_end = e
                j += 1
            if not html and len(rows) > 1:
                header = rows[0]
            for row in rows:
                for cell in row:
                    out[cell] = (row, [] if cell in header else header)
            bi = j
        return out

    # -- judgements ------------------------------------------------------------------------------

    def raw(self, sid: int) -> str:
        st = self.sents[sid]
        return self.doc.text[st.start : st.end]

    def is_claim(self, sid: int) -> bool:
        """Does a claim rule flag this sentence?"""
        st = self.sents[sid]
        if st.claim is None:
            st.claim = judge_sentence(self.raw(sid), self.rulesets[st.lang], self.profile, st.text) is not None
        return st.claim

    def is_void(self, sid: int) -> bool:
        """A sentence that cannot carry a disclaimer: a reference entry, a reassurance, a claim."""
        st = self.sents[sid]
        if st.void is None:
            dismissals = self.checks[st.lang].dismissals
            st.void = st.reference or bool(dismissals and dismissals.search(st.text)) or self.is_claim(sid)
        return st.void

    def _negation(self, sid: int) -> tuple[list[tuple[int, int]], list[int]]:
        st = self.sents[sid]
        if st.negs is None:
            profile = self.rulesets[st.lang].profile
            checks = self.checks[st.lang]
            text = st.text
            negs = profile.find("negators", text)
            if checks.negators is not None:
                negs += [m.span() for m in checks.negators.finditer(text)]
            if checks.double_negation is not None:
                doubles = [m.span() for m in checks.double_negation.finditer(text)]
                negs = [(s, e) for s, e in negs if not any(ds <= s and e <= de for ds, de in doubles)]
            st.negs = sorted(negs)
            st.cuts = sorted({s for s, _ in profile.find("clause_breakers", text)}
                             | {s for s, _ in profile.find("contrast", text)})
        return st.negs, st.cuts or []

    def negated(self, sid: int, cand) -> bool:
        negs, cuts = self._negation(sid)
        text = self.sents[sid].text
        clause = max((c for c in cuts if c <= cand.start), default=0)
        for s, e in negs:
            if cand.start <= s < cand.end:
                if not cand.in_core(s, e):
                    return True  # inside a gap: "raden het niet af"
            elif clause <= s and e <= cand.start:
                between = text[e : cand.start]
                if len(_WORD.findall(between)) < _NEG_WORDS and "," not in between:
                    return True  # "hoeft niet te overleggen", "don't need to ask", "no risk"
        return False

    def predicate(self, cue: Cue, sid: int) -> bool:
        text = self.sents[sid].text
        return any(not self.negated(sid, match_candidate(m)) for m in cue.predicates.finditer(text)
                   if m.end() > m.start())

    def holds(self, cue: Cue, sid: int) -> bool:
        """Does sentence ``sid`` (with its context) carry this cue?"""
        st = self.sents[sid]
        text = st.text
        if cue.pair is not None and any(not self.negated(sid, c) for c in cue.pair.find(text)):
            return True  # predicate and subject close together, in order: "geen vervanging voor therapie"
        subject = bool(cue.subjects.search(text))
        ctx = self.ctx(sid)
        if cue.pair is not None:
            # a windowed cue split over context: "| Raadpleeg eerst | je arts |"; not both in this sentence
            if not ctx or (subject and cue.predicates.search(text)):
                return False
        pred = self.predicate(cue, sid) if subject or ctx else False
        if not subject and not pred:
            return False
        if subject and pred:
            return True
        for j in ctx:
            if self.is_void(j):
                continue
            other = self.sents[j].text
            if subject and self.predicate(cue, j):
                return True
            if pred and cue.subjects.search(other):
                return True
        return False

    def selection(self, trig, sid: int) -> frozenset:
        """``trig.selected(text of sentence sid)``: what the trigger selects depends on the text
        alone, so it is remembered across pages by text (site boilerplate, table labels and FAQ
        headings recur on many pages). Otherwise one fold of the whole page per trigger is
        scanned instead of folding each sentence (folding is per character, so the sentence's
        part of it is the sentence folded). A scan of part of a text sees the character before
        it, so a sentence that directly follows a word character is scanned on its own: its
        first word starts a word for the patterns, which see the sentence alone. The end is the
        same either way (``endpos``)."""
        st = self.sents[sid]
        memo = self._memos.get(id(trig))
        if memo is None:
            memo = _SELECTIONS.get(trig)
            if memo is None:
                memo = _SELECTIONS[trig] = {}
            self._memos[id(trig)] = memo
        found = memo.get(st.text)
        if found is not None:
            return found
        folded = self._folded.get(id(trig))
        if folded is None:
            folded = self._folded[id(trig)] = trig.fold(self.ntext)
        s = st.start
        if s and _WORDISH.match(folded, s - 1):
            found = trig.selected(st.text)
        else:
            found = trig.selected_folded(folded, s, st.end)
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[st.text] = found
        return found

    def sides(self, sid: int) -> frozenset | None:
        """Keys of the cue trigger selected by the sentence: (element, cue index, "s" or "p") of
        the cues whose subject or predicate stems occur in it, and the research keys (None: its
        language has no cue trigger, so anything may hold)."""
        st = self.sents[sid]
        if st.sides is None and not self.exhaustive:
            trig = self.checks[st.lang].cue_trigger
            if trig is not None:
                st.sides = self.selection(trig, sid)
        return st.sides

    def research_rules(self, sid: int) -> set[str] | None:
        """Ids of the research rules whose ``find`` may give a candidate in the sentence (a
        phrase, pattern or predicate of theirs has its stems there; None: any). A superset of
        what each rule's own gate lets through: same stems per pattern, scanned with more."""
        if self.exhaustive:
            return None
        st = self.sents[sid]
        checks = self.checks[st.lang]
        if self.topical and checks.cue_trigger is not None:
            found = self.sides(sid)  # the page's cues are looked for anyway: the same scan
        elif checks.research_trigger is not None:
            found = self.selection(checks.research_trigger, sid)
        else:
            return None
        if found is None:
            return None
        return {k[1] for k in found if len(k) == 4 and k[2] != "objects"}

    def may_hold(self, sid: int, element_id: str, i: int) -> bool:
        """Can cue ``i`` of the element hold in sentence ``sid``? Its subject and its predicate
        must both occur, in the sentence or (one of them) in a sentence of its context: where
        their stems do not, ``holds`` is False without running a pattern."""
        st = self.sents[sid]
        sides = self.sides(sid)
        if sides is None:
            return True
        subject, predicate = (element_id, i, "s") in sides, (element_id, i, "p") in sides
        if subject and predicate:
            return True
        if not subject and not predicate:
            return False
        # any sentence of ctx(sid), without building it: the shared part, then the one before
        # (whether it belongs is only asked when its stems would make the cue possible)
        key = (element_id, i, "p" if subject else "s")
        shared = self._shared_ctx(st.block)
        if shared is None:
            return False  # a heading: no context
        for j in shared:
            if self._completes(st, j, key):
                return True
        if st.ctx is not None:
            return any(self._completes(st, j, key) for j in st.ctx)
        before = self._before(sid)
        return before is not None and self._completes(st, before, key) and self._refers_back(sid, before)

    def _completes(self, st: _Sentence, j: int, key: tuple) -> bool:
        """May context sentence ``j`` hold the side ``key`` of a cue that ``st`` holds the other side of?"""
        other = self.sents[j]
        if other.lang != st.lang:
            return True  # its stems are another language's: not comparable
        found = self.sides(j)
        return found is None or key in found

    def _candidates(self, element_id: str) -> list[int]:
        """The sentences where a cue of ``element_id`` may hold, ascending: one pass over the page
        sorts every sentence under the elements its cue stems name (a page is asked about each
        of its topic's elements in turn)."""
        index = self._by_element
        if index is None:
            index = self._by_element = {}
            every: list[int] = []  # sentences of a language without a cue trigger: any element
            for sid, st in enumerate(self.sents):
                if st.question:
                    continue
                sides = self.sides(sid)
                if sides is None:
                    every.append(sid)
                    continue
                for el in {k[0] for k in sides if len(k) == 3}:  # cue keys, not research ones
                    index.setdefault(el, []).append(sid)
            self._every = every
        own = index.get(element_id, [])
        return sorted(own + self._every) if self._every else own

    def present(self, element_id: str) -> bool:
        elements: dict[str, Element | None] = {}
        for sid in self._candidates(element_id):
            st = self.sents[sid]
            if st.lang not in elements:
                elements[st.lang] = self.checks[st.lang].element(element_id)
            el = elements[st.lang]
            if el is None:
                continue
            if any(self.holds(cue, sid) for i, cue in enumerate(el.cues) if self.may_hold(sid, element_id, i)) \
                    and not self.is_void(sid):
                return True
        return False

    # -- topics ----------------------------------------------------------------------------------

    def mentions(self) -> dict[str, tuple[int, int, int]]:
        """topic id -> (source offset, prose start, prose end) of its first mention."""
        first: dict[str, tuple[int, int, int]] = {}
        text = self.doc.text
        folded: dict[str, str] = {}
        for block, lang, _spans in self.units:
            trig = self.checks[lang].topic_trigger
            if trig is not None and lang not in folded:
                folded[lang] = trig.fold(text)
            may = trig.selected_folded(folded[lang], block.start, block.end) if trig is not None else None
            for tid, topic in self.checks[lang].topics.items():
                if may is not None and tid not in may:
                    continue  # none of the topic's trigger stems is in the block
                m = next((m for m in topic.triggers.finditer(text, block.start, block.end)
                          if not self._denied(m.start(), m.end(), block.start, lang)), None)
                if m is None:
                    continue
                src = self.doc.source_span(m.start(), m.end())[0]
                if tid not in first or src < first[tid][0]:
                    first[tid] = (src, m.start(), m.end())
        return first

    def _denied(self, start: int, end: int, floor: int, lang: str) -> bool:
        """Does this mention of a topic deny it ("contains no psilocybin", "geen microdosing",
        "we don't sell truffles", "psilocybin-free")? A negator counts when it stands in the
        mention's clause with at most one word between them."""
        ntext = self.ntext
        if _FREE_OF.match(ntext, end):
            return True
        lo = max(floor, start - _MENTION_LOOKBACK)
        for m in _CLAUSE_END.finditer(ntext, lo, start):
            lo = m.end()
        rs = self.rulesets.get(lang)
        if rs is None:
            return False
        for _s, e in rs.profile.find("negators", ntext, lo, start):
            if len(_WORD.findall(ntext, e, start)) < _DENIAL_WORDS:
                return True
        return False

    def sentence_at(self, pos: int) -> tuple[int, int]:
        for st in self.sents:
            if st.start <= pos < st.end:
                return st.start, st.end
        return pos, pos

    # -- citations -------------------------------------------------------------------------------

    def block_cited(self, bi: int, lang: str) -> bool:
        block = self.units[bi][0]
        prose = self.doc.text[block.start : block.end]
        if has_citation(prose) or _PROSE_CITATION.search(prose):
            return True
        # markup that is gone from the prose: <sup>, footnote references, link targets
        s = self.doc.source_span(block.start, block.end)[0]
        if bi + 1 < len(self.units):
            nxt = self.units[bi + 1][0]
            e = self.doc.source_span(nxt.start, nxt.end)[0]
        else:
            e = len(self.doc.source)
        e = max(e, self.doc.source_span(block.start, block.end)[1])
        src = self.doc.source[s:e]
        if _SOURCE_CITATION.search(src):
            return True
        links = self.checks[lang].citation_links
        return bool(links and any(links.search(m.group()) for m in _URL.finditer(src)))


def check_document(doc: Document, units, rulesets: dict[str, Ruleset], doc_lang: str, *,
                   path: str = "<text>", profile: str = "default", norm_text: str | None = None) -> list[Finding]:
    """Document-level findings: missing disclaimer elements and uncited research reports.

    ``units`` holds one ``(block, lang, sentence spans)`` per block of ``doc``, as the engine split
    them; ``norm_text`` is ``engine.normalise(doc.text)`` if the caller has it.
    """
    page = _Page(doc, units, rulesets, profile, norm_text)
    findings = _missing_disclaimers(page, doc_lang, path)
    findings += _uncited_research(page, path)
    return findings


def _missing_disclaimers(page: _Page, doc_lang: str, path: str) -> list[Finding]:
    findings: list[Finding] = []
    done: set[str] = set()
    mentions = sorted(page.mentions().items(), key=lambda kv: kv[1][0])
    page.topical = bool(mentions)
    for tid, (_src, start, end) in mentions:
        checks = page.checks.get(doc_lang)
        topic = checks.topics.get(tid) if checks else None
        if topic is None:  # the document's language does not define the topic: use any that does
            topic = next(c.topics[tid] for c in page.checks.values() if tid in c.topics)
        span = page.sentence_at(start)
        sentence = page.doc.text[span[0] : span[1]]
        for el in topic.elements:
            if el.element in done:
                continue
            done.add(el.element)
            if page.present(el.element):
                continue
            f = _finding(page.doc, path, el, start, end, sentence, {}, el.lang, span)
            f.element = el.element
            findings.append(f)
    return findings


def _uncited_research(page: _Page, path: str) -> list[Finding]:
    findings: list[Finding] = []
    cited_blocks: dict[int, bool] = {}
    for sid, st in enumerate(page.sents):
        rules = page.checks[st.lang].research
        if not rules or st.reference:
            continue
        may = page.research_rules(sid)
        ctx = None
        for rule in rules:
            if may is not None and rule.id not in may and rule.gate is not None and rule.gated is rule.matcher:
                continue  # its gate would find none of its stems: find() would return nothing
            cands = rule.find(st.text)
            if not cands:
                continue
            if ctx is None:
                ctx = SentenceContext.build(st.text, page.rulesets[st.lang].profile)
            cand = next((c for c in cands if stands(c, rule, ctx)), None)
            if cand is None:
                continue
            if has_citation(st.text) or _PROSE_CITATION.search(st.text):
                break
            if st.block not in cited_blocks:
                cited_blocks[st.block] = page.block_cited(st.block, st.lang)
            if cited_blocks[st.block]:
                break
            if page.is_claim(sid):
                break  # a claim rule reports this sentence already ("onderzoek toont aan")
            findings.append(_finding(page.doc, path, rule, st.start + cand.start, st.start + cand.end,
                                     page.raw(sid), cand.slots, st.lang, (st.start, st.end)))
            break
    return findings
