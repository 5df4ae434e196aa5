"""Document checks: required disclaimer elements per topic (WL6xx) and uncited research reports (WL410)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wellnesslint.engine import CATEGORY_PRIORITY, get_rulesets, lint_text
from wellnesslint.rules.disclaimer import checks_for
from wellnesslint.yamlload import DataError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
RULESETS = get_rulesets()
PSILOCYBIN = (
    "not_a_substitute",
    "contraindications_medication",
    "contraindications_mental_health",
    "contraindications_pregnancy",
    "consult_professional",
)


def missing(text: str, lang: str, fmt: str = "markdown") -> set[str]:
    return {f.element for f in lint_text(text, format=fmt, lang=lang) if f.category == "missing_disclaimer"}


def claims(findings):
    return [f for f in findings if f.category in CATEGORY_PRIORITY]


def research(text: str, lang: str, fmt: str = "markdown"):
    return [f for f in lint_text(text, format=fmt, lang=lang) if f.rule == "WL410"]


# ------------------------------------------------------------------------------------------------
# every element's own examples, in both languages
# ------------------------------------------------------------------------------------------------

ELEMENT_CASES = []
RESEARCH_CASES = []
for _lang, _rs in sorted(RULESETS.items()):
    _checks = checks_for(_rs)
    for _topic in _checks.topics.values():
        for _el in _topic.elements:
            for _text in _el.examples_present:
                ELEMENT_CASES.append(pytest.param(_lang, _topic.id, _el.element, _text, True,
                                                  id=f"{_lang}-{_el.id}-present-{_text[:30]}"))
            for _text in _el.examples_missing:
                ELEMENT_CASES.append(pytest.param(_lang, _topic.id, _el.element, _text, False,
                                                  id=f"{_lang}-{_el.id}-missing-{_text[:30]}"))
    for _rule in _checks.research:
        for _text in _rule.examples_match:
            RESEARCH_CASES.append(pytest.param(_lang, _rule.id, _text, True, id=f"{_lang}-{_rule.id}-match-{_text[:30]}"))
        for _text in _rule.examples_no_match:
            RESEARCH_CASES.append(pytest.param(_lang, _rule.id, _text, False, id=f"{_lang}-{_rule.id}-no_match-{_text[:30]}"))


@pytest.mark.parametrize("lang,topic,element,text,present", ELEMENT_CASES)
def test_element_examples(lang, topic, element, text, present):
    checks = checks_for(RULESETS[lang])
    assert checks.topics[topic].triggers.search(text), "an example must mention its topic"
    assert (element not in missing(text, lang)) is present


@pytest.mark.parametrize("lang,rule_id,text,fires", RESEARCH_CASES)
def test_research_examples(lang, rule_id, text, fires):
    assert any(f.rule == rule_id for f in lint_text(text, format="markdown", lang=lang)) is fires


def test_every_language_defines_the_same_topics_and_elements():
    shape = {
        lang: {t.id: [(e.element, e.id) for e in t.elements] for t in checks_for(rs).topics.values()}
        for lang, rs in RULESETS.items()
    }
    assert shape["nl"] == shape["en"]
    assert [e for e, _ in shape["en"]["psilocybin"]] == list(PSILOCYBIN)
    for lang, rs in RULESETS.items():
        checks = checks_for(rs)
        assert [r.id for r in checks.research] == ["WL410"]
        for topic in checks.topics.values():
            for el in topic.elements:
                assert el.examples_present and el.examples_missing and el.references and el.rationale


# ------------------------------------------------------------------------------------------------
# mentions that do not count: reassurances, negated advice, dismissals (issue 3, item 2)
# ------------------------------------------------------------------------------------------------

MISLEADING = [
    ("en", "Microdosing with truffles. You don't need to ask your doctor.", "consult_professional"),
    ("en", "Microdosing with truffles works even alongside antidepressants.", "contraindications_medication"),
    ("en", "Microdosing with truffles. Psychosis? Not an issue with microdoses.", "contraindications_mental_health"),
    ("en", "Microdosing with truffles is a real alternative to therapy.", "not_a_substitute"),
    ("en", "Truffles: you can keep taking your SSRIs while you microdose, there's zero risk of interactions.",
     "contraindications_medication"),
    ("en", "Microdosing. My psychiatrist told me to stay on my meds, but doctors just don't understand psilocybin.",
     "consult_professional"),
    ("nl", "Microdoseren met truffels. Je hoeft niet eerst met je huisarts te overleggen.", "consult_professional"),
    ("nl", "Microdoseren met truffels werkt zelfs naast antidepressiva.", "contraindications_medication"),
    ("nl", "Microdoseren met truffels. Psychose? Bij een microdosis geen probleem.", "contraindications_mental_health"),
    ("nl", "Microdoseren met truffels is een echt alternatief voor therapie.", "not_a_substitute"),
    ("nl", "Het Rustpakket met truffels kun je gerust combineren met je gewone medicatie.",
     "contraindications_medication"),
    ("nl", "Mijn psychiater wilde dat ik mijn medicatie bleef nemen, maar eerlijk: die heb je met truffels niet meer "
     "nodig.", "consult_professional"),
    ("nl", "Truffels. Voedingssupplementen zijn geen vervanging voor een gevarieerd voedingspatroon.", "not_a_substitute"),
    ("en", "Truffle capsules. This product is not intended to diagnose, treat, cure or prevent any disease.",
     "not_a_substitute"),
    ("en", "Microdosing is not a substitute for treatment by your GP.", "consult_professional"),
]


@pytest.mark.parametrize("lang,text,element", MISLEADING)
def test_misleading_mentions_do_not_count(lang, text, element):
    assert element in missing(text, lang)


@pytest.mark.parametrize(
    "lang,text,element",
    [
        ("en", "Microdosing is not a substitute for treatment by your GP.", "not_a_substitute"),
        ("en", "Microdosing should never be seen as a substitute for professional help.", "not_a_substitute"),
        ("en", "Truffles. Never stop your antidepressants without talking to your doctor.", "consult_professional"),
        ("nl", "Truffels. Stop nooit zonder overleg met je arts met je medicatie.", "consult_professional"),
        ("nl", "Truffels. Microdoseren is geen alternatief voor therapie.", "not_a_substitute"),
        ("nl", "Truffels. Gebruik je antidepressiva, dan is microdoseren niet zonder risico.",
         "contraindications_medication"),
        ("nl", "Truffels. Deelname is niet mogelijk. Hetzelfde geldt als je zwanger bent.", "contraindications_pregnancy"),
        ("en", "Truffles. Taking lithium? Don't combine it with truffles.", "contraindications_medication"),
        ("nl", "Truffels. Microdoseren en lithium gaan niet samen.", "contraindications_medication"),
        ("nl", "Truffels. Wie zwanger is, blijft er beter vanaf.", "contraindications_pregnancy"),
        ("nl", "Truffels. Je apotheker kan je adviseren over wisselwerkingen met andere medicijnen.",
         "contraindications_medication"),
        ("en", "Truffles. Sit this one out if you have a history of psychosis.", "contraindications_mental_health"),
        ("en", "Truffles. Microdosing never replaces therapy.", "not_a_substitute"),
        ("en", "Truffles. Get medical advice first.", "consult_professional"),
    ],
)
def test_real_warnings_count(lang, text, element):
    assert element not in missing(text, lang)


# ------------------------------------------------------------------------------------------------
# where a disclaimer may stand: list lead-in, heading, table, footer, <small>
# ------------------------------------------------------------------------------------------------

NL_ALL_FIVE = [
    "Microdoseren is geen vervanging voor therapie of medische zorg.",
    "Combineer truffels niet met antidepressiva, lithium of MAO-remmers.",
    "Niet gebruiken bij een (familie)geschiedenis van psychose of bipolaire stoornis.",
    "Niet gebruiken tijdens zwangerschap of borstvoeding.",
    "Overleg eerst met je huisarts.",
]


def test_list_under_a_lead_in_counts_markdown_and_html():
    md = (
        "# Microdoseren met truffels\n\nVoorafgaand voeren we een gesprek. Niet gebruiken als je:\n\n"
        "- antidepressiva of lithium gebruikt;\n- een psychose hebt gehad;\n- zwanger bent.\n"
    )
    html = (
        "<h1>Microdoseren met truffels</h1><p>Deelname is niet mogelijk als je:</p>"
        "<ul><li>antidepressiva of lithium gebruikt;</li><li>een psychose hebt gehad;</li><li>zwanger bent.</li></ul>"
    )
    for text, fmt in ((md, "markdown"), (html, "html")):
        assert missing(text, "nl", fmt) == {"not_a_substitute", "consult_professional"}
    en = "Microdosing truffles.\n\nWho should skip it\n\n- You take SSRIs or lithium.\n- You are pregnant.\n"
    assert "contraindications_medication" not in missing(en, "en") and "contraindications_pregnancy" not in missing(en, "en")


def test_pages_full_of_subject_words_without_warnings():
    nl = (
        "# Microdosing bij De Kabouter\n\nOnze klanten gebruiken microdosing vaak naast hun antidepressiva. "
        "Veel zwangere vrouwen vragen ons om advies. Onze coach bespreekt je medicatie tijdens de intake. "
        "Steeds meer psychologen bespreken microdoseren met hun cliënten.\n"
    )
    assert missing(nl, "nl") >= set(PSILOCYBIN)
    en = (
        "<h1>Gentle microdose capsules</h1><p>Many customers microdose alongside their SSRIs. Many therapists now "
        "talk with clients about microdosing. Talk to us about your medication anytime.</p><h2>Who is it for?</h2>"
        "<ul><li>People on antidepressants</li><li>New mothers who are breastfeeding</li></ul>"
    )
    assert missing(en, "en", "html") >= set(PSILOCYBIN)


def test_a_faq_answer_completes_its_question():
    ok = "<h1>Truffels</h1><dl><dt>Kan ik microdoseren als ik zwanger ben?</dt><dd>Nee, dat raden we af.</dd></dl>"
    assert "contraindications_pregnancy" not in missing(ok, "nl", "html")
    no = "<h1>Truffels</h1><dl><dt>Mag het naast antidepressiva?</dt><dd>Ja, dat is geen enkel probleem.</dd></dl>"
    assert "contraindications_medication" in missing(no, "nl", "html")


def test_a_mention_that_denies_the_topic_makes_no_topic():
    """A page that names psilocybin only to say it has none is not about psilocybin: a negator
    just before the mention in its clause, or "-free" after it."""
    for text, lang in [
        ("Onze reishi-poeder is een voedingssupplement en bevat geen psilocybine.", "nl"),
        ("Bij onze ademavonden komt geen microdosing of ander middel kijken, alleen je adem.", "nl"),
        ("Our lion's mane gummies are 100% psilocybin-free and legal everywhere.", "en"),
        ("Breathwork night: we don't use truffles or any other substance, just the breath.", "en"),
    ]:
        assert not missing(text, lang) & set(PSILOCYBIN), text
    # a denied mention next to a real one: the page is about the topic
    both = "Onze kruidenthee bevat geen psilocybine. Wie daarnaast truffels microdoseert, doet dat op eigen risico."
    assert missing(both, "nl") >= set(PSILOCYBIN)
    # a negator further away, or in another clause, denies nothing
    far = "Je hoeft niet meteen aan psilocybine te denken: onze truffelkit is voor beginners."
    assert missing(far, "nl") >= set(PSILOCYBIN)
    # a negator two words or more before the mention negates something else: these pages are
    # about the topic (the first one also makes a safety claim)
    for text, lang in [("There's no way a microdose could trigger a bad trip.", "en"),
                       ("Het is geen geheim dat psilocybine in de mode is.", "nl")]:
        assert missing(text, lang) >= set(PSILOCYBIN), text


def test_a_warning_question_answered_by_a_short_advice():
    """A question names the group ("Heb je ooit een psychose gehad?"), the next sentence says
    stay away, in words the cue lists did not have."""
    page = ("# Microdoseren\n\nIs er bij jou of een broer of zus ooit een bipolaire stoornis vastgesteld? "
            "Laat de truffels in dat geval liever staan.\n")
    assert "contraindications_mental_health" not in missing(page, "nl")
    idiom = "# Microdoseren\n\nVan een psychose merk je niets, laat staan dat je er een krijgt.\n"
    assert "contraindications_mental_health" in missing(idiom, "nl")


def test_who_cannot_come_along():
    page = "Truffelweekend in Drenthe. Ben je zwanger, dan kun je helaas niet mee.\n"
    assert "contraindications_pregnancy" not in missing(page, "nl")
    assert "contraindications_pregnancy" in missing("Truffelweekend. Zwangere deelnemers gaan gewoon mee.\n", "nl")


def test_consult_advice_with_the_verb_at_the_end():
    """Dutch puts the infinitive last: "vooraf met je arts te overleggen"."""
    ok = "Psilocybineretraite. We vragen iedere deelnemer vooraf met de eigen huisarts te overleggen.\n"
    assert "consult_professional" not in missing(ok, "nl")
    ok = "Truffels microdoseren? Dat moet je eerst even bij je apotheker navragen.\n"
    assert "consult_professional" not in missing(ok, "nl")
    no = "Psilocybineretraite. Je hoeft hiervoor niet met je huisarts te overleggen.\n"
    assert "consult_professional" in missing(no, "nl")
    no = "Truffels. Onze psychiaters bespreken microdoseren graag in de podcast.\n"
    assert "consult_professional" in missing(no, "nl")


def test_coach_as_a_bus_is_no_coaching():
    assert "coaching_not_therapy" not in missing("Microdosing retreat. We travel by coach to the venue.", "en")


def test_list_items_without_a_warning_lead_in_do_not_count():
    text = "Microdoseren met truffels.\n\nOnze klanten zijn:\n\n- mensen die antidepressiva gebruiken;\n- zwangere vrouwen.\n"
    assert {"contraindications_medication", "contraindications_pregnancy"} <= missing(text, "nl")


def test_a_section_heading_carries_the_warning():
    html = (
        "<p>Microdosing with truffles.</p><h2>Who shouldn't microdose?</h2>"
        "<p>People with a personal or family history of psychosis, and anyone who is pregnant.</p>"
    )
    assert {"contraindications_mental_health", "contraindications_pregnancy"}.isdisjoint(missing(html, "en", "html"))


def test_table_header_and_row_count_html_and_markdown():
    html = (
        "<p>Truffels bestellen</p><table><tr><th>Contra-indicaties</th></tr>"
        "<tr><td>Zwangerschap en borstvoeding</td></tr><tr><td>Lithium en antidepressiva</td></tr></table>"
    )
    assert {"contraindications_pregnancy", "contraindications_medication"}.isdisjoint(missing(html, "nl", "html"))
    md = "Truffels bestellen\n\n| Situatie | Advies |\n|---|---|\n| Zwanger | Niet gebruiken |\n| Psychose in de familie | Niet gebruiken |\n"
    assert {"contraindications_pregnancy", "contraindications_mental_health"}.isdisjoint(missing(md, "nl"))
    plain = "<p>Truffels bestellen</p><table><tr><td>Zwangerschap</td><td>15 gram</td></tr></table>"
    assert "contraindications_pregnancy" in missing(plain, "nl", "html")


def test_footer_and_small_notes_count():
    body = "<main><h1>Microdose-pakket</h1><p>Verse truffels voor vier weken.</p></main>"
    footer = "<footer><p><small>" + " ".join(NL_ALL_FIVE) + "</small></p></footer>"
    assert missing(body, "nl", "html") >= set(PSILOCYBIN)
    assert missing(f"<html lang='nl'><body>{body}{footer}</body></html>", "nl", "html").isdisjoint(PSILOCYBIN)
    md = "# Microdose-pakket\n\nVerse truffels voor vier weken.\n\n<small>" + " ".join(NL_ALL_FIVE) + "</small>\n"
    assert missing(md, "nl").isdisjoint(PSILOCYBIN)


def test_disclaimers_never_cancel_claims():
    text = (
        "Our CBD drops cure anxiety.\n\nThis product is not intended to diagnose, treat, cure or prevent any disease. "
        "It is not a substitute for professional medical advice or treatment.\n"
    )
    findings = lint_text(text, format="markdown", lang="en")
    assert [f.category for f in claims(findings)] == ["cure_claim"]
    nl = "Onze truffels genezen depressie.\n\n" + " ".join(NL_ALL_FIVE)
    findings = lint_text(nl, format="markdown", lang="nl")
    assert [f.category for f in claims(findings)] == ["cure_claim"]
    assert not [f for f in findings if f.category == "missing_disclaimer"]


def test_copy_without_a_topic_gets_no_disclaimer_finding():
    for text, lang in (
        ("Onze ademhalingsoefeningen helpen je ontspannen. Gratis verzending vanaf 50 euro.", "nl"),
        ("Fresh truffle pasta with parmesan. Order before 3 pm.", "en"),
        ("Our newsletter comes out every Friday. Unsubscribe at any time.", "en"),
    ):
        assert missing(text, lang) == set()


def test_one_warning_finding_per_missing_element_with_its_rule():
    findings = [f for f in lint_text("Verse truffels voor vier weken.", format="text", lang="nl")
                if f.category == "missing_disclaimer"]
    assert [(f.rule, f.element) for f in findings] == [
        ("WL601", "not_a_substitute"),
        ("WL602", "contraindications_medication"),
        ("WL603", "contraindications_mental_health"),
        ("WL604", "contraindications_pregnancy"),
        ("WL605", "consult_professional"),
    ]
    assert {f.severity for f in findings} == {"warning"}
    assert all(f.to_dict()["element"] == f.element for f in findings)


def test_other_topics_require_their_own_elements():
    cbd = "CBD-olie 10%. Neem 's avonds drie druppels onder de tong. Buiten bereik van kinderen bewaren."
    assert missing(cbd, "nl") == {"do_not_exceed", "not_a_substitute_for_diet"}
    coach = "Reset: eight weeks of one-to-one coaching for people who feel stuck."
    assert missing(coach, "en") == {"coaching_not_therapy"}
    assert missing(coach + " Coaching is not therapy or medical treatment.", "en") == set()


# ------------------------------------------------------------------------------------------------
# position and language of missing_disclaimer findings
# ------------------------------------------------------------------------------------------------


def test_position_points_at_the_first_mention_of_the_topic():
    src = (
        "<!DOCTYPE html>\n<html lang=\"nl\">\n<body>\n<p>Caf&eacute; &amp; winkel.</p>\n"
        "<p>Onze <strong>Mexicana-truffels</strong> zijn vers.</p>\n<p>Meer truffels.</p>\n</body>\n</html>\n"
    )
    findings = [f for f in lint_text(src, format="html") if f.category == "missing_disclaimer"]
    assert len(findings) == 5
    for f in findings:
        assert f.text == "truffels" and src[f.offset : f.end_offset] == "truffels"
        assert (f.line, f.column) == (5, src.splitlines()[4].index("truffels") + 1)
        assert f.end_column == f.column + len("truffels")
    md = "---\ntitle: Over ons\n---\n\n# Welkom\n\nWij verkopen **magic truffles** en *microdosing* kits.\n"
    f = next(f for f in lint_text(md, format="markdown", lang="en") if f.category == "missing_disclaimer")
    assert md[f.offset : f.end_offset] == "magic truffles" and f.line == 7


def test_message_is_in_the_document_language():
    nl = [f for f in lint_text("Wij verkopen verse truffels en een weegschaal.", lang="auto")
          if f.rule == "WL604"]
    en = [f for f in lint_text("We sell fresh magic truffles and a digital scale.", lang="auto") if f.rule == "WL604"]
    assert nl[0].message.startswith("Ontbrekende") and nl[0].lang == "nl"
    assert en[0].message.startswith("Missing") and en[0].lang == "en"


# ------------------------------------------------------------------------------------------------
# WL410: research reports need a source in the sentence or paragraph
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,text,fmt,fires",
    [
        ("nl", "Voorlopige studies wijzen op mogelijke voordelen bij angst.", "markdown", True),
        ("en", "Early studies suggest possible benefits for anxiety.", "markdown", True),
        ("nl", "Een kleine studie liet zien dat sommige deelnemers zich mogelijk rustiger voelden.", "markdown", True),
        ("en", "A 2021 study found that participants felt calmer.", "markdown", True),
        # footnotes, superscripts, links and author-year references in the sentence or its paragraph
        ("nl", "Voorlopige studies wijzen op mogelijke voordelen bij angst.[1]", "markdown", False),
        ("nl", "Voorlopige studies wijzen op mogelijke voordelen bij angst.¹", "markdown", False),
        ("nl", "Voorlopige studies wijzen op mogelijke voordelen.1\n", "text", False),
        ("en", "<p>Early studies suggest possible benefits.<sup>2</sup></p>", "html", False),
        ("en", "<p>Early studies suggest possible benefits. They are small.<sup><a href='#fn3'>3</a></sup></p>",
         "html", False),
        ("en", "<p>Early <a href='https://doi.org/10.1177/02698811241254831'>studies</a> suggest benefits.</p>",
         "html", False),
        ("en", "Early studies suggest benefits. See [the review](https://pubmed.ncbi.nlm.nih.gov/38877715/).",
         "markdown", False),
        ("en", "Early studies suggest benefits[^1].\n\n[^1]: Polito V. 2024.\n", "markdown", False),
        ("en", "Early studies suggest possible benefits (Polito, 2024).", "markdown", False),
        ("en", "Szigeti et al. (2021) found that placebo worked as well.", "markdown", False),
        # an institution or an unrelated link is no citation
        ("en", "Researchers at Harvard found that microdosing may sharpen focus.", "markdown", True),
        ("en", "<p>Early studies suggest benefits. <a href='https://example.com/shop'>Shop now</a></p>", "html", True),
        # no research result: limits, questions, negated reports
        ("en", "Research on microdosing is limited and results are mixed.", "markdown", False),
        ("nl", "Wat zegt het onderzoek?", "markdown", False),
        ("nl", "Zulke studies kunnen niet laten zien of de psilocybine daarvoor verantwoordelijk is.", "markdown", False),
    ],
)
def test_uncited_research(lang, text, fmt, fires):
    found = research(text, lang, fmt)
    assert bool(found) is fires
    for f in found:
        assert f.category == "evidence_claim" and f.severity == "warning"


def test_proof_language_stays_the_claim_error():
    findings = lint_text("Wetenschappelijk onderzoek toont aan dat microdoseren werkt.[1]", lang="nl")
    assert [f.rule for f in claims(findings)] != [] and "WL410" not in {f.rule for f in findings}
    assert {f.severity for f in claims(findings)} == {"error"}


def test_seed_with_numbered_references_has_no_uncited_research():
    seeds = sorted(SEEDS.glob("000_*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not beside the checkout")
    assert research(seeds[0].read_text(encoding="utf-8"), "nl", "text") == []


def test_seed_with_uncited_preliminary_studies_gets_one():
    seeds = sorted(SEEDS.glob("002_*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds is not beside the checkout")
    found = research(seeds[0].read_text(encoding="utf-8"), "nl", "text")
    assert len(found) == 1 and "voorlopige studies" in found[0].sentence


def test_sentence_evaluation_leaves_wl410_to_the_document_mode():
    import importlib.util

    spec = importlib.util.spec_from_file_location("evaluate", ROOT / "scripts" / "evaluate.py")
    evaluate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluate)
    assert "WL410" in evaluate.DOCUMENT_RULES
    assert evaluate.predict("Voorlopige studies wijzen op mogelijke voordelen bij angst.", "nl") == "ok"


# ------------------------------------------------------------------------------------------------
# the data is validated with file, line and key
# ------------------------------------------------------------------------------------------------


def _broken(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "nl"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "rulesets" / "nl" / "language.yaml", folder / "language.yaml")
    (folder / "topics.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "text,line,key",
    [
        ("topics:\n  - id: psilocybin\n    name: x\n    triggers: ['truffel']\n    colour: red\n    elements: []\n",
         5, "topics[0].colour"),
        ("topics:\n  - id: psilocybin\n    name: x\n    triggers:\n      - 'truffel('\n    elements: []\n",
         5, "topics[psilocybin].triggers"),
        ("topics:\n  - id: t\n    name: x\n    triggers: ['truffel']\n    elements:\n      - element: e\n"
         "        id: WL699\n        message: m\n        rationale: r\n        references: [x]\n"
         "        cues:\n          - subjects: ['{nothing}']\n            predicates: ['x']\n"
         "        examples: {present: [a], missing: [b]}\n", 12, "topics[t].elements[e].cues[0].subjects"),
        ("topics:\n  - id: t\n    name: x\n    triggers: ['truffel']\n    elements:\n      - element: e\n"
         "        id: WL699\n        message: m\n        rationale: r\n        references: [x]\n"
         "        cues: [{subjects: [a], predicates: [b]}]\n", 6, "topics[t].elements[e].examples"),
        ("disclaimers:\n  dismissals:\n    - 'ok'\n    - 'broken['\n", 4, "disclaimers.dismissals"),
    ],
)
def test_ruleset_errors_name_file_line_and_key(tmp_path, text, line, key):
    from wellnesslint.rules.disclaimer import build_checks
    from wellnesslint.ruleset import load_language_dir

    with pytest.raises(DataError) as info:
        build_checks(load_language_dir(_broken(tmp_path, text)))
    err = info.value
    assert err.path.endswith("topics.yaml") and err.line == line and err.key == key


def test_a_broken_topics_file_is_reported_through_lint(tmp_path):
    # a rulesets folder with only the Dutch profile and topics: no claim rules to compile
    text = (ROOT / "rulesets" / "nl" / "topics.yaml").read_text(encoding="utf-8")
    folder = _broken(tmp_path, text.replace("id: WL605", "id: WL604"))
    with pytest.raises(DataError) as info:
        lint_text("Verse truffels.", lang="nl", rulesets_dir=str(folder.parent))
    assert "WL604" in str(info.value) and info.value.path.endswith("topics.yaml")
    good = _broken(tmp_path / "good", text)  # rulesets are cached per folder: a fresh one
    found = lint_text("Verse truffels.", lang="nl", rulesets_dir=str(good.parent))
    assert [f.rule for f in found] == ["WL601", "WL602", "WL603", "WL604", "WL605"]


def test_a_team_folder_adds_a_topic_without_touching_the_builtin_ruleset(tmp_path):
    from wellnesslint.ruleset import load_language_dir

    folder = tmp_path / "nl"
    folder.mkdir()
    (folder / "topics.yaml").write_text(
        "topics:\n  - id: breathwork\n    name: ademwerk\n    triggers: ['ademwerk']\n    elements:\n"
        "      - element: breathwork_epilepsy\n        id: WL681\n        message: Ontbrekende waarschuwing bij epilepsie.\n"
        "        rationale: Intensief ademwerk kan een aanval uitlokken.\n        references: [x]\n"
        "        cues:\n          - subjects: ['epilepsie']\n            predicates: ['{warn}']\n"
        "        examples: {present: [a], missing: [b]}\n",
        encoding="utf-8",
    )
    base = RULESETS["nl"]
    before = len(base.extra["topics"])
    team = load_language_dir(folder, base=base)
    assert len(base.extra["topics"]) == before
    assert list(checks_for(team).topics)[-1] == "breathwork" and "breathwork" not in checks_for(base).topics


# Complete pages with all five elements, phrased unlike the development documents.
COMPLIANT_DOCS = [
("nl","markdown","""---
title: Veilig microdoseren
---
# Veilig microdoseren: onze huisregels

