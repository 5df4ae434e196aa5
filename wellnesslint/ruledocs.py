"""``wellnesslint rules`` (all rules) and ``wellnesslint rule CODE`` (one rule, explained).

The explanation follows ruff's ``ruff rule``: What it does / Why is this bad (rationale and
legal basis) / Examples (flagged and passing, per language) / How to fix. Everything comes from
the rule's data, so a team's own rules are documented the same way.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from .catalog import WL900_DOC, RuleDoc, fill_slots
from . import suppress


def rules_table(catalog: Mapping[str, RuleDoc]) -> str:
    rows = [("code", "name", "category", "severity", "profile", "languages")]
    for doc in catalog.values():
        langs = ", ".join(doc.languages) or "all"
        origin = "" if doc.builtin else "  (team rule)"
        rows.append((doc.code, doc.name, doc.category, doc.severity, doc.profile, langs + origin))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row, widths)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def rule_data(doc: RuleDoc) -> dict[str, Any]:
    hints, rewrites = doc.fix()
    data: dict[str, Any] = {
        "code": doc.code,
        "name": doc.name,
        "category": doc.category,
        "severity": doc.severity,
        "profile": doc.profile,
        "languages": doc.languages,
        "builtin": doc.builtin,
        "summary": doc.short_description(),
        "rationale": {lang: " ".join(r.rationale.split()) for lang, r in doc.by_lang()} or {"en": doc.rationale()},
        "references": doc.references(),
        "examples": {
            lang: {"match": list(r.examples_match), "no_match": list(r.examples_no_match)} for lang, r in doc.by_lang()
        },
        "fix": hints,
        "rewrite": [{"lang": lang, "template": t} for lang, t in rewrites],
    }
    if doc.code == suppress.CODE:
        data["examples"] = {"all": {"match": WL900_DOC["match"], "no_match": WL900_DOC["no_match"]}}
    if doc.source:
        data["source"] = doc.source
    return data


def rules_json(catalog: Mapping[str, RuleDoc]) -> str:
    return json.dumps([rule_data(d) for d in catalog.values()], ensure_ascii=False, indent=2) + "\n"


def _quote(text: str) -> list[str]:
    lines = text.splitlines() or [""]
    return [f"    {lines[0]}"] + [f"    {line}" for line in lines[1:]]


def explain(doc: RuleDoc, lang: str | None = None) -> str:
    """The Markdown-like explanation of one rule (optionally for one language only)."""
    items = [(l, r) for l, r in doc.by_lang() if lang is None or l == lang]
    out = [f"# {doc.name} ({doc.code})", ""]
    meta = f"Category: {doc.category} · Severity: {doc.severity} · Profile: {doc.profile}"
    meta += f" · Languages: {', '.join(doc.languages) or 'all'}"
    if not doc.builtin and doc.source:
        meta += f" · Team rule from {doc.source}"
    out += [meta, "", "## What it does"]
    if items:
        for l, r in items:
            out.append(f"- ({l}) {fill_slots(r.message, l)}")
    else:
        out.append(doc.short_description())
    out += ["", "## Why is this bad?"]
    if items:
        for l, r in items:
            out += [f"({l}) {' '.join(r.rationale.split())}", ""]
    else:
        out += [doc.rationale(), ""]
    refs = [ref for ref in doc.references() if not items or any(ref in r.references for _, r in items)]
    if refs:
        out.append("Legal basis and sources:")
        out += [f"- {ref}" for ref in refs]
        out.append("")
    out.append("## Examples")
    if items:
        for l, r in items:
            out += ["", f"### {l}", "Flagged:"]
            for text in r.examples_match:
                out += _quote(text)
            out.append("Passes:")
            for text in r.examples_no_match:
                out += _quote(text)
    elif doc.code == suppress.CODE:
        out += ["", "Flagged (the comment suppresses nothing):"]
        for text in WL900_DOC["match"]:
            out += _quote(text)
        out.append("Passes (the comment suppresses a WL101 finding):")
        for text in WL900_DOC["no_match"]:
            out += _quote(text)
    hints, rewrites = doc.fix()
    rewrites = [(l, t) for l, t in rewrites if lang is None or l == lang]
    out += ["", "## How to fix"]
    out += hints
    if rewrites:
        out.append("Rewrite templates:")
        out += [f"- ({l}) {t}" for l, t in rewrites]
    if doc.code != suppress.CODE:
        out += [
            "",
            f"To accept one occurrence, put `<!-- wellnesslint-disable-next-line {doc.code} -->` above it "
            f"(Markdown and HTML), or add {doc.code} to `ignore` or `per-file-ignores` in the configuration.",
        ]
    return "\n".join(out).rstrip() + "\n"
