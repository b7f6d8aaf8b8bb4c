"""好差评: one rating per case; a poor rating opens a rectification item (verify → rectify → report back →
call back, each step due in working days); a department may appeal a false rating to the talent office.
Unrated cases are closed after the office's number of days and count as the office decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import scope_queryset
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.common.workdays import WorkCalendar

from .enums import AppealStatus, CaseState, RatingLevel, RectificationStep, UnratedRule
from .models import Appeal, Case, HallSettings, Rating, Rectification
from .permissions import HallPerm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from talentcloud.accounts.models import User
from .recipients import case_notify, department_staff
from .workflow import case_transition

STEPS = (
    RectificationStep.VERIFY,
    RectificationStep.RECTIFY,
    RectificationStep.REPORT,
    RectificationStep.CALLBACK,
)


def rating_create(
    *, case: Case, actor: User | None, level: int, comment: str, by_default: bool = False
) -> Rating:
    """Called by the workflow's "rate" action (and by the unrated sweep). A second rating is refused."""
    if level not in RatingLevel.values:
        raise ValidationFailed(fields={"level": [_("Choose one of the five levels.")]})
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case,
                level=level,
                comment=comment[:2000],
                rated_by=actor,
                department_id=case.department_id,
                service_id=case.service_id,
                by_default=by_default,
            )
    except IntegrityError:
        raise Conflict(_("This case has already been rated.")) from None
    if rating.poor:
        hall = HallSettings.load()
        Rectification.objects.create(
            rating=rating,
            department_id=case.department_id,
            step_due_on=WorkCalendar().add_working_days(timezone.localdate(), hall.rectification_step_days),
        )
        label = RatingLevel(rating.level).label  # lazy: in the reader's words
        case_notify(department_staff(case, heads_only=True), "rating.poor", case, level=label)
    return rating


def rectification_advance(*, actor: User, rectification_id: int, note: str) -> Rectification:
    """The department records the current step (what it found, did, reported, heard back) and moves on."""
    note = note.strip()
    with transaction.atomic():
        item = (
            scope_queryset(Rectification.objects.select_for_update(), actor)
            .filter(pk=rectification_id)
            .first()
        )
        if item is None:
            raise NotFound()
        if not has_perm(actor, HallPerm.CASE_HANDLE) or actor.unit_id != item.department_id:
            raise PermissionDenied()
        if not note:
            raise ValidationFailed(fields={"note": [_("Say what was done in this step.")]})
        if item.step == RectificationStep.CLOSED:
            raise Conflict(_("This rectification is closed."))
        hall = HallSettings.load()
        position = STEPS.index(RectificationStep(item.step))
        item.log = [
            *item.log,
            {"step": item.step, "note": note[:2000], "by": actor.username, "at": timezone.now().isoformat()},
        ]
        if position + 1 < len(STEPS):
            item.step = STEPS[position + 1]
            item.step_due_on = WorkCalendar().add_working_days(
                timezone.localdate(), hall.rectification_step_days
            )
        else:
            item.step, item.closed_at = RectificationStep.CLOSED, timezone.now()
        item.save()
        audit_record(
            actor=actor,
            action="rating.rectify",
            object_type="rating",
            object_id=item.rating_id,
            details={"step": item.step},
        )
    return item


def appeal_file(*, actor: User, rating_id: int, reason: str) -> Appeal:
    """The rated department says the rating is false (for example: a rating about another office's matter)."""
    rating = scope_queryset(Rating.objects.all(), actor).filter(pk=rating_id).first()
    if rating is None:
        raise NotFound()
    if not has_perm(actor, HallPerm.CASE_HANDLE) or actor.unit_id != rating.department_id:
        raise PermissionDenied(_("Only the rated department may appeal."))
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give the reasons for the appeal.")]})
    if rating.appeals.exclude(status=AppealStatus.PENDING).exists():
        raise Conflict(_("An appeal on this rating has already been decided."))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                rating=rating, department_id=rating.department_id, reason=reason[:4000], filed_by=actor
            )
            audit_record(actor=actor, action="rating.appeal", object_type="rating", object_id=rating.pk)
    except IntegrityError:
        raise Conflict(_("An appeal on this rating is already waiting.")) from None
    return appeal


def appeal_decide(*, actor: User, appeal_id: int, uphold: bool, note: str) -> Appeal:
    """The talent office decides; an upheld appeal takes the rating out of the counts (and closes its
    rectification)."""
    if not has_perm(actor, HallPerm.CASE_OVERSEE):
        raise PermissionDenied()
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update()
            .select_related("rating__case__service")
            .filter(pk=appeal_id)
            .first()
        )
        if appeal is None:
            raise NotFound()
        if appeal.status != AppealStatus.PENDING:
            raise Conflict(_("This appeal has already been decided."))
        appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.REJECTED
        appeal.decided_by, appeal.decided_at, appeal.decision_note = (
            actor,
            timezone.now(),
            note.strip()[:2000],
        )
        appeal.save()
        if uphold:
            Rating.objects.filter(pk=appeal.rating_id).update(excluded=True)
            Rectification.objects.filter(rating_id=appeal.rating_id).exclude(
                step=RectificationStep.CLOSED
            ).update(step=RectificationStep.CLOSED, closed_at=timezone.now())
        audit_record(
            actor=actor,
            action="rating.appeal_decide",
            object_type="rating",
            object_id=appeal.rating_id,
            details={"upheld": uphold},
        )
        case = appeal.rating.case
        outcome = gettext_lazy("upheld") if uphold else gettext_lazy("rejected")  # in the reader's words
        case_notify(department_staff(case), "appeal.decided", case, outcome=outcome)
    return appeal


def unrated_sweep() -> int:
    """Close answered cases left unrated for the office's number of days; per the office's setting they
    count as satisfied or not at all. Each close goes through the workflow table (as the system)."""
    hall = HallSettings.load()
    cutoff = timezone.now() - timedelta(days=hall.unrated_after_days)
    closed = 0
    for case in Case.objects.filter(state=CaseState.ANSWERED, answered_at__lt=cutoff).select_related(
        "service"
    )[:5000]:
        try:
            with transaction.atomic():
                if hall.unrated_rule == UnratedRule.SATISFIED:
                    rating_create(
                        case=case, actor=None, level=RatingLevel.SATISFIED, comment="", by_default=True
                    )
                case_transition(actor=None, case=case, action="close")
            closed += 1
        except Conflict:
            continue  # rated or closed meanwhile
    return closed


@dataclass(frozen=True)
class RatingRow:
    key: str
    label: str
    total: int
    average: float | None
    poor: int
    appealed_away: int


def rating_report(*, viewer: User | AnonymousUser, by: str = "department") -> list[RatingRow]:
    """Ratings per department (or service): counted, average, poor, and those appeals removed."""
    qs = scope_queryset(Rating.objects.all(), viewer)
    if by == "service":
        group, label = "service__code", "service__name"
    else:
        group, label = "department__code", "department__name"
    rows = (
        qs.values(group, label)
        .annotate(
            total=Count("pk", filter=Q(excluded=False)),
            average=Avg("level", filter=Q(excluded=False)),
            poor=Count("pk", filter=Q(excluded=False, level__lte=RatingLevel.DISSATISFIED)),
            appealed_away=Count("pk", filter=Q(excluded=True)),
        )
        .order_by(label)
    )
    return [
        RatingRow(
            key=r[group],
            label=r[label],
            total=r["total"],
            average=round(float(r["average"]), 2) if r["average"] is not None else None,
            poor=r["poor"],
            appealed_away=r["appealed_away"],
        )
        for r in rows
    ]
