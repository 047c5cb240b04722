"""The working-day calendar: bundled SKB years, office overrides, due times counted on it."""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from dikjamila.desk.timezone import WITA
from dikjamila.errors import InvalidInput
from dikjamila.intake.office_hours import is_open
from dikjamila.workdays import CalendarError, DayKind, load_calendar
from tests.whatsapp_support import incoming_event

from .conftest import new_request

HOURS = ["senin-kamis 08:00-14:00", "jumat 08:00-11:00"]


def wita(y: int, m: int, d: int, hour: int = 0, minute: int = 0) -> datetime:
    """An office (WITA) time as the aware UTC instant the desk stores."""
    return datetime(y, m, d, hour, minute, tzinfo=WITA).astimezone(UTC)


def write(folder, name: str, text: str):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cal():
    return load_calendar(None)


# -- the bundled files ----------------------------------------------------------------------
def test_the_bundled_files_load_and_cover_2026_and_2027(cal):
    assert {2026, 2027} <= set(cal.years_covered())
    for year in (2026, 2027):
        kinds = [d.kind for d in cal.days(year)]
        assert kinds.count(DayKind.LIBUR_NASIONAL) == 17 and kinds.count(DayKind.CUTI_BERSAMA) == 8
    assert cal.day_off_name(date(2026, 8, 17)) == "Proklamasi Kemerdekaan Republik Indonesia"
    assert cal.day_off_name(date(2026, 12, 23)) is None
    assert cal.day_off_name(date(2026, 11, 29)) == "Minggu"
    # 261 weekdays each year, less the weekday holidays and cuti bersama of the SKB.
    assert cal.working_days_between(date(2026, 1, 1), date(2027, 1, 1)) == 240
    assert cal.working_days_between(date(2027, 1, 1), date(2028, 1, 1)) == 242


# -- adding working hours -------------------------------------------------------------------
@pytest.mark.parametrize("received, hours, due", [
    # Friday 10:00 + 24 h: the weekend adds nothing.
    (wita(2026, 11, 27, 10), 24, wita(2026, 11, 30, 10)),
    # Saturday: the day starts counting on Monday, so the end of Monday (Tuesday 00:00).
    (wita(2026, 11, 28, 10), 24, wita(2026, 12, 1, 0)),
    # Friday before Hari Lahir Pancasila (Monday 1 June, after Waisak on Sunday): Tuesday.
    (wita(2026, 5, 29, 10), 24, wita(2026, 6, 2, 10)),
    # Friday before Proklamasi (Monday 17 August): Tuesday.
    (wita(2026, 8, 14, 10), 24, wita(2026, 8, 18, 10)),
    # Cuti bersama (24 December) and Natal (25 December), then the weekend: Monday.
    (wita(2026, 12, 23, 10), 24, wita(2026, 12, 28, 10)),
    # Nyepi, Idul Fitri and their cuti bersama: 18-24 March 2026 are all off.
    (wita(2026, 3, 17, 10), 24, wita(2026, 3, 25, 10)),
    # Akta perceraian (7 x 24 h): seven working days, across Natal and New Year into 2027.
    (wita(2026, 12, 21, 9), 168, wita(2027, 1, 4, 9)),
    (wita(2026, 12, 14, 9), 168, wita(2026, 12, 23, 9)),
    (wita(2026, 12, 14, 9), 0, wita(2026, 12, 14, 9)),
])
def test_working_hours_skip_weekends_holidays_and_cuti_bersama(cal, received, hours, due):
    assert cal.add_working_hours(received, hours) == due
    assert cal.working_seconds_between(received, due) == hours * 3600


def test_working_seconds_count_only_working_days_and_change_sign_backwards(cal):
    friday, monday = wita(2026, 11, 27, 10), wita(2026, 11, 30, 10)
    assert cal.working_seconds_between(friday, monday) == 24 * 3600
    assert cal.working_seconds_between(monday, friday) == -24 * 3600
    sunday_morning, sunday_night = wita(2026, 11, 29, 8), wita(2026, 11, 29, 20)
    assert cal.working_seconds_between(sunday_morning, sunday_night) == 0


