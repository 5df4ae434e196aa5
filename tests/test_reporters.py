"""Output formats: SARIF (valid against the official 2.1.0 schema), GitHub, GitLab, JUnit, JSON lines, statistics."""

import json
import os
import pathlib
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from wellnesslint.catalog import default_catalog
from wellnesslint.cli import main
from wellnesslint.models import Finding
from wellnesslint.reporters import OUTPUT_FORMATS, render

REPO = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def finding(path="shop/thee.md", line=3, col=11, rule="WL101", severity="error", message="Claims a cure",
            sentence="Deze thee geneest hoofdpijn.", **kw):
    return Finding(path, line, col, line, col + 17, rule, kw.pop("category", "cure_claim"), severity, message,
                   "geneest hoofdpijn", sentence, **kw)


FINDINGS = [
    finding(),
    finding(line=7, col=1, rule="WL205", severity="warning", category="absolute_claim", message="Superlative",
            sentence="De beste thee."),
    finding(path="about.md", line=1, col=1, rule="WL900", severity="info", category="unused_suppression",
            message="Unused suppression", sentence="<!-- wellnesslint-disable -->"),
]
SOURCES = {"shop/thee.md": "x\n" * 10, "about.md": "x\n", "clean.md": "fine\n"}


def validate(data):
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)


def test_the_bundled_schema_is_the_official_one():
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert len(SCHEMA["definitions"]) == 52


