"""The rule catalog: every rule code with its metadata, across languages.

Rules are data (``rulesets/<lang>/*.yaml``); the same code exists once per language, with the
message, rationale and examples in that language. The catalog merges them per code for
``wellnesslint rules``, ``wellnesslint rule CODE``, the SARIF rule metadata and ``--statistics``.
It also holds ``WL900`` (unused suppression), which is not a claim rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from . import suppress

LANG_ORDER = ("en", "nl")

# How to fix, per category, when a rule has no fix_hint or rewrite templates of its own.
CATEGORY_FIX = {
    "cure_claim": "Do not say or suggest that the product cures, treats, relieves or prevents a disease or "
    "condition. Describe what people experience ('some people find it calming'), say that effects differ "
    "per person, and add that it is no treatment and no substitute for medical care.",
    "absolute_claim": "Drop guarantees and absolutes ('always', 'for everyone', '100%', 'miracle'); say that "
    "experiences and effects differ per person.",
    "safety_claim": "Do not promise total safety or 'no side effects'. Name the known risks, who should not use "
    "it (medication, pregnancy, mental-health history) and advise consulting a professional.",
    "evidence_claim": "Do not call it proven or endorsed. Describe the research honestly (early, small, mixed, "
    "often self-reported) and cite the study you rely on.",
    "discourages_treatment": "Never advise stopping, replacing or distrusting medical treatment. Tell readers to "
    "keep their treatment and to talk to their doctor before combining or changing anything.",
    "missing_disclaimer": "Add the missing safety text to the page.",
    suppress.CATEGORY: "Remove the comment, or the codes in it that no longer suppress a finding.",
}

WL900_DOC = {
    "message": "A `wellnesslint-disable` comment that suppressed no finding.",
    "rationale": "Suppression comments outlive the copy they were written for. When the sentence is rewritten "
    "or removed, a leftover comment silently hides the next claim written in its place. Reporting unused "
    "suppressions (like ruff's RUF100) keeps every suppression deliberate.",
    "match": [
        "<!-- wellnesslint-disable-next-line WL101 -->\nOnze thee is heerlijk bij een rustige avond.",
    ],
    "no_match": [
        "<!-- wellnesslint-disable-next-line WL101 -->\nDeze thee geneest hoofdpijn.",
    ],
}


@dataclass
class RuleDoc:
    code: str
    name: str
    category: str
    severity: str
    profile: str = "default"
    kind: str = ""
    langs: dict[str, Any] = field(default_factory=dict)  # lang -> ruleset.Rule
    builtin: bool = True
    source: str = ""  # the YAML file of a team's own rule

    def by_lang(self) -> list[tuple[str, Any]]:
        order = {lang: i for i, lang in enumerate(LANG_ORDER)}
        return sorted(self.langs.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))

    def primary(self) -> Any | None:
        items = self.by_lang()
        return items[0][1] if items else None

    @property
    def languages(self) -> list[str]:
        return [lang for lang, _ in self.by_lang()]

    def short_description(self) -> str:
        rule = self.primary()
        if rule is None:
            return WL900_DOC["message"] if self.code == suppress.CODE else self.name.replace("-", " ").capitalize()
        return fill_slots(rule.message, self.by_lang()[0][0])

    def rationale(self) -> str:
        rule = self.primary()
        if rule is None:
            return WL900_DOC["rationale"] if self.code == suppress.CODE else ""
        return " ".join(rule.rationale.split())

    def references(self) -> list[str]:
        out: list[str] = []
        for _, rule in self.by_lang():
            for ref in rule.references:
                if ref not in out:
                    out.append(ref)
        return out

    def fix(self) -> tuple[list[str], list[tuple[str, str]]]:
        """(fix hints, [(lang, rewrite template)]) -- the category's advice when the rule has none."""
        hints: list[str] = []
        rewrites: list[tuple[str, str]] = []
        for lang, rule in self.by_lang():
            hint = getattr(rule, "fix_hint", "") or ""
            if hint and hint not in hints:
                hints.append(hint)
            for template in getattr(rule, "rewrite", []) or []:
                rewrites.append((lang, template))
        if not hints and not rewrites:
            hints.append(CATEGORY_FIX.get(self.category, ""))
        return [h for h in hints if h], rewrites


_GENERIC = {
    "en": {"product": "the product", "condition": "a condition", "medication": "medication", "care": "medical care", "state": "a state"},
    "nl": {"product": "het product", "condition": "een aandoening", "medication": "medicatie", "care": "medische zorg", "state": "een toestand"},
}


