"""The audit actions this app records, named for the audit log's reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.audit.registry import ObjectKind

from .models import Batch

AUDIT_ACTIONS = {
    "payouts.budget_set": _("Set a budget line"),
    "payouts.budget_lapse": _("Closed a budget line at year end"),
    "payouts.award": _("Made an award"),
    "payouts.payee_change": _("Changed a payee account"),
    "payouts.payee_check": _("Checked a changed payee account"),
    "payouts.batch_draft": _("Drafted a payment batch"),
    "batch.recheck": _("Re-checked a batch's eligibility"),
    "batch.check": _("Checked a payment batch"),
    "batch.approve": _("Approved a payment batch"),
    "batch.export": _("Exported a bank file"),
    "batch.import_return": _("Imported a bank return file"),
    "payouts.file_download": _("Downloaded a bank file"),
    "payouts.suspend": _("Suspended an award"),
    "payouts.resume": _("Resumed an award"),
    "payouts.returned": _("Recorded a payment returned by the bank (退汇)"),
    "payouts.reissue": _("Re-issued a payout line"),
    "payouts.milestone": _("Confirmed the milestone of an instalment"),
    "payouts.recovery": _("Raised a recovery"),
    "payouts.receipt": _("Recorded a recovery payment"),
    "payouts.write_off": _("Wrote off a recovery"),
    "payouts.budget_request": _("Requested a budget line change"),
    "payouts.budget_decide": _("Decided a budget line change"),
    "payouts.recovery_plan": _("Set a recovery's instalment plan"),
    "payouts.export": _("Exported payouts (.xlsx)"),
}


def _batch_names(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit()]
    return {str(b.pk): b.number for b in Batch.objects.filter(pk__in=numbers)}


AUDIT_OBJECTS = {
    "batch": ObjectKind(_("Payment batch"), names=_batch_names),
    "award": ObjectKind(_("Award")),
    "budget_line": ObjectKind(_("Budget line")),
    "recovery": ObjectKind(_("Recovery")),
    "budget_change": ObjectKind(_("Budget change")),
    "payout_export": ObjectKind(_("Payout export")),
}
