"""The case workflow as a declared table (architecture.md, convention 4) and the one service moving a case.

``TABLE`` lists every (state, action) → (new state, who may). ``case_transition`` looks the pair up, checks
the actor's role on this case and the action's guard and input, then does a conditional UPDATE on
(id, state, revision): if anyone changed the case in between, zero rows change and the caller gets a
conflict — never a silent overwrite. Each transition appends a timeline event and an audit event; messages
to people go out after the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed

from .enums import CaseState, Decision, PartStatus
from .models import Case, CaseEvent
from .permissions import HallPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

S = CaseState
APPLICANT, LEAD, JOINT, OFFICE, SYSTEM = "applicant", "lead", "joint", "office", "system"


class NotAllowed(Conflict):
    """The action does not exist from the case's current state (a conflict with the case as it is now)."""

    code = "not_allowed"


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    roles: frozenset[str]
    label: Any
    needs: tuple[str, ...] = ()  # input the action requires (checked before anything changes)
    guard: Callable[[Case], str | None] | None = field(default=None, compare=False)


def _all_parts_done(case: Case) -> str | None:
    if case.parts.exclude(status=PartStatus.DONE).exists():
        return str(_("The joint departments have not all finished their parts."))
    return None


def _items_provided(case: Case) -> str | None:
    from .corrections import resubmit_guard

    return resubmit_guard(case)


def T(action: str, source: str, target: str, roles: set[str], label: Any, **kw: Any) -> Transition:
    return Transition(action, source, target, frozenset(roles), label, **kw)


TABLE: tuple[Transition, ...] = (
    T("submit", S.DRAFT, S.SUBMITTED, {APPLICANT}, gettext_lazy("Submit")),
    T("accept", S.SUBMITTED, S.IN_PROGRESS, {LEAD}, gettext_lazy("Accept")),
    # 补正 names every item at once (``corrections.request_items``: ticked slots, listed items, or the note).
    T("return", S.SUBMITTED, S.RETURNED, {LEAD}, gettext_lazy("Ask for more materials (补正)")),
    T("return", S.IN_PROGRESS, S.PAUSED, {LEAD}, gettext_lazy("Ask for more materials (补正)")),
    T("refuse", S.SUBMITTED, S.REFUSED, {LEAD}, gettext_lazy("Do not accept"), needs=("note",)),
    T("resubmit", S.RETURNED, S.SUBMITTED, {APPLICANT}, gettext_lazy("Resubmit"), guard=_items_provided),
    T("resubmit", S.PAUSED, S.IN_PROGRESS, {APPLICANT}, gettext_lazy("Resubmit"), guard=_items_provided),
    T("part_done", S.IN_PROGRESS, S.IN_PROGRESS, {JOINT}, gettext_lazy("Our part is done"), needs=("note",)),
    T(
        "conclude",
        S.IN_PROGRESS,
        S.CONCLUDED,
        {LEAD},
        gettext_lazy("Conclude"),
        needs=("decision", "note"),
        guard=_all_parts_done,
    ),
    T("answer", S.CONCLUDED, S.ANSWERED, {LEAD}, gettext_lazy("Answer the applicant"), needs=("note",)),
    T("rate", S.ANSWERED, S.RATED, {APPLICANT}, gettext_lazy("Rate"), needs=("level",)),
    T("close", S.RATED, S.CLOSED, {LEAD, OFFICE, SYSTEM}, gettext_lazy("Close")),
    T("close", S.ANSWERED, S.CLOSED, {OFFICE, SYSTEM}, gettext_lazy("Close unrated")),
    *(
        T("withdraw", source, S.WITHDRAWN, {APPLICANT}, gettext_lazy("Withdraw"))
        for source in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_PROGRESS, S.PAUSED)
    ),
    *(
        T("reassign", source, source, {LEAD, OFFICE}, gettext_lazy("Hand over"), needs=("handler",))
        for source in (S.SUBMITTED, S.IN_PROGRESS)
    ),
    T("escalate", S.IN_PROGRESS, S.IN_PROGRESS, {LEAD, OFFICE, SYSTEM}, gettext_lazy("Escalate")),
)
ACTION_LABELS: dict[str, Any] = {
    **{t.action: t.label for t in TABLE},
    "draft": gettext_lazy("Draft started"),
    "material": gettext_lazy("Material added"),
    "material_removed": gettext_lazy("Material removed"),
}
# The stages an applicant follows (the case page's stepper): 申请 → 受理 → 办理 → 办结 → 评价.
STAGES: tuple[tuple[str, Any], ...] = (
    ("apply", pgettext_lazy("case stage", "Apply")),
    ("accept", pgettext_lazy("case stage", "Acceptance")),
    ("handle", pgettext_lazy("case stage", "Handling")),
    ("conclude", pgettext_lazy("case stage", "Conclusion")),
    ("rate", pgettext_lazy("case stage", "Rating")),
)
STAGE_OF: dict[str, str] = {
    S.DRAFT: "apply",
    S.SUBMITTED: "accept",
    S.RETURNED: "accept",
    S.REFUSED: "accept",
    S.IN_PROGRESS: "handle",
    S.PAUSED: "handle",
    S.CONCLUDED: "conclude",
    S.ANSWERED: "rate",
    S.RATED: "rate",
    S.CLOSED: "rate",
}


