"""Choices of the matching app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactState(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the talent's answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ChangeKind(models.TextChoices):
    PROFILE = "profile", _("Profile changed")
    CONSENT = "consent", _("Consent changed")
    DELETED = "deleted", _("Profile deleted")
