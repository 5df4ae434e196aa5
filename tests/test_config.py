"""Configuration: discovery (nearest wins), keys, rule selection, per-file ignores, errors, --show-settings."""

import re

import pytest

import wellnesslint.engine
from wellnesslint.cli import main
from wellnesslint.config import Layer, Selection, glob_matches, parse_selector
from wellnesslint.models import Finding, LineIndex

# word -> (code, category, severity): a stand-in engine, so these tests are about configuration
WORDS = {
    "geneest": ("WL101", "cure_claim", "error"),
    "altijd": ("WL203", "absolute_claim", "warning"),
    "bewezen": ("WL401", "evidence_claim", "error"),
    "beste": ("WL205", "absolute_claim", "warning"),
}
CALLS = []


def fake_lint_text(text, *, format="text", lang="auto", path="<text>", profile="default", rulesets_dir=None, **kw):
    CALLS.append({"path": path, "lang": lang, "profile": profile, "rulesets_dir": rulesets_dir})
    index = LineIndex(text)
    out = []
    for m in re.finditer("|".join(WORDS), text):
        code, category, severity = WORDS[m.group()]
        (line, col), (end_line, end_col) = index.position(m.start()), index.position(m.end())
        out.append(Finding(path, line, col, end_line, end_col, code, category, severity, f"flagged {m.group()}",
                           m.group(), text.strip(), m.start(), m.end()))
    return out


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(wellnesslint.engine, "lint_text", fake_lint_text)
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)


