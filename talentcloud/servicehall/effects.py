"""What each case action does besides changing the state, registered per action on the case table
(``CASES``); the workflow engine runs them inside the transition's transaction. A ``before`` effect returns
the case fields the conditional UPDATE writes with the new state; an ``after`` effect writes the related
rows (parts, ratings, quota, 补正 requests) and queues the messages, which go out only after the commit; the
``bulk_after`` effect of ``escalate`` tells the departments about a whole sweep of overdue cases at once.

Other apps may add effects to this table in their own ``workflow_effects.py``; this module never lists
them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.notifications.services import notify
from talentcloud.workflow.tables import BulkStep, Step

from .clock import case_deadline
from .corrections import item_label, next_number, request_close, request_items, request_open
from .enums import CaseState, JointMode, PartStatus, QuotaStatus
from .models import Case, CaseCounter, CasePart, HallSettings, QuotaHold, QuotaPool
from .ratings import rating_create
from .recipients import case_notify, department_staff, eligible_handlers, office_staff, unit_staff
from .workflow import CASES


def next_case_number(day: Any) -> str:
    """办件编号 ``<district code>-YYYYMMDD-NNNNN``: the day's counter, raised inside the transaction (the row
    lock serialises concurrent submissions on PostgreSQL; SQLite serialises writers anyway)."""
    for _attempt in range(3):
        if CaseCounter.objects.filter(day=day).update(last=F("last") + 1):
            break
        try:
            with transaction.atomic():
                CaseCounter.objects.create(day=day, last=1)
            break
        except IntegrityError:  # another submission created the day's row first
            continue
    last = CaseCounter.objects.get(day=day).last
    return f"{settings.TALENTCLOUD_DISTRICT_CODE}-{day:%Y%m%d}-{last:05d}"


def quota_take(case: Case) -> None:
    """Hold a place of a care service for this applicant's grade (or the service's pool for any grade)."""
    service = case.service
    if not service.quota_per_year:
        return
    year = timezone.localdate().year
    grade = case.talent.grade if case.talent is not None else ""
    pool = (
        QuotaPool.objects.filter(service=service, year=year, grade__in=[grade, ""]).order_by("-grade").first()
    )
    if pool is None:
        pool, _created = QuotaPool.objects.get_or_create(
            service=service, year=year, grade=grade, defaults={"capacity": service.quota_per_year}
        )
    if not QuotaPool.objects.filter(pk=pool.pk, used__lt=F("capacity")).update(used=F("used") + 1):
        raise Conflict(_("No places are left this year for this service."))
    QuotaHold.objects.update_or_create(case=case, defaults={"pool": pool, "status": QuotaStatus.HELD})


def quota_release(case: Case) -> None:
    hold = QuotaHold.objects.filter(case=case).exclude(status=QuotaStatus.RELEASED).first()
    if hold is None:
        return
    QuotaPool.objects.filter(pk=hold.pool_id, used__gt=0).update(used=F("used") - 1)
    QuotaHold.objects.filter(pk=hold.pk).update(status=QuotaStatus.RELEASED)


def _note(step: Step) -> str:
    return str(step.payload.get("note", "") or "").strip()


# -- submit: a number, a place of a care service; the applicant and the department are told


@CASES.before("submit")
def submit_number_and_quota(step: Step) -> dict[str, Any]:
    case = step.obj
    quota_take(case)
    return {"number": case.number or next_case_number(timezone.localdate()), "submitted_at": timezone.now()}


@CASES.after("submit")
def submit_tell(step: Step) -> None:
    case = step.obj
    case_notify([case.applicant], "case.submitted", case)
    case_notify(department_staff(case), "case.new", case)


# -- accept: the clock starts, the place is confirmed, the joint departments get their parts


@CASES.before("accept")
def accept_start_the_clock(step: Step) -> dict[str, Any]:
    case, today = step.obj, timezone.localdate()
    case.accepted_on, case.pauses = today, []
    due = case_deadline(case, HallSettings.load().yellow_percent)
    return {"accepted_on": today, "due_on": due.due_on, "yellow_on": due.yellow_on, "handler": step.actor}


@CASES.after("accept")
def accept_parts_and_quota(step: Step) -> None:
    case = step.obj
    QuotaHold.objects.filter(case=case, status=QuotaStatus.HELD).update(status=QuotaStatus.CONFIRMED)
    joint = list(case.service.co_departments.exclude(pk=case.department_id).order_by("sort_order", "pk"))
    sequence = case.service.joint_mode == JointMode.SEQUENCE
    CasePart.objects.bulk_create(
        [
            CasePart(
                case=case,
                department=department,
                order=index,
                status=PartStatus.WAITING if sequence and index else PartStatus.ACTIVE,
            )
            for index, department in enumerate(joint)
        ]
    )
    case_notify([case.applicant], "case.accepted", case, due=case.due_on)


# -- return (补正): every item at once; a case being handled pauses


@CASES.before("return")
def return_items(step: Step) -> dict[str, Any]:
    case, note = step.obj, _note(step)
    items = request_items(case, step.payload, next_number(case))
    step.payload["request_items"] = items  # the ``after`` effect records the request
    summary = "；".join(item_label(i) for i in items)
    changes: dict[str, Any] = {"request_note": (note or summary)[:4000]}
    if step.source == CaseState.IN_PROGRESS:
        changes["paused_since"] = timezone.localdate()
    return changes


@CASES.after("return")
def return_record_the_request(step: Step) -> None:
    case, note, items = step.obj, _note(step), step.payload["request_items"]
    request_close(case)  # a newer request replaces one left unanswered
    request_open(case=case, actor=step.actor, items=items, note=note)
    listed = "；".join(item_label(i) for i in items)
    text = listed if not note or note == listed else f"{note}（{listed}）"
    case_notify([case.applicant], "case.returned", case, note=text)


# -- resubmit: the request is answered; a paused case's clock runs again


@CASES.before("resubmit")
def resubmit_restart_the_clock(step: Step) -> dict[str, Any]:
    case, today = step.obj, timezone.localdate()
    if step.source != CaseState.PAUSED:
        return {"request_note": ""}
    pauses = list(case.pauses)
    first = case.paused_since + timedelta(days=1) if case.paused_since else today
    if first <= today:
        pauses.append([first.isoformat(), today.isoformat()])
    case.pauses = pauses
    due = case_deadline(case, HallSettings.load().yellow_percent)
    return {
        "pauses": pauses,
        "paused_since": None,
        "request_note": "",
        "due_on": due.due_on,
        "yellow_on": due.yellow_on,
    }


@CASES.after("resubmit")
def resubmit_close_the_request(step: Step) -> None:
    request_close(step.obj)


# -- refuse, withdraw: the place is given back


@CASES.before("refuse")
def refuse_reasons(step: Step) -> dict[str, Any]:
    return {"decision_reason": _note(step)}


@CASES.after("refuse")
def refuse_release_and_tell(step: Step) -> None:
    quota_release(step.obj)
    case_notify([step.obj.applicant], "case.refused", step.obj, note=_note(step))


@CASES.after("withdraw")
def withdraw_release(step: Step) -> None:
    quota_release(step.obj)


# -- part_done: a joint department finishes its part; the next one in a sequence starts


@CASES.after("part_done")
def part_done(step: Step) -> None:
    case, actor = step.obj, step.actor
    part = case.parts.filter(department_id=actor.unit_id, status=PartStatus.ACTIVE).first()
    if part is None:
        raise Conflict(_("Your department has no open part in this case."))
    CasePart.objects.filter(pk=part.pk).update(
        status=PartStatus.DONE, note=_note(step), done_by=actor, done_at=timezone.now()
    )
    following = case.parts.filter(status=PartStatus.WAITING).order_by("order").first()
    if following is not None:
        CasePart.objects.filter(pk=following.pk).update(status=PartStatus.ACTIVE)


# -- conclude, answer, rate, close


@CASES.before("conclude")
def conclude_decision(step: Step) -> dict[str, Any]:
    return {
        "decision": step.payload["decision"],
        "decision_reason": _note(step),
        "concluded_at": timezone.now(),
    }


@CASES.before("answer")
def answer_text(step: Step) -> dict[str, Any]:
    return {"answer": _note(step), "answered_at": timezone.now()}


@CASES.after("answer")
def answer_tell(step: Step) -> None:
    case_notify([step.obj.applicant], "case.answered", step.obj)


@CASES.after("rate")
def rate_record(step: Step) -> None:
    payload = step.payload
    rating_create(
        case=step.obj, actor=step.actor, level=int(payload["level"]), comment=str(payload.get("comment", ""))
    )


@CASES.before("close")
def close_stamp(step: Step) -> dict[str, Any]:
    return {"closed_at": timezone.now()}


# -- reassign (交办)


def _handler(case: Case, handler: Any) -> User:
    """The new handler of a 交办 (a user, or a username from the API): one of ``eligible_handlers``."""
    username = handler.username if isinstance(handler, User) else str(handler)
    user = next((u for u in eligible_handlers(case) if u.username == username), None)
    if user is None:
        raise ValidationFailed(fields={"handler": [_("Choose a handler of the lead department.")]})
    return user


@CASES.before("reassign")
def reassign_handler(step: Step) -> dict[str, Any]:
    return {"handler": _handler(step.obj, step.payload["handler"])}


# -- escalate: once per case, by hand (one case) or by the overdue sweep (a set)


@CASES.before("escalate")
def escalate_stamp(step: Step) -> dict[str, Any]:
    if step.obj.escalated_at:
        return {}
    step.payload["escalating"] = True  # tells the ``after`` effect to send the messages: once per case
    return {"escalated_at": timezone.now()}


@CASES.after("escalate")
def escalate_tell(step: Step) -> None:
    if not step.payload.get("escalating"):
        return
    case = step.obj
    recipients = {u.pk: u for u in [*department_staff(case, heads_only=True), *office_staff()]}
    case_notify(recipients.values(), "case.escalated", case, department=case.department.name, due=case.due_on)


@CASES.bulk_after("escalate")
def escalate_sweep_tell(step: BulkStep) -> None:
    """The department heads and the talent office get one message per department, after the commit. Counted
    in the database (the sweep's cases are never loaded): a department with one case hears about that case."""
    run = step.fields.get("escalation_run")
    moved = Case.objects.filter(escalation_run=run) if run else step.moved
    counts = dict(
        moved.order_by().values("department_id").annotate(n=Count("pk")).values_list("department_id", "n")
    )
    single = {department for department, n in counts.items() if n == 1}
    alone = {
        case.department_id: case
        for case in moved.filter(department_id__in=single).select_related("service", "department")
    }
    units = OrgUnit.objects.in_bulk(list(counts))
    transaction.on_commit(lambda: _escalation_messages(counts, alone, units))


def _escalation_messages(counts: dict[int, int], alone: dict[int, Case], units: dict[int, OrgUnit]) -> None:
    office = office_staff()
    for department_id, count in counts.items():
        heads = {u.pk: u for u in [*unit_staff(department_id, heads_only=True), *office]}
        case = alone.get(department_id)
        if case is not None:
            case_notify(heads.values(), "case.escalated", case, department=case.department, due=case.due_on)
        else:
            for user in heads.values():
                notify(
                    recipient=user,
                    event="cases.escalated",
                    params={"count": count, "department": units[department_id]},
                    url="/hall/work/?colour=red",
                )
