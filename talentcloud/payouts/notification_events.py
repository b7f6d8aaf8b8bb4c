"""What the payout ledger tells a payee (``notifications.events`` puts it into words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentcloud.notifications.events import Event

NOTIFICATION_EVENTS = {
    "payouts.suspended": Event(
        title=_("Payments of %(policy)s are suspended"),
        body=_(
            "Before paying %(period)s we checked again: %(reason)s. Payments are suspended from that month; "
            "once the conditions hold again you can ask to resume on “My payments”."
        ),
    ),
    "payouts.failed": Event(
        title=_("A payment of %(policy)s did not reach your account"),
        body=_("The bank could not pay %(amount)s yuan for %(period)s (%(note)s). Check your account."),
    ),
    "payouts.milestone": Event(
        title=_("An instalment of %(award)s is due"),
        body=_("The milestone “%(milestone)s” is confirmed: %(amount)s yuan will be paid by %(due)s."),
    ),
}
