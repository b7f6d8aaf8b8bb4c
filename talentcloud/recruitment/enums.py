"""Choices of the recruitment app (引才)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SalaryKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    ANNUAL = "annual", _("Annual")
    NEGOTIABLE = "negotiable", _("Negotiable (面议)")


class DemandState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CatalogueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FROZEN = "frozen", _("Frozen")
    PUBLISHED = "published", _("Published")


class CutoffMode(models.TextChoices):
    FIXED = "fixed", _("Fixed scores")
    QUANTILE = "quantile", _("Shares of posts (a pyramid)")
