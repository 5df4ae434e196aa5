"""What every rule kind shares: the candidate it reports and pattern expansion with lexicons."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..yamlload import DataError

# {gap} lets up to 8 words sit between two parts of a phrase ("lost je burn-out op"); {gap3} at most 3.
# Each gap word takes its separator and its letters possessively: "-" and "'" belong to both
# classes, so a run like "------" could otherwise be split in exponentially many ways. A number
# with a thousands or decimal separator ("1.200 deelnemers", "2,000 doctors") is one gap word.
_GAP = r"(?P<gap>(?:[^\w.!?;:]++[\w'’-]++(?:(?<=\d)[.,]\d++)*+){{0,{n}}}?)[^\w.!?;:]+"
_REF = regex.compile(r"\{(\w+)\}")
SLOT_NAMES = ("product", "condition", "state", "medication", "care")


@dataclass(slots=True)
class Candidate:
    """A place in a sentence where a rule's claim words occur, before the language profile judges it."""

    start: int
    end: int
    core: list[tuple[int, int]]  # the rule's own words: a negator inside them is part of the claim
    slots: dict[str, str] = field(default_factory=dict)
    literals: str = ""  # the rule pattern's own text, to tell "geen bijwerkingen" from a wildcard match

    def literal(self, word: str) -> bool:
        """Is ``word`` written in the rule's pattern (rather than matched by a wildcard)?"""
        w = word.lower().replace("’", "'")
        return bool(regex.search(rf"(?<![a-z]){regex.escape(w)}(?![a-z])", self.literals))

    def in_core(self, s: int, e: int) -> bool:
        return any(cs <= s and e <= ce for cs, ce in self.core)


def expand(pattern: str, lexicons: dict[str, list[str]], where: tuple[str, int, str]) -> str:
    """Replace {lexicon} and {gap}/{gapN} references in a rule pattern with regex source."""

    def sub(m: regex.Match[str]) -> str:
        name = m.group(1)
        if name == "gap" or (name.startswith("gap") and name[3:].isdigit()):
            return _GAP.format(n=int(name[3:] or 8))
        if name not in lexicons:
            path, line, key = where
            known = ", ".join(sorted(lexicons)) or "none"
            raise DataError(path, line, key, f"unknown lexicon {{{name}}} in {pattern!r} (known: {known}, gap, gapN)")
        alts = "|".join(f"(?:{p})" for p in sorted(lexicons[name], key=len, reverse=True))
        group = name if name in SLOT_NAMES else None
        return f"(?P<{group}>{alts})" if group else f"(?:{alts})"

    return _REF.sub(sub, pattern)


def compile_pattern(pattern: str, lexicons: dict[str, list[str]], where: tuple[str, int, str]) -> regex.Pattern[str]:
    src = expand(pattern, lexicons, where)
    try:
        # a word followed by "-word" is the start of a compound ("best-before"), not a match
        # (a pattern that ends in a space or punctuation needs no boundary at its end)
        return regex.compile(rf"(?<![\w'’])(?:{src})(?:(?<=\W)|(?![\w]|-\w))", regex.IGNORECASE)
    except regex.error as exc:
        path, line, key = where
        raise DataError(path, line, key, f"invalid pattern {pattern!r}: {exc}") from None


_ESCAPE = regex.compile(r"\\[a-zA-Z]")


def _literals(pattern: str) -> str:
    """The words written in a pattern, with regex escapes (\\b, \\w) blanked out."""
    return _ESCAPE.sub(" ", pattern).lower()


def match_candidate(m: regex.Match[str], offset: int = 0) -> Candidate:
    """A candidate from a regex match; {gap} groups are not part of the core."""
    start, end = m.span()
    gaps = sorted(sp for sp in m.spans("gap") if sp[1] > sp[0]) if "gap" in m.re.groupindex else []
    core = []
    pos = start
    for gs, ge in gaps:
        if gs > pos:
            core.append((pos + offset, gs + offset))
        pos = max(pos, ge)
    if end > pos:
        core.append((pos + offset, end + offset))
    slots = {}
    for name in SLOT_NAMES:
        if name in m.re.groupindex:
            val = m.group(name)
            if val:
                slots[name] = val
    return Candidate(start + offset, end + offset, core, slots, _literals(m.re.pattern))
