"""Working days and working hours in office time (WITA), on the office's calendar.

Rules, in order, for one office day:
1. a day listed as `masuk` is a working day (even a Saturday);
2. a day listed with any other kind (libur nasional, cuti bersama, libur daerah) is a day off;
3. Saturday and Sunday are days off; every other day is a working day.

Working time is counted in whole office days: 24 working hours are one working day, and a
day off adds nothing. So a request received on Friday at 10:00 with a 24-hour target is due
on Monday at 10:00; received on Saturday, at the end of Monday (Tuesday 00:00 WITA).
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.workdays.model import Day

log = logging.getLogger(__name__)

_DAY = timedelta(days=1)
_WEEKEND_NAMES = {5: "Sabtu", 6: "Minggu"}


class WorkCalendar:
    """The office's days off. Read-only once built; build it with `load_calendar`."""

    def __init__(self, days: Iterable[Day], years: Iterable[int]):
        self._days: dict[date, Day] = {d.day: d for d in days}
        self._years = frozenset(years)
        # Only these two lists change the plain "Monday to Friday" count (see _count_weekdays).
        self._off_weekdays = sorted(d for d, e in self._days.items() if e.is_day_off and d.weekday() < 5)
        self._extra_workdays = sorted(d for d, e in self._days.items() if not e.is_day_off and d.weekday() >= 5)
        self._warned: set[int] = set()

    def __repr__(self) -> str:
        return f"WorkCalendar(years={self.years_covered()}, days={len(self._days)})"

    # -- days ---------------------------------------------------------------------------------
    def years_covered(self) -> tuple[int, ...]:
        """The years whose national holidays are known (a file says `year = ...`), ascending."""
        return tuple(sorted(self._years))

    def days(self, year: int | None = None) -> list[Day]:
        """The listed days (of `year`, or all), in date order."""
        return [self._days[d] for d in sorted(self._days) if year is None or d.year == year]

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on `day` (an office date)."""
        self._note_year(day.year)
        entry = self._days.get(day)
        if entry is not None:
            return not entry.is_day_off
        return day.weekday() < 5

    def day_off_name(self, day: date) -> str | None:
        """Why `day` is a day off ("Idul Fitri 1447 Hijriah", "Minggu"), or None on a working day."""
        self._note_year(day.year)
        entry = self._days.get(day)
        if entry is not None:
            return entry.name if entry.is_day_off else None
        weekend = _WEEKEND_NAMES.get(day.weekday())
        return tr(weekend) if weekend else None

    def working_days_between(self, first: date, end: date) -> int:
        """How many working days lie in [first, end) (0 when `end` is not after `first`)."""
        if end <= first:
            return 0
        for year in range(first.year, (end - _DAY).year + 1):
            self._note_year(year)
        return (_count_weekdays(first, end) - _count_in(self._off_weekdays, first, end)
                + _count_in(self._extra_workdays, first, end))

    # -- hours --------------------------------------------------------------------------------
    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant (UTC) at which `hours` working hours have passed since `start` (aware).

        Only working days count, each with all its 24 office hours: Friday 10:00 + 24 h is
        Monday 10:00; Saturday 10:00 + 24 h is the end of Monday (Tuesday 00:00 WITA).
        """
        if start.tzinfo is None:
            raise ValueError("add_working_hours needs an aware datetime")
        if hours < 0:
            raise ValueError("add_working_hours needs hours >= 0")
        remaining = timedelta(hours=hours)
        cursor = start.astimezone(WITA)
        while True:
            day = cursor.date()
            next_midnight = _midnight(day + _DAY)
            if self.is_working_day(day):
                available = next_midnight - cursor
                if remaining <= available:
                    return (cursor + remaining).astimezone(UTC)
                remaining -= available
            cursor = next_midnight

    def working_seconds_between(self, a: datetime, b: datetime) -> float:
        """Working seconds from `a` to `b` (aware instants); negative when `b` is before `a`.

        The inverse of `add_working_hours`: time on days off does not count.
        """
        if a.tzinfo is None or b.tzinfo is None:
            raise ValueError("working_seconds_between needs aware datetimes")
        if b < a:
            return -self.working_seconds_between(b, a)
        a_local, b_local = a.astimezone(WITA), b.astimezone(WITA)
        first, last = a_local.date(), b_local.date()
        if first == last:
            return (b_local - a_local).total_seconds() if self.is_working_day(first) else 0.0
        seconds = 0.0
        if self.is_working_day(first):
            seconds += (_midnight(first + _DAY) - a_local).total_seconds()
        seconds += self.working_days_between(first + _DAY, last) * _DAY.total_seconds()
        if self.is_working_day(last):
            seconds += (b_local - _midnight(last)).total_seconds()
        return seconds

    # -- internals ----------------------------------------------------------------------------
    def _note_year(self, year: int) -> None:
        if year in self._years or year in self._warned:
            return
        self._warned.add(year)
        log.warning("no calendar file covers %s: only Saturdays and Sundays (and office overrides) "
                    "count as days off in it; add kalender/%s.toml", year, year)


def _midnight(day: date) -> datetime:
    """00:00 WITA of `day`."""
    return datetime.combine(day, time.min, tzinfo=WITA)


def _count_weekdays(first: date, end: date) -> int:
    """Mondays to Fridays in [first, end)."""
    weeks, rest = divmod((end - first).days, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)


def _count_in(ordered: list[date], first: date, end: date) -> int:
    """How many of the sorted `ordered` dates lie in [first, end)."""
    return bisect_left(ordered, end) - bisect_left(ordered, first)
