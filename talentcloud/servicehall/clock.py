"""The case clock (行政许可法 art. 82; security.md, Working days).

- The clock starts the day after acceptance (``accepted_on`` is not counted).
- A limit in working days skips holidays and counts 调休 make-up days (``common.workdays``); a limit in
  calendar days that ends on a rest day moves to the next working day; a fixed date (a school calendar, an
  allocation round) is the deadline as it stands.
- 补正 while a case is handled pauses the clock: the days from the day after the request up to and including
  the day the applicant resubmits do not count (``Case.pauses``), and the deadline moves accordingly. A fixed
  date does not move.
- Yellow from the day on which the elapsed share of the limit reaches ``HallSettings.yellow_percent``; red
  after the deadline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from talentcloud.common.workdays import WorkCalendar

from .enums import CaseState, Colour, LimitKind


def paused_days(pauses: list[list[str]]) -> set[date]:
    days: set[date] = set()
    for first, last in pauses:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            days.add(day)
            day += timedelta(days=1)
    return days


@dataclass(frozen=True)
class Deadline:
    due_on: date
    yellow_on: date


def deadline(
    *,
    limit_kind: str,
    limit_days: int | None,
    limit_date: date | None,
    accepted_on: date,
    pauses: list[list[str]],
    yellow_percent: int = 80,
) -> Deadline:
    calendar = WorkCalendar(paused=paused_days(pauses))
    if limit_kind == LimitKind.FIXED_DATE:
        assert limit_date is not None
        span = max((limit_date - accepted_on).days, 0)
        return Deadline(limit_date, accepted_on + timedelta(days=math.ceil(span * yellow_percent / 100)))
    days = limit_days or 0
    yellow_days = math.ceil(days * yellow_percent / 100)
    if limit_kind == LimitKind.CALENDAR_DAYS:
        return Deadline(
            calendar.add_calendar_days(accepted_on, days),
            calendar.add_calendar_days(accepted_on, yellow_days),
        )
    return Deadline(
        calendar.add_working_days(accepted_on, days), calendar.add_working_days(accepted_on, yellow_days)
    )


def case_deadline(case: Any, yellow_percent: int = 80) -> Deadline:
    version = case.version
    return deadline(
        limit_kind=version.limit_kind,
        limit_days=version.limit_days,
        limit_date=version.limit_date,
        accepted_on=case.accepted_on,
        pauses=case.pauses,
        yellow_percent=yellow_percent,
    )


def colour_of(case: Any, today: date) -> str:
    """Green, yellow or red for a case being handled; blank for any other state (a paused clock too)."""
    if case.state != CaseState.IN_PROGRESS or case.due_on is None:
        return ""
    if today > case.due_on:
        return Colour.RED
    if case.yellow_on is not None and today >= case.yellow_on:
        return Colour.YELLOW
    return Colour.GREEN


def working_days_left(case: Any, today: date) -> int | None:
    """Working days left until the deadline for a case being handled (negative: working days overdue), the
    days counted with the case's pauses skipped. A paused case (补正) counts from the day it was paused: its
    clock stands still. None where no clock runs (before acceptance, after conclusion)."""
    if case.due_on is None or case.state not in (CaseState.IN_PROGRESS, CaseState.PAUSED):
        return None
    calendar = WorkCalendar(paused=paused_days(case.pauses))
    start = case.paused_since if case.state == CaseState.PAUSED and case.paused_since else today
    if start <= case.due_on:
        return calendar.working_days_between(start, case.due_on)
    return -calendar.working_days_between(case.due_on, start)
