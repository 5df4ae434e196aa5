"""Rule kind `phrase`: a claim expressed by one phrase (with lexicon slots and small gaps).

```yaml
kind: phrase
patterns: ['wondermiddel\\w*', 'werkt (?:altijd|bij iedereen)', 'nooit meer (?:last van )?{condition}']
```
Negators written inside a pattern ("geen bijwerkingen", "nooit meer") are part of the claim;
negators around it ("geen wondermiddel") are judged by the language profile.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .base import Candidate, compile_pattern, match_candidate

KIND = "phrase"
REQUIRED = ("patterns",)
KEYS = {"patterns": "list of regex patterns (required)"}


@dataclass
class PhraseMatcher:
    """Finds any of its phrase patterns."""

    patterns: list[regex.Pattern[str]]
    # per-call time limit in seconds for a team's own rules (config.py sets it); None for built-ins
    timeout: float | None = None

    def find(self, text: str, only: frozenset | None = None) -> list[Candidate]:
        """Candidates in ``text``; ``only``: the ("patterns", index) keys of the patterns that can
        match at all (trigger.py), the others are not run."""
        out = []
        for i, pat in enumerate(self.patterns):
            if only is not None and ("patterns", i) not in only:
                continue
            for m in pat.finditer(text, overlapped=False, timeout=self.timeout):
                if m.end() > m.start():
                    out.append(match_candidate(m))
        out.sort(key=lambda c: c.start)
        return out

    def sources(self) -> list[str]:
        return [p.pattern for p in self.patterns]


def build(rule, lexicons, path) -> PhraseMatcher:
    pats = rule["patterns"]
    return PhraseMatcher(
        [compile_pattern(p, lexicons, (path, pats.line_of(i), "patterns")) for i, p in enumerate(pats)]
    )
