"""Office hours from settings: "senin-kamis 08:00-14:00", "jumat 08:00-11:00" (office time, WITA).

Used to choose the automatic reply to a new request: "permohonan diterima" during office
hours, "di luar jam layanan" outside them. A day off in the office calendar (a holiday, cuti
bersama, a local day off) is outside office hours all day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

if TYPE_CHECKING:
    from dikjamila.workdays import WorkCalendar

DAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "sabtu": 5, "minggu": 6,
        "ahad": 6, "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
        "sunday": 6}
_SPEC = re.compile(r"^\s*([a-z']+)\s*(?:-\s*([a-z']+))?\s+(\d{1,2})[.:](\d{2})\s*-\s*(\d{1,2})[.:](\d{2})\s*$")


@dataclass(frozen=True)
class OpenSpan:
    weekdays: frozenset[int]
    start: time
    end: time


def parse_office_hours(specs: list[str]) -> list[OpenSpan]:
    """Each spec as an `OpenSpan`; a spec that cannot be read raises InvalidInput naming it."""
    spans = []
    for spec in specs:
        match = _SPEC.match(spec.casefold())
        if not match or match[1] not in DAYS or (match[2] and match[2] not in DAYS):
            raise InvalidInput(tr("Jam layanan '{spec}' tidak bisa dibaca. Contoh: senin-kamis 08:00-14:00.",
                                  spec=spec))
        first, last = DAYS[match[1]], DAYS[match[2] or match[1]]
        days = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        try:
            start, end = time(int(match[3]), int(match[4])), time(int(match[5]), int(match[6]))
        except ValueError as exc:
            raise InvalidInput(tr("Jam layanan '{spec}': jamnya tidak sah.", spec=spec)) from exc
        if end <= start:
            raise InvalidInput(tr("Jam layanan '{spec}': jam selesai harus setelah jam mulai.", spec=spec))
        spans.append(OpenSpan(frozenset(days), start, end))
    return spans


def is_open(specs: list[str], at_office_time: datetime, calendar: WorkCalendar | None = None) -> bool:
    """Whether the office is open at `at_office_time` (a WITA time). No specs: always open,
    except on a day off of `calendar` (when given)."""
    spans = parse_office_hours(specs)
    if calendar is not None and not calendar.is_working_day(at_office_time.date()):
        return False
    if not spans:
        return True
    moment = at_office_time.time()
    return any(at_office_time.weekday() in s.weekdays and s.start <= moment < s.end for s in spans)
