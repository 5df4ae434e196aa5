"""GitLab code quality report (a JSON list, the Code Climate subset GitLab reads).

Each finding becomes ``{description, check_name, fingerprint, severity, location: {path,
lines: {begin, end}}}``. Paths are relative to ``$CI_PROJECT_DIR`` (else the working
directory). The fingerprint hashes the path, rule and normalised sentence plus the occurrence
number, so it stays the same when lines move (see ``wellnesslint.baseline``).
"""

from __future__ import annotations

import json as _json
import os
from typing import Sequence

from ..baseline import fingerprints, relative_path
from ..models import Finding
from . import sort_findings

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(findings: Sequence[Finding]) -> str:
    root = os.environ.get("CI_PROJECT_DIR") or "."
    ordered = sort_findings(findings)
    prints = fingerprints(ordered, root)
    out = []
    for f in ordered:
        out.append(
            {
                "description": f"{f.rule} {f.message}",
                "check_name": f.rule,
                "fingerprint": prints[id(f)],
                "severity": SEVERITY.get(f.severity, "minor"),
                "categories": ["Compliance"],
                "location": {
                    "path": relative_path(f.path, root),
                    "lines": {"begin": f.line, "end": max(f.end_line, f.line)},
                },
            }
        )
    return _json.dumps(out, ensure_ascii=False, indent=2) + "\n"
