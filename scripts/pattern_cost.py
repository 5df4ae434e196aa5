#!/usr/bin/env python3
"""Which rule patterns are slow: the cost of searching each pattern of each rule over sample text.

    python scripts/pattern_cost.py [FILES OR FOLDERS ...] [--top 20] [--lang nl]

The sample is the prose of the given pages (Markdown, HTML or text; by default the labelled
sentences of ../shared/corpus and tests/data), block by block. Every pattern is searched over
every block, whether or not its trigger stems are there, so the figure is what the pattern costs
where it does run, independent of how often the gate lets it: microseconds per KB of text, and
how many times the median pattern that is. A pattern that starts with a long alternation, a
``\\w*`` or a variable-length lookbehind is tried at every word of a block and shows up here; a
lookahead that first checks what every match must contain (see rulesets/nl/claims.yaml, WL103)
usually brings it back to the median. Timings, so run it on a quiet machine and compare ranks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wellnesslint.documents import format_for_path, load_document  # noqa: E402
from wellnesslint.engine import get_rulesets, normalise  # noqa: E402


def sample(paths: list[str]) -> list[str]:
    texts: list[str] = []
    if not paths:
        for f in [*sorted((ROOT.parent / "shared" / "corpus").glob("*.jsonl")),
                  *sorted((ROOT / "tests" / "data").glob("*.jsonl"))]:
            texts += [normalise(json.loads(line)["text"]) for line in f.read_text(encoding="utf-8").splitlines()
                      if line.strip()]
        return texts
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(str(x) for x in Path(p).rglob("*") if x.suffix in (".md", ".markdown", ".html", ".htm"))
        else:
            files.append(p)
    for f in files:
        doc = load_document(Path(f).read_text(encoding="utf-8", errors="replace"), format_for_path(f, "text"))
        texts += [normalise(doc.text[b.start : b.end]) for b in doc.blocks]
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="pages or folders (default: the labelled sentences)")
    ap.add_argument("--top", type=int, default=20, help="how many patterns to list")
    ap.add_argument("--lang", help="only this language's rules")
    a = ap.parse_args(argv)
    texts = sample(a.paths)
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1000
    if not texts:
        print("no text to search", file=sys.stderr)
        return 2
    rows = []
    for lang, rs in sorted(get_rulesets().items()):
        if a.lang and lang != a.lang:
            continue
        for rule in rs.rules:
            sources = getattr(rule.matcher, "sources", None)
            if sources is None:
                continue
            import regex

            for i, src in enumerate(sources()):
                p = regex.compile(src, regex.IGNORECASE)
                search = p.search
                t = time.perf_counter()
                for text in texts:
                    search(text)
                rows.append(((time.perf_counter() - t) * 1e6 / kb, lang, rule.id, i, src))
    if not rows:
        return 0
    mid = median(r[0] for r in rows)
    print(f"{len(rows)} patterns over {len(texts)} texts ({kb:.0f} KB); median {mid:.1f} µs/KB")
    print(f"{'µs/KB':>8} {'× median':>9}  rule (pattern #): source")
    for cost, lang, rid, i, src in sorted(rows, reverse=True)[: a.top]:
        print(f"{cost:8.1f} {cost / mid:9.1f}  {lang} {rid} (#{i}): {src[:110]}{'…' if len(src) > 110 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
