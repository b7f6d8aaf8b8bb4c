"""The text of each notification, per event, in Chinese and English. A notification keeps its event and its
parameters (``texts.params_encode``) and is put into words when read, in the reader's language: the page's
and the API's for the inbox, the recipient's preferred language for e-mail and SMS.

Parameters are filled with ``%(name)s``; they never hold ID or phone numbers.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .texts import fill

EVENTS: dict[str, tuple[Any, Any]] = {
    "case.submitted": (
        _("Case %(number)s received"),
        _("Your application for %(service)s has been received as case %(number)s."),
    ),
    "case.accepted": (
        _("Case %(number)s accepted"),
        _("Case %(number)s (%(service)s) was accepted; it is due by %(due)s."),
    ),
    "case.returned": (
        _("Case %(number)s needs more materials"),
        _("Case %(number)s (%(service)s) needs more materials: %(note)s. Add them and resubmit."),
    ),
    "case.refused": (
        _("Case %(number)s not accepted"),
        _("Case %(number)s (%(service)s) was not accepted: %(note)s"),
    ),
    "case.answered": (
        _("Case %(number)s answered"),
        _("Case %(number)s (%(service)s) has an answer. Please read it and rate the service."),
    ),
    "case.new": (
        _("New case %(number)s"),
        _("A new case %(number)s (%(service)s) is waiting for your department."),
    ),
    "case.escalated": (
        _("Case %(number)s is overdue"),
        _("Case %(number)s (%(service)s) of %(department)s passed its deadline %(due)s."),
    ),
    "cases.escalated": (
        _("%(count)s cases are overdue"),
        _("%(count)s cases of %(department)s passed their deadlines and were escalated."),
    ),
    "policy.granted": (
        _("You qualify for %(policy)s"),
        _("Without applying, you qualify for %(policy)s (%(amount)s yuan a year); see the calculator."),
    ),
    "policy.case_opened": (
        _("An application for %(policy)s is ready for you"),
        _(
            "You qualify for %(policy)s (%(amount)s yuan a year). An application in %(service)s has been "
            "prepared for you: add what is missing and submit it."
        ),
    ),
    # A benefit that is not money (a school place, a health check) is told without an amount.
    "policy.granted_entitlement": (
        _("You qualify for %(policy)s"),
        _("Without applying, you qualify for %(policy)s; see the calculator."),
    ),
    "policy.case_opened_entitlement": (
        _("An application for %(policy)s is ready for you"),
        _(
            "You qualify for %(policy)s. An application in %(service)s has been prepared for you: add what "
            "is missing and submit it."
        ),
    ),
    "rating.poor": (
        _("Poor rating on case %(number)s"),
        _("Case %(number)s (%(service)s) was rated %(level)s. A rectification item is open."),
    ),
    "appeal.decided": (
        _("Appeal on case %(number)s decided"),
        _("The appeal against the rating of case %(number)s was %(outcome)s."),
    ),
}


def render(event: str, params: dict[str, Any]) -> tuple[str, str]:
    """Title and body of ``event`` in the active language, from stored (encoded) parameters."""
    title, body = EVENTS[event]
    return fill(title, params), fill(body, params)
