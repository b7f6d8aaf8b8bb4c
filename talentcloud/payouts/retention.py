"""Bank and return files hold clear names and accounts: once their batch is reconciled they are deleted after
the period (``privacy.retention`` sweeps them; the batch, its lines and the ledger stay)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .models import BankFile


def _reconciled_files(cutoff: datetime) -> QuerySet[BankFile]:
    return BankFile.objects.filter(batch__reconciled_at__lt=cutoff)


RETENTION_RULES = [
    RetentionRule(
        "payout_bank_files",
        _("Bank and return files of reconciled payment batches"),
        _reconciled_files,
        days=90,
    ),
]
