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
from pathlib import Path
from typing import Any

from pydantic import (
    Field,
    ValidationError,
    field_validator,
)

from bot.credentials import nearest_key
from bot.sections import (
    AdminTarget,
    AnalysisSettings,
    DeliverySettings,
    DigestDefaults,
    HttpSettings,
    LoggingSettings,
    NotificationSettings,
    PlatformsSettings,
    Section,
    SourcesSettings,
    StorageSettings,
    SummarySettings,
    parse_admin,
)
from briefings.errors import BriefingError

DB_ENV = "BRIEFBOT_DB"
"""The environment variable that overrides the database URL (after ``--db``)."""

CONFIG_ENV = "BRIEFBOT_CONFIG"
"""The environment variable naming the config file when ``--config`` is not given."""

_ENV_REF = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_SQLITE_PATH = re.compile(r"(sqlite(?:\+aiosqlite)?:///)(.+)")


class ConfigError(BriefingError):
    """The configuration is missing, unreadable or invalid; the message names file and key."""


class Settings(Section):
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
