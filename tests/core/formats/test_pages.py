"""Web pages of the shapes that lost text or titles before: each read whole, nothing leaking."""

from __future__ import annotations

from types import SimpleNamespace

import lxml.etree
import pytest

from briefings.formats import parse
from briefings.formats.pageblocks import document_blocks
from briefings.formats.pagemeta import is_dek_class, strip_site_name
from briefings.text.sentences import split_sentences

STORY = [
    "The regional council approved the new water plan on Tuesday after a six-hour debate.",
    "Farmers in the valley had asked for the plan since the drought of 2022 dried their wells.",
    "The plan sets aside 40 million euros for reservoirs and pipes over the next five years.",
    "Opposition members said the money would not reach the smallest villages in time.",
    "The council's president promised a first report on the works by the end of next year.",
    "Environmental groups welcomed the plan but asked for limits on new irrigation permits.",
]
NAV = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li></ul></nav>"
FOOTER = "<footer><p>Imprint · Privacy · © 2026 Valley Times</p></footer>"


STORY_HTML = "".join(f"<p>{s}</p>" for s in STORY)
STORY_ARTICLE = f"<article>{STORY_HTML}</article>"


def page(body: str, head: str = "<title>Water plan approved</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{NAV}{body}{FOOTER}</body></html>"


def body_text(html: str) -> str:
    article = parse(html, "html")
    return "\n".join(b.text for b in article.blocks)


def assert_story_kept(text: str) -> None:
    for sentence in STORY:
        assert sentence in text, sentence
    for furniture in ("Imprint", "Privacy", "Home\n"):
        assert furniture not in text


def test_text_in_divs_and_line_breaks_is_kept() -> None:
    lines = "<br>\n".join(STORY[:3]) + "<br><br>\n" + "<br>\n".join(STORY[3:])
    html = page(
        f"<div id='content'><h1>Water plan approved</h1><div class='text'>{lines}</div></div>"
    )
    article = parse(html)
    assert article.title == "Water plan approved"
    assert_story_kept("\n".join(b.text for b in article.blocks))


def test_loose_text_after_the_h1_is_kept() -> None:
    html = page(
        "<div class='post'><h1>Water plan approved</h1>"
        + " ".join(STORY[:2])
        + "<p>"
        + " ".join(STORY[2:4])
        + "</p>"
        + " ".join(STORY[4:])
        + "</div>"
    )
    assert_story_kept(body_text(html))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "<header id='page-header'><div class='logo'>Valley Times</div><article>",
            "</article></header>",
            id="inside a header element",
        ),
        pytest.param(
            "<div id='app'></div><noscript><article>",
            "</article></noscript>",
            id="in noscript",
        ),
        pytest.param(
            "<article class='teaser'><a href='/x'>Read more</a></article><div class='story'>",
            "</div>",
            id="after an empty first article",
        ),
    ],
)
def test_a_story_in_an_unusual_wrapper_is_kept(before: str, after: str) -> None:
    html = page(before + "<h1>Water plan approved</h1>" + STORY_HTML + after)
    assert_story_kept(body_text(html))


def test_a_page_wide_form_is_not_dropped() -> None:
    html = page(
        "<form id='mainform' method='post' action='./story.aspx'>"
        "<input type='hidden' name='__VIEWSTATE' value='dDwtMTA4MzE0MjEwNTs7Pg=='>"
        "<div id='main'><h1>Water plan approved</h1>"
        + STORY_HTML
        + "<button>Subscribe</button></div></form>"
    )
    text = body_text(html)
    assert_story_kept(text)
    assert "VIEWSTATE" not in text and "dDwt" not in text and "Subscribe" not in text


def test_tables_are_kept_as_text() -> None:
    html = page(
        "<article><h1>Water plan approved</h1>"
        + STORY_HTML
        + "<table><tr><th>Item</th><th>Million euros</th></tr>"
        "<tr><td>Reservoirs</td><td>28</td></tr><tr><td>Pipes</td><td>12</td></tr></table>"
        "</article>"
    )
    article = parse(html)
    paragraphs = [p for s in article.sections for p in s.paragraphs]
    assert "Item | Million euros" in paragraphs
    assert "Reservoirs | 28" in paragraphs and "Pipes | 12" in paragraphs


