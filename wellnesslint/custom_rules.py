"""A team's own rules: ``<folder>/<lang>/*.yaml`` next to the built-in rulesets.

A folder listed under ``rulesets`` in the configuration holds one subfolder per language
(``nl/``, ``en/``) with rule files in the built-in schema; they extend the built-in rules of that
language (``ruleset.load_language_dir(folder/lang, base=builtin)``), so they are validated the
same way (``file:line: key: message``). On top of that, because the patterns come from outside
the project:

- a pattern (or lexicon entry) may be at most :data:`PATTERN_LIMIT` characters long;
- every rule must pass its own examples when it is loaded: each ``match`` example must be
  flagged and each ``no_match`` example must not, judged exactly like the built-in examples
  (``tests/test_rule_examples.py``). A rule that fails does not load: the error names the file,
  the line of the example, the rule and the example;
- every regular-expression call of a team rule runs with a time limit (:data:`TIMEOUT` seconds,
  the ``regex`` module's ``timeout=``); a pattern that takes longer raises :class:`RuleTimeout`,
  which names the rule. Built-in rules run without a limit and keep their speed.

Rule code ``WL900`` is reserved (unused suppressions). A subfolder for a language that is not
built in needs its own ``language.yaml`` profile.

The engine takes a rulesets folder (``rulesets_dir``); a team's rules are not a folder of their
own but an extension of the built-in ones. :func:`rulesets_key` registers the extended rulesets
under a key and teaches ``engine.get_rulesets`` to answer for that key (every other argument goes
to the engine's own function unchanged).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from .config import display_path
from .ruleset import Ruleset, load_language_dir
from .yamlload import DataError, LDict, LList, load_yaml

PATTERN_LIMIT = 2000  # characters per pattern or lexicon entry
TIMEOUT = 0.5  # seconds per regular-expression call of a team's rule
RESERVED = frozenset({"WL900"})
_PATTERN_KEYS = ("patterns", "predicates", "objects", "phrases")
KEY_PREFIX = "wellnesslint-team-rules:"

_REGISTRY: dict[str, dict[str, Ruleset]] = {}


class RuleTimeout(Exception):
    """A team rule's pattern ran longer than the time limit."""

    def __init__(self, rule_id: str, rule_path: str, timeout: float) -> None:
        self.rule_id = rule_id
        self.rule_path = rule_path
        self.timeout = timeout
        super().__init__(rule_id, rule_path, timeout)

    def __str__(self) -> str:
        return (
            f"rule {self.rule_id} ({self.rule_path}) took longer than {self.timeout:g} s on one pattern match "
            "and was stopped; simplify its patterns (nested repeats such as (a+)+ backtrack without end)"
        )


class _GuardedMatcher:
    """Wraps a team rule's matcher: its regex calls time out, and the timeout names the rule."""

    def __init__(self, inner: Any, rule_id: str, rule_path: str, timeout: float) -> None:
        self.inner = inner
        self.rule_id = rule_id
        self.rule_path = rule_path
        self.timeout = timeout
        if hasattr(inner, "timeout"):
            inner.timeout = timeout

    def find(self, text: str):
        try:
            return self.inner.find(text)
        except TimeoutError:
            raise RuleTimeout(self.rule_id, self.rule_path, self.timeout) from None

    def sources(self) -> list[str]:
        return self.inner.sources()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class _TimedPrefilter:
    """The ruleset prefilter: the built-in part without a limit, each team rule's part with one."""

    def __init__(self, base: Any, custom: list[tuple[str, str, regex.Pattern[str]]], timeout: float) -> None:
        self.base = base
        self.custom = custom
        self.timeout = timeout

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        if endpos is None:
            endpos = len(text)
        if self.base is not None:
            hit = self.base.search(text, pos, endpos)
            if hit:
                return hit
        for rule_id, rule_path, pattern in self.custom:
            try:
                hit = pattern.search(text, pos, endpos, timeout=self.timeout)
            except TimeoutError:
                raise RuleTimeout(rule_id, rule_path, self.timeout) from None
            if hit:
                return hit
        return None


