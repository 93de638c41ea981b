"""The fake Discord's interactions: slash commands, autocomplete and clicks sent over the gateway,
and the bot's callbacks, followups, edits and command sync over REST."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.discord_rest import Reply
from fakes.discord_world import (
    BOT_PERMISSIONS,
    FakeChannel,
    FakeGuild,
    FakeUser,
    snowflake,
)

INTERACTION_WINDOW = 3.0
_OPTION_TYPES = {3: str, 4: int, 5: bool, 10: float}
_NAME = re.compile(r"^[-_\w]{1,32}$")


@dataclass
class FakeInteraction:
    """An interaction the fake sent, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    sent_at: float = 0.0
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    answered_at: float | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def deferred(self) -> bool:
        return any(c["type"] in (5, 6) for c in self.callbacks)

    @property
    def choices(self) -> list[dict[str, Any]]:
        """The autocomplete choices the bot answered with (callback type 8)."""
        for c in self.callbacks:
            if c["type"] == 8:
                return list(c["data"]["choices"])
        return []

    async def wait(self, predicate: Callable[[FakeInteraction], bool], timeout: float = 5) -> None:
        """Wait (bounded) until ``predicate`` holds."""
        async with asyncio.timeout(timeout):
            while not predicate(self):
                self.changed.clear()
                await self.changed.wait()

    async def answer(self, count: int = 1, timeout: float = 5) -> list[dict[str, Any]]:
        """Wait for the answer's messages (or autocomplete choices); returns the messages."""
        if self.type == 4:
            await self.wait(lambda i: any(c["type"] == 8 for c in i.callbacks), timeout)
            return []
        await self.wait(lambda i: len(i.messages) >= count, timeout)
        return self.messages


