"""Infrastructure tasks. Arguments are ids only, never personal data (they are stored as JSON)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .models import ScheduledSlot
from .scheduling import run_job_now

logger = logging.getLogger(__name__)


@task()
def run_scheduled_job(slot_id: int) -> None:
    with transaction.atomic():
        ScheduledSlot.objects.filter(pk=slot_id).update(runs=F("runs") + 1)
        slot = ScheduledSlot.objects.get(pk=slot_id)
        run_job_now(slot.job)
        ScheduledSlot.objects.filter(pk=slot_id).update(finished_at=timezone.now())


def heartbeat() -> None:
    """Shows that the scheduler and a worker are alive: the slot row's finished_at is the proof."""
    logger.info("heartbeat")
