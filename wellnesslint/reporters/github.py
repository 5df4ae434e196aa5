"""GitHub Actions workflow commands: one annotation per finding.

    ::error file=shop/thee.md,line=3,col=11,endLine=3,endColumn=28,title=WL101::Claims that ...

Severity ``error`` -> ``::error``, ``warning`` -> ``::warning``, ``info`` -> ``::notice``. Values
are escaped as the Actions toolkit does (``%``, CR, LF; in properties also ``:`` and ``,``).
"""

from __future__ import annotations

from typing import Sequence

from ..models import Finding
from . import sort_findings

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    level = LEVELS.get(f.severity, "warning")
    props = ",".join(
        f"{k}={escape_property(str(v))}"
        for k, v in (
            ("file", f.path.replace("\\", "/")),
            ("line", f.line),
            ("col", f.column),
            ("endLine", f.end_line),
            ("endColumn", f.end_column),
            ("title", f.rule),
        )
    )
    message = f.message
    replacement = (f.suggestion or {}).get("replacement")
    if replacement:
        message += f"\nsuggestion: {replacement}"
    return f"::{level} {props}::{escape_data(message)}"


def render(findings: Sequence[Finding]) -> str:
    return "".join(annotation(f) + "\n" for f in sort_findings(findings))
