"""The engine: document -> blocks -> sentences -> claim checks -> findings.

Usable as a library: ``lint_text(text, format="markdown", lang="auto") -> list[Finding]``.
"""

from __future__ import annotations

import regex
from functools import lru_cache
from pathlib import Path

from .claims import SentenceContext, negators, opens_with_advice, stands
from .documents import load_document
from .language import detect
from .lazyre import LazyPattern
from .models import Document, Finding
from .ruleset import Ruleset, load_rulesets

# When several claims stand in one sentence, the sentence gets the finding of the strongest.
CATEGORY_PRIORITY = ("discourages_treatment", "cure_claim", "safety_claim", "evidence_claim", "absolute_claim")

# Length-preserving normalisation for matching: typographic quotes and odd spaces.
_NORMALISE = str.maketrans(
    {
        "’": "'", "‘": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
        "“": '"', "”": '"', "„": '"', "″": '"', "«": '"', "»": '"',
        "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\n": " ", "\r": " ",
        "\u200b": " ", "\ufeff": " ", "\u2011": "-", "\u2010": "-",
    }
)


# A bibliography entry quotes a study's title; it is a source, not marketing copy.
# marks of a bibliography entry anywhere in a block (each needs one of _REFERENCE_LITERALS)
_REFERENCE_MARK = LazyPattern(r"\bdoi\s*:|doi\.org/|\bPMID\b|\bPMC\d|↩|\bet al\.?,? .{0,200}\b(?:19|20)\d\d\b")
_REFERENCE_LITERALS = ("doi", "PMID", "PMC", "↩", "et al")
# an entry that starts with a name and initials ("Smith AB, Jones C.", "[3] Kuypers KPC &")
_REFERENCE_HEAD = LazyPattern(r"\s*(?:\[?\d{1,3}[.\])]\s*)?[A-Z][\w'’-]+,? (?:[A-Z]{1,3}\.?,? ?){1,3}(?:,|\.|&| and| en)")
_YEAR = LazyPattern(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


def is_reference_entry(text: str) -> bool:
    """A bibliography entry ("Smith AB, Jones C. ... 2021;12:45."), whose words are a title, not claims.

    An entry that starts with a name and initials must also carry a year: a slogan that opens
    with a word and an acronym ("Goodbye IBS, hello ...", "Stop ADHD, start ...") has that shape
    but no year."""
    if any(lit in text for lit in _REFERENCE_LITERALS) and _REFERENCE_MARK.search(text):
        return True
    return _REFERENCE_HEAD.match(text) is not None and _YEAR.search(text) is not None


@lru_cache(maxsize=8)
def get_rulesets(folder: str | None = None) -> dict[str, Ruleset]:
    return load_rulesets(Path(folder) if folder else None)


def replace_chars(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text.translate(table)`` for the table of ``pairs``, but one ``str.replace`` per character
    that occurs: ``translate`` with a dict table looks every character up in Python (some 60 ns
    each once the text holds one non-ASCII character), a page's text at once."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


_REPLACE = tuple((chr(k), v) for k, v in _NORMALISE.items())


def normalise(text: str) -> str:
    return replace_chars(text, _REPLACE)


def _keep_block_breaks(text: str, norm: str, blocks) -> str:
    """``norm`` with the line break just before each block kept a line break. A rule that holds
    only at the start of a sentence ("Waarom nog ...?") says so with ``(?<=\\n)`` besides ``^`` and
    a full stop before it: the block prefilter searches the page's text from the block's start,
    where ``^`` never holds, and a block after a heading without a full stop ("Even wachten")
    would otherwise hide the rule from the sentence judge."""
    parts = []
    prev = 0
    for block in blocks:
        i = block.start - 1
        if i >= prev and text[i] == "\n":
            parts.append(norm[prev:i])
            parts.append("\n")
            prev = i + 1
    if not parts:
        return norm
    parts.append(norm[prev:])
    return "".join(parts)


def document_language(doc: Document, rulesets: dict[str, Ruleset], lang: str) -> str:
    if lang != "auto" and lang in rulesets:
        return lang
    if doc.lang in rulesets:
        return doc.lang  # type: ignore[return-value]
    profiles = {k: v.profile for k, v in rulesets.items()}
    return detect(doc.text[:20000], profiles, minimum=1) or ("en" if "en" in rulesets else next(iter(rulesets)))


def block_language(text: str, declared: str | None, doc_lang: str, rulesets: dict[str, Ruleset], lang: str) -> str:
    if lang != "auto" and lang in rulesets:
        return lang
    if declared in rulesets:
        return declared  # type: ignore[return-value]
    profiles = {k: v.profile for k, v in rulesets.items()}
    return detect(text, profiles, minimum=2) or doc_lang


def _rank(category: str) -> int:
    try:
        return CATEGORY_PRIORITY.index(category)
    except ValueError:
        return len(CATEGORY_PRIORITY)


class _Verdicts:
    """judge_sentence's verdicts for one ruleset, by profile and sentence: a verdict depends on
    the sentence alone, and sites repeat sentences on page after page (menus, footers, product
    blurbs, calls to action: a third of the sentences judged in 1,000 corpus pages, half the time
    spent judging).

    A ruleset whose rule list is replaced or grows (as Ruleset.rules_for notices) starts over;
    rules are not changed once sentences are judged with them (custom_rules wraps the matchers of
    a team's rules before). The candidates are shared between the callers: they only read them."""

    LIMIT = 16_384  # sentences remembered per ruleset, then it starts over: memory stays small
    _all: dict[int, _Verdicts] = {}  # id(ruleset) -> its verdicts (the ruleset is held, so the id stays its own)

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.rules = ruleset.rules
        self.count = len(ruleset.rules)
        self.memo: dict[tuple[str, str], tuple | None] = {}

    def holds(self, ruleset: Ruleset) -> bool:
        """Are these the verdicts of ``ruleset`` with the rules it has now?"""
        return self.ruleset is ruleset and self.rules is ruleset.rules and self.count == len(ruleset.rules)

    @classmethod
    def of(cls, ruleset: Ruleset) -> _Verdicts:
        known = cls._all.get(id(ruleset))
        if known is None or not known.holds(ruleset):
            if len(cls._all) >= 16:  # rulesets come and go (tests, a language server): keep a few
                cls._all.clear()
            known = cls._all[id(ruleset)] = cls(ruleset)
        return known


def judge_sentence(sent: str, ruleset: Ruleset, profile: str = "default", norm: str | None = None):
    """The strongest standing claim in one sentence as (rule, candidate), or None (``norm``:
    ``normalise(sent)``, if the caller has it). Remembered per ruleset (see _Verdicts)."""
    if norm is None:
        norm = normalise(sent)
    memo = _Verdicts.of(ruleset).memo
    key = (profile, norm)
    if key in memo:
        return memo[key]
    verdict = _judge(norm, ruleset, profile)
    if len(memo) >= _Verdicts.LIMIT:
        memo.clear()
    memo[key] = verdict
    return verdict


def _judge(norm: str, ruleset: Ruleset, profile: str):
    """judge_sentence, not remembered."""
    ctx = None
    best = None
    for rule in ruleset.rules_for(norm, profile):  # the profile's rules whose trigger stems occur
        cands = rule.find(norm)
        if not cands:
            continue
        if ctx is None:
            ctx = SentenceContext.build(norm, ruleset.profile)
        for cand in cands:
            if stands(cand, rule, ctx):
                key = (_rank(rule.category), cand.start)
                if best is None or key < best[0]:
                    best = (key, rule, cand)
                break
    return None if best is None else (best[1], best[2])


def is_fragment_question(sentence: str) -> bool:
    """A short question that the next sentence answers: "Bijwerkingen?", "Insomnia?"."""
    s = sentence.rstrip()
    return s.endswith("?") and len(s.split()) <= 4


def judge_with_lead_in(lead: str, item: str, ruleset: Ruleset, profile: str = "default"):
    """Judge a list item together with its lead-in; the claim must reach into the item.

    Returns (rule, start, end, slots) with the span clipped to the item, or None.
    """
    question = lead.rstrip().endswith("?")
    lead = lead.rstrip().rstrip(":?").rstrip()  # the colon or question mark would end the clause
    joined = f"{lead} {item}"
    offset = len(lead) + 1
    verdict = judge_sentence(joined, ruleset, profile)
    if verdict is None:
        return None
    rule, cand = verdict
    if question and cand.start < offset and opens_with_advice(item, ruleset.profile):
        # "Slik je lithium? Sla deze retreat dan over.", "On antidepressants? Skip the ceremony.":
        # the question names a situation and the answer is advice for it, as after "if ...,"
        # (claims.stands); a claim made in the answer itself still counts ("Taking SSRIs? Stop
        # taking them.")
        return None
    inside = [(max(a, offset), b) for a, b in cand.core if b > offset]
    if not inside:
        return None
    start = min(a for a, _ in inside) - offset
    end = max(b for _, b in inside) - offset
    return rule, start, end, cand.slots


_QA_PUNCT = regex.compile(r"[\s,;:!.—–-]*")


def _affirmation(answer: str, rest: str, profile, key: str = "affirmative_answers") -> tuple[int, int] | None:
    """Where a plain yes opens ``answer`` ("Ja, dat kan gewoon.", "A: Absolutely, no problem at
    all."): the span of its affirmative words, or None when the answer (or what follows it in its
    block, ``rest``) limits the yes ("Ja, maar overleg eerst met je arts", "Yes, if your doctor
    agrees", "It does, for some people") or is no plain yes at all."""
    cues = profile.patterns.get(key)
    if cues is None:
        return None
    pos = _QA_PUNCT.match(answer).end()
    label = profile.patterns.get("qa_labels")
    m = label.match(answer, pos) if label is not None else None
    if m is not None:
        pos = _QA_PUNCT.match(answer, m.end()).end()
    start = end = None
    while True:
        m = cues.match(answer, pos)
        if m is None or m.end() == m.start():
            break
        if start is None:
            start = m.start()
        end = m.end()
        pos = _QA_PUNCT.match(answer, end).end()
    if start is None:
        return None
    after = f"{answer[end:]} {rest}"
    for limit in ("answer_limits", "contrast", "conditional", "supervision", "hedges", "weak_hedges", "qualifiers", "quantifiers"):
        if profile.search(limit, after):
            return None
    if negators(after, profile):
        return None
    return start, end


def judge_affirmed(question: str, answer: str, rest: str, ruleset: Ruleset, profile: str = "default"):
    """A yes/no question answered with a plain yes, in the same block or the next one
    ("Kan ik het combineren met mijn medicatie?" + "Ja, dat kan gewoon.", "Will it help with my
    depression?" + "It will."): the answer asserts what the question asks. The question is read as
    a statement (its label and question mark dropped, its opening verb also moved behind the
    first words: "Is microdosing safe" -> "microdosing Is safe"); a claim that stands in one of
    those readings is the answer's claim. A question that makes a claim itself (a presupposing
    one) is judged on its own, and a negated question ("Is het niet gevaarlijk?") is left alone:
    its yes is ambiguous. Returns (rule, start, end, slots) with the span in ``answer``, or None."""
    prof = ruleset.profile
    q = question.strip().rstrip(" \"')»”’").rstrip()
    if not q.endswith("?"):
        return None
    where = _affirmation(answer, rest, prof)
    negation = None
    if where is None:
        # a plain no to "Do I still need my therapist?", "Heb ik dan nog medicijnen nodig?": the
        # question read with the language's negator after its verb ("I Do not still need my
        # therapist"); only a claim that care or medication is not needed counts
        words_no = prof.answer_negation
        where = _affirmation(answer, rest, prof, "negative_answers") if words_no else None
        if where is None:
            return None
        negation = next(iter(words_no))
    q = q.rstrip("?").rstrip()
    label = prof.patterns.get("qa_labels")
    m = label.match(q, _QA_PUNCT.match(q).end()) if label is not None else None
    if m is not None:
        q = q[m.end():].strip()
    if negators(normalise(q), prof):
        return None
    if judge_sentence(question, ruleset, profile) is not None:
        return None
    words = q.split()
    if negation is None:
        readings = [q] + [" ".join(words[1 : k + 1] + words[:1] + words[k + 1 :]) for k in range(1, min(len(words) - 1, 6))]
    else:
        readings = [" ".join(words[1 : k + 1] + [words[0], negation] + words[k + 1 :]) for k in range(1, min(len(words) - 1, 6))]
    best = None
    for reading in readings:
        verdict = judge_sentence(reading + ".", ruleset, profile)
        if verdict is not None and negation is not None and verdict[0].category != "discourages_treatment":
            continue
        if verdict is not None and (best is None or _rank(verdict[0].category) < _rank(best[0].category)):
            best = verdict
    if best is None:
        return None
    return best[0], where[0], where[1], best[1].slots


_QUOTED = regex.compile(r'(?<![\w])"([^"]{2,300})"')


def _quoted(norm_sent: str, start: int, end: int) -> bool:
    """Do the claim words sit inside double quotes ("It works for everyone.")?"""
    return any(m.start(1) <= start and end <= m.end(1) for m in _QUOTED.finditer(norm_sent))


_MYTH_HEADINGS: dict[tuple[int, str], bool] = {}  # (id of the rulesets, heading) -> verdict; sites repeat headings


def _announces_myths(heading: str, rulesets: dict[str, Ruleset], doc_lang: str) -> bool:
    """A heading over slogans quoted to be taken apart ("Mythes over microdoseren", "Myths you'll
    see online"): under it a quoted claim is a quotation, not the page's claim. Unquoted claims
    in the section still count. Every language's cues are tried (a Dutch page may say "Myths")."""
    key = (id(rulesets), heading)
    known = _MYTH_HEADINGS.get(key)
    if known is None:
        if len(_MYTH_HEADINGS) >= 4096:
            _MYTH_HEADINGS.clear()
        known = _MYTH_HEADINGS[key] = any(rs.profile.search("debunk_headings", heading) is not None for rs in rulesets.values())
    return known


def _is_question(sentence: str) -> bool:
    return "?" in sentence and sentence.rstrip().rstrip("\"')»”’").rstrip().endswith("?")


def _answers_yes(text: str, spans: list[tuple[int, int]], question: str | None, profile, btext: str) -> bool:
    """Does a sentence of the block open with a yes to the question before it (the block before's
    last sentence for the first)? Such a block is judged even when no claim word occurs in it."""
    if question is None and "?" not in btext or profile.patterns.get("affirmative_answers") is None:
        return False
    for s, e in spans:
        sent = text[s:e]
        if question is not None and (_affirmation(sent, "", profile) is not None
                                     or _affirmation(sent, "", profile, "negative_answers") is not None):
            return True
        question = sent if _is_question(sent) else None
    return False


def lint_document(doc: Document, *, path: str = "<text>", lang: str = "auto", profile: str = "default",
                  rulesets_dir: str | None = None, **_options) -> list[Finding]:
    rulesets = get_rulesets(rulesets_dir)
    doc_lang = document_language(doc, rulesets, lang)
    findings: list[Finding] = []
    text = doc.text
    # the prefilter sees what the rules see: typographic quotes, NBSP and line breaks normalised
    # (length-preserving, so block offsets stay valid); "Nature’s wonder drug" or a claim wrapped
    # over two lines must reach the rules
    norm_text = _keep_block_breaks(text, normalise(text), doc.blocks)
    lead: str | None = None  # a lead-in sentence ending in ":" that the list items below complete
    units = []  # (block, lang, sentence spans) for the document checks below
    asked: str | None = None  # the last sentence of the block before, when it is a question
    debunking = False  # under a heading that announces myths ("Fabels en feiten", "Myths you'll see online")
    for block in doc.blocks:
        btext = text[block.start : block.end]
        if block.kind == "heading":
            debunking = _announces_myths(norm_text[block.start : block.end], rulesets, doc_lang)
        context = lead if block.kind == "list_item" or (lead and lead.rstrip().endswith("?")) else None
        if block.kind != "list_item":
            lead = None
        blang = block_language(btext, block.lang, doc_lang, rulesets, lang)
        rs = rulesets[blang]
        spans = rs.profile.sentences(text, block.start, block.end)
        units.append((block, blang, spans))
        if spans and (btext.rstrip().endswith(":") or is_fragment_question(text[spans[-1][0] : spans[-1][1]])):
            lead = text[spans[-1][0] : spans[-1][1]]
        question, asked = asked, None
        if spans and "?" in btext and _is_question(text[spans[-1][0] : spans[-1][1]]):
            asked = text[spans[-1][0] : spans[-1][1]]
        if rs.prefilter is None:
            continue
        if not rs.prefilter.search(norm_text, block.start, block.end) and not (
            context and rs.prefilter.search(normalise(context))
        ) and not (
            # "Migraine? Onze olie zorgt dat je er geen last meer van hebt.": a short question that
            # the next sentence of the block answers is judged joined to it (below), so the gate
            # must see the block as that reading too
            "?" in btext and any(is_fragment_question(text[s:e]) for s, e in spans[:-1])
            and rs.prefilter.search(norm_text[block.start : block.end].replace("?", " "))
        ) and not ((question is not None or "?" in btext) and _answers_yes(text, spans, question, rs.profile, btext)):
            continue
        if block.kind in ("list_item", "paragraph") and is_reference_entry(btext):
            continue
        for i, (s, e) in enumerate(spans):
            sent = text[s:e]
            verdict = judge_sentence(sent, rs, profile, norm_text[s:e])
            # "Onze truffels helpen bij:" + "- depressie": the item completes the lead-in's claim;
            # "Bijwerkingen?" + "Die kent onze olie niet.": the answer completes the question
            found = judge_with_lead_in(context, sent, rs, profile) if context else None
            if found is not None and (verdict is None or _rank(found[0].category) < _rank(verdict[0].category)):
                rule, start, end, slots = found
                findings.append(_finding(doc, path, rule, s + start, s + end, f"{context} {sent}", slots, blang, (s, e)))
            elif verdict is not None:
                rule, cand = verdict
                if not (debunking and _quoted(norm_text[s:e], cand.start, cand.end)):
                    findings.append(_finding(doc, path, rule, s + cand.start, s + cand.end, sent, cand.slots, blang, (s, e)))
            elif question is not None:
                # "Mag ik het combineren met mijn medicatie?" + "Jazeker.": the yes makes the claim
                yes = judge_affirmed(question, sent, text[e : block.end], rs, profile)
                if yes is not None:
                    rule, start, end, slots = yes
                    findings.append(_finding(doc, path, rule, s + start, s + end, f"{question} {sent}", slots, blang, (s, e)))
            question = sent if _is_question(sent) else None
            nxt = text[spans[i + 1][0] : spans[i + 1][1]] if i + 1 < len(spans) else ""
            # a short question, any question answered in a few words ("... sleeping pills? No
            # problem."), or one the next sentence points back at ("Got a script for Adderall?
            # Swap it for ...": the language's back_references)
            answered = sent.rstrip().endswith("?") and (
                0 < len(nxt.split()) <= 5 or rs.profile.search("back_references", nxt) is not None)
            context = sent if is_fragment_question(sent) or answered else None
    # --- document checks: missing disclaimers, uncited research (rules/disclaimer.py) ---
    from .rules.disclaimer import check_document

    findings += check_document(doc, units, rulesets, doc_lang, path=path, profile=profile, norm_text=norm_text)
    # --- end of document checks ---
    findings.sort(key=Finding.sort_key)
    if findings and _options.get("suggest", True):  # balanced rewrites and disclaimer paragraphs (rewrite.py)
        from .rewrite import attach_suggestions

        attach_suggestions(doc, findings, rulesets, doc_lang, profile=profile, rulesets_dir=rulesets_dir)
    return findings


def _finding(doc: Document, path: str, rule, start: int, end: int, sentence: str, slots: dict, lang: str,
             span: tuple[int, int] | None = None) -> Finding:
    src_start, src_end = doc.source_span(start, end)
    sent_start, sent_end = doc.source_span(*span) if span else (None, None)
    line, col = doc.lines.position(src_start)
    end_line, end_col = doc.lines.position(src_end)
    message = rule.message
    if slots:
        try:
            message = message.format_map(_Slots(slots))
        except (ValueError, IndexError):
            pass
    return Finding(
        path=path,
        line=line,
        column=col,
        end_line=end_line,
        end_column=end_col,
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=message,
        text=doc.source[src_start:src_end],
        sentence=" ".join(sentence.split()),
        offset=src_start,
        end_offset=src_end,
        lang=lang,
        sentence_offset=sent_start,
        sentence_end_offset=sent_end,
        sentence_span=span,
        slots=dict(slots or {}),
    )


class _Slots(dict):
    def __missing__(self, key: str) -> str:
        return {"product": "this product", "condition": "this condition"}.get(key, key)


def lint_text(text: str, *, format: str = "text", lang: str = "auto", path: str = "<text>", **options) -> list[Finding]:
    doc = load_document(text, format)
    return lint_document(doc, path=path, lang=lang, **options)
