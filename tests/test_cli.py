import io
import json
import os
import re
import subprocess
import sys

import pytest

import wellnesslint
import wellnesslint.engine
from wellnesslint.cli import main, use_color
from wellnesslint.models import Finding, LineIndex

# words the fake engine flags, with their severity
WORDS = {"geneest": "error", "altijd": "warning", "puur": "info"}
CALLS = []


def fake_lint_text(text, *, format="text", lang="auto", path="<text>", **options):
    CALLS.append({"path": path, "format": format, "lang": lang, "text": text})
    index = LineIndex(text)
    found = []
    for m in re.finditer("|".join(WORDS), text):
        line, col = index.position(m.start())
        end_line, end_col = index.position(m.end())
        found.append(
            Finding(
                path=path,
                line=line,
                column=col,
                end_line=end_line,
                end_column=end_col,
                rule="WL101",
                category="cure_claim",
                severity=WORDS[m.group()],
                message=f"Flagged {m.group()!r}",
                text=m.group(),
                sentence=text,
                offset=m.start(),
                end_offset=m.end(),
                suggestion={"replacement": "kan bijdragen aan"} if m.group() == "geneest" else None,
            )
        )
    return found


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch):
    CALLS.clear()
    monkeypatch.setattr(wellnesslint.engine, "lint_text", fake_lint_text)
    for var in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def site(tmp_path, monkeypatch):
    (tmp_path / "clean.md").write_text("Een rustige wandeling.\n")
    (tmp_path / "claims.md").write_text("# Thee\n\nDeze thee geneest hoofdpijn.\n")
    (tmp_path / "page.html").write_text("<p>Werkt altijd.</p>\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_exit_0(site, capsys):
    code, out, err = run(capsys, "check", "clean.md")
    assert code == 0
    assert out == "All clean.\n"
    assert err == ""


def test_findings_exit_1_full_output(site, capsys):
    code, out, err = run(capsys, "check")
    assert code == 1
    assert err == ""
    assert out == (
        "claims.md:3:11: WL101 [error] Flagged 'geneest'\n"
        "  3 | Deze thee geneest hoofdpijn.\n"
        "    |           ^^^^^^^\n"
        "  suggestion: kan bijdragen aan\n"
        "\n"
        "page.html:1:10: WL101 [warning] Flagged 'altijd'\n"
        "  1 | <p>Werkt altijd.</p>\n"
        "    |          ^^^^^^\n"
        "\n"
        "Found 2 findings (1 error, 1 warning) in 2 files.\n"
    )
    assert {c["path"]: c["format"] for c in CALLS} == {"claims.md": "markdown", "clean.md": "markdown", "page.html": "html"}
    assert "\x1b[" not in out  # not a terminal


def test_concise(site, capsys):
    code, out, _ = run(capsys, "check", "--output-format", "concise")
    assert code == 1
    assert out.splitlines() == [
        "claims.md:3:11: WL101 [error] Flagged 'geneest'",
        "page.html:1:10: WL101 [warning] Flagged 'altijd'",
        "",
        "Found 2 findings (1 error, 1 warning) in 2 files.",
    ]


def test_quiet_drops_summary(site, capsys):
    assert run(capsys, "check", "-q", "clean.md")[1] == ""
    code, out, _ = run(capsys, "check", "--quiet", "--output-format", "concise")
    assert code == 1 and "Found" not in out and len(out.splitlines()) == 2


@pytest.mark.parametrize(
    "fail_on, words, code",
    [
        ("warning", "puur", 0),
        ("info", "puur", 1),
        ("error", "altijd", 0),
        ("warning", "altijd", 1),
        ("error", "geneest", 1),
    ],
)
def test_fail_on(tmp_path, capsys, fail_on, words, code):
    p = tmp_path / "a.txt"
    p.write_text(f"Het is {words}.\n")
    assert run(capsys, "check", "--fail-on", fail_on, str(p))[0] == code


def test_exit_zero(site, capsys):
    code, out, _ = run(capsys, "check", "--exit-zero")
    assert code == 0 and "Found 2 findings" in out


def test_json_output(site, capsys):
    code, out, err = run(capsys, "check", "--output-format", "json", "page.html", "claims.md")
    assert code == 1
    data = json.loads(out)
    assert [(d["path"], d["line"], d["column"]) for d in data] == [("claims.md", 3, 11), ("page.html", 1, 10)]
    assert set(data[0]) == {
        "path", "line", "column", "end_line", "end_column", "rule", "category",
        "severity", "message", "text", "sentence", "suggestion",
    }
    assert data[0]["suggestion"] == {"replacement": "kan bijdragen aan"}
    assert data[1]["suggestion"] is None
    assert "\x1b[" not in out


def test_json_clean_is_empty_list(site, capsys):
    code, out, _ = run(capsys, "check", "--output-format", "json", "clean.md")
    assert code == 0 and json.loads(out) == []


def test_stdin_with_filename(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("<p>Dit geneest alles</p>".encode())))
    code, out, _ = run(capsys, "check", "-", "--stdin-filename", "shop/page.html", "--lang", "nl")
    assert code == 1
    assert out.startswith("shop/page.html:1:8: WL101 [error] Flagged 'geneest'\n  1 | <p>Dit geneest alles</p>\n")
    assert CALLS == [{"path": "shop/page.html", "format": "html", "lang": "nl", "text": "<p>Dit geneest alles</p>"}]


