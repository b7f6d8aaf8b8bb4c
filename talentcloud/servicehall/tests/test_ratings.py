"""好差评: one rating per case; a poor rating opens the rectification loop; appeals; unrated cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentcloud.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from talentcloud.notifications.models import Notification
from talentcloud.servicehall import cases, ratings
from talentcloud.servicehall.models import Case, HallSettings, Rating, Rectification
from talentcloud.servicehall.workflow import NotAllowed, case_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(catalogue, applicant, make_user):
    service = catalogue["policy-consultation"]
    staff = make_user("service-staff", "320115-ZZB")
    case = cases.case_submit(
        actor=applicant, service=service, data={"question": "人才公寓怎么申请？"}, idempotency_key="a"
    )
    case = case_transition(actor=staff, case=case, action="accept")
    case = case_transition(actor=staff, case=case, action="conclude", decision="approved", note="已解答")
    case = case_transition(actor=staff, case=case, action="answer", note="请于每年 3 月申报。")
    return case, staff


def test_poor_rating_opens_rectification_loop_and_second_rating_is_refused(answered, applicant, make_user):
    case, staff = answered
    head = make_user("department-head", "320115-ZZB")
    case = case_transition(actor=applicant, case=case, action="rate", level=1, comment="答复太慢")
    rating = Rating.objects.get(case=case)
    assert rating.poor
    assert rating.department.code == "320115-ZZB"
    item = Rectification.objects.get(rating=rating)
    assert item.step == "verify"
    assert Notification.objects.filter(recipient=head, event="rating.poor").exists()
    # A second rating of the same case: refused by the table (the case is rated) and by the constraint.
    with pytest.raises(NotAllowed):
        case_transition(actor=applicant, case=case, action="rate", level=5)
    with pytest.raises(Conflict):
        ratings.rating_create(case=case, actor=applicant, level=5, comment="")
    assert Rating.objects.filter(case=case).count() == 1
    # verify → rectify → report back → call back → closed, each step recorded by the department.
    for note in ("核实：答复延迟属实", "整改：增加咨询坐席", "已向人才办反馈", "已回访申请人"):
        item = ratings.rectification_advance(actor=staff, rectification_id=item.pk, note=note)
    assert item.step == "closed"
    assert [entry["step"] for entry in item.log] == ["verify", "rectify", "report", "callback"]
    with pytest.raises(ValidationFailed):
        ratings.rectification_advance(actor=staff, rectification_id=item.pk, note="")


def test_appeal_upheld_takes_the_rating_out_of_the_counts(answered, applicant, make_user):
    case, staff = answered
    case_transition(actor=applicant, case=case, action="rate", level=2, comment="与本部门无关的问题")
    rating = Rating.objects.get(case=case)
    office = make_user("talent-office", "320115-ZZB")
    other_department = make_user("service-staff", "320115-RSJ")
    with pytest.raises((PermissionDenied, NotFound)):
        ratings.appeal_file(actor=other_department, rating_id=rating.pk, reason="不是我们")
    appeal = ratings.appeal_file(
        actor=staff, rating_id=rating.pk, reason="评价内容针对社保政策，非本部门事项"
    )
    with pytest.raises(Conflict):
        ratings.appeal_file(actor=staff, rating_id=rating.pk, reason="again")
    with pytest.raises(PermissionDenied):
        ratings.appeal_decide(actor=staff, appeal_id=appeal.pk, uphold=True, note="")
    ratings.appeal_decide(actor=office, appeal_id=appeal.pk, uphold=True, note="经核实，评价对象有误")
    rating.refresh_from_db()
    assert rating.excluded
    assert Rectification.objects.get(rating=rating).step == "closed"
    [row] = [r for r in ratings.rating_report(viewer=office) if r.key == "320115-ZZB"]
    assert (row.total, row.poor, row.appealed_away) == (0, 0, 1)
    with pytest.raises(Conflict):
        ratings.appeal_decide(actor=office, appeal_id=appeal.pk, uphold=False, note="")


def test_unrated_cases_close_and_count_per_the_office_setting(answered):
    case, _staff = answered
    Case.objects.filter(pk=case.pk).update(answered_at=timezone.now() - dt.timedelta(days=16))
    assert ratings.unrated_sweep() == 1
    assert Case.objects.get(pk=case.pk).state == "closed"
    assert not Rating.objects.exists()  # default: not counted


def test_unrated_counted_as_satisfied_when_the_office_says_so(answered):
    case, _staff = answered
    HallSettings.objects.update_or_create(pk=1, defaults={"unrated_rule": "satisfied"})
    Case.objects.filter(pk=case.pk).update(answered_at=timezone.now() - dt.timedelta(days=16))
    ratings.unrated_sweep()
    rating = Rating.objects.get(case=case)
    assert (rating.level, rating.by_default) == (4, True)
