"""Retention rules for sign-in records: sessions, API tokens, failed attempts (``privacy.retention`` sweeps
them)."""

from __future__ import annotations

from datetime import datetime

from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule

from .models import ApiToken


def _sessions(cutoff: datetime) -> QuerySet[Session]:
    return Session.objects.filter(expire_date__lt=cutoff)


def _tokens(cutoff: datetime) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(Q(expires_at__lt=cutoff) | Q(revoked_at__lt=cutoff))


def _attempts(cutoff: datetime) -> QuerySet[AccessAttempt]:
    attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(attempt_time__lt=cutoff)
    return attempts


RETENTION_RULES = [
    RetentionRule("expired_sessions", _("Expired sign-in sessions"), _sessions, days=0),
    RetentionRule("dead_api_tokens", _("API tokens expired or revoked"), _tokens, days=90),
    RetentionRule("login_attempts", _("Failed sign-in records (username, address)"), _attempts, days=180),
]
