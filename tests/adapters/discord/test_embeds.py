"""Discord rendering: golden files, every limit kept by splitting, no text lost, inert text."""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fakes.discord_world import message_problems
from helpers import replies as shared
from helpers.paths import GOLDEN_FILES
from helpers.replies import AFRICA_CORPS, END, JNIM, MALI, START
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.layout import (
    DESCRIPTION_LIMIT,
    Draft,
    EmbedPayload,
    chunks,
    embed_chars,
    escape,
    fit,
    link,
    pack,
)
from adapters.discord.render import (
    SHARE,
    Outgoing,
    attach,
    components,
    custom_id,
    message_payload,
    render,
    with_share,
)
from briefings.chat.commands import HELP
from briefings.service.replies import (
    ActorProfile,
    ActorRef,
    Button,
    Digest,
    DigestItem,
    Help,
    Notice,
    Relation,
    Reply,
    SourceLink,
)

GOLDEN_DIR = GOLDEN_FILES / "discord"
HOSTILE = "@everyone @here <@123> <@&456> **bold** _it_ `code` [click](https://evil.test) > quote"
SOURCE = SourceLink(
    "Pro-Russian regime in Mali begins to collapse",
    "https://news.example/mali-collapse",
    "Sahel Monitor",
    date(2026, 4, 27),
)
SIEGE = replace(shared.SIEGE, text="The rebels declared a total siege of Bamako.", source=SOURCE)
ALLEGED = replace(
    shared.ALLEGED,
    text="The Russian Ministry of Defence alleged that the offensive was Western-backed.",
    type="accuse",
    date=None,
    date_precision=None,
    actors=(ActorRef("russia-mod", "Russian Ministry of Defence", "government"),),
    location=None,
    source=SourceLink("A story without a usable link", "javascript:alert(1)"),
)


def item(n: int, tldr: str = "The junta lost control of the north.") -> DigestItem:
    return replace(
        shared.item(n, tldr),
        story_id=f"story-{n}",
        headline=f"Mali story {n}",
        key_points=("JNIM and the FLA launched an offensive.", "Africa Corps is withdrawing."),
        actors=(JNIM, AFRICA_CORPS, MALI),
        sources=(SOURCE, SourceLink("Wire copy", "https://wire.example/x", "Wire")),
    )


DIGEST = replace(
    shared.DIGEST,
    title="Sahel watch",
    items=(item(1), item(2)),
    buttons=(Button("Subscribe to JNIM", "subscribe", "jnim"),),
)
HOSTILE_DIGEST = shared.hostile_digest(HOSTILE, "https://evil.test/a_(b)", title="Digest")
PROFILE = replace(
    shared.PROFILE,
    aliases=("Wagner", "Wagner Group"),
    country="RU",
    timeline=(SIEGE, ALLEGED),
    related=(Relation(MALI, 3, "with"), Relation(JNIM, 2, "against")),
    sources=(SOURCE,),
    since=START,
)
GOLDEN: dict[str, Reply] = shared.GOLDEN | {  # the shared replies, told the Discord way
    "digest": DIGEST,
    "digest_hostile": HOSTILE_DIGEST,
    "profile": PROFILE,
    "profile_quiet": ActorProfile(AFRICA_CORPS, (), None, (), (), (), (), None),
    "events": replace(shared.EVENTS, entries=(SIEGE, ALLEGED)),
    "settings": replace(
        shared.SETTINGS,
        channel="123456789012345678",
        timezone="Europe/Berlin",
        next_run=datetime(2026, 4, 28, 5, 30, tzinfo=UTC),
    ),
    "help": Help(HELP),
    "notice_ok": Notice(
        "ok",
        "You will now hear about JNIM as soon as a new article names it.",
        buttons=(Button("Unsubscribe from JNIM", "unsubscribe", "jnim"),),
    ),
    "notice_did_you_mean": replace(
        shared.DID_YOU_MEAN,
        buttons=(Button("Africa Corps", "actor", "africa-corps"), Button("JNIM", "actor", "jnim")),
    ),
    "notice_refused": Notice(
        "refused", "Changing this channel's digest needs the Manage Channels permission."
    ),
}


def payloads(messages: list[Outgoing]) -> list[dict[str, Any]]:
    return [message_payload(m) for m in messages]


