"""A demand's review table on the shared workflow engine (ADR 0012): the enterprise posts (submitted), the
park or street of the enterprise — or the office — approves it (open) or returns it with a note; an open
demand closes when filled or, past its deadline, expired (the daily job, as the system)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentcloud.accounts.models import User
from talentcloud.accounts.permissions import has_perm
from talentcloud.accounts.scope import in_scope
from talentcloud.workflow.engine import allowed, transition
from talentcloud.workflow.tables import Texts, Transition, Workflow, row

from .enums import DemandState as S
from .models import Demand, DemandEvent
from .permissions import RecruitPerm

ENTERPRISE, REVIEWER, SYSTEM = "enterprise", "reviewer", "system"

TABLE = (
    row("approve", S.SUBMITTED, S.OPEN, {REVIEWER}, _("Approve")),
    row("return", S.SUBMITTED, S.RETURNED, {REVIEWER}, _("Return for changes"), needs=("note",)),
    row("resubmit", S.RETURNED, S.SUBMITTED, {ENTERPRISE}, _("Submit again")),
    row("withdraw", S.SUBMITTED, S.WITHDRAWN, {ENTERPRISE}, _("Withdraw")),
    row("withdraw", S.RETURNED, S.WITHDRAWN, {ENTERPRISE}, _("Withdraw")),
    row("fill", S.OPEN, S.FILLED, {ENTERPRISE, REVIEWER}, _("Mark as filled")),
    row("expire", S.OPEN, S.EXPIRED, {SYSTEM}, _("Expire")),
)


def roles_on(actor: User | None, demand: Demand) -> set[str]:
    if actor is None:
        return {SYSTEM}
    roles: set[str] = set()
    if has_perm(actor, RecruitPerm.DEMAND_POST) and demand.enterprise.members.filter(user=actor).exists():
        roles.add(ENTERPRISE)
    if has_perm(actor, RecruitPerm.DEMAND_REVIEW) and in_scope(demand, actor):
        roles.add(REVIEWER)
    return roles


def _event(demand: Demand, *, actor: User | None, action: str, source: str, target: str, note: Any) -> Any:
    return DemandEvent(
        demand=demand, actor=actor, action=action, from_state=source, to_state=target, note=str(note or "")
    )


def _bulk_events(*, actor: User | None, action: str, source: Any, target: Any, note: Any) -> Any:
    fields = DemandEvent._meta
    return DemandEvent, {
        "demand": F("pk"),
        "at": Value(timezone.now(), output_field=fields.get_field("at")),
        "actor": Value(actor.pk if actor is not None else None, output_field=fields.get_field("actor")),
        "action": Value(action, output_field=fields.get_field("action")),
        "from_state": source,
        "to_state": target,
        "note": Value(str(note or ""), output_field=fields.get_field("note")),
    }


def _note_check(value: Any) -> str | None:
    return None if str(value or "").strip() else str(_("Say what to change."))


DEMANDS = Workflow(
    name="demand",
    model=Demand,
    table=TABLE,
    roles_of=roles_on,
    timeline=_event,
    audit_object="demand",
    stamp_field="updated_at",
    system_role=SYSTEM,
    initial=S.SUBMITTED,
    inputs={"note": _note_check},
    bulk_timeline=_bulk_events,
    texts=Texts(
        not_allowed=_("“%(action)s” is not possible while the demand is “%(state)s”."),
        denied=_("You may not do this on this demand."),
    ),
)


def demand_actions(actor: User, demand: Demand) -> list[Transition]:
    return allowed(DEMANDS, actor, demand)


def demand_transition(
    *, actor: User | None, demand: Demand, action: str, expected_revision: int | None = None, **payload: Any
) -> Demand:
    moved: Demand = transition(
        DEMANDS, actor=actor, obj=demand, action=action, expected_revision=expected_revision, **payload
    )
    return moved
