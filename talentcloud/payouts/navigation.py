"""The payout ledger's sidebar entries (the sidebar: ``web.navigation``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.common.navigation import NavItem

from .permissions import PayoutPerm

NAVIGATION = [
    NavItem(
        group="daily",
        order=67,
        label=_("My payments"),
        url_name="payouts:mine",
        description=_("What you were awarded, what was paid, what is suspended and why"),
        role_kinds=("talent",),
    ),
    NavItem(
        group="retain",
        order=85,
        label=_("Payment batches"),
        url_name="payouts:batches",
        perm=PayoutPerm.VIEW,
        description=_("政策兑现: draft, check, approve, bank file, return"),
    ),
    NavItem(
        group="retain",
        order=86,
        label=_("Payout budgets"),
        url_name="payouts:budget",
        perm=PayoutPerm.VIEW,
        description=_("Budget lines: committed, paid, available, recovered"),
    ),
    NavItem(
        group="daily",
        order=71,
        label=_("Our payments"),
        url_name="payouts:enterprise_mine",
        description=_("What the enterprise was awarded, what was paid, failed or suspended"),
        role_kinds=("enterprise",),
    ),
    NavItem(
        group="retain",
        order=72,
        label=_("Confirm grants"),
        url_name="payouts:grants",
        perm=PayoutPerm.MANAGE,
        description=_("免申即享: confirm many granted people as awards at once"),
    ),
]
