"""The Slack adapter end to end: real slack-bolt app, real command layer, fake Slack.

Every command, the buttons, a digest post and a DM, over HTTP and over Socket Mode.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes.slack import Posted
from fakes.slack_world import SlackWorld, running_world


@pytest.fixture(params=["http", "socket"])
async def world(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> AsyncIterator[SlackWorld]:
    async with running_world(sqlite_template, tmp_path, request.param) as started:
        yield started
    assert started.fake.rejected == []


def text_of(messages: list[Posted]) -> str:
    return "\n".join(m.all_text() for m in messages)


def buttons(message: Posted) -> dict[str, str]:
    """action_id → value of every button in a message."""
    out = {}
    for block in message.blocks:
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                out[element["action_id"]] = element["value"]
    return out


def action(message: Posted, kind: str) -> tuple[str, str]:
    return next((a, v) for a, v in buttons(message).items() if a.startswith(f"briefbot:{kind}:"))


async def test_brief_answers_in_the_ack_ephemerally_with_a_share_button(world: SlackWorld) -> None:
    replies = await world.ask("/brief", "7d")
    first = replies[0]
    assert first.via == "ack"
    assert first.raw["response_type"] == "ephemeral"
    assert "Mali's junta faces collapse" in first.all_text()
    assert action(first, "share")[1] == "brief 7d"
    assert first.text


async def test_actor_profile_resolves_a_former_name(world: SlackWorld) -> None:
    (reply,) = await world.ask("/actor", "wagner")
    assert reply.blocks[0]["type"] == "header"
    assert reply.blocks[0]["text"]["text"] == "Africa Corps"
    assert "Timeline" in reply.all_text()
    assert action(reply, "subscribe")[1] == "africa-corps"


async def test_unknown_actor_offers_did_you_mean_buttons_that_work(world: SlackWorld) -> None:
    (reply,) = await world.ask("/actor", "Corps")
    assert "Did you mean" in reply.all_text()
    action_id, value = action(reply, "actor")
    assert value == "africa-corps"
    (profile,) = await world.press(action_id, value)
    assert profile.via == "response_url"
    assert profile.blocks[0]["text"]["text"] == "Africa Corps"


async def test_nonsense_gets_no_suggestions(world: SlackWorld) -> None:
    (reply,) = await world.ask("/actor", "xyzzy")
    assert "Did you mean" not in reply.all_text()
    assert "xyzzy" in reply.all_text()


async def test_event_search_lists_dated_events(world: SlackWorld) -> None:
    (reply,) = await world.ask("/event", "siege")
    text = reply.all_text()
    assert "Events: siege" in text
    assert "siege of Bamako" in text


async def test_subscribe_list_and_unsubscribe(world: SlackWorld) -> None:
    (done,) = await world.ask("/subscribe", "JNIM daily")
    assert "JNIM" in done.all_text()
    assert "daily" in done.all_text()
    (listing,) = await world.ask("/subscriptions")
    assert "JNIM" in listing.all_text()
    assert action(listing, "unsubscribe")[1] == "jnim"
    (gone,) = await world.ask("/unsubscribe", "JNIM")
    assert "no longer follow JNIM" in gone.all_text()
    (empty,) = await world.ask("/subscriptions")
    assert "No subscriptions yet" in empty.all_text()


async def test_the_subscribe_button_subscribes_the_presser(world: SlackWorld) -> None:
    (brief,) = await world.ask("/brief", "7d")
    action_id, value = next(
        (a, v) for a, v in buttons(brief).items() if a.startswith("briefbot:subscribe:")
    )
    (confirm,) = await world.press(action_id, value, user="U0BOSS")
    assert confirm.raw["response_type"] == "ephemeral"
    assert confirm.raw["replace_original"] is False
    assert "will now hear about" in confirm.all_text()
    (listing,) = await world.ask("/subscriptions", user="U0BOSS")
    assert "No subscriptions yet" not in listing.all_text()
    (other,) = await world.ask("/subscriptions", user="U0ALICE")
    assert "No subscriptions yet" in other.all_text()


async def test_share_posts_the_answer_in_the_channel(world: SlackWorld) -> None:
    (profile,) = await world.ask("/actor", "JNIM")
    action_id, value = action(profile, "share")
    (shared,) = await world.press(action_id, value)
    assert shared.raw["response_type"] == "in_channel"
    assert shared.blocks[0]["text"]["text"] == "JNIM"
    assert "briefbot:share:" not in json.dumps(shared.blocks)


async def test_help_lists_every_command(world: SlackWorld) -> None:
    (reply,) = await world.ask("/help")
    text = reply.all_text()
    for name in ("brief", "actor", "event", "subscribe", "unsubscribe", "subscriptions", "digest"):
        assert f"/{name}" in text


async def test_digest_shows_then_changes_for_an_admin(world: SlackWorld) -> None:
    (shown,) = await world.ask("/digest")
    assert "Digest settings" in shown.all_text()
    (changed,) = await world.ask("/digest", "weekdays 07:30 America/New_York", user="U0BOSS")
    assert "weekdays at 07:30 America/New_York" in changed.all_text()
    assert world.control.changed[-1].days == "mon-fri"
    (actors,) = await world.ask("/digest", "actors JNIM, Africa Corps", user="U0CONF")
    assert "JNIM includes Katiba Macina" in actors.all_text()  # the family rule
    assert world.control.changed[-1].actors == ("jnim", "katiba-macina", "africa-corps")
    (only,) = await world.ask("/digest", "actors JNIM only, Africa Corps", user="U0CONF")
    assert "Changed the actors stories must involve to JNIM, Africa Corps" in only.all_text()
    assert world.control.changed[-1].actors == ("jnim", "africa-corps")
    (off,) = await world.ask("/digest", "off", user="U0CONF")
    assert "off" in off.all_text()
    assert world.control.changed[-1].enabled is False
    assert len(world.fake.calls_of("users.info")) == 1


async def test_digest_is_refused_to_a_member_with_the_reason(world: SlackWorld) -> None:
    (refused,) = await world.ask("/digest", "08:00 Europe/Berlin")
    assert "workspace admin" in refused.all_text()
    assert world.control.changed == []
    assert "briefbot:share:" not in json.dumps(refused.blocks)


async def test_digest_checks_the_bot_can_post_first(world: SlackWorld) -> None:
    (refused,) = await world.ask("/digest", "08:00 Europe/Berlin", user="U0BOSS", channel="C0QUIET")
    assert "invite it" in refused.all_text()
    (archived,) = await world.ask("/digest", "08:00", user="U0BOSS", channel="C0OLD")
    assert "archived" in archived.all_text()
    assert world.control.changed == []


async def test_digest_now_posts_the_channel_digest(world: SlackWorld) -> None:
    await world.ask("/digest", "08:00 Europe/Berlin", user="U0BOSS")
    (ok,) = await world.ask("/digest", "now", user="U0BOSS")
    assert "Posting" in ok.all_text()
    (post,) = world.fake.posted("C0NEWS", via="chat.postMessage")
    assert "Mali's junta faces collapse" in post.all_text()
    assert post.raw["metadata"]["event_payload"]["key"] == "now:C0NEWS"


async def test_no_article_text_can_mention_anyone(world: SlackWorld) -> None:
    replies = await world.ask("/brief", "7d")
    await world.ask("/event", "siege")
    await world.ask("/digest", "08:00", user="U0BOSS")
    await world.ask("/digest", "now", user="U0BOSS")
    everything = text_of(world.fake.messages)
    assert "JNIM siege tightens" in text_of(replies)
    assert "&lt;!channel&gt;" in everything
    for form in ("<!channel>", "<!here>", "<!everyone>", "<@U0ALICE>", "<#C0NEWS>"):
        assert form not in everything
    assert world.fake.rejected == []
    posted = world.fake.posted("C0NEWS", via="chat.postMessage")
    assert posted and all("link_names" not in p.raw for p in posted)


async def test_commands_take_the_configured_prefix(sqlite_template: Path, tmp_path: Path) -> None:
    async with running_world(sqlite_template, tmp_path, "http", command_prefix="bb-") as world:
        (reply,) = await world.ask("/bb-help")
        assert "/bb-brief" in reply.all_text()
        assert action((await world.ask("/bb-actor", "JNIM"))[0], "share")[1] == "actor JNIM"


async def test_in_channel_answers_when_ephemeral_is_off(
    sqlite_template: Path, tmp_path: Path
) -> None:
    async with running_world(sqlite_template, tmp_path, "socket", ephemeral=False) as world:
        (reply,) = await world.ask("/actor", "JNIM")
        assert reply.raw["response_type"] == "in_channel"
        assert not any(a.startswith("briefbot:share:") for a in buttons(reply))


async def test_only_read_only_answers_can_be_shared(world: SlackWorld) -> None:
    (subscribed,) = await world.ask("/subscribe", "JNIM")
    assert "briefbot:share:" not in json.dumps(subscribed.blocks)
    (changed,) = await world.ask("/digest", "08:00", user="U0BOSS")
    assert "briefbot:share:" not in json.dumps(changed.blocks)
    (shown,) = await world.ask("/digest")
    assert action(shown, "share")[1] == "digest"


async def test_a_share_button_cannot_run_a_command_that_changes_things(world: SlackWorld) -> None:
    await world.ask("/digest", "08:00", user="U0BOSS")
    before = len(world.fake.messages)
    exchange = await world.fake.click("briefbot:share:0", "digest now", user="U0BOSS")
    await world.fake.wait_for(lambda: world.adapter.pending == 0)
    assert world.fake.replies_to(exchange.response_url) == []
    assert len(world.fake.messages) == before
    assert world.fake.posted("C0NEWS", via="chat.postMessage") == []
