"""Properties: no input crashes the parsers, and sentence offsets always slice the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.errors import BriefingError
from briefings.formats import FORMATS, parse
from briefings.model import Article
from briefings.text.sentences import split_sentences

_PIECES = st.sampled_from(
    [
        "Details. ",
        "Context. ",
        "Why it matters: ",
        "Background\n",
        "► ",
        "• ",
        "- ",
        "1. ",
        "# ",
        "## ",
        "**",
        "*",
        "[link](https://x.org)",
        "<p>",
        "</p>",
        "<h2>",
        "<li>",
        "<script>x()</script>",
        '{"title": ',
        '"',
        "“",
        "”",
        "U.S. ",
        "Gen. ",
        "3.5 ",
        "al-Qaeda ",
        ". ",
        "? ",
        "! ",
        "…",
        ". . .",
        "\n",
        "\n\n",
        "\r\n",
        "\x00",
        "\ufeff",
        "\u200b",
        "\ud800",
        "<?xml version='1.0'?><rss><channel><item><title>",
        "</title></item></channel></rss>",
        "---\ntitle: x\n---\n",
        "The army advanced. ",
        "KHARTOUM (Wire) - ",
        "By Jane Doe\n",
        "April 27, 2026\n",
    ]
)
_DOCS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join),
)


def _check(article: Article) -> None:
    for block in article.blocks:
        assert article.text[block.start : block.end] == block.text
        assert "\n" not in block.text
    previous_end = -1
    for index, sentence in enumerate(split_sentences(article)):
        assert sentence.index == index
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end
        block = article.blocks[sentence.block]
        assert block.start <= sentence.start and sentence.end <= block.end
        assert sentence.kind == block.kind and sentence.section == block.section


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_DOCS, format=st.sampled_from(FORMATS))
def test_no_string_crashes_parse(text: str, format: str) -> None:
    try:
        article = parse(text, format=format)
    except BriefingError:
        return
    _check(article)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300), _DOCS.map(lambda s: s.encode("utf-8", "replace"))))
def test_no_bytes_crash_parse(data: bytes) -> None:
    try:
        article = parse(data)
    except BriefingError:
        return
    _check(article)
