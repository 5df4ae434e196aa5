"""Hostile and broken input: whatever comes in, the real CLI answers with findings or a one-line error
and the right exit code, finishes the other files, and neither crashes, hangs nor balloons in memory.

Most cases run ``wellnesslint.cli.main`` in this process. Cases that could take the interpreter
down (a segfault in a C extension) or that measure time and memory run in a subprocess. The
shapes that used to be superlinear run as one batch in a subprocess with a deadline, so a
regression fails with the name of the case instead of hanging the suite.
"""

from __future__ import annotations

import codecs
import json
import os
import pathlib
import socket
import subprocess
import sys
import textwrap
import time

import pytest

import wellnesslint
from wellnesslint.cli import main

PACKAGE_ROOT = pathlib.Path(wellnesslint.__file__).resolve().parent.parent
CLAIM = "Onze truffels genezen depressie."
WL101 = "WL101 [error] Medische claim: presenteert het product als middel dat depressie geneest, verlicht of voorkomt."


def check(capsys, *argv) -> tuple[int, str, str]:
    """``wellnesslint check --output-format concise ...`` in this process: (exit code, stdout, stderr)."""
    code = main(["check", "--no-color", "--output-format", "concise", "--jobs", "1", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    return env


# a child that runs the CLI and reports its exit code, peak memory (KiB) and wall time as JSON.
# The peak is VmHWM where there is /proc: Linux carries the parent's high-water mark over into
# a child's ru_maxrss at exec, so after a memory-hungry test ru_maxrss would measure pytest.
CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from wellnesslint.cli import main
    start = time.perf_counter()
    code = main(sys.argv[1:])
    sys.stdout.flush()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as fh:
            peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    print(json.dumps({"code": code, "rss_kib": peak, "seconds": time.perf_counter() - start}), file=sys.stderr)
    """
)


def run_child(tmp_path, *argv, timeout: float = 60) -> tuple[dict, str, list[str]]:
    """(exit code/rss/seconds, stdout, the stderr lines before the report) of the CLI in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, *argv], cwd=tmp_path, env=child_env(),
        capture_output=True, text=True, timeout=timeout,
    )
    assert proc.returncode in (0, 1, 2), proc.stderr[-2000:]  # not killed by a signal
    *lines, report = proc.stderr.splitlines()
    return json.loads(report), proc.stdout, lines


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --------------------------------------------------------------------------------------------
# bytes that are not (UTF-8) text


def test_empty_file(site, capsys):
    (site / "empty.md").write_bytes(b"")
    assert check(capsys, "empty.md") == (0, "All clean.\n", "")


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06", "binary file (contains NUL bytes)"),
        ("app.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00", "binary file (contains NUL bytes)"),
        ("latin1.html", "<p>Caf\xe9 au lait</p>".encode("latin-1"), "not valid UTF-8 at byte 6"),
        ("cut.md", "Onze thee is é".encode()[:-1], "not valid UTF-8 at byte 13"),  # cut mid-character
        ("utf32.md", codecs.BOM_UTF32_LE + "Thee".encode("utf-32-le"), "UTF-32 is not supported (save the file as UTF-8)"),
        # BOM-less UTF-16 is recognised by its NUL layout in Latin script only (source.py)
        ("greek.txt", "Το τσάι μας θεραπεύει.".encode("utf-16-le"), "binary file (contains NUL bytes)"),
    ],
)
def test_unreadable_bytes_are_one_line_errors_and_the_rest_is_linted(site, capsys, name, data, message):
    (site / name).write_bytes(data)
    (site / "page.md").write_text(CLAIM + "\n")
    code, out, err = check(capsys, "--select", "WL101", name, "page.md")
    assert code == 2
    assert err == f"{name}: error: {message}\n"
    assert out == f"page.md:1:15: {WL101}\n\nFound 1 finding (1 error, 0 warnings) in 1 file; 1 file could not be checked.\n"


@pytest.mark.parametrize(
    "bom, codec",
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (b"", "utf-16-le"), (b"", "utf-16-be")],
)
def test_utf16_with_and_without_bom_is_linted(site, capsys, bom, codec):
    (site / "page.md").write_bytes(bom + f"# Thee\r\n\r\n{CLAIM}\r\n".encode(codec))
    code, out, err = check(capsys, "--select", "WL101", "page.md")
    assert (code, err) == (1, "")
    assert out.startswith(f"page.md:3:15: {WL101}\n")


