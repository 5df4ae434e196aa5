"""Judge whether a claim candidate stands in its sentence, using the language profile.

The rule kinds only find where claim words occur. Whether the sentence actually makes the claim
is decided here, the same way for every rule and every language:

- negation flips only when it scopes over the claim: a negator just before it, between its
  predicate and object, or (Dutch `niet`) just after it, in the same clause; or a wide negation
  ("er is geen bewijs dat", "not intended to") earlier in the sentence with no contrast between.
  Negators that are the rule's own words ("geen bijwerkingen", "no more") never flip.
- a hedge counts only inside the claim's clause, without a booster, and a weak modal ("kan",
  "can") only when it is not the reader's ability ("kun je", "you can");
- genuine questions pass, presupposing ones ("Wist je dat ...") do not;
- attributed claims pass only with distance: an attribution before (or a reporting clause set off
  right after: "..., they say, but ...") and a rejection after;
- some claims (safety, universality) are taken back by a qualifying clause ("maar niet voor iedereen");
- research words that report limits ("studies show mixed results") make no evidence claim.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .language import LanguageProfile
from .lazyre import LazyPattern
from .rules.base import Candidate

_WORD = LazyPattern(r"[\w'’-]+")
_QUOTES = LazyPattern(r"""(?<![\w])['"]([^'"]{2,80})['"](?![\w])""")
_CITATION = LazyPattern(
    r"\[\d{1,3}(?:[,–-]\d{1,3})*\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]|(?<=[a-z\)][.!?])\d{1,2}$|\b(?:doi|pubmed|pmc|ncbi)\b|\([A-Z][\w-]+(?: et al\.?| (?:&|en|and) [A-Z][\w-]+)?,? (?:19|20)\d\d\)"
)
_NEG_BEFORE_WORDS = 5  # how many words before the claim a negator may stand
_NEG_AFTER_WORDS = 2
_POSTPOSED_WORDS = 3  # at most this many words between a claim and a reporting clause set off after it


def negators(text: str, profile: LanguageProfile) -> list[tuple[int, int]]:
    """The profile's negators in ``text``, but for those inside a non-negating phrase ("no doubt")."""
    non_neg = profile.find("non_negating", text)
    return [(s, e) for s, e in profile.find("negators", text) if not any(ns <= s < ne for ns, ne in non_neg)]


@dataclass
class SentenceContext:
    """Everything about one sentence the judge needs, computed once per sentence."""

    text: str  # normalised (same length as the prose)
    profile: LanguageProfile
    clause_cuts: list[int]
    negators: list[tuple[int, int]]
    is_question: bool
    presupposing: bool

    @classmethod
    def build(cls, text: str, profile: LanguageProfile) -> SentenceContext:
        cuts = sorted({s for s, _ in profile.find("clause_breakers", text)} | {s for s, _ in profile.find("contrast", text)})
        negs = negators(text, profile)
        stripped = text.rstrip(" \"'”’»)")
        is_q = stripped.endswith("?")
        presup = bool(profile.search("presupposing_questions", text.lstrip(" \"'“‘«(")))
        return cls(text, profile, cuts, negs, is_q, presup)

    def clause(self, pos: int) -> tuple[int, int]:
        start, end = 0, len(self.text)
        for c in self.clause_cuts:
            if c <= pos:
                start = c
            else:
                end = c
                break
        return start, end


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD.findall(text, a, b)) if b > a else 0


def _negated_before(pos: int, ctx: SentenceContext, words: int = 4) -> bool:
    """Any negator (also "no need", "hoeft niet") shortly before ``pos``."""
    return any(e <= pos and _words_between(ctx.text, e, pos) < words for _, e in ctx.profile.find("negators", ctx.text, 0, pos))


def negated(cand: Candidate, ctx: SentenceContext) -> bool:
    text = ctx.text
    cs, ce = ctx.clause(cand.start)
    for s, e in ctx.negators:
        if cand.start <= s < cand.end:
            if not cand.in_core(s, e) or not cand.literal(text[s:e]):
                return True  # between predicate and object ("geneest geen depressie"), or in a wildcard
        elif cs <= s and e <= cand.start:
            if _words_between(text, e, cand.start) < _NEG_BEFORE_WORDS and "," not in text[e : cand.start]:
                return True  # "geen wondermiddel", "does not cure"
    for s, e in ctx.profile.find("trailing_negators", text, cand.end, ce):
        if _words_between(text, cand.end, s) <= _NEG_AFTER_WORDS:
            return True  # "geneest depressie niet", "harde bewijzen ontbreken"
    # wide negation: "er is geen bewijs dat ...", "not intended to ..."
    for s, e in ctx.profile.find("wide_negation", text):
        if cand.in_core(s, e) and all(cand.literal(w) for w in text[s:e].split()):
            continue  # the rule's own words ("what doctors won't tell you"), like a negator above
        if s <= cand.start < e or cand.start <= s < cand.end:
            return True
        if e <= cand.start and not ctx.profile.search("contrast", text, e, cand.start):
            return True
    return False


