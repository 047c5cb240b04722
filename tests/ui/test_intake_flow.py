"""Issue 8 as a user meets it: a resident's text and photos arrive over WhatsApp (the fake
worker), a request appears in the inbox with its service and its photos suggested, and the
operator confirms it with clicks only — nothing typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QToolButton

from dikjamila.whatsapp.service import LinkService
from tests.ui.editor_support import idle
from tests.ui.test_wa_support import (
    TIMEOUT,
    fake_worker_command,
    linked,
    shot,
    worker_env,
)
from tests.whatsapp_support import jpeg
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.worker import DbWorker

RESIDENT = "+6281350007777"


def _scenario(tmp_path) -> dict:
    kk, lahir = tmp_path / "IMG-20261201-WA0011.jpg", tmp_path / "IMG-20261201-WA0012.jpg"
    kk.write_bytes(jpeg((120, 160, 200), (1200, 900)))
    lahir.write_bytes(jpeg((230, 220, 200), (900, 1200)))
    return {"link": "connected", "incoming": [
        {"message_id": "IN-1", "sender": RESIDENT, "push_name": "Rahmah",
         "text": "Assalamualaikum pak, sy mau bikin akte lahir anak sy yg baru lahir"},
        {"message_id": "IN-2", "sender": RESIDENT, "push_name": "Rahmah", "file": str(kk), "text": "ini kk nya"},
        {"message_id": "IN-3", "sender": RESIDENT, "push_name": "Rahmah", "file": str(lahir),
         "text": "surat keterangan lahir dari bidan"},
    ]}


def test_a_residents_photos_become_a_request_confirmed_with_clicks_only(qtbot, ui_office, tmp_path):
    linked(ui_office)
    scenario = _scenario(tmp_path)

    def service(office):
        return LinkService(office, transport="linked", backoff=(0.2,), worker_env=worker_env(),
                           command_for=fake_worker_command(scenario, tmp_path))

    sari = ui_office.actor_for("sari")
    window = MainWindow(AppContext(ui_office, sari, DbWorker(), link_service_factory=service))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    inbox = window.inbox
    qtbot.waitUntil(lambda: any(inbox.model.row_at(r) and inbox.model.row_at(r).applicant_name == "Rahmah"
                                for r in range(inbox.model.rowCount())), timeout=3 * TIMEOUT)
    row = next(r for r in range(inbox.model.rowCount()) if inbox.model.row_at(r).applicant_name == "Rahmah")
    service_column = next(c for c in range(inbox.model.columnCount()) if inbox.model.headerData(
        c, Qt.Orientation.Horizontal) == "Layanan")
    assert inbox.model.index(row, service_column).data() == "Belum dipilih (saran: Akta Kelahiran)"
    shot(window, "intake-inbox")

    # Double-click the row: the request opens.
    view = inbox.table
    rect = view.visualRect(inbox.model.index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.tabs.count() == 2, timeout=TIMEOUT)
    editor = window.tabs.widget(1)
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=TIMEOUT)
    idle(qtbot, editor)
    d = editor.detail
    assert (d.service_code, d.suggested_service, d.applicant_phone, d.channel) == (
        "", "akta_kelahiran", RESIDENT, "whatsapp")
    assert editor.service.currentText() == "— belum dipilih —"
    assert any("akte lahir anak" in text for text in editor.intake.texts())
    shot(window, "intake-editor-new")

    # One click: the suggested service.
    use = editor.intake.service_button
    assert use is not None and use.text() == "Pakai layanan ini"
    use.click()
    qtbot.waitUntil(lambda: editor.detail.service_code == "akta_kelahiran", timeout=TIMEOUT)
    idle(qtbot, editor)
    assert editor.detail.service_code == "akta_kelahiran" and editor.service.currentData() == "akta_kelahiran"
    def suggestions():
        return {b.text() for b in editor.checklist.findChildren(QToolButton) if b.objectName() == "suggestion"}

    # (the checklist is rebuilt by the reload that follows the change: on a loaded machine, later)
    qtbot.waitUntil(lambda: len(suggestions()) == 2, timeout=TIMEOUT)
    shot(window, "intake-editor-suggested")

    # One click: every file onto its suggested checklist item.
    [accept] = [b for b in editor.checklist.findChildren(QPushButton) if b.objectName() == "acceptSuggestions"]
    accept.click()
    qtbot.waitUntil(lambda: all(a.requirement_code for a in editor.detail.attachments), timeout=TIMEOUT)
    idle(qtbot, editor)
    linked_files = {a.original_name: a.requirement_code for a in editor.detail.attachments}
    assert linked_files == {"IMG-20261201-WA0011.jpg": "kk", "IMG-20261201-WA0012.jpg": "surat_kelahiran"}
    assert editor.checklist.item_row("kk").item.state == "ok"
    assert editor.checklist.item_row("surat_kelahiran").item.state == "ok"
    shot(window, "intake-editor-linked")

    # The resident was told their request number (or, outside office hours, when we answer).
    items = ui_office.desk(sari).outbox_for(d.id)
    assert [i.template for i in items] in (["permohonan_diterima"], ["di_luar_jam"])
    assert items[0].recipient == RESIDENT
