"""`dikjamila kiosk pin` and `dikjamila kiosk take` (grant: test_kiosk_pg.py)."""

from __future__ import annotations

import io

from dikjamila.cli.main import main as cli_main
from dikjamila.kiosk.station import KioskStation

from .kiosk_support import filled_draft, kiosk_dir


def test_kiosk_pin_sets_the_pin_that_leaves_kiosk_mode(tmp_path, monkeypatch, capsys):
    folder = kiosk_dir(tmp_path / "kios")
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert cli_main(["kiosk", "pin", "--pin-stdin", "--data-dir", str(folder)]) == 2
    assert "PIN harus 4–12 angka" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("135790\n"))
    assert cli_main(["kiosk", "pin", "--pin-stdin", "--data-dir", str(folder)]) == 0
    station = KioskStation.open(folder)
    try:
        assert station.check_pin("135790") and not station.check_pin("1357")
    finally:
        station.close()


def test_kiosk_take_makes_the_requests_and_prints_their_numbers(staffed_office, tmp_path, capsys):
    station = KioskStation.open(kiosk_dir(staffed_office.paths.data_dir))
    try:
        station.submit(filled_draft(station, tmp_path / "foto", 1))
        station.deliver()
    finally:
        station.close()
    assert cli_main(["kiosk", "take", "--data-dir", str(staffed_office.paths.data_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BLG-") and "1 permohonan dari kios, 0 survei." in out
    assert cli_main(["kiosk", "take", "--data-dir", str(staffed_office.paths.data_dir)]) == 0
    assert "0 permohonan dari kios" in capsys.readouterr().out
