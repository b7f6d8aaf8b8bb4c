"""The engine on a tiny table of its own over the case model: refusals change nothing, a stale page and a lost
race are conflicts that undo every effect, effects run where they are registered, and a set-based move obeys
the table and leaves one audit event with its counts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import DateTimeField, F, TextField, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.audit.services import audit_record
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.servicehall.models import Case, CaseEvent
from talentcloud.workflow.engine import allowed, bulk_transition, effects, transition
from talentcloud.workflow.tables import AFTER, BEFORE, BulkStep, NotAllowed, Step, Workflow, row

OWNER, SYSTEM = "owner", "system"


def _roles(actor: Any, case: Case) -> set[str]:
    if actor is None:
        return {SYSTEM}
    return {OWNER} if case.applicant_id == actor.pk else set()


def _event(case: Case, *, actor: Any, action: str, source: str, target: str, note: Any) -> CaseEvent:
    return CaseEvent(
        case=case, actor=actor, action=action, from_state=source, to_state=target, note=note or ""
    )


TINY = Workflow(
    name="tiny",
    model=Case,
    table=(
        row("send", "draft", "submitted", {OWNER}, "Send"),
        row("remark", "submitted", "submitted", {OWNER}, "Remark", needs=("note",)),
        row("finish", "submitted", "closed", {OWNER}, "Finish", guard=lambda case: "Not before the answer."),
        row("drop", "draft", "withdrawn", {OWNER, SYSTEM}, "Drop"),
        row("drop", "submitted", "refused", {SYSTEM}, "Drop"),
    ),
    roles_of=_roles,
    timeline=_event,
    audit_object="case",
    audit_prefix="tiny",
    stamp_field="updated_at",
    initial="draft",
    inputs={"note": lambda value: "Too long." if value and len(str(value)) > 20 else None},
)
SENT: list[Any] = []
DROPPED: list[BulkStep] = []


@TINY.before("send")
def _send_before(step: Step) -> dict[str, Any]:
    audit_record(actor=None, actor_username="tiny", action="tiny.before_send", object_id=step.obj.pk)
    return {"request_note": f"sent by {step.actor.username}"}


@TINY.after("send")
def _send_after(step: Step) -> None:
    assert step.obj.state == "submitted"  # the UPDATE is done
    SENT.append(step.obj.pk)


@TINY.bulk_after("drop")
def _drop_after(step: BulkStep) -> None:
    DROPPED.append(step)


def _nothing_written(case: Case, revision: int, state: str = "draft") -> None:
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.revision) == (state, revision)
    assert not CaseEvent.objects.filter(case=case).exclude(action__in=["draft", "material"]).exists()
    assert not AuditEvent.objects.filter(action__startswith="tiny.").exists()


@pytest.mark.django_db
def test_a_move_writes_state_fields_timeline_and_audit_in_one_go(make_case, owner):
    SENT.clear()
    case = make_case()
    revision = case.revision
    moved = transition(TINY, actor=owner, obj=case, action="send", expected_revision=revision)
    assert moved is case
    assert (case.state, case.revision) == ("submitted", revision + 1)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.revision, fresh.request_note) == (
        "submitted",
        revision + 1,
        "sent by " + owner.username,
    )
    assert [case.pk] == SENT
    event = CaseEvent.objects.get(case=case, action="send")
    assert (event.from_state, event.to_state, event.actor) == ("draft", "submitted", owner)
    audit = AuditEvent.objects.get(action="tiny.send")
    assert (audit.object_type, audit.object_id, audit.details) == (
        "case",
        str(case.pk),
        {"from": "draft", "to": "submitted"},
    )
    assert {t.action for t in allowed(TINY, owner, fresh)} == {"remark", "finish"}
    assert {t.action for t in allowed(TINY, None, fresh)} == {"drop"}


@pytest.mark.django_db
def test_refusals_change_nothing(make_case, owner, make_user):
    case = make_case()
    revision = case.revision
    with pytest.raises(NotAllowed) as not_allowed:
        transition(TINY, actor=owner, obj=case, action="remark", note="x")
    assert not_allowed.value.code == "not_allowed"
    with pytest.raises(PermissionDenied):
        transition(TINY, actor=make_user("talent", None), obj=case, action="send")
    with pytest.raises(Conflict):  # a page opened before the last change
        transition(TINY, actor=owner, obj=case, action="send", expected_revision=revision - 1)
    _nothing_written(case, revision)

    submitted = make_case("submitted")
    with pytest.raises(ValidationFailed) as missing:
        transition(TINY, actor=owner, obj=submitted, action="remark", note="   ")
    assert set(missing.value.fields) == {"note"}
    with pytest.raises(ValidationFailed) as too_long:
        transition(TINY, actor=owner, obj=submitted, action="remark", note="x" * 21)
    assert too_long.value.fields == {"note": ["Too long."]}
    with pytest.raises(Conflict, match="Not before the answer"):
        transition(TINY, actor=owner, obj=submitted, action="finish")
    _nothing_written(submitted, submitted.revision, "submitted")


@pytest.mark.django_db
def test_a_lost_race_undoes_the_effects_already_run(make_case, owner):
    SENT.clear()
    case = make_case()
    Case.objects.filter(pk=case.pk).update(
        revision=case.revision + 1
    )  # someone else, behind this object's back
    with pytest.raises(Conflict):
        transition(TINY, actor=owner, obj=case, action="send")
    _nothing_written(case, case.revision + 1)  # the before effect's audit row is gone with the rest
    assert SENT == []


@pytest.mark.django_db
def test_effects_are_per_workflow_action_and_phase():
    assert [e.func for e in effects(TINY, "send", BEFORE)] == [_send_before]
    assert [e.func for e in effects(TINY, "send", AFTER)] == [_send_after]
    assert effects(TINY, "remark", AFTER) == []
    with pytest.raises(ValueError, match="no action"):
        TINY.after("fly")


@pytest.mark.django_db
def test_bulk_moves_only_what_the_table_allows_and_audits_once(make_case, owner):
    DROPPED.clear()
    drafts = [make_case() for _ in range(3)]
    submitted = [make_case("submitted") for _ in range(2)]
    others = [make_case("in_progress"), make_case("closed")]
    everyone = Case.objects.filter(pk__in=[c.pk for c in [*drafts, *submitted, *others]])

    result = bulk_transition(TINY, queryset=everyone, action="drop", note="expired")

    assert result.count == 5
    assert result.by_source == {"draft": 3, "submitted": 2}
    states = dict(everyone.values_list("pk", "state"))
    assert {states[c.pk] for c in drafts} == {"withdrawn"}
    assert {states[c.pk] for c in submitted} == {"refused"}
    assert [states[c.pk] for c in others] == ["in_progress", "closed"]  # no such row in the table
    assert Case.objects.get(pk=drafts[0].pk).revision == drafts[0].revision + 1
    assert Case.objects.get(pk=others[0].pk).revision == others[0].revision
    events = CaseEvent.objects.filter(action="drop")
    assert events.count() == 5
    assert {e.note for e in events} == {"expired"}
    (audit,) = AuditEvent.objects.filter(action__startswith="tiny.")
    assert audit.action == "tiny.drop_sweep"
    assert audit.details == {"count": 5, "from": {"draft": 3, "submitted": 2}}
    (step,) = DROPPED
    assert sorted(step.ids) == sorted(result.ids) == sorted(c.pk for c in [*drafts, *submitted])
    assert {c.state for c in step.objects} == {"withdrawn", "refused"}

    # Run again: nothing left to move, nothing written.
    assert bulk_transition(TINY, queryset=everyone, action="drop").count == 0
    assert AuditEvent.objects.filter(action__startswith="tiny.").count() == 1


@pytest.mark.django_db
def test_bulk_checks_the_actors_roles_row_by_row(make_case, owner, make_user):
    DROPPED.clear()
    mine, submitted = make_case(), make_case("submitted")
    both = Case.objects.filter(pk__in=[mine.pk, submitted.pk])
    assert bulk_transition(TINY, actor=make_user("talent", None), queryset=both, action="drop").count == 0
    result = bulk_transition(TINY, actor=owner, queryset=both, action="drop")
    assert result.ids == [mine.pk]  # the owner may drop a draft, only the system a submitted case
    assert AuditEvent.objects.get(action="tiny.drop_sweep").actor_id == owner.pk


@pytest.mark.django_db
def test_bulk_refuses_what_must_move_one_at_a_time(make_case):
    everyone = Case.objects.all()
    with pytest.raises(ValueError, match="guard or needs input"):
        bulk_transition(TINY, queryset=everyone, action="remark")
    with pytest.raises(ValueError, match="row effects"):
        bulk_transition(TINY, queryset=everyone, action="send")
    with pytest.raises(PermissionDenied):  # the system holds no role in the one "open" row
        bulk_transition(
            Workflow(
                name="tiny-open",
                model=Case,
                table=(row("open", "draft", "submitted", {OWNER}, "Open"),),
                roles_of=_roles,
                timeline=_event,
                audit_object="case",
            ),
            queryset=everyone,
            action="open",
        )


def _send_twice_at_once(case: Case, owner: Any) -> list[str]:
    """Two threads, each with its own connection and its own copy of the case read before either moves."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def send() -> None:
        try:
            mine = Case.objects.get(pk=case.pk)
            barrier.wait()
            transition(TINY, actor=owner, obj=mine, action="send")
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_threads_moving_the_same_case_one_wins(make_case, owner):
    """Real threads with their own connections, on either database (PostgreSQL: the loser's UPDATE waits for
    the winner's row lock, then matches nothing; SQLite: writers take turns, the second matches nothing)."""
    for _round in range(5):
        case = make_case()
        assert sorted(_send_twice_at_once(case, owner)) == ["conflict", "ok"]
        assert Case.objects.get(pk=case.pk).revision == case.revision + 1
        assert CaseEvent.objects.filter(case=case, action="send").count() == 1
        assert AuditEvent.objects.filter(action="tiny.send", object_id=str(case.pk)).count() == 1
        assert AuditEvent.objects.filter(action="tiny.before_send", object_id=str(case.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_move_each_row_once(make_case):
    """A set-based move locks its rows: a second sweep started at the same moment finds nothing left to move
    (PostgreSQL re-reads the locked rows once the first commits; SQLite lets one writer at a time)."""
    drafts = [make_case() for _ in range(20)]
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def sweep() -> None:
        try:
            barrier.wait()
            counts.append(bulk_transition(TINY, queryset=Case.objects.all(), action="drop").count)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 20]
    assert set(Case.objects.values_list("state", flat=True)) == {"withdrawn"}
    assert CaseEvent.objects.filter(action="drop").count() == len(drafts)
    assert AuditEvent.objects.filter(action="tiny.drop_sweep").count() == 1


def _set_timeline(
    *, actor: Any, action: str, source: Any, target: Any, note: Any
) -> tuple[Any, dict[str, Any]]:
    if not hasattr(note, "resolve_expression"):
        note = Value(note or "", output_field=TextField())
    return CaseEvent, {
        "case": F("pk"),
        "at": Value(timezone.now(), output_field=DateTimeField()),
        "action": Value(action, output_field=TextField()),
        "from_state": source,
        "to_state": target,
        "note": note,
    }


TINY_SET = Workflow(
    name="tiny-set",
    model=Case,
    table=TINY.table,
    roles_of=_roles,
    timeline=_event,
    bulk_timeline=_set_timeline,
    audit_object="case",
    audit_prefix="tinyset",
    stamp_field="updated_at",
    initial="draft",
)
SET_DROPPED: list[BulkStep] = []


@TINY_SET.bulk_after("drop")
def _set_drop_after(step: BulkStep) -> None:
    SET_DROPPED.append(step)


@pytest.mark.django_db
def test_a_system_sweep_writes_its_timeline_in_the_database(make_case):
    """With a ``bulk_timeline``, the system's move loads no row: the timeline rows are an INSERT … SELECT
    (a per-row note as an SQL expression), the counts, audit event and effects as with loaded rows."""
    SET_DROPPED.clear()
    drafts = [make_case() for _ in range(3)]
    submitted = [make_case("submitted") for _ in range(2)]
    others = [make_case("in_progress")]
    everyone = Case.objects.filter(pk__in=[c.pk for c in [*drafts, *submitted, *others]])

    result = bulk_transition(
        TINY_SET, queryset=everyone, action="drop", note=Concat(Value("was "), F("state"))
    )

    assert (result.count, result.by_source) == (5, {"draft": 3, "submitted": 2})
    states = dict(everyone.values_list("pk", "state"))
    assert {states[c.pk] for c in drafts} == {"withdrawn"}
    assert {states[c.pk] for c in submitted} == {"refused"}
    assert states[others[0].pk] == "in_progress"
    events = {e.case_id: e for e in CaseEvent.objects.filter(action="drop")}
    assert set(events) == {c.pk for c in [*drafts, *submitted]}
    for case in drafts:
        assert (events[case.pk].from_state, events[case.pk].to_state) == ("draft", "withdrawn")
        assert events[case.pk].note == "was draft"  # the state before the move
    for case in submitted:
        assert (events[case.pk].from_state, events[case.pk].to_state, events[case.pk].note) == (
            "submitted",
            "refused",
            "was submitted",
        )
    (audit,) = AuditEvent.objects.filter(action__startswith="tinyset.")
    assert audit.details == {"count": 5, "from": {"draft": 3, "submitted": 2}}
    (step,) = SET_DROPPED
    assert step.loaded is None  # nothing was loaded to move them
    assert sorted(step.ids) == sorted(result.ids)
    assert {c.state for c in step.objects} == {"withdrawn", "refused"}
    assert step.moved.count() == 5
    assert bulk_transition(TINY_SET, queryset=everyone, action="drop").count == 0


@pytest.mark.django_db
def test_a_sweeps_statements_do_not_grow_with_its_rows(make_case):
    counts = []
    for size in (2, 7):
        rows = Case.objects.filter(pk__in=[make_case().pk for _ in range(size)])
        with CaptureQueriesContext(connection) as queries:
            assert bulk_transition(TINY_SET, queryset=rows, action="drop", note="expired").count == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert set(CaseEvent.objects.filter(action="drop").values_list("note", flat=True)) == {"expired"}


@pytest.mark.django_db
def test_an_sql_note_is_read_per_row_where_rows_are_loaded(make_case, owner):
    """Without a ``bulk_timeline`` (or with an actor, whose roles are checked row by row), an expression note
    is read with the rows and written on each timeline object."""
    mine = make_case()
    rows = Case.objects.filter(pk=mine.pk)
    bulk_transition(TINY, actor=owner, queryset=rows, action="drop", note=Concat(Value("was "), F("state")))
    assert CaseEvent.objects.get(case=mine, action="drop").note == "was draft"
