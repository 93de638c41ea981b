"""The bot's settings: one TOML file plus ``${ENV}`` secrets, validated once at start.

This is the only module that reads ``os.environ``. Every error names the file, the key and
what is wrong with it, e.g. ``briefbot.toml: sources.feeds[0].interval: "5 minutes" is not
a duration (use 30s, 15m, 2h or 1d)``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
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
    ValidationError,
    field_validator,
)

from bot.credentials import nearest_key
from briefings.errors import BriefingError
from briefings.service.schedules import setting_days, setting_time

DB_ENV = "BRIEFBOT_DB"
"""The environment variable that overrides the database URL (after ``--db``)."""

CONFIG_ENV = "BRIEFBOT_CONFIG"
"""The environment variable naming the config file when ``--config`` is not given."""

_ENV_REF = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}
_SQLITE_PATH = re.compile(r"(sqlite(?:\+aiosqlite)?:///)(.+)")


class ConfigError(BriefingError):
    """The configuration is missing, unreadable or invalid; the message names file and key."""


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


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StorageSettings(_Section):
    """Where the store lives; ``None`` means the platform's user data directory."""

    url: str | None = None


class FeedSettings(_Section):
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


class FolderSettings(_Section):
    """A watched folder: files dropped there are ingested (relative paths: to the config)."""

    path: Path
    interval: Duration = 30.0
    pattern: str = "*"


class PushSettings(_Section):
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


class SourcesSettings(_Section):
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


class ConsoleSettings(_Section):
    """The console adapter: digests and answers printed in the terminal."""

    enabled: bool = False
    workspace: str = "local"
    channel: str = "console"
    interactive: bool = False
    color: bool = False


class PlatformsSettings(_Section):
    """The chat platforms to connect to."""

    console: ConsoleSettings = ConsoleSettings()
    slack: PlatformSection = PlatformSection()
    discord: PlatformSection = PlatformSection()


class ChannelDigestSettings(_Section):
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


class DigestDefaults(_Section):
    """Defaults for channel digests, and the channels configured in the file."""

    days: Days = "daily"
    time: TimeOfDay = time(8, 0)
    timezone: TimeZone = "UTC"
    post_when_empty: bool = False
    grace: Duration = 2 * 3600.0
    max_items: int = Field(default=10, ge=1, le=50)
    channels: tuple[ChannelDigestSettings, ...] = ()


class NotificationSettings(_Section):
    """Subscription deliveries: salience threshold, burst throttle, the daily bundle."""

    salience: float = Field(default=0.2, ge=0.0, le=1.0)
    burst: Duration = 60.0
    min_interval: Duration = 300.0
    daily_time: TimeOfDay = time(8, 0)
    timezone: TimeZone = "UTC"


class DeliverySettings(_Section):
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


class SummarySettings(_Section):
    """The summary preset and extra actor gazetteer files."""

    preset: Literal["short", "standard", "full"] = "standard"
    actors: tuple[Path, ...] = ()


class AnalysisSettings(_Section):
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


class HttpSettings(_Section):
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


class LoggingSettings(_Section):
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


class Settings(_Section):
    """Everything the bot reads from its config file."""

    storage: StorageSettings = StorageSettings()
    sources: SourcesSettings = SourcesSettings()
    platforms: PlatformsSettings = PlatformsSettings()
    digest: DigestDefaults = DigestDefaults()
    notifications: NotificationSettings = NotificationSettings()
    delivery: DeliverySettings = DeliverySettings()
    summary: SummarySettings = SummarySettings()
    analysis: AnalysisSettings = AnalysisSettings()
    http: HttpSettings = HttpSettings()
    logging: LoggingSettings = LoggingSettings()
    admins: tuple[str, ...] = ()
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("admins")
    @classmethod
    def _admins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            parse_admin(item)
        return value

    def admin_targets(self) -> tuple[AdminTarget, ...]:
        """The admins, parsed."""
        return tuple(parse_admin(a) for a in self.admins)

    def resolve(self, path: Path) -> Path:
        """A path from the file, relative to the file's folder."""
        if path.is_absolute() or self.path is None:
            return path
        return self.path.parent / path


