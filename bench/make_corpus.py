#!/usr/bin/env python3
"""Deterministic benchmark corpus: Dutch and English wellness pages in Markdown and HTML.

    python bench/make_corpus.py OUTDIR [--pages N] [--seed S] [--big K] [--big-mb MB]
                                       [--stress] [--stress-mb MB] [--force]

Writes
    OUTDIR/md/<section>/<slug>-NNNNN.md       N Markdown pages, plus K big ones in md/big/
    OUTDIR/html/<section>/<slug>-NNNNN.html   N HTML pages, plus K big ones in html/big/
    OUTDIR/stress/ (with --stress)            one Markdown file that is a single paragraph
                                              and one HTML file that is a single line
    OUTDIR/corpus.json                        what was written: seed, files, bytes, claims

Only the standard library. The output depends on (seed, N, K, MB) and nothing else: every page
draws from its own random.Random seeded with "seed/format/index" (string seeds hash the same on
every run and under any PYTHONHASHSEED), so a corpus of 200 pages is the first 200 pages of a
corpus of 2,000.

The pages look like what a wellness web shop publishes: product pages, blog posts, course and
retreat pages, FAQs. Most sentences are innocent, including ones that use claim words in a
harmless way ("Lees de bijsluiter voor mogelijke bijwerkingen", "We help you pick a size");
about one page in three carries an overclaim ("geneest je burn-out", "100% safe, no side
effects") in prose, a heading, a list, a table, a quote, emphasis or split by markup, and some
sit in code blocks, comments or scripts where a linter should stay quiet.

Markdown pages have YAML front matter, ATX and setext headings, paragraphs (a quarter of the
pages hard-wrapped), nested lists, tables, fenced code, inline code, links, images, emphasis,
block quotes, HTML comments and inline HTML. HTML pages have a head with meta tags, a style
sheet, JSON-LD and an analytics script, navigation, nested sections with attributes, inline
tags, figures, tables, a footer with a form, and named and numeric character references.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys

GENERATOR = "wellnesslint-bench/1"

# ------------------------------------------------------------------------------------------
# Words and sentences (written for this benchmark)
# ------------------------------------------------------------------------------------------

WORDS = {
    "nl": {
        "thing": [
            "de lavendelthee", "ons slaapritueel", "de magnesiumbadzout", "het ademhalingsprogramma",
            "de rozenbottelolie", "de kruidenmix voor de avond", "onze stiltewandeling", "de yogamat van kurk",
            "het bijenwasdoekje", "de kamillesiroop", "de workshop intuïtief schrijven", "het gemberschot",
            "de zeezoutscrub", "onze meditatiecursus", "de klankbadsessie", "het saunaweekend op Texel",
            "de vitamine C-tabletten", "het ochtendritueel", "de kruidenkussens", "de matcha van Uji",
            "onze voetreflexbehandeling", "de hennepolie", "het seizoenspakket", "de lijnzaadcrackers",
        ],
        "people": [
            "onze klanten", "de deelnemers", "veel lezers", "onze docenten", "de cursisten",
            "vaste bezoekers", "nieuwe leden", "de gasten van het retraitehuis",
        ],
        "place": [
            "in de Achterhoek", "aan de Noordzeekust", "in een oude boerderij bij Deventer",
            "op de Veluwe", "in hartje Utrecht", "in een tuin vol kruiden", "aan de rand van het bos",
        ],
        "moment": [
            "na een lange dag", "op een regenachtige zondag", "voor het ontbijt", "tijdens de koffiepauze",
            "vlak voor het slapen", "in de eerste week", "als de dagen korter worden", "na het hardlopen",
        ],
        "quality": [
            "zacht van smaak", "mooi verpakt", "eenvoudig te gebruiken", "lekker geurend", "stevig",
            "prettig op de huid", "vriendelijk geprijsd", "met zorg samengesteld", "eerlijk geproduceerd",
        ],
        "verb": [
            "waarderen", "gebruiken graag", "kiezen vaak voor", "bestellen regelmatig", "vragen naar",
            "raden elkaar aan", "combineren graag", "ontdekken steeds opnieuw",
        ],
        "condition": [
            "depressie", "je burn-out", "angstklachten", "slapeloosheid", "migraine", "chronische pijn",
            "paniekaanvallen", "je eczeem", "reuma", "hoge bloeddruk",
        ],
        "section": ["winkel", "blog", "cursussen", "retraites", "kennisbank", "veelgestelde-vragen"],
        "slug": ["rustig-slapen", "kruiden-uitgelegd", "ademwerk", "winterritueel", "zelfzorg",
                 "nieuw-binnen", "het-verhaal-achter", "voeding-en-energie", "ontspannen-werken"],
        "heading": [
            "Zo gebruik je het", "Ingrediënten", "Over onze makers", "Wat je kunt verwachten", "Praktische info",
            "Ervaringen", "Veelgestelde vragen", "Bezorging en retour", "Het verhaal erachter",
            "Tips voor thuis", "Prijzen en data", "Waarom we dit maken", "Goed om te weten",
        ],
        "innocent": [
            "Wij geloven in kleine gewoontes die je lang volhoudt.",
            "Heb je een vraag over je bestelling? Mail ons gerust, we reageren binnen een werkdag.",
            "Lees voor gebruik de bijsluiter; daar staan ook de mogelijke bijwerkingen.",
            "Gebruik je medicijnen of ben je zwanger? Overleg dan eerst met je huisarts.",
            "Dit product is geen vervanging voor medische zorg.",
            "Er is nog weinig onderzoek gedaan naar dit kruid, dus we houden het bescheiden.",
            "We helpen je graag bij het kiezen van de juiste maat.",
            "Stop de thee na het trekken in de koelkast als je hem koud wilt drinken.",
            "Bewaar de olie donker en koel, dan blijft de geur het langst goed.",
            "De cursus is geen therapie en vervangt geen behandeling.",
            "Voel je je al langer somber? Praat erover met je huisarts of bel 113.",
            "Onze verpakking is voor negentig procent gerecycled karton.",
            "Niet elk ritueel past bij iedereen, en dat is prima.",
            "Neem de tijd om te ontdekken wat bij jou past.",
            "Retourneren kan binnen dertig dagen, mits de verpakking nog dicht is.",
            "Wil je weten hoe we onze leveranciers kiezen? Dat lees je op de pagina over ons.",
            "Sommige deelnemers vinden de eerste sessie spannend; dat hoort erbij.",
            "De prijs is inclusief btw en een kop verse muntthee na afloop.",
            "In het voorjaar oogsten we de brandnetels zelf.",
            "Bij twijfel over een allergie kun je de ingrediëntenlijst bij ons opvragen.",
        ],
        "claim": [
            "{thing} geneest {condition}.", "Met {thing} ben je in drie weken van {condition} af.",
            "{thing} is honderd procent veilig en heeft geen bijwerkingen.",
            "Wetenschappelijk bewezen: {thing} werkt altijd.",
            "Stop gerust met je antidepressiva, {thing} doet het werk.",
            "{thing} is het wondermiddel tegen {condition}.",
            "Dankzij {thing} behoort {condition} tot het verleden.",
            "{thing} helpt tegen {condition}, gegarandeerd.",
        ],
        "negated": [
            "{thing} is geen wondermiddel.", "{thing} geneest geen {condition}.",
            "Er is geen bewijs dat {thing} {condition} voorkomt.",
        ],
        "cta": ["Bekijk het aanbod", "Schrijf je in", "Lees verder", "In winkelmand", "Meer weten"],
        "faq_q": [
            "Hoe lang gaat een pot mee?", "Kan ik de cursus ook online volgen?",
            "Is de thee cafeïnevrij?", "Wanneer wordt mijn pakket bezorgd?", "Kan ik een cadeaubon geven?",
        ],
        "faq_a": [
            "Bij dagelijks gebruik ongeveer zes weken.", "Ja, alle lessen worden ook gestreamd.",
            "Ja, er zit geen zwarte of groene thee in.", "Meestal de volgende werkdag.",
            "Zeker, je kiest zelf het bedrag.",
        ],
    },
    "en": {
        "thing": [
            "the chamomile blend", "our evening routine", "the magnesium bath flakes", "the breathing programme",
            "the rosehip oil", "the sleepy-time spice mix", "our silent forest walk", "the cork yoga mat",
            "the beeswax wraps", "the elderflower syrup", "the journaling workshop", "the ginger shot",
            "the sea salt scrub", "our meditation course", "the sound bath session", "the spa weekend in Devon",
            "the vitamin C tablets", "the morning ritual", "the lavender pillows", "the ceremonial matcha",
            "our reflexology treatment", "the hemp seed oil", "the seasonal box", "the flaxseed crackers",
        ],
        "people": [
            "our customers", "the participants", "many readers", "our teachers", "the students",
            "regular visitors", "new members", "the guests at the retreat house",
        ],
        "place": [
            "in the Lake District", "on the Cornish coast", "in an old farmhouse near York",
            "in the Cotswolds", "in the heart of Bristol", "in a garden full of herbs", "at the edge of the woods",
        ],
        "moment": [
            "after a long day", "on a rainy Sunday", "before breakfast", "during the coffee break",
            "just before bed", "in the first week", "when the days get shorter", "after a run",
        ],
        "quality": [
            "mild in taste", "beautifully packed", "easy to use", "lovely smelling", "sturdy",
            "gentle on the skin", "fairly priced", "carefully blended", "fairly produced",
        ],
        "verb": [
            "appreciate", "like to use", "often choose", "order regularly", "keep asking about",
            "recommend to friends", "like to combine", "keep rediscovering",
        ],
        "condition": [
            "depression", "your burnout", "anxiety", "insomnia", "migraines", "chronic pain",
            "panic attacks", "your eczema", "arthritis", "high blood pressure",
        ],
        "section": ["shop", "journal", "courses", "retreats", "guides", "faq"],
        "slug": ["sleep-well", "herbs-explained", "breathwork", "winter-ritual", "self-care",
                 "new-arrivals", "the-story-behind", "food-and-energy", "calm-at-work"],
        "heading": [
            "How to use it", "Ingredients", "About our makers", "What to expect", "Practical info",
            "Reviews", "Frequently asked questions", "Shipping and returns", "The story behind it",
            "Tips for home", "Prices and dates", "Why we make this", "Good to know",
        ],
        "innocent": [
            "We believe in small habits that you can keep up for years.",
            "Questions about your order? Send us an email and we will reply within a working day.",
            "Read the leaflet before use; it also lists possible side effects.",
            "Taking medication or pregnant? Talk to your doctor first.",
            "This product is not a substitute for medical care.",
            "There has not been much research on this herb yet, so we keep our promises modest.",
            "We are happy to help you pick the right size.",
            "Put the tea in the fridge after brewing if you like it cold.",
            "Keep the oil somewhere cool and dark so the scent lasts longer.",
            "The course is not therapy and does not replace treatment.",
            "Feeling low for a while? Talk to your GP or call a helpline.",
            "Our packaging is ninety percent recycled cardboard.",
            "Not every ritual suits everyone, and that is fine.",
            "Take your time to find out what works for you.",
            "You can return items within thirty days if the seal is unbroken.",
            "Wondering how we choose our suppliers? Read about it on our about page.",
            "Some participants find the first session exciting; that is normal.",
            "The price includes VAT and a cup of fresh mint tea afterwards.",
            "In spring we pick the nettles ourselves.",
            "If you are unsure about an allergy, ask us for the full ingredient list.",
        ],
        "claim": [
            "{thing} cures {condition}.", "With {thing} you will be free from {condition} in three weeks.",
            "{thing} is 100% safe and has no side effects.",
            "Scientifically proven: {thing} always works.",
            "Feel free to stop taking your antidepressants, {thing} does the job.",
            "{thing} is the miracle cure for {condition}.",
            "Thanks to {thing}, {condition} is a thing of the past.",
            "{thing} treats {condition}, guaranteed.",
        ],
        "negated": [
            "{thing} is not a miracle cure.", "{thing} does not cure {condition}.",
            "There is no evidence that {thing} prevents {condition}.",
        ],
        "cta": ["See the range", "Sign up", "Read more", "Add to basket", "Learn more"],
        "faq_q": [
            "How long does a jar last?", "Can I follow the course online?", "Is the tea caffeine free?",
            "When will my parcel arrive?", "Can I give a gift card?",
        ],
        "faq_a": [
            "About six weeks with daily use.", "Yes, every class is streamed as well.",
            "Yes, it contains no black or green tea.", "Usually the next working day.",
            "Of course, you choose the amount.",
        ],
    },
}

CODE_SNIPPETS = [
    'const basket = await fetch("/api/basket").then(r => r.json());',
    "pip install wellness-shop-sdk==2.1.0",
    "SELECT sku, price FROM products WHERE stock > 0;",
    'curl -s https://example.com/api/orders?status=open | jq ".[].id"',
]


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class Page:
    """Sentences for one page: innocent copy with an occasional claim; counts what it planted."""

    def __init__(self, rng: random.Random, lang: str, claim_rate: float) -> None:
        self.rng = rng
        self.lang = lang
        self.w = WORDS[lang]
        self.claim_rate = claim_rate
        self.claims = 0
        self.negated = 0

    def pick(self, key: str) -> str:
        return self.rng.choice(self.w[key])

    def composed(self) -> str:
        r = self.rng
        if self.lang == "nl":
            forms = (
                lambda: f"{cap(self.pick('people'))} {self.pick('verb')} {self.pick('thing')} {self.pick('moment')}.",
                lambda: f"{cap(self.pick('thing'))} is {self.pick('quality')} en komt uit een werkplaats {self.pick('place')}.",
                lambda: f"{cap(self.pick('moment'))} maken we {self.pick('thing')} klaar voor verzending.",
                lambda: f"We zijn trots op {self.pick('thing')}: {self.pick('quality')}, en {self.pick('quality')}.",
                lambda: f"Wist je dat {self.pick('thing')} {self.pick('place')} wordt gemaakt?",
            )
        else:
            forms = (
                lambda: f"{cap(self.pick('people'))} {self.pick('verb')} {self.pick('thing')} {self.pick('moment')}.",
                lambda: f"{cap(self.pick('thing'))} is {self.pick('quality')} and comes from a workshop {self.pick('place')}.",
                lambda: f"{cap(self.pick('moment'))} we get {self.pick('thing')} ready for shipping.",
                lambda: f"We are proud of {self.pick('thing')}: {self.pick('quality')}, and {self.pick('quality')}.",
                lambda: f"Did you know that {self.pick('thing')} is made {self.pick('place')}?",
            )
        return r.choice(forms)()

    def claim(self) -> str:
        if self.rng.random() < 0.3:
            self.negated += 1
            tpl = self.pick("negated")
        else:
            self.claims += 1
            tpl = self.pick("claim")
        return cap(tpl.format(thing=self.pick("thing"), condition=self.pick("condition")))

    def sentence(self) -> str:
        x = self.rng.random()
        if x < self.claim_rate:
            return self.claim()
        if x < 0.5:
            return self.pick("innocent")
        return self.composed()

    def paragraph(self, n: int | None = None) -> list[str]:
        return [self.sentence() for _ in range(n or self.rng.randint(2, 7))]

    def other_lang(self) -> "Page":
        p = Page(self.rng, "en" if self.lang == "nl" else "nl", self.claim_rate)
        return p


# ------------------------------------------------------------------------------------------
# Markdown
# ------------------------------------------------------------------------------------------


def wrap(text: str, width: int = 78) -> str:
    lines, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return "\n".join(lines)


def md_inline(p: Page, sents: list[str]) -> str:
    """Sentences with inline Markdown sprinkled over some of them."""
    r = p.rng
    out = []
    for s in sents:
        y = r.random()
        words = s.split(" ")
        if y < 0.08 and len(words) > 3:
            i = r.randrange(len(words) - 1)
            words[i] = f"**{words[i]}**"
        elif y < 0.14 and len(words) > 3:
            i = r.randrange(len(words) - 1)
            words[i] = f"_{words[i]}_"
        elif y < 0.2 and len(words) > 4:
            i = r.randrange(len(words) - 2)
            words[i] = f"[{words[i]} {words[i + 1]}](https://example.com/{p.pick('slug')}?ref=md)"
            del words[i + 1]
        elif y < 0.23:
            words.append(f"`{r.choice(['SKU-1042', 'v2', 'size=M', '--gentle'])}`")
        elif y < 0.26:
            words[-1] = words[-1] + "&nbsp;&#10003;"
        elif y < 0.28:
            words.insert(1, "<span class=\"hl\">")
            words.append("</span>")
        out.append(" ".join(words))
    return " ".join(out)


def md_page(rng: random.Random, lang: str, target: int, claim_rate: float = 0.06) -> tuple[str, Page]:
    p = Page(rng, lang, claim_rate)
    second = p.other_lang()
    hard_wrap = rng.random() < 0.25
    title = cap(p.pick("thing"))
    parts = [
        "---",
        f"title: \"{title}\"",
        f"description: \"{p.pick('innocent')}\"",
        f"lang: {lang}",
        f"date: 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"tags: [{p.pick('slug')}, {p.pick('slug')}]",
        f"image: /img/{p.pick('slug')}-{rng.randint(1, 99)}.jpg",
        "---",
        "",
        f"# {title}",
        "",
    ]
    size = sum(len(x) + 1 for x in parts)
    while size < target:
        kind = rng.random()
        block: list[str]
        if kind < 0.40:
            src = second if rng.random() < 0.1 else p
            text = md_inline(src, src.paragraph())
            block = [wrap(text) if hard_wrap else text, ""]
        elif kind < 0.52:
            h = p.pick("heading")
            block = [f"## {h}", ""] if rng.random() < 0.8 else [h, "-" * len(h), ""]
        elif kind < 0.64:
            block = []
            lead = rng.choice(["- ", "* ", "1. "])
            for _ in range(rng.randint(3, 6)):
                block.append(lead + md_inline(p, [p.sentence()]))
                if rng.random() < 0.2:
                    block.append("  - " + p.sentence())
            block.append("")
        elif kind < 0.70:
            block = ["| " + " | ".join(["Product", "Inhoud" if lang == "nl" else "Size", "Prijs" if lang == "nl" else "Price"]) + " |",
                     "|---|---|---:|"]
            for _ in range(rng.randint(2, 6)):
                block.append(f"| {cap(p.pick('thing'))} | {rng.randint(1, 50) * 10} ml | &euro;&nbsp;{rng.randint(5, 90)},{rng.randint(0, 99):02d} |")
            block.append("")
        elif kind < 0.75:
            fence = rng.choice(["```", "~~~"])
            body = [rng.choice(CODE_SNIPPETS)]
            if rng.random() < 0.3:
                body.append(f"# {p.claim()}")  # a claim in code: must stay quiet
            block = [fence + rng.choice(["js", "sh", "sql", ""]), *body, fence, ""]
        elif kind < 0.80:
            block = [f"> {s}" for s in p.paragraph(rng.randint(1, 3))] + [f"> — {p.pick('people')}", ""]
        elif kind < 0.84:
            alt = cap(p.pick("thing")) if rng.random() < 0.8 else p.claim()
            block = [f"![{alt}](/img/{p.pick('slug')}.jpg \"{p.pick('quality')}\")", ""]
        elif kind < 0.87:
            block = [f"<!-- {p.claim() if rng.random() < 0.3 else 'todo: foto vervangen'} -->", ""]
        elif kind < 0.90:
            block = [f"<div class=\"callout\">{p.sentence()} <strong>{p.sentence()}</strong></div>", ""]
        elif kind < 0.95:
            block = []
            for _ in range(rng.randint(2, 4)):
                i = rng.randrange(len(p.w["faq_q"]))
                block += [f"### {p.w['faq_q'][i]}", "", p.w["faq_a"][i], ""]
        else:
            block = [f"[{p.pick('cta')}](/{p.pick('section')}/{p.pick('slug')}) · *{p.pick('quality')}*", ""]
        parts.extend(block)
        size += sum(len(x) + 1 for x in block)
    return "\n".join(parts) + "\n", p


# ------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------

ENTITIES = ["&amp;", "&eacute;", "&euro;", "&nbsp;", "&#233;", "&#x2014;", "&hellip;", "&rsquo;"]


def esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_inline(p: Page, sents: list[str]) -> str:
    r = p.rng
    out = []
    for s in sents:
        s = esc(s)
        y = r.random()
        words = s.split(" ")
        if y < 0.1 and len(words) > 3:
            i = r.randrange(len(words) - 1)
            words[i] = f"<strong>{words[i]}</strong>"
        elif y < 0.16 and len(words) > 3:
            i = r.randrange(len(words) - 1)
            words[i] = f"<em class=\"soft\">{words[i]}</em>"
        elif y < 0.24 and len(words) > 4:
            i = r.randrange(len(words) - 2)
            words[i] = f"<a href=\"/{p.pick('section')}/{p.pick('slug')}?utm_source=site&amp;utm_medium=link\" title=\"{p.pick('quality')}\">{words[i]}"
            words[i + 1] = words[i + 1] + "</a>"
        elif y < 0.3:
            words.insert(r.randrange(len(words)), r.choice(ENTITIES))
        elif y < 0.33:
            words.append("<br>")
        out.append(" ".join(words))
    return " ".join(out)


def html_head(p: Page, title: str) -> list[str]:
    r = p.rng
    return [
        "<!DOCTYPE html>",
        f"<html lang=\"{p.lang}\">",
        "<head>",
        "<meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{esc(title)} | Het Groene Huis</title>",
        f"<meta name=\"description\" content=\"{esc(p.pick('innocent'))}\">",
        f"<meta property=\"og:title\" content=\"{esc(title)}\">",
        f"<link rel=\"stylesheet\" href=\"/css/site.css?v={r.randint(100, 999)}\">",
        "<style>",
        "  body { font-family: Georgia, serif; margin: 0 auto; max-width: 72rem; }",
        "  .hero > h1 { font-size: clamp(2rem, 5vw, 3.5rem); } .callout { border-left: 4px solid #7a9; }",
        "  nav a:hover, nav a:focus { text-decoration: underline; }",
        "</style>",
        "<script type=\"application/ld+json\">",
        json.dumps({"@context": "https://schema.org", "@type": "Product", "name": title,
                    "description": p.claim() if r.random() < 0.2 else p.pick("innocent"),
                    "offers": {"@type": "Offer", "price": f"{r.randint(5, 90)}.95", "priceCurrency": "EUR"}},
                   ensure_ascii=False),
        "</script>",
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "gtag('js',new Date());gtag('config','G-BENCH01',{anonymize_ip:true});</script>",
        "</head>",
    ]


def html_page(rng: random.Random, lang: str, target: int, claim_rate: float = 0.06,
              minify: bool = False) -> tuple[str, Page]:
    p = Page(rng, lang, claim_rate)
    second = p.other_lang()
    title = cap(p.pick("thing"))
    parts = html_head(p, title)
    parts += [
        "<body class=\"page\">",
        "<header class=\"site\"><nav aria-label=\"hoofdmenu\"><ul>"
        + "".join(f"<li><a href=\"/{s}/\">{s.replace('-', ' ').capitalize()}</a></li>" for s in p.w["section"])
        + "</ul></nav></header>",
        "<main id=\"content\">",
        f"<section class=\"hero\"><h1>{esc(title)}</h1><p class=\"lead\">{html_inline(p, p.paragraph(2))}</p></section>",
    ]
    size = sum(len(x) + 1 for x in parts)
    while size < target:
        kind = rng.random()
        if kind < 0.40:
            if rng.random() < 0.1:
                block = [f"<p lang=\"{second.lang}\">{html_inline(second, second.paragraph())}</p>"]
            else:
                block = [f"<p>{html_inline(p, p.paragraph())}</p>"]
        elif kind < 0.50:
            level = rng.choice((2, 2, 3))
            block = [f"<h{level} id=\"s{rng.randint(1, 999)}\" class=\"section-title\">{esc(p.pick('heading'))}</h{level}>"]
        elif kind < 0.62:
            tag = rng.choice(["ul", "ol"])
            items = "".join(f"<li>{html_inline(p, [p.sentence()])}</li>" for _ in range(rng.randint(3, 6)))
            block = [f"<{tag} class=\"checks\">{items}</{tag}>"]
        elif kind < 0.68:
            rows = "".join(
                f"<tr><td>{esc(cap(p.pick('thing')))}</td><td>{rng.randint(1, 50) * 10}&nbsp;ml</td>"
                f"<td class=\"num\">&euro;&nbsp;{rng.randint(5, 90)},{rng.randint(0, 99):02d}</td></tr>"
                for _ in range(rng.randint(2, 6))
            )
            block = [f"<table class=\"prices\"><thead><tr><th>Product</th><th>{'Inhoud' if lang == 'nl' else 'Size'}</th>"
                     f"<th>{'Prijs' if lang == 'nl' else 'Price'}</th></tr></thead>"
                     f"<tbody>{rows}</tbody></table>"]
        elif kind < 0.73:
            alt = esc(cap(p.pick("thing"))) if rng.random() < 0.8 else esc(p.claim())
            block = [f"<figure><img src=\"/img/{p.pick('slug')}.webp\" alt=\"{alt}\" width=\"800\" height=\"600\" loading=\"lazy\">"
                     f"<figcaption>{esc(p.pick('innocent'))}</figcaption></figure>"]
        elif kind < 0.78:
            block = [f"<blockquote><p>{html_inline(p, p.paragraph(rng.randint(1, 3)))}</p><cite>{esc(p.pick('people'))}</cite></blockquote>"]
        elif kind < 0.82:
            code = esc(rng.choice(CODE_SNIPPETS))
            if rng.random() < 0.3:
                code += "\n// " + esc(p.claim())
            block = [f"<pre><code class=\"language-js\">{code}</code></pre>"]
        elif kind < 0.86:
            block = [f"<!-- {esc(p.claim()) if rng.random() < 0.3 else 'banner tijdelijk uit'} -->"]
        elif kind < 0.92:
            block = [f"<div class=\"card\"><div class=\"card-body\"><h3>{esc(p.pick('heading'))}</h3>"
                     f"<p>{html_inline(p, p.paragraph(rng.randint(1, 3)))}</p>"
                     f"<a class=\"btn btn-primary\" href=\"/{p.pick('section')}/\">{esc(p.pick('cta'))} &rarr;</a></div></div>"]
        else:
            qa = "".join(
                f"<details><summary>{esc(q)}</summary><p>{esc(a)}</p></details>"
                for q, a in zip(p.w["faq_q"], p.w["faq_a"]) if rng.random() < 0.6
            )
            block = [f"<section class=\"faq\">{qa}</section>"]
        parts.extend(block)
        size += sum(len(x) + 1 for x in block)
    parts += [
        "</main>",
        "<footer class=\"site\"><form action=\"/nieuwsbrief\" method=\"post\"><label for=\"email\">E-mail</label>"
        "<input id=\"email\" type=\"email\" name=\"email\" placeholder=\"naam@voorbeeld.nl\" required>"
        f"<button type=\"submit\">{esc(p.pick('cta'))}</button></form>"
        f"<p class=\"small\">&copy; 2026 Het Groene Huis &middot; KvK 12345678 &middot; {esc(p.pick('innocent'))}</p></footer>",
        "<script src=\"/js/site.min.js\" defer></script>",
        "</body>",
        "</html>",
    ]
    sep = "" if minify else "\n"
    return sep.join(parts) + "\n", p


# ------------------------------------------------------------------------------------------
# Corpus
# ------------------------------------------------------------------------------------------


def page_size(rng: random.Random, median: int, cap_bytes: int) -> int:
    return int(min(cap_bytes, max(600, rng.lognormvariate(0, 0.55) * median)))


def write(path: str, text: str) -> int:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


def stress_files(outdir: str, seed: int, mb: float) -> dict[str, int]:
    """A single paragraph of ``mb`` MB (Markdown) and a single line of 2×``mb`` MB (HTML)."""
    out = {}
    rng = random.Random(f"{seed}/stress/paragraph")
    p = Page(rng, "nl", 0.01)
    sents, size = [], 0
    while size < mb * 1e6:
        s = p.sentence()
        sents.append(s)
        size += len(s.encode("utf-8")) + 1
    out["stress/paragraph.md"] = write(os.path.join(outdir, "stress", "paragraph.md"), " ".join(sents) + "\n")
    rng = random.Random(f"{seed}/stress/line")
    text, _ = html_page(rng, "en", int(2 * mb * 1e6), claim_rate=0.01, minify=True)
    out["stress/line.html"] = write(os.path.join(outdir, "stress", "line.html"), text.replace("\n", " ").rstrip() + "\n")
    return out


def generate(outdir: str, pages: int = 2000, seed: int = 1, big: int | None = None, big_mb: float = 2.0,
             stress: bool = False, stress_mb: float = 5.0) -> dict:
    if big is None:
        big = 2 if pages >= 1000 else (1 if pages >= 50 else 0)
    summary: dict = {"generator": GENERATOR, "seed": seed, "pages": pages, "big": big, "big_mb": big_mb,
                     "formats": {}}
    for fmt in ("md", "html"):
        files = nbytes = claims = negated = 0
        langs = {"nl": 0, "en": 0}
        for i in range(pages):
            rng = random.Random(f"{seed}/{fmt}/{i}")
            lang = "nl" if rng.random() < 0.55 else "en"
            w = WORDS[lang]
            section, slug = rng.choice(w["section"]), rng.choice(w["slug"])
            rate = 0.04 if rng.random() < 0.35 else 0.0  # about a third of the pages overclaim
            if fmt == "md":
                text, p = md_page(rng, lang, page_size(rng, 5000, 32000), rate)
            else:
                text, p = html_page(rng, lang, page_size(rng, 10000, 45000), rate)
            nbytes += write(os.path.join(outdir, fmt, section, f"{slug}-{i:05d}.{fmt}"), text)
            files += 1
            claims += p.claims
            negated += p.negated
            langs[lang] += 1
        for k in range(big):
            rng = random.Random(f"{seed}/{fmt}/big/{k}")
            lang = "nl" if k % 2 == 0 else "en"
            target = int(big_mb * 1e6)
            if fmt == "md":
                text, p = md_page(rng, lang, target, claim_rate=0.01)
            else:
                text, p = html_page(rng, lang, target, claim_rate=0.01, minify=(k % 2 == 1))
            nbytes += write(os.path.join(outdir, fmt, "big", f"archive-{k:02d}.{fmt}"), text)
            files += 1
            claims += p.claims
            negated += p.negated
        summary["formats"][fmt] = {"files": files, "bytes": nbytes, "claims_planted": claims,
                                   "negated_planted": negated, "pages_by_lang": langs}
    if stress:
        summary["stress"] = stress_files(outdir, seed, stress_mb)
    with open(os.path.join(outdir, "corpus.json"), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2, sort_keys=True)
        fh.write("\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--pages", type=int, default=2000, help="ordinary pages per format (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--big", type=int, default=None, help="big pages per format (default 2 from 1000 pages on)")
    ap.add_argument("--big-mb", type=float, default=2.0, help="size of a big page in MB (default 2)")
    ap.add_argument("--stress", action="store_true", help="also write the single-paragraph and single-line files")
    ap.add_argument("--stress-mb", type=float, default=5.0,
                    help="size of the single paragraph in MB; the single line is twice as big (default 5)")
    ap.add_argument("--force", action="store_true", help="replace md/, html/ and stress/ in OUTDIR")
    a = ap.parse_args(argv)
    for sub in ("md", "html", "stress"):
        path = os.path.join(a.outdir, sub)
        if os.path.exists(path):
            if not a.force:
                print(f"{path} exists (use --force to replace it)", file=sys.stderr)
                return 2
            shutil.rmtree(path)
    s = generate(a.outdir, a.pages, a.seed, a.big, a.big_mb, a.stress, a.stress_mb)
    for fmt, f in s["formats"].items():
        print(f"{fmt}: {f['files']} files, {f['bytes'] / 1e6:.2f} MB, {f['claims_planted']} claims, "
              f"{f['negated_planted']} negated uses", file=sys.stderr)
    for name, n in s.get("stress", {}).items():
        print(f"{name}: {n / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
