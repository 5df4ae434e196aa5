"""Make docs/review-page.png: the review page with a Dutch draft, in headless Chromium.

    python scripts/review_page_screenshot.py [OUT.png]

Same setup as tests/test_browser.py: Debian's chromium (or $WELLNESSLINT_CHROMIUM) driven by
Playwright, a fresh profile, the review server started in this process on a free port.
"""

from __future__ import annotations

import os
import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from wellnesslint import serve  # noqa: E402

DRAFT = """\
# Microdoseren met onze truffels 🍄

Onze truffels genezen depressie en angst. Microdoseren is 100% veilig, zonder bijwerkingen.

Wetenschappelijk bewezen: na vier weken voel je je als herboren.

Stop met je antidepressiva, je hebt ze niet meer nodig.
"""

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> int:
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "review-page.png")
    out.parent.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("WELLNESSLINT_CHROMIUM", "/usr/bin/chromium")
    server, _ = serve.start(port=0)
    try:
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as profile:
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=chromium, headless=True, args=ARGS, viewport={"width": 1440, "height": 1400}
            )
            page = context.new_page()
            page.goto(server.url)
            page.fill("#draft", DRAFT)
            page.wait_for_function("() => /^Checked/.test(document.getElementById('status').textContent)")
            page.click("mark.cat-cure_claim")  # show how a highlight and its card belong together
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(out))
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
