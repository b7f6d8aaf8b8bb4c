"""Working-day arithmetic for time limits (行政许可法 art. 82; security.md, Working days).

- The day the clock starts (acceptance) is not counted: a limit of N working days ends on the N-th
  working day after it.
- A limit in calendar days ending on a rest day moves to the next working day.
- Which days are working days: the office's ``CalendarOverride`` rows first, then chinesecalendar
  (holidays and 调休 make-up days), and for a year neither knows, Monday to Friday
  (``years_without_data`` lets the office's home page warn about it). chinesecalendar raises outside
  its range and its ``find_workday`` mis-counts a start on a rest day: only its ``is_workday`` is used.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import chinese_calendar

from .models import CalendarOverride

_LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


class WorkCalendar:
    """One calendar for one computation: overrides are read once per year it touches."""

    def __init__(self, paused: Iterable[date] = ()):
        self._overrides: dict[int, dict[date, bool]] = {}
        self.paused = frozenset(paused)

    def _year_overrides(self, year: int) -> dict[date, bool]:
        if year not in self._overrides:
            rows = CalendarOverride.objects.filter(day__year=year).values_list("day", "is_workday")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def has_data(self, year: int) -> bool:
        return year in _LIBRARY_YEARS or bool(self._year_overrides(year))

    def is_workday(self, day: date) -> bool:
        override = self._year_overrides(day.year).get(day)
        if override is not None:
            return override
        if day.year in _LIBRARY_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def counts(self, day: date) -> bool:
        """A working day that is not inside a pause (补正)."""
        return day not in self.paused and self.is_workday(day)

    def add_working_days(self, start: date, days: int) -> date:
        if days < 0:
            raise ValueError("days must be zero or more")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.counts(current):
                remaining -= 1
        return current

    def next_working_day(self, day: date) -> date:
        while not self.counts(day):
            day += timedelta(days=1)
        return day

    def add_calendar_days(self, start: date, days: int) -> date:
        """Calendar days, start day not counted; a deadline on a rest day moves to the next working day."""
        if days < 0:
            raise ValueError("days must be zero or more")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if current not in self.paused:
                remaining -= 1
        return self.next_working_day(current)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.counts(current):
                count += 1
        return count


def years_without_data(today: date) -> list[int]:
    """This year and next year, where neither chinesecalendar nor the override table knows the holidays."""
    calendar = WorkCalendar()
    return [year for year in (today.year, today.year + 1) if not calendar.has_data(year)]
