""""Kirim dokumen lewat WhatsApp" in the request editor.

End to end: a real office on SQLite, the real main window and editor, the real link service
with the real worker supervisor running the fake worker process (`tests.fakes.fake_worker`:
the real worker loop and protocol, WhatsApp replaced by a script), then a typed reply through
the same worker. The rest: a scan PDF needs
"Sudah saya periksa", someone else's PDF is refused, a sent document goes again only on purpose.
"""

from __future__ import annotations

import json
from dataclasses import replace as dc_replace

from PySide6.QtCore import Qt

from dikjamila.demo.paperwork import issued_document_pdf
from dikjamila.desk.timezone import WITA
from dikjamila.whatsapp.service import LinkService
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.ui.editor_support import act, idle, open_editor
from tests.ui.test_wa_support import (
    TIMEOUT,
    fake_worker_command,
    linked,
    shot,
    worker_env,
)
from tests.whatsapp_support import NIK, diproses_request, scan_pdf, terbit_request
from ui.context import AppContext
from ui.editor.action_state import action_state
from ui.main_window import MainWindow
from ui.worker import DbWorker

SENT_WITHIN = 15_000


def issue(desk, rid: int, *, nik: str = NIK) -> str:
    """Attach the issued PDF and move to `terbit` (as a colleague's workstation would); its sha256."""
    detail = desk.get_request(rid, record_view=False)
    pdf = issued_document_pdf("Kartu Keluarga", holder="Siti Aminah", nik=nik, number=detail.number,
                              issued_on=detail.received_at.astimezone(WITA).date())
    att = desk.attach_file(rid, pdf, "KK-Siti.pdf", role="issued")
    desk.advance(rid, "terbit")
    return att.blob_sha256


