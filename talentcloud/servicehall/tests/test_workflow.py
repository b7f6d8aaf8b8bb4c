"""The workflow table is the only way a case moves; anything else is a clear error that changes nothing."""

from __future__ import annotations

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, PermissionDenied, ValidationFailed
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, CaseEvent, CasePart
from talentcloud.servicehall.workflow import TABLE, NotAllowed, allowed_actions, case_transition

from .conftest import FORM, PDF

pytestmark = pytest.mark.django_db


def submitted(applicant, service, key="k1"):
    case = cases.case_draft_save(actor=applicant, service=service, data=FORM, idempotency_key=key)
    for material in service.current.materials:
        cases.material_add(actor=applicant, case=case, key=material["key"], upload=PDF, name="m.pdf")
    return cases.case_submit(actor=applicant, service=service, data={}, idempotency_key=key, case=case)


def test_the_whole_journey_with_joint_departments(catalogue, applicant, zjj, czj):
    service = catalogue["housing-purchase-subsidy"]
    case = submitted(applicant, service)
    assert case.state == "submitted"
    assert case.number.startswith("320115-")
    case = case_transition(actor=zjj, case=case, action="accept")
    assert case.due_on is not None
    assert case.handler == zjj
    part = CasePart.objects.get(case=case)
    assert part.department.code == "320115-CZJ"
    # The lead department cannot conclude before the joint department has done its part.
    with pytest.raises(Conflict):
        case_transition(actor=zjj, case=case, action="conclude", decision="approved", note="符合条件")
    case = case_transition(actor=czj, case=case, action="part_done", note="资金已核")
    case = case_transition(actor=zjj, case=case, action="conclude", decision="approved", note="符合条件")
    case = case_transition(actor=zjj, case=case, action="answer", note="补贴将于 30 日内发放。")
    case = case_transition(actor=applicant, case=case, action="rate", level=5, comment="很快")
    assert case.state == "rated"
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-6:] == ["submit", "accept", "part_done", "conclude", "answer", "rate"]
    assert AuditEvent.objects.filter(action="case.accept", object_id=str(case.pk)).exists()


def test_wrong_state_wrong_role_missing_input_change_nothing(catalogue, applicant, zjj, czj):
    service = catalogue["housing-purchase-subsidy"]
    case = submitted(applicant, service)
    revision = case.revision

    def unchanged():
        fresh = Case.objects.get(pk=case.pk)
        assert (fresh.state, fresh.revision) == ("submitted", revision)

    with pytest.raises(NotAllowed) as not_allowed:
        case_transition(actor=zjj, case=case, action="answer", note="x")
    assert "待受理" in str(not_allowed.value) or "Waiting for acceptance" in str(not_allowed.value)
    unchanged()
    with pytest.raises(PermissionDenied):
        case_transition(actor=applicant, case=case, action="accept")
    with pytest.raises(PermissionDenied):
        case_transition(actor=czj, case=case, action="accept")  # not the lead department
    unchanged()
    with pytest.raises(ValidationFailed) as missing:
        case_transition(actor=zjj, case=case, action="refuse", note="  ")
    assert "note" in missing.value.fields
    unchanged()
    # A page opened before someone else acted is stale.
    case_transition(actor=zjj, case=Case.objects.get(pk=case.pk), action="accept")
    with pytest.raises(Conflict):
        case_transition(actor=zjj, case=case, action="refuse", note="迟了")


def test_only_allowed_actions_are_offered(catalogue, applicant, zjj):
    case = submitted(applicant, catalogue["housing-purchase-subsidy"])
    assert {t.action for t in allowed_actions(zjj, case)} == {"accept", "return", "refuse", "reassign"}
    assert {t.action for t in allowed_actions(applicant, case)} == {"withdraw"}
    assert len({(t.source, t.action) for t in TABLE}) == len(TABLE)


def test_idempotency_key_makes_one_case(catalogue, make_applicant):
    person = make_applicant()
    service = catalogue["policy-consultation"]
    first = cases.case_submit(
        actor=person, service=service, data={"question": "如何申请？"}, idempotency_key="same"
    )
    again = cases.case_submit(
        actor=person, service=service, data={"question": "如何申请？"}, idempotency_key="same"
    )
    assert first.pk == again.pk
    assert Case.objects.filter(applicant=person).count() == 1


def test_submission_needs_complete_form_and_materials(catalogue, applicant):
    service = catalogue["housing-purchase-subsidy"]
    case = cases.case_draft_save(
        actor=applicant, service=service, data={"house_address": "某处"}, idempotency_key="d"
    )
    with pytest.raises(ValidationFailed) as incomplete:
        cases.case_submit(actor=applicant, service=service, data={}, idempotency_key="d", case=case)
    assert {"contract_date", "bank_account"} <= set(incomplete.value.fields)
    assert Case.objects.get(pk=case.pk).state == "draft"


def test_eligibility_by_grade(catalogue, make_applicant):
    ungraded = make_applicant(grade="")
    with pytest.raises(PermissionDenied):
        cases.case_draft_save(actor=ungraded, service=catalogue["school-place"], data={})


def test_withdraw_releases_the_quota_place(catalogue, make_applicant):
    service = catalogue["health-check"]
    person = make_applicant(grade="B")
    case = cases.case_submit(
        actor=person, service=service, data={"preferred_month": "4 月"}, idempotency_key="h"
    )
    pool = case.quota_hold.pool
    pool.refresh_from_db()
    assert pool.used == 1
    case_transition(actor=person, case=case, action="withdraw")
    pool.refresh_from_db()
    assert pool.used == 0
