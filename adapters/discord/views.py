"""Buttons that keep working across restarts: stable custom ids, dispatched by pattern.

A button's custom id is ``briefbot:<action>:<value>`` (:func:`adapters.discord.render.custom_id`).
Messages carry plain buttons in a stopped view, so discord.py keeps no per-message state;
clicks on any of them — sent by this process or one that ran last week — are dispatched
by one :class:`discord.ui.DynamicItem` class registered on the client, which matches the
custom id and hands the neutral :class:`~briefings.service.replies.Button` to a callback.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from adapters.discord.layout import BUTTON_LABEL_LIMIT, ellipsize
from adapters.discord.render import BUTTON_STYLES, CUSTOM_ID_PREFIX, custom_id
from briefings.service.replies import Button, ButtonAction

TEMPLATE = rf"{CUSTOM_ID_PREFIX}:(?P<action>subscribe|unsubscribe|share|actor|brief):(?P<value>.*)"
_STYLES = {action: discord.ButtonStyle(style) for action, style in BUTTON_STYLES.items()}
_ACTIONS: dict[str, ButtonAction] = {
    "subscribe": "subscribe",
    "unsubscribe": "unsubscribe",
    "share": "share",
    "actor": "actor",
    "brief": "brief",
}

OnClick = Callable[[discord.Interaction, Button], Awaitable[None]]
"""What runs when someone clicks a briefbot button."""


def parse_custom_id(value: str) -> Button | None:
    """The neutral button a custom id stands for (label unknown), or None if not briefbot's."""
    match = re.fullmatch(TEMPLATE, value, flags=re.DOTALL)
    if match is None:
        return None
    return Button(label="", action=_ACTIONS[match["action"]], value=match["value"])


def make_view(buttons: Sequence[Button]) -> discord.ui.View | None:
    """A view carrying ``buttons`` (five to a row), or None when there are none.

    The view is stopped before it is sent, so discord.py stores nothing per message; the
    registered dynamic item answers the clicks.

    Args:
        buttons: at most 25 buttons.
    """
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(
            discord.ui.Button(
                label=ellipsize(button.label, BUTTON_LABEL_LIMIT),
                style=_STYLES[button.action],
                custom_id=custom_id(button),
            )
        )
    view.stop()
    return view


def button_item(on_click: OnClick) -> type[discord.ui.DynamicItem[discord.ui.Button[Any]]]:
    """The dynamic item class to register with ``client.add_dynamic_items``.

    Args:
        on_click: called with the interaction and the clicked button.
    """

    class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
        def __init__(self, button: Button) -> None:
            super().__init__(
                discord.ui.Button(
                    label=button.label or button.action,
                    style=_STYLES[button.action],
                    custom_id=custom_id(button),
                )
            )
            self.button = button

        @classmethod
        async def from_custom_id(
            cls,
            interaction: discord.Interaction,
            item: discord.ui.Item[Any],
            match: re.Match[str],
            /,
        ) -> ActionButton:
            label = item.label if isinstance(item, discord.ui.Button) else None
            action = _ACTIONS[match["action"]]
            return cls(Button(label=label or "", action=action, value=match["value"]))

        async def callback(self, interaction: discord.Interaction) -> None:
            await on_click(interaction, self.button)

    return ActionButton
