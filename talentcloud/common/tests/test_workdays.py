"""Deadlines per 行政许可法 art. 82, with the expected dates derived here from the State Council's notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from talentcloud.common.models import CalendarOverride
from talentcloud.common.workdays import WorkCalendar, years_without_data

pytestmark = pytest.mark.django_db

# 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号), National Day and Mid-Autumn:
# 10月1日至8日放假调休，共8天；9月28日（周日）、10月11日（周六）上班。
NATIONAL_DAY_2025_REST = {date(2025, 10, d) for d in range(1, 9)}
NATIONAL_DAY_2025_WORK = {date(2025, 9, 28), date(2025, 10, 11)}


def by_the_notice(day: date) -> bool:
    if day in NATIONAL_DAY_2025_WORK:
        return True
    if day in NATIONAL_DAY_2025_REST:
        return False
    return day.weekday() < 5


def hand_count(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        if by_the_notice(day):
            n -= 1
    return day


def test_one_working_day_from_a_saturday_is_monday():
    assert WorkCalendar().add_working_days(date(2025, 11, 15), 1) == date(2025, 11, 17)


def test_ten_working_days_across_national_day_count_the_make_up_days():
    start = date(2025, 9, 26)
    expected = hand_count(start, 10)
    assert expected == date(2025, 10, 16)
    assert WorkCalendar().add_working_days(start, 10) == expected


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 12, 20])
def test_agrees_with_the_notice_over_the_whole_holiday(n):
    for offset in range(0, 20):
        start = date(2025, 9, 20) + timedelta(days=offset)
        assert WorkCalendar().add_working_days(start, n) == hand_count(start, n), (start, n)


def test_pauses_are_not_counted():
    start = date(2025, 11, 3)  # Monday
    paused = {date(2025, 11, 5), date(2025, 11, 6)}  # 补正: two working days paused
    assert WorkCalendar().add_working_days(start, 3) == date(2025, 11, 6)
    assert WorkCalendar(paused=paused).add_working_days(start, 3) == date(2025, 11, 10)


def test_calendar_days_ending_on_a_holiday_move_to_the_next_working_day():
    # 3 calendar days from 2025-09-28 end on 10-01 (holiday) → next working day 10-09.
    assert WorkCalendar().add_calendar_days(date(2025, 9, 28), 3) == date(2025, 10, 9)
    assert WorkCalendar().add_calendar_days(date(2025, 11, 3), 3) == date(2025, 11, 6)


def test_a_limit_running_into_2027_uses_the_override_table():
    # Without data, 2027 counts Monday to Friday and nothing raises.
    calendar = WorkCalendar()
    assert not calendar.has_data(2027)
    assert calendar.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 4)
    # The office enters New Year's Day 2027 (Fri) as a holiday and Sat 2027-01-09 as a make-up day.
    CalendarOverride.objects.create(day=date(2027, 1, 1), is_workday=False, name="元旦")
    CalendarOverride.objects.create(day=date(2027, 1, 9), is_workday=True, name="元旦调休")
    calendar = WorkCalendar()
    assert calendar.has_data(2027)
    assert calendar.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
    assert calendar.add_working_days(date(2027, 1, 7), 2) == date(2027, 1, 9)


def test_overrides_correct_the_library_too():
    CalendarOverride.objects.create(day=date(2025, 11, 17), is_workday=False, name="本地停工")
    assert WorkCalendar().add_working_days(date(2025, 11, 15), 1) == date(2025, 11, 18)


def test_years_without_data_are_reported():
    assert years_without_data(date(2026, 11, 26)) == [2027]
    CalendarOverride.objects.create(day=date(2027, 1, 1), is_workday=False, name="元旦")
    assert years_without_data(date(2026, 11, 26)) == []


def test_working_days_between():
    calendar = WorkCalendar()
    assert calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 16)) == 10
    assert calendar.working_days_between(date(2025, 10, 16), date(2025, 9, 26)) == 0


def test_office_home_warns_and_system_admin_fills_the_calendar(make_user, login):

    with time_machine.travel(date(2026, 11, 26)):
        office = login(make_user("talent-office", "320115-ZZB"))
        assert b"calendar-warning" in office.get("/").content
        admin = login(make_user("system-admin", "320115-ZZB"))
        bad = admin.post("/calendar/", {"day": "2027-02-30", "is_workday": "0", "name": ""})
        assert bad.status_code == 400
        unnamed = admin.post("/calendar/", {"day": "2027-01-01", "is_workday": "0", "name": ""})
        assert unnamed.status_code == 400
        assert not CalendarOverride.objects.exists()
        ok = admin.post(
            "/calendar/", {"day": "2027-01-01", "is_workday": "0", "name": "元旦", "source": "国办发明电"}
        )
        assert ok.status_code == 302
        assert b"calendar-warning" not in office.get("/").content
        assert office.get("/calendar/").status_code == 200  # the office keeps the calendar too (#14)
        talent = login(make_user("talent"))
        assert talent.get("/calendar/").status_code == 403
