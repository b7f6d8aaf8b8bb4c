"""Issuance through the hall (#23): a 紫金山英才卡 case concluded "approved" issues the talent a code in the
conclusion's transaction (``workflow_effects.py``); a rejected case issues nothing; a talent whose grade
lapsed before the conclusion stops it with a message at the decision."""

from __future__ import annotations

import datetime as dt

import pytest

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import ValidationFailed
from talentcloud.servicehall import cases
from talentcloud.servicehall.tests.factories import service
from talentcloud.servicehall.workflow import case_transition
from talentcloud.talentcode.enums import CodeStatus, IssueBasis
from talentcloud.talentcode.models import TalentCode
from talentcloud.talents.models import Talent

from .conftest import certified

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, kfq_firm):
    applicant = make_user("talent", None)
    talent = Talent.objects.create(
        name="周英才",
        gender="M",
        birth_date=dt.date(1985, 5, 1),
        highest_degree="doctor",
        category="high_level",
        employer=kfq_firm,
        account=applicant,
    )
    office = make_user("talent-office", "320115-ZZB")
    certified(office, talent, "B")
    lead = make_user("service-staff", "320115-ZZB")
    return talent, applicant, lead, office


def filed(applicant, lead, key="card-1"):
    card = service("talent-card")
    case = cases.case_draft_save(actor=applicant, service=card, data={}, idempotency_key=key)
    case = cases.case_submit(actor=applicant, service=card, data={}, idempotency_key=key, case=case)
    return case_transition(actor=lead, case=case, action="accept")


def test_an_approved_card_case_issues_the_code(people):
    talent, applicant, lead, _office = people
    case = filed(applicant, lead)
    case = case_transition(actor=lead, case=case, action="conclude", decision="approved", note="符合条件")
    assert case.state == "concluded"
    code = TalentCode.objects.get(talent=talent)
    assert (code.status, code.basis, code.case_id) == (CodeStatus.ACTIVE, IssueBasis.CASE, case.pk)
    assert AuditEvent.objects.filter(action="talentcode.issue", object_id=str(code.pk)).count() == 1


def test_a_rejected_card_case_issues_nothing(people):
    talent, applicant, lead, _office = people
    case = filed(applicant, lead)
    case_transition(actor=lead, case=case, action="conclude", decision="denied", note="不符合条件")
    assert not TalentCode.objects.filter(talent=talent).exists()


def test_a_talent_whose_grade_lapsed_stops_the_approval_with_a_message(people):
    talent, applicant, lead, office = people
    case = filed(applicant, lead)
    certified(office, talent, "")
    with pytest.raises(ValidationFailed) as stopped:
        case_transition(actor=lead, case=case, action="conclude", decision="approved", note="符合条件")
    assert "decision" in stopped.value.fields
    case.refresh_from_db()
    assert case.state != "concluded"
    assert not TalentCode.objects.exists()
