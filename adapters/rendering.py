"""Rendering's one dispatch: each kind of neutral reply to its platform's function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from briefings.service import replies
from briefings.service.replies import Reply

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Renderers(Generic[T]):
    """One platform's render function for each kind of reply; calling it renders a reply."""

    digest: Callable[[replies.Digest], T]
    profile: Callable[[replies.ActorProfile], T]
    events: Callable[[replies.EventList], T]
    subscriptions: Callable[[replies.SubscriptionList], T]
    settings: Callable[[replies.DigestSettingsView], T]
    help: Callable[[replies.Help], T]
    notice: Callable[[replies.Notice], T]

    def __call__(self, reply: Reply) -> T:
        """Render ``reply`` with the function for its kind."""
        if isinstance(reply, replies.Digest):
            return self.digest(reply)
        if isinstance(reply, replies.ActorProfile):
            return self.profile(reply)
        if isinstance(reply, replies.EventList):
            return self.events(reply)
        if isinstance(reply, replies.SubscriptionList):
            return self.subscriptions(reply)
        if isinstance(reply, replies.DigestSettingsView):
            return self.settings(reply)
        if isinstance(reply, replies.Help):
            return self.help(reply)
        return self.notice(reply)
