"""Cases an applicant can follow and finish: 补正 names every item and each can be provided (whatever slots
the service declares), an incomplete submission names each missing field and material at its place, the
stepper and the working days left, the talent's cases on their archive timeline."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from talentcloud.audit.models import AuditEvent
from talentcloud.common.errors import Conflict, ValidationFailed
from talentcloud.servicehall import cases
from talentcloud.servicehall.models import Case, CaseRequest
from talentcloud.servicehall.workflow import case_transition, stages
from talentcloud.talents import selectors as archive
from talentcloud.talents.models import Talent

from .conftest import FORM, PDF

pytestmark = pytest.mark.django_db

ITEMS = ["参保人员名单（加盖单位公章）", "家属关系证明"]


@pytest.fixture
def rsj(make_user: Any) -> Any:
    """Window staff of the human resources bureau (lead department of supplementary medical insurance)."""
    return make_user("service-staff", "320115-RSJ")


def medical_case(applicant: Any, service: Any, key: str = "m1") -> Case:
    """A case of a service that declares no material slots, submitted."""
    assert service.current.materials == []
    return cases.case_submit(
        actor=applicant, service=service, data={"insured_family": "2"}, idempotency_key=key
    )


def test_correction_on_a_service_without_slots_names_every_item_and_each_is_provided(
    catalogue, applicant, rsj, private_media
):
    case = medical_case(applicant, catalogue["supplementary-medical"])
    case = case_transition(actor=rsj, case=case, action="accept")
    # Nothing named: refused, nothing changes.
    with pytest.raises(ValidationFailed) as empty:
        case_transition(actor=rsj, case=case, action="return", items=[], note="")
    assert "items" in empty.value.fields
    with pytest.raises(ValidationFailed) as unknown:
        case_transition(actor=rsj, case=case, action="return", materials=["no_such_slot"])
    assert "materials" in unknown.value.fields
    assert Case.objects.get(pk=case.pk).state == "in_progress"
    assert not CaseRequest.objects.exists()

    case = case_transition(actor=rsj, case=case, action="return", items="\n".join(ITEMS), note="请一并补正")
    assert case.state == "paused"
    request = case.requests.get()
    assert [i["label"] for i in request.items] == ITEMS
    assert [i["key"] for i in request.items] == ["req1_1", "req1_2"]
    # Resubmitting with nothing provided is refused, naming each item; nothing changes.
    with pytest.raises(ValidationFailed) as missing:
        cases.case_submit(actor=applicant, service=case.service, data={}, idempotency_key="", case=case)
    assert set(missing.value.fields) == {"request.req1_1", "request.req1_2"}
    assert ITEMS[1] in str(missing.value.fields["request.req1_2"][0])
    with pytest.raises(Conflict):
        case_transition(actor=applicant, case=Case.objects.get(pk=case.pk), action="resubmit")
    assert Case.objects.get(pk=case.pk).state == "paused"
    # An upload under an item's key is checked like any material; an unknown key is refused.
    with pytest.raises(ValidationFailed):
        cases.material_add(actor=applicant, case=case, key="req9_9", upload=PDF, name="x.pdf")
    with pytest.raises(ValidationFailed):
        cases.material_add(actor=applicant, case=case, key="req1_1", upload=b"GIF89a no", name="x.pdf")
    cases.material_add(actor=applicant, case=case, key="req1_1", upload=PDF, name="名单.pdf")
    with pytest.raises(ValidationFailed) as one_left:
        cases.case_submit(actor=applicant, service=case.service, data={}, idempotency_key="", case=case)
    assert set(one_left.value.fields) == {"request.req1_2"}
    cases.material_add(actor=applicant, case=case, key="req1_2", upload=PDF, name="关系证明.pdf")
    case = cases.case_submit(
        actor=applicant, service=case.service, data={}, idempotency_key="", case=Case.objects.get(pk=case.pk)
    )
    assert case.state == "in_progress"
    request.refresh_from_db()
    assert request.answered_at is not None
    assert sorted(case.materials.values_list("key", flat=True)) == ["req1_1", "req1_2"]
    # The case proceeds through the table.
    case = case_transition(actor=rsj, case=case, action="conclude", decision="approved", note="符合条件")
    assert case.state == "concluded"
    # Once answered, no more uploads under the request's keys.
    with pytest.raises(Conflict):
        cases.material_add(actor=applicant, case=case, key="req1_1", upload=PDF, name="y.pdf")


def test_a_text_answer_provides_an_item_and_a_ticked_slot_needs_a_new_file(
    catalogue, applicant, make_user, private_media
):

    zjj = make_user("service-staff", "320115-ZJJ")
    service = catalogue["housing-purchase-subsidy"]
    draft = cases.case_draft_save(actor=applicant, service=service, data=FORM, idempotency_key="h")
    for material in service.current.materials:
        cases.material_add(actor=applicant, case=draft, key=material["key"], upload=PDF, name="m.pdf")
    case = cases.case_submit(actor=applicant, service=service, data={}, idempotency_key="h", case=draft)
    slot = service.current.materials[0]["key"]
    case = case_transition(actor=zjj, case=case, action="return", materials=[slot], items=["首付款凭证"])
    assert case.state == "returned"
    with pytest.raises(ValidationFailed) as missing:
        cases.case_submit(actor=applicant, service=service, data={}, idempotency_key="", case=case)
    # The file already in the slot does not answer the request: a new one is asked for.
    assert set(missing.value.fields) == {f"request.{slot}", "request.req1_1"}
    cases.material_add(actor=applicant, case=case, key=slot, upload=PDF, name="new.pdf")
    case = cases.case_submit(
        actor=applicant,
        service=service,
        data={},
        idempotency_key="",
        case=case,
        request_answers={"req1_1": "首付款为一次性付清，见购房合同第五条"},
    )
    assert case.state == "submitted"
    assert "首付款为一次性付清" in case.requests.get().answers


def test_correction_through_the_pages(catalogue, applicant, rsj, login, private_media):
    case = medical_case(applicant, catalogue["supplementary-medical"])
    case = case_transition(actor=rsj, case=case, action="accept")
    staff = login(rsj)
    page = staff.get(f"/hall/cases/{case.pk}/").content.decode()
    assert 'name="return-items"' in page
    refused = staff.post(
        f"/hall/cases/{case.pk}/act/", {"action": "return", "revision": case.revision, "return-items": ""}
    )
    assert refused.status_code == 400
    assert Case.objects.get(pk=case.pk).state == "in_progress"
    done = staff.post(
        f"/hall/cases/{case.pk}/act/",
        {"action": "return", "revision": case.revision, "return-items": "\n".join(ITEMS)},
    )
    assert done.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "paused"

    talent = login(applicant)
    page = talent.get(f"/hall/cases/{case.pk}/").content.decode()
    for label in ITEMS:
        assert label in page
    assert 'data-testid="upload-req1_1"' in page
    assert 'data-testid="upload-req1_2"' in page
    assert 'data-testid="notice-correction"' in page
    uploaded = talent.post(
        f"/hall/cases/{case.pk}/materials/",
        {"key": "req1_1", "upload": SimpleUploadedFile("名单.pdf", PDF, content_type="application/pdf")},
    )
    assert uploaded.status_code == 302
    # One item left: the page names it in the summary and at its place; nothing moves.
    incomplete = talent.post(f"/hall/cases/{case.pk}/submit/", {"answer-req1_1": ""})
    assert incomplete.status_code == 400
    body = incomplete.content.decode()
    assert 'data-testid="problem-request.req1_2"' in body
    assert 'href="#item-req1_2"' in body
    assert 'id="item-req1_2-error"' in body
    assert Case.objects.get(pk=case.pk).state == "paused"
    talent.post(
        f"/hall/cases/{case.pk}/materials/",
        {"key": "req1_2", "upload": SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")},
    )
    resubmitted = talent.post(f"/hall/cases/{case.pk}/submit/")
    assert resubmitted.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "in_progress"
    # Staff see the files under each item.
    page = staff.get(f"/hall/cases/{case.pk}/").content.decode()
    assert "名单.pdf" in page
    assert "证明.pdf" in page


def test_an_incomplete_submission_names_each_field_and_material_on_the_page(
    catalogue, applicant, login, private_media
):
    talent = login(applicant)
    service = catalogue["spouse-employment"]
    draft = cases.case_draft_save(
        actor=applicant, service=service, data={"spouse_education": "硕士"}, idempotency_key="s"
    )
    response = talent.post(f"/hall/cases/{draft.pk}/submit/")
    assert response.status_code == 400
    body = response.content.decode()
    summary = body[body.index('data-testid="problems"') : body.index("</section>", body.index("problems"))]
    for label, anchor in (
        ("配偶姓名", "#answer-spouse_name"),
        ("意向岗位", "#answer-wanted_job"),
        ("结婚证", "#material-marriage_certificate"),
    ):
        assert label in summary
        assert f'href="{anchor}"' in summary
    assert "配偶学历" not in summary  # answered
    assert "这个字段是必填项" not in body
    # The errors stay at their places too.
    assert 'id="answer-spouse_name-error"' in body
    assert 'id="material-marriage_certificate-error"' in body
    assert Case.objects.get(pk=draft.pk).state == "draft"
    # The edit page, reached from there, shows each field's problem at the field.
    edit = talent.get(f"/hall/cases/{draft.pk}/edit/?check=1").content.decode()
    assert "请填写“配偶姓名”" in edit
    assert "请填写“意向岗位”" in edit


def test_an_incomplete_submission_names_each_field_and_material_in_the_api(catalogue, applicant, login):
    talent = login(applicant)
    response = talent.post(
        "/api/v1/hall/cases",
        {"service": "spouse-employment", "answers": {"spouse_education": "硕士"}, "idempotency_key": "a"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = response.json()["fields"]
    assert set(fields) == {"spouse_name", "wanted_job", "materials.marriage_certificate"}
    assert "配偶姓名" in fields["spouse_name"][0]
    assert "结婚证" in fields["materials.marriage_certificate"][0]


def test_correction_through_the_api(catalogue, applicant, rsj, login, private_media):
    case = medical_case(applicant, catalogue["supplementary-medical"])
    staff, talent = login(rsj), login(applicant)
    returned = staff.post(
        f"/api/v1/hall/cases/{case.pk}/actions",
        {"action": "return", "items": ITEMS},
        content_type="application/json",
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"
    request = talent.get(f"/api/v1/hall/cases/{case.pk}/request").json()
    assert [(i["key"], i["label"], i["files"]) for i in request["items"]] == [
        ("req1_1", ITEMS[0], 0),
        ("req1_2", ITEMS[1], 0),
    ]
    refused = talent.post(f"/api/v1/hall/cases/{case.pk}/submit")
    assert refused.status_code == 422
    assert set(refused.json()["fields"]) == {"request.req1_1", "request.req1_2"}
    up = talent.post(
        f"/api/v1/hall/cases/{case.pk}/materials", {"key": "req1_1", "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert up.status_code == 201
    done = talent.post(
        f"/api/v1/hall/cases/{case.pk}/submit",
        {"request_answers": {"req1_2": "户口簿首页及本人页已上传"}},
        content_type="application/json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "submitted"


def test_the_stepper_and_the_working_days_left(catalogue, applicant, rsj, login):
    case = medical_case(applicant, catalogue["supplementary-medical"])
    assert [s["status"] for s in stages(case)] == ["done", "current", "todo", "todo", "todo"]
    case = case_transition(actor=rsj, case=case, action="accept")
    page = login(applicant).get(f"/hall/cases/{case.pk}/").content.decode()
    stepper = re.search(r'<ol class="stepper".*?</ol>', page, re.S)
    assert stepper is not None
    current = re.findall(r'<li class="current" aria-current="step">([^<]+)', stepper.group(0))
    assert current == ["办理"]
    assert stepper.group(0).count('aria-current="step"') == 1
    assert 'data-testid="days-left"' in page
    assert "个工作日" in page
    refused = medical_case(applicant, catalogue["supplementary-medical"], key="m2")
    refused = case_transition(actor=rsj, case=refused, action="refuse", note="不符合条件")
    assert [s["status"] for s in stages(refused)] == ["done", "stopped", "todo", "todo", "todo"]


def test_the_talents_cases_are_on_their_archive_timeline(catalogue, applicant, rsj, login):

    talent = Talent.objects.get(account=applicant)
    cases.case_draft_save(
        actor=applicant, service=catalogue["spouse-employment"], data={}, idempotency_key="draft"
    )
    case = medical_case(applicant, catalogue["supplementary-medical"])
    case = case_transition(actor=rsj, case=case, action="accept")
    entries = [e for e in archive.timeline(talent) if e.kind == "case"]
    assert len(entries) == 1  # a draft is not on it
    assert entries[0].item.pk == str(case.pk)
    assert entries[0].item.title == case.number
    assert entries[0].item.label == "补充医疗保险"
    page = login(applicant).get(f"/talents/{talent.pk}/").content.decode()
    assert case.number in page
    assert f"/hall/cases/{case.pk}/" in page
    assert '<span data-testid="timeline-case-state">办理中</span>' in page
    assert AuditEvent.objects.filter(action="case.accept").exists()


def test_cases_waiting_under_the_old_single_note_get_a_request_they_can_answer(
    catalogue, applicant, rsj, private_media
):
    """Migration 0003 turns the note of a case waiting for 补正 into a request with that note as its item."""

    migration = importlib.import_module("talentcloud.servicehall.migrations.0003_case_requests")
    case = medical_case(applicant, catalogue["supplementary-medical"])
    untouched = medical_case(applicant, catalogue["supplementary-medical"], key="m9")
    Case.objects.filter(pk=case.pk).update(state="returned", request_note="请补充参保证明")
    migration.requests_from_notes(apps, None)
    request = CaseRequest.objects.get()
    assert request.case_id == case.pk
    assert request.items == [{"key": "req1_1", "label": "请补充参保证明", "slot": False}]
    assert not untouched.requests.exists()
    case = Case.objects.get(pk=case.pk)
    cases.material_add(actor=applicant, case=case, key="req1_1", upload=PDF, name="参保证明.pdf")
    case = cases.case_submit(actor=applicant, service=case.service, data={}, idempotency_key="", case=case)
    assert case.state == "submitted"


def test_staff_tick_a_material_slot_on_the_page(catalogue, applicant, make_user, login, private_media):

    zjj = make_user("service-staff", "320115-ZJJ")
    service = catalogue["housing-purchase-subsidy"]
    draft = cases.case_draft_save(actor=applicant, service=service, data=FORM, idempotency_key="t")
    for material in service.current.materials:
        cases.material_add(actor=applicant, case=draft, key=material["key"], upload=PDF, name="m.pdf")
    case = cases.case_submit(actor=applicant, service=service, data={}, idempotency_key="t", case=draft)
    slot = service.current.materials[0]
    staff = login(zjj)
    page = staff.get(f"/hall/cases/{case.pk}/").content.decode()
    assert f'name="return-materials" value="{slot["key"]}"' in page
    bad = staff.post(
        f"/hall/cases/{case.pk}/act/",
        {"action": "return", "revision": case.revision, "return-materials": "no_such_slot"},
    )
    assert bad.status_code == 400
    assert Case.objects.get(pk=case.pk).state == "submitted"
    done = staff.post(
        f"/hall/cases/{case.pk}/act/",
        {"action": "return", "revision": case.revision, "return-materials": slot["key"]},
    )
    assert done.status_code == 302
    request = Case.objects.get(pk=case.pk).requests.get()
    assert request.items == [
        {"key": slot["key"], "label": slot["label"], "label_en": slot["label_en"], "slot": True}
    ]
    talent_page = login(applicant).get(f"/hall/cases/{case.pk}/").content.decode()
    assert f'data-testid="upload-{slot["key"]}"' in talent_page
