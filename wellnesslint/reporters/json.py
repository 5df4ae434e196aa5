"""JSON output: a list of ``Finding.to_dict()`` objects sorted by path, line, column and rule."""

from __future__ import annotations

import json as _json
from typing import Sequence

from ..models import Finding
from . import sort_findings


def render(findings: Sequence[Finding]) -> str:
    data = [f.to_dict() for f in sort_findings(findings)]
    return _json.dumps(data, ensure_ascii=False, indent=2) + "\n"
