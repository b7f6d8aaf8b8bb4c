"""Through the pages: the office adds a form field and a talent applies with it; staff act from the case page
and the worklist; applicants follow their case; wrong input is named at the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.utils import timezone

from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, HallSettings, ServiceVersion
from talentcloud.servicehall.workflow import case_transition

pytestmark = pytest.mark.django_db


def test_office_adds_a_field_and_a_talent_applies_with_it(catalogue, make_user, login, applicant):
    office = login(make_user("talent-office", "320115-ZZB"))
    service = catalogue["policy-consultation"]
    before = service.current.number
    # A bad field first: the key and the missing choices are named, nothing changes.
    bad = office.post(
        "/hall/manage/policy-consultation/fields/",
        {"key": "1bad key", "label": "联系时段", "type": "choice", "choices": "上午"},
        follow=True,
    )
    assert bad.status_code == 200
    assert ServiceVersion.objects.filter(service=service).count() == 1
    response = office.post(
        "/hall/manage/policy-consultation/fields/",
        {
            "key": "contact_time",
            "label": "方便联系的时段",
            "label_en": "Best time to call",
            "type": "choice",
            "choices": "上午\n下午\n晚上",
            "required": "on",
        },
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.current.number == before + 1
    assert [f["key"] for f in service.current.form_fields] == ["question", "contact_time"]
    page = office.get("/hall/manage/policy-consultation/").content.decode()
    assert "方便联系的时段" in page

    talent = login(applicant)
    form = talent.get("/hall/services/policy-consultation/apply/").content.decode()
    assert "方便联系的时段" in form
    draft = talent.post(
        "/hall/services/policy-consultation/apply/",
        {"question": "高层次人才认定的流程？", "contact_time": "下午", "idempotency_key": "page-1"},
    )
    assert draft.status_code == 302
    case = Case.objects.get(applicant=applicant)
    assert case.version.number == before + 1
    assert json.loads(case.form_data)["contact_time"] == "下午"
    submitted = talent.post(f"/hall/cases/{case.pk}/submit/")
    assert submitted.status_code == 302
    case.refresh_from_db()
    assert case.state == "submitted"
    # The field changes again; the filed case keeps its version.
    office.post("/hall/manage/policy-consultation/fields/contact_time/", {"op": "remove"})
    case.refresh_from_db()
    assert [f["key"] for f in case.version.form_fields] == ["question", "contact_time"]


def test_submit_with_a_missing_answer_names_it(catalogue, applicant, login):
    talent = login(applicant)
    talent.post("/hall/services/policy-consultation/apply/", {"question": "", "idempotency_key": "p2"})
    case = Case.objects.get(applicant=applicant)
    response = talent.post(f"/hall/cases/{case.pk}/submit/")
    assert response.status_code == 400
    assert "咨询内容" in response.content.decode() or "question" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "draft"


def test_staff_act_from_the_case_page_and_the_worklist(catalogue, make_applicant, make_user, login):
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    client = login(staff)
    made = []
    for i in range(3):
        person = make_applicant()
        made.append(
            cases.case_submit(
                actor=person, service=service, data={"question": f"问题{i}"}, idempotency_key=f"w{i}"
            )
        )
    worklist = client.get("/hall/work/?state=submitted").content.decode()
    assert all(c.number in worklist for c in made)
    response = client.post("/hall/work/accept/", {"case": [str(made[0].pk), str(made[1].pk)]})
    assert response.status_code == 302
    assert Case.objects.filter(state="in_progress").count() == 2
    # An action missing its input is named at the field; nothing changes.
    case = Case.objects.get(pk=made[2].pk)
    bad = client.post(
        f"/hall/cases/{case.pk}/act/", {"action": "return", "revision": case.revision, "return-note": ""}
    )
    assert bad.status_code == 400
    assert Case.objects.get(pk=case.pk).state == "submitted"
    ok = client.post(
        f"/hall/cases/{case.pk}/act/",
        {"action": "return", "revision": case.revision, "return-note": "请补充问题背景"},
    )
    assert ok.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "returned"
    # A stale page (old revision) is a conflict, shown as a message; nothing changes.
    running = Case.objects.get(pk=made[1].pk)
    stale = client.post(f"/hall/cases/{running.pk}/act/", {"action": "escalate", "revision": 0}, follow=True)
    assert "刷新" in stale.content.decode()
    assert Case.objects.get(pk=running.pk).escalated_at is None
    wrong_state = client.post(
        f"/hall/cases/{case.pk}/act/",
        {"action": "refuse", "revision": case.revision + 1, "refuse-note": "迟"},
        follow=True,
    )
    assert "不能" in wrong_state.content.decode()
    # The case page offers only what the table allows this person now.
    accepted = Case.objects.get(pk=made[0].pk)
    page = client.get(f"/hall/cases/{accepted.pk}/").content.decode()
    assert 'data-testid="action-conclude"' in page
    assert 'data-testid="action-accept"' not in page
    # Red cases are found by the clock filter.
    Case.objects.filter(pk=accepted.pk).update(due_on=timezone.localdate().replace(year=2020))
    red = client.get("/hall/work/?colour=red").content.decode()
    assert accepted.number in red
    assert made[1].number not in red


def test_applicant_sees_own_cases_only(catalogue, make_applicant, login):
    service = catalogue["policy-consultation"]
    alice, bob = make_applicant(), make_applicant()
    case = cases.case_submit(actor=alice, service=service, data={"question": "甲的问题"}, idempotency_key="x")
    assert login(bob).get(f"/hall/cases/{case.pk}/").status_code == 404
    assert login(alice).get(f"/hall/cases/{case.pk}/").status_code == 200
    assert case.number in login(alice).get("/hall/cases/").content.decode()


def test_answer_then_rate_from_the_page(catalogue, applicant, make_user, login):
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    case = cases.case_submit(actor=applicant, service=service, data={"question": "问"}, idempotency_key="r")
    steps: tuple[tuple[str, dict[str, Any]], ...] = (
        ("accept", {}),
        ("conclude", {"decision": "approved", "note": "答"}),
        ("answer", {"note": "这是答复"}),
    )
    for action, extra in steps:
        case = case_transition(actor=staff, case=case, action=action, **extra)
    talent = login(applicant)
    page = talent.get(f"/hall/cases/{case.pk}/").content.decode()
    assert "这是答复" in page
    assert talent.post(f"/hall/cases/{case.pk}/rate/", {}).status_code == 400
    assert talent.post(f"/hall/cases/{case.pk}/rate/", {"level": "5", "comment": "好"}).status_code == 302
    assert Case.objects.get(pk=case.pk).state == "rated"


def test_office_changes_the_hall_settings_and_bad_values_are_named(units, make_user, login):

    office = login(make_user("talent-office", "320115-ZZB"))
    bad = office.post(
        "/hall/manage/settings/",
        {
            "unrated_after_days": "-1",
            "unrated_rule": "satisfied",
            "yellow_percent": "80",
            "rectification_step_days": "5",
        },
    )
    assert bad.status_code == 400
    assert HallSettings.load().unrated_rule == "not_counted"
    ok = office.post(
        "/hall/manage/settings/",
        {
            "unrated_after_days": "20",
            "unrated_rule": "satisfied",
            "yellow_percent": "75",
            "rectification_step_days": "5",
        },
    )
    assert ok.status_code == 302
    assert (HallSettings.load().unrated_after_days, HallSettings.load().unrated_rule) == (20, "satisfied")
    assert login(make_user("service-staff", "320115-ZJJ")).get("/hall/manage/settings/").status_code == 403
