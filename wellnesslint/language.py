"""Language profiles: negators, hedges, clause breakers, question and distancing cues, as data.

A profile is loaded from ``rulesets/<lang>/language.yaml``; adding a language is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import regex

from .yamlload import DataError, LDict, load_yaml


# Keys of language.yaml: name -> (required, is a list of patterns)
_PATTERN_KEYS = (
    "negators",
    "non_negating",
    "wide_negation",
    "clause_breakers",
    "contrast",
    "hedges",
    "weak_hedges",
    "report_verbs",
    "ability",
    "boosters",
    "presupposing_questions",
    "attribution",
    "rejection",
    "qualifiers",
    "research_cues",
    "supervision",
    "distrust",
    "letter_cues",
    "quantifiers",
    "indirect_question",
    "commerce",
    "embedded_question",
    "conditional",
    "advice",
    "trailing_negators",
    "affirmative_answers",
    "answer_limits",
    "qa_labels",
    "debunk_headings",
    "negative_answers",
    "back_references",
    "balanced_findings",
    "guarantee_objects",
)
# numeric_abbreviations: abbreviations only before a number ("No. 1", "nr. 3"); before a word
# they end a sentence ("Does it work for everyone? No. Some people notice nothing.")
# answer_negation: the negator that turns a question's reading into its plain "no" ("not", "niet")
_WORD_LIST_KEYS = ("function_words", "abbreviations", "numeric_abbreviations", "answer_negation")
_ALLOWED = {"lang", "name", *_PATTERN_KEYS, *_WORD_LIST_KEYS}


def words_pattern(items: list[str], *, bounded: bool = True) -> regex.Pattern[str] | None:
    """One alternation of regex fragments, longest first, bounded by non-word characters."""
    if not items:
        return None
    parts = []
    for p in sorted(items, key=len, reverse=True):
        # word boundaries only make sense where the fragment starts or ends with a word
        left = r"(?<![\w'’])" if bounded and regex.match(r"[\w(\\^]", p) else ""
        right = r"(?:(?<=\W)|(?![\w'’]))" if bounded and regex.search(r"[\w)?*+}]$", p) else ""
        parts.append(f"{left}(?:{p}){right}")
    return regex.compile("|".join(parts), regex.IGNORECASE)


@dataclass
class LanguageProfile:
    """A language's knowledge as data: function words, abbreviations and named cue patterns."""

    lang: str
    name: str
    function_words: frozenset[str]
    abbreviations: frozenset[str]
    patterns: dict[str, regex.Pattern[str] | None] = field(default_factory=dict)
    numeric_abbreviations: frozenset[str] = frozenset()
    answer_negation: frozenset[str] = frozenset()

    def find(self, key: str, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
        pat = self.patterns.get(key)
        if pat is None:
            return []
        end = len(text) if endpos is None else endpos
        return [m.span() for m in pat.finditer(text, pos, end)]

    def sentences(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Sentence spans inside ``text[start:end]`` (:func:`wellnesslint.sentences.split` with this
        language's abbreviations, those before a number included)."""
        from .sentences import split

        return split(text, start, len(text) if end is None else end, self.abbreviations, self.numeric_abbreviations)

    def search(self, key: str, text: str, pos: int = 0, endpos: int | None = None):
        pat = self.patterns.get(key)
        if pat is None:
            return None
        return pat.search(text, pos, len(text) if endpos is None else endpos)


def load_profile(path: Path) -> LanguageProfile:
    data = load_yaml(path)
    if not isinstance(data, LDict):
        raise DataError(path, 1, None, "a language profile must be a mapping")
    for key in data:
        if key not in _ALLOWED:
            raise DataError(path, data.line_of(key), key, f"unknown key (allowed: {', '.join(sorted(_ALLOWED))})")
    for key in ("lang", "negators", "hedges", "clause_breakers", "function_words"):
        if key not in data:
            raise DataError(path, data.line, key, "required key is missing")
    lang = data["lang"]
    if not isinstance(lang, str) or not regex.fullmatch(r"[a-z]{2,3}", lang):
        raise DataError(path, data.line_of("lang"), "lang", "must be a two- or three-letter language code")
    patterns: dict[str, regex.Pattern[str] | None] = {}
    for key in _PATTERN_KEYS:
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
            raise DataError(path, data.line_of(key), key, "must be a list of non-empty strings")
        for i, item in enumerate(items):
            try:
                regex.compile(item)
            except regex.error as exc:
                raise DataError(path, items.line_of(i), key, f"invalid pattern {item!r}: {exc}") from None
        # clause breakers and rejection cues contain punctuation: do not force word boundaries
        bounded = key not in ("clause_breakers", "letter_cues")
        patterns[key] = words_pattern(list(items), bounded=bounded)
    words = {}
    for key in _WORD_LIST_KEYS:
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise DataError(path, data.line_of(key), key, "must be a list of words")
        words[key] = frozenset(w.lower() for w in items)
    return LanguageProfile(
        lang=lang,
        name=str(data.get("name", lang)),
        function_words=words["function_words"],
        abbreviations=words["abbreviations"],
        patterns=patterns,
        numeric_abbreviations=words["numeric_abbreviations"],
        answer_negation=words["answer_negation"],
    )


_WORD = regex.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def detect(text: str, profiles: dict[str, LanguageProfile], minimum: int = 2) -> str | None:
    """The profile whose function words are most frequent in ``text``, or None if unclear."""
    counts = dict.fromkeys(profiles, 0)
    for m in _WORD.finditer(text[:4000]):
        w = m.group().lower()
        for lang, prof in profiles.items():
            if w in prof.function_words:
                counts[lang] += 1
    best = max(counts, key=lambda k: counts[k], default=None)
    ranked = sorted(counts.values(), reverse=True)
    if best is not None and counts[best] >= minimum and not (len(ranked) > 1 and ranked[0] == ranked[1]):
        return best
    return _detect_by_letters(text[:4000], profiles, counts)


def _detect_by_letters(text: str, profiles: dict[str, LanguageProfile], words: dict[str, int]) -> str | None:
    """Short texts without enough function words ("Klinisch bewezen formule"): letter patterns
    typical of each language (Dutch ij/oe/sch, English th/wh/-ing) decide, if clearly."""
    scores = {}
    for lang, prof in profiles.items():
        pat = prof.patterns.get("letter_cues")
        scores[lang] = (len(pat.findall(text)) if pat is not None else 0) + 2 * words.get(lang, 0)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < ranked[1][1] + 2):
        return None
    return ranked[0][0]