def test_mixed_line_breaks_keep_positions_exact(site, capsys):
    text = f"Intro\r\n{CLAIM}\rTweede regel\nMicrodosing heeft geen bijwerkingen.\r\n\rSlot."
    (site / "mixed.txt").write_bytes(text.encode())
    code = main(["check", "--output-format", "json", "--select", "WL101,WL302", "mixed.txt"])
    found = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["rule"], f["line"], f["column"], f["text"]) for f in found] == [
        ("WL101", 2, 15, "genezen depressie"),
        ("WL302", 4, 13, "heeft geen bijwerkingen"),
    ]
    # \r\n, \r and \n each end one line, as editors count them
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for f in found:
        assert lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1] == f["text"]


# --------------------------------------------------------------------------------------------
# size and shape


def test_a_50_mb_markdown_file_is_refused_at_once_with_flat_memory(tmp_path):
    chunk = (f"## Thee\n\n{CLAIM} Wij verkopen thee en kruiden uit eigen tuin.\n\n- punt een\n- punt *twee*\n\n" * 200).encode()
    with open(tmp_path / "big.md", "wb") as fh:
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    size = (tmp_path / "big.md").stat().st_size
    report, out, err = run_child(tmp_path, "check", "--output-format", "concise", "big.md", timeout=60)
    assert report["code"] == 2
    shown = f"{size / 1e6:.1f}".removesuffix(".0")
    assert err == [f"big.md: error: file too large: {shown} MB (the limit is 20 MB; --max-file-size changes it)"]
    assert out == "No findings; 1 file could not be checked.\n"
    assert report["seconds"] < 10
    assert report["rss_kib"] < 150 * 1024  # the file is never read into memory


def test_a_50_mb_markdown_page_with_the_limit_lifted(tmp_path):
    """Most of the bytes are an inlined image (what makes real pages this big): linted in seconds,
    peak memory a small multiple of the file."""
    import base64

    image = base64.b64encode(os.urandom(37_000_000)).decode()
    page = f"# Microdosing\n\n{CLAIM}\n\n<img alt=\"truffels\" src=\"data:image/png;base64,{image}\">\n\nRustig aan.\n"
    (tmp_path / "big.md").write_text(page)
    size = len(page)
    assert size > 49_000_000
    report, out, err = run_child(tmp_path, "check", "--output-format", "concise", "--select", "WL101",
                                 "--max-file-size", "0", "big.md", timeout=120)
    assert report["code"] == 1 and err == []
    assert out.startswith(f"big.md:3:15: {WL101}\n")
    assert report["seconds"] < 20
    assert report["rss_kib"] * 1024 < 8 * size


def test_one_10_mb_line(site, capsys):
    """A minified page: one line, an inlined image, claims at both ends (columns stay exact)."""
    import base64

    image = base64.b64encode(os.urandom(7_500_000)).decode()
    line = f'<p>{CLAIM}</p><img alt="thee" src="data:image/png;base64,{image}"><p lang="en">Our tea cures anxiety.</p>'
    assert len(line) > 10_000_000
    (site / "min.html").write_text(line)
    start = time.perf_counter()
    code = main(["check", "--output-format", "json", "--select", "WL101", "min.html"])
    found = json.loads(capsys.readouterr().out)
    assert time.perf_counter() - start < 10
    assert code == 1
    assert [(f["line"], f["column"], f["text"]) for f in found] == [
        (1, 18, "genezen depressie"),
        (1, line.index("cures anxiety") + 1, "cures anxiety"),
    ]


def test_html_nested_100000_levels_deep(site, capsys):
    (site / "deep.html").write_text("<div>" * 100_000 + CLAIM + "</div>" * 100_000)
    (site / "deeper.html").write_text("<b><i><span>" * 100_000 + CLAIM)  # never closed
    code, out, err = check(capsys, "--select", "WL101", "deep.html", "deeper.html")
    assert (code, err) == (1, "")
    assert out.splitlines()[:2] == [f"deep.html:1:500015: {WL101}", f"deeper.html:1:1200015: {WL101}"]


