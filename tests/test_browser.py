"""End to end: the review page (``wellnesslint serve``) in headless Chromium, driven by Playwright.

Uses Debian's ``chromium`` (never a browser downloaded by ``playwright install``); set
``WELLNESSLINT_CHROMIUM`` to use another binary. Without Chromium or Playwright the tests skip
and say why; ``.ci/run`` installs both.
"""

from __future__ import annotations

import json
import os
import pathlib
import queue
import re
import shutil
import subprocess
import sys
import threading

import pytest

import wellnesslint

PACKAGE_ROOT = pathlib.Path(wellnesslint.__file__).resolve().parent.parent
TIMEOUT = 30.0

DRAFT = (
    "# Microdosing met truffels 🍄\n"
    "\n"
    "✨ Microdosing geneest depressie. Onze truffels zijn 100% veilig.\n"
    "\n"
    "Stop met je antidepressiva, je hebt ze niet meer nodig.\n"
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    candidates = [os.environ.get("WELLNESSLINT_CHROMIUM"), "/usr/bin/chromium"]
    candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


CHROMIUM = find_chromium()
REQUIRED = bool(os.environ.get("WELLNESSLINT_REQUIRE_BROWSER"))  # .ci/run sets it when chromium is there
if CHROMIUM is None:
    message = "Chromium not found (install Debian's chromium: apt-get install chromium, or set WELLNESSLINT_CHROMIUM)"
    if REQUIRED:
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)
try:
    from playwright import sync_api
except ImportError:
    if REQUIRED:
        pytest.fail("playwright is not installed (pip install '.[test]')", pytrace=False)
    pytest.skip("playwright is not installed (pip install '.[test]')", allow_module_level=True)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh user-data-dir
    downloads = tmp_path_factory.mktemp("downloads")
    with sync_api.sync_playwright() as pw:
        try:
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                viewport={"width": 1400, "height": 1000},
                accept_downloads=True,
                downloads_path=str(downloads),
            )
        except Exception as exc:  # pragma: no cover - a broken browser install
            if REQUIRED:
                raise
            pytest.skip(f"Chromium at {CHROMIUM} does not start: {exc}")
        context.set_default_timeout(TIMEOUT * 1000)
        yield context
        context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    page.close()
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture
def served(tmp_path):
    """``python -m wellnesslint serve --port 0`` as a subprocess; yields its URL."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "wellnesslint", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "serve.stderr", "wb"),
        cwd=tmp_path,
        env=env,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()
    try:
        first = lines.get(timeout=TIMEOUT).decode()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert m, f"unexpected first line from wellnesslint serve: {first!r}"
        yield m.group(0)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


def api_lint(url: str, text: str, fmt: str = "markdown", lang: str = "auto") -> dict:
    import urllib.request

    req = urllib.request.Request(
        url + "api/lint",
        data=json.dumps({"text": text, "format": fmt, "lang": lang}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        return json.load(resp)


def wait_for_check(page, count: int | None = None) -> None:
    """Wait until the page shows results for the text now in the draft."""
    page.wait_for_function("() => /^Checked/.test(document.getElementById('status').textContent)")
    if count is not None:
        page.wait_for_function(f"() => document.querySelectorAll('mark.claim').length === {count}")


def test_review_page(page, served, tmp_path):
    """Paste a Dutch overclaiming draft, see the highlights, apply a rewrite, check the revised text."""
    page.goto(served)
    assert page.title().startswith("wellnesslint")
    page.fill("#draft", DRAFT)
    page.wait_for_selector("mark.claim")
    wait_for_check(page)
    marks = page.locator("#highlighted mark.claim")
    texts = marks.all_inner_texts()
    assert "geneest depressie" in texts and "100% veilig" in texts, texts
    assert page.locator("#highlighted mark.cat-cure_claim").count() == 1
    assert page.locator("#highlighted mark.cat-safety_claim").count() == 1
    assert page.locator("#highlighted mark.cat-discourages_treatment").count() == 1
    # the highlighted view shows the draft unchanged, emoji included
    assert page.inner_text("#highlighted") == DRAFT.rstrip("\n") or page.inner_text("#highlighted") == DRAFT
    # colour per category: the marks' backgrounds differ
    colours = {page.eval_on_selector(f"#highlighted mark.cat-{c}", "m => getComputedStyle(m).backgroundColor")
               for c in ("cure_claim", "safety_claim", "discourages_treatment")}
    assert len(colours) == 3
    # each finding: message, rationale, legal basis
    card = page.locator("li.finding.cat-cure_claim")
    assert "WL101" in card.inner_text() and "Geneesmiddelenwet" in card.inner_text()
    assert card.locator(".refs a").count() >= 1
    assert "Dutch" in page.inner_text("#status")

    result = api_lint(served, DRAFT)
    if result["missing_elements"]:
        assert page.is_visible("#disclaimer")
        for m in result["missing_elements"]:
            assert m["element"] in page.inner_text("#missing")

    shot = tmp_path / "review-page.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    # apply one rewrite (the rewrite engine's suggestion for the cure claim)
    cure = next(f for f in result["findings"] if f["rule"] == "WL101")
    if cure["suggestion"] is None:
        pytest.skip("findings carry no suggestion yet (the rewrite issue is not merged); "
                    "test_apply_and_download covers applying with stand-in suggestions")
    page.click("li.finding.cat-cure_claim button.apply")
    sug = cure["suggestion"]
    expected = DRAFT[: sug["offset"]] + sug["replacement"] + DRAFT[sug["end_offset"] :]
    page.wait_for_function("t => document.getElementById('draft').value === t", arg=expected)
    wait_for_check(page)
    assert page.locator("#highlighted mark.cat-cure_claim").count() == 0
    assert page.input_value("#draft") == expected


# ---------------------------------------------------------------------------------------------
# applying, undo, download and file round trips with stand-in suggestions (the rewrite engine's
# own suggestions are exercised above as soon as it produces them)


STAND_IN = "Sommige mensen ervaren dat {x}; het is geen behandeling."


@pytest.fixture
def served_with_suggestions(monkeypatch):
    """The review server in-process; every claim's suggestion replaced by a known stand-in."""
    from wellnesslint import review, serve
    from wellnesslint.models import LineIndex

    real = review.lint_source

    def with_suggestions(text, fmt, **kw):
        findings = real(text, fmt, **kw)
        lines = LineIndex(text)
        for f in findings:
            if f.category != "missing_disclaimer":
                s, e = review.finding_span(f, text, lines)
                (l1, c1), (l2, c2) = lines.position(s), lines.position(e)
                f.suggestion = {
                    "replacement": STAND_IN.format(x=f.rule),
                    "start": {"line": l1, "column": c1},
                    "end": {"line": l2, "column": c2},
                    "applicability": "unsafe",
                }
        return findings

    monkeypatch.setattr(review, "lint_source", with_suggestions)
    server, thread = serve.start(port=0)
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()


