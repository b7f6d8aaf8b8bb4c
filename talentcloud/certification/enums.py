from django.db import models
from django.utils.translation import gettext_lazy as _


class Basis(models.TextChoices):
    """What a certification rests on (domain.md, Talent classification)."""

    PROGRAMME = "programme", _("Programme award")
    RULE = "rule", _("Classification rule")
    CASE = "case", _("Hall case (人才认定)")
    DECISION = "decision", _("Office decision")
    RECORDED = "recorded", _("Recorded before the certification history")


class CertificationStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SCHEDULED = "scheduled", _("Takes effect later")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
