"""The sections of the bot's settings: one frozen, validated model per TOML table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
)

from briefings.service.schedules import setting_days, setting_time

_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: object) -> float:
    """Seconds from ``90``, ``"30s"``, ``"15m"``, ``"2h"``, ``"1d"`` or ``"250ms"``.

    Args:
        value: a number of seconds or a string with a unit.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.fullmatch(value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        raise ValueError(f"{value!r} is not a duration (use 30s, 15m, 2h or 1d)")
    if seconds < 0:
        raise ValueError(f"{value!r} is negative")
    return seconds


def check_timezone(value: str) -> str:
    """``value`` if it names an IANA time zone (``Europe/Berlin``), else a ValueError."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not an IANA time zone like Europe/Berlin") from None
    return value


Duration = Annotated[float, BeforeValidator(parse_duration)]
TimeOfDay = Annotated[time, BeforeValidator(setting_time)]
Days = Annotated[str, BeforeValidator(setting_days)]
TimeZone = Annotated[str, BeforeValidator(check_timezone)]


class Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StorageSettings(Section):
    """Where the store lives; ``None`` means the platform's user data directory."""

    url: str | None = None


class FeedSettings(Section):
    """One RSS/Atom feed."""

    url: str
    name: str | None = None
    interval: Duration = 900.0
    full_text: Literal["auto", "always", "never"] = "auto"
    timeout: Duration = 20.0
    max_bytes: int = Field(default=5_000_000, gt=0)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("interval")
    @classmethod
    def _not_too_often(cls, value: float) -> float:
        if value < 1:
            raise ValueError("a feed is polled at most once a second")
        return value


class FolderSettings(Section):
    """A watched folder: files dropped there are ingested (relative paths: to the config)."""

    path: Path
    interval: Duration = 30.0
    pattern: str = "*"


class PushSettings(Section):
    """The push endpoint ``POST /articles``; off unless a bearer token is set."""

    token: SecretStr | None = None
    max_bytes: int = Field(default=2_000_000, gt=0)

    @field_validator("token", mode="before")
    @classmethod
    def _unset_if_empty(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 16:
            raise ValueError("the push token must be at least 16 characters")
        return value


class SourcesSettings(Section):
    """Feeds, watched folders and the push endpoint.

    Links found in feed content (teaser entries' pages) reach only globally routable
    addresses unless ``allow_private_links`` is on; ``teaser_concurrency`` and
    ``teaser_bytes`` bound their fetches per poll.
    """

    feeds: tuple[FeedSettings, ...] = ()
    folders: tuple[FolderSettings, ...] = ()
    push: PushSettings = PushSettings()
    user_agent: str = "briefbot/0.1 (+https://github.com/briefbot)"
    max_backoff: Duration = 6 * 3600.0
    report_after: int = Field(default=3, ge=1)
    teaser_words: int = Field(default=80, ge=0)
    allow_private_links: bool = False
    teaser_concurrency: int = Field(default=4, ge=1)
    teaser_bytes: int = Field(default=20_000_000, gt=0)


class PlatformSection(BaseModel):
    """A chat platform's table: ``enabled`` plus the platform's own keys.

    The keys besides ``enabled`` go, as they are, to the adapter's own settings class,
    which validates them (so the Slack and Discord adapters own their options).
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    enabled: bool = False

    def options(self) -> dict[str, Any]:
        """The platform's own keys, for the adapter's settings class."""
        return dict(self.model_extra or {})


class ConsoleSettings(Section):
    """The console adapter: digests and answers printed in the terminal."""

    enabled: bool = False
    workspace: str = "local"
    channel: str = "console"
    interactive: bool = False
    color: bool = False


class PlatformsSettings(Section):
    """The chat platforms to connect to."""

    console: ConsoleSettings = ConsoleSettings()
    slack: PlatformSection = PlatformSection()
    discord: PlatformSection = PlatformSection()


class ChannelDigestSettings(Section):
    """A channel digest set in the file (``/digest`` can change it later in the store).

    Unset schedule fields take the ``[digest]`` defaults; ``actors`` are names or ids.
    """

    platform: str
    workspace: str = "local"
    channel: str
    days: Days | None = None
    time: TimeOfDay | None = None
    timezone: TimeZone | None = None
    actors: tuple[str, ...] = ()
    post_when_empty: bool | None = None


class DigestDefaults(Section):
    """Defaults for channel digests, and the channels configured in the file."""

    days: Days = "daily"
    time: TimeOfDay = time(8, 0)
    timezone: TimeZone = "UTC"
    post_when_empty: bool = False
    grace: Duration = 2 * 3600.0
    max_items: int = Field(default=10, ge=1, le=50)
    channels: tuple[ChannelDigestSettings, ...] = ()


class NotificationSettings(Section):
    """Subscription deliveries: salience threshold, burst throttle, the daily bundle."""

    salience: float = Field(default=0.2, ge=0.0, le=1.0)
    burst: Duration = 60.0
    min_interval: Duration = 300.0
    daily_time: TimeOfDay = time(8, 0)
    timezone: TimeZone = "UTC"


class DeliverySettings(Section):
    """The outbox drain: how often, how many at once, how retries back off, who holds what.

    ``lease`` must exceed the longest post (a post still running when its lease ends may be
    taken over). ``instance`` names this process in claims; give each process a stable,
    unique name (e.g. ``worker-1``) and a restarted one takes back what its previous run
    left in flight at once, instead of after the lease. ``shared_pace`` books Slack's
    posting pace in the database, so several processes keep it together (``auto``: on
    PostgreSQL).
    """

    poll: Duration = 2.0
    batch: int = Field(default=50, ge=1)
    concurrency: int = Field(default=16, ge=1)
    max_attempts: int = Field(default=8, ge=1)
    backoff: Duration = 30.0
    max_backoff: Duration = 3600.0
    lease: Duration = 300.0
    instance: str | None = None
    shared_pace: Literal["auto", "on", "off"] = "auto"

    @field_validator("instance")
    @classmethod
    def _instance(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("the instance name is empty; leave it unset or name the process")
        return value


class SummarySettings(Section):
    """The summary preset and extra actor gazetteer files."""

    preset: Literal["short", "standard", "full"] = "standard"
    actors: tuple[Path, ...] = ()


class AnalysisSettings(Section):
    """Where articles are read and analysed (worker processes) and within which limits."""

    workers: int = Field(default=0, ge=0, le=64)
    """Worker processes; 0 picks one fewer than the machine's cores, at least one."""
    time_limit: Duration = 20.0
    """Seconds one article's analysis may take; past it the article is stored unanalysed."""
    max_words: int = Field(default=60_000, gt=0)
    """Words analysed per article; the rest is kept but not analysed."""

    @field_validator("time_limit")
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("the time limit must be more than 0 seconds")
        return value


class HttpSettings(Section):
    """The HTTP server: push endpoint, health and metrics, with timeouts and a connection cap."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    push: bool = True
    health: bool = True
    metrics: bool = True
    header_timeout: Duration = Field(default=10.0, gt=0)
    idle_timeout: Duration = Field(default=30.0, gt=0)
    request_timeout: Duration = Field(default=60.0, gt=0)
    max_connections: int = Field(default=256, ge=1)


class LoggingSettings(Section):
    """Log level and form (``json`` lines or ``text``)."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    format: Literal["json", "text"] = "text"


@dataclass(frozen=True, slots=True)
class AdminTarget:
    """Who hears about failing feeds and disabled targets: ``slack:T0123:U0456``.

    An id starting with ``#`` is a channel (``slack:T0123:#C0789``), else a user (a DM).
    """

    platform: str
    workspace: str
    id: str
    kind: Literal["channel", "user"] = "user"


def parse_admin(value: str) -> AdminTarget:
    """An admin target from ``platform:workspace:id`` (``#id`` for a channel).

    Args:
        value: the text from the config file.
    """
    parts = value.split(":")
    if len(parts) != 3 or not all(parts):
        raise ValueError(f"{value!r} is not platform:workspace:id (e.g. slack:T0123:U0456)")
    platform, workspace, ident = parts
    if ident.startswith("#"):
        return AdminTarget(platform, workspace, ident[1:], "channel")
    return AdminTarget(platform, workspace, ident, "user")
