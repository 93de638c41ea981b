"""Real ``briefbot run`` processes against the Slack and Discord fakes, and an audit of what
reached them: the crash tests, the several-process tests and the fan-out benchmark use it.

:class:`Platforms` starts both fakes with channels and users; :func:`workload` makes the
outbox rows of a fan-out (channel digests and subscription DMs) in which every story
headline carries a unique marker; :func:`audit` counts, per marker, the messages on the
fakes that show it: none is a lost delivery, more than one a duplicated one.
:class:`BotProcess` runs one bot process and kills it when told.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from helpers.deliveries import notify_row, reply_row
from helpers.polling import eventually

from adapters.discord.settings import DiscordSettings
from briefings.service.replies import ActorRef, Digest, DigestItem, SourceLink
from briefings.store import NewDelivery
from fakes.discord import FakeDiscord, RateLimits
from fakes.discord_world import FakeChannel, FakeGuild, FakeUser
from fakes.slack import BOT_TOKEN, SIGNING_SECRET, TEAM, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 4, 27, 8, 0, tzinfo=UTC)


def marker(tag: str) -> str:
    """A story marker no other marker contains: ``⟨S.C003.07⟩``."""
    return f"⟨{tag}⟩"


def story(tag: str) -> DigestItem:
    """A digest item whose headline carries the marker ``tag``."""
    return DigestItem(
        story_id=tag,
        headline=f"Story {marker(tag)} on the Sahel",
        tldr="JNIM fighters attacked an army post near Gao, officials said.",
        key_points=("The army says it repelled the attack.",),
        actors=(ActorRef("jnim", "JNIM", "armed_group"),),
        sources=(SourceLink("Sahel Monitor", f"https://news.example/{tag}"),),
        event_count=1,
        published=None,
    )


@dataclass
class Platforms:
    """The Slack and Discord fakes of a fan-out, with their channels and users."""

    slack: FakeSlack
    discord: FakeDiscord
    guild: FakeGuild
    slack_channels: list[str]
    slack_users: list[str]
    discord_channels: list[FakeChannel]
    discord_users: list[FakeUser]

    @classmethod
    async def start(
        cls,
        channels: int,
        users: int,
        *,
        slack_rate: float | None = None,
        slack_burst: int = 1,
        slack_channel_interval: float = 0.0,
        discord_limits: RateLimits | None = None,
        nonce_window: float | None = None,
    ) -> Platforms:
        """Start both fakes with ``channels`` channels and ``users`` DM-able users each."""
        slack = FakeSlack(
            channel_interval=slack_channel_interval,
            workspace_rate=slack_rate,
            workspace_burst=slack_burst,
        )
        slack_channels = [f"C{n:05d}" for n in range(channels)]
        slack_users = [f"U{n:05d}" for n in range(users)]
        for cid in slack_channels:
            slack.add_channel(cid, cid.lower())
        for uid in slack_users:
            slack.add_user(uid, uid.lower())
        extra = {} if nonce_window is None else {"nonce_window": nonce_window}
        discord = FakeDiscord(rate_limits=discord_limits, **extra)
        guild = discord.add_guild("Sahel Watch")
        discord_channels = [discord.add_channel(guild, f"watch-{n}") for n in range(channels)]
        discord_users = [discord.add_user(f"reader{n}") for n in range(users)]
        await slack.start()
        await discord.start()
        return cls(
            slack, discord, guild, slack_channels, slack_users, discord_channels, discord_users
        )

    async def stop(self) -> None:
        await self.slack.stop()
        await self.discord.close()

    def config(
        self,
        db_url: str,
        *,
        instance: str | None = None,
        slack: bool = True,
        discord: bool = True,
        delivery: dict[str, Any] | None = None,
        slack_options: dict[str, Any] | None = None,
        discord_options: dict[str, Any] | None = None,
    ) -> str:
        """A TOML config pointing a bot at the fakes (port 0: any number may run)."""
        lines = ["[storage]", f"url = {json.dumps(db_url)}"]
        if slack:
            options = {
                "enabled": True,
                "bot_token": BOT_TOKEN,
                "mode": "http",
                "signing_secret": SIGNING_SECRET,
                "host": "127.0.0.1",
                "port": 0,
                "api_base_url": self.slack.api_url,
                "channel_interval": 0.0,
                **(slack_options or {}),
            }
            lines += ["[platforms.slack]", *_toml(options)]
        if discord:
            options = {
                "enabled": True,
                "token": self.discord.token,
                "api_base_url": self.discord.api_base,
                "gateway_url": self.discord.gateway_url,
                "guild_ready_timeout": 0.05,
                **(discord_options or {}),
            }
            DiscordSettings.from_options({k: v for k, v in options.items() if k != "enabled"})
            lines += ["[platforms.discord]", *_toml(options)]
        settings = {"poll": "200ms", "backoff": "1s", **(delivery or {})}
        if instance is not None:
            settings["instance"] = instance
        lines += ["[delivery]", *_toml(settings), "[logging]", 'format = "json"']
        return "\n".join(lines) + "\n"

    def posts(self) -> list[tuple[str, str, str]]:
        """Every message on both fakes: (platform, channel id, its JSON)."""
        out = [
            ("slack", m.channel or "", json.dumps(m.raw, ensure_ascii=False))
            for m in self.slack.messages
            if m.via == "chat.postMessage"
        ]
        for cid, messages in self.discord.messages.items():
            out += [("discord", str(cid), json.dumps(m, ensure_ascii=False)) for m in messages]
        return out

    def post_count(self) -> int:
        """How many messages both fakes hold (cheap: for watching a run)."""
        slack = sum(1 for m in self.slack.messages if m.via == "chat.postMessage")
        return slack + sum(len(m) for m in self.discord.messages.values())


@dataclass
class Workload:
    """The outbox rows of a fan-out and the markers they must show, once each."""

    rows: list[NewDelivery] = field(default_factory=list)
    markers: dict[str, tuple[str, str]] = field(default_factory=dict)
    """marker → (platform, target id) it must reach."""

    def extend(self, more: Workload) -> None:
        """Take another workload's rows and markers as this one's too."""
        self.rows += more.rows
        self.markers.update(more.markers)

    def digest(self, platform: str, workspace: str, channel: str, tag: str, items: int) -> None:
        stories = [story(f"{tag}.{i:02d}") for i in range(items)]
        reply = Digest(f"Digest {tag}", NOW - timedelta(days=1), NOW, tuple(stories))
        key = f"digest:{platform}:{workspace}:{channel}:{tag}"
        self.rows.append(reply_row(key, platform, workspace, channel, reply))
        for s in stories:
            self.markers[marker(s.story_id)] = (platform, channel)

    def notify(
        self, platform: str, workspace: str, user: str, tag: str, mode: str = "instant"
    ) -> None:
        key = f"notify:{platform}:{workspace}:{user}:{tag}"
        self.rows.append(notify_row(key, platform, workspace, user, story(tag), mode))
        self.markers[marker(tag)] = (platform, user)


def workload(
    platforms: Platforms,
    *,
    digests: int,
    dms: int,
    big_every: int = 0,
    per_user: int = 1,
    which: Iterable[str] = ("slack", "discord"),
    first: int = 0,
) -> Workload:
    """Channel digests (every ``big_every``-th one long enough for several messages) and
    subscription DMs (``per_user`` each, bundled into one message when claimed together),
    split evenly between the platforms in ``which``; tags are numbered from ``first``, so a
    second workload added to the same fakes has markers of its own."""
    work = Workload()
    names = list(which)
    for n in range(first, first + digests):
        name = names[n % len(names)]
        items = 25 if big_every and n % big_every == 0 else 2
        index = (n // len(names)) % len(platforms.slack_channels)
        if name == "slack":
            work.digest("slack", TEAM, platforms.slack_channels[index], f"S.C{n:05d}", items)
        else:
            channel = str(platforms.discord_channels[index].id)
            work.digest("discord", str(platforms.guild.id), channel, f"D.C{n:05d}", items)
    for n in range(first, first + dms):
        name = names[n % len(names)]
        index = (n // len(names) // per_user) % len(platforms.slack_users)
        if name == "slack":
            work.notify("slack", TEAM, platforms.slack_users[index], f"S.U{n:05d}")
        else:
            user = str(platforms.discord_users[index].id)
            work.notify("discord", str(platforms.guild.id), user, f"D.U{n:05d}")
    return work


@dataclass(frozen=True)
class Audit:
    """What reached the fakes, marker by marker."""

    lost: list[str]
    duplicated: list[str]
    misplaced: list[str]
    messages: int

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.misplaced)


def audit(platforms: Platforms, work: Workload) -> Audit:
    """Count, for every marker, the messages showing it (and check where they went)."""
    seen: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    dm_owner = {
        str(c.id): str(c.recipient.id)
        for c in platforms.discord.channels.values()
        if c.recipient is not None
    }
    slack_dm_owner = {c.id: c.user for c in platforms.slack.channels.values() if c.is_im}
    posts = platforms.posts()
    for platform, channel, text in posts:
        if "⟨" not in text:
            continue
        for found in _markers(text):
            seen[found] += 1
            owner = (dm_owner if platform == "discord" else slack_dm_owner).get(channel)
            where.setdefault(found, set()).add(owner or channel)
    lost = [m for m in work.markers if seen[m] == 0]
    duplicated = [m for m in work.markers if seen[m] > 1]
    misplaced = [m for m, (_, target) in work.markers.items() if where.get(m, {target}) != {target}]
    return Audit(lost, duplicated, misplaced, len(posts))


def _markers(text: str) -> set[str]:
    out = set()
    start = text.find("⟨")
    while start >= 0:
        end = text.find("⟩", start)
        out.add(text[start : end + 1])
        start = text.find("⟨", end)
    return out


class BotProcess:
    """One ``briefbot run`` child process; its log lines are collected as they come."""

    def __init__(self, proc: asyncio.subprocess.Process, name: str) -> None:
        self.proc = proc
        self.name = name
        self.err: list[str] = []
        self.out: list[str] = []
        assert proc.stderr is not None
        self._reader = asyncio.create_task(self._read(proc.stderr, self.err))
        if proc.stdout is not None:
            self._out_reader = asyncio.create_task(self._read(proc.stdout, self.out))

    @classmethod
    async def start(
        cls,
        config: Path,
        db_url: str,
        *,
        name: str = "bot",
        env: dict[str, str] | None = None,
        stdout: bool = False,
    ) -> BotProcess:
        """Start ``briefbot run``; with ``stdout``, what it prints (the console) is kept too."""
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BRIEFBOT_", "SLACK", "DISCORD"))
        }
        base["HOME"] = str(config.parent)
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            "--config",
            str(config),
            "--db",
            db_url,
            cwd=ROOT,
            env={**base, **(env or {})},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE if stdout else asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(proc, name)

    async def _read(self, stream: asyncio.StreamReader, into: list[str]) -> None:
        while line := await stream.readline():
            into.append(line.decode("utf-8", "replace"))

    @property
    def running(self) -> bool:
        return self.proc.returncode is None

    def text(self) -> str:
        return "".join(self.err)

    async def until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Poll ``predicate`` every 10 ms until it holds or the process ends (bounded)."""
        await eventually(lambda: predicate() or not self.running, timeout)
        return predicate()

    def pause(self) -> None:
        """SIGSTOP: the process keeps what it holds and does nothing more with it."""
        if self.running:
            self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.running:
            self.proc.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.running:
            self.proc.send_signal(signal.SIGKILL)

    async def wait(self, timeout: float = 30.0) -> int | None:
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            self.kill()
            await self.proc.wait()
            return None
        await self._reader
        return self.proc.returncode

    async def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, then wait for a clean exit."""
        if self.running:
            self.proc.send_signal(signal.SIGTERM)
        return await self.wait(timeout)

    def errors(self) -> list[str]:
        """Log lines at level error, and tracebacks."""
        out = []
        for line in self.err:
            if line.startswith("{"):
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("level") == "error":
                    out.append(entry.get("message", line))
            elif "Traceback" in line:
                out.append(line)
        return out


def _toml(values: dict[str, Any]) -> list[str]:
    return [f"{k} = {json.dumps(v)}" for k, v in values.items()]