def test_stdin_filename_alone_reads_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"# rustig\n")))
    code, out, _ = run(capsys, "check", "--stdin-filename", "x.md")
    assert code == 0 and CALLS[0]["format"] == "markdown" and CALLS[0]["path"] == "x.md"


def test_stdin_default_name_and_format_override(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"altijd\r\n")))
    code, out, _ = run(capsys, "check", "-", "--format", "markdown")
    assert code == 1
    assert CALLS[0]["format"] == "markdown" and CALLS[0]["text"] == "altijd\r\n"  # newlines kept
    assert out.startswith("-:1:1: WL101 [warning]")


def test_format_overrides_extension(site, capsys):
    run(capsys, "check", "--format", "text", "page.html")
    assert CALLS[0]["format"] == "text"


def test_binary_among_good_files(site, capsys):
    (site / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (site / "latin1.txt").write_bytes(b"caf\xe9 geneest\n")
    code, out, err = run(capsys, "check")
    assert code == 2  # file errors win over findings
    assert err.splitlines() == [
        "latin1.txt: error: not valid UTF-8 at byte 3",
        "logo.md: error: binary file (contains NUL bytes)",
    ]
    assert "claims.md:3:11: WL101" in out and "page.html:1:10: WL101" in out  # the others are still linted
    assert out.endswith("Found 2 findings (1 error, 1 warning) in 2 files; 2 files could not be checked.\n")


def test_missing_path_exit_2(site, capsys):
    code, out, err = run(capsys, "check", "nope.md", "claims.md")
    assert code == 2
    assert err == "nope.md: error: no such file or directory\n"
    assert "claims.md:3:11" in out
    code, out, err = run(capsys, "check", "nope.md", "clean.md")
    assert code == 2 and out == "No findings; 1 file could not be checked.\n"


def test_engine_crash_is_reported_per_file(site, capsys, monkeypatch):
    def boom(text, **kw):
        if "geneest" in text:
            raise RuntimeError("bad rule")
        return fake_lint_text(text, **kw)

    monkeypatch.setattr(wellnesslint.engine, "lint_text", boom)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert err == "claims.md: error: internal error while linting: RuntimeError: bad rule\n"
    assert "page.html:1:10" in out


def test_ruleset_error_reported_once(site, capsys, monkeypatch):
    DataError = pytest.importorskip("wellnesslint.yamlload").DataError

    def broken(text, **kw):
        raise DataError("rulesets/nl/claims.yaml", 7, "match", "unknown lexicon 'x'")

    monkeypatch.setattr(wellnesslint.engine, "lint_text", broken)
    code, out, err = run(capsys, "check")
    assert code == 2
    assert err == "error: rulesets/nl/claims.yaml:7: match: unknown lexicon 'x'\n"
    assert out == ""


def test_no_files(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "check")
    assert code == 0 and out == "All clean.\n" and "no files" in err


def test_usage_errors_exit_2(capsys):
    assert run(capsys, "check", "--lang", "de")[0] == 2
    assert run(capsys, "check", "--output-format", "xml")[0] == 2
    assert run(capsys, "lint")[0] == 2
    code, _, err = run(capsys)
    assert code == 2 and "check" in err


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out == f"wellnesslint {wellnesslint.__version__}\n"


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_color_rules(monkeypatch):
    assert use_color(False, Tty()) is True
    assert use_color(False, io.StringIO()) is False
    assert use_color(True, Tty()) is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_color(False, io.StringIO()) is True
    assert use_color(True, io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(False, Tty()) is False
    monkeypatch.setenv("NO_COLOR", "")  # empty NO_COLOR does not count
    monkeypatch.delenv("FORCE_COLOR")
    assert use_color(False, Tty()) is True


def test_force_color_output_and_no_color(site, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    code, out, _ = run(capsys, "check", "claims.md")
    assert "\x1b[1;31mWL101\x1b[0m" in out
    code, out, _ = run(capsys, "check", "--no-color", "claims.md")
    assert "\x1b[" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = run(capsys, "check", "claims.md")
    assert "\x1b[" not in out


def test_tty_gets_color(site, capsys, monkeypatch):
    tty = Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["check", "claims.md"]) == 1
    assert "\x1b[" in tty.getvalue()
    tty = Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    monkeypatch.setenv("NO_COLOR", "1")
    main(["check", "claims.md"])
    assert "\x1b[" not in tty.getvalue()


def test_multiline_span_and_long_lines(tmp_path, capsys, monkeypatch):
    def spans(text, *, path, **kw):
        index = LineIndex(text)
        out = []
        for start, end in ((text.index("geneest"), text.index("pijn") + 4), (text.index("XX"), text.index("XX") + 2)):
            (l, c), (el, ec) = index.position(start), index.position(end)
            out.append(Finding(path, l, c, el, ec, "WL102", "cure_claim", "error", "m", text[start:end], ""))
        return out

    monkeypatch.setattr(wellnesslint.engine, "lint_text", spans)
    p = tmp_path / "a.txt"
    p.write_text("Het geneest\r\nhoofdpijn.\n" + "a" * 500 + "XX" + "b" * 500 + "\n", newline="")
    main(["check", str(p)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:3] == ["  1 | Het geneest", "    |     ^^^^^^^"]  # underlined to the end of the first line
    code_line, caret_line = lines[5], lines[6]
    assert code_line.startswith("  3 | …") and code_line.endswith("…") and len(code_line) < 200
    assert code_line.index("XX") == caret_line.index("^^")


def test_python_dash_m(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "wellnesslint", "--version"],
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(wellnesslint.__file__)),
    )
    assert proc.returncode == 0 and proc.stdout.strip() == f"wellnesslint {wellnesslint.__version__}"


def test_cli_import_is_light():
    code = "import sys, wellnesslint.cli; print(sorted(m for m in sys.modules if m.startswith(('wellnesslint.', 'lxml', 'markdown_it', 'yaml', 'regex'))))"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(wellnesslint.__file__)),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['wellnesslint.cli']"


