"""--baseline / --update-baseline: accepted findings stay hidden across edits; new copies are new."""

import json
import re

import pytest

import wellnesslint.engine
from wellnesslint.baseline import Baseline, normalise_sentence
from wellnesslint.cli import main
from wellnesslint.models import Finding, LineIndex


def fake_lint_text(text, *, path="<text>", **kw):
    """Flags every line containing 'geneest' (WL101) or 'altijd' (WL203); the line is the sentence."""
    index = LineIndex(text)
    out = []
    for m in re.finditer(r"geneest|altijd", text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        (line, col), (el, ec) = index.position(m.start()), index.position(m.end())
        rule = "WL101" if m.group() == "geneest" else "WL203"
        out.append(Finding(path, line, col, el, ec, rule, "cure_claim", "error", "m", m.group(),
                           text[start : end if end >= 0 else len(text)], m.start(), m.end()))
    return out


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setattr(wellnesslint.engine, "lint_text", fake_lint_text)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "thee.md").write_text("# Thee\n\nDeze thee geneest hoofdpijn.\n\nWerkt altijd.\n")
    (tmp_path / "about.md").write_text("Wij zijn een theewinkel. Onze kruiden “genezen” niets.\n")
    return tmp_path


def run(capsys, *argv):
    code = main(["check", "--output-format", "concise", "--jobs", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_update_writes_a_stable_sorted_file(site, capsys):
    code, out, err = run(capsys, "--baseline", "baseline.json", "--update-baseline")
    assert code == 0 and out == ""
    assert err == "wellnesslint: wrote 2 findings to the baseline baseline.json\n"
    text = (site / "baseline.json").read_text()
    assert json.loads(text) == {
        "version": 1,
        "tool": "wellnesslint",
        "findings": [
            {"path": "shop/thee.md", "rule": "WL101", "sentence": "deze thee geneest hoofdpijn.", "count": 1},
            {"path": "shop/thee.md", "rule": "WL203", "sentence": "werkt altijd.", "count": 1},
        ],
    }
    run(capsys, "--baseline", "baseline.json", "--update-baseline")
    assert (site / "baseline.json").read_text() == text  # byte for byte: stable under version control


def test_baseline_hides_known_findings_and_survives_edits_elsewhere(site, capsys):
    run(capsys, "--baseline", "baseline.json", "--update-baseline")
    code, out, err = run(capsys, "--baseline", "baseline.json")
    assert (code, out) == (0, "All clean.\n")
    assert err == "wellnesslint: 2 findings in the baseline not shown\n"
    # edits elsewhere move the claims to other lines; spacing, quotes and case change too
    page = site / "shop" / "thee.md"
    page.write_text("# Thee\n\nNieuw: een intro.\n\nMeer tekst.\n\nDeze  thee GENEEST hoofdpijn.\n\nWerkt altijd.\n")
    code, out, _ = run(capsys, "--baseline", "baseline.json", "-q")
    assert (code, out) == (0, "")


def test_a_second_copy_of_a_claim_is_new(site, capsys):
    run(capsys, "--baseline", "baseline.json", "--update-baseline")
    page = site / "shop" / "thee.md"
    page.write_text(page.read_text() + "\nDeze thee geneest hoofdpijn.\n")
    code, out, _ = run(capsys, "--baseline", "baseline.json")
    assert code == 1
    assert out.splitlines() == [
        "shop/thee.md:7:11: WL101 [error] m",  # the later copy is the new one
        "",
        "Found 1 finding (1 error, 0 warnings) in 1 file.",
    ]
    # the same sentence in another file is new as well
    (site / "about.md").write_text("Deze thee geneest hoofdpijn.\n")
    assert "about.md:1:11: WL101" in run(capsys, "--baseline", "baseline.json")[1]


def test_changed_claims_are_new_and_fixed_ones_are_counted_as_stale(site, capsys):
    run(capsys, "--baseline", "baseline.json", "--update-baseline")
    (site / "shop" / "thee.md").write_text("Deze thee geneest migraine.\n")
    code, out, err = run(capsys, "--baseline", "baseline.json")
    assert "shop/thee.md:1:11: WL101" in out and code == 1
    assert err == "wellnesslint: 2 baseline entries no longer found (--update-baseline drops them)\n"


def test_paths_are_relative_to_the_baseline_file(site, capsys, monkeypatch):
    (site / "ci").mkdir()
    run(capsys, "--baseline", "ci/baseline.json", "--update-baseline")
    assert json.loads((site / "ci" / "baseline.json").read_text())["findings"][0]["path"] == "../shop/thee.md"
    monkeypatch.chdir(site / "shop")  # another working directory, other relative paths: still the same entries
    code, out, _ = run(capsys, "--baseline", "../ci/baseline.json", ".")
    assert (code, out) == (0, "All clean.\n")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "error: missing.json: baseline file not found (create it with --update-baseline)\n"),
        ("{not json", "error: missing.json:1: invalid JSON in baseline: Expecting property name enclosed in double quotes\n"),
        ('{"version": 2, "findings": []}', "error: missing.json: version: unsupported baseline version 2 (expected 1)\n"),
        ('{"version": 1, "findings": [{"path": "a.md"}]}',
         "error: missing.json: findings[0]: needs string `path`, `rule` and `sentence`\n"),
        ('{"version": 1, "findings": [{"path": "a", "rule": "WL101", "sentence": "s", "count": 0}]}',
         "error: missing.json: findings[0].count: must be a whole number of at least 1\n"),
    ],
)
def test_broken_baseline_is_an_error(site, capsys, content, message):
    if content is not None:
        (site / "missing.json").write_text(content)
    code, out, err = run(capsys, "--baseline", "missing.json")
    assert (code, out, err) == (2, "", message)


def test_update_baseline_needs_a_file(site, capsys):
    code, out, err = run(capsys, "--update-baseline")
    assert code == 2 and err == "error: --update-baseline needs --baseline FILE (the file to write)\n"


def test_normalisation():
    assert normalise_sentence("  Deze “thee”\u00a0GENEEST\n hoofdpijn. ") == 'deze "thee" geneest hoofdpijn.'
    assert normalise_sentence("It’s") == normalise_sentence("it's")


def test_counts_in_the_file_are_honoured(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"version": 1, "findings": [
        {"path": "a.md", "rule": "WL101", "sentence": "X geneest Y.", "count": 2}]}))
    base = Baseline.load(str(path))
    f = Finding(str(tmp_path / "a.md"), 1, 1, 1, 2, "WL101", "cure_claim", "error", "m", "x", "x geneest y.")
    result = base.filter([f, f, f])
    assert len(result.new) == 1 and result.matched == 2
