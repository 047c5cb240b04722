"""The conversation tab (reply box, quick replies, marks, received files) and the outbox panel."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from dikjamila.desk import ConversationEntry, NewRequest
from dikjamila.whatsapp.outbox_state import OutboxState
from tests.ui.editor_support import act, idle, open_editor
from tests.ui.test_wa_support import TIMEOUT, shot, system_desk
from tests.whatsapp_support import incoming_event, incoming_files
from ui.editor.conversation import ConversationView
from ui.viewers.viewer_window import ViewerWindow
from ui.whatsapp.outbox_model import OutboxModel
from ui.whatsapp.outbox_panel import FILTERS, OutboxPanel


def request(ctx, phone="0812-3456-7890", name="Siti Aminah") -> int:
    rid = ctx.desk.create_request(NewRequest(service_code="kia", applicant_name=name, applicant_phone=phone)).id
    ctx.desk.claim(rid)
    return rid


def started(make_ctx, office, username="sari"):
    ctx = make_ctx(office, username)
    ctx.changes.start()
    return ctx


def test_a_typed_reply_is_queued_and_a_quick_reply_fills_the_box(qtbot, ui_office, make_ctx):
    ctx = started(make_ctx, ui_office)
    rid = request(ctx)
    editor = open_editor(qtbot, ctx, rid)
    tab = editor.conversation_tab
    editor.tabs.setCurrentWidget(tab)
    assert not tab.send.isEnabled()  # nothing typed yet
    assert "+62 812-3456-7890" in tab.hint.text()

    tab.reply.setPlainText("Mohon kirim foto KK yang jelas.")
    tab.reply.setFocus()
    act(qtbot, editor, lambda: qtbot.keyClick(tab.reply, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier))
    [item] = ctx.desk.outbox_for(rid)
    assert item.text == "Mohon kirim foto KK yang jelas." and item.state == "queued"
    assert tab.reply.toPlainText() == ""
    assert "🕓 dalam antrean" in editor.conversation.toPlainText()
    assert editor.tabs.tabText(1) == "Percakapan (1)"

    labels = [a.text() for a in tab.quick_menu.actions()]
    assert "Status permohonan" in labels and "Keterangan dokumen terbit" not in labels  # the caption is not a reply
    status = next(a for a in tab.quick_menu.actions() if a.text() == "Status permohonan")
    status.trigger()
    number = editor.detail.number
    qtbot.waitUntil(lambda: number in tab.reply.toPlainText(), timeout=TIMEOUT)
    text = tab.reply.toPlainText()
    assert "Siti Aminah" in text and "*Baru*" in text and "Kartu Identitas Anak" in text
    assert "{" not in text and tab.send.isEnabled()
    tab.reply.setPlainText(text.replace("Terima kasih.", "Terima kasih, Bu."))  # edited before sending
    act(qtbot, editor, tab.send.click)
    assert ctx.desk.outbox_for(rid)[-1].text.endswith("Terima kasih, Bu.\nDisdukcapil Kabupaten Balangan")
    shot(editor, "conversation-reply")


def test_marks_follow_the_outbox_state_with_the_error_as_tooltip(qtbot, ui_office, make_ctx):
    ctx = started(make_ctx, ui_office)
    rid = request(ctx)
    desk = ctx.desk
    states = {}
    for text, path in (("antre", []), ("gagal", ["sending", "failed"]), ("sampai", ["sending", "sent", "delivered"]),
                       ("dibaca", ["sending", "sent", "read"]), ("diserahkan", ["sending", "handed_over"])):
        item = desk.queue_message(rid, f"Pesan {text}")
        for state in path:
            desk.mark_outbox(item, state, error="nomor tidak terdaftar di WhatsApp" if state == "failed" else "")
        states[text] = item
    editor = open_editor(qtbot, ctx, rid)
    plain = editor.conversation.toPlainText()
    for mark in ("🕓 dalam antrean", "! gagal", "✓✓ sampai", "✓✓ dibaca", "↗ diserahkan ke WhatsApp"):
        assert mark in plain, mark
    page = editor.conversation.toHtml()
    assert "#0284c7" in page  # dibaca: the blue ticks
    assert editor.conversation.errors[states["gagal"]] == "nomor tidak terdaftar di WhatsApp"
    assert f"coba-lagi:{states['gagal']}" in page and f"kirim-lagi:{states['sampai']}" in page
    # The `title` becomes the mark's tool tip.
    doc = editor.conversation.document()
    tips = {fragment.charFormat().toolTip() for block in _blocks(doc) for fragment in _fragments(block)}
    assert "nomor tidak terdaftar di WhatsApp" in tips
    act(qtbot, editor, lambda: editor.conversation.anchorClicked.emit(QUrl(f"coba-lagi:{states['gagal']}")))
    assert desk.outbox_item(states["gagal"]).state == "queued"  # "Coba lagi" still works
    editor.tabs.setCurrentWidget(editor.conversation_tab)
    shot(editor, "conversation-marks")


def _blocks(doc):
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def _fragments(block):
    it = block.begin()
    while not it.atEnd():
        yield it.fragment()
        it += 1


def test_received_files_show_with_buka_and_their_note(qtbot, ui_office, make_ctx, tmp_path, monkeypatch):
    ctx = started(make_ctx, ui_office)
    rid = request(ctx)
    editor = open_editor(qtbot, ctx, rid)
    files = incoming_files(tmp_path / "unduhan")
    originals = {key: path.read_bytes() for key, path in files.items()}
    system = system_desk(ui_office)
    system.store_incoming(incoming_event("WA-1", "+6281234567890", text="Ini pesan suara saya", file=files["voice"],
                                         mime="audio/ogg"))
    system.store_incoming(incoming_event("WA-2", "+6281234567890", text="Surat pengantar", file=files["docx"],
                                         mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    system.store_incoming(incoming_event("WA-3", "+6281234567890", text="Foto KK", file=files["photo"],
                                         mime="image/jpeg", kind="image"))
    qtbot.waitUntil(lambda: editor.conversation.toPlainText().count("Buka") == 3, timeout=TIMEOUT)
    idle(qtbot, editor)
    plain = editor.conversation.toPlainText()
    assert "PTT-20261201-WA0001.opus (pesan suara)" in plain and "surat.docx (dokumen Word)" in plain
    assert "kk.jpg (foto)" in plain
    messages = {entry.file_name: entry for entry in ctx.desk.conversation(rid) if entry.message_id in editor.conversation.files}
    voice, docx = messages["PTT-20261201-WA0001.opus"], messages["surat.docx"]
    assert voice.file_note and voice.file_note in plain and docx.file_note in plain  # why not on the checklist
    assert not messages["kk.jpg"].file_note

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    editor.conversation.anchorClicked.emit(QUrl(f"buka:{voice.message_id}"))
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=TIMEOUT)
    assert opened[0].name == "PTT-20261201-WA0001.opus" and opened[0].read_bytes() == originals["voice"]
    editor.conversation.anchorClicked.emit(QUrl(f"buka:{docx.message_id}"))
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=TIMEOUT)
    assert opened[1].suffix == ".docx" and opened[1].read_bytes() == originals["docx"]
    assert opened[0].is_relative_to(ctx.scratch_dir())  # removed when the session ends

    editor.conversation.anchorClicked.emit(QUrl(f"buka:{messages['kk.jpg'].message_id}"))  # a photo: our own viewer
    qtbot.waitUntil(lambda: bool(editor.findChildren(ViewerWindow)), timeout=TIMEOUT)
    window = editor.findChildren(ViewerWindow)[0]
    assert window.kind() == "image" and window.title() == "kk.jpg"
    window.close()
    editor.tabs.setCurrentWidget(editor.conversation_tab)
    shot(editor, "conversation-files")


def _panel(qtbot, ctx) -> OutboxPanel:
    panel = OutboxPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.loads >= 1, timeout=TIMEOUT)
    return panel


def _after(qtbot, panel, action) -> None:
    loads = panel.loads
    action()
    qtbot.waitUntil(lambda: panel.loads > loads and panel.ctx.worker.pending == 0, timeout=TIMEOUT)


def test_the_outbox_panel_retries_cancels_marks_sent_and_pauses(qtbot, ui_office, make_ctx, monkeypatch, qtmodeltester):
    ctx = started(make_ctx, ui_office)
    desk = ctx.desk
    rid = request(ctx)
    failed = desk.queue_message(rid, "Mohon kirim foto KK.")
    desk.mark_outbox(failed, OutboxState.SENDING)
    desk.mark_outbox(failed, OutboxState.FAILED, error="tidak terhubung ke WhatsApp")
    uncertain = desk.queue_message(rid, "Berkas sudah kami terima.")
    desk.mark_outbox(uncertain, OutboxState.SENDING)
    desk.mark_outbox(uncertain, OutboxState.UNCERTAIN, error="tidak ada jawaban server")
    queued = desk.queue_message(rid, "Permohonan diproses.")
    sent = desk.queue_message(rid, "Dokumen terbit.")
    desk.mark_outbox(sent, OutboxState.SENDING)
    desk.mark_outbox(sent, OutboxState.SENT)
    panel = _panel(qtbot, ctx)
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == 4
    row = panel.model.row_of(failed)
    assert panel.model.index(row, 3).data() == "! gagal" and panel.model.index(row, 5).data() == "tidak terhubung ke WhatsApp"
    assert panel.model.index(row, 1).data() == "+62 812-3456-7890" and panel.model.index(row, 4).data() == "1"
    shot(panel, "outbox")

    panel.select_item(failed)
    assert panel.retry.isEnabled() and panel.cancel.isEnabled() and not panel.mark_sent.isEnabled()
    _after(qtbot, panel, panel.retry.click)
    assert desk.outbox_item(failed).state == "queued"

    panel.select_item(queued)
    _after(qtbot, panel, panel.cancel.click)
    assert desk.outbox_item(queued).state == "cancelled"
    panel.select_item(queued)
    assert panel.retry.isEnabled() and not panel.cancel.isEnabled()  # a cancelled one may go again

    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, buttons, default: asked.append(default) or QMessageBox.StandardButton.No)
    panel.select_item(uncertain)
    assert panel.mark_sent.isEnabled()
    panel.mark_sent.click()
    assert asked == [QMessageBox.StandardButton.No] and desk.outbox_item(uncertain).state == "uncertain"
    panel.confirm = lambda text: "sudah terkirim" in text
    _after(qtbot, panel, panel.mark_sent.click)
    info = desk.outbox_item(uncertain)
    assert info.state == "sent" and info.marked_sent_by == "sari"

    panel.select_item(sent)
    assert panel.retry.isEnabled() and panel.retry.toolTip().startswith("Kirim pesan yang sudah keluar")
    panel.confirm = lambda text: True
    _after(qtbot, panel, panel.retry.click)
    assert [o.resend_of_id for o in desk.outbox_for(rid)].count(sent) == 1  # "Kirim ulang" of a sent one: a new message

    assert not panel.pause.isChecked()
    _after(qtbot, panel, panel.pause.click)
    assert desk.sending_paused() and panel.pause.isChecked()
    _after(qtbot, panel, panel.pause.click)
    assert not desk.sending_paused()

    failed_only = next(i for i, (text, _s) in enumerate(FILTERS) if text == "Gagal")
    desk.mark_outbox(failed, OutboxState.SENDING)
    desk.mark_outbox(failed, OutboxState.FAILED, error="lagi")
    _after(qtbot, panel, lambda: panel.filter.setCurrentIndex(failed_only))
    assert [item.id for item in panel.model.items] == [failed]


def test_the_outbox_model_shows_documents_and_is_a_proper_model(qtmodeltester):
    model = OutboxModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == 6


def test_the_view_draws_files_marks_and_actions_from_the_entries_own_fields(qtbot):
    at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    entries = [
        # Two messages at the same time with the same text: each keeps its own file.
        ConversationEntry(at, "in", "Siti", "foto", "", True, message_id=7, file_name="kk.jpg", file_kind="image",
                          blob_sha256="a" * 64),
        ConversationEntry(at, "in", "Siti", "foto", "", True, message_id=8, file_name="ktp.jpg", file_kind="other",
                          file_note="Foto rusak, tidak bisa dibaca.", blob_sha256="b" * 64),
        ConversationEntry(at, "in", "Siti", "pesan suara", "", False, message_id=9,
                          file_name="PTT-1.opus", file_kind="other", file_note="Berkas tidak bisa diunduh: expired"),
        ConversationEntry(at, "out", "Disdukcapil", "Mohon kirim ulang", OutboxState.FAILED, False, 3,
                          last_error="nomor tidak terdaftar di WhatsApp"),
        ConversationEntry(at, "out", "Disdukcapil", "Dokumen terbit", OutboxState.READ, True, 4,
                          blob_sha256="c" * 64, document_name="KIA-Siti.pdf"),
        ConversationEntry(at, "out", "Disdukcapil", "Lampiran", OutboxState.QUEUED, True, 5, blob_sha256="d" * 64),
    ]
    view = ConversationView()
    qtbot.addWidget(view)
    view.set_lines(list(entries))
    plain, page = view.toPlainText(), view.toHtml()
    assert view.files == {7: ("a" * 64, "image", "kk.jpg"), 8: ("b" * 64, "other", "ktp.jpg")}
    assert "kk.jpg (foto)" in plain and "ktp.jpg (berkas)" in plain and "PTT-1.opus (pesan suara)" in plain
    assert plain.count("Buka") == 2  # the voice note was not kept: nothing to open, the reason instead
    assert "Foto rusak, tidak bisa dibaca." in plain and "Berkas tidak bisa diunduh: expired" in plain
    assert "! gagal" in plain and "✓✓ dibaca" in plain and "🕓 dalam antrean" in plain
    assert view.errors == {3: "nomor tidak terdaftar di WhatsApp"}
    tips = {fragment.charFormat().toolTip() for block in _blocks(view.document()) for fragment in _fragments(block)}
    assert "nomor tidak terdaftar di WhatsApp" in tips
    assert "coba-lagi:3" in page and "kirim-lagi:4" in page and "coba-lagi:5" not in page
    assert "📎 KIA-Siti.pdf" in plain and "📎 dokumen" in plain  # a document without a name

    opened, retried, resent = [], [], []
    view.open_file_requested.connect(lambda *a: opened.append(a))
    view.retry_requested.connect(retried.append)
    view.resend_requested.connect(resent.append)
    for link in ("buka:8", "buka:9", "coba-lagi:3", "kirim-lagi:4"):
        view.anchorClicked.emit(QUrl(link))
    assert opened == [("b" * 64, "other", "ktp.jpg")] and retried == [3] and resent == [4]


def test_a_message_that_joined_the_request_later_shows_its_file_without_extra_lookups(
        qtbot, ui_office, make_ctx, tmp_path, monkeypatch):
    ctx = started(make_ctx, ui_office)
    rid = request(ctx, phone="0813-5000-6666")
    files = incoming_files(tmp_path / "unduhan")
    event = incoming_event("WA-LID", "", text="Foto KK", file=files["photo"], mime="image/jpeg", kind="image")
    event["sender_lid"] = "777@lid"
    lid = system_desk(ui_office).store_incoming(event)  # no number: it waits in the unhandled list
    ctx.desk.set_sender_phone(lid.id, "0813 5000 6666")  # no "message.receive" on the request's history
    looked_up = []
    real = ctx.desk.incoming_message
    monkeypatch.setattr(ctx.desk, "incoming_message", lambda m: looked_up.append(m) or real(m))
    editor = open_editor(qtbot, ctx, rid)
    qtbot.waitUntil(lambda: "Buka" in editor.conversation.toPlainText(), timeout=TIMEOUT)
    assert "kk.jpg (foto)" in editor.conversation.toPlainText()
    assert editor.conversation.files == {lid.id: (lid.blob_sha256, "image", "kk.jpg")}
    assert looked_up == []  # the conversation entries carry the files


def test_a_received_message_becomes_a_complaint_in_one_click(qtbot, ui_office, make_ctx):
    ctx = started(make_ctx, ui_office)
    rid = request(ctx)
    editor = open_editor(qtbot, ctx, rid)
    system_desk(ui_office).store_incoming(incoming_event(
        "WA-ADU", "+6281234567890", text="Sudah seminggu KIA anak saya belum jadi, tolong dibantu"))
    qtbot.waitUntil(lambda: "Jadikan pengaduan" in editor.conversation.toPlainText(), timeout=TIMEOUT)
    message_id = next(e.message_id for e in ctx.desk.conversation(rid) if e.direction == "in")
    for _ in range(2):  # a double click makes one complaint
        act(qtbot, editor, lambda: editor.conversation.anchorClicked.emit(QUrl(f"pengaduan:{message_id}")))
    [complaint] = ctx.desk.complaints()
    assert complaint.message_id == message_id and complaint.request_id == rid and complaint.channel == "whatsapp"
    assert "seminggu" in complaint.text and f"Pengaduan #{complaint.id} dicatat" in editor.message_bar.text()
