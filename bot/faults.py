"""Test-only fault injection: kill the bot with SIGKILL at a chosen point of a delivery.

``BRIEFBOT_FAULT=kill_after_send:3`` (read by :func:`bot.config.fault_spec`) kills the
process the third time the outbox drain has posted a message but not yet recorded it.
The crash tests use it to stop the bot exactly where a naive outbox would lose or repeat
a message. Points, in the order a delivery passes them:

- ``after_claim``: rows claimed (leased), nothing recorded about a send;
- ``before_send``: rows recorded ``sending`` under their send key, nothing posted;
- ``after_send``: the message posted, not yet recorded ``sent``;
- ``after_record``: recorded ``sent``.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field

from briefings.errors import BriefingError

POINTS = ("after_claim", "before_send", "after_send", "after_record")


class FaultSpecError(BriefingError):
    """``BRIEFBOT_FAULT`` is not ``kill_<point>:<n>``."""


@dataclass
class Faults:
    """Kills this process the ``count``-th time the drain passes ``point``."""

    point: str
    count: int
    passed: int = field(default=0)

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """``kill_after_send:3`` → kill at the third ``after_send``.

        Args:
            spec: the value of ``BRIEFBOT_FAULT``.
        """
        name, _, number = spec.strip().partition(":")
        point = name.removeprefix("kill_")
        if point not in POINTS or not number.isdigit() or int(number) < 1:
            raise FaultSpecError(
                f"BRIEFBOT_FAULT={spec!r}: use kill_<point>:<n> with a point among "
                f"{', '.join(POINTS)} and n >= 1"
            )
        return cls(point, int(number))

    def __call__(self, point: str) -> None:
        """The drain passes ``point``: die here if this is the chosen time."""
        if point != self.point:
            return
        self.passed += 1
        if self.passed == self.count:
            os.kill(os.getpid(), signal.SIGKILL)