Wij verkopen verse truffels, maar we willen dat je er verstandig mee omgaat.

**Belangrijk om te weten**

* Truffels zijn geen medicijn en vervangen geen psychologische of medische hulp.
* Slik je lithium, een antidepressivum of een ander psychiatrisch middel? Dan kun je beter niet microdoseren: de combinatie kan ernstige bijwerkingen geven.
* Heb je zelf of heeft een ouder, broer of zus ooit een psychose of manie gehad? Begin er dan niet aan.
* Tijdens zwangerschap, bij een kinderwens en als je borstvoeding geeft: niet doen.
* Twijfel je? Leg je situatie eerst voor aan je huisarts of apotheker.
"""),
("nl","html","""<html lang="nl"><body><h1>Truffelthee-ceremonie</h1>
<p>Een avond met truffelthee in een kleine kring.</p>
<section class="veiligheid"><h2>Veiligheid voorop</h2>
<table><thead><tr><th>Situatie</th><th>Ons advies</th></tr></thead>
<tbody>
<tr><td>Je gebruikt SSRI's, MAO-remmers of lithium</td><td>Deelname afgeraden</td></tr>
<tr><td>Psychose of bipolaire stoornis (ook in de familie)</td><td>Deelname niet mogelijk</td></tr>
<tr><td>Zwanger of borstvoeding</td><td>Deelname niet mogelijk</td></tr>
</tbody></table>
<p>Een ceremonie is geen therapie en geen vervanging van professionele zorg. Neem bij twijfel altijd eerst contact op met je huisarts.</p>
</section></body></html>"""),
("en","markdown","""# Our microdosing kit: read this first

