"""Reporters: functions from findings to text. One module per output format.

Every reporter takes the findings and a mapping ``path -> decoded source text`` (for source
snippets, and the list of checked files; reporters never read files) and returns the whole
output as a string. Formats that describe rules (SARIF, statistics) also take the rule catalog
(``wellnesslint.catalog``); it is loaded from the built-in rulesets when not given.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..models import Finding

OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit", "html")


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Stable report order: path, line, column, rule."""
    return sorted(findings, key=lambda f: f.sort_key())


def _catalog(rules: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if rules is not None:
        return rules
    from ..catalog import default_catalog

    return default_catalog()


def render(
    findings: Sequence[Finding],
    output_format: str = "full",
    *,
    sources: Mapping[str, str] | None = None,
    color: bool = False,
    summary: bool = True,
    errors: int = 0,
    rules: Mapping[str, Any] | None = None,
    statistics: bool = False,
) -> str:
    """Render ``findings`` in ``output_format`` (one of :data:`OUTPUT_FORMATS`).

    ``errors`` is the number of files that could not be checked (mentioned in the summary);
    ``statistics`` renders counts per rule instead of the findings (as JSON for ``json``).
    """
    if output_format not in OUTPUT_FORMATS:
        raise ValueError(f"unknown output format {output_format!r} (expected one of: {', '.join(OUTPUT_FORMATS)})")
    sources = sources or {}
    if statistics:
        from . import statistics as stats

        return stats.render(findings, _catalog(rules), as_json=output_format in ("json", "json-lines"), summary=summary)
    if output_format == "json":
        from . import json

        return json.render(findings)
    if output_format == "json-lines":
        from . import json_lines

        return json_lines.render(findings)
    if output_format == "sarif":
        from . import sarif

        return sarif.render(findings, _catalog(rules), sources=sources, errors=errors)
    if output_format == "github":
        from . import github

        return github.render(findings)
    if output_format == "gitlab":
        from . import gitlab

        return gitlab.render(findings)
    if output_format == "junit":
        from . import junit

        return junit.render(findings, sources=sources)
    if output_format == "html":
        from . import html

        return html.render(findings, sources=sources, errors=errors)
    from . import text

    return text.render(
        findings,
        sources=sources,
        color=color,
        concise=output_format == "concise",
        summary=summary,
        errors=errors,
    )


def write(
    stream: Any,
    findings: Sequence[Finding],
    output_format: str = "full",
    **options: Any,
) -> None:
    """Write what :func:`render` returns to ``stream``; the text formats line by line, as they
    are made (a report on a whole site is never held in memory whole)."""
    if output_format in ("full", "concise") and not options.get("statistics"):
        from . import text

        batch: list[str] = []
        for line in text.lines(
            findings,
            sources=options.get("sources") or {},
            color=options.get("color", False),
            concise=output_format == "concise",
            summary=options.get("summary", True),
            errors=options.get("errors", 0),
        ):
            batch.append(line)
            if len(batch) >= 256:
                batch.append("")
                stream.write("\n".join(batch))
                batch = []
        if batch:
            batch.append("")
            stream.write("\n".join(batch))
        return
    output = render(findings, output_format, **options)
    if output:
        stream.write(output)
