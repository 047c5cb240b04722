""""Pesan masuk belum ditangani": the list, its count in the menu and status bar, and replying."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel

from dikjamila.desk import NewRequest
from tests.ui.test_wa_support import TIMEOUT, shot, system_desk
from tests.whatsapp_support import incoming_event, incoming_files
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.whatsapp.unhandled_panel import UnhandledPanel
from ui.worker import DbWorker


@pytest.fixture(autouse=True)
def by_hand(ui_office):
    """These tests are about messages that wait: requests are made by an operator's click."""
    ui_office.update_settings(ui_office.actor_for("admin"), replace(ui_office.settings, intake_auto_create=False))


def test_unhandled_messages_are_counted_listed_and_answered(qtbot, ui_office, tmp_path, monkeypatch):
    window = MainWindow(AppContext(ui_office, ui_office.actor_for("sari"), DbWorker(), link_service_factory=None))
    qtbot.addWidget(window)
    window.show()
    parts = window.whatsapp
    qtbot.waitUntil(lambda: parts.summary is not None, timeout=TIMEOUT)
    assert not parts.unhandled.isVisible() and parts.unhandled_action.text() == "Pesan masuk belum ditangani"

    files = incoming_files(tmp_path / "unduhan")
    system = system_desk(ui_office)
    system.store_incoming(incoming_event("WA-1", "+6281350001111", text="Assalamualaikum, mau buat akta lahir anak",
                                         push_name="Rahmat"))
    voice = system.store_incoming(incoming_event("WA-2", "+6281350002222", text="", file=files["voice"],
                                                 mime="audio/ogg", push_name="Ina"))
    lid_only = incoming_event("WA-3", "", text="halo", push_name="Tanpa Nomor")
    lid_only["sender_lid"] = "12345678901234@lid"
    system.store_incoming(lid_only)
    qtbot.waitUntil(lambda: parts.unhandled.isVisible(), timeout=TIMEOUT)
    assert parts.unhandled.text() == "3 pesan belum ditangani"
    assert parts.unhandled_action.text() == "Pesan masuk belum ditangani (3)"

    parts.unhandled.click()
    panel = window.intake.unhandled_panel
    assert isinstance(panel, UnhandledPanel) and window.intake.unhandled_dock.isVisible()
    assert window.intake.unhandled_dock.windowTitle() == "Pesan masuk belum ditangani (3)"
    qtbot.waitUntil(lambda: panel.loads >= 1 and panel.model.rowCount() == 3, timeout=TIMEOUT)
    assert "Buat permohonan" in " ".join(label.text() for label in panel.findChildren(type(panel.count)))
    senders = [panel.model.index(r, 1).data() for r in range(3)]
    assert "Rahmat (+62 813-5000-1111)" in senders
    assert "Tanpa Nomor (ID 12345678901234@lid, nomor belum diketahui)" in senders

    assert panel.select_message(voice.id)
    assert "PTT-20261201-WA0001.opus (pesan suara)" in panel.file_label.text()
    assert panel.open_file.isVisibleTo(panel) and panel.file_note.text() == voice.file_note
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    panel.open_file.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=TIMEOUT)
    assert opened[0].name == "PTT-20261201-WA0001.opus"
    shot(panel, "unhandled")

    panel.reply.setPlainText("Baik Bu, mohon kirim foto KK dan surat keterangan lahir.")
    panel.send.click()
    qtbot.waitUntil(lambda: panel.message.text() == "Balasan masuk antrean kirim WhatsApp.", timeout=TIMEOUT)
    [item] = [o for o in ui_office.desk(ui_office.actor_for("sari")).outbox_list() if o.in_reply_to_id == voice.id]
    assert item.recipient == "+6281350002222" and item.text.startswith("Baik Bu") and item.state in ("queued", "sending")
    assert panel.reply.toPlainText() == ""

    # A sender known only by a WhatsApp id cannot be answered yet: the panel asks for the number.
    lid_row = next(r for r in range(3) if "Tanpa Nomor" in panel.model.index(r, 1).data())
    panel.table.selectRow(lid_row)
    assert panel.phone_box.isVisibleTo(panel) and panel.phone.isVisibleTo(panel)
    panel.reply.setPlainText("Halo")
    assert not panel.reply.isEnabled() and not panel.send.isEnabled()
    panel.table.selectRow(next(r for r in range(3) if r != lid_row))
    assert not panel.phone_box.isVisibleTo(panel) and panel.reply.isEnabled()


def _lid_event(wa_id: str, lid: str, text: str) -> dict:
    event = incoming_event(wa_id, "", text=text, push_name="Tanpa Nomor")
    event["sender_lid"] = lid
    return event


def _panel(qtbot, ctx) -> UnhandledPanel:
    panel = UnhandledPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.loads >= 1, timeout=TIMEOUT)
    return panel


