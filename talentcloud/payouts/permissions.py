"""The permissions the payout ledger's doors check (collected by ``accounts.permissions``).

Maker–checker: ``payouts.manage`` makes awards and drafts batches, ``payouts.check`` checks another person's
batch (never one's own: the batch table's ``checker`` role excludes the maker), ``payouts.approve`` and
``payouts.files`` are the finance bureau's (财政局): approving a checked batch, exporting the bank file,
importing the bank's return and downloading either file after a fresh re-authentication: a standard role this
app declares (``ROLES``, the finance bureau's accounts; ADR 0024)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.enums import RoleKind, ScopeKind
from talentcloud.accounts.roles import RoleSpec
from talentcloud.common.access import Permission


class PayoutPerm(StrEnum):
    VIEW = "payouts.view"
    MANAGE = "payouts.manage"
    CHECK = "payouts.check"
    APPROVE = "payouts.approve"
    FILES = "payouts.files"


FINANCE = "finance-bureau"

# 财政局: approves batches and handles the bank's files, in its own unit (the department 区财政局).
ROLES = [RoleSpec(FINANCE, "财政局", "Finance bureau", RoleKind.SERVICE_STAFF, ScopeKind.UNIT)]

PERMISSIONS = [
    Permission(
        PayoutPerm.VIEW,
        _("See awards, payment batches and budget lines"),
        roles=("talent-office", "talent-office-head", FINANCE),
    ),
    Permission(
        PayoutPerm.MANAGE,
        _("Make awards, set budget lines, draft payment batches and raise recoveries"),
        roles=("talent-office", "talent-office-head"),
    ),
    Permission(
        PayoutPerm.CHECK,
        _("Check another person's payment batch, payee change or write-off (maker–checker)"),
        roles=("talent-office-head",),
    ),
    Permission(
        PayoutPerm.APPROVE,
        _("Approve payment batches and import bank returns (finance bureau)"),
        roles=(FINANCE,),
    ),
    Permission(
        PayoutPerm.FILES,
        _("Export and download bank files after re-authentication (finance bureau)"),
        roles=(FINANCE,),
    ),
]
