"""What the programmes keep about people, and for how long (``privacy.retention`` sweeps it):

- the bank account an applicant gave for an award is blanked once the application ended without one (not
  nominated, not recommended, rejected, not approved, withdrawn), a year after its last step: an approved
  one's account lives on in the ledger's award (ADR 0030);
- an objection's text is blanked three years after the 公示 (the entry's last day), the period the office
  keeps the list's file; the objection's status and answer stay."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .enums import ApplicationState
from .models import Application, Objection

ENDED_WITHOUT_AWARD = (
    ApplicationState.NOT_NOMINATED,
    ApplicationState.NOT_RECOMMENDED,
    ApplicationState.REJECTED,
    ApplicationState.NOT_APPROVED,
    ApplicationState.WITHDRAWN,
)


def _accounts_of_ended(cutoff: datetime) -> QuerySet[Application]:
    # an encrypted column cannot be compared in SQL: rows already blank are blanked again, harmlessly
    return Application.objects.filter(state__in=ENDED_WITHOUT_AWARD, updated_at__lt=cutoff)


def _old_objections(cutoff: datetime) -> QuerySet[Objection]:
    return Objection.objects.filter(entry__ends_on__lt=cutoff.date()).exclude(text="")


RETENTION_RULES = [
    RetentionRule(
        "programme_payee_accounts",
        _("Bank accounts given with programme applications that ended without an award"),
        _accounts_of_ended,
        days=365,
        action="blank:payee_account",
    ),
    RetentionRule(
        "programme_objections",
        _("The text of objections to a programme's 公示 list"),
        _old_objections,
        days=3 * 365,
        action="blank:text",
    ),
]
