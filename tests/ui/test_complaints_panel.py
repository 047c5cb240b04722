""""Pengaduan": record, assign and resolve (the resident told once through the outbox), the
period's ratio, who sees what in the Supervisi menu, and "Jadikan pengaduan" on a message."""

from __future__ import annotations

from dataclasses import replace

import pytest
import shiboken6
from PySide6.QtCore import Qt

from dikjamila.auth.roles import Actor
from tests.ui.test_wa_support import TIMEOUT, system_desk
from tests.whatsapp_support import incoming_event
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.supervision.complaint_dialogs import (
    AssignDialog,
    RecordComplaintDialog,
    ResolveDialog,
)
from ui.worker import DbWorker

PHONE, PHONE_E164 = "0813-5000-1111", "+6281350001111"


def _window(qtbot, office, username: str) -> MainWindow:
    window = MainWindow(AppContext(office, office.actor_for(username), DbWorker(), link_service_factory=None))
    qtbot.addWidget(window)
    return window


def _panel(qtbot, window):
    panel = window.supervision.open_complaints()
    qtbot.waitUntil(lambda: panel.loads >= 1 and panel.ratio is not None, timeout=TIMEOUT)
    return panel


def _closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def _outcome_notices(office):
    return [o for o in office.desk(Actor.system()).outbox_list() if o.template == "pengaduan_selesai"]


def test_a_complaint_is_recorded_assigned_and_resolved_with_one_notice(qtbot, ui_office):
    window = _window(qtbot, ui_office, "hasan")
    panel = _panel(qtbot, window)
    assert panel.model.rowCount() == 0 and "belum ada pengaduan" in panel.ratio_label.text()
    assert not panel.assign_button.isEnabled() and not panel.resolve_button.isEnabled()

    dialog = panel.open_record()
    assert isinstance(dialog, RecordComplaintDialog) and dialog.isVisible()
    dialog.ok_button.click()  # nothing written yet: said in the form, nothing recorded
    assert dialog.error.text() == "Isi pengaduan belum ditulis." and dialog.isVisible()
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    dialog.text.setPlainText("Akta kelahiran anak saya belum selesai padahal sudah lewat seminggu.")
    dialog.complainant.setText("Siti Rahmah")
    dialog.phone.setText(PHONE)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    assert _closed(dialog)
    [made] = panel.model.rows
    assert panel.message.text() == f"Pengaduan #{made.id} dicatat."
    assert (made.channel, made.phone, made.complainant, made.status) == ("phone", PHONE_E164, "Siti Rahmah", "open")
    assert [panel.model.index(0, c).data() for c in (0, 2, 3, 5)] == [
        f"#{made.id}", "Telepon", "Siti Rahmah (+62 813-5000-1111)", "Belum ditangani"]
    qtbot.waitUntil(lambda: "0 dari 1" in panel.ratio_label.text(), timeout=TIMEOUT)

    # Tugaskan: a supervisor may give it to an operator.
    assert panel.selected().id == made.id and panel.assign_button.isEnabled()
    panel.open_assign()
    qtbot.waitUntil(lambda: isinstance(panel.dialog, AssignDialog), timeout=TIMEOUT)
    assign = panel.dialog
    names = [assign.user.itemText(i) for i in range(assign.user.count())]
    assert "Budi Operator" in names and "Hasan Supervisor" in names
    assert assign.user.currentText() == "Hasan Supervisor"  # the signed-in user first
    assign.user.setCurrentIndex(names.index("Budi Operator"))
    assign.ok_button.click()
    qtbot.waitUntil(lambda: panel.model.rows and panel.model.rows[0].assignee_name == "Budi Operator",
                    timeout=TIMEOUT)
    assert panel.message.text() == f"Pengaduan #{made.id} ditangani oleh Budi Operator."
    assert panel.model.index(0, 5).data() == "Sedang ditangani"

    # Selesaikan: the form says the resident is told through WhatsApp; exactly one notice.
    resolve = panel.open_resolve()
    assert isinstance(resolve, ResolveDialog) and "lewat WhatsApp" in resolve.tell.text()
    resolve.outcome.setCurrentIndex(resolve.outcome.findData("selesai"))
    resolve.resolution.setPlainText("Akta sudah terbit dan kami kirim lewat WhatsApp hari ini.")
    resolve.ok_button.click()
    qtbot.waitUntil(lambda: panel.model.rows and panel.model.rows[0].status == "resolved", timeout=TIMEOUT)
    assert "antrean kirim WhatsApp" in panel.message.text()
    assert panel.model.index(0, 5).data() == "Selesai (ditindaklanjuti)"
    assert not panel.assign_button.isEnabled() and not panel.resolve_button.isEnabled()
    assert "Akta sudah terbit" in panel.detail.toPlainText()
    [notice] = _outcome_notices(ui_office)
    assert notice.recipient == PHONE_E164 and "Akta sudah terbit" in notice.text
    qtbot.waitUntil(lambda: "1 dari 1" in panel.ratio_label.text(), timeout=TIMEOUT)
    assert "100,0%" in panel.ratio_label.text()


