"""The change log follows the rows matching reads, whoever writes them: a job-seeker profile saved or deleted
(recruitment's pages, API, imports) and a "recruitment" consent given or withdrawn (the talent's consent
page, staff recording one on paper). The row is written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from talentcloud.recruitment.models import JobSeekerProfile
from talentcloud.talents.models import Consent

from .consent_purposes import PURPOSE
from .enums import ChangeKind
from .models import MatchChange
from .services import refresh_tokens


@receiver(post_save, sender=JobSeekerProfile, dispatch_uid="matching.profile_saved")
def profile_saved(sender: Any, instance: JobSeekerProfile, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    refresh_tokens(instance)
    MatchChange.objects.create(profile_id=instance.pk, kind=ChangeKind.PROFILE)


@receiver(post_delete, sender=JobSeekerProfile, dispatch_uid="matching.profile_deleted")
def profile_deleted(sender: Any, instance: JobSeekerProfile, **kwargs: Any) -> None:
    MatchChange.objects.create(profile_id=instance.pk, kind=ChangeKind.DELETED)


@receiver(post_save, sender=Consent, dispatch_uid="matching.consent_saved")
def consent_saved(sender: Any, instance: Consent, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.purpose != PURPOSE:
        return
    account_id = instance.talent.account_id
    if account_id is None:
        return
    for pk in JobSeekerProfile.objects.filter(account_id=account_id).values_list("pk", flat=True):
        MatchChange.objects.create(profile_id=pk, kind=ChangeKind.CONSENT)