def problems(message: Outgoing) -> list[str]:
    return message_problems(message_payload(message) | {"allowed_mentions": {"parse": []}})


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(name: str) -> None:
    rendered = payloads(with_share(render(GOLDEN[name])))
    path = GOLDEN_DIR / f"{name}.json"
    if os.environ.get("BRIEFBOT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rendered, indent=1, ensure_ascii=False) + "\n")
    assert rendered == json.loads(path.read_text())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_golden_message_is_within_discord_limits(name: str) -> None:
    for message in with_share(render(GOLDEN[name])):
        assert problems(message) == []


def test_article_text_is_inert_markdown_and_links_are_safe() -> None:
    out = json.dumps(payloads(render(HOSTILE_DIGEST)), ensure_ascii=False)
    assert "\\\\<@123\\\\>" in out  # shown as typed, not as a mention
    assert "\\\\*\\\\*bold\\\\*\\\\*" in out
    assert "\\\\[click\\\\](https://evil.test)" in out
    assert "(https://evil.test/a_%28b%29)" in out
    assert "javascript:" not in json.dumps(payloads(render(GOLDEN["events"])))


def test_escape_and_link() -> None:
    assert escape("a*b_c `d` <@1> ~x~ |s|") == "a\\*b\\_c \\`d\\` \\<@1\\> \\~x\\~ \\|s\\|"
    assert escape("# head\n> quote\n- item") == "\\# head\n\\> quote\n\\- item"
    assert link("Story", "https://a.example/x") == "[Story](https://a.example/x)"
    assert link("Story", "ftp://a.example/x") == "Story"
    assert link("Story", None) == "Story"


def _squash(text: str) -> str:
    return "".join(text.split())


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=5000), st.integers(20, 300))
@settings(max_examples=200, deadline=None)
def test_chunks_keep_every_character_and_the_limit(text: str, limit: int) -> None:
    pieces = chunks(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert _squash("".join(pieces)) == _squash(text)


def test_chunks_prefer_line_then_word_boundaries() -> None:
    text = "first line\n" + "word " * 30
    pieces = chunks(text, 40)
    assert pieces[0] == "first line"
    assert all(not p.startswith(" ") and not p.endswith(" ") for p in pieces)
    assert chunks("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def _texts(embeds: list[EmbedPayload]) -> str:
    out = []
    for e in embeds:
        out.append(e.get("description", ""))
        out += [f["value"] for f in e.get("fields", [])]
    return "".join(out)


def test_long_description_and_fields_continue_in_further_embeds() -> None:
    body = "\n".join(f"line {i} " + "lorem ipsum " * 20 for i in range(120))
    draft = Draft(title="T" * 300, description=body, color=1, footer="footer")
    for i in range(40):
        draft.add_field(f"field {i}", "value " * (50 + 5 * i))
    embeds = fit(draft)
    assert len(embeds) > 3
    assert embeds[0]["title"].endswith("…") and len(embeds[0]["title"]) == 256
    assert embeds[0]["description"].startswith("**" + "T" * 300 + "**")
    assert "title" not in embeds[1]
    assert embeds[-1]["footer"] == {"text": "footer"}
    for embed in embeds:
        assert len(embed.get("description", "")) <= DESCRIPTION_LIMIT
        assert len(embed.get("fields", [])) <= 25
        assert embed_chars(embed) <= 6000
    assert _squash(_texts(embeds)).startswith(_squash("**" + "T" * 300 + "**" + body))
    names = [f["name"] for e in embeds for f in e.get("fields", [])]
    assert names.count("field 39") == 1
    assert "field 39 (continued)" in names


def test_pack_keeps_order_and_both_message_limits() -> None:
    embeds: list[EmbedPayload] = [{"description": "x" * (100 + 50 * i)} for i in range(60)]
    messages = pack(embeds)
    assert [e for m in messages for e in m] == embeds
    for message in messages:
        assert len(message) <= 10
        assert sum(embed_chars(e) for e in message) <= 6000


@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=400),
            st.text(max_size=3000),
            st.lists(st.text(max_size=1500), max_size=6),
        ),
        min_size=0,
        max_size=30,
    )
)
@settings(max_examples=60, deadline=None)
def test_any_digest_renders_within_limits_without_losing_text(
    stories: list[tuple[str, str, list[str]]],
) -> None:
    items = tuple(
        DigestItem(f"s{i}", headline, tldr, tuple(points), (JNIM,), (SOURCE,), 1, None)
        for i, (headline, tldr, points) in enumerate(stories)
    )
    digest = Digest("Sahel watch", START, END, items, buttons=DIGEST.buttons)
    messages = with_share(render(digest))
    for message in messages:
        assert problems(message) == []
    out = _squash(json.dumps(payloads(messages), ensure_ascii=False))
    for _, tldr, points in stories:
        for text in (tldr, *points):
            for word in escape(text).split():
                assert _squash(json.dumps(word, ensure_ascii=False)[1:-1]) in out
    assert messages[-1].buttons[0] == DIGEST.buttons[0]


def test_a_big_digest_splits_across_messages() -> None:
    digest = Digest("Sahel watch", START, END, tuple(item(i, "word " * 600) for i in range(25)))
    messages = render(digest)
    assert len(messages) > 3
    headlines = [e.get("title") for m in messages for e in m.embeds]
    assert [h for h in headlines if h and h.startswith("Mali story")] == [
        f"Mali story {i}" for i in range(25)
    ]


def test_buttons_beyond_25_continue_in_button_only_messages() -> None:
    buttons = [Button(f"Subscribe to actor {i}", "subscribe", f"a{i}") for i in range(30)]
    out = attach([Outgoing(({"title": "x"},))], buttons)
    assert [len(m.buttons) for m in out] == [25, 5]
    assert out[1].content and out[1].embeds == ()
    assert all(problems(m) == [] for m in out)
    assert len(with_share(out)[0].buttons) == 25  # no room: left as is
    assert with_share(out)[1].buttons[-1] == SHARE


def test_a_button_whose_custom_id_would_be_too_long_is_left_out_loudly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    long = Button("Subscribe", "subscribe", "x" * 120)
    good = Button("Subscribe to JNIM", "subscribe", "jnim")
    with caplog.at_level(logging.WARNING):
        out = render(Notice("ok", "done", buttons=(long, good)))
    assert out[-1].buttons == (good,)
    assert "too long" in caplog.text


def test_components_lay_out_five_buttons_a_row_with_stable_ids() -> None:
    buttons = [Button(f"B{i}", "actor", f"id{i}") for i in range(7)]
    rows = components(buttons)
    assert [len(r["components"]) for r in rows] == [5, 2]
    assert rows[0]["components"][0]["custom_id"] == "briefbot:actor:id0"
    assert custom_id(SHARE) == "briefbot:share:"
    label = components([Button("L" * 100, "actor", "x")])[0]["components"][0]["label"]
    assert len(label) == 80 and label.endswith("…")


def test_timestamps_render_in_each_readers_time_zone() -> None:
    header = render(DIGEST)[0].embeds[0]
    stamps = re.findall(r"<t:(\d+):f>", header.get("description", ""))
    assert [int(s) for s in stamps] == [int(START.timestamp()), int(END.timestamp())]
