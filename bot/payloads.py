"""What an outbox row carries, to and from JSON (a message is stored before it is sent).

A row's payload is a :class:`ReplyPayload` (a whole reply: a digest, an admin notice) or
a :class:`NotifyPayload` (one article for one subscriber, bundled with others at sending).
Their JSON is what rows have always held, so rows written by earlier versions still
deliver: ``{"kind": "reply", "reply": …}`` and ``{"kind": "notify", "mode", "item",
"actors"}`` (a row without ``mode`` or ``actors`` reads as instant, naming no actor).

Replies are encoded generically over the frozen dataclasses of :mod:`briefings.service.replies`:
``{"type": "Digest", "data": {...}}`` with dates and datetimes as ISO text and tuples as
lists. Decoding follows the dataclasses' type hints, so a reply survives the round trip
exactly (tests check ``decode(encode(r)) == r``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from briefings.service import replies
from briefings.service.replies import DigestItem, Reply

_REPLY_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        replies.Digest,
        replies.ActorProfile,
        replies.EventList,
        replies.SubscriptionList,
        replies.DigestSettingsView,
        replies.Help,
        replies.Notice,
    )
}


_T = TypeVar("_T")


class PayloadError(ValueError):
    """A stored payload does not decode into a reply (written by another version?)."""


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def encode_reply(reply: Reply) -> dict[str, Any]:
    """A reply as JSON-ready data.

    Args:
        reply: any neutral reply.
    """
    return {"type": type(reply).__name__, "data": _encode(reply)}


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    return get_type_hints(cls, vars(replies))


def _decode(tp: Any, value: Any) -> Any:
    return _decoder(tp)(value)


Decoder = typing.Callable[[Any], Any]


@cache
def _decoder(tp: Any) -> Decoder:
    """How to decode a value of type ``tp``: read from its type hints once per type."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [_decoder(a) for a in get_args(tp) if a is not type(None)]

        def union(value: Any) -> Any:
            if value is None:
                return None
            for option in options:
                try:
                    return option(value)
                except (PayloadError, TypeError, ValueError):
                    continue
            raise PayloadError(f"{value!r} fits none of {tp}")

        return union
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            each = _decoder(args[0])

            def many(value: Any) -> Any:
                if not isinstance(value, list):
                    raise PayloadError(f"expected a list for {tp}, got {value!r}")
                return tuple(each(v) for v in value)

            return many
        parts = [_decoder(a) for a in args]

        def fixed(value: Any) -> Any:
            if not isinstance(value, list):
                raise PayloadError(f"expected a list for {tp}, got {value!r}")
            return tuple(part(v) for part, v in zip(parts, value, strict=True))

        return fixed
    if origin is Literal:
        allowed = get_args(tp)

        def literal(value: Any) -> Any:
            if value not in allowed:
                raise PayloadError(f"{value!r} is not one of {allowed}")
            return value

        return literal
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:

        def day(value: Any) -> Any:
            if not isinstance(value, str) or "T" in value:
                raise PayloadError(f"{value!r} is not a date")
            return date.fromisoformat(value)

        return day
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        fields = {k: _decoder(hint) for k, hint in _hints(tp).items()}
        cls: type[Any] = tp

        def record(value: Any) -> Any:
            if not isinstance(value, dict):
                raise PayloadError(f"expected an object for {cls.__name__}, got {value!r}")
            return cls(**{k: fields[k](v) for k, v in value.items() if k in fields})

        return record
    if tp in (str, int, float, bool):
        kind: type[Any] = tp

        def plain(value: Any) -> Any:
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                return float(value)
            if not isinstance(value, kind):
                raise PayloadError(f"expected {kind.__name__}, got {value!r}")
            return value

        return plain
    if tp is typing.Any:
        return _same
    raise PayloadError(f"cannot decode {tp}")


def _same(value: Any) -> Any:
    return value


def decode_reply(data: dict[str, Any]) -> Reply:
    """The reply that :func:`encode_reply` encoded.

    Args:
        data: the stored payload.

    Raises:
        PayloadError: the payload is not an encoded reply.
    """
    cls = _REPLY_TYPES.get(str(data.get("type")))
    if cls is None:
        raise PayloadError(f"unknown reply type {data.get('type')!r}")
    reply: Reply = _decode(cls, data.get("data"))
    return reply


def decode_as(cls: type[_T], value: Any) -> _T:
    """Decode one neutral dataclass (e.g. a DigestItem) encoded by :func:`encode_value`."""
    out: _T = _decode(cls, value)
    return out


def encode_value(value: Any) -> Any:
    """Any neutral dataclass (or tuple of them) as JSON-ready data."""
    return _encode(value)


NotifyMode = Literal["instant", "daily"]
"""How a subscription notification is due: in a burst slot, or at the day's time."""


@dataclass(frozen=True, slots=True)
class ReplyPayload:
    """A row that posts one whole reply (a digest, an admin notice)."""

    reply: Reply

    def to_json(self) -> dict[str, Any]:
        """The row's stored payload."""
        return {"kind": "reply", "reply": encode_reply(self.reply)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ReplyPayload:
        """The payload :meth:`to_json` wrote.

        Raises:
            PayloadError: ``data`` holds no readable reply.
        """
        reply = data.get("reply")
        if not isinstance(reply, dict):
            raise PayloadError(f"a reply payload without a reply: {reply!r}")
        return cls(decode_reply(reply))


@dataclass(frozen=True, slots=True)
class NotifyPayload:
    """A row that tells one subscriber about one article.

    Rows of one target and mode claimed together are sent as one message.
    """

    mode: NotifyMode
    item: DigestItem
    actors: tuple[tuple[str, str], ...]
    """The subscribed actors the article matched: (actor id, name)."""

    def to_json(self) -> dict[str, Any]:
        """The row's stored payload."""
        return {
            "kind": "notify",
            "mode": self.mode,
            "item": encode_value(self.item),
            "actors": dict(self.actors),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NotifyPayload:
        """The payload :meth:`to_json` wrote, or an earlier version's.

        Raises:
            PayloadError: ``data`` holds no readable item, or an unknown mode.
        """
        stored = data.get("mode") or "instant"
        if stored not in ("instant", "daily"):
            raise PayloadError(f"unknown notification mode {stored!r}")
        mode: NotifyMode = "daily" if stored == "daily" else "instant"
        actors = data.get("actors") or {}
        if not isinstance(actors, dict):
            raise PayloadError(f"expected an object of actors, got {actors!r}")
        if "item" not in data:
            raise PayloadError("a notification payload without an item")
        item = decode_as(DigestItem, data["item"])
        return cls(mode, item, tuple((str(k), str(v)) for k, v in actors.items()))


Payload = ReplyPayload | NotifyPayload
"""What an outbox row carries."""


def payload_of(data: Mapping[str, Any]) -> Payload:
    """The typed payload of a stored row.

    Args:
        data: the row's stored payload.

    Raises:
        PayloadError: the payload cannot be read (written by another version?).
    """
    try:
        if data.get("kind") == "notify":
            return NotifyPayload.from_json(data)
        return ReplyPayload.from_json(data)
    except PayloadError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise PayloadError(f"{type(exc).__name__}: {exc}") from exc
