"""The recruitment app's writes. Each takes ``actor=`` and records one audit event in its transaction.

Demand is checked here once for every door (page, API, Excel): ``demand_errors`` names each bad field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.crypto import sm3_hex
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.enterprises.models import Enterprise, IndustryChain
from talentcloud.talents.enums import Degree
from talentcloud.workflow.engine import bulk_transition

from . import shortage
from .enums import CatalogueState, CutoffMode, DemandState, SalaryKind
from .models import (
    Catalogue,
    CatalogueAdjustment,
    CatalogueEntry,
    Demand,
    JobSeekerProfile,
    Major,
    Post,
    Skill,
)
from .permissions import RecruitPerm
from .selectors import catalogue_draft_scores
from .workflow import DEMANDS

MAX_HEADCOUNT = 10_000
MAX_ANNUAL = 100_000_000  # yuan: a salary beyond this is a typing error


@dataclass
class DemandInput:
    post: Post | None
    headcount: int | None
    degree: str
    salary_kind: str
    deadline: dt.date | None
    salary_min: int | None = None
    salary_max: int | None = None
    experience_years: int = 0
    majors: list[Major] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    chain: IndustryChain | None = None
    title: str = ""
    location: str = ""
    ref: str = ""


def annual_band(kind: str, low: int | None, high: int | None) -> tuple[int | None, int | None]:
    """The salary as an annual band in yuan: a monthly figure × 12, an annual one as it is; one figure is a
    band of one value; 面议 has none."""
    if kind == SalaryKind.NEGOTIABLE or low is None:
        return None, None
    factor = 12 if kind == SalaryKind.MONTHLY else 1
    high = low if high is None else high
    return low * factor, high * factor


def demand_errors(data: DemandInput, *, today: dt.date | None = None) -> dict[str, list[Any]]:
    """Every problem of a demand, by field, in the reader's language."""
    today = today or timezone.localdate()
    errors: dict[str, list[Any]] = {}

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.post is None:
        bad("post", _("Choose a post."))
    elif not data.post.active:
        bad("post", _("This post is no longer in the office's list."))
    if data.headcount is None or not 1 <= data.headcount <= MAX_HEADCOUNT:
        bad("headcount", _("A headcount from 1 to %(max)d.") % {"max": MAX_HEADCOUNT})
    if data.degree not in Degree.values:
        bad("degree", _("Choose a degree."))
    if not 0 <= data.experience_years <= 50:
        bad("experience_years", _("Years of experience from 0 to 50."))
    if data.salary_kind not in SalaryKind.values:
        bad("salary_kind", _("Choose monthly, annual or negotiable."))
    elif data.salary_kind != SalaryKind.NEGOTIABLE:
        if data.salary_min is None:
            bad("salary_min", _("Give the salary, or choose negotiable."))
        elif data.salary_max is not None and data.salary_max < data.salary_min:
            bad("salary_max", _("The upper end is below the lower end."))
        else:
            low, high = annual_band(data.salary_kind, data.salary_min, data.salary_max)
            if high is not None and high > MAX_ANNUAL:
                bad("salary_max" if data.salary_max else "salary_min", _("This salary is not plausible."))
            elif low is not None and low < 1000:
                bad("salary_min", _("This salary is not plausible."))
    if data.deadline is None:
        bad("deadline", _("Give a deadline."))
    elif data.deadline < today:
        bad("deadline", _("The deadline has passed."))
    elif data.deadline > today + dt.timedelta(days=366):
        bad("deadline", _("A deadline at most a year ahead."))
    return errors


def _apply(demand: Demand, data: DemandInput) -> None:
    assert data.post is not None
    assert data.headcount is not None
    assert data.deadline is not None
    demand.post = data.post
    demand.title = data.title.strip()
    demand.ref = data.ref.strip()
    demand.headcount = data.headcount
    demand.degree = data.degree
    demand.experience_years = data.experience_years
    demand.salary_kind = data.salary_kind
    negotiable = data.salary_kind == SalaryKind.NEGOTIABLE
    demand.salary_min = None if negotiable else data.salary_min
    demand.salary_max = None if negotiable else (data.salary_max or data.salary_min)
    demand.annual_min, demand.annual_max = annual_band(data.salary_kind, data.salary_min, data.salary_max)
    demand.chain = data.chain
    demand.location = data.location.strip()
    demand.deadline = data.deadline


def _member_of(actor: User, enterprise: Enterprise) -> None:
    if not has_perm(actor, RecruitPerm.DEMAND_POST) or not enterprise.members.filter(user=actor).exists():
        raise PermissionDenied(_("Only the enterprise's own accounts post its demand."))


