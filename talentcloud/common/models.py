"""Infrastructure models shared by every app: the base model and the scheduler's bookkeeping."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SchedulerLease(models.Model):
    """One row per named lease. The scheduler process holding an unexpired ``scheduler`` lease is the active
    one; a periodic job's run holds ``job:<name>`` while it runs, so two runs of one job never overlap."""

    name = models.CharField(max_length=50, primary_key=True)
    holder = models.CharField(max_length=100)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class SlotOutcome(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped: another run of the job was still running")
    FAILED = "failed", _("Failed")


class ScheduledSlot(models.Model):
    """A periodic job's run slot. Unique per (job, slot): a slot is enqueued at most once, whoever tries.

    While its run is going, ``heartbeat_at`` is kept fresh by the worker; a slot started but silent for longer
    than ``JOB_STALE_SECONDS`` lost its worker and is run again (``common.jobs.jobs_reap``)."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True)
    runs = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=SlotOutcome.choices, blank=True)
    message = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_slot_unique")]
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot:%Y-%m-%d %H:%M:%S}"


class CalendarOverride(TimeStampedModel):
    """A day whose status the office states itself: next year's announced holidays and 调休 make-up
    days, or a correction. It wins over chinesecalendar, and is the only source for years it lacks."""

    day = models.DateField(_("day"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Notice number or link"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar override")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'work' if self.is_workday else 'rest'} {self.name}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# Why a job failed, when the system (not the job itself) ended it: a code is stored and the text is
# rendered when the page is read, in the reader's language.
JOB_MESSAGES = {
    "worker_lost_import": _(
        "The import stopped before it finished: the server running it went away (for example, it was "
        "restarted). Nothing from the file was saved and the uploaded file was removed. Upload it again."
    ),
    "error": _(
        "The job failed because of an error on the server. Nothing was saved. Try again later; if it fails "
        "again, tell the system administrator."
    ),
    "worker_lost": _(
        "The job stopped before it finished: the server running it went away (for example, it was "
        "restarted). Nothing was kept. Start it again."
    ),
}


class BackgroundJob(TimeStampedModel):
    """A long import or export a person started: progress for the progress page, result for the download.

    The task that does the work receives only this row's id (no personal data in task arguments); the
    uploaded file and the result file live in encrypted storage. While it runs, ``heartbeat_at`` is kept
    fresh (each progress step and a small thread); a running job silent for longer than
    ``JOB_STALE_SECONDS`` lost its worker and is failed with a ``message_code`` (``JOB_MESSAGES``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT
    )
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    input_name = models.CharField(max_length=255, blank=True)
    input_label = models.CharField(_("file"), max_length=255, blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)
    message_code = models.CharField(max_length=40, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress}/{self.total}"

    @property
    def failure(self) -> str:
        """What went wrong, in the reader's language when the system stopped the job (a stored code)."""
        if self.message_code in JOB_MESSAGES:
            return str(JOB_MESSAGES[self.message_code])
        return self.message

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        done, total = self.progress, self.total
        if self.status == JobStatus.RUNNING:
            noted = job_progress_noted(self.pk)
            if noted and noted[1] and (not total or noted[0] * total > done * noted[1]):
                done, total = noted
        return int(done * 100 / total) if total else 0


JOB_PROGRESS_NOTE_SECONDS = 6 * 3600  # a save-phase progress note outlives any import


def _progress_key(job_id: Any) -> str:
    return f"job-progress:{job_id}"


def job_progress_note(job_id: str, done: int, total: int) -> None:
    """Progress reported from inside a transaction (an import's save phase): the job's row would show it
    only at the commit, so it is kept in the cache, which the progress page also reads."""
    cache.set(_progress_key(job_id), (done, total), timeout=JOB_PROGRESS_NOTE_SECONDS)


def job_progress_noted(job_id: Any) -> tuple[int, int] | None:
    noted = cache.get(_progress_key(job_id))
    return (int(noted[0]), int(noted[1])) if noted else None
