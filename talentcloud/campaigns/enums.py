"""Choices of the campaigns app (招贤令, 双选会, applications)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TargetGroup(models.TextChoices):
    GRADUATES = "graduates", _("Master's and doctoral graduates (硕博)")
    OVERSEAS = "overseas", _("Overseas talents")
    CHAIN = "chain", _("Talents of an industry chain")


class CampaignState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign", "Draft")
    PUBLISHED = "published", pgettext_lazy("campaign", "Published")
    CLOSED = "closed", pgettext_lazy("campaign", "Closed")


class ApplicationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INVITED = "invited", _("Invited to interview")
    SCHEDULED = "scheduled", _("Interview time chosen")
    INTERVIEWED = "interviewed", _("Interviewed")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Offer accepted")
    DECLINED = "declined", _("Offer declined")
    REJECTED = "rejected", _("Not taken further")
    WITHDRAWN = "withdrawn", pgettext_lazy("application", "Withdrawn")


# The stages an application passes on its way to an accepted offer, in order (analytics, the talent's steps).
PIPELINE = (
    ApplicationState.APPLIED,
    ApplicationState.INVITED,
    ApplicationState.SCHEDULED,
    ApplicationState.INTERVIEWED,
    ApplicationState.OFFERED,
    ApplicationState.ACCEPTED,
)
FINAL = (
    ApplicationState.ACCEPTED,
    ApplicationState.DECLINED,
    ApplicationState.REJECTED,
    ApplicationState.WITHDRAWN,
)
