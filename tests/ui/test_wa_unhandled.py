""""Pesan masuk belum ditangani": the list, its count in the menu and status bar, and replying."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDesktopServices

from tests.ui.test_wa_support import TIMEOUT, shot, system_desk
from tests.whatsapp_support import incoming_event, incoming_files
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.whatsapp.unhandled_panel import UnhandledPanel
from ui.worker import DbWorker


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
    panel = parts._windows["unhandled"]
    assert isinstance(panel, UnhandledPanel)
    qtbot.waitUntil(lambda: panel.loads >= 1 and panel.model.rowCount() == 3, timeout=TIMEOUT)
    assert "akan tersedia pada pembaruan berikutnya" in " ".join(
        label.text() for label in panel.findChildren(type(panel.count)))
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

    # A sender known only by a WhatsApp id cannot be answered yet: said, not crashed.
    lid_row = next(r for r in range(3) if "Tanpa Nomor" in panel.model.index(r, 1).data())
    panel.table.selectRow(lid_row)
    panel.reply.setPlainText("Halo")
    panel.send.click()
    qtbot.waitUntil(lambda: "Nomor pengirim belum diketahui" in panel.message.text(), timeout=TIMEOUT)
