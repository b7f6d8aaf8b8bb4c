"""政策兑现: awards, their schedules (payout lines), budget lines, payment batches, the double-entry ledger.

Money is ``Decimal`` to the fen everywhere (``money.fen``). The ledger (``Posting``) is the truth of every
figure: each event is one entry of postings that sum to zero, so committed, paid and recovered reconcile per
budget line, department, policy and month (ADR 0024). ``BudgetLine.committed`` is the one figure kept beside
it, written only under the line's row lock so that concurrent awards never commit beyond the line."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from talentcloud.privacy.fields import EncryptedTextField

from .enums import (
    Account,
    AwardSource,
    AwardStatus,
    BatchState,
    Cadence,
    EntryKind,
    LineStatus,
    RecoveryReason,
    RecoveryStatus,
)
from .money import CENT


class MoneyField(models.BigIntegerField):
    """Yuan as ``Decimal`` in Python, whole fen (an integer) in the database: sums are exact on every
    database (SQLite would add decimals as floating point). Comparisons and ``SUM`` work on the fen; a value
    with more than two decimals is refused — rounding is ``money.fen``'s, once, never here."""

    _pyi_private_set_type: Decimal | int | str | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else (Decimal(int(value)) / 100).quantize(CENT)

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value))

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
        fen = amount * 100
        if fen != fen.to_integral_value():
            raise ValueError(f"{value} is not a whole number of fen: round it with money.fen first")
        return int(fen)


MONEY: dict[str, Any] = {}
TALENT_SCOPE_UNITS = ("talent__employer_park", "talent__employer_street", "talent__residence_street")
TALENT_SCOPE_SELF = ("talent__account",)


class BudgetLine(models.Model):
    """A policy's (or programme's) money for one fiscal year, held by a department."""

    scope_unit_paths = ("department",)
    scope_self_paths = ()

    policy_code = models.SlugField(_("policy or programme"), max_length=60)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    department = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(_("amount"), **MONEY)
    committed = MoneyField(_("committed"), default=0, **MONEY)  # open commitments (under lock)
    closed = models.BooleanField(_("closed at year end"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy_code", "fiscal_year"], name="payouts_line_policy_year"),
            models.CheckConstraint(
                condition=models.Q(committed__lte=models.F("amount")), name="payouts_line_within_amount"
            ),
        ]
        ordering = ["-fiscal_year", "policy_code"]
        verbose_name = _("budget line")

    def __str__(self) -> str:
        return f"{self.policy_code} {self.fiscal_year}"


class Award(models.Model):
    """A decided benefit for a talent or an enterprise: what it rests on, how much, to which account."""

    scope_unit_paths = TALENT_SCOPE_UNITS
    scope_self_paths = TALENT_SCOPE_SELF

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A policy's award names its policy; a programme's (ADR 0030) has none: its ``title`` says what it is
    # for and its budget line is the programme call's.
    policy = models.ForeignKey(
        "policies.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("awarded for"), max_length=200, blank=True)
    # 同一项目不重复支持: one active award per subject and group, across programmes and policies.
    exclusion_group = models.SlugField(_("exclusion group"), max_length=60, blank=True)
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="awards")
    talent = models.ForeignKey(
        "talents.Talent", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    source = models.CharField(_("source"), max_length=12, choices=AwardSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=80, blank=True)  # case no., sweep run
    snapshot = models.JSONField(_("eligibility snapshot"), default=dict)
    period_amount = MoneyField(_("amount per period"), **MONEY)  # rounded once, to the fen
    periods = models.PositiveSmallIntegerField(_("periods"))
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices)
    starts = models.DateField(_("first period"))  # the first day of the approval month
    total = MoneyField(_("total"), **MONEY)
    obligation_months = models.PositiveSmallIntegerField(_("service obligation (months)"), default=0)
    service_start = models.DateField(_("service starts"), null=True, blank=True)
    payee_account = EncryptedTextField(_("payee account"))
    payee_confirmed = models.BooleanField(default=True)  # False after a change until a second person checks
    status = models.CharField(max_length=12, choices=AwardStatus.choices, default=AwardStatus.ACTIVE)
    suspended_from = models.DateField(null=True, blank=True)
    suspension_reason = models.JSONField(default=list, blank=True)  # the failed continuing conditions
    resume_requested = models.BooleanField(default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(talent__isnull=False) ^ models.Q(enterprise__isnull=False),
                name="payouts_award_one_payee",
            ),
            models.CheckConstraint(
                condition=models.Q(policy__isnull=False) | ~models.Q(title=""), name="payouts_award_basis"
            ),
        ]
        ordering = ["-decided_at"]
        verbose_name = _("award")

    def __str__(self) -> str:
        return f"{self.basis} {self.total}"

    @property
    def basis(self) -> str:
        """What the award rests on, in words: its policy, or what a programme award is for."""
        return str(self.policy) if self.policy_id is not None else self.title