QUICK = [
    ["check"],
    ["check", "a.md"],
    ["check", "a.md", "b.html", "c"],
    ["check", "--force-exclude", "a.md", "b.md"],
    ["check", "--force-exclude", "--lang", "nl", "a.md"],
    ["check", "--lang=en", "-q", "--no-color", "--exit-zero", "a.md"],
    ["check", "a.md", "b.md", "--output-format", "json", "--quiet"],
    ["check", "--format", "text", "--fail-on", "error", "--profile", "strict", "--statistics", "x"],
    ["check", "--ignore-suppressions", "--jobs", "2", "--config", "cfg/.wellnesslint.yaml", "x"],
    ["check", "--cache", "--jobs", "1", "content/"],
    ["check", "-j", "3", "--jobs=1", "--lang", "nl", "--lang", "auto", "--config=", ""],
    ["check", "--output-format=sarif", "check", "rules"],
]
NOT_QUICK = [
    [],
    ["rules"],
    ["--version"],
    ["check", "--help"],
    ["check", "-"],
    ["check", "a.md", "--quiet", "b.md"],  # argparse: unrecognized arguments
    ["check", "--lang", "de", "a.md"],
    ["check", "--lang"],
    ["check", "--lang=", "a.md"],
    ["check", "--jobs", "0", "a.md"],
    ["check", "--jobs", "two", "a.md"],
    ["check", "--force", "a.md"],  # an abbreviation
    ["check", "-qj2", "a.md"],
    ["check", "--select", "WL1", "a.md"],
    ["check", "--", "-a.md"],
    ["check", "--config", "-x", "a.md"],
    ["check", "--quiet=1", "a.md"],
]


@pytest.mark.parametrize("argv", QUICK)
def test_quick_parse_is_argparse(argv):
    from wellnesslint.cli import build_parser, quick_parse

    assert vars(quick_parse(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", NOT_QUICK)
def test_quick_parse_leaves_the_rest_to_argparse(argv):
    from wellnesslint.cli import quick_parse

    assert quick_parse(argv) is None


def test_quick_parse_knows_every_check_default():
    from wellnesslint.cli import CHECK_DEFAULTS, build_parser

    assert vars(build_parser().parse_args(["check"])) == CHECK_DEFAULTS