def demand_create(
    *,
    actor: User,
    enterprise: Enterprise,
    data: DemandInput,
    audit: bool = True,
    source_ip: str | None = None,
) -> Demand:
    """A new demand of the actor's enterprise, awaiting its park's or street's review."""
    _member_of(actor, enterprise)
    errors = demand_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        demand = Demand(enterprise=enterprise, posted_by=actor, year=timezone.localdate().year)
        _apply(demand, data)
        demand.save()
        demand.majors.set(data.majors)
        demand.skills.set(data.skills)
        if audit:
            audit_record(
                actor=actor,
                action="demand.post",
                object_type="demand",
                object_id=demand.pk,
                source_ip=source_ip,
            )
    return demand


def demand_update(*, actor: User, demand: Demand, data: DemandInput, source_ip: str | None = None) -> Demand:
    """The enterprise changes its demand while it awaits review or was returned."""
    _member_of(actor, demand.enterprise)
    if demand.state not in (DemandState.SUBMITTED, DemandState.RETURNED):
        raise Conflict(_("Only demand awaiting review or returned can be changed."))
    errors = demand_errors(data)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        updated = Demand.objects.filter(pk=demand.pk, revision=demand.revision, state=demand.state).update(
            revision=demand.revision + 1
        )
        if not updated:
            raise Conflict()
        demand.revision += 1
        _apply(demand, data)
        demand.save()
        demand.majors.set(data.majors)
        demand.skills.set(data.skills)
        audit_record(
            actor=actor, action="demand.edit", object_type="demand", object_id=demand.pk, source_ip=source_ip
        )
    return demand


def demand_expire() -> int:
    """Open demand past its deadline expires (the daily job, as the system on the review table)."""
    moved = bulk_transition(
        DEMANDS,
        actor=None,
        queryset=Demand.objects.filter(state=DemandState.OPEN, deadline__lt=timezone.localdate()),
        action="expire",
        note="deadline passed",
    )
    return moved.count


def demand_expire_job() -> None:
    demand_expire()


