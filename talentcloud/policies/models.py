"""Policies as data: versioned policies with an eligibility rule and a benefit, and dated parameters.

The database is authoritative; YAML files are how policies are written, reviewed and exchanged (``loader``).
Editing an effective policy makes a new version; every evaluation names the version it used.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Target(models.TextChoices):
    TALENT = "talent", _("Talents")
    ENTERPRISE = "enterprise", _("Enterprises")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Superseded")


class Policy(models.Model):
    """One version of a policy. ``code`` names the policy across versions; one version is published."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    issuer = models.CharField(_("issuing body"), max_length=100)
    document_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    source_url = models.URLField(_("source"), blank=True)
    target = models.CharField(_("target"), max_length=12, choices=Target.choices, default=Target.TALENT)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    rule = models.JSONField(_("eligibility rule"))
    benefit = models.JSONField(_("benefit"))
    exclusion_group = models.SlugField(_("exclusion group (就高不重复)"), max_length=60, blank=True)
    group_priority = models.PositiveSmallIntegerField(_("priority in the group"), default=0)
    yearly_budget = models.DecimalField(
        _("yearly budget (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    materials = models.JSONField(_("required materials"), default=list, blank=True)
    service = models.ForeignKey(
        "servicehall.Service",
        verbose_name=_("apply through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    tests = models.JSONField(_("test cases"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("policy")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="policy_version_unique"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(status="published"), name="policy_one_published"
            ),
        ]

    def __str__(self) -> str:
        if self.title_en and (get_language() or "").startswith("en"):
            return self.title_en
        return self.title

    def effective_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


class Parameter(models.Model):
    """A named value with the date it takes effect and where it comes from (OpenFisca-style dated
    parameters): the value on a day is the newest one effective by then."""

    name = models.SlugField(_("name"), max_length=60)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source (文号 or link)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "effective_from"], name="parameter_dated_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.effective_from}"


def parameters_on(day: date) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for parameter in Parameter.objects.filter(effective_from__lte=day).order_by("name", "-effective_from"):
        values.setdefault(parameter.name, parameter.value)
    return values