def test_a_year_without_a_file_still_has_its_weekends_off_and_warns_once(cal, caplog):
    with caplog.at_level(logging.WARNING, logger="dikjamila.workdays"):
        assert cal.add_working_hours(wita(2031, 1, 3, 10), 24) == wita(2031, 1, 6, 10)  # Friday -> Monday
        assert cal.is_working_day(date(2031, 1, 7)) and not cal.is_working_day(date(2031, 1, 4))
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("dikjamila.workdays")]
    assert len(warnings) == 1 and "2031" in warnings[0]


# -- the office's folder --------------------------------------------------------------------
def test_an_office_file_adds_a_local_day_off_and_turns_a_day_back_to_work(tmp_path, cal):
    folder = tmp_path / "kalender"
    write(folder, "balangan.toml", """
        # Hari libur daerah dan hari masuk, Kabupaten Balangan.
        [[days]]
        date = 2026-12-08
        name = "Libur daerah Kabupaten Balangan"
        kind = "libur_daerah"

        [[days]]
        date = "2026-12-24"
        kind = "masuk"
        note = "pelayanan tetap buka"

        [[days]]
        date = 2026-12-05
        name = "Pelayanan Sabtu"
        kind = "masuk"
        """)
    office = load_calendar(folder)
    assert office.day_off_name(date(2026, 12, 8)) == "Libur daerah Kabupaten Balangan"
    assert office.add_working_hours(wita(2026, 12, 7, 10), 24) == wita(2026, 12, 9, 10)  # Tuesday off
    assert office.add_working_hours(wita(2026, 12, 23, 10), 24) == wita(2026, 12, 24, 10)  # cuti cancelled
    assert office.add_working_hours(wita(2026, 12, 4, 10), 24) == wita(2026, 12, 5, 10)  # Saturday works
    assert office.is_working_day(date(2026, 12, 24)) and not cal.is_working_day(date(2026, 12, 24))
    assert office.day_off_name(date(2026, 12, 25)) == "Kelahiran Yesus Kristus"  # the rest stays


def test_an_office_file_adds_a_year_or_replaces_one(tmp_path, cal):
    folder = tmp_path / "kalender"
    write(folder, "2028.toml", 'year = 2028\n[[days]]\ndate = 2028-01-03\nname = "Libur"\nkind = "libur_nasional"\n')
    write(folder, "2027.toml", 'year = 2027\nreplace = true\n'
                               '[[days]]\ndate = 2027-03-10\nname = "Idul Fitri 1448 H"\nkind = "libur_nasional"\n')
    office = load_calendar(folder)
    assert set(office.years_covered()) >= {2026, 2027, 2028}
    assert not office.is_working_day(date(2028, 1, 3))
    assert [d.day for d in office.days(2027)] == [date(2027, 3, 10)]  # the bundled 2027 is gone
    assert office.is_working_day(date(2027, 3, 11)) and not cal.is_working_day(date(2027, 3, 11))


