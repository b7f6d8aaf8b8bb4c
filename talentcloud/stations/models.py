"""Talent events with registrations and QR check-in; overseas workstations (海外引才工作站) and domestic
landing carriers with their leads, the leads' activities, the first verified contact's credit on a person,
and the landing rewards made in the payout ledger (ADR 0034)."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.common.models import TimeStampedModel
from talentcloud.privacy.fields import BlindIndexField, EncryptedTextField

from .enums import ActivityKind, EventKind, LeadSource, LeadState, StationKind


def new_check_in_code() -> str:
    """The code a registration's QR carries: random, never derived from the person."""
    return secrets.token_urlsafe(12)


class Station(TimeStampedModel):
    """A workstation abroad (or a landing carrier at home) run by a partner organisation: the partner's
    accounts belong to ``partner_unit`` (an external unit) and see this station's consented leads only.
    ``transfer_agreement`` names the cross-border transfer agreement (PIPL art. 38: the standard contract's
    filing) under which the partner abroad receives personal information."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=StationKind.choices)
    country = models.CharField(_("country or region"), max_length=60)
    city = models.CharField(_("city"), max_length=60)
    partner = models.CharField(_("partner organisation"), max_length=120)
    partner_unit = models.OneToOneField(
        "accounts.OrgUnit",
        verbose_name=_("partner's accounts unit"),
        on_delete=models.PROTECT,
        related_name="station",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager at the talent office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    transfer_agreement = models.CharField(_("cross-border transfer agreement"), max_length=120, blank=True)
    payee_account = models.CharField(_("reward account"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("station")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Event(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    venue = models.CharField(_("venue"), max_length=150)
    starts_at = models.DateTimeField(_("starts at"))
    capacity = models.PositiveIntegerField(_("places"), default=100)
    station = models.ForeignKey(
        Station,
        verbose_name=_("station its attendees flow to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    summary = models.TextField(_("summary"), blank=True)
    published = models.BooleanField(_("open for registration"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-starts_at", "id")
        verbose_name = _("talent event")

    def __str__(self) -> str:
        return self.title

    @property
    def pk_str(self) -> str:
        return str(self.pk)


class Registration(models.Model):
    """One person's place at an event: a signed-in talent (``account``) or a guest with minimal data (name and
    mobile number, encrypted). ``code`` is what the QR carries; ``checked_in_at`` is set once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    talent = models.ForeignKey(
        "talents.Talent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("mobile number"))
    phone_index = BlindIndexField(source="phone")
    code = models.CharField(max_length=40, unique=True, default=new_check_in_code, editable=False)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("registered_at", "id")
        verbose_name = _("event registration")
        constraints = [
            models.UniqueConstraint(fields=("event", "phone_index"), name="stations_one_place_per_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.pk}"


class Lead(models.Model):
    """A person a station is bringing to the district, with minimal personal data: name, mobile number and
    e-mail encrypted (SM4-GCM), found by their blind indexes (how two stations' claims on one person are
    found). ``consent_at`` is the separate consent to cross-border provision (PIPL arts. 38–39) recorded at
    contact: without it the partner does not see the lead. ``talent`` is the archive record once linked;
    the lead lands when that record's ``arrived_on`` is set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="leads"
    )
    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("mobile number"), blank=True)
    phone_index = BlindIndexField(source="phone")
    email = EncryptedTextField(_("e-mail"), blank=True)
    email_index = BlindIndexField(source="email")
    country = models.CharField(_("country or region"), max_length=60, blank=True)
    field = models.CharField(_("field of work"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=LeadSource.choices, default=LeadSource.DIRECT
    )
    registration = models.OneToOneField(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead"
    )
    contacted_on = models.DateField(_("first contact"))
    consent_at = models.DateTimeField(_("cross-border consent given"), null=True, blank=True)
    consent_ref = models.CharField(_("consent record"), max_length=120, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("cross-border consent withdrawn"), null=True, blank=True)
    verified_at = models.DateTimeField(_("contact verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credited = models.BooleanField(_("credited with this person"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("claimed first by"),
    )
    talent = models.ForeignKey(
        "talents.Talent",
        verbose_name=_("archive record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="station_leads",
    )
    state = models.CharField(
        _("stage"), max_length=12, choices=LeadState.choices, default=LeadState.CONTACTED
    )
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("-created_at", "id")
        verbose_name = _("lead")
        indexes = [models.Index(fields=("station", "state"), name="stations_lead_station_state")]

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def consented(self) -> bool:
        return self.consent_at is not None and self.consent_withdrawn_at is None


class LeadActivity(models.Model):
    """What happened with a lead: a contact, a meeting, a visit, a note, or a stage change (the workflow's
    timeline row)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="activities")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices)
    action = models.CharField(max_length=20, blank=True)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("lead activity")

    def __str__(self) -> str:
        return f"{self.lead_id}:{self.kind}"

    @property
    def to_label(self) -> str:
        return str(LeadState(self.to_state).label) if self.to_state in LeadState.values else self.to_state


class Credit(models.Model):
    """The first verified contact's claim on a person, one row per key the person is known by (``phone:…``,
    ``email:…`` blind indexes, ``talent:<id>``): the key is unique, so of two stations' leads on one person
    only the first verified holds it, even when both are verified at once."""

    key = models.CharField(max_length=100, unique=True)
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="credits")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("station credit")

    def __str__(self) -> str:
        return self.key


class RewardRate(models.Model):
    """What the district pays a station per landed talent, by the talent's grade (blank: ungraded), and the
    policy whose budget line the award commits."""

    for_grade = models.CharField(_("grade"), max_length=1, blank=True, unique=True)
    amount = models.DecimalField(_("reward (yuan)"), max_digits=12, decimal_places=2)
    policy_code = models.CharField(_("policy"), max_length=80)

    class Meta:
        ordering = ("for_grade",)
        verbose_name = _("station reward rate")

    def __str__(self) -> str:
        return f"{self.for_grade or '-'}:{self.amount}"


class Reward(models.Model):
    """A landing reward made in the payout ledger (``payouts.services.award_make``): one per landed talent
    (unique), so a talent two stations claimed is paid for once."""

    lead = models.OneToOneField(Lead, on_delete=models.PROTECT, related_name="reward")
    talent = models.OneToOneField("talents.Talent", on_delete=models.PROTECT, related_name="station_reward")
    award = models.OneToOneField("payouts.Award", on_delete=models.PROTECT, related_name="+")
    landed_grade = models.CharField(max_length=1, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("station reward")

    def __str__(self) -> str:
        return f"{self.lead_id}:{self.amount}"
