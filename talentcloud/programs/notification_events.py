"""What the programmes tell people (``notifications.events`` puts it into words when read): the applicant
at every step an employer, a park or street or the office takes on their application; an expert when a seat
on a panel is theirs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.notifications.events import Event

NOTIFICATION_EVENTS = {
    "programs.moved": Event(
        title=_("Programme application %(number)s: %(state)s"),
        body=_("Your application %(number)s to “%(call)s” is now “%(state)s”. %(note)s"),
    ),
    "programs.seated": Event(
        title=_("A programme application to review"),
        body=_(
            "You are drawn to review an application to “%(call)s”. Declare any conflict before you read "
            "it; you may decline."
        ),
    ),
}
