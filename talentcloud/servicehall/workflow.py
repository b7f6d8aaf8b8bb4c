"""The case workflow as a declared table (architecture.md, convention 4), run by the workflow engine.

``TABLE`` lists every (state, action) → (new state, who may, input needed, guard); ``CASES`` binds it to the
``Case`` model (state, revision, the timeline, the audit events) and the roles a person holds on a case.
``case_transition`` is the one service moving a case: the engine (``talentcloud.workflow.engine``) looks the
pair up, checks the actor's role on this case and the action's guard and input, then does a conditional UPDATE
on (id, state, revision): if anyone changed the case in between, zero rows change and the caller gets a
conflict — never a silent overwrite. Each transition appends a timeline event and an audit event; messages to
people go out after the commit. What each action does besides the state is registered per action in
``effects.py``; the overdue sweep moves cases in bulk under the same table (``tasks.escalate_overdue``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from talentcloud.accounts.permissions import has_perm
from talentcloud.workflow.engine import allowed, transition
from talentcloud.workflow.tables import NotAllowed, Texts, Transition, Workflow, row

from .corrections import resubmit_guard
from .enums import CaseState, Decision, PartStatus
from .models import Case, CaseEvent
from .permissions import HallPerm

if TYPE_CHECKING:
    from talentcloud.accounts.models import User

S = CaseState
APPLICANT, LEAD, JOINT, OFFICE, SYSTEM = "applicant", "lead", "joint", "office", "system"


def _all_parts_done(case: Case) -> str | None:
    if case.parts.exclude(status=PartStatus.DONE).exists():
        return str(_("The joint departments have not all finished their parts."))
    return None


def _items_provided(case: Case) -> str | None:
    return resubmit_guard(case)


T = row

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


def _timeline_event(
    case: Case, *, actor: User | None, action: str, source: str, target: str, note: Any
) -> CaseEvent:
    if isinstance(note, str) or note is None:
        note = str(note or "")[:4000]
    return CaseEvent(case=case, actor=actor, action=action, from_state=source, to_state=target, note=note)


def _bulk_timeline_events(
    *, actor: User | None, action: str, source: Any, target: Any, note: Any
) -> tuple[type[CaseEvent], dict[str, Any]]:
    """The timeline rows of a set-based move, as SQL over the moved cases (an ``INSERT … SELECT`` a chunk)."""
    fields = CaseEvent._meta
    if not hasattr(note, "resolve_expression"):
        if isinstance(note, str) or note is None:
            note = str(note or "")[:4000]
        note = Value(note, output_field=fields.get_field("note"))
    return CaseEvent, {
        "case": F("pk"),
        "at": Value(timezone.now(), output_field=fields.get_field("at")),
        "actor": Value(actor.pk if actor is not None else None, output_field=fields.get_field("actor")),
        "action": Value(action, output_field=fields.get_field("action")),
        "from_state": source,
        "to_state": target,
        "note": note,
    }


def _decision_check(value: Any) -> str | None:
    return str(_("Approve or deny.")) if value and value not in Decision.values else None


def _level_check(value: Any) -> str | None:
    return str(_("Choose one of the five levels.")) if value not in (1, 2, 3, 4, 5) else None


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


CASES = Workflow(
    name="case",
    model=Case,
    table=TABLE,
    roles_of=roles_on,
    timeline=_timeline_event,
    audit_object="case",
    audit_details=lambda case: {"number": case.number or ""},
    stamp_field="updated_at",
    system_role=SYSTEM,
    initial=S.DRAFT,
    inputs={"decision": _decision_check, "level": _level_check},
    action_labels=ACTION_LABELS,
    texts=Texts(
        not_allowed=gettext_lazy("“%(action)s” is not possible while the case is “%(state)s”."),
        denied=gettext_lazy("You may not do this on this case."),
        stale=gettext_lazy("The case changed since you opened it; reload the page and try again."),
        lost_race=gettext_lazy("Someone else changed this case just now; reload it and try again."),
    ),
    effects_module="talentcloud.servicehall.effects",
    bulk_timeline=_bulk_timeline_events,
)
BY_KEY: dict[tuple[str, str], Transition] = CASES.by_key


def allowed_actions(actor: User | None, case: Case) -> list[Transition]:
    """The actions the table allows this actor on this case now (what the case page offers)."""
    return allowed(CASES, actor, case)


def case_transition(
    *, actor: User | None, case: Case, action: str, expected_revision: int | None = None, **payload: Any
) -> Case:
    """Apply ``action`` to ``case`` if the table allows it for the actor now; otherwise change nothing and
    say why. ``expected_revision`` (from the page the user acted on) turns a stale page into a conflict."""
    moved: Case = transition(
        CASES, actor=actor, obj=case, action=action, expected_revision=expected_revision, **payload
    )
    return moved


__all__ = [
    "BY_KEY",
    "CASES",
    "STAGES",
    "TABLE",
    "NotAllowed",
    "Transition",
    "allowed_actions",
    "case_transition",
    "roles_on",
    "stages",
]
