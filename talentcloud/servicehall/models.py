"""The one-stop service hall (一站式受理、办结、答复): the service catalogue, cases and their clock, ratings.

A service's form, materials and time limit are versioned (``ServiceVersion``); a case keeps the version it
was filed under. A case changes state only through ``workflow.case_transition`` (the declared table).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.models import TimeStampedModel
from talentcloud.notifications.texts import CodedTextField
from talentcloud.privacy.fields import EncryptedTextField
from talentcloud.privacy.storage import private_storage

from .clock import colour_of
from .enums import (
    AppealStatus,
    CaseState,
    Decision,
    JointMode,
    LimitKind,
    PartStatus,
    QuotaStatus,
    RatingLevel,
    RectificationStep,
    Theme,
    UnratedRule,
)


class Service(TimeStampedModel):
    """A service of the catalogue. What may change under a filed case (form, materials, limit) lives in
    its versions; the rest (names, departments, who may apply, FAQ) is edited in place."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="services"
    )
    co_departments = models.ManyToManyField(
        OrgUnit, verbose_name=_("joint departments (联办)"), blank=True, related_name="joint_services"
    )
    joint_mode = models.CharField(
        _("joint handling"), max_length=10, choices=JointMode.choices, default=JointMode.PARALLEL
    )
    # Who may apply: a rule of the platform's rule language (``talentcloud.rules``); {} = any talent with an
    # archive (ADR 0014).
    eligibility = models.JSONField(_("who may apply (a rule)"), default=dict, blank=True)
    for_enterprises = models.BooleanField(_("enterprises apply"), default=False)
    quota_per_year = models.PositiveIntegerField(
        _("places per grade and year"),
        null=True,
        blank=True,
        help_text=_("Care services only (health checks, recuperation)."),
    )
    faq = models.TextField(_("questions and answers"), blank=True)
    # What the public service guide (办事指南) shows besides the version's form, materials and time limit.
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, default=Theme.GENERAL)
    place = models.CharField(
        _("where to apply in person"),
        max_length=200,
        blank=True,
        help_text=_("Hall, floor, window, address."),
    )
    phone = models.CharField(_("enquiry phone"), max_length=40, blank=True)
    fee = models.CharField(_("fee"), max_length=100, blank=True, help_text=_("Empty: free of charge."))
    legal_basis = models.TextField(
        _("legal basis"), blank=True, help_text=_("The documents (文号) the service rests on, one per line.")
    )
    is_active = models.BooleanField(_("open for applications"), default=True)
    sort_order = models.PositiveIntegerField(default=0)
    current = models.ForeignKey(
        "ServiceVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("service")

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class ServiceVersion(models.Model):
    """The form fields, required materials and time limit a case is filed under (never changed once made).

    ``form_fields``: ``[{"key", "label", "label_en", "type", "required", "choices", "help", "sensitive"}]``
    ``materials``: ``[{"key", "label", "label_en", "kinds", "max_count", "max_mb", "required"}]``
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    form_fields = models.JSONField(default=list, blank=True)
    materials = models.JSONField(default=list, blank=True)
    limit_kind = models.CharField(max_length=20, choices=LimitKind.choices, default=LimitKind.WORKING_DAYS)
    limit_days = models.PositiveIntegerField(null=True, blank=True)
    limit_date = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number}"

    def limit_text(self) -> str:
        if self.limit_kind == LimitKind.FIXED_DATE:
            return str(_("by %(date)s")) % {"date": self.limit_date}
        unit = _("working days") if self.limit_kind == LimitKind.WORKING_DAYS else _("calendar days")
        return f"{self.limit_days} {unit}"


class CaseCounter(models.Model):
    """The last case number given out on a day (case numbers are 320115-YYYYMMDD-NNNNN)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Case(models.Model):
    """办件: one application, from draft to closed."""

    # Staff of the lead department and of joint departments see a case; the applicant sees their own.
    scope_unit_paths = ("department", "parts__department")
    scope_self_paths = ("applicant",)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("case number"), max_length=24, unique=True, null=True, blank=True)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
    )
    version = models.ForeignKey(ServiceVersion, on_delete=models.PROTECT, related_name="cases")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="cases"
    )
    talent = models.ForeignKey(
        "talents.Talent", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    form_data = EncryptedTextField(_("form"), blank=True)  # JSON; sensitive answers included
    state = models.CharField(_("status"), max_length=20, choices=CaseState.choices, default=CaseState.DRAFT)
    revision = models.PositiveIntegerField(default=0)  # every transition adds one (optimistic locking)
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("lead department"), on_delete=models.PROTECT, related_name="cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    idempotency_key = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    yellow_on = models.DateField(null=True, blank=True)  # from this day on the case shows yellow
    paused_since = models.DateField(null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)  # [[first paused day, last paused day], …]
    request_note = models.TextField(_("materials requested"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reasons"), blank=True)
    answer = models.TextField(_("answer to the applicant"), blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_run = models.UUIDField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency_unique",
            )
        ]
        indexes = [
            # One state of a department's work in the worklist's order (ids included: a page's ids and the
            # capped count are read from the index alone, however deep the page).
            models.Index(
                fields=["department", "state", "due_on", "submitted_at", "id"], name="case_worklist_idx"
            ),
            # The worklist's default order over open cases: walked in order, it stops after one page.
            models.Index(
                fields=["department", "due_on", "submitted_at", "id"],
                condition=Q(state__in=["submitted", "returned", "in_progress", "paused", "concluded"]),
                name="case_open_work_idx",
            ),
            # Every department's open cases in the worklist's order: the office's worklist, and a department's
            # joint cases (walked in order, each probed for the department's open part, until a page is full).
            models.Index(
                fields=["due_on", "submitted_at", "id"],
                condition=Q(state__in=["submitted", "returned", "in_progress", "paused", "concluded"]),
                name="case_open_order_idx",
            ),
            models.Index(fields=["state", "due_on"], name="case_clock_idx"),
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_idx"),
        ]

    def __str__(self) -> str:
        return self.number or str(self.pk)

    def colour(self, today: date) -> str:

        return colour_of(self, today)


class CasePart(models.Model):
    """A joint department's part of a case (联办). The lead department concludes once every part is done."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parts")
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=PartStatus.choices, default=PartStatus.WAITING)
    note = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "department"], name="case_part_unique")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.status}"


class CaseEvent(models.Model):
    """The case's timeline: every transition and every material added."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = CodedTextField(blank=True)  # a person's note as typed; the system's a code, in the reader's words

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.from_state}→{self.to_state}"


class CaseRequest(models.Model):
    """A 补正 request: every item the applicant is asked for at once (existing material slots and items staff
    name in their own words), and the applicant's text answers. Each item takes an upload (a slot item into
    its slot, any other item under its own key) and a text answer; resubmitting needs each item provided."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    number = models.PositiveSmallIntegerField()  # 1, 2, … within the case
    # [{"key": material slot key or "req<number>_<i>", "label": shown to the applicant, "slot": bool}]
    items = models.JSONField(default=list)
    note = models.TextField(blank=True)
    answers = EncryptedTextField(blank=True)  # JSON {item key: text}
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="case_request_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"


class CaseMaterial(models.Model):
    """An uploaded material, encrypted, under a generated name."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(max_length=40)
    file = models.FileField(storage=private_storage, max_length=200)
    display_name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sm3 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "uploaded_at"]

    def __str__(self) -> str:
        return self.display_name


