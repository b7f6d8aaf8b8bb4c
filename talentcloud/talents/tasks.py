"""Background tasks of the talent archive. Arguments are job ids only, never personal data."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import translation
from django_tasks import task

from talentcloud.common.models import BackgroundJob, JobStatus
from talentcloud.infra.jobs import JobLost, job_beat, job_claim, job_finish, job_heartbeat
from talentcloud.privacy.storage import encrypted_storage

from .enterprise_changes import tokens_refresh
from .exporting import export_talents
from .models import Talent


@task()
def talent_export_job(job_id: str) -> None:
    """Write the export; the job beats while it runs (a job whose worker died is failed by the reaper)."""

    if not job_claim(job_id):
        return
    job = BackgroundJob.objects.select_related("owner").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        job_beat(job_id, progress=done, total=total)

    try:
        with job_heartbeat(job_id), translation.override(job.summary.get("language") or "zh-hans"):
            data, total = export_talents(
                viewer=job.owner,
                filters=job.summary.get("filters", {}),
                unmasked=bool(job.summary.get("unmasked")),
                progress=progress,
            )
    except JobLost:
        return  # failed by the reaper meanwhile
    except Exception:
        job_finish(job_id, status=JobStatus.FAILED, message_code="error")
        raise  # the task's row keeps the traceback
    name = encrypted_storage.save(f"jobs/{job_id}/talents.xlsx", ContentFile(data))
    finished = job_finish(
        job_id,
        status=JobStatus.DONE,
        result_name=name,
        progress=total,
        total=total,
        summary={**job.summary, "rows": total},
    )
    if not finished:
        encrypted_storage.delete(name)


@task()
def search_words_changed_job(words: list[str]) -> None:
    """Words of a declared word list changed (``search.WordList``): re-tokenise what was indexed under the
    old list — the talents whose indexed text (name, post, employer, chain) holds one of the words."""
    if not words:
        return
    holds = Q()
    for word in words:
        holds |= (
            Q(name__contains=word)
            | Q(post__contains=word)
            | Q(employer__name__contains=word)
            | Q(chain__name__contains=word)
        )
    tokens_refresh(Talent.objects.filter(holds))
