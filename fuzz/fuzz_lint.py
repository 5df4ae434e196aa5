"""Fuzz the whole lint path with atheris (coverage-guided, libFuzzer).

Each input is raw file bytes. They go through ``source.decode`` (which may refuse them with a
``SourceError``, the one expected exception), and their text -- the decoded text, or the bytes
read as UTF-8 with replacement characters when decoding refused them -- is linted as Markdown,
HTML and plain text. For every finding the harness checks what the property tests check
(tests/test_fuzz_properties.py), on inputs no generator thinks of:

- linting never raises;
- the finding's span lies inside the text and the text there is ``finding.text``;
- its line and column point at the same offset;
- applying every suggestion changes nothing outside the edited ranges.

Run (not part of CI; see README.md, "Fuzzing")::

    pip install atheris
    python fuzz/fuzz_lint.py fuzz/corpus -dict=fuzz/lint.dict -max_len=4096 -timeout=20 \\
        -rss_limit_mb=2048 -max_total_time=900

A crash, a hang (``-timeout``, seconds per input) or a memory blow-up (``-rss_limit_mb``) stops
the run and leaves the input as ``crash-*``, ``timeout-*`` or ``oom-*`` in the working folder;
``python fuzz/fuzz_lint.py crash-...`` replays one.
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

with atheris.instrument_imports(include=["wellnesslint"]):
    from wellnesslint.engine import lint_text
    from wellnesslint.fix import apply_suggestions
    from wellnesslint.models import LineIndex
    from wellnesslint.source import SourceError, decode

FORMATS = ("markdown", "html", "text")


def check(text: str, fmt: str) -> None:
    findings = lint_text(text, format=fmt, lang="auto", path="fuzz")
    lines = LineIndex(text)
    for f in findings:
        assert 0 <= f.offset <= f.end_offset <= len(text), (fmt, f)
        assert text[f.offset : f.end_offset] == f.text, (fmt, f)
        assert lines.position(f.offset) == (f.line, f.column), (fmt, f)
    fixed, result = apply_suggestions(text, findings, unsafe=True)
    pos = 0
    out = 0
    for edit in result.applied:  # in source order, not overlapping
        assert text[pos : edit.start] == fixed[out : out + edit.start - pos], (fmt, edit)
        out += edit.start - pos + len(edit.text)
        pos = edit.end
    assert text[pos:] == fixed[out:], fmt


def TestOneInput(data: bytes) -> None:
    try:
        text = decode(data).text
    except SourceError:
        text = data.decode("utf-8", "replace")
    for fmt in FORMATS:
        check(text, fmt)


def main() -> None:
    lint_text("Rustig.", format="text")  # load the rulesets before the clock starts
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