class QuotaPool(models.Model):
    """Places of a care service per year and grade (blank grade: any). ``used`` never exceeds ``capacity``:
    a place is taken by a conditional UPDATE, so concurrent applications cannot overbook."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="quota_pools")
    year = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=1, blank=True)
    capacity = models.PositiveIntegerField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "year", "grade"], name="quota_pool_unique"),
            models.CheckConstraint(condition=Q(used__lte=models.F("capacity")), name="quota_not_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year} {self.grade or '*'} {self.used}/{self.capacity}"


class QuotaHold(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="quota_hold")
    pool = models.ForeignKey(QuotaPool, on_delete=models.PROTECT, related_name="holds")
    status = models.CharField(max_length=10, choices=QuotaStatus.choices, default=QuotaStatus.HELD)

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


class Rating(models.Model):
    """好差评: one per case (the constraint makes a second one impossible). Under 联办 it counts against the
    lead department and the joint departments see it."""

    scope_unit_paths = ("department", "case__parts__department")
    scope_self_paths = ("rated_by",)

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="rating")
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="ratings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="ratings")
    by_default = models.BooleanField(default=False)  # an unrated case counted per the office's setting
    excluded = models.BooleanField(default=False)  # an appeal was upheld: the rating does not count
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.level}"

    @property
    def poor(self) -> bool:
        return self.level <= RatingLevel.DISSATISFIED


class Rectification(models.Model):
    """The loop a poor rating opens: verify → rectify → report back → call back, each with a due date."""

    scope_unit_paths = ("department",)
    scope_self_paths: tuple[str, ...] = ()

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="rectification")
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    step = models.CharField(
        max_length=10, choices=RectificationStep.choices, default=RectificationStep.VERIFY
    )
    step_due_on = models.DateField()
    log = models.JSONField(default=list, blank=True)  # [{"step", "note", "by", "at"}]
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["step_due_on", "id"]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.step}"


class Appeal(models.Model):
    """A department's appeal against a rating it holds false; the talent office decides."""

    scope_unit_paths = ("department",)
    scope_self_paths: tuple[str, ...] = ()

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="appeals")
    department = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reasons"))
    status = models.CharField(max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"], condition=Q(status="pending"), name="appeal_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating_id} {self.status}"


class HallSettings(models.Model):
    """The office's settings for the hall (one row)."""

    unrated_after_days = models.PositiveSmallIntegerField(
        _("an unrated case counts after (days)"), default=15
    )
    unrated_rule = models.CharField(
        _("an unrated case counts as"),
        max_length=20,
        choices=UnratedRule.choices,
        default=UnratedRule.NOT_COUNTED,
    )
    yellow_percent = models.PositiveSmallIntegerField(_("yellow from (% of the limit)"), default=80)
    rectification_step_days = models.PositiveSmallIntegerField(
        _("working days per rectification step"), default=5
    )

    def __str__(self) -> str:
        return "hall settings"

    @classmethod
    def load(cls) -> Any:
        return cls.objects.get_or_create(pk=1)[0]