class Interactions:
    """The interactions side of :class:`fakes.discord.FakeDiscord`. Its state is FakeDiscord's."""

    async def command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: FakeUser,
        channel: FakeChannel,
        focused: str | None = None,
    ) -> FakeInteraction:
        """Send a slash command (or, with ``focused``, an autocomplete request) as ``user``."""
        guild = channel.guild
        command = self._registered(name, guild)
        declared = {o["name"]: o for o in command.get("options", [])}
        given = options or {}
        wire = []
        for key, value in given.items():
            spec = declared.get(key)
            assert spec is not None, f"/{name} has no option {key!r}"
            kind = _OPTION_TYPES[spec["type"]]
            assert isinstance(value, kind), f"/{name} {key}: {value!r} is not {kind.__name__}"
            item = {"name": key, "type": spec["type"], "value": value}
            if key == focused:
                assert spec.get("autocomplete"), f"/{name} {key} has no autocomplete"
                item["focused"] = True
            wire.append(item)
        if focused is None:
            missing = [o for o in declared.values() if o.get("required") and o["name"] not in given]
            assert not missing, f"/{name}: required option missing: {missing}"
        data: dict[str, Any] = {"id": command["id"], "name": name, "type": 1, "options": wire}
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        kind = 4 if focused is not None else 2
        return await self._interact(kind, data, user=user, channel=channel)

    async def click(
        self, message: dict[str, Any], custom_id: str, *, user: FakeUser
    ) -> FakeInteraction:
        """Click a button of a message the bot sent."""
        ids = [b["custom_id"] for row in message.get("components", []) for b in row["components"]]
        assert custom_id in ids, f"no button {custom_id!r} on that message (has {ids})"
        channel = self.channels[int(message["channel_id"])]
        data = {"custom_id": custom_id, "component_type": 2}
        return await self._interact(3, data, user=user, channel=channel, message=message)

    def _registered(self, name: str, guild: FakeGuild | None) -> dict[str, Any]:
        scopes = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name:
                    return command
        raise AssertionError(f"/{name} was never synced")

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        user: FakeUser,
        channel: FakeChannel,
        message: dict[str, Any] | None = None,
    ) -> FakeInteraction:
        iid = snowflake()
        guild = channel.guild
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": kind,
            "token": f"itoken-{iid}",
            "version": 1,
            "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": str(channel.id),
            "channel": channel.payload(),
            "locale": "en-US",
            "entitlements": [],
            "data": data,
        }
        if guild is not None:
            member = guild.member_payload(user.id)
            member["permissions"] = str(guild.permissions(user.id, channel))
            payload |= {
                "guild_id": str(guild.id),
                "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                "guild_locale": "en-US",
                "member": member,
                "app_permissions": str(guild.permissions(self.bot.id, channel)),
                "context": 0,
                "authorizing_integration_owners": {"0": str(guild.id)},
            }
        else:
            payload |= {
                "user": user.payload(),
                "context": 1,
                "app_permissions": str(BOT_PERMISSIONS),
                "authorizing_integration_owners": {"0": str(user.id)},
            }
        if message is not None:
            payload["message"] = message
        interaction = FakeInteraction(iid, payload["token"], kind, payload)
        self.interactions[iid] = interaction
        session = self._session_for(guild)
        interaction.sent_at = time.perf_counter()
        await session.dispatch("INTERACTION_CREATE", payload)
        return interaction

    async def _sync(
        self, request: web.Request, body: Any, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        assert int(app_id) == self.application_id
        problems = [p for command in body for p in _command_problems(command)]
        if len(body) > 100:
            problems.append(f"{len(body)} commands (max 100)")
        if problems:
            self.violations += problems
            raise Reply(400, 50035, "Invalid Form Body", errors=problems)
        stored = []
        for command in body:
            item = command | {
                "id": str(snowflake()),
                "application_id": str(self.application_id),
                "version": str(snowflake()),
                "default_member_permissions": command.get("default_member_permissions"),
            }
            if guild_id:
                item["guild_id"] = guild_id
            stored.append(item)
        self.commands[int(guild_id) if guild_id else None] = stored
        return 200, stored

    async def _list_commands(
        self, request: web.Request, body: Any, app_id: str, guild_id: str | None = None
    ) -> tuple[int, Any]:
        return 200, self.commands.get(int(guild_id) if guild_id else None, [])

    def _interaction(self, iid: str, token: str) -> FakeInteraction:
        interaction = self.interactions.get(int(iid))
        if interaction is None or interaction.token != token:
            raise Reply(404, 10062, "Unknown interaction")
        return interaction

    def _by_token(self, token: str) -> FakeInteraction:
        for interaction in self.interactions.values():
            if interaction.token == token:
                return interaction
        raise Reply(404, 10015, "Unknown Webhook")

    async def _callback(
        self, request: web.Request, body: Any, iid: str, token: str
    ) -> tuple[int, Any]:
        interaction = self._interaction(iid, token)
        late = time.perf_counter() - interaction.sent_at
        if late > INTERACTION_WINDOW:
            self.violations.append(f"interaction {iid} answered after {late:.2f}s")
            raise Reply(404, 10062, "Unknown interaction")
        if interaction.callbacks:
            self.violations.append(f"interaction {iid} acknowledged twice")
            raise Reply(400, 40060, "Interaction has already been acknowledged.")
        kind = body["type"]
        data = body.get("data") or {}
        if kind in (4, 7):
            self._validate(data)
        if kind == 8:
            choices = data.get("choices", [])
            if len(choices) > 25 or any(
                not 1 <= len(c["name"]) <= 100 or len(str(c["value"])) > 100 for c in choices
            ):
                self.violations.append(f"bad autocomplete choices: {choices}")
                raise Reply(400, 50035, "Invalid Form Body")
        interaction.callbacks.append(body)
        result: dict[str, Any] = {
            "interaction": {"id": iid, "type": interaction.type},
        }
        if kind == 4:
            message = self._message(interaction.payload["channel_id"], data, interaction)
            interaction.messages.append(message)
            interaction.answered_at = time.perf_counter()
            result["interaction"] |= {
                "response_message_id": message["id"],
                "response_message_loading": False,
                "response_message_ephemeral": bool(message["flags"] & 64),
            }
            result["resource"] = {"type": 4, "message": message}
        elif kind == 5:
            result["interaction"] |= {
                "response_message_loading": True,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64),
            }
            result["resource"] = {"type": 5}
        elif kind == 8:
            interaction.answered_at = time.perf_counter()
        interaction.changed.set()
        return 200, result

    async def _followup(
        self, request: web.Request, body: Any, app_id: str, token: str
    ) -> tuple[int, Any]:
        interaction = self._by_token(token)
        if not interaction.callbacks:
            self.violations.append("followup before the interaction was acknowledged")
            raise Reply(404, 10015, "Unknown Webhook")
        self._validate(body)
        data = dict(body)
        if interaction.deferred and not interaction.messages:
            defer_flags = next(c for c in interaction.callbacks if c["type"] in (5, 6))
            data["flags"] = (data.get("flags") or 0) | (
                (defer_flags.get("data") or {}).get("flags") or 0
            )
        return 200, self._answer(interaction, data)

    async def _edit(
        self, request: web.Request, body: Any, app_id: str, token: str, which: str
    ) -> tuple[int, Any]:
        interaction = self._by_token(token)
        self._validate(body)
        return 200, self._answer(interaction, body)

    def _answer(self, interaction: FakeInteraction, data: dict[str, Any]) -> dict[str, Any]:
        """Post one message of the bot's answer in the interaction's channel."""
        message = self._message(interaction.payload["channel_id"], data, interaction)
        interaction.messages.append(message)
        if interaction.answered_at is None:
            interaction.answered_at = time.perf_counter()
        interaction.changed.set()
        return message


def _command_problems(command: dict[str, Any]) -> list[str]:
    out = []
    name = command.get("name", "")
    if not _NAME.match(name) or name != name.lower():
        out.append(f"command name {name!r} is not a valid slash command name")
    description = command.get("description", "")
    if not 1 <= len(description) <= 100:
        out.append(f"/{name} description has {len(description)} chars (1..100)")
    options = command.get("options") or []
    if len(options) > 25:
        out.append(f"/{name} has {len(options)} options (max 25)")
    seen_optional = False
    for option in options:
        if not _NAME.match(option.get("name", "")):
            out.append(f"/{name} option name {option.get('name')!r} is invalid")
        if not 1 <= len(option.get("description", "")) <= 100:
            out.append(f"/{name} {option.get('name')} description must have 1..100 chars")
        if option.get("required"):
            if seen_optional:
                out.append(f"/{name}: required option {option['name']} after an optional one")
        else:
            seen_optional = True
        if len(option.get("choices") or []) > 25:
            out.append(f"/{name} {option['name']} has more than 25 choices")
    return out