def test_markdown_nested_deeper_than_markdown_it_follows(site, capsys):
    """markdown-it stops at 20 levels and drops the rest of the page: read as text instead."""
    (site / "lists.md").write_text("- " * 10_000 + "x\n\n" + CLAIM + "\n")
    (site / "quotes.md").write_text(">" * 100_000 + " " + CLAIM + "\n")
    (site / "ten.md").write_text("".join("  " * i + "- item\n" for i in range(12)) + "\n" + CLAIM + "\n")
    code, out, err = check(capsys, "--select", "WL101", "--lang", "nl", "lists.md", "quotes.md", "ten.md")
    assert (code, err) == (1, "")
    assert out.splitlines()[:3] == [
        f"lists.md:3:15: {WL101}",
        f"quotes.md:1:100016: {WL101}",
        f"ten.md:14:15: {WL101}",
    ]


@pytest.mark.parametrize(
    "html, found",
    [
        (f"<p><b>{CLAIM}</p></b><p>Tweede.", True),  # misnested
        (f"<div><p>Hallo<ul><li>{CLAIM}<li>Twee</div></span></p>", True),  # unclosed and stray end tags
        (f"<p>{CLAIM}<code>x = 1", True),  # a <code> never closed hides nothing
        (f"<table><tr><td>Thee<td>{CLAIM}</table></td>", True),
        # an attribute value whose quote never closes runs to the end of the page, ">" included:
        # the tag is unfinished and a browser (and lxml) shows nothing after it
        (f"<p title='x>{CLAIM}", False),
        (f"<p title='x'>{CLAIM}", True),
        (f"<title>Thee<p>{CLAIM}", True),  # an unclosed title does not swallow the page
        (f"<p>Thee</p><p class=\"{CLAIM}", False),  # an unfinished tag at the end: nothing to read
        (f"<!-- {CLAIM}", False),  # an unclosed comment hides the rest, as in a browser
        (f"<script>{CLAIM}", False),  # so does an unclosed script
    ],
)
def test_unclosed_and_misnested_tags(site, capsys, html, found):
    (site / "page.html").write_text(html)
    code, out, err = check(capsys, "--select", "WL101", "--lang", "nl", "page.html")
    assert err == ""
    if found:
        assert code == 1 and out.startswith(f"page.html:1:{html.index('genezen') + 1}: {WL101}\n")
    else:
        assert (code, out) == (0, "All clean.\n")


