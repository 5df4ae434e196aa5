#!/usr/bin/env python3
"""Score wellnesslint on labelled data.

Sentences (``dev_sentences.jsonl``: id, lang, text, label):
    python scripts/evaluate.py ../shared/corpus/dev_sentences.jsonl [--errors] [--auto-lang]
Documents (a ``manifest.jsonl`` next to the documents: file, lang, elements_present, claims):
    python scripts/evaluate.py ../shared/corpus/dev_docs/manifest.jsonl [--errors]
    python scripts/evaluate.py tests/data/pages/manifest.jsonl [--errors]
A manifest row may carry ``"psilocybin": false`` (a page that is not about psilocybin, truffles or
microdosing): its five elements are not scored, and any missing-element finding on it is an error.
Document mode also prints the manifest claims caught per language and label.

Sentence mode lints each sentence on its own as plain text and takes the strongest claim finding
as the prediction (document-level checks such as missing disclaimers and uncited research need the
whole page and are scored in document mode). It prints precision, recall and F1 for claim vs ok
per language, per label, and how often the category of a caught claim is right.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wellnesslint.engine import CATEGORY_PRIORITY, lint_text  # noqa: E402

CLAIMS = CATEGORY_PRIORITY
ELEMENTS = (
    "not_a_substitute",
    "contraindications_medication",
    "contraindications_mental_health",
    "contraindications_pregnancy",
    "consult_professional",
)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def predict(text: str, lang: str, profile: str = "default") -> str:
    findings = [f for f in lint_text(text, format="text", lang=lang, profile=profile) if f.category in CLAIMS and not getattr(f, "element", None)]
    findings = [f for f in findings if f.rule not in DOCUMENT_RULES]
    if not findings:
        return "ok"
    return min(findings, key=lambda f: CLAIMS.index(f.category)).category


# Rules that judge a sentence in the context of its paragraph (citations): scored in document mode.
DOCUMENT_RULES = {"WL410"}


def sentences(path: Path, show_errors: bool, auto_lang: bool, profile: str) -> int:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_lang: dict[str, Counter] = defaultdict(Counter)
    by_label: dict[tuple[str, str], Counter] = defaultdict(Counter)
    errors = []
    for row in rows:
        gold = row["label"]
        pred = predict(row["text"], "auto" if auto_lang else row["lang"], profile)
        lang = row["lang"]
        for key in (lang, "all"):
            c = by_lang[key]
            if gold != "ok" and pred != "ok":
                c["tp"] += 1
                c["cat_right" if gold == pred else "cat_wrong"] += 1
            elif gold == "ok" and pred != "ok":
                c["fp"] += 1
            elif gold != "ok" and pred == "ok":
                c["fn"] += 1
            for label in CLAIMS:
                lc = by_label[(key, label)]
                if pred == label and gold == label:
                    lc["tp"] += 1
                elif pred == label:
                    lc["fp"] += 1
                elif gold == label:
                    lc["fn"] += 1
        if gold != pred:
            errors.append((row["id"], lang, gold, pred, row["text"]))
    if show_errors:
        for e in errors:
            print(f"{e[0]} [{e[1]}] gold={e[2]:<22} pred={e[3]:<22} {e[4]}")
        print()
    print(f"{'':6}{'label':<24}{'P':>7}{'R':>7}{'F1':>7}   tp  fp  fn")
    for key in sorted(k for k in by_lang if k != "all") + ["all"]:
        for label in CLAIMS:
            c = by_label[(key, label)]
            p, r, f = prf(c["tp"], c["fp"], c["fn"])
            print(f"{key:6}{label:<24}{p:7.3f}{r:7.3f}{f:7.3f}  {c['tp']:3} {c['fp']:3} {c['fn']:3}")
    print()
    for key in sorted(k for k in by_lang if k != "all") + ["all"]:
        c = by_lang[key]
        p, r, f = prf(c["tp"], c["fp"], c["fn"])
        caught = c["cat_right"] + c["cat_wrong"]
        acc = c["cat_right"] / caught if caught else 1.0
        print(
            f"{key}: claim-vs-ok precision {p:.3f} recall {r:.3f} F1 {f:.3f} "
            f"(tp {c['tp']} fp {c['fp']} fn {c['fn']}); category right {acc:.3f} ({c['cat_right']}/{caught})"
        )
    return 0


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "}))
    return " ".join(text.split()).strip(" \"'").lower()


def documents(manifest: Path, show_errors: bool, profile: str) -> int:
    from wellnesslint.documents import format_for_path
    from wellnesslint.source import read_source

    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    el = {e: Counter() for e in ELEMENTS}
    verdict_right = verdict_total = 0
    by_lang: dict[str, Counter] = defaultdict(Counter)
    compliant_right = 0
    clean_with_missing = 0
    other_missing: Counter = Counter()  # elements of other topics (supplement, coaching)
    uncited: list[tuple[str, int, str]] = []  # WL410 findings: reported, not scored (no labels)
    claims_tp = claims_fn = claims_fp = 0
    label_counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    off_topic_missing = 0  # missing-element findings on pages that are not about psilocybin
    for row in rows:
        path = manifest.parent / row["file"]
        src = read_source(path)
        findings = lint_text(src.text, format=format_for_path(path, "text"), lang="auto", path=str(path), profile=profile)
        all_missing = {f.element for f in findings if f.category == "missing_disclaimer"}
        missing = all_missing & set(ELEMENTS)  # the manifest labels the five psilocybin elements
        other_missing.update(all_missing - missing)
        uncited += [(row["file"], f.line, f.sentence) for f in findings if f.rule in DOCUMENT_RULES]
        present_gold = set(row["elements_present"])
        if row.get("psilocybin", True) is False:
            off_topic_missing += len(missing)
            if show_errors and missing:
                print(f"{row['file']}: not about psilocybin, but missing_disclaimer for {', '.join(sorted(missing))}")
            elements_scored = False
        else:
            elements_scored = True
        for e in ELEMENTS if elements_scored else ():
            gold_present = e in present_gold
            pred_present = e not in missing
            verdict_total += 1
            by_lang[row["lang"]]["total"] += 1
            if gold_present == pred_present:
                verdict_right += 1
                by_lang[row["lang"]]["right"] += 1
            elif show_errors:
                print(f"{row['file']}: element {e}: gold {'present' if gold_present else 'missing'}, tool {'present' if pred_present else 'missing'}")
            c = el[e]
            # the positive class is "missing": that is what the tool reports
            if not gold_present and not pred_present:
                c["tp"] += 1
            elif gold_present and not pred_present:
                c["fp"] += 1
            elif not gold_present and pred_present:
                c["fn"] += 1
        gold_compliant = present_gold >= set(ELEMENTS)
        if not elements_scored:
            pass
        elif gold_compliant == (not missing):
            compliant_right += 1
        elif show_errors:
            print(f"{row['file']}: compliant call wrong (gold {'compliant' if gold_compliant else 'non-compliant'})")
        if elements_scored and gold_compliant and all_missing:
            clean_with_missing += 1
            if show_errors:
                print(f"{row['file']}: compliant, but missing_disclaimer for {', '.join(sorted(all_missing))}")
        flagged = [_norm(f.sentence) for f in findings if f.category in CLAIMS and f.rule not in DOCUMENT_RULES]
        gold_claims = [(_norm(c["text"]), c["label"]) for c in row["claims"]]
        used = set()
        for gc, label in gold_claims:
            hit = next((i for i, fs in enumerate(flagged) if i not in used and (gc in fs or fs in gc)), None)
            lc = label_counts[(row["lang"], label)]
            if hit is None:
                claims_fn += 1
                lc["missed"] += 1
                if show_errors:
                    print(f"{row['file']}: missed claim ({label}): {gc}")
            else:
                used.add(hit)
                claims_tp += 1
                lc["caught"] += 1
        for i, fs in enumerate(flagged):
            if i not in used:
                claims_fp += 1
                if show_errors:
                    print(f"{row['file']}: extra claim finding: {fs}")
    print(f"{'element (missing = positive)':<34}{'P':>7}{'R':>7}   tp  fp  fn")
    for e in ELEMENTS:
        c = el[e]
        p, r, _ = prf(c["tp"], c["fp"], c["fn"])
        print(f"{e:<34}{p:7.3f}{r:7.3f}  {c['tp']:3} {c['fp']:3} {c['fn']:3}")
    print()
    print(f"element verdicts right: {verdict_right}/{verdict_total} = {verdict_right / max(verdict_total, 1):.3f}"
          + "".join(f"; {k} {c['right']}/{c['total']}" for k, c in sorted(by_lang.items())))
    scored = sum(1 for row in rows if row.get("psilocybin", True) is not False)
    print(f"compliant/non-compliant call right: {compliant_right}/{scored}; compliant documents with any missing_disclaimer finding: {clean_with_missing}")
    if other_missing:
        print("other topics' missing elements (not labelled): " + ", ".join(f"{k} {v}" for k, v in sorted(other_missing.items())))
    print(f"uncited research reports ({', '.join(sorted(DOCUMENT_RULES))}, not labelled, not scored): {len(uncited)}")
    if show_errors:
        for file, line, sentence in uncited:
            print(f"  {file}:{line}: {sentence}")
    if scored < len(rows):
        print(f"pages not about psilocybin: {len(rows) - scored}; missing-element findings on them: {off_topic_missing}")
    for lang in sorted({k[0] for k in label_counts}):
        print(f"{lang} claims caught per label: " + ", ".join(
            f"{label} {label_counts[(lang, label)]['caught']}/{sum(label_counts[(lang, label)].values())}"
            for label in CLAIMS if (lang, label) in label_counts))
    p, r, f = prf(claims_tp, claims_fp, claims_fn)
    print(f"manifest claims caught: {claims_tp}/{claims_tp + claims_fn} = {r:.3f}; extra claim findings: {claims_fp} (precision {p:.3f})")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", type=Path, help="dev_sentences.jsonl or a documents manifest.jsonl")
    ap.add_argument("--errors", action="store_true", help="list every disagreement")
    ap.add_argument("--auto-lang", action="store_true", help="detect the language instead of using the label's")
    ap.add_argument("--profile", default="default", choices=("default", "strict"))
    args = ap.parse_args(argv)
    if args.file.name == "manifest.jsonl":
        return documents(args.file, args.errors, args.profile)
    return sentences(args.file, args.errors, args.auto_lang, args.profile)


if __name__ == "__main__":
    sys.exit(main())
