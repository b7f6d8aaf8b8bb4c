"""Infrastructure tasks. Arguments are ids only, never personal data (they are stored as JSON)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from talentcloud.common.models import BackgroundJob, JobStatus, ScheduledSlot, SlotOutcome, job_progress_note
from talentcloud.privacy.storage import encrypted_storage

from .jobs import (
    JobLost,
    job_beat,
    job_claim,
    job_exclusive,
    job_finish,
    job_heartbeat,
)
from .scheduling import run_job_now
from .sheets import ImportFileError, importers

logger = logging.getLogger(__name__)


@task()
def run_scheduled_job(slot_id: int) -> None:
    """Run a periodic job's slot. No transaction wraps the job: it keeps its own transactions as designed
    (the sweep commits per target), so a killed run loses only what was not yet committed and its progress
    can be seen. The slot's bookkeeping is written in small statements of its own; while the job runs, a
    heartbeat thread keeps the slot fresh and holds the job's lease, so two runs of one job never overlap
    (a slot fired while another run of its job is alive is skipped)."""
    now = timezone.now()
    slots = ScheduledSlot.objects.filter(pk=slot_id)
    starting = slots.filter(finished_at__isnull=True)
    if not starting.update(runs=F("runs") + 1, started_at=now, heartbeat_at=now):
        return  # finished already (a task delivered twice)
    slot = slots.get()

    def beat() -> None:
        slots.filter(finished_at__isnull=True).update(heartbeat_at=timezone.now())

    with job_exclusive(slot.job, holder=f"slot:{slot_id}", beat=beat) as held:
        if not held:
            slots.update(finished_at=timezone.now(), outcome=SlotOutcome.SKIPPED)
            logger.info("%s skipped: another run of it is still going", slot)
            return
        try:
            run_job_now(slot.job)
        except Exception as exc:
            slots.update(
                finished_at=timezone.now(), outcome=SlotOutcome.FAILED, message=type(exc).__name__[:200]
            )
            raise
        slots.update(finished_at=timezone.now(), outcome=SlotOutcome.DONE)


def heartbeat() -> None:
    """Shows that the scheduler and a worker are alive: the slot row's finished_at is the proof."""
    logger.info("heartbeat")


@task()
def sheet_import_job(job_id: str) -> None:
    """Run one Excel import (any kind an app declares: ``sheets.importers()``); keep its outcome on the job.

    The job beats while it runs. Its rows are saved in one transaction that first checks the job is still
    running (``job_beat``): an import the reaper failed meanwhile saves nothing."""

    if not job_claim(job_id):
        return  # already taken: a task runs each job once
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    importer = importers()[job.kind]
    language = job.summary.get("language") or settings.LANGUAGE_CODE

    def progress(done: int, total: int) -> None:
        job_beat(job_id, progress=done, total=total)

    summary: dict[str, object] = {}  # the outcome replaces the job's input (the language)
    result_name = message = ""
    try:
        with job_heartbeat(job_id), translation.override(language):
            with encrypted_storage.open(job.input_name) as uploaded:
                data = uploaded.read()
            try:
                result = importer.run(
                    data=data,
                    actor=job.owner,
                    progress=progress,
                    still_running=lambda: job_beat(job_id),
                    save_progress=lambda done, total: job_progress_note(job_id, done, total),
                )
            except ImportFileError as exc:
                status, message = JobStatus.FAILED, str(exc)
            else:
                summary.update(result.summary())
                status = JobStatus.DONE if result.ok else JobStatus.FAILED
                if not result.ok:
                    report = importer.error_report(data, result.errors)
                    result_name = encrypted_storage.save(f"jobs/{job_id}/errors.xlsx", ContentFile(report))
    except JobLost:
        return  # the reaper failed the job and removed its files: nothing was saved
    except Exception:
        if job_finish(job_id, status=JobStatus.FAILED, message_code="error", input_name=""):
            encrypted_storage.delete(job.input_name)
        raise  # the task's row keeps the traceback
    encrypted_storage.delete(job.input_name)  # the upload is not kept once read
    finished = job_finish(
        job_id,
        status=status,
        summary=summary,
        message=message,
        result_name=result_name,
        input_name="",
        progress=F("total"),
    )
    if not finished and result_name:
        encrypted_storage.delete(result_name)
