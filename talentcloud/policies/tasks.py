"""The 免申即享 sweep as a background task, started by the nightly schedule or by staff from the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from talentcloud.audit.services import audit_record
from talentcloud.infra.jobs import job_exclusive

from .models import SubjectChange, SweepRun, SweepStatus
from .sweep import reevaluate_pending, sweep, swept_policies

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


@task()
def sweep_task() -> None:
    """A sweep started from the page takes the nightly job's lease: when a run of ``policy_sweep`` is alive,
    that run finishes the open sweep and this task does nothing."""

    with job_exclusive("policy_sweep") as held:
        if held:
            sweep()


def sweep_start(*, actor: User) -> SweepRun:
    """Start a sweep now (or return the one already running, which the task resumes)."""
    with transaction.atomic():
        run = SweepRun.objects.select_for_update().filter(status=SweepStatus.RUNNING).first()
        if run is None:
            on = timezone.localdate()
            run = SweepRun.objects.create(on=on, total=len(swept_policies(on)))
        audit_record(actor=actor, action="policy.sweep_start", object_type="sweep", object_id=run.pk)
        transaction.on_commit(sweep_task.enqueue)
    return run


@task()
def reevaluate_task() -> None:
    """Re-evaluate the people whose facts changed (``sweep.reevaluate_pending``): enqueued when a change
    commits, so a person's 免申即享 list follows their facts within seconds, not at the nightly sweep."""

    reevaluate_pending()


def note_changes(target: str, ids: list[Any]) -> None:
    """These subjects' facts changed (inside the changing transaction): note them, and once that commits,
    have a worker re-evaluate them (``reevaluate_task``)."""
    SubjectChange.objects.bulk_create([SubjectChange(target=target, subject_id=str(pk)) for pk in ids])
    transaction.on_commit(reevaluate_task.enqueue)
