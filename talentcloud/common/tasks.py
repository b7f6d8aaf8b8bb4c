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


@task()
def sheet_import_job(job_id: str) -> None:
    """Run one Excel import (any kind registered in ``sheets.IMPORTERS``) and keep its outcome on the job."""
    from django.core.files.base import ContentFile

    from talentcloud.privacy.storage import encrypted_storage

    from .models import BackgroundJob, JobStatus
    from .sheets import IMPORTERS, ImportFileError

    if not BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return  # already taken: a task runs each job once
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    importer = IMPORTERS[job.kind]
    with encrypted_storage.open(job.input_name) as uploaded:
        data = uploaded.read()

    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(progress=done, total=total)

    summary: dict[str, object] = {}
    result_name = message = ""
    try:
        result = importer.run(data=data, actor=job.owner, progress=progress)
    except ImportFileError as exc:
        status, message = JobStatus.FAILED, str(exc)
    else:
        summary = result.summary()
        status = JobStatus.DONE if result.ok else JobStatus.FAILED
        if not result.ok:
            report = importer.error_report(data, result.errors)
            result_name = encrypted_storage.save(f"jobs/{job_id}/errors.xlsx", ContentFile(report))
    encrypted_storage.delete(job.input_name)  # the upload is not kept once read
    BackgroundJob.objects.filter(pk=job_id).update(
        status=status,
        summary=summary,
        message=message,
        result_name=result_name,
        input_name="",
        progress=F("total"),
        finished_at=timezone.now(),
    )
