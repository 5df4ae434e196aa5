"""`wellnesslint rules` lists every rule; `wellnesslint rule CODE` explains one."""

import json

from wellnesslint.cli import main
from wellnesslint.engine import get_rulesets


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rules_lists_every_rule_of_both_languages(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "rules")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["code", "name", "category", "severity", "profile", "languages"]
    listed = {line.split()[0] for line in lines[1:]}
    every = {r.id for rs in get_rulesets(None).values() for r in rs.rules}
    assert every | {"WL900"} <= listed
    wl101 = next(line for line in lines if line.startswith("WL101 "))
    assert wl101.split() == ["WL101", "cure-claim", "cure_claim", "error", "default", "en,", "nl"]
    data = json.loads(run(capsys, "rules", "--output-format", "json")[1])
    assert {d["code"] for d in data} == listed


def test_rule_explains_what_why_examples_and_fix(capsys):
    code, out, err = run(capsys, "rule", "WL101")
    assert code == 0 and err == ""
    assert out.startswith("# cure-claim (WL101)\n")
    sections = [line for line in out.splitlines() if line.startswith("## ")]
    assert sections == ["## What it does", "## Why is this bad?", "## Examples", "## How to fix"]
    rule_nl = next(r for r in get_rulesets(None)["nl"].rules if r.id == "WL101")
    rule_en = next(r for r in get_rulesets(None)["en"].rules if r.id == "WL101")
    assert "### en" in out and "### nl" in out
    assert rule_nl.examples_match[0] in out and rule_en.examples_no_match[0] in out
    assert "Legal basis and sources:" in out and "Geneesmiddelenwet" in out
    assert "wellnesslint-disable-next-line WL101" in out
    # one language only; lower case code; JSON
    code, out, _ = run(capsys, "rule", "wl101", "--lang", "en")
    assert "### en" in out and "### nl" not in out and rule_nl.examples_match[0] not in out
    data = json.loads(run(capsys, "rule", "WL101", "--output-format", "json")[1])
    assert data["code"] == "WL101" and data["examples"]["nl"]["match"] == rule_nl.examples_match
    assert data["references"] and data["rationale"]["en"]


def test_rule_wl900_and_unknown_codes(capsys):
    code, out, _ = run(capsys, "rule", "WL900")
    assert code == 0 and "# unused-suppression (WL900)" in out and "RUF100" in out
    code, out, err = run(capsys, "rule", "WL999")
    assert (code, out) == (2, "") and err == "error: unknown rule code 'WL999' (`wellnesslint rules` lists them)\n"
