"""Suppression comments in Markdown and HTML, and WL900 for the ones that suppress nothing."""

import re

import pytest

import wellnesslint.engine
from wellnesslint import suppress
from wellnesslint.cli import main
from wellnesslint.models import Finding, LineIndex

WORDS = {"geneest": ("WL101", "cure_claim", "error"), "altijd": ("WL203", "absolute_claim", "warning")}


def findings_for(text, path="page.md"):
    index = LineIndex(text)
    out = []
    for m in re.finditer("|".join(WORDS), text):
        code, category, severity = WORDS[m.group()]
        (line, col), (el, ec) = index.position(m.start()), index.position(m.end())
        out.append(Finding(path, line, col, el, ec, code, category, severity, "m", m.group(), "", m.start(), m.end()))
    return out


def apply(text, fmt="markdown", **kw):
    kept = suppress.apply(findings_for(text), text, "page.md", fmt, **kw)
    return sorted((f.line, f.rule) for f in kept)


def test_range_with_codes_and_enable():
    text = (
        "geneest altijd\n"  # 1
        "<!-- wellnesslint-disable WL101 -->\n"  # 2
        "geneest altijd\n"  # 3
        "<!-- wellnesslint-enable -->\n"  # 4
        "geneest\n"  # 5
    )
    assert apply(text) == [(1, "WL101"), (1, "WL203"), (3, "WL203"), (5, "WL101")]


def test_range_without_codes_runs_to_the_end_of_the_file():
    text = "geneest\n<!-- wellnesslint-disable -->\ngeneest altijd\n\ngeneest\n"
    assert apply(text) == [(1, "WL101")]


def test_enable_with_a_code_ends_only_that_range():
    text = (
        "<!-- wellnesslint-disable WL101 -->\n"  # 1
        "<!-- wellnesslint-disable WL203 -->\n"  # 2
        "geneest altijd\n"  # 3
        "<!-- wellnesslint-enable WL203 -->\n"  # 4
        "geneest altijd\n"  # 5
    )
    assert apply(text) == [(5, "WL203")]


def test_disable_next_line_skips_blank_lines_and_covers_one_line():
    text = (
        "<!-- wellnesslint-disable-next-line WL101 -->\n"  # 1
        "\n"  # 2
        "geneest altijd\n"  # 3
        "geneest\n"  # 4
    )
    assert apply(text) == [(3, "WL203"), (4, "WL101")]


def test_disable_file_and_several_codes_with_commas_and_a_reason():
    text = "geneest altijd\n<!-- wellnesslint-disable-file WL101, WL203 -- approved by legal, ticket 42 -->\n"
    assert apply(text) == []
    assert apply("geneest altijd\n<!-- wellnesslint-disable-file -->\n") == []


def test_html_comments_and_inline_position():
    text = "<p>geneest <!-- wellnesslint-disable --> geneest</p>\n"
    assert apply(text, "html") == [(1, "WL101")]  # only the claim after the comment is suppressed
    assert [f.column for f in suppress.apply(findings_for(text), text, "p", "html")] == [4]


def test_text_files_have_no_comments():
    text = "<!-- wellnesslint-disable-file -->\ngeneest\n"
    assert apply(text, "text") == [(2, "WL101")]


def wl900(text, fmt="markdown", **kw):
    kept = suppress.apply(findings_for(text), text, "page.md", fmt, **kw)
    return [(f.line, f.column, f.end_column, f.message) for f in kept if f.rule == "WL900"]


def test_unused_suppressions_are_reported_as_wl900():
    text = (
        "<!-- wellnesslint-disable-next-line WL101 WL203 -->\n"  # 1: WL203 unused
        "geneest\n"  # 2
        "<!-- wellnesslint-disable-next-line -->\n"  # 3: nothing on line 4
        "rustig\n"  # 4
        "  <!-- wellnesslint-disable WL101 -->\n"  # 5: nothing until the end
    )
    assert wl900(text) == [
        (1, 1, 52, "Unused suppression in `wellnesslint-disable-next-line` (unused: WL203)"),
        (3, 1, 40, "Unused suppression: `wellnesslint-disable-next-line` suppressed no finding"),
        (5, 3, 38, "Unused suppression in `wellnesslint-disable` (unused: WL101)"),  # indented: column 3
    ]
    f = [f for f in suppress.apply([], text, "page.md", "markdown") if f.rule == "WL900"][0]
    assert (f.severity, f.category, f.text) == ("info", "unused_suppression", "<!-- wellnesslint-disable-next-line WL101 WL203 -->")


def test_wl900_names_unknown_and_not_enabled_codes_and_typos():
    text = "<!-- wellnesslint-disable-file WL101 WL999 WL1O1 -->\n<!-- wellnesslint-enable -->\n"
    got = wl900(text, known=lambda c: c != "WL999", enabled=lambda c: c != "WL101")
    assert got == [
        (1, 1, 53, "Unused suppression in `wellnesslint-disable-file` (not enabled: WL101; unknown: WL999; "
                   "not a rule code: WL1O1)"),
        (2, 1, 29, "`wellnesslint-enable` ends no open `wellnesslint-disable` range"),
    ]


def test_a_directive_with_only_typos_suppresses_nothing():
    text = "<!-- wellnesslint-disable-file WL1O1 -->\ngeneest\n"
    assert apply(text) == [(1, "WL900"), (2, "WL101")]


def test_report_unused_can_be_turned_off():
    assert suppress.apply([], "<!-- wellnesslint-disable -->", "p", "html", report_unused=False) == []


# --------------------------------------------------------------------------- through the command line


def fake_lint_text(text, *, path="<text>", **kw):
    return findings_for(text, path)


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setattr(wellnesslint.engine, "lint_text", fake_lint_text)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text(
        "<!-- wellnesslint-disable-next-line WL101 -->\ngeneest\n\n<!-- wellnesslint-disable-next-line WL203 -->\nrustig\n"
    )
    return tmp_path


def run(capsys, *argv):
    code = main(["check", "--output-format", "concise", *argv])
    out, err = capsys.readouterr()
    return code, out.splitlines()


def test_cli_suppressions_and_wl900(page, capsys):
    code, lines = run(capsys, "page.md")
    assert lines[0] == "page.md:4:1: WL900 [info] Unused suppression in `wellnesslint-disable-next-line` (unused: WL203)"
    assert len(lines) == 3 and code == 0  # info does not fail the run (fail-on: warning)
    code, lines = run(capsys, "page.md", "--ignore-suppressions")
    assert lines[:1] == ["page.md:2:1: WL101 [error] m"] and code == 1 and "WL900" not in "".join(lines)
    # WL900 is a rule like the others: it can be ignored, and a suppressed rule that is not selected
    # makes the comment unused
    code, lines = run(capsys, "page.md", "--ignore", "WL900")
    assert lines == ["All clean."]
    code, lines = run(capsys, "page.md", "--ignore", "WL101")
    assert lines[0] == "page.md:1:1: WL900 [info] Unused suppression in `wellnesslint-disable-next-line` (not enabled: WL101)"