class _Generic(dict):
    def __init__(self, lang: str) -> None:
        super().__init__()
        self.words = _GENERIC.get(lang, _GENERIC["en"])

    def __missing__(self, key: str) -> str:
        return self.words.get(key, key)


def fill_slots(message: str, lang: str = "en") -> str:
    """A message template with generic words in its slots ("{condition}" -> "a condition")."""
    try:
        return message.format_map(_Generic(lang))
    except (ValueError, IndexError, KeyError):
        return message


@dataclass
class DataRule:
    """A rule defined outside ``rules:`` (a document check in ``topics:``/``disclaimers:``)."""

    id: str
    name: str
    category: str
    severity: str
    message: str
    rationale: str = ""
    references: list[str] = field(default_factory=list)
    examples_match: list[str] = field(default_factory=list)
    examples_no_match: list[str] = field(default_factory=list)
    profile: str = "default"
    kind: str = "document"
    fix_hint: str = ""
    rewrite: list[str] = field(default_factory=list)
    path: str = ""


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def extra_rules(rs: Any) -> list[DataRule]:
    """Rules with a code that live in a ruleset's other sections (topics, disclaimers)."""
    out: dict[str, DataRule] = {}
    known = {r.id for r in getattr(rs, "rules", [])}
    stack: list[tuple[Any, str]] = [(getattr(rs, "extra", {}) or {}, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            rid = item.get("id")
            if isinstance(rid, str) and re.fullmatch(r"WL\d{3}", rid) and rid not in known and rid not in out:
                examples = item.get("examples") if isinstance(item.get("examples"), dict) else {}
                category = item.get("category") or ("missing_disclaimer" if "element" in item else "")
                out[rid] = DataRule(
                    id=rid,
                    name=str(item.get("name") or item.get("element") or rid.lower()),
                    category=str(category),
                    severity=str(item.get("severity") or "warning"),
                    message=str(item.get("message") or ""),
                    rationale=str(item.get("rationale") or ""),
                    references=_strings(item.get("references")),
                    examples_match=_strings(examples.get("match", examples.get("missing"))),
                    examples_no_match=_strings(examples.get("no_match", examples.get("present"))),
                    fix_hint=str(item.get("fix_hint") or ""),
                    rewrite=_strings(item.get("rewrite")),
                    path=path,
                )
            stack.extend((v, path) for v in item.values() if isinstance(v, (dict, list, tuple)))
        elif isinstance(item, (list, tuple)):
            if len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], (dict, list)):
                stack.append((item[1], item[0]))  # (file, section) pairs in Ruleset.extra
                continue
            stack.extend((v, path) for v in item if isinstance(v, (dict, list, tuple)))
    return sorted(out.values(), key=lambda r: r.id)


def build(rulesets: Mapping[str, Any], builtin_ids: Mapping[str, set[str]] | None = None) -> dict[str, RuleDoc]:
    """code -> RuleDoc for every rule of every language, plus WL900; sorted by code.

    ``builtin_ids`` (lang -> codes) marks which rules are built in; without it all are.
    """
    docs: dict[str, RuleDoc] = {}
    for lang, rs in rulesets.items():
        for rule in [*rs.rules, *extra_rules(rs)]:
            doc = docs.get(rule.id)
            builtin = builtin_ids is None or rule.id in builtin_ids.get(lang, set())
            if doc is None:
                doc = docs[rule.id] = RuleDoc(
                    rule.id, rule.name, rule.category, rule.severity, rule.profile, rule.kind,
                    builtin=builtin, source="" if builtin else rule.path,
                )
            doc.langs[lang] = rule
    docs[suppress.CODE] = RuleDoc(suppress.CODE, suppress.NAME, suppress.CATEGORY, suppress.SEVERITY, kind="comment")
    return dict(sorted(docs.items()))


def doc_for(code: str, catalog: Mapping[str, RuleDoc], finding: Any | None = None) -> RuleDoc:
    """The catalog entry for ``code``, or a minimal one made from a finding of an unknown rule."""
    doc = catalog.get(code)
    if doc is not None:
        return doc
    category = getattr(finding, "category", "") or ""
    severity = getattr(finding, "severity", "warning") or "warning"
    return RuleDoc(code, code.lower(), category, severity, builtin=False)


def default_catalog() -> dict[str, RuleDoc]:
    from . import engine

    return build(engine.get_rulesets(None))
