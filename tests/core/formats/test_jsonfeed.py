"""JSON Feed 1.0/1.1 by content, feed entries without titles, and plain-text summaries."""

from __future__ import annotations

import json
from datetime import date

import pytest

from briefings.analysis.pipeline import Analyzer
from briefings.errors import ParseError
from briefings.formats import detect_format, parse, parse_feed, parse_json_many
from briefings.service.ingest import read_articles
from briefings.text.sentences import split_sentences


def json_feed(version: str = "1.1", **extra: object) -> bytes:
    feed = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": "Sahel Monitor",
        "home_page_url": "https://sahel.example.org/",
        "items": [
            {
                "id": "2026-04-27-mali",
                "url": "https://sahel.example.org/mali-junta",
                "title": "Junta under pressure in Bamako",
                "summary": "Rebels and jihadists press the capital from two sides.",
                "content_html": (
                    "<p>On April 25, JNIM fighters attacked checkpoints near Bamako.</p>"
                    "<h2>Details</h2><ul><li>Two bases were overrun.</li>"
                    "<li>The defence minister was killed.</li></ul>"
                ),
                "date_published": "2026-04-27T08:30:00+00:00",
            },
            {
                "id": 42,
                "external_url": "https://other.example.com/niger",
                "title": "Niger closes border crossing",
                "content_text": (
                    "Niger closed the Gaya crossing on Sunday.\n\nTraders were stranded."
                ),
                "date_modified": "2026-04-26T17:00:00Z",
            },
            {
                "id": "untitled",
                "content_text": "Burkina Faso's army said it repelled an attack on Djibo. "
                "Twelve soldiers were wounded.",
            },
            {"id": "empty"},
            "not an object",
        ],
        **extra,
    }
    return json.dumps(feed).encode("utf-8")


@pytest.mark.parametrize("version", ["1", "1.1"])
def test_json_feed_items_become_articles(version: str) -> None:
    data = json_feed(version)
    assert detect_format(data.decode(), None) == "feed"
    articles = read_articles(data, source="sahel.json")
    assert [a.title for a in articles] == [
        "Junta under pressure in Bamako",
        "Niger closes border crossing",
        "Burkina Faso's army said it repelled an attack on Djibo.",
    ]
    mali, niger, untitled = articles
    assert mali.id == mali.url == "https://sahel.example.org/mali-junta"
    assert mali.published == date(2026, 4, 27)
    assert mali.subtitle == "Rebels and jihadists press the capital from two sides."
    assert mali.format == "feed"
    assert [s.label for s in mali.sections] == [None, "Details"]
    assert mali.sections[1].bullets == (
        "Two bases were overrun.",
        "The defence minister was killed.",
    )
    assert niger.url == "https://other.example.com/niger"
    assert niger.published == date(2026, 4, 26)
    assert niger.sections[0].paragraphs == (
        "Niger closed the Gaya crossing on Sunday.",
        "Traders were stranded.",
    )
    assert untitled.id == "untitled"
    assert untitled.sections[0].paragraphs == ("Twelve soldiers were wounded.",)


def test_json_feed_through_every_entry_point() -> None:
    data = json_feed()
    assert len(parse_feed(data)) == 3
    assert len(parse_json_many(data)) == 3
    first = parse(data)
    assert first.title == "Junta under pressure in Bamako"
    assert any("3 entries" in note for note in first.notes)
    assert parse(data, "json").title == first.title


def test_json_feed_without_items_is_a_clear_error() -> None:
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": []})
    with pytest.raises(ParseError, match="no items"):
        read_articles(data.encode())
    only_empty = json.dumps({"version": "https://jsonfeed.org/version/1", "items": [{"id": "a"}]})
    with pytest.raises(ParseError, match="title or any text"):
        parse_feed(only_empty)


def test_json_feed_html_goes_through_the_html_path() -> None:
    item = {
        "id": "x",
        "title": "Strike on Kharkiv",
        "content_html": "<script>alert('SCRIPT')</script><p>A missile hit the centre.</p>"
        "<table><tr><th>Killed</th><th>Wounded</th></tr><tr><td>4</td><td>17</td></tr></table>",
    }
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [item]}
    (article,) = read_articles(json.dumps(feed).encode())
    assert "SCRIPT" not in article.text
    assert article.sections[0].paragraphs == (
        "A missile hit the centre.",
        "Killed | Wounded",
        "4 | 17",
    )


def test_an_ordinary_json_article_is_still_json() -> None:
    data = json.dumps({"title": "Talks", "body": "The version is https://jsonfeed.org."})
    assert detect_format(data) == "json"


def test_every_feed_entry_keeps_the_title_contract() -> None:
    rss = (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>"
        "<item><description>Sudan's army retook the refinery at Jaili on Tuesday. "
        "The RSF denied it.</description><link>https://wire.example/1</link></item>"
        "</channel></rss>"
    )
    (article,) = parse_feed(rss)
    sentences = split_sentences(article)
    assert sentences[0].kind == "title"
    assert (
        sentences[0].text
        == article.title
        == ("Sudan's army retook the refinery at Jaili on Tuesday.")
    )
    assert [s.text for s in sentences[1:]] == ["The RSF denied it."]
    analysis = Analyzer().analyse(article)
    assert analysis.sentences[0].text == article.title


def test_a_plain_text_summary_is_not_read_as_markup() -> None:
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Code</title><entry><id>urn:1</id><title type='text'>Use &lt;b&gt; for bold"
        "</title><summary type='text'>Write &lt;b&gt;bold&lt;/b&gt; and &lt;i&gt;italic&lt;/i&gt;"
        " in the template.</summary><updated>2026-04-01T00:00:00Z</updated></entry></feed>"
    )
    (article,) = parse_feed(atom)
    assert article.title == "Use <b> for bold"
    assert "Write <b>bold</b> and <i>italic</i> in the template." in article.text
