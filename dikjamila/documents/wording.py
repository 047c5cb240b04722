"""Dates, times and sizes written the Indonesian way on paper (office time, WITA).

"Senin, 7 Desember 2026 10.00 WITA": day and month names in Indonesian, hours and minutes
separated by a dot (PUEBI), times always shown in the office's zone whatever the PC's zone.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from dikjamila.i18n import tr

# NOTE: the same zone as `dikjamila.desk.timezone.WITA`, not imported from there: importing any
# `dikjamila.desk` module runs the desk package's __init__, which imports these documents.
WITA = timezone(timedelta(hours=8), "WITA")

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")


def office_time(moment: datetime) -> datetime:
    """`moment` in WITA; a naive value is taken as office time already."""
    return moment.replace(tzinfo=WITA) if moment.tzinfo is None else moment.astimezone(WITA)


def long_date(day: date) -> str:
    """"7 Desember 2026"."""
    return f"{day.day} {tr(MONTHS[day.month - 1])} {day.year}"


def day_and_date(day: date) -> str:
    """"Senin, 7 Desember 2026"."""
    return f"{tr(DAYS[day.weekday()])}, {long_date(day)}"


def long_datetime(moment: datetime) -> str:
    """"Senin, 7 Desember 2026 10.00 WITA"."""
    local = office_time(moment)
    return f"{day_and_date(local.date())} {local:%H.%M} WITA"


def short_datetime(moment: datetime) -> str:
    """"07-12-2026 10.00" (WITA), for table cells."""
    return f"{office_time(moment):%d-%m-%Y %H.%M}"


def file_size(n: int) -> str:
    """"812 bita", "34,5 KB", "2,1 MB" (decimal comma)."""
    if n < 1024:
        return tr("{n} bita", n=n)
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB".replace(".", ",")
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
