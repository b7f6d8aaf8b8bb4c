"""Retention rules for the talents' rows (``privacy.retention`` sweeps them)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .models import RightsRequest


def _request_details(cutoff: datetime) -> QuerySet[RightsRequest]:
    # The encrypted column refuses lookups; compare its stored text instead ("" stays unencrypted).
    raw = Cast(F("details"), output_field=TextField())
    return (
        RightsRequest.objects.filter(completed_at__lt=cutoff)
        .annotate(raw_details=raw)
        .exclude(raw_details="")
    )


RETENTION_RULES = [
    RetentionRule(
        "rights_request_details",
        _("What was asked in answered personal-data requests"),
        _request_details,
        days=3 * 365,
        action="blank:details",
    ),
]
