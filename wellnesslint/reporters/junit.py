"""JUnit XML: one test suite per checked file, one failing test case per finding.

A file without findings gets one passing test case, so CI dashboards count checked pages.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Mapping, Sequence

from ..models import Finding
from . import sort_findings

# characters XML 1.0 does not allow, even escaped
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID.sub("\ufffd", text)


def render(findings: Sequence[Finding], *, sources: Mapping[str, str] | None = None) -> str:
    by_path: dict[str, list[Finding]] = {p: [] for p in (sources or {})}
    for f in sort_findings(findings):
        by_path.setdefault(f.path, []).append(f)
    total = sum(max(len(v), 1) for v in by_path.values())
    failures = sum(len(v) for v in by_path.values())
    root = ET.Element("testsuites", name="wellnesslint", tests=str(total), failures=str(failures), errors="0")
    for path in sorted(by_path):
        items = by_path[path]
        suite = ET.SubElement(
            root, "testsuite", name=_clean(path), tests=str(max(len(items), 1)), failures=str(len(items)), errors="0"
        )
        if not items:
            ET.SubElement(suite, "testcase", name="no findings", classname=_clean(path), file=_clean(path))
            continue
        for f in items:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{f.rule} at line {f.line}, column {f.column}",
                classname=_clean(path),
                file=_clean(path),
                line=str(f.line),
            )
            failure = ET.SubElement(case, "failure", message=_clean(f.message), type=f.rule)
            failure.text = _clean(f"{f.path}:{f.line}:{f.column}: {f.rule} [{f.severity}] {f.message}\n{f.sentence}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
