"""Report periods: a day, month or year in office time (WITA), typed as 2026-11-30 / 2026-11 / 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dikjamila.errors import InvalidInput
from dikjamila.reports.period import PeriodKind, parse_period


def test_a_month_runs_from_midnight_wita_to_midnight_wita():
    p = parse_period("2026-11")
    assert (p.kind, p.first, p.last, p.days) == (PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30), 30)
    assert p.start_utc == datetime(2026, 10, 31, 16, tzinfo=UTC)
    assert p.end_utc == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert (p.label, p.code, str(p)) == ("November 2026", "2026-11", "November 2026")


def test_a_day_and_a_year():
    day = parse_period(" 2026-02-28 ")
    assert (day.kind, day.label, day.code) == (PeriodKind.DAY, "28 Februari 2026", "2026-02-28")
    assert day.end_utc == datetime(2026, 2, 28, 16, tzinfo=UTC)
    year = parse_period("2026")
    assert (year.kind, year.label, year.days) == (PeriodKind.YEAR, "Tahun 2026", 365)
    assert year.end_utc == datetime(2026, 12, 31, 16, tzinfo=UTC)
    assert parse_period("2026-12").end_utc == year.end_utc
    assert parse_period("2026-1").code == "2026-01"


@pytest.mark.parametrize("text, why", [
    ("2026-13", "bulan 13"), ("2026-00", "bulan 0"), ("nov", "bentuknya"), ("", "belum diisi"),
    ("2026-02-30", "kalender"), ("26-11", "bentuknya"), ("1999", "tahun 1999"), ("2026/11", "bentuknya"),
])
def test_bad_periods_are_refused_in_indonesian_with_the_accepted_forms(text, why):
    with pytest.raises(InvalidInput) as err:
        parse_period(text)
    assert why in err.value.message
    assert "2026-11-30" in err.value.message and "(2026-11)" in err.value.message and "(2026)" in err.value.message