def hedged(cand: Candidate, ctx: SentenceContext, category: str = "cure_claim") -> bool:
    cs, ce = ctx.clause(cand.start)
    ce = max(ce, cand.end)
    p = ctx.profile
    text = ctx.text

    def outside(spans):
        return [(s, e) for s, e in spans if not cand.in_core(s, e)]

    if outside(p.find("boosters", text, cs, ce)):
        return False
    if outside(p.find("hedges", text, cs, ce)):
        return True
    if p.find("quantifiers", text, cs, ce) and outside(p.find("report_verbs", text, cs, ce)):
        return True  # "sommige deelnemers rapporteren ...", "some users report ..."
    # a modal hedges a cure or evidence claim when it comes before it or inside it ("kan helpen",
    # "dat chaga tumoren zou afremmen"), not after it ("... money can buy"); "kan geen kwaad" or
    # "you can drop your meds" are no hedges at all
    if category not in ("cure_claim", "evidence_claim"):
        return False
    weak = outside(p.find("weak_hedges", text, cs, cand.end))
    if weak and not p.find("ability", text, cs, ce):
        return True
    return False


def distanced(cand: Candidate, ctx: SentenceContext) -> bool:
    """Attributed to others and rejected or qualified later in the sentence."""
    p = ctx.profile
    text = ctx.text
    if any(s < cand.start for s, _ in p.find("distrust", text)):
        return True  # "wees op je hoede voor wie ...", "be wary of anyone who ..."
    spans = p.find("attribution", text)
    before = [sp for sp in spans if sp[0] < cand.start]
    quoted = any(qs <= cand.start and cand.end <= qe for qs, qe in (m.span(1) for m in _QUOTES.finditer(text)))
    if not before and not quoted:
        # a reporting clause set off right after the claim: "..., zeggen ze, maar ...", "..., they say, but ..."
        after = [e for s, e in spans if s >= cand.end and text.count(",", cand.end, s) == 1
                 and _words_between(text, cand.end, s) <= _POSTPOSED_WORDS]
        return bool(after) and bool(p.search("rejection", text, after[0]))
    if before and quoted:
        return True  # quoted slogans introduced as someone's claims: "de beloftes: 'geen bijwerkingen', ..."
    return bool(p.search("rejection", text, cand.end))


def qualified(cand: Candidate, ctx: SentenceContext) -> bool:
    """A later clause takes the claim back: "..., maar niet voor iedereen"."""
    cs, ce = ctx.clause(cand.start)
    if ce >= len(ctx.text):
        return False
    return any(s >= cand.end for s, _ in ctx.profile.find("qualifiers", ctx.text, ce))


def indirect_question(cand: Candidate, ctx: SentenceContext) -> bool:
    """The claim words sit in an embedded question: "wat onderzoek laat zien", "how studies ..."."""
    cs, _ = ctx.clause(cand.start)
    hits = ctx.profile.find("indirect_question", ctx.text, max(cs, cand.start - 40), cand.start + 1)
    return bool(hits) and _words_between(ctx.text, hits[-1][1], cand.start) <= 2


_BALANCED_AFTER_WORDS = 3  # at most this many words between the research words and what they found


def balanced_report(cand: Candidate, ctx: SentenceContext) -> bool:
    """The research words report limits, not support: "studies so far show mixed results",
    "onderzoeken laten wisselende resultaten zien", "trials show no clear benefit". The finding stands
    in the claim's clause, inside its gap or just after it (not in the rule's own words)."""
    cs, ce = ctx.clause(cand.start)
    for s, e in ctx.profile.find("balanced_findings", ctx.text, cand.start, ce):
        if cand.in_core(s, e):
            continue
        if s < cand.end or _words_between(ctx.text, cand.end, s) <= _BALANCED_AFTER_WORDS:
            return True
    return False


