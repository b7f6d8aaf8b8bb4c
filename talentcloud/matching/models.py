"""Matching (引才, #26): a talent's matching details beside their job-seeker profile, the change log every
process's search index catches up from (ADR 0032), and employers' requests to contact a matched talent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import ChangeKind, ContactState


class MatchDetails(models.Model):
    """What a talent adds to their job-seeker profile for matching: skills of the office's dictionary, where
    and in which chain they want to work (blank: anywhere, any), the least annual salary they accept, and a
    few words about themselves. The hard filters read these columns; ``summary`` is matched as text."""

    profile = models.OneToOneField(
        "recruitment.JobSeekerProfile", on_delete=models.CASCADE, primary_key=True, related_name="match"
    )
    skills = models.ManyToManyField(
        "recruitment.Skill", verbose_name=_("skills"), blank=True, related_name="+"
    )
    location = models.CharField(_("preferred work location"), max_length=100, blank=True)
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        verbose_name=_("preferred industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    salary_floor = models.PositiveIntegerField(_("least annual salary (yuan)"), null=True, blank=True)
    summary = models.TextField(_("about me"), max_length=2000, blank=True)
    # the profile's text as rjieba tokens (``facts.profile_tokens``): what the index and ts_rank read
    tokens = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching details")

    def __str__(self) -> str:
        return str(self.profile_id)


class MatchChange(models.Model):
    """One change that moves a profile in or out of the matching index, or changes what it is matched on.
    Written in the transaction of the change, so it is seen exactly when the change commits; every process
    applies the rows above the last it read (``index.catch_up``)."""

    id = models.BigAutoField(primary_key=True)
    profile_id = models.BigIntegerField()
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.id} {self.kind} {self.profile_id}"


class ContactRequest(models.Model):
    """An enterprise asks a matched talent for contact about one of its demands; the talent accepts or
    declines. Until one is accepted the enterprise sees the profile masked."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    demand = models.ForeignKey(
        "recruitment.Demand", verbose_name=_("demand"), on_delete=models.CASCADE, related_name="+"
    )
    profile = models.ForeignKey(
        "recruitment.JobSeekerProfile", on_delete=models.CASCADE, related_name="contact_requests"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ContactState.choices, default=ContactState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("contact request")
        constraints = [models.UniqueConstraint(fields=["demand", "profile"], name="contact_once_per_demand")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.profile_id} {self.state}"
