"""The matching app's writes: a talent's matching details and consent, an enterprise's request to contact a
matched talent, and the talent's answer. Each is audited; each change to what is matched writes the change
log in its transaction (``signals``), so every process's index has it at its next query."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import User
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, NotFound, ValidationFailed
from talentcloud.enterprises.models import IndustryChain
from talentcloud.recruitment.models import Demand, JobSeekerProfile, Skill
from talentcloud.talents.consents import consent_set
from talentcloud.talents.models import Talent

from .consent_purposes import PURPOSE
from .enums import ChangeKind, ContactState
from .facts import profile_tokens
from .models import ContactRequest, MatchChange, MatchDetails

MAX_SKILLS = 30


def refresh_tokens(profile: JobSeekerProfile) -> MatchDetails:
    """Re-tokenise the profile's text (post sought, skills, major, chain, summary) into its details row."""
    details, _created = MatchDetails.objects.get_or_create(profile=profile)
    details.tokens = profile_tokens(
        post_name=profile.post.name,
        skills=list(details.skills.values_list("term", flat=True)),
        major_name=profile.major.name if profile.major_id else "",  # type: ignore[union-attr]
        chain_name=details.chain.name if details.chain_id else "",  # type: ignore[union-attr]
        summary=details.summary,
    )
    MatchDetails.objects.filter(pk=details.pk).update(tokens=details.tokens)
    return details


def details_save(
    *,
    actor: User,
    skills: list[Skill],
    location: str,
    chain: IndustryChain | None,
    salary_floor: int | None,
    summary: str,
    source_ip: str | None = None,
) -> MatchDetails:
    """The talent's own matching details (their job-seeker profile must exist)."""
    profile = JobSeekerProfile.objects.filter(account=actor).select_related("post", "major").first()
    if profile is None:
        raise NotFound(_("Fill in your job-seeker profile first."))
    errors: dict[str, list[Any]] = {}
    if len(skills) > MAX_SKILLS:
        errors["skills"] = [_("At most 30 skills.")]
    if any(not s.active for s in skills):
        errors["skills"] = [_("A skill is no longer in the office's dictionary.")]
    if salary_floor is not None and not 0 <= salary_floor <= 100_000_000:
        errors["salary_floor"] = [_("An annual salary in yuan, from 0 to 100,000,000.")]
    if len(summary) > 2000:
        errors["summary"] = [_("At most 2,000 characters.")]
    if len(location) > 100:
        errors["location"] = [_("At most 100 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        details, _created = MatchDetails.objects.select_for_update().get_or_create(profile=profile)
        details.location = location.strip()
        details.chain = chain
        details.salary_floor = salary_floor
        details.summary = summary.strip()
        details.save()
        details.skills.set(skills)
        refresh_tokens(profile)
        MatchChange.objects.create(profile_id=profile.pk, kind=ChangeKind.PROFILE)
        audit_record(
            actor=actor,
            action="matching.details_save",
            object_type="job_seeker_profile",
            object_id=profile.pk,
            details={"skills": len(skills), "chain": chain.code if chain else ""},
            source_ip=source_ip,
        )
    return details


def own_talent(actor: User) -> Talent:
    talent = Talent.objects.filter(account=actor).first()
    if talent is None:
        raise NotFound(_("Your account has no talent record yet."))
    return talent


def consent_give(*, actor: User, granted: bool) -> None:
    """The talent's own answer to the "recruitment" purpose (audited by ``consent_set``)."""
    consent_set(actor=actor, talent=own_talent(actor), purpose=PURPOSE, granted=granted)


def contact_request(
    *, actor: User, demand: Demand, profile_id: int, source_ip: str | None = None
) -> ContactRequest:
    """An enterprise's account asks a talent matched with its demand for contact (once per demand). The
    caller has checked that ``actor`` acts for ``demand``'s enterprise; the profile must match it now."""
    from .selectors import matches_profile  # noqa: PLC0415 (selectors read the index, which imports us)

    if not matches_profile(demand, profile_id):
        raise NotFound()
    with transaction.atomic():
        request, created = ContactRequest.objects.get_or_create(
            demand=demand,
            profile_id=profile_id,
            defaults={"enterprise_id": demand.enterprise_id, "requested_by": actor},
        )
        if not created:
            raise Conflict(_("Contact was already requested for this demand."))
        audit_record(
            actor=actor,
            action="matching.contact_request",
            object_type="job_seeker_profile",
            object_id=profile_id,
            details={"demand": str(demand.pk)},
            source_ip=source_ip,
        )
    return request


def contact_answer(
    *, actor: User, request_id: int, accept: bool, source_ip: str | None = None
) -> ContactRequest:
    """The talent accepts or declines an enterprise's request (their own only)."""
    with transaction.atomic():
        request = (
            ContactRequest.objects.select_for_update().filter(pk=request_id, profile__account=actor).first()
        )
        if request is None:
            raise NotFound()
        if request.state != ContactState.REQUESTED:
            raise Conflict(_("This request was already answered."))
        request.state = ContactState.ACCEPTED if accept else ContactState.DECLINED
        request.answered_at = timezone.now()
        request.save(update_fields=["state", "answered_at"])
        audit_record(
            actor=actor,
            action="matching.contact_answer",
            object_type="contact_request",
            object_id=request.pk,
            details={"accept": accept},
            source_ip=source_ip,
        )
    return request


UNKNOWN_SKILL = _("Not in the office's skills dictionary:")
UNKNOWN_CHAIN = _("Unknown industry chain.")
