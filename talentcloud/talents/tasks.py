"""Background tasks of the talent archive. Arguments are job ids only, never personal data."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from talentcloud.common.models import BackgroundJob, JobStatus
from talentcloud.privacy.storage import encrypted_storage

from .importing import ImportFileError, error_report, import_talents


@task()
def talent_import_job(job_id: str) -> None:
    jobs = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED)
    if not jobs.update(status=JobStatus.RUNNING):
        return  # already taken: a task runs each job once
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
    with encrypted_storage.open(job.input_name) as uploaded:
        data = uploaded.read()

    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(progress=done, total=total)

    summary: dict[str, object]
    try:
        result = import_talents(data=data, actor=job.owner, progress=progress)
    except ImportFileError as exc:
        status, summary, message = JobStatus.FAILED, {}, str(exc)
        result_name = ""
    else:
        summary = {
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        result_name = ""
        if result.ok:
            status, message = JobStatus.DONE, ""
        else:
            status, message = JobStatus.FAILED, ""
            summary["errors"] = [
                {"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:500]
            ]
            summary["error_count"] = len(result.errors)
            result_name = encrypted_storage.save(
                f"jobs/{job_id}/errors.xlsx", ContentFile(error_report(data, result.errors))
            )
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


@task()
def talent_export_job(job_id: str) -> None:
    from django.utils import translation

    from .exporting import export_talents

    if not BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING):
        return
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job_id).update(progress=done, total=total)

    with translation.override(job.summary.get("language") or "zh-hans"):
        data, total = export_talents(
            viewer=job.owner,
            filters=job.summary.get("filters", {}),
            unmasked=bool(job.summary.get("unmasked")),
            progress=progress,
        )
    name = encrypted_storage.save(f"jobs/{job_id}/talents.xlsx", ContentFile(data))
    BackgroundJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        result_name=name,
        progress=total,
        total=total,
        finished_at=timezone.now(),
        summary={**job.summary, "rows": total},
    )
