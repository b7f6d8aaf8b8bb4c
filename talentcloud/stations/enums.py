from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StationKind(models.TextChoices):
    OVERSEAS = "overseas", _("Overseas workstation")
    DOMESTIC = "domestic", _("Domestic landing carrier")


class LeadState(models.TextChoices):
    CONTACTED = "contacted", pgettext_lazy("lead state", "Contacted")
    INTERESTED = "interested", pgettext_lazy("lead state", "Interested")
    VISITED = "visited", pgettext_lazy("lead state", "Visited")
    SIGNED = "signed", pgettext_lazy("lead state", "Signed")
    LANDED = "landed", pgettext_lazy("lead state", "Landed")
    DROPPED = "dropped", pgettext_lazy("lead state", "Dropped")


class LeadSource(models.TextChoices):
    DIRECT = "direct", _("Station's own contact")
    EVENT = "event", _("Event attendee")


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call or message")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit to the district")
    NOTE = "note", _("Note")
    MOVE = "move", _("Stage change")


class EventKind(models.TextChoices):
    INTERNATIONAL = "international", _("International talent event")
    SALON = "salon", _("逸才堂 salon")
    WUTONGLIN = "wutonglin", _("梧桐林 activity")
