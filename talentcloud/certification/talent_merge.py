"""What the certification app does when the office merges a pending talent record into the existing one
(``talents.clashes.MERGE_HOOKS``): the pending record's certifications have moved over, so two histories
became one. Of the certifications in force the newest stays current and the others are superseded (likewise
for renewals waiting to start), and the columns follow through the one writer (``services.project``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from talentcloud.talents.clashes import TalentMergeHook
from talentcloud.talents.models import Talent

from .enums import CertificationStatus
from .models import Certification
from .services import project


def _one_history(existing: Talent, actor: Any) -> None:
    rows = Certification.objects.filter(talent=existing)
    if not rows.exists():
        return  # nothing of the history to project: the record's columns stay as they are
    today = timezone.localdate()
    for status in (CertificationStatus.CURRENT, CertificationStatus.SCHEDULED):
        ordered = list(
            rows.filter(status=status).order_by("-effective_from", "-created_at").values_list("pk", flat=True)
        )
        Certification.objects.filter(pk__in=ordered[1:]).update(
            status=CertificationStatus.SUPERSEDED, ended_on=today
        )
    project([existing.pk], actor=actor)


TALENT_MERGE_HOOKS = [TalentMergeHook(name="certification.one_history", after=_one_history)]