XHTML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "http://127.0.0.1:9/evil.dtd">
  <!ENTITY % param SYSTEM "http://127.0.0.1:9/param.dtd">
  %param;
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="nl" lang="nl">
<head><title>Truffels &lol3;</title></head>
<body>
<p>Onze truffels genezen depressie: &xxe; &remote; &lol3;</p>
</body>
</html>
"""


def test_xhtml_entities_are_never_expanded_and_nothing_is_fetched(site, capsys, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("wellnesslint opened a socket")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    (site / "page.xhtml").write_text(XHTML)
    code = main(["check", "--output-format", "json", "page.xhtml"])
    out = capsys.readouterr().out
    found = json.loads(out)
    assert code == 1
    assert [(f["rule"], f["line"], f["text"]) for f in found if f["rule"] == "WL101"] == [("WL101", 15, "genezen depressie")]
    assert "lollol" not in out and "root:" not in out  # no expansion, no file read
    # the internal subset is declarations, not prose; the references stay as written
    from wellnesslint.documents import load_document

    doc = load_document(XHTML, "html")
    assert [doc.text[b.start : b.end] for b in doc.blocks] == [
        "Truffels &lol3;",
        "Onze truffels genezen depressie: &xxe; &remote; &lol3;",
    ]


def test_no_xml_parser_in_the_package():
    """The adapters are our own lexers. Should lxml (or another XML parser) ever be used, it must
    not resolve entities or touch the network."""
    for path in pathlib.Path(wellnesslint.__file__).parent.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for parser in ("import lxml", "from lxml", "xml.dom", "xml.sax", "expat"):
            if parser in source:
                assert "resolve_entities=False" in source and "no_network=True" in source, path
        if "xml.etree" in source:  # writes the JUnit report; never parses input
            assert "fromstring" not in source and ".parse(" not in source, path


# shapes that were quadratic or worse, each sized so that the old code took minutes and the
# current code takes well under a second (in brackets: the module that had the problem)
PATHOLOGICAL = textwrap.dedent(
    r"""
    import sys, time
    from wellnesslint.engine import lint_text
    from wellnesslint.models import LineIndex
    from wellnesslint.sentences import split

    CLAIM = "Onze truffels genezen depressie"
    CASES = {
        # one sentence of 38 KB full of claims (rules/pair.py looked at every predicate-object pair)
        "run-on sentence": lambda: lint_text((CLAIM + " ") * 1200, format="text", lang="nl"),
        # a run of end punctuation (sentences.py retried it from every character)
        "punctuation run": lambda: lint_text("Let op" + "." * 200_000 + "x", format="text"),
        "question marks": lambda: lint_text("Echt" + "?!" * 100_000 + "x", format="markdown"),
        # spaces before a line break that never comes (sentences.py)
        "run of spaces": lambda: lint_text(CLAIM + " " * 200_000 + "x", format="markdown"),
        # a paragraph whose lines end in a bare CR (sentences.py searched back for a LF)
        "CR-only lines": lambda: split("Regel zonder punt\r" * 220_000, 0, 18 * 220_000),
        # 10 MB with LF line breaks only (models.LineIndex searched for a CR from every line)
        "LF-only lines": lambda: LineIndex("a\n" * 5_000_000),
        # unclosed <title> tags (documents/html.py searched the rest of the page for each)
        "unclosed titles": lambda: lint_text("<title>" * 200_000, format="html"),
        # closing tags after a claim (rewrite.py searched back for a comment from each)
        "closing tags": lambda: lint_text(f"<p>{CLAIM}.</p>" + "</body>" * 200_000, format="html", lang="nl"),
        # a list of 100,000 items after a lead-in (rules/disclaimer.py walked back over the list per item)
        "long list": lambda: lint_text("Let op:\n" + "- b\n" * 100_000, format="text"),
        # a rewrite next to thousands of tags (rewrite.py tried every pair of tags around it)
        "tags around a sentence": lambda: lint_text(
            "<b>" * 40_000 + "Onze <i>truffels genezen depressie." + "</b>" * 40_000 + " Meer tekst.", format="html", lang="nl"),
        # a run of dashes between claim words (rules/base.py: "-" is both a separator and part of a
        # word in {gap}, so the run split in exponentially many ways; found by atheris)
        "dashes in a gap": lambda: lint_text("Onze truffels helpen " + "-" * 200 + "uij: depressie.", format="markdown"),
        "apostrophes in a gap": lambda: lint_text("Our tea cures " + "'" * 200 + "x anxiety.", format="text"),
        # thousands of tags that close nothing inside a claim (rewrite.py walked the stack for each)
        "stray end tags": lambda: lint_text(
            "<p>Onze truffels genezen " + "<b>" * 30_000 + "</i>" * 30_000 + "depressie.</p>", format="html", lang="nl"),
    }
    for name, case in CASES.items():
        print("start", name, flush=True)
        start = time.perf_counter()
        case()
        print("done", name, round(time.perf_counter() - start, 3), flush=True)
    """
)


def test_pathological_shapes_stay_linear(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", PATHOLOGICAL], cwd=tmp_path, env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        started = [line for line in out.splitlines() if line.startswith("start ")]
        pytest.fail(f"hung on: {started[-1][6:] if started else '?'}")
    assert proc.returncode == 0, err[-3000:]
    times = {line.split(" ", 1)[1].rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
             for line in out.splitlines() if line.startswith("done ")}
    assert len(times) == 13, out
    slow = {name: t for name, t in times.items() if t > 10}  # each takes well under a second here
    assert not slow, slow


# --------------------------------------------------------------------------------------------
# the file system


def test_a_symlink_loop_in_a_folder(site, capsys):
    (site / "docs" / "a").mkdir(parents=True)
    (site / "docs" / "a" / "page.md").write_text(CLAIM + "\n")
    os.symlink(site / "docs", site / "docs" / "a" / "loop")  # a/loop -> docs
    os.symlink(site / "docs" / "a" / "self", site / "docs" / "a" / "self")  # a link to itself
    os.symlink("page.md", site / "docs" / "a" / "twin.md")  # the same file twice
    code, out, err = check(capsys, "--select", "WL101", "docs")
    assert (code, err) == (1, "")
    assert out == f"docs/a/page.md:1:15: {WL101}\n\nFound 1 finding (1 error, 0 warnings) in 1 file.\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_given_on_the_command_line(tmp_path):
    """Nobody writes to it: opening it used to wait forever. (A walk never picks it up.)"""
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "page.md").write_text(CLAIM + "\n")
    report, out, err = run_child(tmp_path, "check", "--output-format", "concise", "--select", "WL101",
                                 "pipe.md", "page.md", timeout=60)
    assert report["code"] == 2
    assert err == ["pipe.md: error: not a regular file (a named pipe, a device or a socket)"]
    assert out.startswith(f"page.md:1:15: {WL101}\n")


def test_an_unreadable_file(site, capsys, monkeypatch):
    (site / "secret.md").write_text(CLAIM + "\n")
    (site / "page.md").write_text(CLAIM + "\n")
    if os.geteuid() != 0:
        os.chmod(site / "secret.md", 0)
    else:  # root reads anything: refuse this one file the way the OS would
        import builtins

        real_open = builtins.open

        def guarded(file, *args, **kwargs):
            if os.fspath(file).endswith("secret.md"):
                raise PermissionError(13, "Permission denied", os.fspath(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", guarded)
    code, out, err = check(capsys, "--select", "WL101", ".")
    assert code == 2
    assert err == "secret.md: error: permission denied\n"
    assert out == f"page.md:1:15: {WL101}\n\nFound 1 finding (1 error, 0 warnings) in 1 file; 1 file could not be checked.\n"


def test_a_file_deleted_between_listing_and_reading(site, capsys, monkeypatch):
    from wellnesslint import discover as discover_module

    (site / "page.md").write_text(CLAIM + "\n")
    real = discover_module.discover

    def listing_with_a_ghost(paths, *args, **kwargs):
        return [discover_module.Entry("gone.md", "markdown"), *real(paths, *args, **kwargs)]

    monkeypatch.setattr(discover_module, "discover", listing_with_a_ghost)
    code, out, err = check(capsys, "--select", "WL101", ".")
    assert code == 2
    assert err == "gone.md: error: no such file or directory\n"
    assert out.startswith(f"page.md:1:15: {WL101}\n")


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
@pytest.mark.parametrize("fmt", ["concise", "full", "json", "json-lines", "sarif", "github", "gitlab", "junit", "html"])
def test_file_names_that_are_not_utf8(tmp_path, fmt):
    """Reported with \\xNN escapes in every output format, even where stdout is strict UTF-8."""
    (tmp_path / os.fsdecode(b"caf\xe9.md")).write_text(CLAIM + "\n")
    (tmp_path / os.fsdecode(b"d\xff")).mkdir()
    (tmp_path / os.fsdecode(b"d\xff/x\xfe.txt")).write_bytes(b"\x00\x01binary")
    env = {**child_env(), "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"}
    proc = subprocess.run([sys.executable, "-m", "wellnesslint", "check", "--no-color", "--select", "WL101",
                           "--output-format", fmt, "."], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    assert proc.returncode == 2, proc.stderr.decode("utf-8", "replace")[-2000:]
    assert proc.stderr.decode("utf-8") == "d\\xff/x\\xfe.txt: error: binary file (contains NUL bytes)\n"
    out = proc.stdout.decode("utf-8")  # valid UTF-8
    # as text; in JSON with its backslash escaped; in a SARIF URI percent-encoded; GitHub's
    # annotations take / for \\
    assert any(shown in out for shown in ("caf\\xe9.md", "caf\\\\xe9.md", "caf%5Cxe9.md", "caf/xe9.md"))


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux only")
def test_file_names_that_are_not_utf8_in_a_baseline_a_report_file_and_a_fix(site, capsys):
    name = os.fsdecode(b"caf\xe9.md")
    (site / name).write_text(CLAIM + "\n")
    assert main(["check", "-q", "--baseline", "base.json", "--update-baseline", "."]) == 0
    assert json.loads((site / "base.json").read_text(encoding="utf-8"))["findings"][0]["path"] == "caf\\xe9.md"
    assert main(["check", "-q", "--baseline", "base.json", "."]) == 0  # the baseline matches
    assert main(["check", "-q", "--output-format", "json", "-o", "report.json", "."]) == 1
    assert json.loads((site / "report.json").read_text(encoding="utf-8"))[0]["path"] == "caf\\xe9.md"
    assert main(["check", "-q", "--select", "WL101", "--fix", "--unsafe-fixes", "."]) == 0
    assert CLAIM not in (site / name).read_text()  # written back under its own name
    capsys.readouterr()


# --------------------------------------------------------------------------------------------
# rules and configuration from users are data, never code

TEAM_RULE = """\
rules:
  - id: WL801
    name: crystal-power
    kind: phrase
    category: absolute_claim
    severity: error
    message: "Belooft kristalkracht."
    rationale: "Huisregel."
    references: ["Huisstijlgids"]
    patterns: ['kristalkracht\\w*']
    examples:
      match: ["Ervaar de kristalkracht van onze stenen."]
      no_match: ["Onze stenen zijn mooi."]