We sell legal magic truffles in the Netherlands. Before you order, please read the following.

> **Safety information.** Microdosing is not medical treatment and should not replace care from a doctor or therapist.
> Psilocybin can cause dangerous reactions in combination with lithium, and may interact with antidepressants (SSRIs, SNRIs) and MAOIs.
> It is unsuitable for anyone with a personal or family history of psychosis or bipolar disorder.
> Do not take it while pregnant or breastfeeding.
> If you have a medical condition or take any medication, speak to your GP first.
"""),
("en","html","""<html lang="en"><body><h1>Truffle ceremony weekend</h1><p>Two days in the forest with a small group.</p>
<h2>Is this for me?</h2>
<p>Probably not if any of the following applies:</p>
<ol><li>you take antidepressants, lithium or antipsychotic medication;</li>
<li>you or a close relative have ever had a psychotic episode or bipolar disorder;</li>
<li>you are pregnant or nursing.</li></ol>
<p>Please run your plans by your doctor before booking. The ceremony is not a replacement for therapy or psychiatric treatment.</p>
</body></html>"""),
]


@pytest.mark.parametrize("lang,fmt,text", COMPLIANT_DOCS, ids=[f"{d[0]}-{d[1]}" for d in COMPLIANT_DOCS])
def test_compliant_pages_in_other_styles_get_no_disclaimer_finding(lang, fmt, text):
    assert missing(text, lang, fmt) == set()


def test_trigger_words_and_compounds():
    triggers = checks_for(RULESETS["nl"]).topics["psilocybin"].triggers
    for word in ("truffelpakket", "Truffelthee", "psilocybinepaddenstoelen", "paddo's", "Microdoseerschema"):
        assert triggers.search(word), word
    for word in ("truffelolie", "chocoladetruffels", "truffeltaart"):
        assert not triggers.search(word), word
