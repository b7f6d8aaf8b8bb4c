"""The service hall's notifications: what the applicant and the department staff are told about a case, its
rating and an appeal (``notifications.events`` puts them into words; parameters are filled with
``%(name)s``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.notifications.events import Event

NOTIFICATION_EVENTS = {
    "case.submitted": Event(
        title=_("Case %(number)s received"),
        body=_("Your application for %(service)s has been received as case %(number)s."),
    ),
    "case.accepted": Event(
        title=_("Case %(number)s accepted"),
        body=_("Case %(number)s (%(service)s) was accepted; it is due by %(due)s."),
    ),
    "case.returned": Event(
        title=_("Case %(number)s needs more materials"),
        body=_("Case %(number)s (%(service)s) needs more materials: %(note)s. Add them and resubmit."),
    ),
    "case.refused": Event(
        title=_("Case %(number)s not accepted"),
        body=_("Case %(number)s (%(service)s) was not accepted: %(note)s"),
    ),
    "case.answered": Event(
        title=_("Case %(number)s answered"),
        body=_("Case %(number)s (%(service)s) has an answer. Please read it and rate the service."),
    ),
    "case.new": Event(
        title=_("New case %(number)s"),
        body=_("A new case %(number)s (%(service)s) is waiting for your department."),
    ),
    "case.escalated": Event(
        title=_("Case %(number)s is overdue"),
        body=_("Case %(number)s (%(service)s) of %(department)s passed its deadline %(due)s."),
    ),
    "cases.escalated": Event(
        title=_("%(count)s cases are overdue"),
        body=_("%(count)s cases of %(department)s passed their deadlines and were escalated."),
    ),
    "rating.poor": Event(
        title=_("Poor rating on case %(number)s"),
        body=_("Case %(number)s (%(service)s) was rated %(level)s. A rectification item is open."),
    ),
    "appeal.decided": Event(
        title=_("Appeal on case %(number)s decided"),
        body=_("The appeal against the rating of case %(number)s was %(outcome)s."),
    ),
}
