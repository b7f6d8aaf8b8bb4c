"""Moving talents in and out in bulk: an Excel import and an export of the viewer's list, each a job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.models import BackgroundJob
from talentcloud.infra.sheets import import_start
from talentcloud.privacy.permissions import PrivacyPerm
from talentcloud.talents.permissions import TalentPerm

from ..importing import TalentImporter
from ..tasks import talent_export_job

if TYPE_CHECKING:
    from talentcloud.accounts.models import User


def talent_import_start(*, actor: User, filename: str, data: bytes) -> BackgroundJob:
    """Queue an Excel import of talents (all or nothing); the progress page follows the job."""
    require_perm(actor, TalentPerm.IMPORT)
    return import_start(importer=TalentImporter(), actor=actor, filename=filename, data=data)


EXPORT_FILTER_KEYS = (
    "q",
    "category",
    "tier",
    "grade",
    "degree",
    "chain",
    "area",
    "employer",
    "age_band",
    "arrival_year",
)


def talent_export_start(
    *, actor: User, filters: dict[str, str], unmasked: bool, language: str, source_ip: str | None = None
) -> BackgroundJob:
    """Queue an export of the actor's scoped, filtered list. Unmasked needs the permission; the caller has
    checked the fresh re-authentication. The export (who, which filters, masked or not) is an audit event."""
    require_perm(actor, TalentPerm.EXPORT)
    if unmasked:
        require_perm(actor, PrivacyPerm.PII_UNMASK)
    clean = {k: str(v)[:100] for k, v in filters.items() if k in EXPORT_FILTER_KEYS and v}
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind="talent_export",
            owner=actor,
            summary={"filters": clean, "unmasked": unmasked, "language": language},
        )
        audit_record(
            actor=actor,
            action="talent.export",
            object_type="job",
            object_id=job.pk,
            source_ip=source_ip,
            details={"filters": sorted(clean), "unmasked": unmasked},
        )
        job_id = str(job.pk)
        transaction.on_commit(lambda: talent_export_job.enqueue(job_id=job_id))
    return job