def _interpolate(value: Any, env: Mapping[str, str], where: str, missing: list[str]) -> Any:
    if isinstance(value, str):

        def sub(m: re.Match[str]) -> str:
            if m.group(0) == "$$":
                return "$"
            name, default = m.group(1), m.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            missing.append(f"{where}: environment variable {name} is not set")
            return ""

        return _ENV_REF.sub(sub, value)
    if isinstance(value, dict):
        sub_missing: list[str] = []
        out = {
            k: _interpolate(v, env, f"{where}.{k}" if where else k, sub_missing)
            for k, v in value.items()
        }
        if out.get("enabled") is not False:
            missing.extend(sub_missing)
        return out
    if isinstance(value, list):
        return [_interpolate(v, env, f"{where}[{i}]", missing) for i, v in enumerate(value)]
    return value


def _key(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("function-", "tagged-union")):
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _known_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the table holding ``loc``'s last key accepts (empty when unknown)."""
    model: Any = Settings
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part)) if hasattr(model, "model_fields") else None
        if field is None:
            return []
        kind = field.annotation
        args = getattr(kind, "__args__", ())
        model = next((a for a in (kind, *args) if hasattr(a, "model_fields")), None)
        if model is None:
            return []
    return list(model.model_fields) if hasattr(model, "model_fields") else []


def _describe(errors: ValidationError, name: str) -> str:
    lines = []
    for err in errors.errors(include_url=False):
        msg = str(err["msg"]).removeprefix("Value error, ")
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden":
            guess = nearest_key(str(loc[-1]), _known_keys(loc)) if loc else None
            msg = f"unknown key; did you mean {guess}?" if guess else "unknown key (a typo?)"
        lines.append(f"{name}: {_key(loc)}: {msg}")
    return "\n".join(lines)


def parse_config(
    text: str,
    *,
    name: str = "<config>",
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Settings from TOML text.

    Args:
        text: the TOML document.
        name: the file name errors mention.
        environ: the variables ``${NAME}`` reads; the process environment when omitted.
        path: the file's path, for relative paths in it.

    Raises:
        ConfigError: the TOML is malformed, a variable is unset or a value is invalid.
    """
    env = os.environ if environ is None else environ
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from None
    missing: list[str] = []
    data = _interpolate(raw, env, "", missing)
    if missing:
        raise ConfigError("\n".join(f"{name}: {m}" for m in missing))
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, name)) from None
    return settings.model_copy(update={"path": path}) if path is not None else settings


def load_config(path: Path | str | None, *, environ: Mapping[str, str] | None = None) -> Settings:
    """Load the settings from ``path`` (else ``$BRIEFBOT_CONFIG``; else all defaults).

    Args:
        path: the TOML file, or None.
        environ: the environment for ``${NAME}``; the process environment when omitted.

    Raises:
        ConfigError: the file is missing, unreadable or invalid.
    """
    env = os.environ if environ is None else environ
    if path is None:
        path = env.get(CONFIG_ENV) or None
    if path is None:
        return Settings()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read the config file: {exc}") from None
    return parse_config(text, name=str(p), environ=env, path=p.resolve())


def database_url(
    cli_value: str | None,
    settings: Settings | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The database URL: ``--db``, else ``$BRIEFBOT_DB``, else the config, else the default.

    A bare file path is taken as a SQLite file; a relative SQLite path in the config file
    is relative to the file's folder (on the command line, to the current folder).

    Args:
        cli_value: the ``--db`` argument, if any.
        settings: the loaded settings, if any.
        environ: the environment; the process environment when omitted.
    """
    env = os.environ if environ is None else environ
    value = cli_value or env.get(DB_ENV)
    base: Path | None = None
    if not value and settings is not None and settings.storage.url:
        value = settings.storage.url
        base = settings.path.parent if settings.path is not None else None
    if value:
        sqlite = _SQLITE_PATH.fullmatch(value)
        if sqlite and sqlite.group(2) == ":memory:":
            return value
        if "://" not in value or sqlite:
            raw = Path(sqlite.group(2) if sqlite else value).expanduser()
            if base is not None and not raw.is_absolute():
                raw = base / raw
            return f"sqlite+aiosqlite:///{raw.resolve()}"
        return value
    from briefings.store import default_database_url

    return default_database_url()


FAULT_ENV = "BRIEFBOT_FAULT"
"""Test-only: where the crash tests ask the drain to kill the process (see bot.faults)."""


def fault_spec(environ: Mapping[str, str] | None = None) -> str | None:
    """The fault to inject, from ``$BRIEFBOT_FAULT`` (tests only), or None.

    Args:
        environ: the environment; the process environment when omitted.
    """
    env = os.environ if environ is None else environ
    return env.get(FAULT_ENV) or None
