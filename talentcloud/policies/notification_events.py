"""The policies' notifications: what a talent is told by the 免申即享 sweep (``notifications.events`` puts
them into words; parameters are filled with ``%(name)s``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.notifications.events import Event

NOTIFICATION_EVENTS = {
    "policy.granted": Event(
        title=_("You qualify for %(policy)s"),
        body=_("Without applying, you qualify for %(policy)s (%(amount)s yuan a year); see the calculator."),
    ),
    "policy.case_opened": Event(
        title=_("An application for %(policy)s is ready for you"),
        body=_(
            "You qualify for %(policy)s (%(amount)s yuan a year). An application in %(service)s has been "
            "prepared for you: add what is missing and submit it."
        ),
    ),
    # A benefit that is not money (a school place, a health check) is told without an amount.
    "policy.granted_entitlement": Event(
        title=_("You qualify for %(policy)s"),
        body=_("Without applying, you qualify for %(policy)s; see the calculator."),
    ),
    "policy.case_opened_entitlement": Event(
        title=_("An application for %(policy)s is ready for you"),
        body=_(
            "You qualify for %(policy)s. An application in %(service)s has been prepared for you: add what "
            "is missing and submit it."
        ),
    ),
}
