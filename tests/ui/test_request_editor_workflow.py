"""The request editor: checklist and files, drops, claim, reject, override, messages, notes, history."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox, QLabel

from dikjamila.demo.paperwork import issued_document_pdf
from tests.ui.editor_support import (  # noqa: F401  (fixtures are used by name)
    NIK,
    TIMEOUT,
    act,
    advance,
    attach,
    contexts,
    create,
    ctx,
    ctx_status,
    drop,
    files,
    idle,
    jpeg,
    office,
    open_editor,
    template,
)
from ui.editor import RequestEditor
from ui.editor.checklist_rows import FileRow
from ui.editor.dialogs import TextDialog


# -- checklist, files, workflow ------------------------------------------------------------------------
def test_attach_completes_the_checklist_then_diproses_terbit_terkirim(qtbot, ctx, files, tmp_path):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    assert list(editor.actions.move_buttons) == ["diperiksa"]
    advance(qtbot, editor, "diperiksa")
    assert editor.header.status.text() == "Diperiksa"
    diproses = editor.actions.move_buttons["diproses"]
    assert not diproses.isEnabled()
    assert diproses.toolTip().startswith("Berkas belum lengkap")
    assert editor.actions.blocker.isVisible() and "Berkas belum lengkap" in editor.actions.blocker.text()

    attach(qtbot, editor, "surat_kelahiran", files["surat-lahir.jpg"])
    attach(qtbot, editor, "bukti_perkawinan_ortu", files["buku-nikah.jpg"])
    assert "Belum lengkap: 1 berkas kurang" in editor.checklist.banner_text()
    assert not editor.actions.move_buttons["diproses"].isEnabled()
    attach(qtbot, editor, "kk", files["KK.jpg"])
    assert "Berkas lengkap" in editor.checklist.banner_text()
    row = editor.checklist.item_row("kk")
    assert row.item.state == "ok" and [r.name.full_text() for r in row.file_rows] == ["KK.jpg"]
    assert editor.preview.kind() == "image"  # the file just added is shown
    assert editor.actions.move_buttons["diproses"].isEnabled()
    assert not editor.actions.blocker.isVisible()
    advance(qtbot, editor, "diproses")

    terbit = editor.actions.move_buttons["terbit"]
    assert not terbit.isEnabled() and "PDF" in terbit.toolTip()
    assert editor.actions.issued.isVisible()
    detail = editor.detail
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(issued_document_pdf("Akta Kelahiran", holder="Muhammad Rizky", nik=NIK,
                                        number=detail.number, issued_on=date(2026, 1, 5)))
    editor.choose_issued_pdf = lambda: pdf
    act(qtbot, editor, editor.actions.issued.click)
    qtbot.waitUntil(lambda: editor.preview.kind() == "pdf", timeout=TIMEOUT)
    assert editor.preview.title() == "akta.pdf"
    advance(qtbot, editor, "terbit")
    advance(qtbot, editor, "terkirim")
    assert ctx.desk.get_request(rid, record_view=False).status == "terkirim"
    assert list(editor.actions.move_buttons) == ["selesai"]


def test_group_alternatives_are_explained(qtbot, ctx, files):
    editor = open_editor(qtbot, ctx, create(ctx))
    texts = [label.text() for label in editor.checklist.findChildren(QLabel)]
    assert "Bukti kelahiran — cukup salah satu pilihan:" in texts
    assert "— atau —" in texts
    attach(qtbot, editor, "surat_kelahiran", files["surat-lahir.jpg"])
    assert editor.checklist.item_row("sptjm_kelahiran").reason.text() == "tidak perlu: pilihan lain sudah dipenuhi"


def test_replace_unlink_and_link_files(qtbot, ctx, files):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    attach(qtbot, editor, "kk", files["KK.jpg"])
    old = editor.checklist.item_row("kk").file_rows[0].attachment
    editor.choose_files = lambda: [files["baru.jpg"]]
    act(qtbot, editor, lambda: editor.checklist.replace_requested.emit(old.id, "kk"))
    names = [(a.original_name, a.requirement_code) for a in ctx.desk.get_request(rid, record_view=False).attachments]
    assert names == [("baru.jpg", "kk")]
    new = editor.checklist.item_row("kk").file_rows[0].attachment
    act(qtbot, editor, lambda: editor.checklist.unlink_requested.emit(new.id))
    assert ctx.desk.get_request(rid, record_view=False).attachments[0].requirement_code is None
    assert editor.checklist.item_row("kk").file_rows == []
    unlinked = [r for r in editor.checklist.findChildren(FileRow) if hasattr(r, "link")]
    assert [r.attachment.id for r in unlinked] == [new.id]
    combo = unlinked[0].link
    index = combo.findData("kk")
    act(qtbot, editor, lambda: combo.activated.emit(index))
    assert ctx.desk.get_request(rid, record_view=False).attachments[0].requirement_code == "kk"


def test_remove_asks_first(qtbot, ctx, files):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    editor.attach_files(None, [(files["lain.jpg"], "lain.jpg")])
    qtbot.waitUntil(lambda: len(editor.detail.attachments) == 1, timeout=TIMEOUT)
    idle(qtbot, editor)
    att = editor.detail.attachments[0]
    editor.confirm = lambda text: False
    editor.remove_file(att.id)
    idle(qtbot, editor)
    assert len(ctx.desk.get_request(rid, record_view=False).attachments) == 1
    editor.confirm = lambda text: "lain.jpg" in text
    act(qtbot, editor, lambda: editor.remove_file(att.id))
    assert ctx.desk.get_request(rid, record_view=False).attachments == []


def test_drop_on_a_requirement_attaches_to_it_and_elsewhere_unlinked(qtbot, ctx, files):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    row = editor.checklist.item_row("bukti_perkawinan_ortu")
    assert row.acceptDrops()
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        event = drop(row, [files["buku-nikah.jpg"]])
    assert event.isAccepted()
    idle(qtbot, editor)
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        drop(editor, [files["sptjm.pdf"]])
    idle(qtbot, editor)
    stored = {a.original_name: a.requirement_code for a in ctx.desk.get_request(rid, record_view=False).attachments}
    assert stored == {"buku-nikah.jpg": "bukti_perkawinan_ortu", "sptjm.pdf": None}
    assert editor.checklist.item_row("bukti_perkawinan_ortu").item.state == "ok"
    assert "Belum dikaitkan (1)" in [l.text() for l in editor.checklist.findChildren(QLabel)]


def test_a_refused_file_is_shown_in_the_message_bar(qtbot, ctx, files):
    editor = open_editor(qtbot, ctx, create(ctx))
    attach(qtbot, editor, "kk", files["catatan.txt"])
    assert "bukan PDF atau foto" in editor.message_bar.text()
    assert editor.message_bar.level == "error"
    assert editor.checklist.item_row("kk").item.state == "missing"


def test_claim_conflict_names_the_holder(qtbot, contexts, office):
    sari = contexts("sari")
    rid = create(sari)
    editor = open_editor(qtbot, sari, rid)
    assert editor.actions.claim.isVisible()
    office.desk(office.actor_for("budi")).claim(rid)
    editor.claim()
    qtbot.waitUntil(lambda: "sudah diambil oleh Budi Santoso" in editor.message_bar.text(), timeout=TIMEOUT)
    idle(qtbot, editor)
    assert "Sedang ditangani oleh Budi Santoso" in editor.actions.blocker.text()
    assert editor.fields.edits["applicant_name"].isReadOnly()
    assert not editor.actions.save.isVisible()


def test_claim_and_release(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    with qtbot.waitSignal(ctx.bus.data_changed, timeout=TIMEOUT,
                          check_params_cb=lambda changes: rid in changes.ids("request")):
        act(qtbot, editor, editor.actions.claim.click)  # other views are told at once
    assert "Sari Rahmawati" in editor.header.details.text()
    assert not editor.actions.claim.isVisible() and editor.actions.release.isVisible()
    act(qtbot, editor, editor.actions.release.click)
    assert ctx.desk.get_request(rid, record_view=False).assignee_id is None


def test_reject_needs_a_reason(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    editor.ask_reject_reason = lambda: None  # cancelled
    editor.actions.reject.click()
    editor.ask_reject_reason = lambda: "tdk"
    editor.actions.reject.click()
    assert "Alasan penolakan wajib diisi" in editor.message_bar.text()
    idle(qtbot, editor)
    assert ctx.desk.get_request(rid, record_view=False).status == "baru"
    editor.ask_reject_reason = lambda: "Bukan penduduk Kabupaten Balangan."
    act(qtbot, editor, editor.actions.reject.click)
    stored = ctx.desk.get_request(rid, record_view=False)
    assert stored.status == "ditolak" and stored.reject_reason == "Bukan penduduk Kabupaten Balangan."
    assert "Ditolak" == editor.header.status.text()
    assert "Alasan penolakan: Bukan penduduk" in editor.actions.blocker.text()
    assert not editor.actions.reject.isVisible() and editor.actions.move_buttons == {}


def test_reason_dialog_ok_waits_for_five_characters(qtbot):
    dialog = TextDialog(None, title="Tolak", prompt="Alasan", min_length=5, ok_text="Tolak")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.edit, "abcd")
    assert not ok.isEnabled() and "5 karakter" in dialog.hint.text()
    qtbot.keyClicks(dialog.edit, "e")
    assert ok.isEnabled()


def test_supervisor_overrides_an_incomplete_checklist_with_a_reason(qtbot, contexts):
    hasan = contexts("hasan")
    rid = create(hasan)
    editor = open_editor(qtbot, hasan, rid)
    advance(qtbot, editor, "diperiksa")
    assert not editor.actions.move_buttons["diproses"].isEnabled()
    assert editor.actions.override.isVisible()
    editor.ask_override_reason = lambda: "Dokumen asli sudah dilihat di loket."
    act(qtbot, editor, editor.actions.override.click)
    assert ctx_status(hasan, rid) == "diproses"
    editor.tabs.setCurrentWidget(editor.history)
    assert any("pengecualian: Dokumen asli" in d for d in editor.history.descriptions())



def test_operator_cannot_override(qtbot, ctx):
    editor = open_editor(qtbot, ctx, create(ctx))
    advance(qtbot, editor, "diperiksa")
    assert not editor.actions.override.isVisible()


def test_send_missing_message_queues_the_edited_text_and_marks_berkas_kurang(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    advance(qtbot, editor, "diperiksa")
    seen = {}

    def edit(text, can_mark):
        seen.update(text=text, can_mark=can_mark)
        return text + "\nTerima kasih.", True

    editor.edit_missing_message = edit
    act(qtbot, editor, editor.actions.message.click)
    assert "Akta Kelahiran" in seen["text"] and seen["can_mark"]
    assert ctx_status(ctx, rid) == "berkas_kurang"
    sent = ctx.desk.conversation(rid)
    assert len(sent) == 1 and sent[0].text.endswith("Terima kasih.") and sent[0].state == "queued"
    assert editor.tabs.tabText(1) == "Percakapan (1)"
    assert "Terima kasih." in editor.conversation.toPlainText()


def test_notes(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    editor.ask_note = lambda: "Pemohon akan datang besok."
    act(qtbot, editor, editor.actions.note.click)
    assert editor.tabs.tabText(3) == "Catatan (1)"
    assert "Pemohon akan datang besok." in editor.notes.browser.toPlainText()
    assert "Sari Rahmawati" in editor.notes.browser.toPlainText()


def test_history_tab_lists_the_steps(qtbot, ctx, files):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    advance(qtbot, editor, "diperiksa")
    attach(qtbot, editor, "kk", files["KK.jpg"])
    steps = editor.history.descriptions()
    assert steps[0] == "Permohonan dibuat"
    assert "Dibuka" in steps
    assert "Status: Baru → Diperiksa" in steps
    assert "Berkas ditambahkan: KK.jpg (untuk KK tempat anak akan dicatat)" in steps
    times = [editor.history.item(r, 0).text() for r in range(editor.history.rowCount())]
    assert all(len(t) == 16 and t[2] == "-" and t[5] == "-" for t in times)  # dd-mm-yyyy HH:MM
    assert editor.history.item(0, 1).text() == "Sari Rahmawati"


def test_a_change_elsewhere_reloads_a_clean_editor_by_itself(qtbot, ctx, office):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    other = office.desk(office.actor_for("budi"))  # another workstation on the same database
    other.update_request(rid, other.get_request(rid, record_view=False).row_version, {"kk_number": "6311050101200001"})
    qtbot.waitUntil(lambda: editor.fields.edits["kk_number"].text() == "6311050101200001", timeout=3000)
    assert not editor.changed_elsewhere


def test_a_change_elsewhere_keeps_typing_and_shows_a_banner(qtbot, ctx, office):
    rid = create(ctx, applicant_nik="")
    editor = open_editor(qtbot, ctx, rid)
    editor.fields.edits["applicant_nik"].setText("631105")  # half typed, invalid
    editor.fields.edits["subject_name"].setText("Muhammad Rizky")
    assert editor.has_unsaved_changes()
    other = office.desk(office.actor_for("budi"))
    other.update_request(rid, other.get_request(rid, record_view=False).row_version, {"kk_number": "6311050101200001"})
    qtbot.waitUntil(lambda: "diubah di komputer lain" in editor.message_bar.text(), timeout=3000)
    assert editor.changed_elsewhere and editor.message_bar.action.text() == "Muat ulang"
    # Nothing typed is lost, and the form was not swapped under the operator's hands.
    assert editor.fields.edits["applicant_nik"].text() == "631105"
    assert editor.fields.edits["subject_name"].text() == "Muhammad Rizky"
    assert editor.fields.edits["kk_number"].text() == ""
    act(qtbot, editor, editor.message_bar.action.click)  # the operator chooses to reload
    assert editor.fields.edits["kk_number"].text() == "6311050101200001"
    assert not editor.changed_elsewhere and not editor.has_unsaved_changes()


def test_the_editors_own_save_does_not_raise_the_banner(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    editor.fields.edits["subject_name"].setText("Muhammad Rizky")
    act(qtbot, editor, editor.save)
    polls = ctx.changes.polls
    editor.fields.edits["subject_name"].setText("Muhammad Rizky Ananda")  # typing again at once
    qtbot.waitUntil(lambda: ctx.changes.polls >= polls + 2, timeout=TIMEOUT)
    assert not editor.changed_elsewhere
    assert "diubah di komputer lain" not in editor.message_bar.text()


def test_closing_with_a_job_in_flight_does_not_crash(qtbot, ctx):
    editor = RequestEditor(ctx, create(ctx))
    editor.deleteLater()
    qtbot.wait(10)
    qtbot.waitUntil(lambda: ctx.worker.pending == 0, timeout=TIMEOUT)


def test_unknown_request_shows_an_error_inline(qtbot, ctx):
    editor = RequestEditor(ctx, 9999)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: "tidak ditemukan" in editor.message_bar.text(), timeout=TIMEOUT)
    assert editor.message_bar.action.text() == "Coba lagi"


def test_coba_lagi_and_kirim_lagi_from_the_conversation(qtbot, ctx):
    from PySide6.QtCore import QUrl

    from dikjamila.whatsapp.outbox_state import OutboxState

    rid = create(ctx)
    ctx.desk.claim(rid)
    failed = ctx.desk.queue_message(rid, "Mohon kirim foto KK.")
    ctx.desk.mark_outbox(failed, OutboxState.SENDING)
    ctx.desk.mark_outbox(failed, OutboxState.FAILED, error="tidak terhubung")
    sent = ctx.desk.queue_message(rid, "Akta sudah terbit.")
    ctx.desk.mark_outbox(sent, OutboxState.SENDING)
    ctx.desk.mark_outbox(sent, OutboxState.SENT)
    editor = open_editor(qtbot, ctx, rid)
    shown = editor.conversation.toHtml()
    assert f"coba-lagi:{failed}" in shown and f"kirim-lagi:{sent}" in shown
    assert "gagal" in editor.conversation.toPlainText()
    act(qtbot, editor, lambda: editor.conversation.anchorClicked.emit(QUrl(f"coba-lagi:{failed}")))
    assert ctx.desk.outbox_item(failed).state == "queued"
    editor.confirm = lambda _text: True
    act(qtbot, editor, lambda: editor.conversation.anchorClicked.emit(QUrl(f"kirim-lagi:{sent}")))
    out = [e for e in ctx.desk.conversation(rid) if e.direction == "out"]
    assert len(out) == 3 and out[-1].state == "queued" and out[-1].text == "Akta sudah terbit."
    assert "dalam antrean" in editor.conversation.toPlainText()
