"""The scratch app's retention rule: its own notices, a month after they were sent."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from talentcloud.common.declarations import RetentionRule
from talentcloud.notifications.models import Notification


def _old_notices(cutoff: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(event="scratch.happened", created_at__lt=cutoff)


RETENTION_RULES = [
    RetentionRule("scratch_notices", _("Scratch notices"), _old_notices, days=30),
]
