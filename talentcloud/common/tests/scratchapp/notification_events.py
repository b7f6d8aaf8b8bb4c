"""The scratch app's notification (``notifications.events`` renders it like any other)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.notifications.events import Event

NOTIFICATION_EVENTS = {
    "scratch.happened": Event(
        title=_("Scratch notice %(number)s"),
        body=_("The scratch app says %(number)s."),
    ),
}
