"""Deadlines across holidays and 调休, with 补正 pauses, against dates derived by hand from the 2025
calendar (National Day and Mid-Autumn: 1–8 October off; Sunday 28 September and Saturday 11 October are
make-up working days)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from talentcloud.common.errors import Conflict
from talentcloud.servicehall import cases
from talentcloud.servicehall.clock import deadline, working_days_left
from talentcloud.servicehall.corrections import answers_save
from talentcloud.servicehall.models import Case
from talentcloud.servicehall.workflow import case_transition

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day + " 10:00").replace(tzinfo=SHANGHAI), tick=False)


def test_ten_working_days_across_national_day():
    # Accepted Fri 26 Sep: 28 Sep (1, make-up Sunday), 29 (2), 30 (3), holiday 1–8 Oct, 9 (4), 10 (5),
    # Sat 11 (6, make-up), 13 (7), 14 (8), 15 (9), 16 (10).
    due = deadline(
        limit_kind="working_days", limit_days=10, limit_date=None, accepted_on=dt.date(2025, 9, 26), pauses=[]
    )
    assert due.due_on == dt.date(2025, 10, 16)
    assert due.yellow_on == dt.date(2025, 10, 14)  # 8 of 10 working days


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 5 calendar days after 27 Sep is 2 Oct (holiday) → the next working day, Thu 9 Oct.
    due = deadline(
        limit_kind="calendar_days", limit_days=5, limit_date=None, accepted_on=dt.date(2025, 9, 27), pauses=[]
    )
    assert due.due_on == dt.date(2025, 10, 9)


def test_a_pause_for_more_materials_moves_the_deadline(catalogue, applicant, zjj):
    service = catalogue["rental-subsidy"]  # 10 working days
    service.current.materials = []
    service.current.save()
    with at("2025-09-26"):
        case = cases.case_submit(
            actor=applicant,
            service=service,
            data={"address": "东山街道", "monthly_rent": "3000", "bank_account": "6222"},
            idempotency_key="r",
        )
        case = case_transition(actor=zjj, case=case, action="accept")
        assert case.due_on == dt.date(2025, 10, 16)
    with at("2025-09-29"):  # Monday: 28 Sep (1) and 29 Sep (2) have run
        case = case_transition(
            actor=zjj, case=Case.objects.get(pk=case.pk), action="return", note="补充租房合同"
        )
        assert case.state == "paused"
        assert case.colour(dt.date(2025, 10, 20)) == ""  # a paused clock shows no colour
        # The clock stands still: the days left are counted from the day it was paused, whatever today is
        # (30 Sep, 9, 10, Sat 11 Oct (调休), 13, 14, 15, 16 Oct: the National Day week does not count).
        assert working_days_left(case, dt.date(2025, 10, 20)) == 8
    with at("2025-10-10"):  # resubmitted Friday 10 Oct: 30 Sep … 10 Oct do not count
        request = Case.objects.get(pk=case.pk).requests.get()
        with pytest.raises(Conflict):  # the item asked for is not provided yet
            case_transition(actor=applicant, case=Case.objects.get(pk=case.pk), action="resubmit")
        answers_save(request=request, answers={request.items[0]["key"]: "合同已于窗口递交原件"})
        case = case_transition(actor=applicant, case=Case.objects.get(pk=case.pk), action="resubmit")
    # Counting on: Sat 11 Oct (3), 13 (4), 14 (5), 15 (6), 16 (7), 17 (8), 20 (9), 21 (10).
    assert case.state == "in_progress"
    assert case.pauses == [["2025-09-30", "2025-10-10"]]
    assert case.due_on == dt.date(2025, 10, 21)
    assert case.colour(dt.date(2025, 10, 17)) == "yellow"  # the 8th counted day
    assert case.colour(dt.date(2025, 10, 16)) == "green"
    assert case.colour(dt.date(2025, 10, 22)) == "red"
    assert working_days_left(case, dt.date(2025, 10, 17)) == 2  # 20 and 21 Oct
    assert working_days_left(case, dt.date(2025, 10, 21)) == 0
    assert working_days_left(case, dt.date(2025, 10, 23)) == -2  # overdue by 22 and 23 Oct


def test_a_fixed_round_does_not_move(catalogue):
    due = deadline(
        limit_kind="fixed_date",
        limit_days=None,
        limit_date=dt.date(2027, 3, 31),
        accepted_on=dt.date(2027, 1, 1),
        pauses=[["2027-01-05", "2027-01-20"]],
    )
    assert due.due_on == dt.date(2027, 3, 31)
