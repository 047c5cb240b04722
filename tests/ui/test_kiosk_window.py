"""The kiosk window around the wizard: idle reset, the PIN that guards leaving, the status check,
the survey, the office line, and `dikjamila --kiosk` — on a real kiosk station and office."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

from PySide6.QtCore import Qt
from sqlalchemy import select

from dikjamila.config import load_settings, office_paths, save_settings
from dikjamila.kiosk import local_db
from dikjamila.kiosk.api import KioskDraft
from dikjamila.kiosk.delivery import deliver_pending
from dikjamila.office import Office
from tests.ui.test_kiosk_wizard import (  # noqa: F401  (fixtures are used by name)
    NAME,
    NIK,
    PHONE,
    PIN,
    choose_birth_certificate,
    enter_identity,
    kiosk_dir,
    pick,
    pin_hash,
    scanned,
    tap,
    type_on,
    window,
)


def submit_directly(station, tmp_path, *, name: str, phone: str, nik: str) -> str:
    """A complete birth-certificate submission made through the station's own calls."""
    answers = {"foundling": True, "applicant_is_subject": True}
    draft = KioskDraft(service_code="akta_kelahiran", answers=answers, applicant_name=name, applicant_phone=phone,
                       applicant_nik=nik)
    for document in station.documents("akta_kelahiran", answers):
        station.add_file(draft, document.code, scanned(tmp_path, "kk.jpg"))
    return station.submit(draft).kiosk_number


def take_at_office(station, kiosk_dir) -> list[str]:
    """Deliver what waits at the kiosk and let the office make requests of it; their numbers."""
    assert deliver_pending(station).reached
    office = Office.open(kiosk_dir)
    try:
        return office.desk(office.actor_for("sari")).take_kiosk_submissions().taken
    finally:
        office.close()


def finish_at_office(kiosk_dir, number: str) -> None:
    """The office finished the request meanwhile (its staff's work is not what is tested here)."""
    from sqlalchemy import update

    from dikjamila.db.models import Request
    from dikjamila.lifecycle import Status

    office = Office.open(kiosk_dir)
    try:
        with office.db.writing() as session:
            session.execute(update(Request).where(Request.number == number).values(status=Status.SELESAI))
    finally:
        office.close()


# -- idle reset -------------------------------------------------------------------------------------
def test_idle_reset_wipes_everything_entered_and_deletes_the_photos(qtbot, window, tmp_path):
    win, wiz = window, window.wizard
    choose_birth_certificate(qtbot, win)
    tap(qtbot, wiz.next_button)
    enter_identity(qtbot, win)
    qtbot.waitUntil(wiz.next_button.isEnabled, timeout=10_000)
    tap(qtbot, wiz.next_button)
    pick(qtbot, win, scanned(tmp_path, "laporan-polisi.jpg"))
    copy = wiz.draft.files[0].path
    assert copy.is_file()

    win.idle.set_seconds(0.5)
    with qtbot.waitSignal(win.reset_done, timeout=5_000):
        pass  # no touch, no key
    assert win.stack.currentWidget() is win.start
    assert wiz.draft == KioskDraft()
    step = wiz.identity_step
    assert (step.name.text(), step.phone.text(), step.nik.text()) == ("", "", "")
    assert wiz.doc_steps == [] and wiz.questions_step.rows == []
    qtbot.waitUntil(lambda: not copy.exists(), timeout=10_000)  # the photo is gone from the kiosk
    assert win.ctx.station.pending_count() == 0

    # The next resident starts from nothing.
    win.idle.set_seconds(120)
    tap(qtbot, win.start.apply)
    qtbot.waitUntil(lambda: wiz.current_step() is wiz.service_step, timeout=5_000)
    assert not any(button.isChecked() for button in wiz.service_step.buttons.values())


def test_any_touch_restarts_the_idle_count(qtbot, window):
    win = window
    tap(qtbot, win.start.status)
    win.idle.set_seconds(0.6)
    resets = []
    win.reset_done.connect(lambda: resets.append(1))
    for digit in "12345":
        qtbot.wait(300)
        tap(qtbot, win.status.form.dock.digits.keys[digit])
    assert not resets and win.status.form.number.text() == "12345"
    qtbot.waitUntil(lambda: bool(resets), timeout=5_000)
    assert win.status.form.number.text() == "" and win.stack.currentWidget() is win.start


