"""SARIF 2.1.0 output (GitHub code scanning, Azure DevOps, IDE viewers).

One run with the tool's rule metadata -- id, name, short and full description, help with the
rationale, legal basis and how to fix, default level -- and one result per finding with its
region (1-based lines; columns count Unicode code points, declared with ``columnKind``;
``endColumn`` is the column after the last flagged character, as SARIF defines it). Relative
paths are given against ``%SRCROOT%`` (the working directory). The output validates against the
official schema (``tests/data/sarif-schema-2.1.0.json``).
"""

from __future__ import annotations

import json as _json
import os
import pathlib
from typing import Any, Mapping, Sequence
from urllib.parse import quote

from .. import __version__
from ..baseline import fingerprints
from ..catalog import RuleDoc, doc_for
from ..models import Finding
from . import sort_findings

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _help(doc: RuleDoc) -> dict[str, str]:
    hints, rewrites = doc.fix()
    refs = doc.references()
    text = [doc.short_description(), "", "Why is this bad?", doc.rationale() or "-"]
    md = [f"**{doc.code} {doc.name}**: {doc.short_description()}", "", "### Why is this bad?", doc.rationale() or "-"]
    if refs:
        text += ["", "Legal basis and sources:"] + [f"- {r}" for r in refs]
        md += ["", "### Legal basis and sources"] + [f"- {r}" for r in refs]
    if hints or rewrites:
        text += ["", "How to fix:"] + hints + [f"- ({lang}) {t}" for lang, t in rewrites]
        md += ["", "### How to fix"] + hints + [f"- ({lang}) {t}" for lang, t in rewrites]
    return {"text": "\n".join(text), "markdown": "\n".join(md)}


def descriptor(doc: RuleDoc) -> dict[str, Any]:
    tags = [t for t in (doc.category, *doc.languages) if t]
    props: dict[str, Any] = {"category": doc.category, "tags": list(dict.fromkeys(tags))}
    if doc.languages:
        props["languages"] = doc.languages
    if doc.profile != "default":
        props["profile"] = doc.profile
    refs = doc.references()
    if refs:
        props["references"] = refs
    return {
        "id": doc.code,
        "name": doc.name,
        "shortDescription": {"text": doc.short_description()},
        "fullDescription": {"text": doc.rationale() or doc.short_description()},
        "help": _help(doc),
        "defaultConfiguration": {"level": LEVELS.get(doc.severity, "warning")},
        "properties": props,
    }


def _artifact(path: str) -> dict[str, Any]:
    posix = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return {"uri": pathlib.Path(path).as_uri()}
    if posix == "-" or posix.startswith("<"):
        return {"uri": quote(posix.strip("<>") or "stdin")}
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def result(f: Finding, index: int, fingerprint: str) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": max(f.line, 1),
        "startColumn": max(f.column, 1),
        "endLine": max(f.end_line, f.line, 1),
        "endColumn": max(f.end_column, 1),
    }
    if f.text:
        region["snippet"] = {"text": f.text}
    props: dict[str, Any] = {"category": f.category, "severity": f.severity}
    if f.sentence:
        props["sentence"] = f.sentence
    if f.element:
        props["element"] = f.element
    replacement = (f.suggestion or {}).get("replacement")
    if replacement:
        props["suggestion"] = replacement
    return {
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(f.path), "region": region}}],
        "partialFingerprints": {"wellnesslint/v1": fingerprint},
        "properties": props,
    }


def build(
    findings: Sequence[Finding],
    catalog: Mapping[str, RuleDoc],
    *,
    sources: Mapping[str, str] | None = None,
    errors: int = 0,
) -> dict[str, Any]:
    ordered = sort_findings(findings)
    docs = dict(catalog)
    for f in ordered:  # rules not in the catalog (a newer engine's document checks) still get metadata
        if f.rule not in docs:
            docs[f.rule] = doc_for(f.rule, catalog, f)
    codes = sorted(docs)
    index = {code: i for i, code in enumerate(codes)}
    prints = fingerprints(ordered)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "wellnesslint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [descriptor(docs[c]) for c in codes],
            }
        },
        "invocations": [{"executionSuccessful": errors == 0}],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": pathlib.Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, index[f.rule], prints[id(f)]) for f in ordered],
    }
    if sources:
        run["artifacts"] = [{"location": _artifact(p)} for p in sorted(sources)]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(
    findings: Sequence[Finding],
    catalog: Mapping[str, RuleDoc],
    *,
    sources: Mapping[str, str] | None = None,
    errors: int = 0,
) -> str:
    return _json.dumps(build(findings, catalog, sources=sources, errors=errors), ensure_ascii=False, indent=2) + "\n"
