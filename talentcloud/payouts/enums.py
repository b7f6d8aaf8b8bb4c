"""The states and kinds of the payout ledger (政策兑现)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly in arrears")
    ANNUAL = "annual", _("in yearly tranches")
    ONCE = "once", _("once")


class AwardSource(models.TextChoices):
    SWEEP = "sweep", _("免申即享 grant")
    CASE = "case", _("concluded case")
    PROGRAMME = "programme", _("programme approval")
    MILESTONE = "milestone", _("milestone")


class AwardStatus(models.TextChoices):
    ACTIVE = "active", _("paying")
    SUSPENDED = "suspended", _("suspended")
    ENDED = "ended", _("ended")
    RECOVERING = "recovering", _("being recovered")


class LineStatus(models.TextChoices):
    DUE = "due", _("to be paid")
    BATCHED = "batched", _("in a batch")
    EXPORTED = "exported", _("sent to the bank")
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed at the bank")
    RETURNED = "returned", _("returned by the bank (退汇)")
    SUSPENDED = "suspended", _("not paid: suspended")
    REISSUED = "reissued", _("re-issued")
    CANCELLED = "cancelled", _("cancelled")
    AWAITING = "awaiting", _("awaiting its milestone")


class BatchState(models.TextChoices):
    DRAFT = "draft", _("draft")
    RECHECKED = "rechecked", _("eligibility re-checked")
    CHECKED = "checked", _("checked by a second person")
    APPROVED = "approved", _("approved by finance")
    EXPORTED = "exported", _("bank file exported")
    RETURNED = "returned", _("bank return imported")


class Account(models.TextChoices):
    """The ledger's accounts. Every event is postings over these that sum to zero (double entry)."""

    APPROPRIATION = "appropriation", _("appropriation")  # what the line was given (its negative)
    AVAILABLE = "available", _("available")  # budget not yet committed
    COMMITTED = "committed", _("committed")  # awarded, not yet paid
    PAID = "paid", _("paid")  # confirmed paid by the bank
    LAPSED = "lapsed", _("lapsed")  # uncommitted at the fiscal year's end
    RECEIVABLE = "receivable", _("recovery due")
    CLAWBACK = "clawback", _("recoveries raised")  # the counterpart of a recovery due
    RECOVERED = "recovered", _("recovered")
    WRITTEN_OFF = "written_off", _("written off")


class EntryKind(models.TextChoices):
    BUDGET = "budget", _("budget set or changed")
    COMMIT = "commit", _("award committed")
    RELEASE = "release", _("commitment released")
    PAY = "pay", _("paid")
    REVERSE = "reverse", _("returned after payment (退汇)")
    LAPSE = "lapse", _("lapsed at year end")
    RECOVERY = "recovery", _("recovery raised")
    RECEIPT = "receipt", _("recovery received")
    WRITE_OFF = "write_off", _("recovery written off")


class RecoveryReason(models.TextChoices):
    LEFT_EARLY = "left_early", _("left before the service obligation ended")
    FRAUD = "fraud", _("fraud")
    FINDING = "finding", _("audit finding")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("open")
    SETTLED = "settled", _("settled")
    WRITTEN_OFF = "written_off", _("written off")
