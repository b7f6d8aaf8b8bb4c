"""The text of each notification, per event, in Chinese and English. A notification keeps its event and its
parameters (``texts.params_encode``) and is put into words when read, in the reader's language: the page's
and the API's for the inbox, the recipient's preferred language for e-mail and SMS.

The events are declared by the apps that send them, each in its own ``notification_events.py``::

    NOTIFICATION_EVENTS = {
        "case.submitted": Event(title=_("Case %(number)s received"), body=_("Your application ...")),
    }

An event code declared by two apps is an error; sending an event no installed app declares fails at once
(``UnknownEvent``). Parameters are filled with ``%(name)s``; they never hold ID or phone numbers.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from talentcloud.common.registries import forgotten_with_apps, keyed

from .texts import fill


class Event(NamedTuple):
    """A notification's title and body: lazy translations with ``%(name)s`` places."""

    title: Any
    body: Any


class UnknownEvent(KeyError):
    """An event code no installed app declares in its ``notification_events.py``."""


@forgotten_with_apps
@cache
def events() -> dict[str, Event]:
    """Every installed app's ``NOTIFICATION_EVENTS``, by code."""
    declared: dict[str, Event] = keyed("notification_events", "NOTIFICATION_EVENTS")
    return declared


def event_get(code: str) -> Event:
    try:
        found: Event = events()[code]
    except KeyError:
        raise UnknownEvent(
            f"notification event {code!r} is not declared in any installed app's notification_events.py"
        ) from None
    return found


def render(event: str, params: dict[str, Any]) -> tuple[str, str]:
    """Title and body of ``event`` in the active language, from stored (encoded) parameters."""
    title, body = event_get(event)
    return fill(title, params), fill(body, params)
