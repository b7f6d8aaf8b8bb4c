"""Background tasks of the talent archive. Arguments are job ids only, never personal data."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from talentcloud.common.models import BackgroundJob, JobStatus
from talentcloud.privacy.storage import encrypted_storage


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