# -- leaving ----------------------------------------------------------------------------------------
def test_closing_needs_the_admin_pin_and_a_wrong_one_is_refused(qtbot, window):
    win = window
    win.close()  # what Alt+F4 and the window manager do
    assert win.isVisible() and win.stack.currentWidget() is win.pin

    type_on(qtbot, win.pin.pad, "1111")
    tap(qtbot, win.pin.leave)
    qtbot.waitUntil(lambda: "PIN salah" in win.pin.message.text(), timeout=10_000)
    assert win.isVisible() and win.pin.edit.text() == ""

    tap(qtbot, win.pin.back)  # "Batal": back to where the resident was
    assert win.stack.currentWidget() is win.start and win.isVisible()
    tap(qtbot, win.start.staff)  # "Petugas" on the start screen opens the pad too
    assert win.stack.currentWidget() is win.pin

    type_on(qtbot, win.pin.pad, PIN)
    tap(qtbot, win.pin.leave)
    qtbot.waitUntil(lambda: not win.isVisible(), timeout=10_000)


def test_escape_opens_the_pin_pad_instead_of_leaving(qtbot, window):
    win = window
    tap(qtbot, win.start.status)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow(), timeout=5_000)
    qtbot.keyClick(win.status.form.number.edit, Qt.Key.Key_Escape)
    assert win.stack.currentWidget() is win.pin and win.isVisible()
    tap(qtbot, win.pin.back)
    assert win.stack.currentWidget() is win.status


# -- status check -----------------------------------------------------------------------------------
def test_the_status_check_shows_only_that_request(qtbot, window, kiosk_dir, tmp_path):
    win, station = window, window.ctx.station
    mine = submit_directly(station, tmp_path, name=NAME, phone=PHONE, nik=NIK)
    other = submit_directly(station, tmp_path, name="BUDI SANTOSO", phone="085311112222", nik="6311052003150004")
    tap(qtbot, win.start.status)
    screen = win.status

    # A wrong last-4: not found, nothing shown.
    screen.form.number.set_text(mine)
    screen.form.last4.set_text("2222")  # the other resident's digits
    tap(qtbot, screen.check)
    qtbot.waitUntil(lambda: "tidak cocok" in screen.message.text(), timeout=10_000)
    assert screen.stack.currentWidget() is screen.ask_page and screen.answer is None

    screen.form.last4.set_text(PHONE[-4:])
    tap(qtbot, screen.check)
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.answer_page, timeout=10_000)
    shown = " ".join(w.text() for w in (screen.number_label, screen.status_text, screen.next_step))
    assert mine in shown and screen.status_text.text() and screen.next_step.text()
    for private in (other, NAME, "BUDI", NIK, PHONE, "Akta"):
        assert private not in shown

    # "Selesai" forgets it: the next person sees an empty form.
    tap(qtbot, screen.done)
    assert win.stack.currentWidget() is win.start
    tap(qtbot, win.start.status)
    assert screen.form.number.text() == "" and screen.status_text.text() == ""

    # Once the office has it, its own number works too.
    office_numbers = take_at_office(station, kiosk_dir)
    assert len(office_numbers) == 2
    screen.form.number.set_text(office_numbers[0])
    screen.form.last4.set_text(PHONE[-4:])
    tap(qtbot, screen.check)
    qtbot.waitUntil(lambda: screen.stack.currentWidget() is screen.answer_page, timeout=10_000)
    assert screen.status_text.text() and NAME not in screen.next_step.text()