def profile_save(
    *,
    actor: User,
    post: Post,
    degree: str,
    major: Major | None,
    experience_years: int,
    open: bool,
    source_ip: str | None = None,
) -> JobSeekerProfile:
    """A talent's own job-seeker profile; ``open`` is their opt-in to be counted as supply."""
    errors: dict[str, list[Any]] = {}
    if not post.active:
        errors["post"] = [_("This post is no longer in the office's list.")]
    if degree not in Degree.values:
        errors["degree"] = [_("Choose a degree.")]
    if not 0 <= experience_years <= 50:
        errors["experience_years"] = [_("Years of experience from 0 to 50.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        profile, _created = JobSeekerProfile.objects.update_or_create(
            account=actor,
            defaults={
                "post": post,
                "degree": degree,
                "major": major,
                "experience_years": experience_years,
                "open": open,
            },
        )
        audit_record(
            actor=actor,
            action="job_seeker.save",
            object_type="job_seeker_profile",
            object_id=profile.pk,
            details={"open": open},
            source_ip=source_ip,
        )
    return profile


# -- the catalogue -------------------------------------------------------------------------------------


def _office(actor: User) -> None:
    if not has_perm(actor, RecruitPerm.CATALOGUE_MANAGE):
        raise PermissionDenied()


def _draft(catalogue: Catalogue) -> None:
    if catalogue.state != CatalogueState.DRAFT:
        raise Conflict(
            _("The catalogue of %(year)d is frozen; it no longer changes.") % {"year": catalogue.year}
        )


def catalogue_open(*, actor: User, year: int) -> Catalogue:
    """The draft of ``year`` (a new one takes the newest earlier catalogue's weights and cut-offs)."""
    _office(actor)
    if not 2000 <= year <= 2100:
        raise ValidationFailed(fields={"year": [_("A year from 2000 to 2100.")]})
    with transaction.atomic():
        existing = Catalogue.objects.filter(year=year).first()
        if existing is not None:
            return existing
        before = Catalogue.objects.filter(year__lt=year).order_by("-year").first()
        catalogue = Catalogue(year=year)
        if before is not None:
            catalogue.weights = dict(before.weights)
            catalogue.cutoff_mode, catalogue.cutoffs = before.cutoff_mode, list(before.cutoffs)
        catalogue.save()
        audit_record(actor=actor, action="catalogue.open", object_type="catalogue", object_id=catalogue.year)
    return catalogue


def settings_errors(weights: dict[str, Any], mode: str, cutoffs: list[Any]) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    try:
        shortage.check_weights(weights)
    except ValueError as exc:
        key = str(exc)
        name = "weights" if key == "all" else f"weight_{key}"
        message = _("At least one weight above 0.") if key == "all" else _("A whole number from 0 to 100.")
        errors[name] = [message]
    try:
        shortage.check_cutoffs(mode, cutoffs)
    except (ValueError, TypeError) as exc:
        if str(exc) == "order":
            errors["cutoffs"] = [_("Fixed cut-offs go down: five stars needs the highest index.")]
        elif mode == CutoffMode.FIXED:
            errors["cutoffs"] = [_("Four indexes from 0 to 100, for 5, 4, 3 and 2 stars.")]
        else:
            errors["cutoffs"] = [_("Five shares (not negative, not all 0) for 5, 4, 3, 2 and 1 stars.")]
    return errors


def catalogue_settings(
    *, actor: User, catalogue: Catalogue, weights: dict[str, Any], mode: str, cutoffs: list[Any]
) -> Catalogue:
    """Save a draft's weights and cut-offs (a published catalogue keeps its own)."""
    _office(actor)
    _draft(catalogue)
    errors = settings_errors(weights, mode, cutoffs)
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        catalogue.weights = shortage.check_weights(weights)
        catalogue.cutoff_mode = mode
        catalogue.cutoffs = shortage.check_cutoffs(mode, cutoffs)
        updated = Catalogue.objects.filter(pk=catalogue.pk, state=CatalogueState.DRAFT).update(
            weights=catalogue.weights, cutoff_mode=mode, cutoffs=catalogue.cutoffs
        )
        if not updated:
            raise Conflict()
        audit_record(
            actor=actor,
            action="catalogue.settings",
            object_type="catalogue",
            object_id=catalogue.year,
            details={"weights": catalogue.weights, "mode": mode, "cutoffs": catalogue.cutoffs},
        )
    return catalogue


def catalogue_adjust(*, actor: User, catalogue: Catalogue, post: Post, include: bool, reason: str) -> None:
    """Add a post to a draft, or take one out, with the reason (once per post; the newest holds)."""
    _office(actor)
    _draft(catalogue)
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Say why.")]})
    with transaction.atomic():
        CatalogueAdjustment.objects.update_or_create(
            catalogue=catalogue,
            post=post,
            defaults={"include": include, "reason": reason.strip()[:500], "by": actor},
        )
        audit_record(
            actor=actor,
            action="catalogue.add_post" if include else "catalogue.remove_post",
            object_type="catalogue",
            object_id=catalogue.year,
            details={"post": post.code},
        )


def catalogue_freeze(*, actor: User, catalogue: Catalogue) -> Catalogue:
    """Store the draft's entries as computed now, with last year's stars beside them; nothing is computed for
    this catalogue again."""
    _office(actor)
    _draft(catalogue)
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        _draft(locked)
        scores, added = catalogue_draft_scores(locked)
        if not scores:
            raise ValidationFailed(_("The catalogue has no posts: no approved demand this year."))
        posts = {p.code: p for p in Post.objects.filter(code__in=[s.code for s in scores])}
        before = (
            Catalogue.objects.filter(year__lt=locked.year, state=CatalogueState.PUBLISHED)
            .order_by("-year")
            .first()
        )
        previous = dict(before.entries.values_list("post_code", "stars")) if before else {}
        CatalogueEntry.objects.bulk_create(
            CatalogueEntry(
                catalogue=locked,
                post=posts[s.code],
                post_code=s.code,
                post_name=s.name,
                demand=s.demand,
                supply=s.supply,
                index=s.index,
                stars=s.stars,
                breakdown=s.breakdown(),
                previous_stars=previous.get(s.code),
                added_reason=added.get(s.code, ""),
            )
            for s in scores
        )
        locked.state, locked.frozen_at = CatalogueState.FROZEN, timezone.now()
        locked.save(update_fields=["state", "frozen_at"])
        audit_record(
            actor=actor,
            action="catalogue.freeze",
            object_type="catalogue",
            object_id=locked.year,
            details={"posts": len(scores)},
        )
    return locked


def catalogue_publish(*, actor: User, catalogue: Catalogue) -> Catalogue:
    """Render the frozen catalogue as .xlsx and PDF once, keep the files and their SM3 digests; the page
    and downloads read these from now on."""
    from .publishing import catalogue_pdf, catalogue_xlsx  # noqa: PLC0415 (WeasyPrint loads only to publish)

    _office(actor)
    with transaction.atomic():
        locked = Catalogue.objects.select_for_update().get(pk=catalogue.pk)
        if locked.state != CatalogueState.FROZEN:
            raise Conflict(_("Freeze the catalogue before publishing it; a published one stays as it is."))
        xlsx, pdf = catalogue_xlsx(locked), catalogue_pdf(locked)
        locked.xlsx, locked.xlsx_sm3 = xlsx, sm3_hex(xlsx)
        locked.pdf, locked.pdf_sm3 = pdf, sm3_hex(pdf)
        locked.state, locked.published_at, locked.published_by = (
            CatalogueState.PUBLISHED,
            timezone.now(),
            actor,
        )
        locked.save()
        audit_record(
            actor=actor,
            action="catalogue.publish",
            object_type="catalogue",
            object_id=locked.year,
            details={"xlsx_sm3": locked.xlsx_sm3, "pdf_sm3": locked.pdf_sm3},
        )
    return locked
