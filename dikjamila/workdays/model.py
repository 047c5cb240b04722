"""The pieces of a working-day calendar: one listed day, its kind, and the loading error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr


class DayKind(StrEnum):
    """What a listed day is. Every kind but `MASUK` is a day off."""

    LIBUR_NASIONAL = "libur_nasional"  # national holiday (SKB 3 Menteri)
    CUTI_BERSAMA = "cuti_bersama"  # collective leave (SKB 3 Menteri, or the office's own)
    LIBUR_DAERAH = "libur_daerah"  # local day off, e.g. Hari Jadi Kabupaten Balangan
    MASUK = "masuk"  # a working day after all (a Saturday service, a cuti bersama cancelled)


@dataclass(frozen=True)
class Day:
    """One day named in a calendar file."""

    day: date
    name: str
    kind: DayKind
    source: str  # the file it came from, e.g. "2026.toml" or "kalender/balangan.toml"
    note: str | None = None

    @property
    def is_day_off(self) -> bool:
        return self.kind != DayKind.MASUK


class CalendarError(InvalidInput):
    """Calendar files that cannot be used. `errors` holds one line per problem, each starting
    with the file name and the key or line, e.g.
    "balangan.toml: days[2].kind: 'libur' tidak dikenal (pilihan: ...)"."""

    def __init__(self, errors: Sequence[str]):
        self.errors = tuple(errors)
        super().__init__("\n".join([tr("Kalender hari kerja tidak bisa dipakai:"), *self.errors]))