def run(capsys, *argv):
    code = main(["check", "--output-format", "concise", "--no-color", "--jobs", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def codes(out):
    return sorted(re.findall(r"^(\S+):\d+:\d+: (WL\d{3})", out, re.M))


PAGE = "Deze thee geneest altijd, bewezen en de beste.\n"


@pytest.fixture
def site(tmp_path, monkeypatch):
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "deep").mkdir()
    for rel in ("page.md", "shop/page.md", "shop/deep/page.md"):
        (tmp_path / rel).write_text(PAGE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------- discovery


def test_nearest_configuration_wins(site, capsys):
    (site / ".wellnesslint.yaml").write_text("ignore: [WL203]\n")
    (site / "shop" / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.wellnesslint]\nignore = ["WL101"]\n')
    code, out, err = run(capsys)
    assert err == ""
    assert codes(out) == [
        ("page.md", "WL101"), ("page.md", "WL205"), ("page.md", "WL401"),
        ("shop/deep/page.md", "WL203"), ("shop/deep/page.md", "WL205"), ("shop/deep/page.md", "WL401"),
        ("shop/page.md", "WL203"), ("shop/page.md", "WL205"), ("shop/page.md", "WL401"),
    ]


def test_yaml_beats_pyproject_in_one_folder_and_pyproject_without_table_is_skipped(site, capsys):
    (site / ".wellnesslint.yaml").write_text("select: [WL1]\n")
    (site / "pyproject.toml").write_text('[tool.wellnesslint]\nselect = ["WL4"]\n')
    (site / "shop" / "pyproject.toml").write_text('[project]\nname = "shop"\n')  # no [tool.wellnesslint]
    code, out, _ = run(capsys)
    assert {c for _, c in codes(out)} == {"WL101"}


def test_config_flag_is_used_for_every_file(site, capsys, tmp_path_factory):
    (site / "shop" / ".wellnesslint.yaml").write_text("select: [WL1]\n")
    other = tmp_path_factory.mktemp("elsewhere") / "team.yaml"
    other.write_text("select: [WL401]\n")
    code, out, _ = run(capsys, "--config", str(other))
    assert {c for _, c in codes(out)} == {"WL401"}
    assert len(codes(out)) == 3


def test_lang_profile_and_fail_on_from_config_and_command_line(site, capsys):
    (site / ".wellnesslint.yaml").write_text("lang: nl\nprofile: strict\nfail-on: error\nselect: [WL203]\n")
    code, out, _ = run(capsys, "page.md")
    assert code == 0  # only a warning, and fail-on is error
    assert CALLS[-1]["lang"] == "nl" and CALLS[-1]["profile"] == "strict"
    code, out, _ = run(capsys, "page.md", "--lang", "en", "--profile", "default", "--fail-on", "warning")
    assert code == 1
    assert CALLS[-1]["lang"] == "en" and CALLS[-1]["profile"] == "default"


def test_pyproject_keys(site, capsys):
    (site / "pyproject.toml").write_text(
        '[tool.wellnesslint]\nextend-select = ["WL205"]\nignore = ["absolute_claim"]\n'
        '[tool.wellnesslint.per-file-ignores]\n"shop/**" = ["WL4"]\n'
    )
    code, out, _ = run(capsys)
    # WL205 is named exactly: more specific than the category, so it stays on (ruff's rule)
    assert codes(out) == [
        ("page.md", "WL101"), ("page.md", "WL205"), ("page.md", "WL401"),
        ("shop/deep/page.md", "WL101"), ("shop/deep/page.md", "WL205"),
        ("shop/page.md", "WL101"), ("shop/page.md", "WL205"),
    ]


# --------------------------------------------------------------------------- selection


def enabled(layers, code, category=""):
    return Selection([Layer(select=("ALL",)), *layers]).enabled(code, category)


def test_selection_follows_ruff():
    # a more specific ignore beats a broader select ...
    assert enabled([Layer(select=("WL1",), ignore=("WL101",))], "WL102")
    assert not enabled([Layer(select=("WL1",), ignore=("WL101",))], "WL101")
    assert not enabled([Layer(select=("WL1",))], "WL203")
    # ... and a more specific select beats a broader ignore; at equal specificity ignore wins
    assert enabled([Layer(select=("WL101",), ignore=("WL1",))], "WL101")
    assert not enabled([Layer(select=("WL1",), ignore=("WL1",))], "WL101")
    # categories and ALL
    assert enabled([Layer(select=("cure_claim",))], "WL103", "cure_claim")
    assert not enabled([Layer(select=("cure_claim",))], "WL203", "absolute_claim")
    assert not enabled([Layer(ignore=("ALL",))], "WL101")
    # the command line's select replaces the configuration's select and ignore ...
    cfg, cli = Layer(select=("WL2",), ignore=("WL203",)), Layer(select=("WL203",))
    assert enabled([cfg, cli], "WL203") and not enabled([cfg, cli], "WL201")
    # ... while extend-select and ignore adjust it
    cfg, cli = Layer(select=("WL1",)), Layer(extend_select=("WL203",), ignore=("WL102",))
    assert enabled([cfg, cli], "WL101") and enabled([cfg, cli], "WL203")
    assert not enabled([cfg, cli], "WL102") and not enabled([cfg, cli], "WL401")


def test_selector_syntax():
    assert parse_selector("ALL") == ("all", "", 0)
    assert parse_selector("WL1") == ("prefix", "WL1", 3)
    assert parse_selector("cure_claim") == ("category", "cure_claim", 1)
    assert parse_selector("wl101") is None and parse_selector("E501") is None


def test_command_line_selection(site, capsys):
    (site / ".wellnesslint.yaml").write_text("select: [WL1]\nignore: [WL101]\n")
    _, out, _ = run(capsys, "page.md")
    assert codes(out) == []
    _, out, _ = run(capsys, "page.md", "--extend-select", "WL4,WL205")
    assert codes(out) == [("page.md", "WL205"), ("page.md", "WL401")]
    _, out, _ = run(capsys, "page.md", "--select", "WL101", "--select", "WL203")  # replaces select and ignore
    assert codes(out) == [("page.md", "WL101"), ("page.md", "WL203")]
    _, out, _ = run(capsys, "page.md", "--select", "ALL", "--ignore", "WL2,WL101")
    assert codes(out) == [("page.md", "WL401")]


# --------------------------------------------------------------------------- per-file ignores, exclude


def test_per_file_ignores(site, capsys):
    (site / "shop" / "faq.md").write_text(PAGE)
    (site / ".wellnesslint.yaml").write_text(
        'per-file-ignores:\n  "shop/deep/**": [WL101, WL203]\n  "faq.md": [absolute_claim]\n  "*.md": [WL401]\n'
    )
    _, out, _ = run(capsys)
    assert codes(out) == [
        ("page.md", "WL101"), ("page.md", "WL203"), ("page.md", "WL205"),
        ("shop/deep/page.md", "WL205"),
        ("shop/faq.md", "WL101"),
        ("shop/page.md", "WL101"), ("shop/page.md", "WL203"), ("shop/page.md", "WL205"),
    ]


def test_globs():
    root = "/site"
    assert glob_matches("legacy/**", "/site/legacy/a/b.md", root)
    assert glob_matches("legacy", "/site/legacy/a/b.md", root)  # a folder name at any depth
    assert glob_matches("drafts/", "/site/drafts/x.md", root)
    assert glob_matches("*.html", "/site/a/b/page.html", root)
    assert glob_matches("a/*.md", "/site/a/x.md", root) and not glob_matches("a/*.md", "/site/a/b/x.md", root)
    assert glob_matches("**/faq.md", "/site/faq.md", root) and glob_matches("**/faq.md", "/site/x/faq.md", root)
    assert glob_matches("page[0-9].md", "/site/page1.md", root) and not glob_matches("page[!0-9].md", "/site/page1.md", root)
    assert not glob_matches("legacy/**", "/elsewhere/legacy/b.md", root)


def test_exclude_and_force_exclude(site, capsys):
    (site / ".wellnesslint.yaml").write_text('exclude: ["shop/deep", "page.md"]\n')
    _, out, _ = run(capsys)
    assert {p for p, _ in codes(out)} == set()  # page.md matches at any depth; shop/deep is a folder
    (site / ".wellnesslint.yaml").write_text('exclude: ["shop/deep"]\n')
    _, out, _ = run(capsys)
    assert {p for p, _ in codes(out)} == {"page.md", "shop/page.md"}
    _, out, _ = run(capsys, "shop/deep/page.md")  # named on the command line: linted ...
    assert {p for p, _ in codes(out)} == {"shop/deep/page.md"}
    code, out, _ = run(capsys, "--force-exclude", "shop/deep/page.md")  # ... unless --force-exclude (pre-commit)
    assert codes(out) == [] and code == 0


# --------------------------------------------------------------------------- errors: one line, file, key, exit 2


@pytest.mark.parametrize(
    "name, text, message",
    [
        (".wellnesslint.yaml", "lang: nl\ncolour: red\n",
         ".wellnesslint.yaml:2: colour: unknown key (allowed: select, extend-select, ignore, per-file-ignores, "
         "exclude, lang, fail-on, profile, rulesets)"),
        (".wellnesslint.yaml", "extend_select: [WL1]\n",
         ".wellnesslint.yaml:1: extend_select: unknown key (allowed: select, extend-select, ignore, per-file-ignores, "
         "exclude, lang, fail-on, profile, rulesets); did you mean 'extend-select'?"),
        (".wellnesslint.yaml", "fail-on: sometimes\n",
         ".wellnesslint.yaml:1: fail-on: 'sometimes' is not allowed (allowed: error, warning, info)"),
        (".wellnesslint.yaml", "lang: de\n", ".wellnesslint.yaml:1: lang: 'de' is not allowed (allowed: auto, en, nl)"),
        (".wellnesslint.yaml", "profile: lenient\n",
         ".wellnesslint.yaml:1: profile: 'lenient' is not allowed (allowed: default, strict)"),
        (".wellnesslint.yaml", "select: WL101\n",
         ".wellnesslint.yaml:1: select: must be a list of rule codes (WL101), prefixes (WL1, WL10), categories "
         "(cure_claim) or ALL"),
        (".wellnesslint.yaml", "lang: nl\nselect: [WL101, WL999]\n",
         ".wellnesslint.yaml:2: select: unknown rule code 'WL999' (no rule starts with it; `wellnesslint rules` "
         "lists them); did you mean WL900?"),
        (".wellnesslint.yaml", "ignore: [E501]\n",
         ".wellnesslint.yaml:1: ignore: 'E501' is not a rule selector (allowed: a rule code such as WL101, a prefix "
         "such as WL1, a category such as cure_claim, or ALL)"),
        (".wellnesslint.yaml", "per-file-ignores:\n  legacy/**: [WL77]\n",
         ".wellnesslint.yaml:2: per-file-ignores.legacy/**: unknown rule code 'WL77' (no rule starts with it; "
         "`wellnesslint rules` lists them)"),
        (".wellnesslint.yaml", "rulesets: [team-rules]\n", ".wellnesslint.yaml:1: rulesets: folder not found: "),
        (".wellnesslint.yaml", "select: [WL1\nlang: nl\n", ".wellnesslint.yaml:2: invalid YAML: "),
        ("pyproject.toml", '[tool.wellnesslint]\nlang = "nl"\nselect = ["WL999"]\n',
         "pyproject.toml:3: tool.wellnesslint.select: unknown rule code 'WL999' (no rule starts with it; "
         "`wellnesslint rules` lists them); did you mean WL900?"),
        ("pyproject.toml", "[tool.wellnesslint]\nfail_on = 'error'\n",
         "pyproject.toml:2: tool.wellnesslint.fail_on: unknown key (allowed: select, extend-select, ignore, "
         "per-file-ignores, exclude, lang, fail-on, profile, rulesets); did you mean 'fail-on'?"),
        ("pyproject.toml", '[tool.wellnesslint]\nlang = "nl\n', "pyproject.toml:2: invalid TOML: "),
    ],
)
def test_configuration_errors_are_one_line_with_file_and_key(site, capsys, name, text, message):
    (site / name).write_text(text)
    code, out, err = run(capsys)
    assert code == 2
    assert out == "" and CALLS == []  # nothing is linted with a broken configuration
    assert err.count("\n") == 1
    assert err.startswith("error: " + message), err


def test_command_line_code_errors(site, capsys):
    code, _, err = run(capsys, "--select", "WL1,WL999")
    assert code == 2
    assert err == (
        "error: command line: --select: unknown rule code 'WL999' (no rule starts with it; "
        "`wellnesslint rules` lists them); did you mean WL900?\n"
    )
    code, _, err = run(capsys, "--config", "missing.yaml")
    assert code == 2 and err == "error: missing.yaml: configuration file not found\n"


# --------------------------------------------------------------------------- --show-settings


def test_show_settings(site, capsys):
    (site / ".wellnesslint.yaml").write_text('lang: nl\nignore: [WL2]\nper-file-ignores:\n  "shop/**": [WL101]\n')
    code = main(["check", "--show-settings", "shop/page.md", "--profile", "strict"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "# Settings for shop/page.md"
    assert lines[1] == "# configuration file: .wellnesslint.yaml"
    assert 'lang = "nl"  # .wellnesslint.yaml' in lines
    assert 'profile = "strict"  # command line' in lines
    assert 'fail-on = "warning"  # default' in lines
    assert 'ignore = ["WL2"]' in lines
    assert "# per-file-ignores for this file: WL101" in lines
    enabled = next(l for l in lines if l.startswith("# rules enabled"))
    disabled = next(l for l in lines if l.startswith("# rules not enabled"))
    assert "WL102" in enabled and "WL900" in enabled
    assert "WL101" in disabled and "WL201" in disabled and "WL101" not in enabled
    # a folder: the settings of its first file; no configuration: the defaults
    (site / ".wellnesslint.yaml").unlink()
    main(["check", "--show-settings"])
    out = capsys.readouterr().out
    assert out.startswith("# Settings for page.md\n# configuration file: none (built-in defaults)\n")