def test_the_filter_shows_one_status_and_a_refusal_stays_in_the_form(qtbot, ui_office):
    desk = ui_office.desk(ui_office.actor_for("hasan"))
    first = desk.record_complaint(channel="walk_in", text="Ruang tunggu panas, kipas angin rusak.")
    desk.record_complaint(channel="social", text="Petugas kecamatan tidak bisa menjelaskan syarat pindah.")
    desk.resolve_complaint(first.id, outcome="dijelaskan", resolution="Kipas angin sudah diganti.")
    panel = _panel(qtbot, _window(qtbot, ui_office, "hasan"))
    assert panel.model.rowCount() == 2 and "1 dari 2" in panel.ratio_label.text()
    panel.filter.setCurrentIndex(panel.filter.findData("resolved"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    assert panel.model.rows[0].id == first.id
    assert "Tanpa nomor WhatsApp" in panel.detail.toPlainText()  # nobody to tell: said so

    panel.filter.setCurrentIndex(panel.filter.findData("open"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1 and panel.model.rows[0].id != first.id, timeout=TIMEOUT)
    resolve = panel.open_resolve()
    assert "sampaikan hasilnya langsung" in resolve.tell.text()
    resolve.resolution.setPlainText("Ok")  # too short: said in the form
    resolve.ok_button.click()
    assert "terlalu singkat" in resolve.error.text() and resolve.isVisible()

    dialog = panel.open_record()
    dialog.text.setPlainText("Nomor permohonan ini tidak ada.")
    dialog.request.setText("XX-999")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=TIMEOUT)
    assert "tidak ditemukan" in dialog.error.text() and dialog.ok_button.isEnabled()
    assert len(desk.complaints()) == 2


def test_operators_reach_only_the_complaints_in_the_supervisi_menu(qtbot, ui_office):
    window = _window(qtbot, ui_office, "sari")
    assert [a.text() for a in window.supervision.menu.actions()] == ["Pengaduan…"]
    panel = _panel(qtbot, window)
    assert panel.record_button.isVisibleTo(panel)
    hasan = ui_office.desk(ui_office.actor_for("hasan"))
    made = hasan.record_complaint(channel="walk_in", text="Antrean lama sekali di loket dua.")
    panel.refresh()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    panel.open_assign()
    qtbot.waitUntil(lambda: isinstance(panel.dialog, AssignDialog), timeout=TIMEOUT)
    # An operator may only take a complaint; handing it to others is for a supervisor.
    assert [panel.dialog.user.itemText(i) for i in range(panel.dialog.user.count())] == ["Sari Operator"]
    panel.dialog.ok_button.click()
    qtbot.waitUntil(lambda: panel.model.rows[0].assignee_name == "Sari Operator", timeout=TIMEOUT)
    assert hasan.complaint(made.id).assignee_name == "Sari Operator"


@pytest.fixture
def by_hand(ui_office):
    """Messages wait in "Pesan masuk belum ditangani" (no request is made by itself)."""
    ui_office.update_settings(ui_office.actor_for("admin"), replace(ui_office.settings, intake_auto_create=False))


@pytest.mark.usefixtures("by_hand")
def test_jadikan_pengaduan_makes_one_complaint_and_the_message_leaves_the_list(qtbot, ui_office):
    window = _window(qtbot, ui_office, "sari")
    window.show()
    # The change watcher has its starting point: the message below is a change it reports.
    qtbot.waitUntil(lambda: window.ctx.changes.polls >= 1 and window.intake.unhandled_panel.loads >= 1,
                    timeout=TIMEOUT)
    message = system_desk(ui_office).store_incoming(incoming_event(
        "WA-ADU", PHONE_E164, text="Petugas di loket tidak ramah, saya dibentak!", push_name="Rahmat"))
    panel = window.whatsapp.open_unhandled()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=TIMEOUT)
    assert panel.select_message(message.id)
    button = panel.make_complaint
    assert button.text() == "Jadikan pengaduan" and button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # a second click while the first runs does nothing
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=TIMEOUT)
    desk = ui_office.desk(ui_office.actor_for("hasan"))
    [complaint] = desk.complaints()
    assert panel.message.text() == f"Pengaduan #{complaint.id} dicatat."
    assert window.statusBar().currentMessage() == f"Pengaduan #{complaint.id} dicatat."
    assert (complaint.message_id, complaint.channel, complaint.complainant, complaint.phone) == (
        message.id, "whatsapp", "Rahmat", PHONE_E164)
    assert desk.unhandled_count() == 0
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # nothing selected any more: nothing happens
    assert not button.isEnabled()
    assert desk.complaint_from_message(message.id).id == complaint.id  # and the core keeps it one
    assert len(desk.complaints()) == 1

    # The complaints window, opened now, shows it; made on another desk, it follows by itself.
    complaints = _panel(qtbot, window)
    assert [c.id for c in complaints.model.rows] == [complaint.id]
    other = system_desk(ui_office).store_incoming(incoming_event(
        "WA-ADU2", "+6281350002222", text="Antrean lama sekali.", push_name="Ina"))
    desk.complaint_from_message(other.id)
    qtbot.waitUntil(lambda: complaints.model.rowCount() == 2, timeout=TIMEOUT)
