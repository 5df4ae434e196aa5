"""The HTML report: one self-contained page for many files, everything from the files escaped."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import lxml.html

import wellnesslint
from wellnesslint.engine import lint_text
from wellnesslint.reporters import OUTPUT_FORMATS, render
from wellnesslint.reporters import html as html_report

PACKAGE_ROOT = pathlib.Path(wellnesslint.__file__).resolve().parent.parent

SHOP = "# Truffels 🍄\n\n✨ Microdosing geneest depressie. Onze truffels zijn 100% veilig.\n"
HOSTILE = (
    "# <script>alert(1)</script> Microdosing geneest angst\n\n"
    'Klik <img src=x onerror="alert(2)"> hier. "Onze truffels" zijn 100% veilig & <b>goed</b>.\n'
)
CLEAN = "# Ademwerk\n\nRustig ademen kan prettig zijn.\n"


def report(files: dict[str, tuple[str, str]]) -> tuple[str, list]:
    findings = []
    for path, (text, fmt) in files.items():
        findings += lint_text(text, format=fmt, path=path)
    sources = {path: text for path, (text, _) in files.items()}
    return render(findings, "html", sources=sources), findings


def test_registered():
    assert "html" in OUTPUT_FORMATS


def test_self_contained_and_escaped():
    out, findings = report({"shop.md": (SHOP, "markdown"), "evil.md": (HOSTILE, "markdown"), "clean.md": (CLEAN, "markdown")})
    assert out.startswith("<!doctype html>")
    tree = lxml.html.fromstring(out)
    # nothing runs, nothing loads: no script, no external stylesheet or image, a CSP that forbids it
    assert not tree.xpath("//script | //link | //img | //iframe | //object")
    assert not tree.xpath("//@src")
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp
    assert "<script>alert(1)</script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert not tree.xpath("//*[@onerror]") and not tree.xpath("//b")
    # every file in the overview; the clean one says so and gets no section
    rows = tree.xpath("//table[@class='overview']/tbody/tr")
    assert [r.xpath("string(td[1])") for r in rows] == ["clean.md", "evil.md", "shop.md"]
    assert rows[0].xpath("string(td[last()])") == "clean"
    sections = tree.xpath("//section[@class='file']")
    assert [s.xpath("string(h2)") for s in sections] == ["evil.md", "shop.md"]
    # the highlighted text reads as the file; marks carry the category
    shop = sections[1]
    assert shop.xpath("string(.//div[@class='doc'])") == SHOP
    marks = {m.text_content(): m.get("class") for m in shop.xpath(".//mark")}
    assert marks["geneest depressie"] == "claim cat-cure_claim"
    assert marks["100% veilig"] == "claim cat-safety_claim"
    # each finding: message, rationale, legal basis, and the anchor the mark links to
    for link in shop.xpath(".//a[@class='claim-link']"):
        card = tree.xpath(f"//li[@id='{link.get('href')[1:]}']")
        assert card and card[0].xpath("string(.//p[@class='message'])")
    cure = shop.xpath(".//li[contains(@class, 'finding') and contains(@class, 'cat-cure_claim')]")[0]
    assert "Geneesmiddelenwet" in cure.text_content()
    assert cure.xpath(".//ul[@class='refs']/li/a/@href")[0].startswith("https://")
    suggestion = next(f for f in findings if f.path == "shop.md" and f.rule == "WL101").suggestion
    if suggestion:
        assert suggestion["replacement"].strip() in cure.xpath("string(.//div[@class='suggestion'])")


def test_missing_disclaimer_panel():
    out, findings = report({"shop.md": (SHOP, "markdown")})
    missing = [f for f in findings if f.category == "missing_disclaimer"]
    tree = lxml.html.fromstring(out)
    panels = tree.xpath("//section[@class='disclaimer']")
    if not missing:
        assert not panels
        return
    text = panels[0].text_content()
    for f in missing:
        assert f.element in text
    if any(f.suggestion for f in missing):
        assert panels[0].xpath(".//div[@class='suggestion']")


def test_long_file_shows_the_lines_around_findings():
    filler = "".join(f"Regel {i}: rustig ademen en wandelen in het bos.\n" for i in range(3000))
    text = filler + "Microdosing geneest depressie.\n" + filler
    assert len(text) > html_report.FULL_TEXT_LIMIT
    out, _ = report({"long.txt": (text, "text")})
    tree = lxml.html.fromstring(out)
    docs = tree.xpath("//div[@class='doc']")
    shown = "".join(d.text_content() for d in docs)
    assert "Microdosing geneest depressie." in shown and len(shown) < 2000
    assert "line 2999" in shown
    assert tree.xpath("//mark")[0].text_content() == "geneest depressie"


def test_cli_writes_report(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "shop.md").write_text(SHOP, encoding="utf-8")
    (tmp_path / "site" / "page.html").write_text(
        "<html lang='nl'><body><p>Onze truffels zijn <em>100% veilig</em>.</p></body></html>", encoding="utf-8"
    )
    (tmp_path / "site" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "report.html"
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "wellnesslint", "check", "site", "--output-format", "html", "-o", str(out)],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    tree = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    names = [r.xpath("string(td[1])") for r in tree.xpath("//table[@class='overview']/tbody/tr")]
    assert sorted(os.path.basename(n) for n in names) == ["clean.txt", "page.html", "shop.md"]
    assert tree.xpath("//mark[contains(@class, 'cat-safety_claim')]")