class PayeeChange(models.Model):
    """The history of an award's payee account: the old one is kept (encrypted)."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payee_changes")
    old_account = EncryptedTextField()
    new_account = EncryptedTextField()
    reason = models.CharField(max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.award_id} {self.changed_at:%Y-%m-%d}"


class Batch(models.Model):
    """A payment batch: the due lines of a period, through the batch workflow (``workflow.BATCHES``)."""

    scope_unit_paths = ()
    scope_self_paths = ()

    number = models.CharField(_("number"), max_length=20, unique=True)
    due_by = models.DateField(_("lines due by"))
    state = models.CharField(max_length=12, choices=BatchState.choices, default=BatchState.DRAFT)
    revision = models.PositiveIntegerField(default=0)
    maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reconciled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("payment batch")

    def __str__(self) -> str:
        return self.number


class FileKind(models.TextChoices):
    BANK = "bank", _("bank file")
    RETURN = "return", _("bank return file")


class BankFile(models.Model):
    """A bank file or the bank's return file: clear names and accounts, so stored encrypted (SM4-GCM),
    read only by finance after a fresh re-authentication, deleted once the batch is reconciled (retention)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(max_length=6, choices=FileKind.choices)
    name = models.CharField(max_length=80)
    content = EncryptedTextField()
    sha = models.CharField(max_length=64)  # SM3 of the content, kept in the audit details
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "kind"], name="payouts_file_once")]

    def __str__(self) -> str:
        return self.name


class BatchEvent(models.Model):
    """The batch's timeline: one row per move of the workflow."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.batch_id} {self.action}"


class PayoutLine(models.Model):
    """One accrual period of an award, paid once: its idempotency key is unique in the database and goes
    into one bank file at most. A failed or returned line is re-issued as a new line (``attempt`` + 1)."""

    # Found by the unique (award, period, attempt) index: no index of its own to write on every update.
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="lines", db_index=False)
    period = models.DateField(_("period"))  # the first day of the month it pays for
    pays_on = models.DateField(_("payable by"))
    amount = MoneyField(_("amount"), **MONEY)
    # An instalment tied to a milestone waits (``awaiting``) until the office confirms the milestone.
    milestone = models.CharField(_("milestone"), max_length=200, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    key = models.CharField(_("idempotency key"), max_length=40, unique=True)
    status = models.CharField(max_length=10, choices=LineStatus.choices, default=LineStatus.DUE)
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="lines")
    bank_note = models.CharField(max_length=200, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["award", "period", "attempt"], name="payouts_line_once")
        ]
        # Only due lines are looked up by day (drafting): a line leaving "due" leaves this index for free.
        indexes = [
            models.Index(fields=["pays_on"], condition=models.Q(status="due"), name="payouts_line_due")
        ]
        ordering = ["period", "attempt"]

    def __str__(self) -> str:
        return self.key


class Recovery(models.Model):
    """A clawback: the amount due, traced to the payments it recovers, its receipts and any write-off."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="recoveries")
    reason = models.CharField(max_length=12, choices=RecoveryReason.choices)
    departed_on = models.DateField(null=True, blank=True)
    months_served = models.PositiveSmallIntegerField(null=True, blank=True)
    amount = MoneyField(**MONEY)
    instalments = models.PositiveSmallIntegerField(default=1)
    received = MoneyField(default=0, **MONEY)
    written_off = MoneyField(default=0, **MONEY)
    status = models.CharField(max_length=12, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN)
    lines = models.ManyToManyField(PayoutLine, related_name="recoveries")  # the payments it recovers
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.award_id} {self.amount}"


class Bar(models.Model):
    """A fraud flag: no new award for this talent or enterprise until ``until``."""

    talent = models.ForeignKey("talents.Talent", null=True, blank=True, on_delete=models.CASCADE)
    enterprise = models.ForeignKey("enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE)
    until = models.DateField()
    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.until}"


class Posting(models.Model):
    """One side of a ledger entry. The postings of one ``entry`` sum to zero."""

    entry = models.UUIDField(db_index=True)
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    account = models.CharField(max_length=14, choices=Account.choices)
    amount = MoneyField(**MONEY)  # signed
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="postings")
    department = models.ForeignKey("accounts.OrgUnit", on_delete=models.PROTECT, related_name="+")
    policy_code = models.SlugField(max_length=60)
    month = models.DateField()  # the first day of the month it counts in
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(PayoutLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recovery = models.ForeignKey(Recovery, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["budget_line", "account"])]

    def __str__(self) -> str:
        return f"{self.entry} {self.account} {self.amount}"


class BudgetChangeStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class BudgetChange(models.Model):
    """A request to open a budget line or raise or lower it: it takes effect (``services.budget_line_set``)
    only when a second person holding ``payouts.check`` approves it — never below what is committed."""

    scope_unit_paths = ("department",)
    scope_self_paths = ()

    policy_code = models.SlugField(_("policy or programme"), max_length=60)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    department = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    amount = MoneyField(_("new amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        max_length=10, choices=BudgetChangeStatus.choices, default=BudgetChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["policy_code", "fiscal_year"],
                condition=models.Q(status="pending"),
                name="payouts_budget_change_one_pending",
            )
        ]
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.policy_code} {self.fiscal_year} → {self.amount}"


class RecoveryInstalment(models.Model):
    """One dated instalment of a recovery's plan. What was received settles the instalments in order, so
    an instalment is paid, due, or overdue (its day passed and it is not covered)."""

    recovery = models.ForeignKey(Recovery, on_delete=models.CASCADE, related_name="plan")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(_("due on"))
    amount = MoneyField(_("amount"), **MONEY)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recovery", "number"], name="payouts_instalment_once")]
        ordering = ["recovery", "number"]

    def __str__(self) -> str:
        return f"{self.recovery_id} #{self.number} {self.due_on}"