def test_the_operator_adds_the_number_of_a_lid_sender_and_can_then_answer(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office)
    ctx.changes.start()
    desk = ctx.desk
    lid = system_desk(ui_office).store_incoming(_lid_event("WA-L1", "12345678901234@lid", "Halo, mau tanya KIA"))
    panel = _panel(qtbot, ctx)
    assert panel.select_message(lid.id)
    words = " ".join(label.text() for label in panel.phone_box.findChildren(QLabel))
    assert "Nomor pengirim belum diketahui" in words and "Isi nomor WhatsApp pengirim" in words
    assert panel.phone_box.isVisible() and panel.save_phone_button.text() == "Simpan nomor"
    assert not panel.save_phone_button.isEnabled()  # nothing typed yet

    # A bad number: the reason under the field, nothing changed.
    panel.phone.setText("0812-ABC-999")
    panel.save_phone_button.click()
    qtbot.waitUntil(lambda: panel.phone_error.isVisible(), timeout=TIMEOUT)
    assert "hanya boleh berisi angka" in panel.phone_error.text()
    assert panel.phone.text() == "0812-ABC-999" and panel.phone_box.isVisible()
    assert desk.incoming_message(lid.id).sender_phone == "" and desk.unhandled_count() == 1
    assert not [o for o in desk.outbox_list() if o.in_reply_to_id == lid.id]
    shot(panel, "unhandled-lid")

    panel.phone.setText("0813 5000 3333")
    panel.save_phone_button.click()
    qtbot.waitUntil(lambda: (m := panel.selected()) is not None and m.sender_phone == "+6281350003333",
                    timeout=TIMEOUT)
    assert "+62 813-5000-3333" in panel.message.text() and "bisa dibalas" in panel.message.text()
    assert not panel.phone_box.isVisibleTo(panel) and not panel.phone_error.isVisibleTo(panel)
    assert "+62 813-5000-3333" in panel.sender_label.text() and panel.reply.isEnabled()
    assert desk.unhandled_count() == 1  # no open request of that number: it still waits here

    panel.reply.setPlainText("Baik Pak, untuk KIA mohon kirim foto KK.")
    panel.send.click()
    qtbot.waitUntil(lambda: panel.message.text() == "Balasan masuk antrean kirim WhatsApp.", timeout=TIMEOUT)
    [item] = [o for o in desk.outbox_list() if o.in_reply_to_id == lid.id]
    assert item.recipient == "+6281350003333" and item.text.startswith("Baik Pak")


def test_the_number_of_an_open_request_takes_the_message_there(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office)
    ctx.changes.start()
    desk = ctx.desk
    rid = desk.create_request(NewRequest(service_code="kia", applicant_name="Siti Aminah",
                                         applicant_phone="0813-5000-4444")).id
    lid = system_desk(ui_office).store_incoming(_lid_event("WA-L2", "555@lid", "ini foto akta"))
    panel = _panel(qtbot, ctx)
    assert panel.select_message(lid.id)
    panel.phone.setText("+62 813 5000 4444")
    panel.phone.returnPressed.emit()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=TIMEOUT)
    assert "Pesan masuk ke permohonan" in panel.message.text()
    assert panel.count.text() == "0 pesan belum ditangani"
    assert desk.incoming_message(lid.id).request_id == rid
    assert [e.message_id for e in desk.conversation(rid)] == [lid.id]


def test_buat_permohonan_makes_the_request_from_the_burst_and_opens_it(qtbot, ui_office, tmp_path):
    window = MainWindow(AppContext(ui_office, ui_office.actor_for("sari"), DbWorker(), link_service_factory=None))
    qtbot.addWidget(window)
    window.show()
    system = system_desk(ui_office)
    photo = incoming_files(tmp_path / "in")["photo"]
    first = system.store_incoming(incoming_event("WA-B1", "+6281350005555", text="mau bikin KIA anak saya pak",
                                                 push_name="Nurul"))
    system.store_incoming(incoming_event("WA-B2", "+6281350005555", text="ini kk nya", file=photo,
                                         mime="image/jpeg", kind="image", push_name="Nurul"))
    panel = window.whatsapp.open_unhandled()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=TIMEOUT)
    assert panel.select_message(first.id) and panel.create.isEnabled()
    panel.create.click()
    qtbot.waitUntil(lambda: window.tabs.count() == 2, timeout=TIMEOUT)
    editor = window.tabs.widget(1)
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=TIMEOUT)
    assert editor.detail.applicant_name == "Nurul" and editor.detail.suggested_service == "kia"
    assert [a.original_name for a in editor.detail.attachments] == ["kk.jpg"]
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=TIMEOUT)
    assert "dibuat" in panel.message.text()
