"""What a fake Discord serves: users, guilds, roles, channels, permissions, and payload checks.

Permissions follow Discord's documented algorithm (the @everyone role, member roles, then
the channel's overwrites for @everyone, roles and the member). :func:`message_problems`
checks an outgoing message against Discord's limits and briefbot's rule that every message
carries ``allowed_mentions`` with nothing allowed.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
MANAGE_CHANNELS = 1 << 4
ADMINISTRATOR = 1 << 3
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 50) - 1
MEMBER_DEFAULT = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY
BOT_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | SEND_MESSAGES_IN_THREADS

TEXT, DM, NEWS, PUBLIC_THREAD, FORUM = 0, 1, 5, 11, 15

_ids = itertools.count(1)
_HTTP_URL = re.compile(r"^https?://\S+$")


def snowflake() -> int:
    """A fresh id ``(n << 22) + n``: its shard (``(id >> 22) % count``) is ``n % count``."""
    n = next(_ids)
    return (n << 22) + n


@dataclass
class FakeUser:
    """A Discord user."""

    id: int
    name: str
    bot: bool = False
    dms_closed: bool = False

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": self.name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
        }


@dataclass
class FakeRole:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class FakeChannel:
    """A guild channel (text, announcement, forum, thread) or a DM."""

    id: int
    name: str
    type: int
    guild: FakeGuild | None = None
    parent_id: int | None = None
    overwrites: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    """target id → (target type 0 role / 1 member, allow, deny)."""
    recipient: FakeUser | None = None
    owner_id: int | None = None
    position: int = 0

    def deny(self, target: FakeRole | FakeUser, *bits: int) -> None:
        """Deny permissions to a role or a member in this channel."""
        kind, allow, deny = self.overwrites.get(target.id, (self._kind(target), 0, 0))
        mask = sum(bits)
        self.overwrites[target.id] = (kind, allow & ~mask, deny | mask)

    def allow(self, target: FakeRole | FakeUser, *bits: int) -> None:
        """Allow permissions to a role or a member in this channel."""
        kind, allow, deny = self.overwrites.get(target.id, (self._kind(target), 0, 0))
        mask = sum(bits)
        self.overwrites[target.id] = (kind, allow | mask, deny & ~mask)

    @staticmethod
    def _kind(target: FakeRole | FakeUser) -> int:
        return 0 if isinstance(target, FakeRole) else 1

    def payload(self) -> dict[str, Any]:
        if self.type == DM:
            assert self.recipient is not None
            return {
                "id": str(self.id),
                "type": DM,
                "recipients": [self.recipient.payload()],
                "last_message_id": None,
                "flags": 0,
            }
        assert self.guild is not None
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild.id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [
                {"id": str(i), "type": kind, "allow": str(allow), "deny": str(deny)}
                for i, (kind, allow, deny) in self.overwrites.items()
            ],
            "nsfw": False,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }
        if self.type in (TEXT, NEWS):
            data["topic"] = None
        if self.type == FORUM:
            data |= {
                "topic": None,
                "available_tags": [],
                "default_reaction_emoji": None,
                "default_sort_order": None,
                "default_forum_layout": 0,
                "default_thread_rate_limit_per_user": 0,
            }
        if self.type == PUBLIC_THREAD:
            data |= {
                "owner_id": str(self.owner_id),
                "message_count": 1,
                "member_count": 1,
                "total_message_sent": 1,
                "applied_tags": [],
                "thread_metadata": {
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2026-04-27T08:00:00+00:00",
                    "locked": False,
                },
            }
            del data["permission_overwrites"]
        return data


@dataclass
class FakeGuild:
    """A guild with its roles, channels and members."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, tuple[FakeUser, tuple[int, ...]]] = field(default_factory=dict)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    def add_role(self, name: str, permissions: int = 0) -> FakeRole:
        role = FakeRole(snowflake(), name, permissions, position=len(self.roles))
        self.roles[role.id] = role
        return role

    def add_member(self, user: FakeUser, *roles: FakeRole) -> FakeUser:
        self.members[user.id] = (user, tuple(r.id for r in roles))
        return user

    def add_channel(self, name: str, type: int = TEXT) -> FakeChannel:
        channel = FakeChannel(snowflake(), name, type, guild=self, position=len(self.channels))
        self.channels[channel.id] = channel
        return channel

    def permissions(self, user_id: int, channel: FakeChannel | None) -> int:
        """A member's permissions in a channel (or guild-wide), as Discord computes them."""
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        _, role_ids = self.members[user_id]
        base = self.everyone.permissions
        for rid in role_ids:
            base |= self.roles[rid].permissions
        if base & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is None:
            return base
        if channel.type == PUBLIC_THREAD and channel.parent_id is not None:
            channel = self.channels[channel.parent_id]
        ow = channel.overwrites
        if self.id in ow:
            _, allow, deny = ow[self.id]
            base = (base & ~deny) | allow
        allow = deny = 0
        for rid in role_ids:
            if rid in ow:
                allow |= ow[rid][1]
                deny |= ow[rid][2]
        base = (base & ~deny) | allow
        if user_id in ow:
            _, allow, deny = ow[user_id]
            base = (base & ~deny) | allow
        return base

    def member_payload(self, user_id: int) -> dict[str, Any]:
        user, role_ids = self.members[user_id]
        return {
            "user": user.payload(),
            "roles": [str(r) for r in role_ids],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def payload(self, bot_id: int) -> dict[str, Any]:
        """The GUILD_CREATE data: roles, channels (threads apart) and the bot's own member."""
        return {
            "id": str(self.id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "icon": None,
            "features": [],
            "member_count": len(self.members),
            "large": False,
            "unavailable": False,
            "roles": [r.payload() for r in self.roles.values()],
            "channels": [c.payload() for c in self.channels.values() if c.type != PUBLIC_THREAD],
            "threads": [c.payload() for c in self.channels.values() if c.type == PUBLIC_THREAD],
            "members": [self.member_payload(bot_id)],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "preferred_locale": "en-US",
            "joined_at": "2026-01-01T00:00:00+00:00",
        }


def _embed_problems(i: int, embed: dict[str, Any]) -> tuple[list[str], int]:
    out: list[str] = []
    size = 0
    for key, limit in (("title", 256), ("description", 4096)):
        text = embed.get(key) or ""
        size += len(text)
        if len(text) > limit:
            out.append(f"embeds[{i}].{key} has {len(text)} chars (max {limit})")
    url = embed.get("url")
    if url is not None and (len(url) > 2048 or not _HTTP_URL.match(url)):
        out.append(f"embeds[{i}].url is not a usable URL: {url!r}")
    fields = embed.get("fields") or []
    if len(fields) > 25:
        out.append(f"embeds[{i}] has {len(fields)} fields (max 25)")
    for j, f in enumerate(fields):
        name, value = f.get("name") or "", f.get("value") or ""
        size += len(name) + len(value)
        if not name.strip() or len(name) > 256:
            out.append(f"embeds[{i}].fields[{j}].name has {len(name)} chars (1..256)")
        if not value.strip() or len(value) > 1024:
            out.append(f"embeds[{i}].fields[{j}].value has {len(value)} chars (1..1024)")
    footer = (embed.get("footer") or {}).get("text") or ""
    author = (embed.get("author") or {}).get("name") or ""
    size += len(footer) + len(author)
    if len(footer) > 2048:
        out.append(f"embeds[{i}].footer.text has {len(footer)} chars (max 2048)")
    if len(author) > 256:
        out.append(f"embeds[{i}].author.name has {len(author)} chars (max 256)")
    return out, size


def _component_problems(rows: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    if len(rows) > 5:
        out.append(f"{len(rows)} action rows (max 5)")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        items = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(items) <= 5:
            out.append(f"components[{i}] must be an action row of 1..5 items")
        for j, item in enumerate(items):
            label = item.get("label") or ""
            cid = item.get("custom_id") or ""
            if item.get("type") != 2:
                out.append(f"components[{i}][{j}] is not a button")
            if len(label) > 80:
                out.append(f"components[{i}][{j}].label has {len(label)} chars (max 80)")
            if item.get("style") != 5 and not 1 <= len(cid) <= 100:
                out.append(f"components[{i}][{j}].custom_id has {len(cid)} chars (1..100)")
            if cid in seen:
                out.append(f"components[{i}][{j}].custom_id {cid!r} is not unique")
            seen.add(cid)
    return out


def message_problems(payload: dict[str, Any]) -> list[str]:
    """Everything in an outgoing message that Discord would reject or briefbot forbids.

    Args:
        payload: the JSON body of a message create, edit, followup or callback data.
    """
    out: list[str] = []
    content = payload.get("content") or ""
    if len(content) > 2000:
        out.append(f"content has {len(content)} chars (max 2000)")
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        out.append(f"{len(embeds)} embeds (max 10)")
    total = 0
    for i, embed in enumerate(embeds):
        problems, size = _embed_problems(i, embed)
        out += problems
        total += size
    if total > 6000:
        out.append(f"embeds hold {total} chars together (max 6000)")
    out += _component_problems(payload.get("components") or [])
    if not (content or embeds or payload.get("components") or payload.get("attachments")):
        out.append("message is empty")
    mentions = payload.get("allowed_mentions")
    if mentions != {"parse": []} and not (
        isinstance(mentions, dict)
        and mentions.get("parse") == []
        and not mentions.get("users")
        and not mentions.get("roles")
    ):
        out.append(f"allowed_mentions must allow nothing, got {mentions!r}")
    nonce = payload.get("nonce")
    if nonce is not None and len(str(nonce)) > 25:
        out.append(f"nonce {nonce!r} is longer than 25 chars")
    return out


_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def mentions_of(payload: dict[str, Any]) -> dict[str, Any]:
    """Who a message would ping: its ``content`` parsed as ``allowed_mentions`` allows."""
    content = payload.get("content") or ""
    allowed = payload.get("allowed_mentions")
    parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
    users = allowed.get("users") or [] if allowed else []
    roles = allowed.get("roles") or [] if allowed else []
    return {
        "mention_everyone": "everyone" in parse and ("@everyone" in content or "@here" in content),
        "mentions": [u for u in _USER_MENTION.findall(content) if "users" in parse or u in users],
        "mention_roles": [
            r for r in _ROLE_MENTION.findall(content) if "roles" in parse or r in roles
        ],
    }