def test_a_furniture_h1_is_not_the_title() -> None:
    html = page(
        "<div class='menu'><h1>Menu</h1></div><article><h2>Water plan approved</h2>"
        + STORY_HTML
        + "</article>",
        head="<title>Water plan approved | Valley Times</title>",
    )
    article = parse(html, url="https://valleytimes.example/water")
    assert article.title == "Water plan approved"


@pytest.mark.parametrize(
    ("head", "url", "field", "expected"),
    [
        pytest.param(
            "<title>Water plan approved - Valley Times Blog</title>"
            "<meta property='og:title' content='Water plan approved - Valley Times Blog'>"
            "<meta property='og:site_name' content='Valley Times Blog'>",
            None,
            "title",
            "Water plan approved",
            id="site suffixes come off og titles",
        ),
        pytest.param(
            "<meta property='og:title' "
            "content='Kredit ohne Schufa: was Sie wissen müssen | SMAVA'>",
            "https://www.smava.de/kredit/ohne-schufa/",
            "title",
            "Kredit ohne Schufa: was Sie wissen müssen",
            id="a site name the host agrees on comes off",
        ),
        pytest.param(
            "<title>Water plan approved</title>"
            "<meta name='description' content='Der Rat hat den Plan f&amp;uuml;r "
            "&amp;nbsp;Wasser beschlossen &lt;p&gt;nach langer Debatte&lt;/p&gt;'>",
            None,
            "subtitle",
            "Der Rat hat den Plan für Wasser beschlossen nach langer Debatte",
            id="entities and markup in meta descriptions are decoded",
        ),
    ],
)
def test_what_the_head_says_of_the_story(
    head: str, url: str | None, field: str, expected: str
) -> None:
    article = parse(page(STORY_ARTICLE, head=head), url=url)
    assert getattr(article, field) == expected


def test_site_first_titles_keep_the_article_half() -> None:
    assert (
        strip_site_name("Valley Times | Water plan approved", ["Valley Times"], None)
        == "Water plan approved"
    )
    assert (
        strip_site_name("Valley Times — Water plan approved", [], "https://valleytimes.com/x")
        == "Water plan approved"
    )
    # A dash inside the headline is no site name.
    assert strip_site_name("Trump - Biden debate: the takeaways", [], None) == (
        "Trump - Biden debate: the takeaways"
    )


def test_drupal_summary_classes_are_not_deks() -> None:
    html = page(
        "<article><h1>Water plan approved</h1>"
        "<div class='field field--name-body field--type-text-with-summary'>"
        + STORY_HTML
        + "</div></article>"
        "<div class='clearfix text-formatted field--type-text-with-summary'>"
        "Valley Times is published by the Valley Media cooperative since 1921.</div>"
    )
    article = parse(html)
    assert article.subtitle is None or "cooperative" not in article.subtitle
    assert not is_dek_class("field field--name-body field--type-text-with-summary")
    assert is_dek_class("c-article__dek") and is_dek_class("story-summary")
    assert is_dek_class("standfirst") and not is_dek_class("summary-widget-footer")


def test_the_title_is_sentence_zero_for_every_page() -> None:
    untitled = "<html><body><div>" + " ".join(STORY) + "</div></body></html>"
    for html in (
        untitled,
        page(STORY_ARTICLE),
    ):
        article = parse(html, "html")
        sentences = split_sentences(article)
        assert sentences[0].kind == "title"
        assert sentences[0].text == article.title


def test_soft_hyphens_do_not_split_words() -> None:
    hyphenated = [
        s.replace("council", "coun\u00adcil").replace("reservoirs", "re\u00adser\u00advoirs")
        for s in STORY
    ]
    html = page(
        "<article><h1>Water plan approved</h1>"
        + "".join(f"<p>{s}</p>" for s in hyphenated)
        + "</article>"
    )
    text = body_text(html)
    assert "\u00ad" not in text
    assert_story_kept(text)


def test_a_list_inside_a_trafilatura_paragraph_keeps_its_items() -> None:
    body = lxml.etree.fromstring(
        "<body><p>Farmers can watch:<list rend='ul'><item>milk yield,</item>"
        "<item>rumination and dung.</item></list><lb/>Monthly milk tests help too.</p>"
        "<table><row><cell role='head'>Item</cell><cell>Cost</cell></row></table></body>"
    )
    blocks = document_blocks(SimpleNamespace(body=body))
    assert blocks == [
        ("p", "Farmers can watch:"),
        ("li", "milk yield,"),
        ("li", "rumination and dung."),
        ("p", "\nMonthly milk tests help too."),
        ("p", "Item | Cost"),
    ]