def test_an_edited_office_file_counts_at_the_next_call(tmp_path):
    folder = tmp_path / "kalender"
    path = write(folder, "lokal.toml", '[[days]]\ndate = 2026-12-08\nname = "Libur"\nkind = "libur_daerah"\n')
    assert not load_calendar(folder).is_working_day(date(2026, 12, 8))
    path.write_text('[[days]]\ndate = 2026-12-09\nname = "Libur"\nkind = "libur_daerah"\n', encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    again = load_calendar(folder)
    assert again.is_working_day(date(2026, 12, 8)) and not again.is_working_day(date(2026, 12, 9))


@pytest.mark.parametrize("text, where, what", [
    ('[[days]]\ndate = 2026-13-01\n', "baris", "TOML tidak sah"),
    ('[[days]]\ndate = 2026-12-08\nname = "X"\nkind = "libur"\n', "days[1].kind", "'libur' tidak dikenal"),
    ('[[days]]\nname = "X"\nkind = "libur_daerah"\n', "days[1].date", "wajib diisi"),
    ('[[days]]\ndate = "8 Desember"\nname = "X"\nkind = "libur_daerah"\n', "days[1].date", "tanggal saja"),
    ('year = 2027\n[[days]]\ndate = 2026-12-08\nname = "X"\nkind = "libur_daerah"\n', "days[1].date",
     "tidak di tahun 2027"),
    ('[[days]]\ndate = 2026-12-08\nnmae = "X"\nkind = "libur_daerah"\n', "days[1].nmae", "maksudnya 'name'"),
    ('[[days]]\ndate = 2026-12-08\nkind = "libur_daerah"\n', "days[1].name", "wajib diisi"),
    ('[[days]]\ndate = 2026-12-08\nname = "X"\nkind = "masuk"\n[[days]]\ndate = 2026-12-08\nkind = "masuk"\n',
     "days[2].date", "sudah ada di days[1]"),
    ('replace = true\n[[days]]\ndate = 2026-12-08\nname = "X"\nkind = "masuk"\n', "replace", "'year'"),
    ('tanggal = 2026-12-08\n', "days", "wajib diisi"),
])
def test_a_broken_office_file_is_refused_in_indonesian_naming_file_and_key(tmp_path, text, where, what):
    path = write(tmp_path / "kalender", "rusak.toml", text)
    with pytest.raises(InvalidInput) as err:
        load_calendar(path.parent)
    message = err.value.message
    assert isinstance(err.value, CalendarError)
    assert message.startswith("Kalender hari kerja tidak bisa dipakai:")
    assert f"{path}: {where}" in message and what in message, message


# -- office hours ---------------------------------------------------------------------------
def test_a_day_off_is_outside_office_hours_all_day(cal):
    holiday_morning = datetime(2026, 8, 17, 10, 0)  # Monday, Proklamasi (office time)
    assert is_open(HOURS, holiday_morning) and not is_open(HOURS, holiday_morning, cal)
    assert is_open(HOURS, datetime(2026, 8, 18, 10, 0), cal)
    assert not is_open([], holiday_morning, cal)


# -- the desk -------------------------------------------------------------------------------
def test_a_request_before_a_holiday_and_a_weekend_is_due_on_the_next_working_day(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    # Thursday 2 April 2026; Wafat Yesus Kristus on Friday, then Saturday and Paskah (Sunday).
    thursday = wita(2026, 4, 2, 10)
    made = desk.create_request(new_request(service_code="akta_kelahiran", received_at=thursday))
    assert made.due_at == wita(2026, 4, 6, 10)
    perceraian = desk.create_request(new_request(service_code="akta_perceraian", received_at=thursday))
    assert perceraian.due_at == wita(2026, 4, 14, 10)  # 7 working days: 6-10 and 13-14 April


def test_routed_requests_and_a_chosen_service_use_the_calendar_too(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    # Monday 17 August 2026, 10:00: Proklamasi, so the office is closed.
    info = desk.store_incoming(incoming_event("W1", "0813 5000 1111", text="mau buat akta kelahiran",
                                              at=wita(2026, 8, 17, 10).isoformat()))
    req = desk.get_request(info.request_id)
    assert req.service_code == "" and req.due_at == wita(2026, 8, 19, 0)  # all of Tuesday 18 August
    [item] = desk.outbox_for(req.id)
    assert item.template == "di_luar_jam"
    chosen = desk.update_request(req.id, req.row_version, {"service_code": "akta_perceraian"})
    # 7 working days: 18-21, 24 and 26-27 August (Maulid Nabi on Tuesday 25 August).
    assert chosen.due_at == wita(2026, 8, 28, 0)


def test_the_office_calendar_folder_counts_for_the_desk_at_once(staffed_office, staff, tmp_path):
    folder = tmp_path / "kalender-kantor"
    write(folder, "balangan.toml", '[[days]]\ndate = 2026-12-08\nname = "Libur daerah"\nkind = "libur_daerah"\n')
    admin = staff["admin"]
    staffed_office.update_settings(admin, replace(staffed_office.settings, calendar_override_dir=str(folder)))
    made = staffed_office.desk(staff["sari"]).create_request(new_request(received_at=wita(2026, 12, 7, 10)))
    assert made.due_at == wita(2026, 12, 9, 10)
    broken = write(tmp_path / "rusak", "x.toml", '[[days]]\ndate = 2026-12-08\nkind = "cuti"\n')
    with pytest.raises(InvalidInput, match="kind"):
        staffed_office.update_settings(admin, replace(staffed_office.settings, calendar_override_dir=str(broken.parent)))
    with pytest.raises(InvalidInput, match="tidak ada"):
        staffed_office.update_settings(admin, replace(staffed_office.settings,
                                                      calendar_override_dir=str(tmp_path / "tidak-ada")))
    assert staffed_office.settings.calendar_override_dir == str(folder)
