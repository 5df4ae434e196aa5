"""Load and validate rulesets: ``rulesets/<lang>/*.yaml``.

Per language folder:
- ``language.yaml``: the language profile (see language.py);
- any file with ``lexicons:``: named lists of regex fragments, referenced in rules as ``{name}``;
- any file with ``rules:``: claim rules, each validated against the schema below.

Every problem is reported as ``file:line: key: message`` (a DataError), never as a traceback.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .language import LanguageProfile, load_profile, words_pattern
from .models import CATEGORIES, SEVERITIES
from .yamlload import DataError, LDict, LList, load_yaml

RULE_KINDS = ("phrase", "pair")
PROFILES = ("default", "strict")

# key -> description; kind-specific keys come from the kind module's KEYS
COMMON_KEYS = {
    "id": "rule code, WL followed by three digits (required)",
    "kind": f"one of {', '.join(RULE_KINDS)} (required)",
    "category": f"one of {', '.join(CATEGORIES[:-1])} (required)",
    "severity": f"one of {', '.join(SEVERITIES)} (required)",
    "name": "short kebab-case name (required)",
    "message": "what the finding says, in the ruleset's language (required)",
    "rationale": "why it matters: legal basis and evidence (required)",
    "references": "list of URLs or citations for the legal basis (required)",
    "examples": "mapping with `match` and `no_match` lists of sentences (required)",
    "negatable": "whether a negation around the claim cancels it (default true)",
    "hedgeable": "whether a hedge on the claim predicate cancels it (default true)",
    "qualifiable": "whether a qualifying clause ('but not for everyone') cancels it (default false)",
    "in_questions": "whether the claim also stands in a question (default false)",
    "unless_supervised": "whether advice given under a professional's supervision cancels it (default false)",
    "profile": "default | strict: the profile the rule belongs to (default: default)",
    "rewrite": "balanced rewrite template(s) with {product}/{condition} slots",
    "fix_hint": "one line on how to fix it",
}


@dataclass
class Rule:
    """One rule of a ruleset: its metadata, matcher, guards and examples (built from YAML)."""

    id: str
    name: str
    kind: str
    category: str
    severity: str
    message: str
    rationale: str
    references: list[str]
    examples_match: list[str]
    examples_no_match: list[str]
    matcher: Any
    lang: str
    path: str
    line: int
    negatable: bool = True
    hedgeable: bool = True
    qualifiable: bool = False
    in_questions: bool = False
    unless_supervised: bool = False
    profile: str = "default"
    rewrite: list[str] = field(default_factory=list)
    fix_hint: str = ""
    # trigger.Trigger over the patterns of the rules of this profile (keys: rule id, kind, index),
    # built for the matcher in ``gated``: it tells which patterns can match a text at all
    gate: Any = field(default=None, repr=False, compare=False)
    gated: Any = field(default=None, repr=False, compare=False)

    def find(self, text: str):
        gate = self.gate
        if gate is None or self.gated is not self.matcher:  # no gate, or the matcher was replaced
            return self.matcher.find(text)
        only = gate.by_rule(text).get(self.id)
        if only is None:
            return []  # none of the rule's trigger stems occurs: it cannot match
        if ("*", 0) in only:  # a kind the trigger does not know: run it in full
            return self.matcher.find(text)
        return self.matcher.find(text, only)


@dataclass
class Ruleset:
    """Everything one language's ruleset folder defines, compiled."""

    lang: str
    profile: LanguageProfile
    lexicons: dict[str, list[str]]
    rules: list[Rule]
    prefilter: regex.Pattern[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # other top-level sections (topics, ...)
    # objects compiled from the ruleset by other modules (document checks, ...), kept with it
    compiled: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def rules_for(self, text: str, profile: str = "default") -> list[Rule]:
        """The rules of ``profile`` that may find a candidate in ``text``, in ruleset order: the
        others' ``find`` would return nothing (their trigger stems do not occur)."""
        plan = self.__dict__.get("_plan")
        if plan is None or plan[0] is not self.rules or plan[1] != len(self.rules):
            plan = self._make_plan()
        gates, order, ungated = plan[2], plan[3], plan[4]
        wanted = [r for r in ungated if r.profile == "default" or r.profile == profile]
        for gate, gate_profile in gates:
            if gate_profile != "default" and gate_profile != profile:
                continue  # a gate serves the rules of one profile
            for rid in gate.by_rule(text):
                rule = order.get(rid)
                if rule is not None and (rule[1].profile == "default" or rule[1].profile == profile):
                    wanted.append(rule[1])
        if len(wanted) > 1:
            index = {id(r): i for i, r in enumerate(self.rules)} if ungated else None
            wanted.sort(key=(lambda r: order[r.id][0]) if index is None else (lambda r: index[id(r)]))
        return wanted

    def _make_plan(self):
        gates: dict[int, tuple[Any, str]] = {}
        order: dict[str, tuple[int, Rule]] = {}
        ungated = []
        for i, r in enumerate(self.rules):
            g = gates.get(id(r.gate))
            if r.gate is None or r.gated is not r.matcher or (g is not None and g[1] != r.profile):
                ungated.append(r)
            else:
                gates[id(r.gate)] = (r.gate, r.profile)
                order[r.id] = (i, r)
        plan = (self.rules, len(self.rules), list(gates.values()), order, ungated)
        self.__dict__["_plan"] = plan
        return plan


def _kind_module(kind: str):
    return importlib.import_module(f"wellnesslint.rules.{kind}")


def _req_str(rule: LDict, key: str, path: str) -> str:
    if key not in rule:
        raise DataError(path, rule.line, key, f"required key is missing in rule {rule.get('id', '?')}")
    val = rule[key]
    if not isinstance(val, str) or not val.strip():
        raise DataError(path, rule.line_of(key), key, "must be a non-empty string")
    return val


def _str_list(rule: LDict, key: str, path: str, required: bool = True) -> LList:
    if key not in rule:
        if required:
            raise DataError(path, rule.line, key, f"required key is missing in rule {rule.get('id', '?')}")
        empty = LList()
        empty.line, empty.lines = rule.line, []
        return empty
    val = rule[key]
    if not isinstance(val, list) or not val or not all(isinstance(v, str) and v.strip() for v in val):
        raise DataError(path, rule.line_of(key), key, "must be a non-empty list of strings")
    return val


def build_rule(rule: Any, lexicons: dict[str, list[str]], lang: str, path: str) -> Rule:
    if not isinstance(rule, LDict):
        line = getattr(rule, "line", None)
        raise DataError(path, line, "rules", "each rule must be a mapping")
    kind = _req_str(rule, "kind", path)
    if kind not in RULE_KINDS:
        raise DataError(path, rule.line_of("kind"), "kind", f"unknown kind {kind!r} (allowed: {', '.join(RULE_KINDS)})")
    module = _kind_module(kind)
    allowed = {**COMMON_KEYS, **module.KEYS}
    for key in rule:
        if key not in allowed:
            raise DataError(path, rule.line_of(key), str(key), f"unknown key in a {kind} rule (allowed: {', '.join(allowed)})")
    rid = _req_str(rule, "id", path)
    if not regex.fullmatch(r"WL\d{3}", rid):
        raise DataError(path, rule.line_of("id"), "id", f"{rid!r} is not a rule code like WL101")
    category = _req_str(rule, "category", path)
    if category not in CATEGORIES:
        raise DataError(path, rule.line_of("category"), "category", f"{category!r} is not one of {', '.join(CATEGORIES)}")
    severity = _req_str(rule, "severity", path)
    if severity not in SEVERITIES:
        raise DataError(path, rule.line_of("severity"), "severity", f"{severity!r} is not one of {', '.join(SEVERITIES)}")
    name = _req_str(rule, "name", path)
    message = _req_str(rule, "message", path)
    rationale = _req_str(rule, "rationale", path)
    references = _str_list(rule, "references", path)
    examples = rule.get("examples")
    if not isinstance(examples, LDict):
        raise DataError(path, rule.line_of("examples"), "examples", f"rule {rid} needs examples with `match` and `no_match` lists")
    for key in examples:
        if key not in ("match", "no_match"):
            raise DataError(path, examples.line_of(key), f"examples.{key}", "unknown key (allowed: match, no_match)")
    ex_match = _str_list(examples, "match", path)
    ex_no = _str_list(examples, "no_match", path)
    flags = {}
    for key, default in (("negatable", True), ("hedgeable", True), ("qualifiable", False), ("in_questions", False), ("unless_supervised", False)):
        val = rule.get(key, default)
        if not isinstance(val, bool):
            raise DataError(path, rule.line_of(key), key, "must be true or false")
        flags[key] = val
    profile = rule.get("profile", "default")
    if profile not in PROFILES:
        raise DataError(path, rule.line_of("profile"), "profile", f"must be one of {', '.join(PROFILES)}")
    rewrite = rule.get("rewrite", [])
    if isinstance(rewrite, str):
        rewrite = [rewrite]
    if not isinstance(rewrite, list) or not all(isinstance(r, str) for r in rewrite):
        raise DataError(path, rule.line_of("rewrite"), "rewrite", "must be a string or a list of strings")
    for key in module.KEYS:
        if key in ("patterns", "predicates", "objects"):
            _str_list(rule, key, path, required=key in module.REQUIRED)
    if "window" in rule and (not isinstance(rule["window"], int) or not 0 <= rule["window"] <= 20):
        raise DataError(path, rule.line_of("window"), "window", "must be a whole number from 0 to 20")
    if "order" in rule and rule["order"] not in ("any", "predicate_first", "object_first"):
        raise DataError(path, rule.line_of("order"), "order", "must be any, predicate_first or object_first")
    matcher = module.build(rule, lexicons, path)
    return Rule(
        id=rid,
        name=name,
        kind=kind,
        category=category,
        severity=severity,
        message=message,
        rationale=rationale,
        references=list(references),
        examples_match=list(ex_match),
        examples_no_match=list(ex_no),
        matcher=matcher,
        lang=lang,
        path=path,
        line=rule.line,
        profile=profile,
        rewrite=list(rewrite),
        fix_hint=str(rule.get("fix_hint", "")),
        **flags,
    )


def _load_lexicons(data: LDict, path: str, into: dict[str, list[str]]) -> None:
    lex = data["lexicons"]
    if not isinstance(lex, LDict):
        raise DataError(path, data.line_of("lexicons"), "lexicons", "must be a mapping of name -> list of patterns")
    for name, items in lex.items():
        if not regex.fullmatch(r"[a-z_]+", str(name)) or str(name).startswith("gap"):
            raise DataError(path, lex.line_of(name), f"lexicons.{name}", "lexicon names are lowercase words (not gap...)")
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            raise DataError(path, lex.line_of(name), f"lexicons.{name}", "must be a non-empty list of strings")
        for i, item in enumerate(items):
            try:
                regex.compile(item)
            except regex.error as exc:
                raise DataError(path, items.line_of(i), f"lexicons.{name}", f"invalid pattern {item!r}: {exc}") from None
        into.setdefault(str(name), []).extend(items)


def load_language_dir(folder: Path, base: Ruleset | None = None) -> Ruleset:
    """Load one language folder. ``base`` (built-in rules) is extended by a team's own folder."""
    lang_file = folder / "language.yaml"
    if base is None:
        if not lang_file.is_file():
            raise DataError(folder, None, None, "a language folder needs a language.yaml profile")
        profile = load_profile(lang_file)
        lexicons: dict[str, list[str]] = {}
        rules: list[Rule] = []
        extra: dict[str, Any] = {}
    else:
        profile = base.profile
        lexicons = {k: list(v) for k, v in base.lexicons.items()}
        rules = list(base.rules)
        extra = {k: list(v) for k, v in base.extra.items()}  # never append to the built-in lists
    files = sorted(p for p in folder.glob("*.yaml") if p.name != "language.yaml")
    docs = []
    for path in files:
        data = load_yaml(path)
        if data is None:
            continue
        if not isinstance(data, LDict):
            raise DataError(path, 1, None, "a ruleset file must be a mapping with `lexicons`, `rules` or `topics`")
        docs.append((str(path), data))
        if "lexicons" in data:
            _load_lexicons(data, str(path), lexicons)
    seen = {(r.id) for r in rules}
    new_rules: list[Rule] = []
    for path, data in docs:
        for key in data:
            if key not in ("lexicons", "rules", "topics", "rewrites", "disclaimers"):
                raise DataError(path, data.line_of(key), str(key), "unknown section (allowed: lexicons, rules, topics, rewrites, disclaimers)")
            if key in ("topics", "rewrites", "disclaimers"):
                extra.setdefault(key, []).append((path, data[key]))
        items = data.get("rules", [])
        if not isinstance(items, list):
            raise DataError(path, data.line_of("rules"), "rules", "must be a list of rules")
        for item in items:
            rule = build_rule(item, lexicons, profile.lang, path)
            if rule.id in seen:
                raise DataError(path, rule.line, "id", f"duplicate rule id {rule.id} for language {profile.lang}")
            seen.add(rule.id)
            rules.append(rule)
            new_rules.append(rule)
    rs = Ruleset(profile.lang, profile, lexicons, rules, extra=extra)
    rs.prefilter = _prefilter(rules, profile.function_words)
    _gate(new_rules, profile.function_words)
    return rs


def _prefilter(rules: list[Rule], function_words: frozenset[str] = frozenset()):
    """A block without any hit cannot hold a claim: ``search(text, pos, endpos)`` is truthy
    exactly when one of the rules' source patterns matches (trigger.Prefilter; it behaves as the
    combined pattern ``(?:source)|(?:source)|...`` did, but tries only the rules whose stems
    occur)."""
    if not any(r.matcher.sources() for r in rules):
        return None
    from .trigger import Prefilter

    return Prefilter([r.matcher for r in rules], function_words)


def _gate(rules: list[Rule], function_words: frozenset[str]) -> None:
    """One trigger per profile over the patterns of ``rules`` (rules loaded earlier keep theirs)."""
    from .trigger import Trigger, pattern_keys

    for profile in sorted({r.profile for r in rules}):
        members = [r for r in rules if r.profile == profile]
        stems = {(r.id, kind, i): st for r in members for (kind, i), st in pattern_keys(r.matcher, function_words).items()}
        gate = Trigger(stems)
        for r in members:
            r.gate, r.gated = gate, r.matcher


def builtin_dir() -> Path:
    from . import resources

    # resources.rulesets_dir() without importing importlib.resources (2 ms of a one-file run) in
    # the two usual cases: the package data of an installed wheel (a regular package), and a
    # checkout, which has no wellnesslint/rulesets, so that importlib.resources finds nothing
    package = Path(__file__).parent / "rulesets"
    if (package / "__init__.py").is_file() and resources._has_languages(package):
        return package
    if not os.path.lexists(package):
        return resources._checkout_dir()
    return resources.rulesets_dir()


def load_rulesets(folder: Path | None = None) -> dict[str, Ruleset]:
    """Every language folder under ``folder`` (default: the built-in rulesets), compiled.

    The result is cached on disk by the contents of the files (see cache.py)."""
    from . import cache

    folder = folder or builtin_dir()
    return cache.cached("rulesets", lambda: cache.ruleset_files(folder), lambda: _load_rulesets(folder),
                        pack=cache.pack_rulesets, unpack=cache.unpack_rulesets)  # read in parts, on first use


def _load_rulesets(folder: Path) -> dict[str, Ruleset]:
    out = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and (p / "language.yaml").is_file()):
        rs = load_language_dir(sub)
        if rs.prefilter is not None:
            rs.prefilter.prepare()  # built before caching, not in every process
        out[rs.lang] = rs
    if not out:
        raise DataError(folder, None, None, "no language folders with a language.yaml found")
    from .rules.disclaimer import checks_for

    for rs in out.values():  # compiled here so that the cache holds them
        try:
            checks_for(rs)
        except DataError:
            pass  # reported when a document is checked, as before
    return out
