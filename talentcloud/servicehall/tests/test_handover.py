"""交办: the case page offers, by name, only those who may take a case over (the lead department's active
staff who handle cases); the service refuses anyone else, whichever door names them."""

from __future__ import annotations

import re

import pytest

from talentcloud.common.errors import ValidationFailed
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.workflow import case_transition

from .test_workflow import submitted

pytestmark = pytest.mark.django_db

SELECT = re.compile(r'<select name="reassign-handler"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


@pytest.fixture
def accepted(catalogue, applicant, zjj):
    case = submitted(applicant, catalogue["housing-purchase-subsidy"])
    return case_transition(actor=zjj, case=case, action="accept")


def test_the_handover_form_offers_only_eligible_handlers_by_name(accepted, zjj, czj, make_user, login):
    colleague = make_user("service-staff", "320115-ZJJ", display_name="住建局窗口 赵工")
    head = make_user("department-head", "320115-ZJJ", display_name="住建局 负责人 钱立")
    gone = make_user("service-staff", "320115-ZJJ", display_name="住建局 已离职")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    office = make_user("talent-office", "320115-ZZB", display_name="人才办 王主任")

    page = login(zjj).get(f"/hall/cases/{accepted.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    select = SELECT.search(body)
    assert select is not None, "no handler list on the case page"
    options = dict(OPTION.findall(select.group(1)))
    assert colleague.username in options
    assert options[colleague.username] == "住建局窗口 赵工"  # named by name, not username
    assert head.username in options
    for outsider in (czj, gone, office):
        assert outsider.username not in options, outsider.username
    assert 'name="reassign-handler" type="text"' not in body

    # The page refuses a name it did not offer, at the field; the case keeps its handler.
    response = login(zjj).post(
        f"/hall/cases/{accepted.pk}/act/",
        {"action": "reassign", "revision": accepted.revision, "reassign-handler": czj.username},
    )
    assert response.status_code == 400
    assert response.context["actions"]
    failed = next(a["form"] for a in response.context["actions"] if a["action"] == "reassign")
    assert "handler" in failed.errors
    assert Case.objects.get(pk=accepted.pk).handler == zjj

    # One it offered is taken.
    response = login(zjj).post(
        f"/hall/cases/{accepted.pk}/act/",
        {"action": "reassign", "revision": accepted.revision, "reassign-handler": colleague.username},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=accepted.pk).handler == colleague


def test_the_service_refuses_a_handler_who_may_not_take_the_case(accepted, zjj, czj, make_user):
    gone = make_user("service-staff", "320115-ZJJ")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    office = make_user("talent-office", "320115-ZZB")
    for outsider in (czj, gone, office, czj.username, "nobody-at-all"):
        with pytest.raises(ValidationFailed) as refused:
            case_transition(
                actor=zjj, case=Case.objects.get(pk=accepted.pk), action="reassign", handler=outsider
            )
        assert "handler" in refused.value.fields
        fresh = Case.objects.get(pk=accepted.pk)
        assert (fresh.handler, fresh.revision) == (zjj, accepted.revision)
    colleague = make_user("service-staff", "320115-ZJJ")
    case = case_transition(
        actor=zjj, case=Case.objects.get(pk=accepted.pk), action="reassign", handler=colleague
    )
    assert case.handler == colleague


def test_irreversible_actions_ask_for_confirmation_without_inline_script(catalogue, applicant, zjj, login):
    case = submitted(applicant, catalogue["housing-purchase-subsidy"])
    body = login(zjj).get(f"/hall/cases/{case.pk}/").content.decode()
    refuse = re.search(r'data-testid="action-refuse".*?</form>', body, re.S)
    assert refuse is not None
    assert 'data-confirm="确定不予受理此申请？' in refuse.group(0)
    accept = re.search(r'data-testid="action-accept".*?</form>', body, re.S)
    assert accept is not None
    assert "data-confirm" not in accept.group(0)  # a step that can be followed by another asks nothing
    assert "onclick" not in body
    assert "onsubmit" not in body
    mine = login(applicant).get(f"/hall/cases/{case.pk}/").content.decode()
    assert 'data-confirm="确定撤回此申请？' in mine
