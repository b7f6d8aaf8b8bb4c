"""招贤令 campaigns, 双选会 sessions, applications to posts and their interview slots (ADR 0033).

A campaign lists approved demand (``recruitment.Demand``: an enterprise's post) for a target group and a
period; a session (双选会) lists posts for a time window. A talent's application to a post records the channel
it came through (``channels.CHANNELS``: direct, a campaign, a session, or a kind a higher app registers) and
moves on the shared workflow engine (``workflow.APPLICATIONS``). The application carries its enterprise and
that enterprise's park and street as columns (ADR 0015), so an enterprise reads its own applicants and the
office everyone's through one scope check."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentcloud.talents.enums import Degree

from .enums import ApplicationState, CampaignState, TargetGroup


class Campaign(models.Model):
    """A 招贤令: a target group, a period, the posts it lists; drafted, published and closed by the office."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True)
    target = models.CharField(_("target group"), max_length=12, choices=TargetGroup.choices)
    majors = models.ManyToManyField(
        "recruitment.Major", verbose_name=_("majors sought"), blank=True, related_name="+"
    )
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        verbose_name=_("industry chain"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    posts = models.ManyToManyField(
        "recruitment.Demand", verbose_name=_("posts"), blank=True, related_name="campaigns"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CampaignEvent(models.Model):
    """A move of a campaign on its table (the workflow engine's timeline)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.action}"


class FairSession(models.Model):
    """An online 双选会: during its window the posts it lists take applications, and talents register."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=120)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("opens at"))
    ends_at = models.DateTimeField(_("closes at"))
    posts = models.ManyToManyField(
        "recruitment.Demand", verbose_name=_("posts"), blank=True, related_name="fair_sessions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "title"]
        verbose_name = _("job fair session")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_window"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SessionRegistration(models.Model):
    """A talent registered for a 双选会 session."""

    session = models.ForeignKey(FairSession, on_delete=models.CASCADE, related_name="registrations")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "account"], name="session_register_once")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.account_id}"


class JobApplication(models.Model):
    """A talent's application to a post (投递), with the channel it came through and the consent the talent
    gave for the employer to read their profile."""

    scope_unit_paths = ("park", "street")
    scope_unit_kinds = {"park": "park", "street": "street"}
    scope_self_paths = ("applicant",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    demand = models.ForeignKey(
        "recruitment.Demand", verbose_name=_("post"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    park = models.ForeignKey(
        "accounts.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    street = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="+"
    )
    degree = models.CharField(_("highest degree"), max_length=20, choices=Degree.choices)
    major = models.ForeignKey(
        "recruitment.Major",
        verbose_name=_("major"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    statement = models.TextField(_("about me"), max_length=2000, blank=True)
    consent_at = models.DateTimeField(_("consented to share the profile at"))
    channel = models.CharField(_("channel"), max_length=20)
    channel_ref = models.CharField(_("channel reference"), max_length=64, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    session = models.ForeignKey(
        FairSession, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(
        _("stage"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.APPLIED
    )
    revision = models.PositiveIntegerField(default=0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("job application")
        indexes = [
            models.Index(fields=["enterprise", "-created_at"], name="jobapp_enterprise_idx"),
            models.Index(fields=["park", "-created_at"], name="jobapp_park_idx"),
            models.Index(fields=["channel", "state"], name="jobapp_channel_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["demand", "applicant"], name="jobapp_once_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} → {self.demand_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.demand_id is not None:  # the scope keys follow the post's enterprise (ADR 0015)
            self.enterprise_id = self.demand.enterprise_id
            self.park_id = self.demand.park_id
            self.street_id = self.demand.street_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ApplicationEvent(models.Model):
    """A step of an application (the workflow engine's timeline): what the talent sees and analytics read."""

    application = models.ForeignKey(JobApplication, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12, choices=ApplicationState.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="jobapp_event_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class InterviewSlot(models.Model):
    """An interview time an enterprise offers for a post; one invited applicant takes it (first come)."""

    demand = models.ForeignKey("recruitment.Demand", on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("interview time"))
    place = models.CharField(_("place or link"), max_length=200)
    taken_by = models.OneToOneField(
        JobApplication, null=True, blank=True, on_delete=models.SET_NULL, related_name="slot"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "starts_at", "place"], name="slot_once_per_post"),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.starts_at:%Y-%m-%d %H:%M}"