# -- survey -----------------------------------------------------------------------------------------
def test_the_survey_asks_nine_questions_with_faces_and_keeps_the_answers(qtbot, window, kiosk_dir, tmp_path):
    win, station = window, window.ctx.station
    number = submit_directly(station, tmp_path, name=NAME, phone=PHONE, nik=NIK)
    [office_number] = take_at_office(station, kiosk_dir)
    tap(qtbot, win.start.survey)
    survey = win.survey
    survey.form.number.set_text(number)
    survey.form.last4.set_text(PHONE[-4:])
    tap(qtbot, survey.start)  # not finished yet: refused before the nine questions
    qtbot.waitUntil(lambda: "setelah permohonan Anda selesai" in survey.message.text(), timeout=10_000)
    assert survey.stack.currentWidget() is not survey.question_page
    finish_at_office(kiosk_dir, office_number)
    tap(qtbot, survey.start)
    qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.question_page, timeout=10_000)
    assert "1 dari 9" in survey.counter.text() and "Persyaratan" in survey.element.text()
    assert [survey.faces[n].title.text() for n in (1, 2, 3, 4)] == ["Tidak baik", "Kurang baik", "Baik",
                                                                    "Sangat baik"]
    scores = [4, 3, 4, 4, 3, 4, 4, 3, 2]
    for n, score in enumerate(scores):
        qtbot.waitUntil(lambda n=n: f"{n + 1} dari 9" in survey.counter.text()
                        or survey.stack.currentWidget() is survey.send_page, timeout=5_000)
        if n == 2:  # back one question: its answer is kept
            tap(qtbot, survey.faces[score])
            qtbot.waitUntil(lambda: "4 dari 9" in survey.counter.text(), timeout=5_000)
            survey._previous_question()
            assert survey.faces[score].isChecked()
        tap(qtbot, survey.faces[score])
    qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.send_page, timeout=5_000)
    tap(qtbot, survey.send)
    qtbot.waitUntil(lambda: survey.stack.currentWidget() is survey.thanks_page, timeout=10_000)
    with station.db.reading() as session:
        rows = session.execute(select(local_db.surveys)).mappings().all()
    assert [(r["number"], r["phone_last4"], json.loads(r["scores_json"])) for r in rows] == [
        (number, PHONE[-4:], scores)]


# -- the office line --------------------------------------------------------------------------------
def test_the_start_screen_says_when_the_office_was_last_reached(qtbot, window, kiosk_dir, tmp_path):
    win, station = window, window.ctx.station
    qtbot.waitUntil(lambda: "Terakhir terhubung ke kantor: belum pernah" in win.footer.text(), timeout=10_000)
    submit_directly(station, tmp_path, name=NAME, phone=PHONE, nik=NIK)
    win.refresh_footer()
    qtbot.waitUntil(lambda: "1 permohonan menunggu dikirim" in win.footer.text(), timeout=10_000)
    win.ctx.deliver = station.deliver
    win.deliver()  # in the background, as the window's timer does
    qtbot.waitUntil(lambda: "hari ini pukul" in win.footer.text() and "menunggu" not in win.footer.text(),
                    timeout=20_000)


# -- dikjamila --kiosk ------------------------------------------------------------------------------
def _kiosk_command(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui", "--kiosk", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=False)


def test_the_kiosk_flag_says_in_indonesian_what_is_missing(tmp_path, ui_office_template):
    folder = tmp_path / "kantor"
    shutil.copytree(ui_office_template, folder)
    result = _kiosk_command("--data-dir", str(folder))
    assert result.returncode == 2 and "kiosk_desa belum diisi" in result.stderr
    assert "Traceback" not in result.stderr

    paths = office_paths(folder)
    save_settings(paths, replace(load_settings(paths), kiosk_desa="Batu Piring"))
    result = _kiosk_command("--data-dir", str(folder))
    assert result.returncode == 2 and "PIN admin kios belum diatur" in result.stderr
    assert "dikjamila kiosk pin" in result.stderr and "Traceback" not in result.stderr

    result = _kiosk_command("--data-dir")
    assert result.returncode == 2 and "perlu diikuti satu nilai" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_screen_takes_its_settings_from_the_kiosk(kiosk_dir, tmp_path):
    from dikjamila.kiosk.station import KioskStation
    from ui.kiosk.launch import options_for

    paths = office_paths(kiosk_dir)
    save_settings(paths, replace(load_settings(paths), kiosk_idle_seconds=45, kiosk_paper="80mm"))
    station = KioskStation.open(kiosk_dir)
    try:
        options = options_for(station)
    finally:
        station.close()
    assert options.idle_seconds == 45 and options.paper == "80mm"
    assert options.pick_folders == (tmp_path / "pindaian",)
    assert options.number_prefixes == ("KIOS-", "BLG-")
