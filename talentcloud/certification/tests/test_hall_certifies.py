"""人才认定 through the hall (#21): a case concluded "approved" certifies the talent at the grade it asks for,
through the one service; the re-evaluation (ADR 0018) then grants the school place (the library's grade A–C
rule) without waiting for the nightly sweep; a downgrade to D, with its reason, makes it lapse. Both are on
the talent's timeline and in the audit log."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from talentcloud.audit.models import AuditEvent
from talentcloud.certification.enums import Basis
from talentcloud.certification.models import Certification
from talentcloud.certification.services import Decision, certify
from talentcloud.common.errors import ValidationFailed
from talentcloud.policies.loader import library_install
from talentcloud.policies.models import SubjectChange
from talentcloud.policies.sweep import found_for, reevaluate_pending
from talentcloud.servicehall import cases
from talentcloud.servicehall.tests.factories import service
from talentcloud.servicehall.workflow import case_transition
from talentcloud.talents.models import FactRecord, Talent, TalentChange, VerifiedFacts
from talentcloud.talents.selectors import timeline

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n" + b"0" * 100


def statuses(talent: Talent) -> dict[str, str]:
    return {f.policy.code: f.status for f in found_for(talent=talent)}


def concluded(applicant, lead, *, grade: str, decision: str = "approved", key: str = "cert-1"):
    hall = service("talent-certification")
    data = {"grade": grade, "achievements": "主持国家重点研发计划项目"}
    case = cases.case_draft_save(actor=applicant, service=hall, data=data, idempotency_key=key)
    for material in hall.current.materials if hall.current else []:
        if material["required"]:
            cases.material_add(actor=applicant, case=case, key=material["key"], upload=PDF, name="m.pdf")
    case = cases.case_submit(actor=applicant, service=hall, data={}, idempotency_key=key, case=case)
    case = case_transition(actor=lead, case=case, action="accept")
    joint = case.parts.values_list("department__code", flat=True)
    for code in joint:
        part_staff = lead.__class__.objects.filter(unit__code=code, is_active=True).first()
        case = case_transition(actor=part_staff, case=case, action="part_done", note="业绩已核")
    return case_transition(actor=lead, case=case, action="conclude", decision=decision, note="经评审认定")


@pytest.fixture
def people(make_user, kfq_firm, private_media):
    library_install()
    applicant = make_user("talent", None)
    talent = Talent.objects.create(
        name="周认定",
        gender="F",
        birth_date=timezone.localdate().replace(year=1988),
        highest_degree="doctor",
        category="high_level",
        employer=kfq_firm,
        account=applicant,
    )
    lead = make_user("service-staff", "320115-ZZB")
    make_user("service-staff", "320115-RSJ")  # the joint department's window
    office = make_user("talent-office", "320115-ZZB")
    return talent, applicant, lead, office


def test_approving_grade_b_grants_the_school_place_at_once_and_a_downgrade_to_d_makes_it_lapse(people):
    talent, applicant, lead, office = people
    today = timezone.localdate()
    assert "school-place" not in statuses(talent)

    case = concluded(applicant, lead, grade="B")
    assert case.state == "concluded"
    talent.refresh_from_db()
    assert (talent.grade, talent.tier) == ("B", "")
    row = Certification.objects.get(talent=talent)
    assert (row.basis, row.case_id, row.status, row.decided_by_id) == (
        Basis.CASE,
        case.pk,
        "current",
        lead.pk,
    )
    assert row.document_number == case.number
    assert row.effective_from == today
    assert row.effective_to is not None
    assert row.effective_to > today
    # A verified fact, and the person noted for re-evaluation (not left to the nightly sweep).
    fact = FactRecord.objects.filter(talent=talent, key="grade").latest("created_at")
    assert (fact.value, fact.verified) == ("B", True)
    assert VerifiedFacts.objects.get(talent=talent).mask & VerifiedFacts.bit("grade")
    assert SubjectChange.objects.filter(subject_id=str(talent.pk)).exists()

    reevaluate_pending(on=today)
    assert statuses(talent)["school-place"] == "granted"

    with pytest.raises(ValidationFailed) as refused:  # a downgrade says why
        certify(actor=office, talent=talent, decision=Decision(grade="D", tier="", basis=Basis.DECISION))
    assert "reason" in refused.value.fields
    talent.refresh_from_db()
    assert talent.grade == "B"

    certify(
        actor=office,
        talent=talent,
        decision=Decision(
            grade="D",
            tier="",
            basis=Basis.DECISION,
            document_number="宁人才〔2026〕9号",
            reason="复核业绩不符 B 类",
        ),
    )
    talent.refresh_from_db()
    assert talent.grade == "D"
    reevaluate_pending(on=today)
    assert "school-place" not in {code for code, status in statuses(talent).items() if status == "granted"}
    assert list(Certification.objects.filter(talent=talent).values_list("grade", "status")) == [
        ("D", "current"),
        ("B", "superseded"),
    ]

    # On the timeline: both certifications and both changes of the grade column.
    events = timeline(talent, viewer=office)
    kinds = [e.kind for e in events]
    assert kinds.count("certification") == 2
    changes = [e.item for e in events if e.kind == "change"]
    assert [(c.field, c.before, c.after) for c in changes if c.field == "grade"] == [
        ("grade", "B", "D"),
        ("grade", "", "B"),
    ]
    assert TalentChange.objects.filter(talent=talent, via="certification").count() == 2
    # In the audit log: the hall's certification and the downgrade with its reason.
    recorded = AuditEvent.objects.get(action="certification.record", object_id=str(talent.pk))
    assert recorded.details["grade"] == ["", "B"]
    assert recorded.details["case"] == case.number
    down = AuditEvent.objects.get(action="certification.downgrade", object_id=str(talent.pk))
    assert down.details["grade"] == ["B", "D"]
    assert down.details["reason"] == "复核业绩不符 B 类"
    assert down.actor_id == office.pk


def test_a_denied_case_certifies_nothing_and_an_approval_without_a_grade_is_refused(people):
    talent, applicant, lead, _office = people
    concluded(applicant, lead, grade="B", decision="denied")
    talent.refresh_from_db()
    assert talent.grade == ""
    assert not Certification.objects.exists()

    hall = service("talent-certification")
    case = cases.case_draft_save(
        actor=applicant, service=hall, data={"grade": "C", "achievements": "x"}, idempotency_key="k2"
    )
    for material in hall.current.materials if hall.current else []:
        if material["required"]:
            cases.material_add(actor=applicant, case=case, key=material["key"], upload=PDF, name="m.pdf")
    case = cases.case_submit(actor=applicant, service=hall, data={}, idempotency_key="k2", case=case)
    case = case_transition(actor=lead, case=case, action="accept")
    for part in case.parts.all():
        staff = lead.__class__.objects.filter(unit=part.department).first()
        case = case_transition(actor=staff, case=case, action="part_done", note="ok")
    type(case).objects.filter(pk=case.pk).update(form_data='{"achievements": "x"}')  # an older form: no grade
    case.refresh_from_db()
    with pytest.raises(ValidationFailed) as refused:
        case_transition(actor=lead, case=case, action="conclude", decision="approved", note="同意")
    assert "decision" in refused.value.fields
    case.refresh_from_db()
    assert case.state == "in_progress"  # nothing half-done: the conclusion did not happen
    talent.refresh_from_db()
    assert talent.grade == ""
    assert not Certification.objects.exists()


def test_a_catalogue_installed_before_gets_a_version_that_asks_the_grade(units):
    migration = importlib.import_module(
        "talentcloud.certification.migrations.0002_the_hall_case_asks_the_grade"
    )
    hall = service("talent-certification")
    assert hall.current is not None
    old = hall.current
    old.form_fields = [f for f in old.form_fields if f["key"] != "grade"]  # as the catalogue was before
    old.save(update_fields=["form_fields"])
    migration.ask_the_grade(django_apps, None)
    hall.refresh_from_db()
    assert hall.current is not None
    assert hall.current.number == old.number + 1
    assert [f["key"] for f in hall.current.form_fields] == ["grade", "achievements"]
    assert hall.current.materials == old.materials
    migration.ask_the_grade(django_apps, None)  # asks already: nothing more
    assert hall.versions.count() == 2
