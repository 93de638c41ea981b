"""Markdown, HTML, RSS/Atom and JSON parsing, and format detection."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.paths import ARTICLES

from briefings.errors import ParseError
from briefings.formats import detect_format, parse, parse_feed, parse_json_many

FIXTURES = ARTICLES


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "kind", "title", "dek", "published", "url"),
    [
        (
            "drc_goma.md",
            "md",
            "M23 rebels enter Goma as Congolese army withdraws",
            "Rwanda-backed fighters",
            date(2026, 1, 27),
            "https://briefs.example.net/drc/goma",
        ),
        (
            "sudan_el_fasher.html",
            "html",
            "Paramilitary RSF tightens siege of El Fasher",
            "Aid groups warn",
            date(2026, 4, 21),
            "https://monitor.example.org/2026/04/rsf-el-fasher-siege",
        ),
        (
            "haiti_mission.json",
            "json",
            "Kenyan-led mission expands patrols in Port-au-Prince",
            "",
            date(2026, 3, 14),
            "https://briefs.example.net/haiti/mss-patrols",
        ),
    ],
)
def test_a_fixture_gives_its_format_title_dek_date_and_url(
    name: str, kind: str, title: str, dek: str, published: date, url: str
) -> None:
    article = parse(read(name), source=name)
    assert (article.format, article.title, article.published, article.url) == (
        kind,
        title,
        published,
        url,
    )
    assert article.subtitle is not None and article.subtitle.startswith(dek)


def test_markdown_article() -> None:
    article = parse(read("drc_goma.md"), source="drc_goma.md")
    assert [s.label for s in article.sections] == [
        "Driving the news",
        "Background: Earlier offensives",
    ]
    news, background = article.sections
    assert news.paragraphs[0].startswith("Fighters of the M23 movement entered Goma")
    assert "residents told local radio." in news.paragraphs[0]
    assert "**" not in article.text and "](" not in article.text
    assert news.bullets == (
        "The UN peacekeeping mission MONUSCO said its bases were sheltering civilians.",
        "Kenya's president called an emergency summit of East African leaders.",
        "Rwanda's government said it would attend.",
    )
    assert background.bullets == (
        "2012: M23 takes Goma for ten days.",
        "2021: the group resumes its insurgency.",
    )
    assert "code block" not in article.text


def test_markdown_bold_labels_and_line_breaks() -> None:
    text = (
        "# Talks resume in Doha\n\n"
        "**Driving the news:** Delegations met on Sunday.\n"
        "They agreed to meet again.\n\n"
        "**Why it matters:** A truce could follow.\n"
    )
    article = parse(text)
    assert [s.label for s in article.sections] == ["Driving the news", "Why it matters"]
    assert article.sections[0].paragraphs == (
        "Delegations met on Sunday. They agreed to meet again.",
    )


def test_html_article_keeps_structure_and_drops_boilerplate() -> None:
    article = parse(read("sudan_el_fasher.html"), source="sudan_el_fasher.html")
    assert [s.label for s in article.sections] == [None, "Why it matters", "What they're saying"]
    assert article.sections[0].paragraphs[0].startswith("The Rapid Support Forces (RSF) on Monday")
    assert len(article.sections[1].bullets) == 2
    for leaked in (
        "dataLayer",
        "font-family",
        "Subscribe now",
        "JSON-LD",
        "Newsletter sign-up",
        "Middle East",
        "Sign up",
        "All rights reserved",
        "Ten things to know",
        "By Amina Yusuf",
        "Get the daily briefing",
    ):
        assert leaked not in article.text, leaked


def test_html_small_page_uses_the_walker() -> None:
    html = (
        "<html><head><title>Army retakes town - Example News</title>"
        "<style>p{color:red}</style></head><body><nav>Home World</nav>"
        "<h1>Army retakes town</h1><p>The army said it retook the town.</p>"
        "<script>var secret = 1;</script>"
        "<h2>Reaction</h2><ul><li>Residents <b>cheered</b><ul><li>Some fled</li></ul></li></ul>"
        "</body></html>"
    )
    article = parse(html)
    assert article.title == "Army retakes town"
    assert [s.label for s in article.sections] == [None, "Reaction"]
    assert article.sections[1].bullets == ("Residents cheered", "Some fled")
    for leaked in ("secret", "color", "Home World"):
        assert leaked not in article.text


def test_html_title_from_title_tag_without_site_suffix() -> None:
    html = (
        "<html><head><title>Truce signed in Juba | Example News</title></head>"
        "<body><p>The truce was signed on Friday in Juba.</p></body></html>"
    )
    article = parse(html)
    assert article.title == "Truce signed in Juba"
    assert article.sections[0].paragraphs == ("The truce was signed on Friday in Juba.",)


def test_rss_feed_entries() -> None:
    articles = parse_feed(read("sahel_feed.rss"), source="sahel_feed.rss")
    assert [a.title for a in articles] == [
        "Burkina Faso junta dissolves electoral commission",
        "Niger reopens border with Benin",
        "Café owners in Bamako count losses",
    ]
    first = articles[0]
    assert first.format == "feed"
    assert first.url == "https://sahelwatch.example.org/2026/04/burkina-electoral-commission"
    assert first.id == first.url
    assert first.published == date(2026, 4, 20)
    assert first.subtitle == (
        "The military government says elections are not a priority while the war continues."
    )
    assert [s.label for s in first.sections] == [None, "Context"]
    assert "Capt. Ibrahim Traoré" in first.sections[1].paragraphs[0]
    assert len(first.sections[1].bullets) == 2
    assert "alert" not in first.text
    assert articles[1].subtitle is None
    assert articles[1].sections[0].paragraphs[0].startswith("Niger reopened its border")


def test_parse_feed_format_returns_first_entry_with_a_note() -> None:
    article = parse(read("sahel_feed.rss"), format="feed")
    assert article.title == "Burkina Faso junta dissolves electoral commission"
    assert any("3 entries" in note for note in article.notes)


def test_atom_feed_entries() -> None:
    first, second = parse_feed(read("horn_feed.atom"))
    assert first.title == "Ethiopia and Eritrea trade accusations over Assab"
    assert first.published == date(2026, 4, 23)
    assert first.subtitle == "Addis Ababa's push for sea access raises fears of a new war."
    assert len(first.sections[0].paragraphs) == 2
    assert second.published == date(2026, 4, 22)
    assert [s.label for s in second.sections] == [None, "Background"]


def test_feed_without_entries_is_a_parse_error() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    with pytest.raises(ParseError, match="no entries"):
        parse(empty)
    with pytest.raises(ParseError, match="no entries"):
        parse_feed(b"just some text, not a feed")


def test_json_article() -> None:
    article = parse(read("haiti_mission.json"), source="haiti_mission.json")
    assert article.id == article.url
    assert [s.label for s in article.sections] == ["Details", "Context"]
    assert len(article.sections[0].bullets) == 2


def test_json_batch() -> None:
    first, second = parse_json_many(read("batch.json"))
    assert [s.label for s in first.sections] == [None, "Context"]
    assert second.published == date(2026, 2, 3)
    single = parse(read("batch.json"))
    assert single.title == first.title
    assert any("2 articles" in note for note in single.notes)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"title": "x", ', "broken at line 1"),
        ('{"subtitle": "no title"}', 'no "title"'),
        ('{"title": 5}', "must be a string"),
        ('{"title": "x", "published": "yesterday"}', "YYYY-MM-DD"),
        ('{"title": "x", "sections": {"label": "x"}}', "list of objects"),
        ('{"title": "x", "sections": [{"bullets": "one"}]}', "list of strings"),
        ("[]", "empty"),
        ("[1, 2]", "not an object"),
    ],
)
def test_json_errors_say_what_is_wrong(data: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(data, format="json")


def test_explicit_url_and_date_override_the_document() -> None:
    article = parse(
        read("haiti_mission.json"), url="https://x.example/1", published=date(2026, 1, 1)
    )
    assert article.url == "https://x.example/1"
    assert article.published == date(2026, 1, 1)


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        ('{"title": "x"}', None, "json"),
        ("[{}]", None, "json"),
        ('<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', None, "feed"),
        ('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', None, "feed"),
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", None, "html"),
        ("<p>One</p>\n<p>Two</p>\n<p>Three</p>", None, "html"),
        ("# Title\n\nBody text.", None, "md"),
        ("Title\n\n**Bold** and [a link](https://example.org).", None, "md"),
        ("Title\nBody.\n- a bullet\n- another", None, "text"),
        ("Title\nBody.", "notes.md", "md"),
        ("Title\nBody.", "page.HTML", "html"),
        ("Title\nBody.", "/feeds/wire.rss", "feed"),
        ("Title\nBody.", "story.txt", "text"),
    ],
)
def test_detect_format(text: str, source: str | None, expected: str) -> None:
    assert detect_format(text, source) == expected


def test_every_fixture_offsets_are_exact() -> None:
    from briefings.text.sentences import split_sentences

    for path in sorted(FIXTURES.iterdir()):
        if path.name.startswith("README"):
            continue
        article = parse(path.read_bytes(), source=path.name)
        for block in article.blocks:
            assert article.text[block.start : block.end] == block.text
        for sentence in split_sentences(article):
            assert article.text[sentence.start : sentence.end] == sentence.text


def test_html_meta_description_that_repeats_the_lede_is_not_a_dek() -> None:
    html = (
        "<html><head><meta name='description' content='Rebels shelled the port of Hodeidah "
        "on Sunday, officials said.'></head><body><article><h1>Port shelled</h1>"
        "<time datetime='2026-02-08T10:00'>8 February</time>"
        "<p>Rebels shelled the port of Hodeidah on Sunday, officials said. Two ships burned.</p>"
        "</article></body></html>"
    )
    article = parse(html)
    assert article.title == "Port shelled"
    assert article.subtitle is None
    assert article.published == date(2026, 2, 8)
    assert article.sections[0].paragraphs[0].startswith("Rebels shelled the port")


def test_markdown_without_a_heading_takes_a_short_first_paragraph_as_title() -> None:
    text = (
        "Truce agreed in Tripoli\n\nRival militias agreed a truce on **Friday**.\n\n"
        "- Talks continue\n"
    )
    article = parse(text, format="md")
    assert article.title == "Truce agreed in Tripoli"
    assert article.sections[0].paragraphs == ("Rival militias agreed a truce on Friday.",)
    assert article.sections[0].bullets == ("Talks continue",)


def test_a_markdown_table_is_left_out_not_read_as_a_paragraph() -> None:
    text = (
        "# Fixtures\n\nThe files below were written for the tests.\n\n"
        "| file | style |\n|---|---|\n| a.txt | wire story, attacked by nobody |\n\n"
        "The reference article comes first.\n"
    )
    article = parse(text.encode(), "md")
    assert [b.text for b in article.blocks if b.kind == "paragraph"] == [
        "The files below were written for the tests.",
        "The reference article comes first.",
    ]


@pytest.mark.parametrize(
    "dateline",
    [
        "SANAA, May 7 (Reuters) - ",
        "SANAA, May 7 (briefbot sample) - ",
        "BAMAKO, Mali (AP) — ",
        "PARIS, 7 May (AFP) - ",
        "BEIRUT/DUBAI (dpa) -- ",
        "KYIV, Ukraine, May 7 (UPI) -- ",
        "WASHINGTON — ",
    ],
)
@pytest.mark.parametrize("form", ["text", "md", "html"])
def test_wire_datelines_of_every_agency_style_are_dropped(dateline: str, form: str) -> None:
    lede = "The Houthis threatened on Thursday to resume attacks on ships in the Red Sea."
    if form == "html":
        data = f"<html><body><article><h1>Houthis warn</h1><p>{dateline}{lede}</p>"
        data += "<p>Insurers raised premiums for the route by a third.</p></article></body></html>"
    elif form == "md":
        data = f"# Houthis warn\n\n{dateline}{lede}\n\nInsurers raised premiums.\n"
    else:
        data = f"Houthis warn\n\n{dateline}{lede}\nInsurers raised premiums.\n"
    article = parse(data.encode(), form)
    first = next(b.text for b in article.blocks if b.kind == "paragraph")
    assert first == lede


def test_a_capitalised_name_and_a_dash_is_not_a_dateline() -> None:
    article = parse(b"Warning\n\nNATO allies - and Russia - met in Vienna on Monday.\n", "text")
    assert article.blocks[-1].text == "NATO allies - and Russia - met in Vienna on Monday."


def test_a_dateline_after_a_standfirst_is_dropped_too() -> None:
    data = (
        "Houthis threaten new attacks on Red Sea shipping\n"
        "Yemen's rebels warn tanker operators after a lull of several weeks.\n"
        "SANAA, May 7 (briefbot sample) - The Houthis threatened on Thursday to resume "
        "attacks on commercial ships in the Red Sea.\n"
        "Insurers raised premiums for the route by a third.\n"
    )
    texts = [b.text for b in parse(data.encode(), "text").blocks]
    assert (
        "The Houthis threatened on Thursday to resume attacks on commercial ships in the "
        "Red Sea." in texts
    )
    assert not any("SANAA" in t for t in texts)
