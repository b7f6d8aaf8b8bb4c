"""What each workflow action does besides changing the state (called by ``workflow.case_transition`` inside
its transaction): ``before`` returns the case fields the conditional UPDATE writes; ``after`` writes the
related rows (parts, ratings, quota) and queues the messages, which go out only after the commit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed

from .clock import case_deadline
from .enums import CaseState, JointMode, PartStatus, QuotaStatus
from .models import Case, CaseCounter, CasePart, HallSettings, QuotaHold, QuotaPool
from .permissions import HallPerm


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


def _handler(case: Case, handler: Any) -> User:
    """The new handler of a 交办 (a user, or a username from the API): one of ``eligible_handlers``."""
    username = handler.username if isinstance(handler, User) else str(handler)
    user = next((u for u in eligible_handlers(case) if u.username == username), None)
    if user is None:
        raise ValidationFailed(fields={"handler": [_("Choose a handler of the lead department.")]})
    return user


def eligible_handlers(case: Case) -> list[User]:
    """Who may take a case over: the lead department's active staff who handle cases."""
    return department_staff(case)


def before(transition: Any, case: Case, *, actor: User | None, payload: dict[str, Any]) -> dict[str, Any]:
    action, now, today = transition.action, timezone.now(), timezone.localdate()
    hall = HallSettings.load()
    note = str(payload.get("note", "") or "").strip()
    if action == "submit":
        quota_take(case)
        return {"number": case.number or next_case_number(today), "submitted_at": now}
    if action == "accept":
        case.accepted_on, case.pauses = today, []
        due = case_deadline(case, hall.yellow_percent)
        return {"accepted_on": today, "due_on": due.due_on, "yellow_on": due.yellow_on, "handler": actor}
    if action == "return":
        from .corrections import item_label, next_number, request_items

        items = request_items(case, payload, next_number(case))
        payload["request_items"] = items  # ``after`` records the request
        summary = "；".join(item_label(i) for i in items)
        changes: dict[str, Any] = {"request_note": (note or summary)[:4000]}
        if case.state == CaseState.IN_PROGRESS:
            changes["paused_since"] = today
        return changes
    if action == "resubmit":
        if case.state != CaseState.PAUSED:
            return {"request_note": ""}
        pauses = list(case.pauses)
        first = case.paused_since + timedelta(days=1) if case.paused_since else today
        if first <= today:
            pauses.append([first.isoformat(), today.isoformat()])
        case.pauses = pauses
        due = case_deadline(case, hall.yellow_percent)
        return {
            "pauses": pauses,
            "paused_since": None,
            "request_note": "",
            "due_on": due.due_on,
            "yellow_on": due.yellow_on,
        }
    if action == "refuse":
        return {"decision_reason": note}
    if action == "conclude":
        return {"decision": payload["decision"], "decision_reason": note, "concluded_at": now}
    if action == "answer":
        return {"answer": note, "answered_at": now}
    if action == "close":
        return {"closed_at": now}
    if action == "reassign":
        return {"handler": _handler(case, payload["handler"])}
    if action == "escalate":
        if case.escalated_at:
            return {}
        payload["escalating"] = True  # tells ``after`` to send the messages: once per case
        return {"escalated_at": now}
    return {}


def _notify(recipients: Any, event: str, case: Case, **extra: Any) -> None:
    from talentcloud.notifications.services import notify

    url = reverse("servicehall:case", kwargs={"case_id": case.pk})
    # The service (its name in every language), not a name in this process's language: the text is written
    # when read, in the reader's language.
    params = {"number": case.number or "", "service": case.service, **extra}
    for user in recipients:
        notify(recipient=user, event=event, params=params, url=url)


def department_staff(case: Case, *, heads_only: bool = False) -> list[User]:
    perm = HallPerm.CASE_ESCALATIONS if heads_only else HallPerm.CASE_HANDLE
    users = User.objects.filter(unit_id=case.department_id, is_active=True).prefetch_related("roles")
    return [u for u in users if has_perm(u, perm)]


def office_staff() -> list[User]:
    users = User.objects.filter(is_active=True, roles__kind="talent_office").distinct()
    return [u for u in users if has_perm(u, HallPerm.CASE_OVERSEE)]


def after(transition: Any, case: Case, *, actor: User | None, payload: dict[str, Any]) -> None:
    from . import ratings

    action = transition.action
    note = str(payload.get("note", "") or "").strip()
    if action == "submit":
        _notify([case.applicant], "case.submitted", case)
        _notify(department_staff(case), "case.new", case)
    elif action == "accept":
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
        _notify([case.applicant], "case.accepted", case, due=case.due_on)
    elif action == "return":
        from .corrections import item_label, request_close, request_open

        if actor is None:  # the table lets only a department's staff return a case, never the system
            raise PermissionDenied()
        request_close(case)  # a newer request replaces one left unanswered
        request_open(case=case, actor=actor, items=payload["request_items"], note=note)
        items = "；".join(item_label(i) for i in payload["request_items"])
        text = items if not note or note == items else f"{note}（{items}）"
        _notify([case.applicant], "case.returned", case, note=text)
    elif action == "resubmit":
        from .corrections import request_close

        request_close(case)
    elif action in ("refuse", "withdraw"):
        quota_release(case)
        if action == "refuse":
            _notify([case.applicant], "case.refused", case, note=note)
    elif action == "part_done":
        if actor is None:  # a joint department's staff, never the system
            raise PermissionDenied()
        part = case.parts.filter(department_id=actor.unit_id, status=PartStatus.ACTIVE).first()
        if part is None:
            raise Conflict(_("Your department has no open part in this case."))
        CasePart.objects.filter(pk=part.pk).update(
            status=PartStatus.DONE, note=note, done_by=actor, done_at=timezone.now()
        )
        following = case.parts.filter(status=PartStatus.WAITING).order_by("order").first()
        if following is not None:
            CasePart.objects.filter(pk=following.pk).update(status=PartStatus.ACTIVE)
    elif action == "answer":
        _notify([case.applicant], "case.answered", case)
    elif action == "rate":
        ratings.rating_create(
            case=case, actor=actor, level=int(payload["level"]), comment=str(payload.get("comment", ""))
        )
    elif action == "escalate" and payload.get("escalating"):
        recipients = {u.pk: u for u in [*department_staff(case, heads_only=True), *office_staff()]}
        _notify(recipients.values(), "case.escalated", case, department=case.department.name, due=case.due_on)
