"""A new app registers an effect on a workflow table it does not own (the service hall's cases): it runs in
the transition's transaction while the app is installed, never after, and the hall imports nothing of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db.models import F

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, Service
from talentcloud.servicehall.seed import catalogue_install
from talentcloud.servicehall.workflow import case_transition
from talentcloud.talents.models import Talent

from .scratch import scratch_app

pytestmark = pytest.mark.django_db
HALL = Path(__file__).resolve().parents[2] / "servicehall"


@pytest.fixture
def draft(units, make_user):
    catalogue_install()
    service = Service.objects.get(code="policy-consultation")
    applicant = make_user("talent", None)
    Talent.objects.create(
        name="周申请",
        gender="F",
        birth_date=dt.date(1990, 1, 1),
        highest_degree="doctor",
        category="high_level",
        grade="C",
        account=applicant,
    )
    keys = iter(range(100))

    def make() -> Case:
        return cases.case_draft_save(
            actor=applicant, service=service, data={"question": "问题"}, idempotency_key=f"s{next(keys)}"
        )

    return applicant, make


def seen(case: Case) -> int:
    return AuditEvent.objects.filter(action="scratch.saw_submit", object_id=str(case.pk)).count()


def test_a_scratch_app_adds_an_effect_to_the_case_table(draft):
    applicant, make = draft
    before = make()
    case_transition(actor=applicant, case=before, action="submit")
    assert seen(before) == 0

    with scratch_app():
        case = make()
        case_transition(actor=applicant, case=case, action="submit")
        assert seen(case) == 1

        # Refused after the scratch effect wrote: its write goes with the transition.
        refused = make()
        with pytest.raises(Conflict, match="scratch app refuses"):
            case_transition(actor=applicant, case=refused, action="submit", scratch_refuse=True)
        assert seen(refused) == 0
        assert Case.objects.get(pk=refused.pk).state == "draft"
        assert not AuditEvent.objects.filter(action="case.submit", object_id=str(refused.pk)).exists()

        # Lost to someone else: nothing of the transition, the scratch effect's write included.
        stale = make()
        Case.objects.filter(pk=stale.pk).update(revision=F("revision") + 1)
        with pytest.raises(Conflict):
            case_transition(actor=applicant, case=stale, action="submit")
        assert seen(stale) == 0

        # Declared as a list (``WORKFLOW_EFFECTS``) rather than by a decorator: the same.
        case_transition(actor=applicant, case=case, action="withdraw")
        assert AuditEvent.objects.filter(action="scratch.saw_withdraw", object_id=str(case.pk)).exists()

    after = make()
    case_transition(actor=applicant, case=after, action="submit")
    assert seen(after) == 0
    case_transition(actor=applicant, case=after, action="withdraw")
    assert not AuditEvent.objects.filter(action="scratch.saw_withdraw", object_id=str(after.pk)).exists()


def test_the_hall_imports_nothing_of_the_scratch_app():
    modules = list(HALL.rglob("*.py"))
    assert modules
    assert [str(p) for p in modules if "scratch" in p.read_text()] == []
