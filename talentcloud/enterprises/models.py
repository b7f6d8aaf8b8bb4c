"""Enterprises (一企一档) and the industry chains they belong to. The full archive grows in later work."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import OrgUnit
from talentcloud.common.models import TimeStampedModel
from talentcloud.common.validators import credit_code_validator


class IndustryChain(models.Model):
    """An industry chain (产业链), editable reference data."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("industry chain")

    def __str__(self) -> str:
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Enterprise(TimeStampedModel):
    scope_unit_paths = ("park", "street")
    scope_self_paths = ("members__user",)  # an enterprise's confirmed accounts see their own enterprise

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # Unique among records not pending a merge (constraint below); the service checks it first and names the
    # holder only when the writer may see it (ADR 0010).
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, validators=[credit_code_validator]
    )
    park = models.ForeignKey(
        OrgUnit,
        verbose_name=_("park"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="park_enterprises",
    )
    street = models.ForeignKey(
        OrgUnit, verbose_name=_("street"), on_delete=models.PROTECT, related_name="street_enterprises"
    )
    chain = models.ForeignKey(
        IndustryChain, verbose_name=_("industry chain"), null=True, blank=True, on_delete=models.PROTECT
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Written with a credit code that already belongs to an enterprise outside the writer's scope: kept
    # like any record, without claiming the code, until the office merges it or keeps it apart
    # (``EnterpriseClash``).
    pending_merge = models.BooleanField(_("pending the office's merge"), default=False, editable=False)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("enterprise")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=models.Q(pending_merge=False),
                name="enterprise_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def validate_constraints(self, exclude: Any = None) -> None:
        # The credit code's uniqueness is the service's check: a form must not answer "already exists" for an
        # enterprise its user cannot see.
        super().validate_constraints(exclude={*(exclude or ()), "credit_code"})


class AnnualReport(models.Model):
    """One submission of an enterprise's yearly figures. Every submission is kept (history); the newest for a
    year is the current one."""

    scope_unit_paths = ("enterprise__park", "enterprise__street")
    scope_self_paths: tuple[str, ...] = ()

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = models.DecimalField(_("revenue (10k yuan)"), max_digits=14, decimal_places=2)
    rd_spend = models.DecimalField(_("R&D spend (10k yuan)"), max_digits=14, decimal_places=2)
    staff = models.PositiveIntegerField(_("staff"))
    patents = models.PositiveIntegerField(_("patents"))
    funding_raised = models.DecimalField(
        _("funding raised (10k yuan)"), max_digits=14, decimal_places=2, default=0
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The newest submission for its year: the figures that count (policies read these). A resubmission
    # clears the flag of the one before, which stays as history.
    current = models.BooleanField(_("current"), default=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        verbose_name = _("annual report")
        indexes = [models.Index(fields=["enterprise", "year", "-created_at"], name="report_ent_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], condition=models.Q(current=True), name="report_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class KeyPerson(models.Model):
    """A founder or key person of an enterprise who is a talent (人才企业)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="key_people")
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="enterprise_roles")
    role = models.CharField(_("role"), max_length=50)
    # The person's share of the enterprise in percent (two decimals); blank: not recorded.
    # "经认定的人才合计持股" adds the shares of certified talents (``talents.facts``).
    share = models.DecimalField(_("shareholding (%)"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enterprise", "talent"], name="key_person_unique")]

    def __str__(self) -> str:
        return f"{self.role}"


class EnterpriseChange(models.Model):
    """Every change to an enterprise's record (一企一档 history): who, when, how, field, before/after."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=60)
    field = models.CharField(max_length=40)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.before} → {self.after}"

    @property
    def field_label(self) -> str:
        try:
            return str(getattr(Enterprise._meta.get_field(self.field), "verbose_name", self.field))
        except Exception:  # a field since removed from the model
            return self.field

    @property
    def via_label(self) -> str:
        labels = {
            "create": _("registered"),
            "staff": _("edited by staff"),
            "import": _("Excel import"),
            "merge": _("merged by the office"),
            "apart": _("kept apart by the office"),
        }
        return str(labels.get(self.via, self.via))


class EnterpriseMember(models.Model):
    """A confirmed account of an enterprise (its HR staff). An administrator confirms the others."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_admin = models.BooleanField(_("administrator"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_admin", "created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "user"], name="member_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.enterprise_id}"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    APPROVED = "approved", _("Confirmed")
    REFUSED = "refused", _("Refused")


class MembershipRequest(models.Model):
    """An account asks to act for an enterprise. The enterprise's administrator confirms an HR request;
    park or street staff confirm the first administrator (an enterprise with no administrator yet)."""

    scope_unit_paths = ("enterprise__park", "enterprise__street")
    scope_self_paths = ("user", "enterprise__members__user")  # the asker, and the enterprise's accounts

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The code the person asked with. The enterprise is linked when one with this code is on the platform
    # (now or once registered); the asker is never told which (ADR 0010).
    credit_code = models.CharField(_("unified social credit code"), max_length=18)
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="membership_requests"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    as_admin = models.BooleanField(_("as administrator"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code", "user"],
                condition=models.Q(status="pending"),
                name="membership_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}→{self.credit_code} {self.status}"


class ClashStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MERGED = "merged", _("Merged into the existing record")
    KEPT_APART = "apart", _("Kept apart")
    WITHDRAWN = "withdrawn", _("Number corrected")


class ClashVia(models.TextChoices):
    CREATE = "create", _("registered by staff")
    EDIT = "edit", _("edited by staff")
    IMPORT = "import", _("Excel import")
    REGISTER = "register", _("signed up")


class EnterpriseClash(models.Model):
    """A credit code written to an enterprise that already belongs to an enterprise outside the writer's
    scope. The new record is kept (``pending_merge``) and the office merges it into the existing one or
    keeps the two apart. Only the office sees these rows; nothing of the existing record reaches the
    writer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    new = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="clashes_raised"
    )
    existing = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="clashes_against")
    via = models.CharField(_("how"), max_length=10, choices=ClashVia.choices)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ClashStatus.choices, default=ClashStatus.OPEN
    )
    taken = models.JSONField(default=list, blank=True)  # fields whose new value the merge took
    note = models.CharField(_("note"), max_length=200, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("duplicate credit code")
        constraints = [
            models.UniqueConstraint(
                fields=["new"], condition=models.Q(status="open"), name="enterprise_clash_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.new_id}→{self.existing_id} {self.status}"
