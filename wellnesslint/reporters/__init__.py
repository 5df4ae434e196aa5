"""Reporters: functions from findings to text. One module per output format.

Every reporter takes the findings and a mapping ``path -> decoded source text`` (for source
snippets; reporters never read files) and returns the whole output as a string.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..models import Finding

OUTPUT_FORMATS = ("full", "concise", "json")


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Stable report order: path, line, column, rule."""
    return sorted(findings, key=lambda f: f.sort_key())


def render(
    findings: Sequence[Finding],
    output_format: str = "full",
    *,
    sources: Mapping[str, str] | None = None,
    color: bool = False,
    summary: bool = True,
    errors: int = 0,
) -> str:
    """Render ``findings`` in ``output_format`` (one of :data:`OUTPUT_FORMATS`).

    ``errors`` is the number of files that could not be checked (mentioned in the summary).
    """
    if output_format == "json":
        from . import json

        return json.render(findings)
    if output_format in ("full", "concise"):
        from . import text

        return text.render(
            findings,
            sources=sources or {},
            color=color,
            concise=output_format == "concise",
            summary=summary,
            errors=errors,
        )
    raise ValueError(f"unknown output format {output_format!r} (expected one of: {', '.join(OUTPUT_FORMATS)})")
