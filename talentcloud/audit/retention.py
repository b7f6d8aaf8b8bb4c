"""Retention rules for the audit app's own rows beside the log (``privacy.retention`` sweeps them; the log
itself is pruned by ``talentcloud audit prune``)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .models import DeniedAttempt


def _denied_counters(cutoff: datetime) -> QuerySet[DeniedAttempt]:
    return DeniedAttempt.objects.filter(last_at__lt=cutoff)


RETENTION_RULES = [
    RetentionRule(
        "denied_attempt_counters",
        _("Counts of refused requests beside the audit log"),
        _denied_counters,
        days=365,  # the counts beside security.denied events (the events are sealed)
    ),
]