"""

LAUGHS = "lang: [&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]" + "".join(
    f", &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)
) + "]\n"


@pytest.mark.parametrize(
    "where, text, message",
    [
        (".wellnesslint.yaml", "lang: !!python/object/apply:os.system ['touch pwned']\n",
         ".wellnesslint.yaml:1: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/apply:os.system'"),
        ("team/nl/rules.yaml", TEAM_RULE.replace("severity: error", "severity: !!python/object/new:os.system ['touch pwned']"),
         "team/nl/rules.yaml:6: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/new:os.system'"),
        (".wellnesslint.yaml", LAUGHS, ".wellnesslint.yaml:1: invalid YAML: more than 1000000 values once its aliases are expanded"),
        ("team/nl/rules.yaml", TEAM_RULE + "lexicons:\n  x: " + LAUGHS[6:],
         "team/nl/rules.yaml:15: invalid YAML: more than 1000000 values once its aliases are expanded"),
        (".wellnesslint.yaml", "lang: " + "[" * 50_000 + "]" * 50_000 + "\n",
         ".wellnesslint.yaml:1: invalid YAML: nested more than 100 levels deep"),
        (".wellnesslint.yaml", "- " * 100_000 + "x\n", ".wellnesslint.yaml:1: invalid YAML: nested more than 100 levels deep"),
        ("team/nl/rules.yaml", "rules: " + "{a: " * 50_000 + "}" * 50_000 + "\n",
         "team/nl/rules.yaml:1: invalid YAML: nested more than 100 levels deep"),
    ],
)
def test_yaml_is_data(tmp_path, where, text, message):
    """Tags that would build Python objects, alias bombs and deep nesting: one line, exit 2,
    nothing executed. (A subprocess: deep nesting used to crash PyYAML's C loader.)"""
    (tmp_path / "page.md").write_text(CLAIM + "\n")
    (tmp_path / "team" / "nl").mkdir(parents=True)
    if where.startswith("team/"):
        (tmp_path / ".wellnesslint.yaml").write_text("rulesets: [team]\n")
    (tmp_path / where).write_text(text)
    report, out, err = run_child(tmp_path, "check", "page.md", timeout=60)
    assert report["code"] == 2
    assert err == [f"error: {message}"]
    assert out == ""
    assert report["seconds"] < 10
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    "front",
    [
        "title: " + "[" * 300_000 + "]" * 300_000,  # crashed the C loader
        "title: " + "- " * 100_000,
        "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"a{i}: &a{i} [{', '.join(['*a' if i == 1 else f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12)),
        "title: !!python/object/apply:os.system ['touch pwned']",
    ],
)
def test_hostile_front_matter_is_ignored_and_the_page_linted(tmp_path, front):
    (tmp_path / "page.md").write_text(f"---\n{front}\n---\n\n{CLAIM}\n")
    report, out, err = run_child(tmp_path, "check", "--output-format", "concise", "--select", "WL101", "page.md")
    assert report["code"] == 1 and err == []
    line = 2 + front.count("\n") + 3
    assert out.startswith(f"page.md:{line}:15: {WL101}\n")
    assert report["seconds"] < 10
    assert not (tmp_path / "pwned").exists()
