"""Balanced rewrites: closure (a rewrite lints clean), grammar, markup honesty, JSON shape, schema."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from wellnesslint.engine import get_rulesets, lint_text
from wellnesslint.fix import apply_suggestions
from wellnesslint.rewrite import Phrase, load_rewrites, parse_template, rewrite_set
from wellnesslint.yamlload import DataError, load_yaml

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev_sentences.jsonl"
RULESETS = get_rulesets()


def claims(text: str, lang: str, fmt: str = "text"):
    """Findings other than missing disclaimers (a lone sentence mentions a topic without them)."""
    return [f for f in lint_text(text, format=fmt, lang=lang) if f.category != "missing_disclaimer"]


def fix(text: str, lang: str, fmt: str = "text", only_claims: bool = True) -> str:
    found = lint_text(text, format=fmt, lang=lang)
    if only_claims:
        found = [f for f in found if f.category != "missing_disclaimer"]
    return apply_suggestions(text, found)[0]


def rewrite_of(text: str, lang: str, fmt: str = "text") -> str:
    found = claims(text, lang, fmt)
    assert found, f"no finding for {text!r}"
    assert found[0].suggestion is not None, f"no suggestion for {text!r} ({found[0].rule})"
    return fix(text, lang, fmt)


# ------------------------------------------------------------------------------------ closure


def _dev_rows():
    if not DEV.is_file():
        return []
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def _fallback_texts() -> set[str]:
    out = set()
    for rs in RULESETS.values():
        rws = rewrite_set(rs)
        for v in rws.fallback:
            out.add(v.template.source)
    return out


@pytest.mark.skipif(not DEV.is_file(), reason="dev corpus not available")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_closure_on_dev_sentences(lang):
    """Every caught dev sentence gets a rewrite, and the rewritten text lints clean (100%)."""
    caught = 0
    problems = []
    fallback = _fallback_texts()
    for row in _dev_rows():
        if row["lang"] != lang:
            continue
        found = claims(row["text"], lang)
        if not found:
            continue
        caught += 1
        if any(f.suggestion is None for f in found):
            problems.append((row["id"], "no suggestion", row["text"]))
            continue
        new = fix(row["text"], lang)
        left = claims(new, lang)
        if left:
            problems.append((row["id"], [f.rule for f in left], new))
        if new.strip() in fallback:
            problems.append((row["id"], "generic fallback used", new))
    assert caught >= 80
    assert not problems, "\n".join(map(str, problems))


def _rule_examples():
    for lang, rs in sorted(RULESETS.items()):
        for rule in rs.rules:
            for text in rule.examples_match:
                yield pytest.param(lang, rule.id, rule.profile, text, id=f"{lang}-{rule.id}-{text[:30]}")


@pytest.mark.parametrize("lang,rule_id,profile,text", list(_rule_examples()))
def test_every_match_example_has_a_rewrite_that_lints_clean(lang, rule_id, profile, text):
    def found_in(t):
        return [f for f in lint_text(t, lang=lang, profile=profile) if f.category != "missing_disclaimer"]

    found = found_in(text)
    if not found:
        pytest.skip(f"{rule_id} does not flag its own example (tests/test_rule_examples.py reports it)")
    assert all(f.suggestion is not None for f in found), [f.rule for f in found]
    new = apply_suggestions(text, found)[0]
    assert new != text
    assert not found_in(new), (new, [f.rule for f in found_in(new)])


def test_every_rule_has_its_own_or_a_category_template():
    for lang, rs in RULESETS.items():
        rws = rewrite_set(rs)
        for rule in rs.rules:
            variants = list(rws.variants(rule.id, rule.category))
            forms = {v.form for v in variants}
            assert {"sentence", "heading"} <= forms, (lang, rule.id, forms)


# ------------------------------------------------------------------------------------ grammar


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Truffels genezen depressie.", "Truffels zijn geen behandeling voor depressie"),
        ("Microdoseren geneest depressie.", "Microdoseren is geen behandeling voor depressie"),
        ("Onze capsules helpen tegen angst.", "Onze capsules zijn geen behandeling voor angst"),
        ("Ademwerk geneest je burn-out.", "Ademwerk is geen behandeling voor burn-out"),
        # a singular count condition reads as a class
        ("Onze truffels genezen je eetstoornis.", "geen behandeling voor eetstoornissen"),
        # coordination is kept: "depressie en angst"
        ("Onze truffels genezen depressie en angst.", "geen behandeling voor depressie en angst"),
        # "een microdosis" reads as the practice; a bare singular count noun gets its article
        ("Een microdosis geneest je depressie.", "Microdoseren is geen behandeling voor depressie"),
        ("Met ons microdosing-protocol kom je van je slapeloosheid af.", "Ons microdosing-protocol is geen behandeling"),
        ("Onze cursus geneest je depressie.", "Onze cursus is geen behandeling voor depressie"),
        ("Zelfs als je antidepressiva slikt, kun je zonder problemen meedoen.", "Gebruik je antidepressiva, overleg dan eerst"),
        ("Wetenschappelijk bewezen: truffels maken je brein flexibeler.", "Het onderzoek naar truffels is nog pril"),
        ("Je kunt je slaapmiddel voortaan gewoon laten staan, want CBD doet hetzelfde.", "geen alternatief voor je slaapmiddel"),
        ("Je insuline kan omlaag als je elke ochtend het ijsbad in gaat.", "Het ijsbad is geen alternatief voor insuline."),
        ("Cordyceps: de natuurlijke turbo die bij élke sporter aanslaat.", "Cordyceps werkt niet voor iedereen"),
        ("Je rookverslaving doorbreek je in één ceremonie met onze truffels.", "Onze truffels zijn geen behandeling voor rookverslaving"),
    ],
)
def test_dutch_agreement(text, expected):
    assert expected in rewrite_of(text, "nl")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Truffles cure depression.", "Truffles are not a treatment for depression; if it affects"),
        ("Microdosing cures depression.", "Microdosing is not a treatment for depression"),
        ("Our truffles take care of panic attacks.", "not a treatment for panic attacks; if they affect"),
        ("Our retreat cures your eating disorder.", "not a treatment for eating disorders"),
        ("Swap your SSRIs for a natural microdose.", "Microdosing is not an alternative to SSRIs."),
        ("Ditch the inhaler: our breathing method is all your lungs need.", "not an alternative to your inhaler."),
        ("Our CBD balm soothes arthritis pain.", "Our CBD balm is not a treatment for arthritis"),
        ("Bid farewell to seasonal affective disorder with vitamin D.", "not a treatment for seasonal affective disorder;"),
        ("Pregnant? Our adaptogen tea is a perfectly safe way to unwind.", "Pregnant? We advise against our adaptogen tea during pregnancy"),
        ("This breathwork program knocks out insomnia.", "This breathwork program is not a treatment for insomnia"),
        ("Psilocybin microdosing heals depression.", "Psilocybin microdosing is not a treatment"),
    ],
)
def test_english_agreement_and_articles(text, expected):
    assert expected in rewrite_of(text, "en")


def test_de_het_and_number_choices():
    tmpl = parse_template("{product}, {de=die|het=dat|pl=die} je kent, {is|zijn} geen middel.", "t", 1, "k")
    rws = rewrite_set(RULESETS["nl"])
    g = rws.grammar
    assert g.gender_of("ademwerk") == "het"
    assert g.gender_of("dit traject") == "het"
    assert g.gender_of("de methode") == "de"
    assert g.is_plural("onze truffels") and g.is_plural("paddo's") and g.is_plural("depressie en angst")
    assert not g.is_plural("microdoseren") and not g.is_plural("de microdosis") and not g.is_plural("CBD")
    base = {s: Phrase("x") for s in ("condition", "medication", "care")}
    het = tmpl.render({**base, "product": Phrase("ademwerk", False, "het")})
    de = tmpl.render({**base, "product": Phrase("de methode", False, "de")})
    pl = tmpl.render({**base, "product": Phrase("truffels", True, "pl")})
    assert het == "ademwerk, dat je kent, is geen middel."
    assert de == "de methode, die je kent, is geen middel."
    assert pl == "truffels, die je kent, zijn geen middel."


def test_capitalisation_and_punctuation_follow_the_original():
    # a heading without a period stays without one
    assert fix("Wondermiddel voor een rustig hoofd", "nl") == "Geen wondermiddel: effecten zijn subtiel en persoonlijk"
    assert fix("Zero side effects", "en") == "Side effects are possible"
    # a sentence starting lowercase (a bullet fragment) stays lowercase
    assert fix("verlost je van angst.", "nl").startswith("bij angst") or fix("verlost je van angst.", "nl")[0].islower()
    # an exclamation or a rhetorical question becomes a calm statement with a period
    assert fix("Nooit meer depressief!", "nl").endswith(".")
    assert fix("Why spend years in therapy when a few truffles do the same job?", "en").endswith(".")
    # a leading bullet symbol stays
    assert fix("✓ Werkt bij iedereen", "nl") == "✓ Ervaringen verschillen per persoon"
    # only the line with the claim is rewritten when the splitter joined unpunctuated lines
    assert fix("✓ Verlost je van angst\n✓ Meer focus\n", "nl").endswith("\n✓ Meer focus\n")
    # the product keeps the writer's words, lowercased only where it was capitalised as the first word
    new = fix("Onze CBD-olie werkt tegen chronische pijn en slapeloosheid.", "nl")
    assert "bij onze CBD-olie" in new and "Onze CBD-olie is geen behandeling voor chronische pijn en slapeloosheid" in new


def test_testimonials_and_titles():
    # an attribution after a rewritten quote goes too: the new words are ours, not the customer's
    new = fix("“Mijn eetstoornis is na twee ceremonies gewoon verdwenen.” – Fleur, 26 ★★★★★", "nl")
    assert new.startswith("Ervaringen van gebruikers zijn persoonlijk") and "Fleur" not in new
    # a claim inside a longer quotation: the whole quotation goes, the lead-in before it stays
    new = fix("Reviews: “Sinds ik microdoseer, heb ik mijn antidepressiva niet meer nodig. Aanrader!” – Marloes\n", "nl")
    assert new.startswith("Reviews: Stop of wijzig nooit zelf je medicatie") and "Aanrader" not in new and "”" not in new
    new = fix("“Ik was sceptisch. Nu is mijn angst gewoon weg.” – Ilse\n", "nl")
    assert new.startswith("Ervaringen van gebruikers") and "sceptisch" not in new and "Ilse" not in new
    html = fix("<blockquote>&ldquo;Nu is mijn angst weg. Aanrader!&rdquo; &ndash; Marloes</blockquote>", "nl", "html")
    assert html.startswith("<blockquote>Ervaringen van gebruikers") and html.endswith(".</blockquote>")
    # a title of parts: only the part with the claim, when the rest is fine
    assert fix("Truffels Kopen | Het wondermiddel voor je brein", "nl").startswith("Truffels Kopen | ")
    # ... and the whole title when the other part claims too; capitals stay capitals
    assert fix("BINNEN 10 MINUTEN ZEN | GEGARANDEERD", "nl").isupper()
    # the answer to a fragment question is rewritten in its context
    assert fix("Bijwerkingen? Die kent onze CBD-olie niet.", "nl") == (
        "Bijwerkingen? Ook onze CBD-olie kan bijwerkingen geven, en niet iedereen reageert hetzelfde. "
        "Overleg bij twijfel met je huisarts of apotheker."
    )


def test_clause_after_contrast_is_rewritten_alone():
    assert fix("Microdosing is geen quick fix, maar het geneest je burn-out wel echt.", "nl") == (
        "Microdosing is geen quick fix, maar bij burn-out is professionele hulp de veiligste eerste stap."
    )
    assert fix("It might look like a simple capsule, but it guarantees a total reset of your energy levels.", "en") == (
        "It might look like a simple capsule, but what you notice differs from person to person."
    )


def test_variants_follow_the_kind_of_claim():
    assert fix("Microdosing voorkomt depressie.", "nl").startswith("Er is geen bewijs dat microdosing depressie voorkomt.")
    assert fix("Truffels voorkomen depressie.", "nl").startswith("Er is geen bewijs dat truffels depressie voorkomen.")
    testimonial = fix("“Three months of microdosing and my OCD was gone,” says Mark, 41.", "en")
    assert testimonial.startswith("Customer stories are personal")
    assert fix("Microdosing heeft geen bijwerkingen.", "nl").startswith("Ook microdosing kan bijwerkingen geven; gemeld")
    assert fix("CBD heeft geen bijwerkingen.", "nl").startswith("Ook CBD kan bijwerkingen geven, en niet iedereen")


# ------------------------------------------------------------------------------------ markup


class _Balance(HTMLParser):
    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.ok = False
        else:
            self.stack.pop()


def balanced(html: str) -> bool:
    p = _Balance()
    p.feed(html)
    p.close()
    return p.ok and not p.stack


@pytest.mark.parametrize(
    "html",
    [
        "<p><strong>Truffels genezen</strong> depressie.</p>",
        "<p>Wow, echt. <strong>Truffels genezen</strong> depressie.</p>",
        "<p><em>Wow. Truffels genezen</em> depressie. Echt <b>waar. Truffels</b> zijn lekker.</p>",
        "<p>Onze truffels <strong>genezen</strong> je <em>depressie</em> binnen een paar weken.</p>",
        "<p>Lees <a href='/x'>hier. Onze truffels genezen</a> angst.</p>",
        "<ul><li>&#10003; Werkt bij iedereen</li></ul>",
    ],
)
def test_html_rewrites_keep_the_page_valid(html):
    new = fix(html, "nl", "html")
    assert new != html
    assert balanced(new), new
    assert not claims(new, "nl", "html"), new


def test_html_replaces_the_whole_inline_run_and_encodes_text():
    new = fix("<p><strong>Truffels genezen</strong> depressie &amp; angst.</p>", "nl", "html")
    assert new.startswith("<p>Sommige mensen") and "<strong>" not in new
    assert "depressie &amp; angst" in new and new.endswith("</p>")
    # inside an attribute the quotes are encoded too
    page = '<meta name="description" content="Onze truffels genezen depressie.">'
    found = claims(page, "nl", "html")
    assert found and '"' not in found[0].suggestion["replacement"]


@pytest.mark.parametrize(
    "md,expected_start",
    [
        ("Hallo daar. **Truffels genezen** depressie.\n", "Hallo daar. Sommige"),
        ("*Wow. Truffels genezen* depressie. Lekker.\n", "*Wow.* Sommige"),
        ("Lees dit. [Onze truffels](/shop) genezen depressie.\n", "Lees dit. Sommige"),
        ("> Onze truffels\n> genezen depressie.\n", "> Sommige"),
        ("- **Geen bijwerkingen**, geen gedoe\n- Nog iets\n", "- Bijwerkingen zijn mogelijk\n- Nog iets"),
    ],
)
def test_markdown_rewrites_keep_the_markup_valid(md, expected_start):
    new = fix(md, "nl", "markdown")
    assert new.startswith(expected_start), new
    assert new.count("**") % 2 == 0 and new.count("[") == new.count("]")
    assert not claims(new, "nl", "markdown"), new


def test_front_matter_stays_valid_yaml():
    md = "---\ntitle: Wetenschappelijk bewezen formule\ndescription: \"Onze truffels genezen depressie.\"\n---\n\n# Hoi\n"
    new = fix(md, "nl", "markdown")
    data = yaml.safe_load(new.split("---")[1])
    assert data["title"] == "Het onderzoek is nog pril"
    assert data["description"].startswith("Sommige mensen melden")


# ------------------------------------------------------------------------------------ output shape


def test_json_suggestion_shape():
    from wellnesslint.reporters import render

    text = "# Microdoseren\n\nOnze truffels genezen depressie.\n"
    found = lint_text(text, format="markdown", lang="nl", path="x.md")
    data = json.loads(render(found, "json", sources={"x.md": text}))
    shapes = [d["suggestion"] for d in data if d["suggestion"] is not None]
    assert shapes
    for s in shapes:
        assert set(s) == {"replacement", "start", "end", "applicability"}
        assert s["applicability"] == "unsafe"
        for key in ("start", "end"):
            assert set(s[key]) == {"line", "column"}
            assert all(isinstance(v, int) and v >= 1 for v in s[key].values())
    claim = next(d for d in data if d["rule"] == "WL101")
    assert claim["suggestion"]["start"] == {"line": 3, "column": 1}
    assert claim["suggestion"]["end"] == {"line": 3, "column": len("Onze truffels genezen depressie.") + 1}


def test_text_output_shows_the_suggestion():
    from wellnesslint.reporters import render

    text = "Onze truffels genezen depressie.\n"
    found = claims(text, "nl")
    out = render(found, "full", sources={"<text>": text})
    assert "suggestion: Sommige mensen melden" in out


# ------------------------------------------------------------------------------------ disclaimers


def test_one_disclaimer_paragraph_for_all_missing_elements_markdown():
    text = "# Microdoseren\n\nMicrodoseren met truffels is populair.\n"
    found = lint_text(text, format="markdown", lang="nl")
    missing = [f for f in found if f.category == "missing_disclaimer"]
    if not missing:
        pytest.skip("document checks not available")
    with_suggestion = [f for f in missing if f.suggestion]
    assert len(with_suggestion) == 1 and with_suggestion[0] is missing[0]
    new = apply_suggestions(text, found)[0]
    assert new.startswith(text + "\n")
    paragraph = new[len(text) + 1 :]
    assert paragraph.endswith(".\n") and "\n" not in paragraph[:-1]
    assert "geen vervanging" in paragraph and "lithium" in paragraph and "zwanger" in paragraph
    assert not lint_text(new, format="markdown", lang="nl")


def test_disclaimer_goes_before_main_in_html_with_crlf_and_indent():
    page = "<html>\r\n<body>\r\n  <main>\r\n    <p>Microdosing with truffles.</p>\r\n  </main>\r\n</body>\r\n</html>\r\n"
    found = lint_text(page, format="html", lang="en")
    if not any(f.category == "missing_disclaimer" for f in found):
        pytest.skip("document checks not available")
    new = apply_suggestions(page, found)[0]
    assert '    <aside class="disclaimer"><p>Microdosing is not a treatment' in new
    assert new.index("<aside") < new.index("  </main>")
    assert "\n" not in new.replace("\r\n", "")  # only CRLF line breaks
    assert balanced(new)
    assert not lint_text(new, format="html", lang="en")


def test_disclaimer_names_the_topic_product_and_skips_what_it_cannot_know():
    text = "Onze CBD-olie en truffels.\n"
    found = lint_text(text, lang="nl")
    if not any(f.category == "missing_disclaimer" for f in found):
        pytest.skip("document checks not available")
    new = apply_suggestions(text, found)[0]
    assert "Truffels zijn geen behandeling" in new  # the psilocybin element names the truffles
    assert "Aanbevolen dagelijkse dosis niet overschrijden." in new
    # the recommended dose itself must come from the writer: that finding stays, without a fix
    again = lint_text(new, lang="nl")
    assert [f.element for f in again] == ["recommended_dose"] or not again
    assert apply_suggestions(new, again)[0] == new


# ------------------------------------------------------------------------------------ schema


def _load(tmp_path, text):
    path = tmp_path / "rewrites.yaml"
    path.write_text(text, encoding="utf-8")
    data = load_yaml(path)
    return load_rewrites("nl", [(str(path), data["rewrites"])])


@pytest.mark.parametrize(
    "body,line,key",
    [
        ("  rules:\n    WL101:\n      - text: '{produkt} geneest'\n", 4, "rewrites.rules.WL101.text"),
        ("  rules:\n    WL101:\n      - text: 'x {a|b|c}'\n", 4, "rewrites.rules.WL101.text"),
        ("  rules:\n    WL101:\n      - text: 'x'\n        form: kop\n", 5, "rewrites.rules.WL101.form"),
        ("  rules:\n    WL101:\n      - text: 'x'\n        requires: [middel]\n", 5, "rewrites.rules.WL101.requires"),
        ("  rules:\n    WL101:\n      - text: 'x'\n        tekst: y\n", 5, "rewrites.rules.WL101.tekst"),
        ("  rules:\n    X101:\n      - 'x'\n", 3, "rewrites.rules.X101"),
        ("  categories:\n    cure:\n      - 'x'\n", 3, "rewrites.categories.cure"),
        ("  grammar:\n    plural: ['(']\n", 3, "rewrites.grammar.plural"),
        ("  extra: 1\n", 2, "rewrites.extra"),
        ("  disclaimer:\n    html: '<p></p>'\n", 3, "rewrites.disclaimer.html"),
        ("  rules:\n    WL101:\n      - text: 'x'\n        when: {claim: '('}\n", 5, "rewrites.rules.WL101.when.claim"),
    ],
)
def test_schema_errors_name_file_line_and_key(tmp_path, body, line, key):
    with pytest.raises(DataError) as info:
        _load(tmp_path, "rewrites:\n" + body)
    assert info.value.line == line
    assert info.value.key == key
    assert info.value.path.endswith("rewrites.yaml")


def test_a_later_folder_overrides_rule_templates(tmp_path):
    base = load_yaml(ROOT / "rulesets" / "nl" / "rewrites.yaml")["rewrites"]
    own = tmp_path / "own.yaml"
    own.write_text("rewrites:\n  rules:\n    WL201:\n      - text: 'Eigen tekst over {product}.'\n        requires: [product]\n", encoding="utf-8")
    rws = load_rewrites("nl", [("base", base), (str(own), load_yaml(own)["rewrites"])])
    first = next(iter(rws.variants("WL201", "absolute_claim")))
    assert first.template.source == "Eigen tekst over {product}."


def test_builtin_files_load():
    for lang in ("nl", "en"):
        rws = rewrite_set(RULESETS[lang])
        assert rws is not None and rws.rules and rws.categories and rws.disclaimer.elements
        assert re.fullmatch(r"[a-z ]+", rws.defaults["product"])


def test_a_rules_own_rewrite_key_is_used(tmp_path):
    """A team rule may carry `rewrite:` templates; they come before the category's."""
    import shutil

    from wellnesslint.ruleset import load_language_dir

    folder = tmp_path / "nl"
    shutil.copytree(ROOT / "rulesets" / "nl", folder)
    (folder / "huisregels.yaml").write_text(
        "rules:\n"
        "  - id: WL801\n    name: crystal-power\n    kind: phrase\n    category: absolute_claim\n"
        "    severity: error\n    message: kristalkracht\n    rationale: huisregel\n    references: [gids]\n"
        "    patterns: ['kristalkracht\\w*']\n"
        "    rewrite: 'Onze stenen zijn mooi om te zien; krachten beloven we niet.'\n"
        "    examples:\n      match: ['Ervaar de kristalkracht van onze stenen.']\n"
        "      no_match: ['Onze stenen zijn mooi.']\n",
        encoding="utf-8",
    )
    rs = load_language_dir(folder)
    rws = rewrite_set(rs)
    first = next(iter(rws.variants("WL801", "absolute_claim")))
    assert first.template.source == "Onze stenen zijn mooi om te zien; krachten beloven we niet."


def test_no_disclaimer_paragraph_inside_an_unclosed_code_block():
    text = "# Microdoseren\n\nMicrodoseren met truffels.\n\n```\ncode zonder einde\n"
    found = lint_text(text, format="markdown", lang="nl")
    assert not any(f.suggestion for f in found if f.category == "missing_disclaimer")


def test_disclaimer_product_words_come_without_markup():
    from wellnesslint.engine import lint_text

    src = "Magic *truffles* are the underground growths of certain psilocybin-containing fungi.\n"
    found = [f for f in lint_text(src, format="markdown", lang="en") if f.suggestion and f.category == "missing_disclaimer"]
    assert found
    assert "\\*" not in found[0].suggestion["replacement"] and "*truffles" not in found[0].suggestion["replacement"]
