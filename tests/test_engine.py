"""The claims engine end to end: positions through markup, language, mechanisms, fixtures."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wellnesslint.documents import format_for_path
from wellnesslint.engine import CATEGORY_PRIORITY, lint_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CLAIMS = set(CATEGORY_PRIORITY)


def rendered(source_text: str) -> str:
    """What a reader sees of a source span: tags and Markdown markers removed, entities decoded."""
    text = re.sub(r"<[^>]*>", "", source_text)
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(html.unescape(text).split())


def claims(findings):
    return [f for f in findings if f.category in CLAIMS]


def lint_file(path: Path):
    text = path.read_text(encoding="utf-8")
    return text, lint_text(text, format=format_for_path(path, "text"), path=str(path))


@pytest.mark.parametrize("name", ["nl/microdoseren-wat-weten-we.md", "en/microdosing-what-we-know.md"])
def test_evidence_aware_fixtures_have_no_claim_findings(name):
    _, findings = lint_file(FIXTURES / name)
    assert claims(findings) == []


@pytest.mark.parametrize(
    "name,expected",
    [
        ("nl/truffelshop.html", {"WL101", "WL201", "WL202", "WL203", "WL301", "WL401", "WL501", "WL102"}),
        ("en/calm-capsules.html", {"WL101", "WL201", "WL202", "WL204", "WL301", "WL302", "WL401", "WL501"}),
        ("nl/ademcoach.txt", {"WL101"}),
    ],
)
def test_overclaiming_fixtures_are_caught(name, expected):
    _, findings = lint_file(FIXTURES / name)
    assert expected <= {f.rule for f in claims(findings)}


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*") if p.is_file()), ids=lambda p: p.name)
def test_fixture_positions_read_the_flagged_words(path):
    source, findings = lint_file(path)
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    for f in findings:
        begin = starts[f.line - 1] + f.column - 1
        end = starts[f.end_line - 1] + f.end_column - 1
        assert source[begin:end] == f.text
        assert source[f.offset : f.end_offset] == f.text
        words = rendered(f.text)
        assert words and words in rendered(f.sentence), (f.rule, f.text, f.sentence)


def test_skipped_regions_are_never_linted():
    _, findings = lint_file(FIXTURES / "nl/truffelshop.html")
    flagged = " ".join(f.text for f in findings)
    for skipped in ("geneest alles", "Geen bijwerkingen, gegarandeerd", "codevoorbeeld", "burn-out: deze opmerking"):
        assert skipped not in flagged
    _, findings = lint_file(FIXTURES / "en/calm-capsules.html")
    assert all(f.line not in (8, 20, 21) for f in findings)  # noscript, template, svg


def test_inline_tags_do_not_split_a_claim():
    src = "<p>Onze truffels <strong>genezen</strong> <em>depressie</em>.</p>"
    (f,) = claims(lint_text(src, format="html"))
    assert f.rule == "WL101"
    assert f.text == "genezen</strong> <em>depressie"
    assert (f.line, f.column, f.end_column) == (1, 26, src.index("depressie") + len("depressie") + 1)


def test_entities_map_back_to_the_source():
    src = "<p>Caf&eacute;-eigenaar: &bdquo;Geen bijwerkingen&ldquo; &amp; nul risico.</p>"
    (f,) = lint_text(src, format="html", lang="nl")
    assert f.category == "safety_claim"
    assert src[f.offset : f.end_offset] == f.text
    assert rendered(f.text) in rendered(src)


def test_block_elements_end_a_sentence():
    # "helpt" ends one block and "tegen depressie" starts the next: no claim across the boundary
    assert claims(lint_text("<h2>Zo helpt</h2><p>tegen depressie wordt veel geschreven.</p>", format="html", lang="nl")) == []


def test_markdown_markup_does_not_hide_a_claim():
    src = "# Ons aanbod\n\nOnze **truffels** [genezen](https://example.com) _depressie_.\n"
    (f,) = claims(lint_text(src, format="markdown"))
    assert f.rule == "WL101"
    assert rendered(re.sub(r"\]\([^)]*\)", "", f.text)).replace("[", "") == "genezen depressie"


def test_language_is_chosen_per_block():
    src = (
        "<html lang='nl'><body><p>Onze truffels genezen depressie.</p>"
        "<p lang='en'>Our truffles cure depression.</p></body></html>"
    )
    findings = claims(lint_text(src, format="html"))
    assert [f.lang for f in findings] == ["nl", "en"]
    assert findings[0].message.startswith("Medische claim")
    assert findings[1].message.startswith("Medical claim")


def test_language_detection_without_declaration():
    nl = lint_text("Wij geloven dat deze olie je angst voorgoed wegneemt, zonder gedoe.")
    en = lint_text("We believe that this oil takes away your anxiety for good, without hassle.")
    assert nl and nl[0].lang == "nl"
    assert en and en[0].lang == "en"


def test_one_finding_per_sentence_with_the_strongest_category():
    (f,) = lint_text("Ontdek hoe je zonder tussenkomst van een arts van je depressie afkomt.", lang="nl")
    assert f.category == "discourages_treatment"
    (f,) = lint_text("Wetenschappelijk bewezen veilig, ook op de lange termijn.", lang="nl")
    assert f.category == "safety_claim"


@pytest.mark.parametrize(
    "lang,text,is_claim",
    [
        # negation scope: before the claim, between predicate and object, after (Dutch niet)
        ("nl", "Ademwerk geneest geen paniekstoornis.", False),
        ("nl", "Dat truffels depressie niet genezen, weten we inmiddels.", False),
        ("nl", "Het is geen wondermiddel, maar het neemt je angst wel weg.", True),
        ("en", "It isn't a cure for anxiety.", False),
        ("en", "Not a miracle cure, but it ends insomnia for good.", True),
        # negators inside the claim do not flip it
        ("nl", "Nooit meer depressief dankzij onze capsules.", True),
        ("en", "No more panic attacks with our drops.", True),
        # hedges qualify only the claim predicate, and boosters cancel them
        ("nl", "CBD kan bij sommige mensen helpen tegen angst.", False),
        ("nl", "CBD kan echt helpen tegen angst, gegarandeerd.", True),
        ("en", "CBD may ease anxiety for some people.", False),
        ("en", "Maybe you're sceptical, but CBD cures anxiety.", True),
        # questions
        ("nl", "Geneest CBD-olie angst?", False),
        ("nl", "Wist je dat CBD-olie angst geneest?", True),
        ("en", "Did you know CBD cures anxiety?", True),
        # distance
        ("en", "Some shops claim CBD cures anxiety, but there is no good evidence for that.", False),
        ("en", "Customers say CBD cured their anxiety.", True),
    ],
)
def test_judgement_mechanisms(lang, text, is_claim):
    assert bool(claims(lint_text(text, lang=lang))) is is_claim


def test_seed_information_page_has_no_claim_findings():
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("000_*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not beside the checkout")
    text = seeds[0].read_text(encoding="utf-8")
    assert claims(lint_text(text, format="markdown")) == []


def test_seed_coach_copy_negated_lines_pass():
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("002_*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not beside the checkout")
    findings = claims(lint_text(seeds[0].read_text(encoding="utf-8"), format="markdown"))
    flagged = " ".join(f.sentence for f in findings)
    assert "wondermiddel" not in flagged and "quick fix" not in flagged


def test_list_items_complete_their_lead_in():
    src = "Onze truffels helpen bij:\n\n- depressie\n- **angst**\n- meer focus\n\nMicrodosing kan helpen bij:\n\n- angst\n"
    findings = claims(lint_text(src, format="markdown"))
    assert [(f.line, f.text) for f in findings] == [(3, "depressie"), (4, "angst")]
    src = "<p>Our drops help with:</p><ul><li>better sleep</li><li>insomnia</li></ul>"
    (f,) = lint_text(src, format="html")
    assert f.text == "insomnia" and f.rule == "WL101"


@pytest.mark.parametrize(
    "text,lang",
    [("Klinisch bewezen formule", "nl"), ("Blijvend resultaat na één enkel weekend.", "nl"),
     ("Clinically Proven Formula", "en"), ("Zero side effects", "en")],
)
def test_short_texts_get_their_language_from_letter_patterns(text, lang):
    (f,) = lint_text(text)
    assert f.lang == lang


@pytest.mark.parametrize(
    "text,fmt",
    [("Nature’s own wonder drug for calm.", "markdown"), ("Our drops have no side\neffects at all.", "markdown"),
     ("<p>Onze olie heeft geen&nbsp;bijwerkingen.</p>", "html")],
)
def test_claims_across_typographic_quotes_nbsp_and_line_wraps_are_found(text, fmt):
    assert claims(lint_text(text, format=fmt))


_ODD = "".join(chr(k) for k in __import__("wellnesslint.engine", fromlist=["_NORMALISE"])._NORMALISE)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ODD + "ab '\"é\x00-"), max_size=80) | st.text(max_size=80))
def test_normalise_is_the_translation(text):
    from wellnesslint.engine import _NORMALISE, normalise

    assert normalise(text) == text.translate(_NORMALISE)


# --- verdicts are remembered per ruleset --------------------------------------------------------


def _examples(rs):
    return [t for r in rs.rules for t in r.examples_match + r.examples_no_match]


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_remembered_verdicts_are_those_judged_afresh(lang):
    """A sentence judged again gets the verdict it gets judged afresh, under either profile."""
    from wellnesslint import engine

    rs = engine.get_rulesets()[lang]
    texts = _examples(rs)
    for profile in ("default", "strict"):
        for text in texts + texts:  # the second time from memory
            norm = engine.normalise(text)
            got, fresh = engine.judge_sentence(text, rs, profile), engine._judge(norm, rs, profile)
            assert (got and (got[0].id, got[1].start, got[1].end)) == (fresh and (fresh[0].id, fresh[1].start, fresh[1].end))


def test_a_changed_rule_list_is_judged_afresh():
    """Verdicts belong to a ruleset's rules: with a rule taken out (or a ruleset copied with
    other rules) a remembered sentence is judged again."""
    import dataclasses

    from wellnesslint import engine

    rs = dataclasses.replace(engine.get_rulesets()["nl"])
    rs.rules = list(rs.rules)
    text = "Onze truffels genezen depressie."
    rule, _cand = engine.judge_sentence(text, rs)
    rs.rules.remove(rule)
    again = engine.judge_sentence(text, rs)
    assert again is None or again[0] is not rule
    other = dataclasses.replace(rs, rules=[r for r in rs.rules if r.category != rule.category])
    assert engine.judge_sentence(text, other) is None or engine.judge_sentence(text, other)[0].category != rule.category


@pytest.mark.parametrize("text, entry", [
    ("Smith AB, Jones CD. Microdosing and mood: a field study. J Psychopharmacol. 2021;35(4):1-9.", True),
    ("[3] Kuypers KPC, Ng L, Erritzoe D. Microdosing psychedelics. 2019.", True),
    ("Janssen P, de Vries M. Psilocybine en stemming. Tijdschr Psychiatr 2022;64:12-18.", True),
    ("Polito V, Stevenson RJ (2019) A systematic study of microdosing. PLoS One.", True),
    ("Szigeti B, Kartner L, et al., 2021, Self-blinding citizen science.", True),
    ("Zie doi: 10.1000/xyz123 voor het artikel.", True),
    # a slogan with the shape of "Name INITIALS," but no year is copy, not a source
    ("Goodbye IBS, hello happy gut: our blend heals your digestion.", False),
    ("Stop ADHD, start living: onze truffels genezen ADHD.", False),
    ("Vaarwel PDS, hallo energie!", False),
])
def test_reference_entries(text, entry):
    from wellnesslint.engine import is_reference_entry

    assert is_reference_entry(text) is entry


def test_a_slogan_shaped_like_a_reference_is_still_judged():
    found = lint_text("Goodbye IBS, hello happy gut: our blend cures IBS for good.\n", format="markdown", lang="en")
    assert any(f.category == "cure_claim" for f in found)


def test_a_numeric_abbreviation_before_a_capitalised_word_ends_the_sentence():
    from wellnesslint.sentences import split

    text = "Does it work for everyone? No. Some people notice nothing. Our No. 1 blend, no. 2 too."
    spans = [text[s:e] for s, e in split(text, 0, len(text), frozenset({"no"}), frozenset({"no"}))]
    assert spans == ["Does it work for everyone?", "No.", "Some people notice nothing.", "Our No. 1 blend, no. 2 too."]
    # without the numeric list, "no." stays an abbreviation that never ends a sentence
    spans = [text[s:e] for s, e in split(text, 0, len(text), frozenset({"no"}))]
    assert spans[1] == "No. Some people notice nothing."


@pytest.mark.parametrize("text, lang, flagged", [
    # a question that names the reader's situation, answered with advice for it: a contraindication
    # warning (what the safety checks ask sellers to write), not a claim
    ("On antidepressants? Skip the ceremony.", "en", None),
    ("Do you take lithium? Then skip this retreat.", "en", None),
    ("Gebruik je lithium? Sla deze retreat dan over.", "nl", None),
    ("Slik je antidepressiva? Doe dan niet mee.", "nl", None),
    # the same, written as a conditional
    ("If you take lithium, skip this retreat.", "en", None),
    ("Als je lithium gebruikt, sla deze retreat dan over.", "nl", None),
    # the answer's verb takes the medication (a pronoun pointing back, or the word again): a claim
    ("Taking SSRIs? Stop taking them.", "en", "WL501"),
    ("On antidepressants? Skip them.", "en", "WL501"),
    ("Je antidepressiva? Sla die maar over.", "nl", "WL501"),
    ("If you take SSRIs, skip them.", "en", "WL501"),
    ("If you take antidepressants, skip your pills for the weekend.", "en", "WL501"),
])
def test_advice_after_a_question_or_condition_about_medication(text, lang, flagged):
    found = [f.rule for f in lint_text(text, format="text", lang=lang) if f.category == "discourages_treatment"]
    assert found == ([flagged] if flagged else []), (text, found)


@pytest.mark.parametrize("text, lang, flagged", [
    # a question of any length that the next sentence points back at is read with it
    ("Got a script for Adderall? Swap it for our mushroom blend.", "en", "WL501"),
    ("Do you still take sleeping pills every night? It is time to ditch them.", "en", "WL501"),
    ("Heb je een recept voor Ritalin van de huisarts? Ruil die in voor onze truffels.", "nl", "WL501"),
    # the claim must reach into the answer, and the answer may take it back or advise care
    ("Wondering whether truffles cure depression? It is too early to say.", "en", None),
    ("Have you tried everything for your anxiety? It might be worth talking to a therapist about it.", "en", None),
    ("Slik je al jaren antidepressiva zonder resultaat? Bespreek ze dan eerst met je psychiater.", "nl", None),
])
def test_a_question_the_next_sentence_points_back_at(text, lang, flagged):
    found = [f.rule for f in lint_text(text, format="text", lang=lang) if f.category != "missing_disclaimer"]
    assert found == ([flagged] if flagged else []), (text, found)


def test_an_ellipsis_before_a_lower_case_word_is_a_pause_not_a_sentence_end():
    from wellnesslint.sentences import split

    text = "My OCD just... went away. Wait… What happened? Ik twijfelde… maar het viel mee."
    spans = [text[s:e] for s, e in split(text, 0, len(text))]
    assert spans == ["My OCD just... went away.", "Wait…", "What happened?", "Ik twijfelde… maar het viel mee."]
    # and the claim across the pause is one claim
    assert [f.rule for f in lint_text("Three weeks of reishi and my eczema just... went away.", lang="en")
            if f.category in CLAIMS] == ["WL101"]


@pytest.mark.parametrize("text, lang, flagged", [
    # a number with a thousands separator or a clock time is one word, not a sentence or clause end
    ("Klinisch onderzoek met 3.400 deelnemers heeft aangetoond dat onze thee werkt.", "nl", "WL401"),
    ("Uit ons eigen onderzoek onder 2.000 klanten blijkt dat 91% beter slaapt.", "nl", "WL401"),
    ("Gegarandeerd voor 17:00 besteld, morgen in huis.", "nl", None),
    ("Order before 16:00 and it ships today, guaranteed.", "en", None),
    # a reporting verb before its subject, and a study's finding reported with its limit
    ("Op Instagram beweren coaches dat ademwerk astma geneest; daar is geen bewijs voor.", "nl", None),
    ("Een enquête uit 2020 (Rootman e.a.) vond minder angst bij microdoseerders, maar er was geen controlegroep.", "nl", None),
    ("A 2020 survey (n=900) found less anxiety among microdosers, but there was no control group.", "en", None),
    ("Anyone selling reishi as a miracle cure is selling you a story.", "en", None),
    # a longing for a life without the condition, asked in order to sell the answer
    ("Zin in een leven zonder hoofdpijn? Onze druppels maken het waar.", "nl", "WL102"),
    ("Ready for a life without migraines? Our drops make it happen.", "en", "WL102"),
])
def test_round6_mechanisms(text, lang, flagged):
    # (WL410, an uncited research report, is a page-level hint, not a sentence's claim)
    found = [f.rule for f in lint_text(text, format="text", lang=lang) if f.category in CLAIMS and f.rule != "WL410"]
    assert found == ([flagged] if flagged else []), (text, found)
