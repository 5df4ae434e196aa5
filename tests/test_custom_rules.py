"""A team's own rules (``rulesets`` in the configuration): loaded like built-ins, self-checked, time-limited."""

import os
import time

import pytest

from wellnesslint import custom_rules
from wellnesslint.cli import main
from wellnesslint.engine import get_rulesets

RULE = """\
rules:
  - id: WL801
    name: crystal-power
    kind: phrase
    category: absolute_claim
    severity: error
    message: "Belooft kristalkracht."
    rationale: "Huisregel: we beloven geen krachten die niemand kan aantonen."
    references: ["Huisstijlgids 2024, p. 3"]
    patterns: ['kristalkracht\\w*']
    examples:
      match: ["Ervaar de kristalkracht van onze stenen."]
      no_match: ["Onze stenen zijn mooi om te zien."]
"""


def write_rules(folder, text=RULE, lang="nl"):
    (folder / "team" / lang).mkdir(parents=True, exist_ok=True)
    (folder / "team" / lang / "rules.yaml").write_text(text)
    (folder / ".wellnesslint.yaml").write_text("rulesets: [team]\nlang: nl\n")


def run(capsys, *argv):
    code = main(["check", "--output-format", "concise", "--jobs", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text("# Stenen\n\nErvaar de kristalkracht van onze stenen.\n")
    return tmp_path


def test_team_rule_runs_next_to_the_built_in_rules(site, capsys):
    write_rules(site)
    (site / "other.md").write_text("Deze thee geneest hoofdpijn.\n")
    code, out, err = run(capsys)
    assert err == ""
    assert "page.md:3:11: WL801 [error] Belooft kristalkracht." in out
    assert "other.md:1:11: WL101 [error]" in out  # the built-in rules still run
    assert code == 1
    # `wellnesslint rules` and `rule` document it like a built-in rule
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "WL801  crystal-power" in listing and "(team rule)" in listing
    assert main(["rule", "WL801"]) == 0
    text = capsys.readouterr().out
    assert "Huisregel: we beloven geen krachten" in text and "Ervaar de kristalkracht van onze stenen." in text


def test_built_in_rules_run_without_a_time_limit(site):
    write_rules(site)
    team = custom_rules.rulesets_for((str(site / "team"),))
    builtin = {id(r) for r in get_rulesets(None)["nl"].rules}
    [mine] = [r for r in team["nl"].rules if id(r) not in builtin]
    assert mine.id == "WL801" and mine.matcher.inner.timeout == custom_rules.TIMEOUT
    assert all(getattr(r.matcher, "timeout", None) is None for r in get_rulesets(None)["nl"].rules)


@pytest.mark.parametrize(
    "change, message",
    [
        # schema problems: the loader's own file:line: key: message
        (("    kind: phrase\n", "    kind: phrase\n    colour: red\n"),
         "team/nl/rules.yaml:5: colour: unknown key in a phrase rule (allowed: "),
        (("    severity: error\n", "    severity: fatal\n"),
         "team/nl/rules.yaml:6: severity: 'fatal' is not one of info, warning, error"),
        (("['kristalkracht\\w*']", "['kristal(kracht']"),
         "team/nl/rules.yaml:10: patterns: invalid pattern 'kristal(kracht': "),
        (("  - id: WL801\n", "  - id: WL101\n"), "team/nl/rules.yaml:2: id: duplicate rule id WL101 for language nl"),
        (("  - id: WL801\n", "  - id: WL900\n"), "team/nl/rules.yaml:2: id: WL900 is reserved for unused suppressions"),
        # the examples self-check: a rule whose examples fail does not load
        (('match: ["Ervaar de kristalkracht van onze stenen."]', 'match: ["Ervaar de kracht van onze stenen."]'),
         "team/nl/rules.yaml:12: examples.match: rule WL801 does not flag its own example "
         "'Ervaar de kracht van onze stenen.'; the rule is not loaded"),
        (('no_match: ["Onze stenen zijn mooi om te zien."]', 'no_match: ["Pure kristalkracht!"]'),
         "team/nl/rules.yaml:13: examples.no_match: rule WL801 flags 'Pure kristalkracht!', which it lists as an "
         "example that must pass; the rule is not loaded"),
        # patterns are size-limited
        (("['kristalkracht\\w*']", "['" + "a" * 2001 + "']"),
         "team/nl/rules.yaml:10: patterns: pattern is 2001 characters long (at most 2000)"),
    ],
)
def test_broken_team_rule_is_one_line_error_with_file_and_key(site, capsys, change, message):
    old, new = change
    assert old in RULE
    write_rules(site, RULE.replace(old, new))
    code, out, err = run(capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: " + message), err


def test_unknown_language_folder(site, capsys):
    write_rules(site, lang="de")
    code, _, err = run(capsys)
    assert code == 2
    assert err == (
        "error: team/de: rulesets: no built-in language 'de' (built in: en, nl); a new language needs a language.yaml\n"
    )


def test_a_hanging_pattern_times_out_and_names_rule_and_file(site, capsys, monkeypatch):
    monkeypatch.setattr(custom_rules, "TIMEOUT", 0.05)
    write_rules(site, RULE.replace("['kristalkracht\\w*']", "['kristalkracht\\w*|(?:x|xx)+y']"))
    (site / "slow.md").write_text("Dit is " + "x" * 80 + " niets.\n")
    code, out, err = run(capsys)
    assert code == 2  # like a file that cannot be read: reported, the others still linted
    assert err == (
        "slow.md: error: rule WL801 (team/nl/rules.yaml) took longer than 0.05 s on one pattern match and was "
        "stopped; simplify its patterns (nested repeats such as (a+)+ backtrack without end)\n"
    )
    assert "page.md:3:11: WL801 [error]" in out
    assert "1 file could not be checked" in out


@pytest.mark.parametrize(
    "pattern, stopped",
    [
        ("(a+)+$", False),  # the textbook case: the regex module does not backtrack on it
        ("(a|a)+$", True),  # this one it does: stopped, reported with the rule id
        ("(a|aa)+$", True),
    ],
)
def test_catastrophic_backtracking_is_stopped_and_reported_with_the_rule_id(site, capsys, monkeypatch, pattern, stopped):
    monkeypatch.setattr(custom_rules, "TIMEOUT", 0.05)
    write_rules(site, RULE.replace("['kristalkracht\\w*']", f"['kristalkracht\\w*|{pattern}']"))
    (site / "slow.md").write_text("Zeg " + "a" * 40 + "!\n")
    start = time.perf_counter()
    code, out, err = run(capsys)
    assert time.perf_counter() - start < 20
    assert "page.md:3:11: WL801 [error]" in out  # the other files are linted
    if stopped:
        assert code == 2
        assert err == ("slow.md: error: rule WL801 (team/nl/rules.yaml) took longer than 0.05 s on one pattern match "
                       "and was stopped; simplify its patterns (nested repeats such as (a+)+ backtrack without end)\n")
    else:
        assert (code, err) == (1, "")


def test_the_rules_are_loaded_again_when_a_file_changes(site, capsys):
    write_rules(site)
    assert "WL801" in run(capsys)[1]
    write_rules(site, RULE.replace("Belooft kristalkracht.", "Kristalkracht is geen eigenschap van stenen!"))
    path = site / "team" / "nl" / "rules.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert "Kristalkracht is geen eigenschap" in run(capsys)[1]