def test_apply_and_download(page, served_with_suggestions, tmp_path):
    url = served_with_suggestions
    page.goto(url)
    page.fill("#draft", DRAFT)
    wait_for_check(page, 3)
    # apply the cure claim's rewrite: offsets after two emoji (UTF-16 in the page) must land exactly
    page.click("li.finding.cat-cure_claim button.apply")
    expected = DRAFT.replace("geneest depressie", STAND_IN.format(x="WL101"))
    page.wait_for_function("t => document.getElementById('draft').value === t", arg=expected)
    wait_for_check(page, 2)
    assert page.locator("#highlighted mark.cat-cure_claim").count() == 0
    # undo brings the claim back, apply again
    page.click("#undo")
    page.wait_for_function("t => document.getElementById('draft').value === t", arg=DRAFT)
    wait_for_check(page, 3)
    page.click("li.finding.cat-cure_claim button.apply")
    page.wait_for_function("t => document.getElementById('draft').value === t", arg=expected)
    wait_for_check(page, 2)
    with page.expect_download() as info:
        page.click("#download")
    path = info.value.path()
    assert pathlib.Path(path).read_bytes() == expected.encode("utf-8")
    assert info.value.suggested_filename == "draft.md"
    # copy: the revised text lands on the clipboard
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page.click("#copy")
    page.wait_for_function("() => /copied/.test(document.getElementById('status').textContent)")
    assert page.evaluate("() => navigator.clipboard.readText()") == expected


def test_open_file_keeps_encoding_and_line_breaks(page, served_with_suggestions, tmp_path):
    """A CRLF HTML file with a BOM: opened, fixed, downloaded with BOM and CRLF intact."""
    original = '<html lang="nl"><body>\r\n<p>🍄 Microdosing <b>geneest</b> depressie.</p>\r\n</body></html>\r\n'
    f = tmp_path / "pagina.html"
    f.write_bytes(b"\xef\xbb\xbf" + original.encode("utf-8"))
    page.goto(served_with_suggestions)
    page.set_input_files("#file", str(f))
    wait_for_check(page, 1)
    assert page.input_value("#format") == "html"
    assert page.inner_text("#file-name") == "pagina.html"
    page.click("li.finding button.apply")
    page.wait_for_function("() => document.querySelectorAll('mark.claim').length === 0")
    with page.expect_download() as info:
        page.click("#download")
    data = pathlib.Path(info.value.path()).read_bytes()
    assert info.value.suggested_filename == "pagina.html"
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")
    assert STAND_IN.format(x="WL101") in text and text.startswith('<html lang="nl"><body>\r\n<p>🍄 Microdosing <b>')


def test_draft_is_never_rendered_as_html(page, served):
    hostile = (
        "# Microdosing geneest depressie <img src=x onerror=\"window.__xss=1\">\n\n"
        "<script>window.__xss = 2</script> Truffels zijn 100% veilig. <b onmouseover=alert(1)>vet</b>\n"
    )
    page.goto(served)
    page.fill("#draft", hostile)
    wait_for_check(page)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#highlighted img, #highlighted script, #highlighted b").count() == 0
    assert page.locator("#findings img, #findings script").count() == 0
    assert page.inner_text("#highlighted").startswith("# Microdosing")
    assert "<script>window.__xss = 2</script>" in page.inner_text("#highlighted")


def test_foreign_host_is_refused(page, served):
    """DNS rebinding: the same server under another name answers 403."""
    port = served.rsplit(":", 1)[1].strip("/")
    page.goto(served)
    status = page.evaluate("async (u) => (await fetch(u)).status", served + "api/health")
    assert status == 200  # the page's own origin is accepted
    import urllib.error
    import urllib.request

    req = urllib.request.Request(served, headers={"Host": f"rebind.example:{port}"})
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(req, timeout=TIMEOUT)
    assert exc.value.code == 403
