"""The period a report covers: one office day, month or year (WITA), typed as 2026-11-30,
2026-11 or 2026.

A period is half-open, [start, end): it begins at 00:00 WITA of its first day and ends at
00:00 WITA of the day after its last, so two adjacent periods never share an instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from dikjamila.desk.timezone import local_day_start
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
_FORM = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_FIRST_YEAR, _LAST_YEAR = 2000, 2999


class PeriodKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Period:
    """A report period: office dates `first`..`last` (inclusive) and the UTC instants around them."""

    kind: PeriodKind
    first: date
    last: date
    start_utc: datetime  # 00:00 WITA of `first`
    end_utc: datetime  # 00:00 WITA of the day after `last` (exclusive)
    label: str  # "30 November 2026", "November 2026", "Tahun 2026"
    code: str  # as typed in its canonical form: "2026-11-30", "2026-11", "2026"

    def __str__(self) -> str:
        return self.label

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def day_label(day: date) -> str:
    """"30 November 2026"."""
    return f"{day.day} {tr(MONTHS[day.month - 1])} {day.year}"


def _make(kind: PeriodKind, first: date, last: date, label: str, code: str) -> Period:
    return Period(kind, first, last, local_day_start(first),
                  local_day_start(date.fromordinal(last.toordinal() + 1)), label, code)


def day_period(day: date) -> Period:
    return _make(PeriodKind.DAY, day, day, day_label(day), day.isoformat())


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last = date.fromordinal(following.toordinal() - 1)
    return _make(PeriodKind.MONTH, first, last, f"{tr(MONTHS[month - 1])} {year}", f"{year}-{month:02d}")


def year_period(year: int) -> Period:
    return _make(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31), tr("Tahun {year}", year=year), str(year))


def _refuse(text: str, why: str) -> InvalidInput:
    return InvalidInput(tr(
        "Periode \u201c{text}\u201d tidak bisa dipakai: {why}. Tulis tanggal (2026-11-30), "
        "bulan (2026-11) atau tahun (2026).", text=text, why=why))


def parse_period(text: str) -> Period:
    """"2026-11-30" -> that office day, "2026-11" -> that month, "2026" -> that year.

    Anything else raises InvalidInput in Indonesian, naming the accepted forms.
    """
    typed = (text or "").strip()
    match = _FORM.fullmatch(typed)
    if not typed:
        raise _refuse(typed, tr("periode belum diisi"))
    if match is None:
        raise _refuse(typed, tr("bentuknya tidak dikenal"))
    year = int(match.group(1))
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise _refuse(typed, tr("tahun {year} di luar jangkauan", year=year))
    if match.group(2) is None:
        return year_period(year)
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise _refuse(typed, tr("bulan {month} tidak ada (1 sampai 12)", month=month))
    if match.group(3) is None:
        return month_period(year, month)
    try:
        return day_period(date(year, month, int(match.group(3))))
    except ValueError as exc:
        raise _refuse(typed, tr("tanggal itu tidak ada di kalender")) from exc
