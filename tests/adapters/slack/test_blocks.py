"""Block Kit rendering: golden files, Slack's limits by splitting, escaping of hostile text."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace

import pytest
from fakes.slack import message_problems
from helpers.paths import GOLDEN_FILES
from helpers.replies import (
    BIG_DIGEST,
    DID_YOU_MEAN,
    DIGEST,
    GOLDEN,
    HOSTILE,
    HOSTILE_DIGEST,
    PROFILE,
    SIEGE,
    item,
)
from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.kit import MAX_SECTION, Message, escape, link, split_text
from adapters.slack.render import RenderOptions, render
from briefings.service.replies import DigestSettingsView, EventList, Notice, Relation

GOLDEN_DIR = GOLDEN_FILES / "slack"
OPTIONS = RenderOptions(prefix="bb-", share="actor wagner", rerun="subscribe {} daily")


def as_json(messages: list[Message]) -> list[dict[str, object]]:
    return [m.payload() for m in messages]


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(name: str) -> None:
    rendered = as_json(render(GOLDEN[name], OPTIONS))
    path = GOLDEN_DIR / f"{name}.json"
    if os.environ.get("BRIEFBOT_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(rendered, indent=1, ensure_ascii=False) + "\n")
    assert rendered == json.loads(path.read_text())


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_golden_message_passes_the_fake(name: str) -> None:
    for message in render(GOLDEN[name], OPTIONS):
        assert message_problems(message.payload(), set()) == []
        assert message.text


def visible(messages: list[Message]) -> str:
    return json.dumps([m.payload() for m in messages], ensure_ascii=False)


def test_hostile_text_forms_no_mention_and_no_link() -> None:
    out = visible(render(HOSTILE_DIGEST, OPTIONS))
    assert "<!" not in out
    assert "<@" not in out
    assert "&lt;!channel&gt;" in out
    assert "&lt;@U123&gt;" in out
    assert "<https://evil.test" not in out
    assert "%3C!channel%3E%7Ca" in out


def test_escape_and_link() -> None:
    assert escape("a & <b> c") == "a &amp; &lt;b&gt; c"
    assert (
        link("T&C", "https://x.test/?a=1&b=<2>|3")
        == "<https://x.test/?a=1&amp;b=%3C2%3E%7C3|T&amp;C>"
    )
    assert link("x", "javascript:alert(1)") == "x"
    assert link("<b>", None) == "&lt;b&gt;"


def test_a_big_digest_is_split_into_messages_within_the_limits() -> None:
    messages = render(BIG_DIGEST, RenderOptions(share="brief 30d"))
    assert len(messages) > 1
    for number, message in enumerate(messages, start=1):
        assert len(message.blocks) <= 50
        assert message_problems(message.payload(), set()) == []
        if number > 1:
            assert f"(part {number} of {len(messages)})" in message.text
    text = visible(messages)
    for n in range(40):
        assert f"Story {n}: Mali" in text
    assert messages[-1].blocks[-1]["elements"][0]["action_id"].startswith("briefbot:share:")


def test_long_text_is_split_across_sections_not_cut() -> None:
    words = [f"w{i}" for i in range(3000)]
    long = " ".join(words) + "."
    digest = replace(DIGEST, items=(item(1, tldr=long),))
    messages = render(digest)
    sections = [b for m in messages for b in m.blocks if b["type"] == "section"]
    assert all(len(b["text"]["text"]) <= MAX_SECTION for b in sections)
    found = " ".join(b["text"]["text"] for b in sections).split()
    assert [w for w in found if re.fullmatch(r"w\d+\.?", w)] == [*words[:-1], words[-1] + "."]


def test_a_long_title_becomes_a_section_and_a_long_label_keeps_its_words() -> None:
    title = "T" * 200
    messages = render(replace(DIGEST, title=title))
    first = messages[0].blocks[0]
    assert first["type"] == "section"
    assert title in first["text"]["text"]
    long_name = "The Very Long Named Coalition " * 4
    profile = replace(
        PROFILE, buttons=(replace(PROFILE.buttons[0], label=f"Subscribe to {long_name}"),)
    )
    blocks = render(profile)[0].blocks
    holder = next(b for b in blocks if b.get("accessory"))
    assert long_name.strip() in holder["text"]["text"]
    assert holder["accessory"]["text"]["text"] == "Subscribe"


def test_more_than_ten_fields_go_to_another_section() -> None:
    view = DigestSettingsView("C1", True, "daily 08:00", "UTC", (), False)
    assert len(render(view)[0].blocks) >= 2
    related = tuple(Relation(replace(PROFILE.actor, name=f"A{i}"), i, "with") for i in range(300))
    messages = render(replace(PROFILE, related=related))
    for message in messages:
        assert message_problems(message.payload(), set()) == []
    assert "A299 (299)" in visible(messages)


def test_did_you_mean_buttons_run_the_command_with_the_suggestion() -> None:
    blocks = render(DID_YOU_MEAN, OPTIONS)[0].blocks
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    values = [b["value"] for b in buttons if b["action_id"].startswith("briefbot:run:")]
    assert values == ["subscribe Africa Corps daily", "subscribe JNIM daily"]


def test_action_ids_are_unique_within_a_message() -> None:
    for message in render(DIGEST, OPTIONS):
        ids = [
            e["action_id"]
            for b in message.blocks
            for e in [*(b.get("elements") or []), *([b["accessory"]] if "accessory" in b else [])]
            if "action_id" in e
        ]
        assert len(ids) == len(set(ids)) > 3


def test_event_rendering_marks_allegations_and_attribution() -> None:
    text = visible(
        render(EventList("x", None, (replace(SIEGE, modality="alleged", attribution="the MoD"),)))
    )
    assert "_alleged_" in text
    assert "according to the MoD" in text


def test_every_notice_kind_renders() -> None:
    for kind in ("ok", "info", "error", "refused", "not_found"):
        message = render(Notice(kind, HOSTILE))[0]  # type: ignore[arg-type]
        assert message_problems(message.payload(), set()) == []
        assert "&lt;!channel&gt;" in message.text


@given(st.text(alphabet=st.sampled_from(list("ab &<>.\n")), max_size=400), st.integers(20, 60))
def test_split_text_keeps_every_character_and_entity(raw: str, limit: int) -> None:
    text = escape(raw)
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join(text.split()) == "".join("".join(pieces).split())
    for piece in pieces:
        assert re.sub(r"&(amp|lt|gt);", "", piece).count("&") == 0 or "&" not in raw
