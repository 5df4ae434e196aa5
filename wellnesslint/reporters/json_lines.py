"""JSON Lines output: one ``Finding.to_dict()`` object per line, sorted like ``json``."""

from __future__ import annotations

import json as _json
from typing import Sequence

from ..models import Finding
from . import sort_findings


def render(findings: Sequence[Finding]) -> str:
    return "".join(_json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in sort_findings(findings))
