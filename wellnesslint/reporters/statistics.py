"""``--statistics``: how many findings each rule produced, most frequent first.

Text::

      12  WL101  error    cure-claim
       3  WL205  warning  superlative-claim

JSON (with ``--output-format json``): a list of ``{code, name, category, severity, count}``.
"""

from __future__ import annotations

import json as _json
from collections import Counter
from typing import Any, Mapping, Sequence

from ..catalog import doc_for
from ..models import Finding


def rows(findings: Sequence[Finding], catalog: Mapping[str, Any]) -> list[dict[str, Any]]:
    counts = Counter(f.rule for f in findings)
    first = {}
    for f in findings:
        first.setdefault(f.rule, f)
    out = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        doc = doc_for(code, catalog, first[code])
        out.append({"code": code, "name": doc.name, "category": doc.category, "severity": first[code].severity, "count": n})
    return out


def render(findings: Sequence[Finding], catalog: Mapping[str, Any], *, as_json: bool = False, summary: bool = True) -> str:
    data = rows(findings, catalog)
    if as_json:
        return _json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if not data:
        return "All clean.\n" if summary else ""
    width = len(str(data[0]["count"]))
    sev = max(len(r["severity"]) for r in data)
    lines = [f"{r['count']:>{width}}  {r['code']}  {r['severity']:<{sev}}  {r['name']}".rstrip() for r in data]
    return "\n".join(lines) + "\n"