def test_a_terbit_request_is_sent_through_the_linked_worker_and_becomes_terkirim(qtbot, ui_office, tmp_path):
    linked(ui_office)
    sari = ui_office.actor_for("sari")
    desk = ui_office.desk(sari)
    rid = diproses_request(desk)

    def service(office):
        return LinkService(office, transport="linked", backoff=(0.2,), worker_env=worker_env(),
                           command_for=fake_worker_command({"link": "connected", "receipts": ["delivered"]}, tmp_path))

    window = MainWindow(AppContext(ui_office, sari, DbWorker(), link_service_factory=service))
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitUntil(lambda: window.whatsapp.light_text() == "WhatsApp: terhubung", timeout=SENT_WITHIN)
    window.open_request(rid)
    editor = window.editor(rid)
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=TIMEOUT)
    idle(qtbot, editor)
    assert not editor.actions.send_document.isVisible()  # diproses: nothing to send yet
    photo_preview = editor.previewed_id

    sha = issue(desk, rid)  # issued elsewhere: the editor follows, the preview stays on the photo
    qtbot.waitUntil(lambda: editor.detail.status == "terbit", timeout=TIMEOUT)
    idle(qtbot, editor)
    assert editor.previewed_id == photo_preview
    button = editor.actions.send_document
    assert button.isVisible() and button.isEnabled() and button.text() == "Kirim dokumen lewat WhatsApp"
    shot(window, "editor-terbit")

    # Not looked at yet: the PDF opens in the preview (and that is recorded), nothing is queued.
    button.click()
    qtbot.waitUntil(lambda: "Periksa dulu PDF terbit" in editor.message_bar.text(), timeout=TIMEOUT)
    qtbot.waitUntil(lambda: desk.document_check(rid).previewed, timeout=TIMEOUT)
    assert editor.preview.kind() == "pdf" and editor.preview.title() == "KK-Siti.pdf"
    assert desk.outbox_for(rid) == []

    act(qtbot, editor, button.click)
    assert "Dokumen masuk antrean kirim ke +62 812-3456-7890" in editor.message_bar.text()
    assert "Keterangan yang ikut terkirim" in editor.message_bar.text() and "sudah terbit" in editor.message_bar.text()
    assert "Dokumen masuk antrean kirim" in window.statusBar().currentMessage()
    # NOTE: the runner may already have sent it, and a sent document queues the survey invitation
    # (issue 9): the document is the one item with a file.
    [item] = [i for i in desk.outbox_for(rid) if i.blob_sha256]
    assert item.blob_sha256 == sha and item.document_name == "KK-Siti.pdf"

    # The runner claims it, the fake worker sends it and acknowledges, a receipt follows.
    qtbot.waitUntil(lambda: desk.outbox_item(item.id).state == "delivered", timeout=SENT_WITHIN)
    qtbot.waitUntil(lambda: editor.detail.status == "terkirim" and "✓✓" in editor.conversation.toPlainText(),
                    timeout=TIMEOUT)
    idle(qtbot, editor)
    sent = desk.outbox_item(item.id)
    assert sent.wa_message_id.startswith("FAKE") and sent.sent_sha256 == sha
    assert "sampai" in editor.conversation.toPlainText() and "KK-Siti.pdf" in editor.conversation.toPlainText()
    assert editor.actions.send_document.text() == "Kirim dokumen lagi lewat WhatsApp"

    rows = [(editor.history.item(r, 0).text(), editor.history.item(r, 1).text(), editor.history.item(r, 2).text())
            for r in range(editor.history.rowCount())]
    queued = [r for r in rows if r[2].startswith("Dokumen diantrekan")]
    assert queued and queued[0][1] == "Sari Operator"
    assert f"ke +6281234567890 (berkas sha256 {sha[:12]}…)" in queued[0][2]
    went = [r for r in rows if "terkirim ke +6281234567890 lewat WhatsApp" in r[2]]
    assert went and f"Dokumen KK-Siti.pdf (sha256 {sha[:12]}…)" in went[0][2]
    assert "diterima server WhatsApp" in went[0][2] and "WITA" in went[0][2]
    assert went[0][1] == "WhatsApp (otomatis)"
    assert any(r[2].startswith("Status: Terbit → Terkirim") for r in rows)
    assert any(r[2].startswith("Pratinjau PDF dibuka") for r in rows)
    editor.tabs.setCurrentIndex(2)
    shot(window, "editor-history")

    # A typed reply in the conversation tab really goes out through the same worker.
    tab = editor.conversation_tab
    editor.tabs.setCurrentWidget(tab)
    reply = "Dokumen KK sudah kami kirim, Bu. Mohon dicek ya."
    tab.reply.setPlainText(reply)
    tab.reply.setFocus()
    act(qtbot, editor, lambda: qtbot.keyClick(tab.reply, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier))
    assert tab.reply.toPlainText() == ""
    [answer] = [i for i in desk.outbox_for(rid) if i.text == reply]
    qtbot.waitUntil(lambda: desk.outbox_item(answer.id).state in ("sent", "delivered"), timeout=SENT_WITHIN)
    sent_log = ui_office.paths.data_dir / "whatsapp" / "fake-sent.jsonl"
    went_out = [json.loads(line) for line in sent_log.read_text(encoding="utf-8").splitlines()]
    assert {"kind": "text", "to": "+6281234567890", "text": reply} in [
        {k: s[k] for k in ("kind", "to", "text")} for s in went_out]
    assert desk.outbox_item(answer.id).wa_message_id in {s["id"] for s in went_out if s["text"] == reply}

    def reply_mark() -> str:
        lines = editor.conversation.toPlainText().splitlines()
        return lines[lines.index(reply) - 1] if reply in lines else ""  # the line above: sender · time · mark

    qtbot.waitUntil(lambda: "✓" in reply_mark(), timeout=TIMEOUT)
    assert "🕓" not in reply_mark()
    shot(window, "editor-conversation")