def _check_sizes(folder: Path) -> dict[tuple[str, str], LDict]:
    """Reject over-long patterns; returns (file, rule id) -> the rule's examples (with lines)."""
    examples: dict[tuple[str, str], LDict] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path)
        if not isinstance(data, LDict):
            continue
        lex = data.get("lexicons")
        if isinstance(lex, LDict):
            for name, items in lex.items():
                if isinstance(items, LList):
                    for i, item in enumerate(items):
                        if isinstance(item, str) and len(item) > PATTERN_LIMIT:
                            raise DataError(path, items.line_of(i), f"lexicons.{name}",
                                            f"pattern is {len(item)} characters long (at most {PATTERN_LIMIT})")
        rules = data.get("rules")
        if not isinstance(rules, list):
            continue
        for rule in rules:
            if not isinstance(rule, LDict):
                continue
            for key in _PATTERN_KEYS:
                items = rule.get(key)
                if isinstance(items, str):
                    items = [items]
                if not isinstance(items, list):
                    continue
                for i, item in enumerate(items):
                    if isinstance(item, str) and len(item) > PATTERN_LIMIT:
                        line = items.line_of(i) if isinstance(items, LList) else rule.line_of(key)
                        raise DataError(path, line, key, f"pattern is {len(item)} characters long (at most {PATTERN_LIMIT})")
            rid = rule.get("id")
            if isinstance(rid, str) and rid in RESERVED:
                raise DataError(path, rule.line_of("id"), "id", f"{rid} is reserved for unused suppressions; pick another code")
            if isinstance(rid, str) and isinstance(rule.get("examples"), LDict):
                examples[(str(path), rid)] = rule["examples"]
    return examples


def fires(rule: Any, rs: Ruleset, text: str) -> bool:
    """Does ``rule`` flag ``text``? The judgement the engine uses, for one rule (as the example tests do)."""
    from .claims import SentenceContext, stands
    from .engine import normalise

    for s, e in rs.profile.sentences(text):
        norm = normalise(text[s:e])
        ctx = SentenceContext.build(norm, rs.profile)
        if any(stands(c, rule, ctx) for c in rule.find(norm)):
            return True
    return False


def _self_check(rule: Any, rs: Ruleset, examples: LDict | None) -> None:
    for key, expected in (("match", True), ("no_match", False)):
        items = getattr(rule, "examples_match" if expected else "examples_no_match")
        for i, text in enumerate(items):
            lst = examples.get(key) if examples is not None else None
            line = lst.line_of(i) if isinstance(lst, LList) else rule.line
            try:
                got = fires(rule, rs, text)
            except RuleTimeout as exc:
                raise DataError(rule.path, line, f"examples.{key}", f"rule {rule.id} timed out on its example {text!r} "
                                f"(longer than {exc.timeout:g} s); simplify its patterns") from None
            if got != expected:
                what = (
                    f"rule {rule.id} does not flag its own example {text!r}"
                    if expected
                    else f"rule {rule.id} flags {text!r}, which it lists as an example that must pass"
                )
                raise DataError(rule.path, line, f"examples.{key}", what + "; the rule is not loaded")


