"""Retention of talent-code data (``privacy.retention`` sweeps it): verifications say where a person was, so
they are deleted after a year; the audit log keeps its own record of each, without personal data."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .models import Verification


def _verifications(cutoff: datetime) -> QuerySet[Verification]:
    # Only those whose audit event is written (``services.verifications_audit``): none leaves unrecorded.
    return Verification.objects.filter(at__lt=cutoff, audited=True)


RETENTION_RULES = [
    RetentionRule(
        "talentcode_verifications",
        _("Talent-code verifications (where and when a code was checked)"),
        _verifications,
        days=365,
    ),
]
