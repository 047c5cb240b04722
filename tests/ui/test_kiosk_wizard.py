"""The kiosk's request wizard, end to end, on a real kiosk station and a real office.

The office is a copy of the UI tests' staffed office; its data dir is set up as a one-PC kiosk
(village, admin PIN, scanner folder), so the station delivers into that same office — the
demo's arrangement. Nothing here is faked: the window calls the real `KioskStation` on its
worker, files are real JPEGs made with Pillow, and the office takes the delivery with its desk.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from dikjamila.config import load_settings, office_paths, save_settings
from dikjamila.kiosk.delivery import deliver_pending
from dikjamila.kiosk.pin import hash_pin
from dikjamila.kiosk.station import KioskStation
from dikjamila.office import Office

PIN = "2468"
NAME, PHONE, NIK = "SITI AMINAH", "081234567890", "6311054506900003"


@pytest.fixture(scope="module")
def pin_hash():
    return hash_pin(PIN)


@pytest.fixture
def kiosk_dir(tmp_path, ui_office_template, pin_hash):
    """A copy of the staffed office, set up as its own kiosk, with two photos in its scanner folder."""
    folder = tmp_path / "kantor"
    shutil.copytree(ui_office_template, folder)
    scans = tmp_path / "pindaian" / "hari-ini"
    scans.mkdir(parents=True)
    for name, colour in (("laporan-polisi.jpg", (200, 40, 40)), ("kk.jpg", (40, 120, 200))):
        Image.new("RGB", (640, 480), colour).save(scans / name, quality=85)
    paths = office_paths(folder)
    save_settings(paths, replace(load_settings(paths), kiosk_desa="Batu Piring", kiosk_admin_pin_hash=pin_hash,
                                 kiosk_scanner_folder=str(tmp_path / "pindaian")))
    return folder


@pytest.fixture
def window(qtbot, kiosk_dir, tmp_path):
    from ui.kiosk.context import KioskContext
    from ui.kiosk.launch import options_for
    from ui.kiosk.window import KioskWindow

    station = KioskStation.open(kiosk_dir)
    options = replace(options_for(station), use_camera=False, deliver_every_seconds=0,
                      print_to_pdf=tmp_path / "struk.pdf")
    ctx = KioskContext(station, options)
    win = KioskWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.shut_down()
    ctx.close()
    station.close()


def tap(qtbot, button) -> None:
    """A finger on `button`: scrolled into view first, as a resident would (the click lands
    where the button is on the screen, so it must be there)."""
    parent = button.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(button)
        qtbot.wait(20)
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_on(qtbot, pad, text: str) -> None:
    for ch in text:
        tap(qtbot, pad.keys["Spasi" if ch == " " else ch])


def scanned(tmp_path: Path, name: str) -> Path:
    return tmp_path / "pindaian" / "hari-ini" / name


def choose_birth_certificate(qtbot, win) -> None:
    """Start → "Ajukan permohonan" → Akta Kelahiran → both questions "Ya" (two documents)."""
    wiz = win.wizard
    tap(qtbot, win.start.apply)
    qtbot.waitUntil(lambda: "akta_kelahiran" in wiz.service_step.buttons, timeout=10_000)
    tap(qtbot, wiz.service_step.buttons["akta_kelahiran"])
    qtbot.waitUntil(lambda: wiz.current_step() is wiz.questions_step and len(wiz.questions_step.rows) == 2,
                    timeout=10_000)
    for row in wiz.questions_step.rows:
        tap(qtbot, row.yes)
    qtbot.waitUntil(wiz.next_button.isEnabled, timeout=10_000)


def enter_identity(qtbot, win, nik: str = NIK) -> None:
    step = win.wizard.identity_step
    step.dock.focus(step.name)
    type_on(qtbot, step.dock.current_pad(), NAME)
    step.dock.focus(step.phone)
    type_on(qtbot, step.dock.current_pad(), PHONE)
    step.dock.focus(step.nik)
    type_on(qtbot, step.dock.current_pad(), nik)


def pick(qtbot, win, path: Path) -> None:
    """On a document step: "Pilih dari folder/flashdisk", the file, "Pakai berkas ini"."""
    wiz = win.wizard
    step = wiz.current_step()
    before = len(step.files())
    tap(qtbot, step.folder_button)
    qtbot.waitUntil(lambda: wiz.picker.select_path(path), timeout=10_000)
    tap(qtbot, wiz.picker.use)
    qtbot.waitUntil(lambda: wiz.current_step() is step and len(step.files()) == before + 1, timeout=10_000)


def test_the_wizard_end_to_end_reaches_the_office_inbox(qtbot, window, kiosk_dir, tmp_path):
    win, wiz = window, window.wizard
    choose_birth_certificate(qtbot, win)
    assert "Berita acara" in wiz.questions_step.docs_text() and "KK tempat" in wiz.questions_step.docs_text()
    tap(qtbot, wiz.next_button)
    assert wiz.current_step() is wiz.identity_step

    # An invalid NIK: the message under the field says why, and "Lanjut" stays off.
    enter_identity(qtbot, win, nik="6311054506")
    step = wiz.identity_step
    qtbot.waitUntil(lambda: step.problems is not None, timeout=10_000)
    assert "16 angka" in step.nik.message.text()
    assert step.name.message.text().startswith("✓") and step.phone.message.text().startswith("✓")
    assert not wiz.next_button.isEnabled()
    type_on(qtbot, step.dock.current_pad(), NIK[10:])
    qtbot.waitUntil(wiz.next_button.isEnabled, timeout=10_000)
    assert step.nik.message.text().startswith("✓")

    # Back to the questions and forward again: everything entered is kept.
    tap(qtbot, wiz.back_button)
    assert wiz.current_step() is wiz.questions_step
    assert all(row.yes.isChecked() and not row.no.isChecked() for row in wiz.questions_step.rows)
    qtbot.waitUntil(wiz.next_button.isEnabled, timeout=10_000)
    tap(qtbot, wiz.next_button)
    assert (step.name.text(), step.phone.text(), step.nik.text()) == (NAME, PHONE, NIK)
    qtbot.waitUntil(wiz.next_button.isEnabled, timeout=10_000)
    tap(qtbot, wiz.next_button)

    # The first document from the scanner folder; the second (the KK) left out for now.
    police, kk = wiz.doc_steps
    assert wiz.current_step() is police and "Berita acara" in police.title
    assert not police.camera_button.isVisible()  # no camera here: only the folder is offered
    pick(qtbot, win, scanned(tmp_path, "laporan-polisi.jpg"))
    kept_copy = police.files()[0].path
    assert kept_copy.is_file() and kept_copy != scanned(tmp_path, "laporan-polisi.jpg")
    tap(qtbot, wiz.next_button)
    assert wiz.current_step() is kk
    tap(qtbot, wiz.back_button)  # back a step: the file is still there
    assert [f.path for f in police.files()] == [kept_copy] and police.tiles
    tap(qtbot, wiz.next_button)
    tap(qtbot, wiz.next_button)
    assert wiz.current_step() is wiz.review_step

    # "Kirim" with the KK missing is refused, naming it; nothing is stored.
    tap(qtbot, wiz.next_button)
    qtbot.waitUntil(lambda: wiz.message.isVisible() and "KK" in wiz.message.text(), timeout=10_000)
    assert "KK tempat anak akan dicatat" in wiz.review_step.warning.text()
    assert wiz.current_step() is wiz.review_step and not wiz.on_receipt()
    assert wiz.ctx.station.pending_count() == 0

    # "Ubah" on the KK's card goes back to its step; with the photo the submission goes through.
    kk_card = wiz.review_step._sections[-1]
    tap(qtbot, kk_card.change)
    assert wiz.current_step() is kk
    pick(qtbot, win, scanned(tmp_path, "kk.jpg"))
    wiz.go_to_step(len(wiz.steps) - 1)
    qtbot.waitUntil(lambda: wiz.review_step.missing == [], timeout=10_000)
    tap(qtbot, wiz.next_button)
    qtbot.waitUntil(wiz.on_receipt, timeout=20_000)
    number = wiz.receipt.number.text()
    assert number == "KIOS-BATUPIRING-0001" == wiz.receipt.receipt.kiosk_number

    # "Cetak": printed (here into a PDF file) from the receipt's own PDF.
    tap(qtbot, wiz.receipt.print_button)
    qtbot.waitUntil(lambda: "printer" in wiz.receipt.message.text() and wiz.receipt.print_button.isEnabled(),
                    timeout=20_000)
    printed = tmp_path / "struk.pdf"
    assert printed.is_file() and printed.read_bytes().startswith(b"%PDF") and printed.stat().st_size > 1000
    tap(qtbot, wiz.receipt.finish)
    assert win.stack.currentWidget() is win.start and wiz.draft.files == []
    assert wiz.ctx.station.pending_count() == 1

    # Delivered, then taken by the office: a request with channel kiosk, both photos on its checklist.
    report = deliver_pending(wiz.ctx.station)
    assert report.reached and report.delivered == 1, report.message
    office = Office.open(kiosk_dir)
    try:
        desk = office.desk(office.actor_for("sari"))
        taken = desk.take_kiosk_submissions()
        assert len(taken.taken) == 1 and not taken.problems
        rows = desk.inbox().rows
        row = next(r for r in rows if r.number == taken.taken[0])
        assert row.channel == "kiosk" and row.applicant_name == NAME and row.service_code == "akta_kelahiran"
        checklist = {item.code: item.files for item in desk.check(row.id).items}
        assert checklist["laporan_polisi"] == 1 and checklist["kk"] == 1
    finally:
        office.close()


def test_going_back_to_another_service_drops_the_files_of_the_first(qtbot, window, tmp_path):
    win, wiz = window, window.wizard
    choose_birth_certificate(qtbot, win)
    tap(qtbot, wiz.next_button)
    enter_identity(qtbot, win)
    qtbot.waitUntil(wiz.next_button.isEnabled, timeout=10_000)
    tap(qtbot, wiz.next_button)
    pick(qtbot, win, scanned(tmp_path, "laporan-polisi.jpg"))
    copy = wiz.draft.files[0].path
    for _ in range(2):
        tap(qtbot, wiz.back_button)
    assert wiz.current_step() is wiz.questions_step
    tap(qtbot, wiz.back_button)
    assert wiz.current_step() is wiz.service_step
    assert wiz.service_step.buttons["akta_kelahiran"].isChecked()
    tap(qtbot, wiz.service_step.buttons["akta_kematian"])
    qtbot.waitUntil(lambda: wiz.current_step() is wiz.questions_step and not wiz._busy, timeout=10_000)
    assert wiz.draft.service_code == "akta_kematian" and wiz.draft.answers == {} and wiz.draft.files == []
    qtbot.waitUntil(lambda: not copy.exists(), timeout=10_000)
    assert wiz.draft.applicant_name == NAME  # who the resident is does not depend on the service