def test_sarif_of_a_real_run_validates(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    out = tmp_path / "report.sarif"
    code = main(["check", "fixtures", "--output-format", "sarif", "-o", str(out), "--jobs", "1"])
    assert code in (0, 1) and capsys.readouterr().out == ""  # -o: nothing on stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    validate(data)
    run = data["runs"][0]
    assert data["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    wl101 = rules["WL101"]
    assert wl101["name"] == "cure-claim"
    assert wl101["defaultConfiguration"] == {"level": "error"}
    assert "Geneesmiddelenwet" in wl101["fullDescription"]["text"]
    assert "Legal basis and sources" in wl101["help"]["text"] and "https://" in wl101["help"]["markdown"]
    assert "How to fix" in wl101["help"]["text"]
    assert rules["WL900"]["defaultConfiguration"] == {"level": "note"}
    assert run["results"], "the fixtures overclaim on purpose"
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("fixtures/") and (REPO / uri).is_file()


def test_sarif_shape_for_unknown_rules_absolute_paths_and_stdin(tmp_path):
    findings = FINDINGS + [
        finding(path=str(tmp_path / "a b.md"), rule="WL777", category="missing_disclaimer"),
        finding(path="-", rule="WL101"),
    ]
    data = json.loads(render(findings, "sarif", sources=SOURCES, rules=default_catalog(), errors=1))
    validate(data)
    run = data["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": False}]
    assert "WL777" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert {"uri": (tmp_path / "a b.md").as_uri()} in uris
    assert {"uri": "shop/thee.md", "uriBaseId": "%SRCROOT%"} in uris
    # the empty run is valid too
    validate(json.loads(render([], "sarif", rules=default_catalog())))


def test_github_annotations():
    weird = finding(path="a,b:c.md", message="50% zeker\nnieuwe regel", suggestion={"replacement": "kan helpen"})
    out = render(FINDINGS + [weird], "github")
    assert out.splitlines() == [
        "::error file=a%2Cb%3Ac.md,line=3,col=11,endLine=3,endColumn=28,title=WL101::50%25 zeker%0Anieuwe regel%0Asuggestion: kan helpen",
        "::notice file=about.md,line=1,col=1,endLine=1,endColumn=18,title=WL900::Unused suppression",
        "::error file=shop/thee.md,line=3,col=11,endLine=3,endColumn=28,title=WL101::Claims a cure",
        "::warning file=shop/thee.md,line=7,col=1,endLine=7,endColumn=18,title=WL205::Superlative",
    ]


def test_gitlab_code_quality(monkeypatch):
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    data = json.loads(render(FINDINGS, "gitlab"))
    assert [d["check_name"] for d in data] == ["WL900", "WL101", "WL205"]
    first = data[1]
    assert set(first) >= {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["location"] == {"path": "shop/thee.md", "lines": {"begin": 3, "end": 3}}
    assert first["description"] == "WL101 Claims a cure" and first["severity"] == "major"
    assert [d["severity"] for d in data] == ["info", "major", "minor"]
    # fingerprints: unique, and stable when the claim moves to another line
    assert len({d["fingerprint"] for d in data}) == 3
    moved = json.loads(render([finding(line=30)], "gitlab"))[0]
    assert moved["fingerprint"] == first["fingerprint"]
    twice = json.loads(render([finding(), finding(line=9)], "gitlab"))
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]


def test_gitlab_paths_relative_to_the_project(monkeypatch, tmp_path):
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    data = json.loads(render([finding(path=str(tmp_path / "site" / "a.md"))], "gitlab"))
    assert data[0]["location"]["path"] == "site/a.md"


def test_junit():
    root = ET.fromstring(render(FINDINGS, "junit", sources=SOURCES))
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "3"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["about.md", "clean.md", "shop/thee.md"]
    clean = suites["clean.md"]
    assert clean.get("failures") == "0" and clean.find("testcase").find("failure") is None
    cases = suites["shop/thee.md"].findall("testcase")
    assert [c.get("name") for c in cases] == ["WL101 at line 3, column 11", "WL205 at line 7, column 1"]
    failure = cases[0].find("failure")
    assert failure.get("type") == "WL101" and failure.get("message") == "Claims a cure"
    assert failure.text.startswith("shop/thee.md:3:11: WL101 [error] Claims a cure")
    # control characters from a page never break the XML
    ET.fromstring(render([finding(message="bad \x00\x1b char")], "junit"))


def test_json_lines():
    lines = render(FINDINGS, "json-lines").splitlines()
    assert [json.loads(l)["rule"] for l in lines] == ["WL900", "WL101", "WL205"]
    assert render([], "json-lines") == ""


def test_statistics():
    out = render(FINDINGS + [finding(line=9)], "full", statistics=True, rules=default_catalog())
    assert out.splitlines() == [
        "2  WL101  error    cure-claim",
        "1  WL205  warning  superlative-claim",
        "1  WL900  info     unused-suppression",
    ]
    data = json.loads(render(FINDINGS, "json", statistics=True, rules=default_catalog()))
    assert data[0] == {"code": "WL101", "name": "cure-claim", "category": "cure_claim", "severity": "error", "count": 1}
    assert render([], "concise", statistics=True, rules={}) == "All clean.\n"


def test_every_format_renders_no_findings():
    for fmt in OUTPUT_FORMATS:
        render([], fmt, sources=SOURCES, rules=default_catalog())
    with pytest.raises(ValueError):
        render([], "xml")


def test_output_file_and_statistics_via_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.md").write_text("Deze thee geneest hoofdpijn.\n")
    code = main(["check", "page.md", "--output-format", "github", "-o", "out.txt"])
    assert code == 1 and capsys.readouterr().out == ""
    assert (tmp_path / "out.txt").read_text().startswith("::error file=page.md,line=1,col=11,")
    code = main(["check", "page.md", "--statistics"])
    assert code == 1 and capsys.readouterr().out == "1  WL101  error  cure-claim\n"
    code = main(["check", "page.md", "-o", os.path.join("missing", "dir", "out.txt")])
    assert code == 2 and capsys.readouterr().err.startswith("error: cannot write missing/dir/out.txt: ")


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
def test_write_gives_what_render_gives_and_text_in_pieces(output_format):
    """The command line writes the report as it is made: the same text as ``render``, the text
    formats in several writes rather than one string of the whole report."""
    import io

    from wellnesslint.reporters import write

    findings = [finding(path=f"site/p{i // 50}.md", line=1 + i % 50, col=1) for i in range(300)]
    sources = {f"site/p{i}.md": "Onze thee geneest.\n" * 50 for i in range(6)}

    class Recorder(io.StringIO):
        writes = 0

        def write(self, s):
            Recorder.writes += 1
            return super().write(s)

    out = Recorder()
    write(out, findings, output_format, sources=sources, errors=1)
    assert out.getvalue() == render(findings, output_format, sources=sources, errors=1)
    if output_format in ("full", "concise"):
        assert Recorder.writes > 1