def has_citation(text: str) -> bool:
    return bool(_CITATION.search(text))


def _commerce_span(cand: Candidate, ctx: SentenceContext) -> tuple[int, int]:
    """Where shop logistics would take a claim back: the claim's clause, and the clause after it
    when the claim is a short lead ending in a colon ("Our guarantee: if your order arrives
    damaged, ...", "Guaranteed fresh: every pack is stored cold")."""
    cs, ce = ctx.clause(cand.start)
    if ce < len(ctx.text) and ctx.text[ce] == ":" and _words_between(ctx.text, cs, ce) <= 3:
        return cs, ctx.clause(ce + 1)[1]
    return cs, ce


def guarantees_money(cand: Candidate, ctx: SentenceContext) -> bool:
    """The guarantee is about money back or satisfaction, not an effect: one of the language's
    guarantee objects right after the claim words ("guaranteed full refund", "gegarandeerd je
    volledige bedrag terug"), right before them ("satisfaction guaranteed", "money-back guarantee")
    or around them."""
    text = ctx.text
    cs, ce = ctx.clause(cand.start)
    for s, e in ctx.profile.find("guarantee_objects", text, cs, ce):
        if s <= cand.start and cand.end <= e:
            return True
        if s >= cand.end and not text[cand.end : s].strip():
            return True
        if e <= cand.start and not text[e : cand.start].strip(" ,-"):
            return True
    return False


def opens_with_advice(text: str, profile) -> bool:
    """Does ``text`` open with one of the language's advice openers ("then", "please", "skip",
    "sla", ...)? After a condition ("If you're on lithium, please skip ...", "Slik je lithium? Sla
    deze retreat dan over.") such advice makes the condition a situation, not a claim's object."""
    advice = profile.patterns.get("advice")
    return advice is not None and advice.match(text, len(text) - len(text.lstrip())) is not None


def stands(cand: Candidate, rule, ctx: SentenceContext) -> bool:
    """Does the sentence make the claim this candidate points at?"""
    if ctx.is_question and not rule.in_questions and not ctx.presupposing:
        return False
    if rule.negatable and negated(cand, ctx):
        return False
    if rule.hedgeable and hedged(cand, ctx, rule.category):
        return False
    if distanced(cand, ctx):
        return False
    if rule.qualifiable and qualified(cand, ctx):
        return False
    if rule.category in ("absolute_claim", "safety_claim") and ctx.profile.search("commerce", ctx.text, *_commerce_span(cand, ctx)):
        return False  # "veilig betalen", "money-back guarantee on damaged parcels": shop logistics
    if rule.category == "absolute_claim" and guarantees_money(cand, ctx):
        return False  # "je krijgt gegarandeerd je geld terug", "a guarantee on your satisfaction"
    for s, e in ctx.profile.find("conditional", ctx.text, 0, cand.start + 1):
        rest = ctx.text[e:].split(",", 1)
        # after the comma, an advice clause (the language's "advice" openers); only a claim whose
        # words start in the condition is exempt: in "If you take SSRIs, stop taking them" the
        # advice itself is the claim (its pronoun points back at the medication)
        if _words_between(ctx.text, e, cand.start) <= 3 and len(rest) == 2 \
                and cand.start < e + len(rest[0]) and opens_with_advice(rest[1], ctx.profile):
            return False  # "Krijg je maagklachten, stop dan", "If you're on lithium, please skip ...": the condition is a situation, not the object
    if any(s < cand.start for s, _ in ctx.profile.find("embedded_question", ctx.text)):
        return False  # "Of CBD echt helpt bij pijn, wordt nog onderzocht", "asked whether it cures ..."
    if rule.category == "evidence_claim" and indirect_question(cand, ctx):
        return False  # "wat onderzoek laat zien", "what the research says": a topic, not an assertion
    if rule.category == "evidence_claim" and balanced_report(cand, ctx):
        return False  # "studies so far show mixed results": balanced reporting, no proof claim
    if rule.category == "evidence_claim" and has_citation(ctx.text) and (hedged(cand, ctx, rule.category) or qualified(cand, ctx)):
        return False  # a cited, hedged research report is how evidence should be presented
    if rule.unless_supervised and any(not _negated_before(s, ctx) for s, _ in ctx.profile.find("supervision", ctx.text)):
        return False  # "alleen in overleg met je arts", "stop and see a doctor" (not "no need to check with ...")
    return True