def test_a_scan_needs_sudah_saya_periksa(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office, "sari")
    ctx.changes.start()
    rid = terbit_request(ctx.desk, issued=scan_pdf(), previewed=True)
    editor = open_editor(qtbot, ctx, rid)
    asked = []
    editor.confirm_scan = lambda: asked.append(1) and False
    editor.actions.send_document.click()
    qtbot.waitUntil(lambda: bool(asked), timeout=TIMEOUT)
    idle(qtbot, editor)
    assert ctx.desk.outbox_for(rid) == []
    editor.confirm_scan = lambda: True
    act(qtbot, editor, editor.actions.send_document.click)
    [item] = ctx.desk.outbox_for(rid)
    assert item.state == "queued" and item.blob_sha256
    assert any(d.startswith("PDF pindaian diperiksa petugas") for d in editor.history.descriptions())


def test_someone_elses_pdf_is_refused(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office, "sari")
    ctx.changes.start()
    rid = diproses_request(ctx.desk)
    issue(ctx.desk, rid, nik="6311050101900001")  # another resident's NIK
    editor = open_editor(qtbot, ctx, rid)
    editor.actions.send_document.click()
    qtbot.waitUntil(lambda: editor.message_bar.text().startswith("Dokumen tidak dikirim:"), timeout=TIMEOUT)
    assert editor.message_bar.level == "error"
    idle(qtbot, editor)
    assert ctx.desk.outbox_for(rid) == []


def test_a_sent_document_goes_again_only_when_asked(qtbot, ui_office, make_ctx):
    ctx = make_ctx(ui_office, "sari")
    ctx.changes.start()
    desk = ctx.desk
    rid = terbit_request(desk)
    first = desk.send_issued_document(rid)
    claim = desk.claim_next(accounts=("",), transport="folder", paced=False)
    desk.record_outcome(claim.message.item_id, SendOutcome(SendStatus.SENT, message_id="WA-1"))
    assert desk.get_request(rid, record_view=False).status == "terkirim"
    editor = open_editor(qtbot, ctx, rid)
    assert editor.actions.send_document.text() == "Kirim dokumen lagi lewat WhatsApp"
    questions = []
    editor.confirm = lambda text: questions.append(text) and False
    editor.actions.send_document.click()
    qtbot.waitUntil(lambda: bool(questions), timeout=TIMEOUT)
    idle(qtbot, editor)
    # (terkirim also queued the survey invitation: only the document's items count here)
    documents = lambda: [o for o in desk.outbox_for(rid) if o.blob_sha256]  # noqa: E731
    assert "sudah pernah terkirim" in questions[0] and len(documents()) == 1
    editor.confirm = lambda text: True
    act(qtbot, editor, editor.actions.send_document.click)
    again = documents()[-1]
    assert len(documents()) == 2 and again.resend_of_id == first and again.state == "queued"


def test_the_button_follows_the_request(ui_office):
    desk = ui_office.desk(ui_office.actor_for("sari"))
    rid = terbit_request(desk)
    detail, sop, me = desk.get_request(rid, record_view=False), ui_office.catalog.get("kk_hilang_rusak"), \
        ui_office.actor_for("sari")
    state = action_state(detail, sop, None, me)
    assert state.send_document and not state.send_document_reason and not state.send_again
    assert action_state(dc_replace(detail, applicant_phone=""), sop, None, me).send_document_reason == \
        "Nomor WhatsApp pemohon belum diisi."
    no_pdf = dc_replace(detail, attachments=[a for a in detail.attachments if a.role != "issued"])
    assert "Lampirkan dulu PDF" in action_state(no_pdf, sop, None, me).send_document_reason
    assert action_state(dc_replace(detail, status="terkirim"), sop, None, me).send_again
    assert not action_state(dc_replace(detail, status="diproses"), sop, None, me).send_document
    assert not action_state(detail, sop, None, ui_office.actor_for("budi")).send_document  # held by Sari
