"""The programmes' writes (keyword-only, ``actor=``, one audit event in the same transaction) and the
eligibility check an applicant sees before applying.

Applications move on the shared engine (``workflow.APPLICATIONS``); panels are drawn by ``draw_panel`` from
the pool frozen at the draw (ADR 0027); ``approve`` goes down the ranking within the call's places and budget,
the call's row locked so that two approvals at once never commit more than the budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.accounts.permissions import require_perm
from talentcloud.audit.services import audit_record
from talentcloud.certification.enums import Basis
from talentcloud.certification.services import Decision, record
from talentcloud.common.crypto import blind_index
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.common.validators import validate_resident_id
from talentcloud.enterprises.models import Enterprise
from talentcloud.notifications.services import notify
from talentcloud.payouts.models import Award as LedgerAward
from talentcloud.payouts.models import BudgetLine
from talentcloud.payouts.services import Instalment as LedgerInstalment
from talentcloud.payouts.services import (
    award_make_staged,
    budget_line_set,
    exclusion_holder,
    exclusion_reason,
)
from talentcloud.rules.logic import Outcome, evaluate, fact_values, facts_used, validate
from talentcloud.talents.enums import CertificationGrade, Gender, ProgrammeTier
from talentcloud.talents.models import Talent, TalentProgramme
from talentcloud.workflow.engine import transition

from . import draw as drawing
from . import materials
from .conflicts import History, Side, reasons
from .enums import SCORING_STAGES, STAGE_ORDER, ApplicationState, SeatStatus, Stage, TieKind
from .models import (
    Affiliation,
    Application,
    Award,
    Call,
    Ceremony,
    Criterion,
    Draw,
    Expert,
    Instalment,
    Member,
    Publicity,
    PublicityEntry,
    Quota,
    Score,
    Seat,
    Tie,
)
from .permissions import ProgPerm
from .workflow import APPLICATIONS, STAGE_TARGETS, STAGES, stage_problem

S = ApplicationState
CENT = Decimal("0.01")

# -- eligibility ------------------------------------------------------------------------------------------


def eligibility(call: Call, talent: Talent, on: date | None = None) -> Outcome:
    """The call's rule over the talent's facts, clause by clause (``Outcome.clauses``, each with its reason
    in the reader's language): what the applicant sees before applying."""
    on = on or timezone.localdate()
    return evaluate(call.rule, fact_values(talent, facts_used(call.rule), on), {}, on=on)


def _open_problem(call: Call, on: date) -> str | None:
    if on < call.opens_on:
        return str(_("The call opens on %(day)s.") % {"day": call.opens_on.isoformat()})
    if on > call.closes_on:
        return str(_("The call closed on %(day)s.") % {"day": call.closes_on.isoformat()})
    return None


# -- applications -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    """A team member: a talent of the archive, or a name and institution, with the member's resident ID
    number when known (then the member gets a light person record, claimable later)."""

    name: str
    institution: str
    talent: Talent | None = None
    id_number: str = ""


def _member_record(member: MemberInput, number: str) -> Talent:
    """The archive's record of the member's ID number, or a light person record of it: name, gender and
    birth date (from the number), the number (encrypted), no account, no employer. The person claims it when
    signing up with that number (``talents.registration.talent_register``, the existing claim flow)."""
    found = (
        Talent.objects.filter(
            id_number_index=blind_index(number, purpose="talents.Talent.id_number"), pending_merge=False
        )
        .order_by("created_at")
        .first()
    )
    if found is not None:
        return found
    return Talent.objects.create(
        name=member.name.strip(),
        gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
        birth_date=date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
        highest_degree="",
        category="",
        id_number=number,
    )


def application_create(
    *,
    actor: User,
    call: Call,
    title: str,
    field: str,
    members: list[MemberInput] | None = None,
    payee_account: str = "",
) -> Application:
    """A talent starts an application (a draft) to an open call they are eligible for; the team's members
    are records of the archive or names and institutions. ``payee_account`` is where an award is paid."""
    talent = Talent.objects.filter(account=actor).first()
    if talent is None or talent.employer_id is None:
        raise PermissionDenied(_("Only a talent with an employer on the platform applies to a programme."))
    errors: dict[str, list[Any]] = {}
    if not title.strip():
        errors["title"] = [_("Name the project.")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("At most 200 characters.")]
    if not re.fullmatch(r"[A-Z]\d{2,6}", field.strip()):
        errors["field"] = [_("A field code such as F03 (a letter and two to six digits).")]
    account = "".join(payee_account.split())
    if account and not (account.isdigit() and 12 <= len(account) <= 30):
        errors["payee_account"] = [_("A bank account is 12 to 30 digits.")]
    holder = exclusion_holder(talent=talent, group=call.exclusion_group)
    if holder is not None:
        errors["call"] = [exclusion_reason(holder)]
    numbers: dict[int, str] = {}
    for index, member in enumerate(members or []):
        if not member.name.strip() or not member.institution.strip():
            errors[f"members[{index}]"] = [_("Give the member's name and institution.")]
        elif member.talent is None and member.id_number.strip():
            try:
                numbers[index] = validate_resident_id(member.id_number)
            except DjangoValidationError as bad:
                errors[f"members[{index}]"] = list(bad.messages)
    today = timezone.localdate()
    problem = _open_problem(call, today)
    if problem:
        raise Conflict(problem)
    outcome = eligibility(call, talent, today)
    if outcome.status != "passed":
        errors["call"] = [clause.reason() for clause in outcome.decisive] or [_("Not eligible.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        number = f"{call.code}-{Application.objects.filter(call=call).count() + 1:04d}"
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    call=call,
                    number=number,
                    talent=talent,
                    employer_id=talent.employer_id,
                    employer_park_id=talent.employer_park_id,
                    employer_street_id=talent.employer_street_id,
                    title=title.strip(),
                    field=field.strip(),
                    payee_account=account,
                )
        except IntegrityError as error:
            raise Conflict(_("You have applied to this call already.")) from error
        light = 0
        rows = []
        for index, m in enumerate(members or []):
            person = m.talent
            if person is None and index in numbers:
                person = _member_record(m, numbers[index])
                light += person.account_id is None and person.employer_id is None
            rows.append(
                Member(
                    application=application,
                    talent=person,
                    name=m.name.strip(),
                    institution=m.institution.strip(),
                )
            )
        Member.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            action="programs.application.create",
            object_type="programme_application",
            object_id=application.pk,
            details={"number": number, "call": call.code, "members_without_account": light},
        )
    return application


def _submit_guard(application: Application) -> None:
    lacking = materials.missing(application)
    if lacking:
        raise ValidationFailed(
            fields={"materials": [_("Materials are missing: %(what)s.") % {"what": "、".join(lacking)}]}
        )
    today = timezone.localdate()
    problem = _open_problem(application.call, today)
    if problem:
        raise Conflict(problem)
    outcome = eligibility(application.call, application.talent, today)
    if outcome.status != "passed":
        raise ValidationFailed(
            fields={"call": [clause.reason() for clause in outcome.decisive] or [_("Not eligible.")]}
        )


def move(
    *,
    actor: User,
    application: Application,
    action: str,
    expected_revision: int | None = None,
    note: str = "",
    pledge: bool = False,
) -> Application:
    """Every step of the table but approval: submit (with the pledge, the call open and the rule holding),
    nominate, recommend, the formal check, resubmit, withdraw."""
    if action == "approve":
        raise Conflict(_("Approve through the ranking."))
    if action in STAGE_TARGETS:  # the call's stages after the formal check: their own table
        return stage_advance(
            actor=actor, application=application, action=action, expected_revision=expected_revision
        )
    if action == "submit":
        if not pledge:
            raise ValidationFailed(fields={"pledge": [_("Sign the integrity pledge to submit.")]})
        _submit_guard(application)
    payload: dict[str, Any] = {"note": note} if note else {}
    moved: Application = transition(
        APPLICATIONS,
        actor=actor,
        obj=application,
        action=action,
        expected_revision=expected_revision,
        **payload,
    )
    if action == "submit":
        Application.objects.filter(pk=application.pk).update(pledged_at=timezone.now())
    return moved


def stage_advance(
    *, actor: User, application: Application, action: str, expected_revision: int | None = None
) -> Application:
    """Move an application in review on to the call's next stage (``workflow.STAGES``): never past a stage
    the call has, never into one it does not have."""
    moved: Application = transition(
        STAGES, actor=actor, obj=application, action=action, expected_revision=expected_revision
    )
    return moved


# -- the expert pool --------------------------------------------------------------------------------------


def expert_save(
    *,
    actor: User,
    code: str,
    name: str,
    fields: list[str],
    cap: int = 10,
    user: User | None = None,
    affiliations: list[tuple[str, date, date | None]] = (),  # type: ignore[assignment]
) -> Expert:
    require_perm(actor, ProgPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if not re.fullmatch(r"E\d{3,8}", code):
        errors["code"] = [_("An expert's code is E and three to eight digits.")]
    if not name.strip():
        errors["name"] = [_("Give the expert's name.")]
    if not fields or any(not re.fullmatch(r"[A-Z]\d{2,6}", f) for f in fields):
        errors["fields"] = [_("Give the field codes, such as F03.")]
    if cap < 1:
        errors["cap"] = [_("At least one review per call.")]
    for index, (institution, start, end) in enumerate(affiliations):
        if not institution.strip() or (end is not None and end < start):
            errors[f"affiliations[{index}]"] = [_("Give the institution, and an end not before the start.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        defaults: dict[str, Any] = {"name": name.strip(), "fields": fields, "cap": cap}
        if user is not None:  # an update that names no account keeps the expert's login
            defaults["user"] = user
        expert, _created = Expert.objects.update_or_create(code=code, defaults=defaults)
        expert.affiliations.all().delete()
        Affiliation.objects.bulk_create(
            Affiliation(expert=expert, institution=i.strip(), start=s, end=e) for i, s, e in affiliations
        )
        audit_record(
            actor=actor,
            action="programs.expert_save",
            object_type="expert",
            object_id=expert.pk,
            details={"code": code, "fields": fields, "affiliations": len(affiliations)},
        )
        recheck_panels(actor=actor, experts=[expert.pk])
    return expert


def tie_add(
    *,
    actor: User,
    expert: Expert,
    kind: str,
    talent: Talent | None = None,
    person_name: str = "",
    on: date | None = None,
) -> Tie:
    """Record a tie or a history; panels drawn before are checked again at once and a seat now in conflict
    is struck and filled from the same stream (``recheck_panels``). The expert themself may declare one."""
    own = expert.user_id is not None and expert.user_id == actor.pk
    if not own:
        require_perm(actor, ProgPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if kind not in TieKind.values:
        errors["kind"] = [_("Choose the kind of tie.")]
    if talent is None and not person_name.strip():
        errors["person_name"] = [_("Name the person, or choose them in the archive.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        tie = Tie.objects.create(
            expert=expert, kind=kind, talent=talent, person_name=person_name.strip(), on=on, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="programs.tie_add",
            object_type="expert",
            object_id=expert.pk,
            details={"kind": kind, "on": on.isoformat() if on else None},
        )
        recheck_panels(actor=actor, experts=[expert.pk])
    return tie


def side_of(application: Application) -> Side:
    members = list(application.members.all())
    talent = application.talent
    return Side(
        talents=frozenset({str(talent.pk)} | {str(m.talent_id) for m in members if m.talent_id}),
        names=frozenset({talent.name} | {m.name for m in members}),
        institutions=frozenset({application.employer.name} | {m.institution for m in members}),
    )


def history_of(expert: Expert) -> History:
    return History(
        affiliations=tuple((a.institution, a.start, a.end) for a in expert.affiliations.all()),
        ties=tuple(
            (t.kind, str(t.talent_id) if t.talent_id else None, t.person_name, t.on)
            for t in expert.ties.all()
        ),
    )


def conflicts_of(expert: Expert, application: Application, on: date | None = None) -> list[str]:
    return reasons(
        history_of(expert),
        side_of(application),
        today=on or timezone.localdate(),
        years=application.call.conflict_years,
    )


def eligible_pool(application: Application, on: date | None = None) -> list[Expert]:
    """The experts of the application's field, free of conflict, under their cap for the call."""
    call = application.call
    busy = dict(
        Seat.objects.filter(draw__application__call=call, draw__active=True, status=SeatStatus.SEATED)
        .exclude(draw__application=application)
        .values_list("expert_id")
        .annotate(n=Count("pk"))
    )
    rows = Expert.objects.filter(active=True).prefetch_related("affiliations", "ties")
    return [
        e
        for e in rows
        if application.field in e.fields
        and busy.get(e.pk, 0) < e.cap
        and not conflicts_of(e, application, on)
    ]


# -- draws ------------------------------------------------------------------------------------------------


def ceremony_record(*, actor: User, call: Call, digits: str, witnesses: str) -> Ceremony:
    """The digits entered at the recorded ceremony (at least six, drawn in public)."""
    require_perm(actor, ProgPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    if not re.fullmatch(r"\d{6,40}", digits.strip()):
        errors["digits"] = [_("Enter the ceremony's digits: six to forty digits 0–9.")]
    if not witnesses.strip():
        errors["witnesses"] = [_("Name the witnesses of the ceremony.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        ceremony = Ceremony.objects.create(
            call=call,
            digits=digits.strip(),
            witnesses=witnesses.strip()[:300],
            held_at=timezone.now(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="programs.ceremony",
            object_type="programme_call",
            object_id=call.pk,
            details={"ceremony": ceremony.pk, "digits": ceremony.digits},
        )
    return ceremony


def draw_panel(*, actor: User, application: Application, ceremony: Ceremony, reason: str = "") -> Draw:
    """Freeze the eligible pool, publish its digest, draw the panel from the seed of the digest and the
    ceremony's digits. A second attempt needs a reason; it shows on the application's timeline."""
    require_perm(actor, ProgPerm.MANAGE)
    if application.state != S.ACCEPTED:
        raise Conflict(_("Only an application that passed the formal check is reviewed."))
    if ceremony.call_id != application.call_id:
        raise ValidationFailed(fields={"ceremony": [_("This ceremony belongs to another call.")]})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        previous = Draw.objects.filter(application=locked).order_by("-attempt").first()
        if previous is not None and not reason.strip():
            raise ValidationFailed(
                fields={"reason": [_("A second draw needs a reason, recorded for everyone.")]}
            )
        pool = sorted(e.code for e in eligible_pool(locked))
        size = locked.call.panel_size
        if len(pool) < size:
            raise Conflict(
                _("Only %(n)s experts of the field are free of conflict; the panel needs %(size)s.")
                % {"n": len(pool), "size": size}
            )
        Draw.objects.filter(application=locked, active=True).update(active=False)
        digest = drawing.pool_digest(locked.number, pool)
        row = Draw.objects.create(
            application=locked,
            attempt=(previous.attempt + 1) if previous else 1,
            ceremony=ceremony,
            pool=pool,
            digest=digest,
            size=size,
            reason=reason.strip(),
            drawn_by=actor,
        )
        _seat(row, drawing.panel(locked.number, pool, ceremony.digits, size))
        locked.events.create(
            actor=actor,
            action="draw",
            from_state=locked.state,
            to_state=locked.state,
            note=f"#{row.attempt} {digest[:16]}" + (f" — {row.reason}" if row.reason else ""),
        )
        audit_record(
            actor=actor,
            action="programs.draw",
            object_type="programme_application",
            object_id=locked.pk,
            details={"attempt": row.attempt, "digest": digest, "pool": len(pool), "reason": row.reason},
        )
    return row


def _seat(row: Draw, codes: list[str]) -> None:
    experts = dict(Expert.objects.filter(code__in=codes).values_list("code", "pk"))
    start = (row.seats.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    Seat.objects.bulk_create(
        Seat(draw=row, expert_id=experts[code], position=start + i) for i, code in enumerate(codes)
    )
    _tell_experts(row.application, list(experts.values()))


def _tell_experts(application: Application, expert_ids: list[int]) -> None:
    """Each newly seated expert with an account hears of the seat: the call and nothing of the applicant."""
    for user in User.objects.filter(expert__pk__in=expert_ids):
        notify(
            recipient=user,
            event="programs.seated",
            params={"call": application.call.title},
            url=f"/programs/reviews/{application.pk}/",
        )


def struck_codes(row: Draw) -> list[str]:
    return list(
        row.seats.exclude(status=SeatStatus.SEATED)
        .order_by("position")
        .values_list("expert__code", flat=True)
    )


def _refill(row: Draw) -> list[str]:
    """Seat the next codes of the same stream for the seats struck (the published replay: the first
    ``size`` drawn codes that are not struck). A code of the frozen pool that has come into conflict since
    the draw is recorded as struck on the way, so the replay skips it too."""
    application = row.application
    added: list[str] = []
    while True:
        wanted = drawing.panel(application.number, row.pool, row.ceremony.digits, row.size, struck_codes(row))
        have = set(row.seats.values_list("expert__code", flat=True))
        new = [code for code in wanted if code not in have]
        if not new:
            return added
        position = row.seats.order_by("-position").values_list("position", flat=True).first() or 0
        for expert in Expert.objects.filter(code__in=new).prefetch_related("affiliations", "ties"):
            found = conflicts_of(expert, application)
            Seat.objects.create(
                draw=row,
                expert=expert,
                position=position + new.index(expert.code) + 1,
                status=SeatStatus.CONFLICT if found else SeatStatus.SEATED,
                reason=",".join(found),
                struck_at=timezone.now() if found else None,
            )
            if not found:
                added.append(expert.code)
                _tell_experts(application, [expert.pk])


def _strike(seat: Seat, status: str, why: str) -> list[str]:
    Seat.objects.filter(pk=seat.pk).update(status=status, reason=why[:2000], struck_at=timezone.now())
    Score.objects.filter(seat=seat).delete()
    return _refill(seat.draw)


def seat_decline(*, actor: User, seat: Seat, reason: str) -> list[str]:
    """The expert declines (a conflict they see, or they recognise the work); the replacement is the next of
    the same stream."""
    if seat.draw.active is False or seat.status != SeatStatus.SEATED or seat.submitted_at is not None:
        raise Conflict(_("This seat can no longer be declined."))
    if seat.expert.user_id != actor.pk:
        raise PermissionDenied(_("Only the expert drawn declines their seat."))
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Say why you decline.")]})
    with transaction.atomic():
        Draw.objects.select_for_update().get(pk=seat.draw_id)
        new = _strike(seat, SeatStatus.DECLINED, reason.strip())
        audit_record(
            actor=actor,
            action="programs.seat_decline",
            object_type="programme_application",
            object_id=seat.draw.application_id,
            details={"expert": seat.expert.code, "replacement": new},
        )
    return new


def recheck_panels(*, actor: User | None, experts: list[int]) -> list[Seat]:
    """Ties or histories changed: every active panel with one of these experts is checked again; a seat
    now in conflict is struck and the next of the stream takes it. Returns the seats struck."""
    struck: list[Seat] = []
    seats = Seat.objects.filter(
        expert_id__in=experts, status=SeatStatus.SEATED, draw__active=True
    ).select_related(
        "draw__application__call", "draw__application__talent", "draw__application__employer", "expert"
    )
    for seat in seats:
        application = seat.draw.application
        found = conflicts_of(seat.expert, application)
        if not found:
            continue
        Draw.objects.select_for_update().get(pk=seat.draw_id)
        new = _strike(seat, SeatStatus.CONFLICT, ",".join(found))
        struck.append(seat)
        application.events.create(
            actor=actor,
            action="panel_conflict",
            from_state=application.state,
            to_state=application.state,
            note=f"{seat.expert.code} → {', '.join(new) or '—'}",
        )
        audit_record(
            actor=actor,
            action="programs.seat_conflict",
            object_type="programme_application",
            object_id=application.pk,
            details={"expert": seat.expert.code, "conflicts": found, "replacement": new},
        )
    return struck


# -- scores -----------------------------------------------------------------------------------------------


def score_submit(*, actor: User, seat: Seat, values: dict[int, Any], comments: dict[int, str]) -> Seat:
    """An expert's sheet: a score 0–100 for every criterion of the call, with comments."""
    require_perm(actor, ProgPerm.REVIEW)
    if seat.expert.user_id != actor.pk or seat.status != SeatStatus.SEATED or not seat.draw.active:
        raise PermissionDenied(_("This panel seat is not yours."))
    stage = seat.draw.application.stage
    if stage not in SCORING_STAGES:
        raise Conflict(
            _("The application is at a stage without scores (%(stage)s).") % {"stage": Stage(stage).label}
        )
    if Score.objects.filter(seat=seat, stage=stage).exists():
        raise Conflict(_("Your scores are submitted already."))
    criteria = list(seat.draw.application.call.criteria.all())
    errors: dict[str, list[Any]] = {}
    parsed: dict[int, Decimal] = {}
    for criterion in criteria:
        raw = values.get(criterion.pk)
        try:
            value = Decimal(str(raw)).quantize(CENT)
        except (InvalidOperation, ValueError):
            errors[f"score_{criterion.pk}"] = [_("Give a score from 0 to 100.")]
            continue
        if not Decimal(0) <= value <= Decimal(100):
            errors[f"score_{criterion.pk}"] = [_("Give a score from 0 to 100.")]
            continue
        parsed[criterion.pk] = value
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        Score.objects.bulk_create(
            Score(
                seat=seat, criterion_id=pk, value=value, comment=str(comments.get(pk, ""))[:4000], stage=stage
            )
            for pk, value in parsed.items()
        )
        Seat.objects.filter(pk=seat.pk).update(submitted_at=timezone.now())
        audit_record(
            actor=actor,
            action="programs.score",
            object_type="programme_application",
            object_id=seat.draw.application_id,
            details={"seat": seat.pk, "stage": stage},
        )
    seat.refresh_from_db()
    return seat


def sheet_total(weights: dict[int, int], values: dict[int, Decimal]) -> Decimal | None:
    """One reviewer's total: the weighted mean of their criterion scores (0–100). A sheet missing a
    criterion has no total and does not count (ADR 0027)."""
    if not weights or any(pk not in values for pk in weights):
        return None
    total_weight = sum(weights.values())
    return (sum(Decimal(weights[pk]) * values[pk] for pk in weights) / Decimal(total_weight)).quantize(
        CENT, ROUND_HALF_UP
    )


def aggregate(totals: list[Decimal]) -> Decimal | None:
    """The application's score: the mean of the complete sheets' totals; with five or more, one highest and
    one lowest are dropped first (one of each, also when several share the extreme value)."""
    if not totals:
        return None
    ordered = sorted(totals)
    if len(ordered) >= 5:
        ordered = ordered[1:-1]
    return (sum(ordered) / Decimal(len(ordered))).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Ranked:
    application: Application
    score: Decimal | None
    sheets: int
    rank: int | None


def ranking_stage(call: Call) -> str:
    """The call's last scoring stage: its sheets alone make the ranking (ADR 0027)."""
    return [s for s in STAGE_ORDER if s in SCORING_STAGES and s in call.stages][-1]


def ranking(call: Call) -> list[Ranked]:
    """The applications in review or decided, best first, by the aggregate of the call's last scoring
    stage (``ranking_stage``); equal scores share a rank (1, 2, 2, 4) and are listed by number; unscored
    ones last."""
    weights = {c.pk: c.weight for c in call.criteria.all()}
    stage = ranking_stage(call)
    apps = list(
        Application.objects.filter(call=call, state__in=(S.ACCEPTED, S.APPROVED, S.NOT_APPROVED))
        .select_related("talent", "employer")
        .order_by("number")
    )
    sheets: dict[int, dict[int, dict[int, Decimal]]] = {}
    for app_id, seat_id, criterion_id, value in Score.objects.filter(
        seat__draw__application__in=apps,
        seat__draw__active=True,
        seat__status=SeatStatus.SEATED,
        stage=stage,
    ).values_list("seat__draw__application_id", "seat_id", "criterion_id", "value"):
        sheets.setdefault(app_id, {}).setdefault(seat_id, {})[criterion_id] = value
    rows = []
    for app in apps:
        totals = [
            t for t in (sheet_total(weights, v) for v in sheets.get(app.pk, {}).values()) if t is not None
        ]
        rows.append(Ranked(app, aggregate(totals), len(totals), None))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application.number))
    previous: Decimal | None = None
    for index, row in enumerate(rows):
        if row.score is None:
            continue
        row.rank = rows[index - 1].rank if index and row.score == previous else index + 1
        previous = row.score
    return rows


def spread(call: Call) -> list[dict[str, Any]]:
    """Per reviewer: how many sheets, their mean total, and how far they sit on average from the other
    reviewers of the same applications (positive: more generous)."""
    weights = {c.pk: c.weight for c in call.criteria.all()}
    stage = ranking_stage(call)
    sheets: dict[tuple[int, int], dict[int, Decimal]] = {}
    codes: dict[int, str] = {}
    for app_id, expert_id, code, criterion_id, value in Score.objects.filter(
        seat__draw__application__call=call,
        seat__draw__active=True,
        seat__status=SeatStatus.SEATED,
        stage=stage,
    ).values_list(
        "seat__draw__application_id", "seat__expert_id", "seat__expert__code", "criterion_id", "value"
    ):
        sheets.setdefault((app_id, expert_id), {})[criterion_id] = value
        codes[expert_id] = code
    totals = {key: sheet_total(weights, v) for key, v in sheets.items()}
    by_app: dict[int, list[Decimal]] = {}
    for (app_id, _e), total in totals.items():
        if total is not None:
            by_app.setdefault(app_id, []).append(total)
    out: dict[int, dict[str, Any]] = {}
    for (app_id, expert_id), total in totals.items():
        if total is None:
            continue
        others = list(by_app[app_id])
        others.remove(total)
        row = out.setdefault(
            expert_id, {"expert": codes[expert_id], "sheets": 0, "sum": Decimal(0), "dev": []}
        )
        row["sheets"] += 1
        row["sum"] += total
        if others:
            row["dev"].append(total - sum(others, Decimal(0)) / len(others))
    result = []
    for row in out.values():
        result.append(
            {
                "expert": row["expert"],
                "sheets": row["sheets"],
                "mean": (row["sum"] / row["sheets"]).quantize(CENT, ROUND_HALF_UP),
                "offset": (sum(row["dev"]) / len(row["dev"])).quantize(CENT, ROUND_HALF_UP)
                if row["dev"]
                else None,
            }
        )
    return sorted(result, key=lambda r: r["expert"])


# -- approval ---------------------------------------------------------------------------------------------


def approve(*, actor: User, application: Application) -> Award:
    """Approve the best-ranked application still undecided, within the call's places and budget: the call's
    row is locked, so approvals at once are counted one after another. Records the award (amount,
    instalments and milestones, service obligation) and certifies the talent through certification's
    one writer (ADR 0021)."""
    require_perm(actor, ProgPerm.MANAGE)
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=application.call_id)
        application = Application.objects.select_related("talent").get(pk=application.pk)
        if application.state != S.ACCEPTED:
            raise Conflict(_("Only an application in review is approved."))
        problem = approval_problem(application, timezone.localdate())
        if problem:
            raise Conflict(problem)
        ranked = ranking(call)
        mine = next((r for r in ranked if r.application.pk == application.pk), None)
        if mine is None or mine.score is None:
            raise Conflict(_("This application has no complete review scores yet."))
        ahead = [
            r
            for r in ranked
            if r.score is not None
            and r.rank is not None
            and mine.rank is not None
            and r.rank < mine.rank
            and r.application.state == S.ACCEPTED
        ]
        if ahead:
            raise Conflict(
                _("Decide the better-ranked applications first: %(numbers)s.")
                % {"numbers": "、".join(r.application.number for r in ahead)}
            )
        taken = Award.objects.filter(application__call=call).aggregate(n=Count("pk"))
        if taken["n"] >= call.places:
            raise Conflict(_("All %(places)s places of the call are taken.") % {"places": call.places})
        if not application.payee_account:
            raise Conflict(_("The applicant has given no bank account for the award."))
        transition(APPLICATIONS, actor=actor, obj=application, action="approve")
        award = Award.objects.create(
            application=application,
            amount=call.award_amount,
            obligation_years=call.obligation_years,
            approved_by=actor,
        )
        rows = _instalments(award, call)
        Instalment.objects.bulk_create(rows)
        award.ledger = _ledger_award(actor=actor, call=call, application=application, rows=rows)
        Award.objects.filter(pk=award.pk).update(ledger=award.ledger)
        certification = record(
            actor=actor,
            talent=application.talent,
            decision=Decision(
                grade=call.grade,
                tier=call.tier,
                basis=Basis.PROGRAMME,
                document_number=call.code,
                reason=str(_("Approved in the call “%(call)s”")) % {"call": call.title},
            ),
        )
        Award.objects.filter(pk=award.pk).update(certification=certification)
        award.certification = certification
    return award


def _ledger_award(
    *, actor: User, call: Call, application: Application, rows: list[Instalment]
) -> LedgerAward:
    """The ledger's award of an approval (ADR 0030): the instalments tied to their milestones on the call's
    budget line, committed under the line's lock; the service obligation; the exclusion group. A refusal of
    the ledger (the line's money, the exclusion group) undoes the approval, its reason in the office's
    words."""
    today = timezone.localdate()
    try:
        return award_make_staged(
            actor=actor,
            budget_code=call.budget_line_code,
            title=f"{call.title} · {application.number}",
            talent=application.talent,
            instalments=[LedgerInstalment(row.amount, row.milestone) for row in rows],
            payee_account=application.payee_account,
            starts=today,
            source_ref=application.number,
            exclusion_group=call.exclusion_group,
            obligation_months=call.obligation_years * 12,
            service_start=today if call.obligation_years else None,
            snapshot={"call": call.code, "application": application.number, "on": today.isoformat()},
        )
    except ValidationFailed as refused:
        raise Conflict(" ".join(str(m) for messages in refused.fields.values() for m in messages)) from None


def approval_problem(application: Application, today: date) -> str | None:
    """Why the call's 公示 does not yet allow approving this application (None: it does, or the call has
    no list), or a stage of the call still ahead of it."""
    ahead = stage_problem(application)
    if ahead:
        return ahead
    if not Publicity.objects.filter(call_id=application.call_id).exists():
        return None
    entry = PublicityEntry.objects.filter(application=application).first()
    if entry is None or entry.withdrawn:
        return str(_("This application is not on the published list."))
    if today <= entry.ends_on:
        return str(_("The list is published until %(day)s.") % {"day": entry.ends_on.isoformat()})
    if entry.objections.filter(status="pending").exists():
        return str(_("An objection to this line is not answered yet."))
    return None


def _instalments(award: Award, call: Call) -> list[Instalment]:
    plan = call.instalments or [{"share": 100, "milestone": str(_("On approval"))}]
    rows: list[Instalment] = []
    left = award.amount
    for seq, part in enumerate(plan, start=1):
        amount = left if seq == len(plan) else (award.amount * Decimal(part["share"]) / 100).quantize(CENT)
        left -= amount
        rows.append(Instalment(award=award, seq=seq, amount=amount, milestone=part["milestone"]))
    return rows


@dataclass(frozen=True)
class CallInput:
    """What the office sets for a call (批次)."""

    programme_code: str
    code: str
    title: str
    opens_on: date
    closes_on: date
    rule: Any
    places: int
    budget: Decimal
    award_amount: Decimal
    grade: str
    tier: str = ""
    blind: bool = False
    panel_size: int = 5
    conflict_years: int = 3
    obligation_years: int = 5
    instalments: tuple[tuple[int, str], ...] = ((100, "立项"),)
    criteria: tuple[tuple[str, int], ...] = ()
    budget_code: str = ""
    exclusion_group: str = ""
    # The optional stages chosen (答辩/路演, site visit); formal check and written review always come first.
    extra_stages: tuple[str, ...] = ()
    materials: tuple[tuple[str, str], ...] = ()
    quotas: tuple[tuple[str, int], ...] = ()  # (enterprise credit code or unit code, places)


OPTIONAL_STAGES = (Stage.DEFENSE.value, Stage.SITE_VISIT.value)


def call_create(*, actor: User, data: CallInput) -> Call:
    """A new call with its criteria; every setting checked, each problem named at its field."""
    require_perm(actor, ProgPerm.MANAGE)
    errors: dict[str, list[Any]] = {}
    programme = TalentProgramme.objects.filter(code=data.programme_code, active=True).first()
    if programme is None:
        errors["programme_code"] = [_("No active programme of the register has this code.")]
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,38}", data.code):
        errors["code"] = [_("Lower-case letters, digits and hyphens, 2 to 39 characters.")]
    elif Call.objects.filter(code=data.code).exists():
        errors["code"] = [_("Another call has this code.")]
    if not data.title.strip():
        errors["title"] = [_("Give the call's title.")]
    if data.closes_on < data.opens_on:
        errors["closes_on"] = [_("A call cannot close before it opens.")]
    problems = validate(data.rule)
    if problems:
        errors["rule"] = [f"{p.path}: {p.reason}" for p in problems]
    if data.places < 1:
        errors["places"] = [_("At least one place.")]
    if data.award_amount <= 0 or data.budget < data.award_amount:
        errors["award_amount"] = [_("An award is more than zero and within the budget.")]
    if data.grade not in CertificationGrade.values:
        errors["grade"] = [_("Choose one of the grades A–F.")]
    if data.tier and data.tier not in ProgrammeTier.values:
        errors["tier"] = [_("Choose one of the programme tiers, or none.")]
    if not 1 <= data.panel_size <= 15:
        errors["panel_size"] = [_("A panel of 1 to 15 experts.")]
    if (
        not data.instalments
        or sum(share for share, _m in data.instalments) != 100
        or any(share <= 0 or not milestone.strip() for share, milestone in data.instalments)
    ):
        errors["instalments"] = [_("Each instalment has a share and a milestone; the shares add up to 100.")]
    for name in ("budget_code", "exclusion_group"):
        if getattr(data, name) and not re.fullmatch(r"[a-z0-9][a-z0-9_-]{1,59}", getattr(data, name)):
            errors[name] = [_("Lower-case letters, digits, hyphens and underscores, 2 to 60 characters.")]
    line_code = data.budget_code or data.code
    line_exists = BudgetLine.objects.filter(policy_code=line_code, fiscal_year=data.opens_on.year).exists()
    if not line_exists and getattr(actor, "unit_id", None) is None:
        errors["budget"] = [_("The call's budget line needs your department: ask for your unit to be set.")]
    if not data.criteria or any(w <= 0 or not n.strip() for n, w in data.criteria):
        errors["criteria"] = [_("Name each review criterion and give it a weight above zero.")]
    if any(stage not in OPTIONAL_STAGES for stage in data.extra_stages):
        errors["extra_stages"] = [_("Choose among 答辩/路演 and the site visit.")]
    keys = [k for k, _label in data.materials]
    bad_key = any(not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", k) for k in keys) or len(set(keys)) != len(keys)
    if bad_key or any(not label.strip() for _k, label in data.materials):
        errors["materials"] = [
            _("Each material has a distinct key (lower-case letters, digits, _) and a name.")
        ]
    quota_rows, quota_problem = _quota_rows(data.quotas)
    if quota_problem:
        errors["quotas"] = [quota_problem]
    if errors:
        raise ValidationFailed(fields=errors)
    assert programme is not None  # refused above otherwise
    with transaction.atomic():
        call = Call.objects.create(
            programme=programme,
            code=data.code,
            title=data.title.strip(),
            opens_on=data.opens_on,
            closes_on=data.closes_on,
            rule=data.rule,
            blind=data.blind,
            panel_size=data.panel_size,
            conflict_years=data.conflict_years,
            places=data.places,
            budget=data.budget,
            award_amount=data.award_amount,
            instalments=[{"share": s, "milestone": m.strip()} for s, m in data.instalments],
            obligation_years=data.obligation_years,
            grade=data.grade,
            tier=data.tier,
            budget_code=data.budget_code,
            exclusion_group=data.exclusion_group,
            stages=[
                s.value
                for s in STAGE_ORDER
                if s in (Stage.FORMAL_CHECK, Stage.WRITTEN_REVIEW) or s in data.extra_stages
            ],
            materials=[{"key": k, "label": label.strip()} for k, label in data.materials],
        )
        Quota.objects.bulk_create(Quota(call=call, places=places, **holder) for holder, places in quota_rows)
        if not line_exists:  # the ledger's line for the call's awards, given the call's budget (ADR 0030)
            budget_line_set(
                actor=actor,
                policy_code=line_code,
                fiscal_year=data.opens_on.year,
                department=actor.unit,
                amount=data.budget,
            )
        Criterion.objects.bulk_create(
            Criterion(call=call, name=n.strip(), weight=w, order=i)
            for i, (n, w) in enumerate(data.criteria, 1)
        )
        audit_record(
            actor=actor,
            action="programs.call_create",
            object_type="programme_call",
            object_id=call.pk,
            details={
                "code": call.code,
                "places": call.places,
                "budget": str(call.budget),
                "stages": call.stages,
                "quotas": len(quota_rows),
            },
        )
    return call


def _quota_rows(quotas: tuple[tuple[str, int], ...]) -> tuple[list[tuple[dict[str, Any], int]], str | None]:
    """The nomination quotas by holder: an enterprise by its credit code, or a park or street by its unit
    code."""
    rows: list[tuple[dict[str, Any], int]] = []
    for holder_code, places in quotas:
        if places < 0:
            return [], str(_("A quota of %(code)s is not below zero.") % {"code": holder_code})
        enterprise = Enterprise.objects.filter(credit_code=holder_code).first()
        unit = (
            None
            if enterprise
            else OrgUnit.objects.filter(code=holder_code, kind__in=("park", "street")).first()
        )
        if enterprise is None and unit is None:
            return [], str(_("No enterprise, park or street has the code %(code)s.") % {"code": holder_code})
        rows.append(({"enterprise": enterprise} if enterprise else {"unit": unit}, places))
    return rows, None
