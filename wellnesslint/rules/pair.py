"""Rule kind `pair`: a claim made of a predicate and an object in one clause, in either order.

```yaml
kind: pair
predicates: ['genee?s\\w*', 'helpt (?:je )?tegen', 'neemt{gap}weg']
objects: ['{condition}']
window: 6          # at most this many words between predicate and object
```
Dutch puts the verb second, last, or splits it ("lost je burn-out op"); English uses phrasal verbs
("gets rid of"). A pair covers all of these without one pattern per word order. Negators between
the predicate and the object ("geneest geen depressie") are judged by the language profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from .base import Candidate, compile_pattern, match_candidate

KIND = "pair"
REQUIRED = ("predicates", "objects")
KEYS = {
    "predicates": "list of regex patterns for the claim predicate (required)",
    "objects": "list of regex patterns for what the claim is about (required)",
    "window": "maximum number of words between predicate and object (default 6)",
    "order": "any | predicate_first | object_first (default any)",
    "patterns": "optional phrases that are a complete claim on their own",
}

_WORD = regex.compile(r"[\w'’-]+")
# no sentence or clause end: "1.200 deelnemers", "16:00", and an ellipsis the sentence splitter
# left inside the sentence ("my OCD just... went away")
_NUMBER_SEP = regex.compile(r"(?<=\d)[.,:](?=\d)|\.{2,}")
_STOPS = ".!?;:—–"


def _breaks(between: str) -> bool:
    """Does a sentence or clause end stand between predicate and object? (The plain test first:
    most gaps hold no punctuation at all.)"""
    return any(c in between for c in _STOPS) and any(c in _NUMBER_SEP.sub("", between) for c in _STOPS)


@dataclass
class PairMatcher:
    """Finds a predicate and an object within ``window`` words of each other, in ``order``."""

    predicates: list[regex.Pattern[str]]
    objects: list[regex.Pattern[str]]
    window: int
    order: str
    phrases: list[regex.Pattern[str]] = field(default_factory=list)
    # per-call time limit in seconds for a team's own rules (config.py sets it); None for built-ins
    timeout: float | None = None

    def find(self, text: str, only: frozenset | None = None) -> list[Candidate]:
        """Candidates in ``text``; ``only``: the (kind, index) keys of the patterns that can match
        at all (trigger.py), the others are not run."""
        phrases, predicates, objects = self.phrases, self.predicates, self.objects
        if only is not None:
            phrases = [p for i, p in enumerate(phrases) if ("phrases", i) in only]
            predicates = [p for i, p in enumerate(predicates) if ("predicates", i) in only]
            objects = [p for i, p in enumerate(objects) if ("objects", i) in only] if predicates else []
        whole = [match_candidate(m) for p in phrases for m in p.finditer(text, timeout=self.timeout) if m.end() > m.start()]
        preds = [match_candidate(m) for p in predicates for m in p.finditer(text, timeout=self.timeout) if m.end() > m.start()]
        if not preds:
            whole.sort(key=lambda c: c.start)
            return whole
        objs = [match_candidate(m) for p in objects for m in p.finditer(text, timeout=self.timeout) if m.end() > m.start()]
        out = whole
        for pr in preds:
            best = None
            best_rank = None
            for ob in objs:
                if ob.start >= pr.end:
                    if self.order == "object_first":
                        continue
                    between = text[pr.end : ob.start]
                elif ob.end <= pr.start:
                    if self.order == "predicate_first":
                        continue
                    between = text[ob.end : pr.start]
                elif any(cs <= ob.start and ob.end <= ce for cs, ce in pr.core):
                    continue  # the object is one of the predicate's own words
                else:
                    between = ""  # the object sits inside the predicate's gap ("lost je burn-out op")
                if _breaks(between):
                    continue
                # the nearest object, but one after the predicate (or in its gap) before one that a
                # comma sets apart before it, and at the same distance too: a verb takes what
                # follows it ("If you take SSRIs, skip them": "them", not "SSRIs"; "If you take
                # SSRIs, skip your pills": "pills"; "Je antidepressiva? Sla die maar over": "die")
                before = ob.end <= pr.start
                rank = (before and "," in between, len(_WORD.findall(between)), before)
                if rank[1] <= self.window and (best_rank is None or rank < best_rank):
                    best, best_rank = ob, rank
            if best is not None:
                slots = {**pr.slots, **best.slots}
                out.append(
                    Candidate(min(pr.start, best.start), max(pr.end, best.end), pr.core + best.core, slots,
                              pr.literals + " " + best.literals)
                )
        out.sort(key=lambda c: c.start)
        return out

    def sources(self) -> list[str]:
        return [p.pattern for p in self.predicates] + [p.pattern for p in self.phrases]


def build(rule, lexicons, path) -> PairMatcher:
    preds = rule["predicates"]
    objs = rule["objects"]
    return PairMatcher(
        [compile_pattern(p, lexicons, (path, preds.line_of(i), "predicates")) for i, p in enumerate(preds)],
        [compile_pattern(p, lexicons, (path, objs.line_of(i), "objects")) for i, p in enumerate(objs)],
        int(rule.get("window", 6)),
        str(rule.get("order", "any")),
        [compile_pattern(p, lexicons, (path, rule["patterns"].line_of(i), "patterns")) for i, p in enumerate(rule.get("patterns", []))],
    )
