"""What staff and applicants read says what happened and never shows internal names: a flash names the
action and the case number, the decision reads "准予：…" with Chinese punctuation, the catalogue's columns
are in words, a rectification's log names the step and the person."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from talentcloud.servicehall import cases, ratings
from talentcloud.servicehall.models import Rectification
from talentcloud.servicehall.workflow import case_transition

pytestmark = pytest.mark.django_db


def test_a_flash_says_what_was_done_and_to_which_case(catalogue, applicant, make_user, login):
    staff = make_user("service-staff", "320115-ZZB")
    case = cases.case_submit(
        actor=applicant,
        service=catalogue["policy-consultation"],
        data={"question": "问"},
        idempotency_key="f",
    )
    client = login(staff)
    done = client.post(f"/hall/cases/{case.pk}/act/", {"action": "accept", "revision": case.revision})
    assert done.status_code == 302
    [message] = [str(m) for m in get_messages(done.wsgi_request)]
    assert message == f"已受理 {case.number}。"
    case.refresh_from_db()
    client.post(
        f"/hall/cases/{case.pk}/act/",
        {
            "action": "conclude",
            "revision": case.revision,
            "conclude-decision": "approved",
            "conclude-note": "符合条件",
        },
    )
    page = client.get(f"/hall/cases/{case.pk}/").content.decode()
    assert "准予：符合条件" in page
    assert "准予:" not in page


def test_the_catalogue_pages_speak_in_words(catalogue, make_user, login):
    office = login(make_user("talent-office", "320115-ZZB"))
    listing = office.get("/hall/manage/").content.decode()
    assert "开放申请" in listing
    assert ">待办<" not in listing
    service = office.get("/hall/manage/spouse-employment/").content.decode()
    assert ">字段标识<" in service
    assert "密钥" not in service
    assert "短文本" in service  # the kind of answer, not the code "text"
    assert "<td>text" not in service


def test_a_rectification_log_names_the_step_and_the_person(catalogue, applicant, make_user, login):
    staff = make_user("service-staff", "320115-ZZB", display_name="周窗口")
    case = cases.case_submit(
        actor=applicant,
        service=catalogue["policy-consultation"],
        data={"question": "问"},
        idempotency_key="g",
    )
    steps: tuple[tuple[str, dict[str, Any]], ...] = (
        ("accept", {}),
        ("conclude", {"decision": "approved", "note": "答"}),
        ("answer", {"note": "答复"}),
    )
    for action, extra in steps:
        case = case_transition(actor=staff, case=case, action=action, **extra)
    case = case_transition(actor=applicant, case=case, action="rate", level=1, comment="差")
    item = Rectification.objects.get(rating__case=case)
    ratings.rectification_advance(actor=staff, rectification_id=item.pk, note="已核实情况")
    page = login(staff).get("/hall/ratings/").content.decode()
    assert "周窗口" in page
    assert staff.username not in page
    assert "verify ·" not in page