def stages(case: Case) -> list[dict[str, Any]]:
    """The stepper: each stage ``done``, ``current`` or ``todo``; a finished case has every stage done, a
    refused or withdrawn one stops where it ended (``stopped``)."""
    if case.state == S.WITHDRAWN:
        current = "apply" if case.submitted_at is None else ("handle" if case.accepted_on else "accept")
    else:
        current = STAGE_OF.get(case.state, "apply")
    finished = case.state in (S.RATED, S.CLOSED)
    stopped = case.state in (S.REFUSED, S.WITHDRAWN)
    keys = [key for key, _label in STAGES]
    at = keys.index(current)
    rows = []
    for index, (key, label) in enumerate(STAGES):
        if finished or index < at:
            status = "done"
        elif index == at:
            status = "stopped" if stopped else "current"
        else:
            status = "todo"
        rows.append({"key": key, "label": label, "status": status, "current": index == at})
    return rows


BY_KEY: dict[tuple[str, str], Transition] = {(t.source, t.action): t for t in TABLE}
assert len(BY_KEY) == len(TABLE), "one row per (state, action)"


def roles_on(actor: User | None, case: Case) -> set[str]:
    """The actor's roles on this case (None is the system: the scheduler's tasks)."""
    if actor is None:
        return {SYSTEM}
    roles: set[str] = set()
    if case.applicant_id == actor.pk:
        roles.add(APPLICANT)
    if has_perm(actor, HallPerm.CASE_HANDLE) and actor.unit_id is not None:
        if actor.unit_id == case.department_id:
            roles.add(LEAD)
        if case.parts.filter(department_id=actor.unit_id, status=PartStatus.ACTIVE).exists():
            roles.add(JOINT)
    if has_perm(actor, HallPerm.CASE_OVERSEE):
        roles.add(OFFICE)
    return roles


def allowed_actions(actor: User, case: Case) -> list[Transition]:
    """The actions the table allows this actor on this case now (what the case page offers)."""
    roles = roles_on(actor, case)
    return [t for t in TABLE if t.source == case.state and t.roles & roles]


def _check_input(transition: Transition, payload: dict[str, Any]) -> None:
    errors: dict[str, list[Any]] = {}
    for name in transition.needs:
        value = payload.get(name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            errors[name] = [_("Required for this action.")]
    if (
        "decision" in transition.needs
        and payload.get("decision")
        and payload["decision"] not in Decision.values
    ):
        errors["decision"] = [_("Approve or deny.")]
    if "level" in transition.needs and payload.get("level") not in (1, 2, 3, 4, 5):
        errors["level"] = [_("Choose one of the five levels.")]
    if errors:
        raise ValidationFailed(fields=errors)


def case_transition(
    *, actor: User | None, case: Case, action: str, expected_revision: int | None = None, **payload: Any
) -> Case:
    """Apply ``action`` to ``case`` if the table allows it for the actor now; otherwise change nothing and
    say why. ``expected_revision`` (from the page the user acted on) turns a stale page into a conflict."""
    from . import effects

    transition = BY_KEY.get((case.state, action))
    if transition is None:
        raise NotAllowed(
            _("“%(action)s” is not possible while the case is “%(state)s”.")
            % {"action": ACTION_LABELS.get(action, action), "state": case.get_state_display()}
        )
    if not transition.roles & roles_on(actor, case):
        raise PermissionDenied(_("You may not do this on this case."))
    if expected_revision is not None and expected_revision != case.revision:
        raise Conflict(_("The case changed since you opened it; reload the page and try again."))
    _check_input(transition, payload)
    if transition.guard is not None:
        problem = transition.guard(case)
        if problem:
            raise Conflict(problem)
    with transaction.atomic():
        changes = effects.before(transition, case, actor=actor, payload=payload)
        updated = Case.objects.filter(pk=case.pk, state=case.state, revision=case.revision).update(
            state=transition.target, revision=F("revision") + 1, updated_at=timezone.now(), **changes
        )
        if not updated:
            raise Conflict(_("Someone else changed this case just now; reload it and try again."))
        source = case.state
        for name, value in changes.items():
            setattr(case, name, value)
        case.state, case.revision = transition.target, case.revision + 1
        note = str(payload.get("note", "") or "")[:4000]
        CaseEvent.objects.create(
            case=case, actor=actor, action=action, from_state=source, to_state=transition.target, note=note
        )
        effects.after(transition, case, actor=actor, payload=payload)
        audit_record(
            actor=actor,
            actor_username="" if actor is not None else "system",
            action=f"case.{action}",
            object_type="case",
            object_id=case.pk,
            details={"from": source, "to": transition.target, "number": case.number or ""},
        )
    return case


__all__ = [
    "BY_KEY",
    "STAGES",
    "TABLE",
    "NotAllowed",
    "allowed_actions",
    "case_transition",
    "roles_on",
    "stages",
]
