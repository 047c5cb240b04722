"""The scheduled backup in the open workstation: a due backup runs in the background into a real
folder while the window keeps answering; one not due does not run; a missing folder gives one
warning however often it is retried, and the red mark goes once a backup succeeds."""

from __future__ import annotations

import io
import itertools
import os
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox

from dikjamila.auth.roles import Actor
from dikjamila.backup_folder import backup_to_folder, list_copies
from dikjamila.desk import NewRequest
from tests.support import copied_office
from ui.backup_schedule import BackupSchedule, Outcome

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 WITA


def noise_jpeg(side: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.fixture
def window(qtbot):
    window = QMainWindow()
    window.resize(1000, 600)
    qtbot.addWidget(window)
    window.show()
    return window


def use_folder(office, folder, **more) -> None:
    office.update_settings(office.actor_for("admin"), replace(office.settings, backup_dir=str(folder), **more))


def schedule_for(ctx, window, **kw) -> BackupSchedule:
    schedule = BackupSchedule(ctx, window, first_check_ms=0, clock=lambda: NOW, **kw)
    ctx.on_close(schedule.stop)
    return schedule


def test_a_due_backup_runs_in_the_background_into_the_folder(qtbot, ui_office, make_ctx, window, tmp_path):
    desk = ui_office.desk(Actor.system())
    rid = desk.create_request(NewRequest(service_code="akta_kelahiran", applicant_name="Siti Aminah",
                                         channel="whatsapp", applicant_phone="0812-3456-7890")).id
    for _ in range(4):
        desk.attach_file(rid, noise_jpeg(900), "foto.jpg")
    folder = tmp_path / "disk-lain"
    folder.mkdir()
    use_folder(ui_office, folder)
    ctx = make_ctx(ui_office, "sari")  # any signed-in user: the backup is this PC's
    schedule = schedule_for(ctx, window)
    seen: list[tuple[float, bool, str]] = []
    ticker = QTimer(window)
    ticker.setInterval(5)
    ticker.timeout.connect(lambda: seen.append((time.monotonic(), schedule.running, schedule.label.text())))
    ticker.start()
    with qtbot.waitSignal(schedule.finished, timeout=30000) as done:
        schedule.start()
    ticker.stop()
    outcome = done.args[0]
    assert isinstance(outcome, Outcome) and outcome.result is not None
    assert outcome.result.copied_files == 4 and outcome.result.database.is_file()
    assert [c.name for c in list_copies(folder)] == ["cadangan-20261127-100000"]
    # The window kept answering while the copy was made: its timer ran meanwhile, and the status
    # bar showed the progress.
    during = [s for s in seen if s[1]]
    assert during, "no event was handled while the backup ran"
    assert any(text.startswith("Mencadangkan") for _t, _r, text in during)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(seen)]
    assert max(gaps) < 1.0
    assert schedule.label.isVisible() and schedule.label.text() == "Cadangan terakhir: 27-11-2026 10:00"
    assert not window.findChildren(QMessageBox)


def test_no_backup_runs_when_one_was_made_today_or_daily_is_off(qtbot, ui_office, make_ctx, window, tmp_path):
    folder = tmp_path / "disk-lain"
    folder.mkdir()
    use_folder(ui_office, folder)
    backup_to_folder(ui_office.paths, ui_office.db, ui_office.store, folder,
                     now=NOW.replace(hour=0))  # 08:00 WITA today
    ctx = make_ctx(ui_office, "sari")
    schedule = schedule_for(ctx, window)
    with qtbot.waitSignal(schedule.finished, timeout=10000) as done:
        schedule.check_now()
    assert done.args[0].result is None and len(list_copies(folder)) == 1
    assert schedule.label.text() == "Cadangan terakhir: 27-11-2026 08:00"

    use_folder(ui_office, tmp_path / "baru", backup_daily=False)
    (tmp_path / "baru").mkdir()
    schedule.check_now()
    assert not schedule.running and not schedule.label.isVisible()
    qtbot.wait(200)
    assert not list((tmp_path / "baru").iterdir())


def test_a_missing_folder_is_warned_about_once_and_the_mark_goes_after_a_backup(
        qtbot, ui_office, make_ctx, window, tmp_path):
    folder = tmp_path / "flashdisk"
    use_folder(ui_office, folder)
    ctx = make_ctx(ui_office, "sari")
    schedule = schedule_for(ctx, window, interval_ms=50)  # every 50 ms here instead of 10 minutes
    outcomes = []
    schedule.finished.connect(outcomes.append)
    schedule.start()
    qtbot.waitUntil(lambda: len(outcomes) >= 3, timeout=10000)
    assert all(isinstance(o, str) and "tidak ada atau tidak terjangkau" in o for o in outcomes)
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "tidak ada atau tidak terjangkau" in boxes[0].text()
    assert schedule.label.text() == "⚠ Cadangan gagal" and "flashdisk" in schedule.label.toolTip()

    boxes[0].close()
    folder.mkdir()  # the disk is plugged in again
    qtbot.waitUntil(lambda: isinstance(outcomes[-1], Outcome), timeout=10000)
    schedule.stop()
    assert len(list_copies(folder)) == 1
    assert schedule.label.text().startswith("Cadangan terakhir") and not schedule.warned
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def test_a_folder_holding_another_offices_copies_is_warned_about_though_that_office_backed_up_today(
        qtbot, ui_office, ui_office_template, make_ctx, window, tmp_path):
    folder = tmp_path / "disk-bersama"  # one USB disk, or one share, for two offices
    folder.mkdir()
    with copied_office(ui_office_template, tmp_path / "kantor-lain") as other:
        use_folder(other, folder, office_name="Disdukcapil Balangan — Loket Paringin")
        backup_to_folder(other.paths, other.db, other.store, folder, now=NOW.replace(hour=0))  # 08:00 WITA today
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    use_folder(ui_office, folder)
    ctx = make_ctx(ui_office, "sari")
    schedule = schedule_for(ctx, window)
    with qtbot.waitSignal(schedule.finished, timeout=10000) as done:
        schedule.check_now()
    message = done.args[0]  # due (the other office's copy of today is not this one's), then refused
    assert isinstance(message, str) and "sudah berisi cadangan kantor lain" in message
    assert "Loket Paringin" in message and "Pilih folder lain" in message
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and message in boxes[0].text()
    assert schedule.label.text() == "⚠ Cadangan gagal" and schedule.label.toolTip() == message
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