def _extend(rulesets: dict[str, Ruleset], folder: Path, timeout: float) -> dict[str, Ruleset]:
    out = dict(rulesets)
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("." , "_")))
    if not subfolders:
        raise DataError(folder, None, "rulesets", "no language folders (expected <folder>/nl/*.yaml or <folder>/en/*.yaml)")
    for sub in subfolders:
        sub = Path(display_path(str(sub)))  # messages name the files as the user sees them
        examples = _check_sizes(sub)
        base = out.get(sub.name)
        if base is None and not (sub / "language.yaml").is_file():
            known = ", ".join(sorted(out))
            raise DataError(sub, None, "rulesets",
                            f"no built-in language {sub.name!r} (built in: {known}); a new language needs a language.yaml")
        rs = load_language_dir(sub, base=base)
        old = {id(r) for r in base.rules} if base is not None else set()
        new_rules = [r for r in rs.rules if id(r) not in old]
        for rule in new_rules:
            rule.matcher = _GuardedMatcher(rule.matcher, rule.id, rule.path, timeout)
        for rule in new_rules:
            _self_check(rule, rs, examples.get((rule.path, rule.id)))
        custom = []
        for rule in new_rules:
            srcs = rule.matcher.sources()
            if srcs:
                custom.append((rule.id, rule.path, regex.compile("|".join(f"(?:{s})" for s in srcs), regex.IGNORECASE)))
        if base is not None:
            rs.prefilter = _TimedPrefilter(base.prefilter, custom, timeout)
        elif rs.prefilter is not None:  # a whole new language: all of its rules are the team's
            rs.prefilter = _TimedPrefilter(None, custom, timeout)
        out[rs.lang] = rs
    return out


def _signature(folders: tuple[str, ...]) -> tuple:
    """Names, sizes and modification times of the rule files: a changed file is loaded again."""
    out = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*/*.yaml")):
            try:
                st = path.stat()
            except OSError:
                continue
            out.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _load(folders: tuple[str, ...], timeout: float) -> dict[str, Ruleset]:
    return _load_cached(folders, timeout, _signature(folders))


@lru_cache(maxsize=16)
def _load_cached(folders: tuple[str, ...], timeout: float, signature: tuple) -> dict[str, Ruleset]:
    from . import engine

    rulesets = dict(_builtin(engine))
    for folder in folders:
        path = Path(folder)
        if not path.is_dir():
            raise DataError(folder, None, "rulesets", "folder not found")
        rulesets = _extend(rulesets, path, timeout)
    return rulesets


def _builtin(engine: Any) -> dict[str, Ruleset]:
    return engine.get_rulesets(None)


def rulesets_for(folders: tuple[str, ...] = ()) -> dict[str, Ruleset]:
    """The built-in rulesets, extended by the team folders (in order)."""
    if not folders:
        from . import engine

        return _builtin(engine)
    return _load(tuple(os.path.abspath(f) for f in folders), TIMEOUT)


def builtin_ids() -> dict[str, set[str]]:
    from . import engine

    from .catalog import extra_rules

    return {lang: {r.id for r in [*rs.rules, *extra_rules(rs)]} for lang, rs in _builtin(engine).items()}


def rulesets_key(folders: tuple[str, ...]) -> str:
    """Register the rulesets for ``folders`` and return the ``rulesets_dir`` that selects them."""
    folders = tuple(os.path.abspath(f) for f in folders)
    key = KEY_PREFIX + os.pathsep.join(folders) + f"@{TIMEOUT:g}"
    _REGISTRY[key] = _load(folders, TIMEOUT)  # cached; loaded again when a rule file changed
    install_engine_hook()
    return key


def install_engine_hook() -> None:
    """Let ``engine.get_rulesets(key)`` return registered team rulesets (idempotent)."""
    from . import engine

    current = engine.get_rulesets
    if getattr(current, "_team_rules", False):
        return

    def get_rulesets(folder: str | None = None) -> dict[str, Ruleset]:
        if isinstance(folder, str) and folder.startswith(KEY_PREFIX):
            found = _REGISTRY.get(folder)
            if found is None:
                raise DataError(folder, None, None, "team rulesets were not registered in this process")
            return found
        return current(folder)

    get_rulesets._team_rules = True  # type: ignore[attr-defined]
    get_rulesets.__wrapped__ = current  # type: ignore[attr-defined]
    get_rulesets.cache_clear = getattr(current, "cache_clear", lambda: None)  # type: ignore[attr-defined]
    get_rulesets.__doc__ = current.__doc__
    engine.get_rulesets = get_rulesets
