"""Baseline files: accept the findings a site already has, report only new ones.

A baseline is a JSON file::

    {
      "version": 1,
      "tool": "wellnesslint",
      "findings": [
        {"path": "shop/thee.md", "rule": "WL101", "sentence": "deze thee geneest hoofdpijn.", "count": 1}
      ]
    }

An entry matches on the file (relative to the baseline file's folder, with ``/``), the rule and
the flagged sentence, normalised (typographic quotes made plain, whitespace collapsed,
case-folded) -- never on line numbers, so an entry survives edits elsewhere in the file. Each
entry has a count: a second copy of the same claim in the same file is a new finding. Entries are
sorted, so the file is stable under version control.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .models import Finding

VERSION = 1

_QUOTES = str.maketrans(
    {
        "’": "'", "‘": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "″": '"', "«": '"', "»": '"',
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u200b": "", "\ufeff": "",
        "\u2011": "-", "\u2010": "-", "–": "-", "—": "-",
    }
)

Key = tuple[str, str, str, str]  # path, rule, sentence, element ("" for claims)


class BaselineError(Exception):
    """A baseline file that cannot be read; ``str()`` is one line naming the file."""


def normalise_sentence(text: str) -> str:
    """The form a flagged sentence is compared in: plain quotes, single spaces, case-folded."""
    return " ".join(text.translate(_QUOTES).split()).casefold()


def relative_path(path: str, base_dir: str) -> str:
    """``path`` relative to ``base_dir`` with ``/`` separators (stdin names are kept as given)."""
    if path == "-" or path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(base_dir))
    except ValueError:  # another drive on Windows
        rel = os.path.abspath(path)
    from .discover import printable  # a file name that is not UTF-8: escaped, as in the report

    return printable(rel.replace(os.sep, "/"))


def finding_key(f: Finding, base_dir: str = ".") -> Key:
    return (
        relative_path(f.path, base_dir),
        f.rule,
        normalise_sentence(f.sentence or f.text),
        f.element or "",
    )


def fingerprints(findings: Sequence[Finding], base_dir: str = ".") -> dict[int, str]:
    """A stable fingerprint per finding (by ``id()``): the baseline key plus the occurrence number.

    Used by the GitLab report; stable under edits elsewhere in the file, like the baseline.
    """
    seen: Counter[Key] = Counter()
    out = {}
    for f in sorted(findings, key=Finding.sort_key):
        key = finding_key(f, base_dir)
        seen[key] += 1
        raw = "\0".join((*key, str(seen[key])))
        out[id(f)] = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return out


@dataclass
class Result:
    new: list[Finding]
    matched: int  # findings the baseline accepted
    stale: int  # baseline entries (counted) for the checked files that no longer occur


class Baseline:
    def __init__(self, path: str, entries: Counter[Key]) -> None:
        self.path = path
        self.base_dir = os.path.dirname(os.path.abspath(path))
        self.entries = entries

    @classmethod
    def load(cls, path: str) -> Baseline:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise BaselineError(f"{path}: baseline file not found (create it with --update-baseline)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read baseline: {exc}") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}:{exc.lineno}: invalid JSON in baseline: {exc.msg}") from None
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{path}: not a wellnesslint baseline (expected an object with a `findings` list)")
        if data.get("version") != VERSION:
            raise BaselineError(f"{path}: version: unsupported baseline version {data.get('version')!r} (expected {VERSION})")
        entries: Counter[Key] = Counter()
        for i, item in enumerate(data["findings"]):
            if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("path", "rule", "sentence")):
                raise BaselineError(f"{path}: findings[{i}]: needs string `path`, `rule` and `sentence`")
            count = item.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise BaselineError(f"{path}: findings[{i}].count: must be a whole number of at least 1")
            key = (item["path"], item["rule"], normalise_sentence(item["sentence"]), str(item.get("element") or ""))
            entries[key] += count
        return cls(path, entries)

    def filter(self, findings: Iterable[Finding], checked_paths: Iterable[str] = ()) -> Result:
        remaining = Counter(self.entries)
        new = []
        matched = 0
        for f in sorted(findings, key=Finding.sort_key):
            key = finding_key(f, self.base_dir)
            if remaining[key] > 0:
                remaining[key] -= 1
                matched += 1
            else:
                new.append(f)
        checked = {relative_path(p, self.base_dir) for p in checked_paths}
        stale = sum(n for key, n in remaining.items() if n > 0 and key[0] in checked)
        return Result(new, matched, stale)


def dumps(findings: Iterable[Finding], base_dir: str) -> str:
    counts: Counter[Key] = Counter(finding_key(f, base_dir) for f in findings)
    items = []
    for (path, rule, sentence, element), n in sorted(counts.items()):
        item = {"path": path, "rule": rule, "sentence": sentence}
        if element:
            item["element"] = element
        item["count"] = n
        items.append(item)
    data = {"version": VERSION, "tool": "wellnesslint", "findings": items}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(path: str, findings: Iterable[Finding]) -> int:
    """Write the baseline for ``findings`` to ``path`` (atomically); returns the number of findings."""
    findings = list(findings)
    text = dumps(findings, os.path.dirname(os.path.abspath(path)))
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
    return len(findings)
