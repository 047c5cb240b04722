"""The request editor against a real office (SQLite file, blob store) in a temp folder.

Dialogs are behind small methods on the editor (`choose_files`, `choose_issued_pdf`,
`ask_reject_reason`, `ask_override_reason`, `ask_note`, `edit_missing_message`, `confirm`)
that the tests replace. Drops are tested by sending a synthesized QDropEvent (with a
QMimeData holding file URLs) to a checklist row, and to the editor itself.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from dikjamila.audit import AuditRecord
from dikjamila.demo.paperwork import document_pdf, issued_document_pdf
from dikjamila.desk import NewRequest
from tests.support import copied_office, make_staffed_office
from ui.context import AppContext
from ui.editor import RequestEditor
from ui.editor.action_state import action_state
from ui.editor.dialogs import TextDialog
from ui.editor.checklist import FileRow
from ui.editor.facts_form import sop_fact_names
from ui.editor.fields import check_kk, check_nik, check_phone
from ui.editor.history import describe_event
from ui.worker import DbWorker

NIK = "6311054506900003"  # Lampihong, born 5 June 1990, perempuan
TIMEOUT = 10_000


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An office with its users, made once (argon2 is slow); each test copies it."""
    return make_staffed_office(tmp_path_factory.mktemp("editor") / "kantor", [
        ("admin", "Admin Kantor", "admin"), ("sari", "Sari Rahmawati", "operator"),
        ("budi", "Budi Santoso", "operator"), ("hasan", "Hasan Basri", "supervisor")])


@pytest.fixture
def office(tmp_path, template):
    with copied_office(template, tmp_path / "kantor") as office:
        yield office


@pytest.fixture
def contexts(office):
    made = []

    def make(username: str = "sari") -> AppContext:
        ctx = AppContext(office, office.actor_for(username), DbWorker())
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.worker.shutdown()


@pytest.fixture
def ctx(contexts):
    return contexts("sari")


def jpeg(colour=(200, 180, 150)) -> bytes:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((40, 40, 600, 440), outline=(20, 20, 20), width=4)
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def files(tmp_path):
    """Photo and PDF files on disk, as the operator would pick them."""
    folder = tmp_path / "unduhan"
    folder.mkdir()
    made = {}
    for i, name in enumerate(("surat-lahir.jpg", "buku-nikah.jpg", "KK.jpg", "lain.jpg", "baru.jpg")):
        made[name] = folder / name
        made[name].write_bytes(jpeg((200, 180 - 20 * i, 150)))
    made["sptjm.pdf"] = folder / "sptjm.pdf"
    made["sptjm.pdf"].write_bytes(document_pdf("SPTJM", holder="Siti Aminah", dated=date(2026, 1, 5)))
    made["catatan.txt"] = folder / "catatan.txt"
    made["catatan.txt"].write_text("bukan foto")
    return made


def create(ctx: AppContext, **overrides) -> int:
    values = dict(service_code="akta_kelahiran", applicant_name="Siti Aminah", applicant_phone="0812-3456-7890",
                  applicant_nik=NIK, subject_nik=NIK, kecamatan_code="63.11.05",
                  facts={"foundling": False, "applicant_is_subject": True})
    values.update(overrides)
    return ctx.desk.create_request(NewRequest(**values)).id


def open_editor(qtbot, ctx: AppContext, request_id: int) -> RequestEditor:
    editor = RequestEditor(ctx, request_id)
    qtbot.addWidget(editor)
    editor.resize(1366, 650)
    editor.show()
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=TIMEOUT)
    idle(qtbot, editor)
    return editor


def idle(qtbot, editor: RequestEditor) -> None:
    qtbot.waitUntil(lambda: editor.ctx.worker.pending == 0 and editor._busy == 0, timeout=TIMEOUT)


def act(qtbot, editor: RequestEditor, fn) -> None:
    """Run an action and wait for the reload that follows it."""
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        fn()
    idle(qtbot, editor)


def advance(qtbot, editor: RequestEditor, target: str) -> None:
    button = editor.actions.move_buttons[target]
    assert button.isEnabled(), button.toolTip()
    act(qtbot, editor, button.click)


def attach(qtbot, editor: RequestEditor, code: str, *paths) -> None:
    editor.choose_files = lambda: list(paths)
    act(qtbot, editor, editor.checklist.item_row(code).attach_button.click)


def drop(widget, paths) -> QDropEvent:
    """Drag files onto `widget` and drop them: a synthesized QDragEnterEvent, then QDropEvent.

    NOTE: Qt delivers a drop only to the widget that accepted the drag-enter (the drag
    manager's current target), so the enter event is needed, as in a real drag.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPointF(5, 5), *args)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(5, 5), *args)
    QApplication.sendEvent(widget, event)
    return event


# -- opening ------------------------------------------------------------------------------------
def test_opens_on_the_worker_and_shows_the_header(qtbot, ctx):
    rid = create(ctx)
    editor = RequestEditor(ctx, rid)
    qtbot.addWidget(editor)
    assert editor.detail is None  # nothing is read on the GUI thread
    with qtbot.waitSignals([editor.loaded, editor.title_changed], timeout=TIMEOUT):
        pass
    idle(qtbot, editor)
    detail = ctx.desk.get_request(rid, record_view=False)
    assert editor.request_id == rid
    assert editor.header.number.text() == detail.number
    assert editor.header.status.text() == "Baru"
    assert "Akta Kelahiran" in editor.header.details.text()
    assert "belum diambil" in editor.header.details.text()
    assert "Tenggat" in editor.header.due.text()
    assert editor.fields.edits["applicant_name"].text() == "Siti Aminah"
    assert editor.fields.edits["applicant_phone"].text() == "+62 812-3456-7890"
    assert editor.service.currentData() == "akta_kelahiran"
    assert "Belum lengkap: 3 berkas kurang" in editor.checklist.banner_text()
    assert [a.action for a in ctx.desk.history(rid)].count("request.view") == 1  # opening is audited once


def test_fits_1366_by_650_without_a_horizontal_scrollbar(qtbot, ctx):
    editor = open_editor(qtbot, ctx, create(ctx))
    qtbot.wait(50)
    assert not editor.scroll.horizontalScrollBar().isVisible()
    assert editor.minimumSizeHint().width() <= 1366
    assert editor.minimumSizeHint().height() <= 650


# -- fields ---------------------------------------------------------------------------------------
def test_nik_is_checked_live_and_save_waits_for_a_valid_form(qtbot, ctx):
    rid = create(ctx, applicant_nik="", subject_nik="")
    editor = open_editor(qtbot, ctx, rid)
    nik = editor.fields.edits["applicant_nik"]
    nik.setText("63110545069")
    assert "NIK harus 16 angka" in editor.fields.message("applicant_nik")
    assert not editor.actions.save.isEnabled()
    assert "NIK pemohon" in editor.actions.save.toolTip()
    nik.setText(NIK)
    assert "harus 16 angka" not in editor.fields.message("applicant_nik")
    assert editor.fields.verdict("applicant_nik").valid
    assert editor.actions.save.isEnabled()
    assert editor.actions.save.text() == "Simpan*"


def test_ascii_typing_is_validated_as_you_type(qtbot, ctx):
    editor = open_editor(qtbot, ctx, create(ctx))
    phone = editor.fields.edits["applicant_phone"]
    phone.clear()
    qtbot.keyClicks(phone, "0812-34")
    assert "terlalu pendek" in editor.fields.message("applicant_phone")
    qtbot.keyClicks(phone, "56-7890")
    assert editor.fields.message("applicant_phone") == ""
    kk = editor.fields.edits["kk_number"]
    qtbot.keyClicks(kk, "63110512")
    assert "Nomor KK harus 16 angka" in editor.fields.message("kk_number")


def test_save_persists_changed_fields(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    f = editor.fields
    f.edits["applicant_name"].setText("Siti  Aminah Rahmah")
    f.edits["subject_name"].setText("Muhammad Rizky")
    f.edits["kk_number"].setText("6311 0501 0120 0001")
    f.kecamatan.setCurrentIndex(f.kecamatan.findData("63.11.05"))
    f.village.setCurrentIndex(1)
    village = f.village.currentData()
    assert editor.has_unsaved_changes()
    act(qtbot, editor, editor.actions.save.click)
    stored = ctx.desk.get_request(rid, record_view=False)
    assert stored.applicant_name == "Siti Aminah Rahmah"
    assert stored.subject_name == "Muhammad Rizky"
    assert stored.kk_number == "6311050101200001"
    assert stored.village_code == village
    assert not editor.has_unsaved_changes()
    assert editor.message_bar.text() == "Perubahan disimpan."


def test_subject_nik_is_cross_checked_with_the_birth_date_fact(qtbot, ctx):
    rid = create(ctx, service_code="ktp_baru", facts={"subject_birth_date": "1990-06-05"})
    editor = open_editor(qtbot, ctx, rid)
    assert "subject_birth_date" in editor.facts.names()
    assert editor.fields.message("subject_nik").startswith("Lahir 5 Juni 1990")
    editor.facts.fields["subject_birth_date"].set_value(date(1991, 6, 5))
    message = editor.fields.message("subject_nik")
    assert "berbeda dengan tanggal lahir yang diisi" in message
    assert editor.fields.messages["subject_nik"].styleSheet().endswith("#b45309;")  # amber: a warning
    assert editor.fields.is_valid()  # a warning does not block saving


def test_stale_save_shows_the_conflict_and_offers_a_reload(qtbot, ctx, office):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    other = office.desk(office.actor_for("budi"))
    version = other.get_request(rid, record_view=False).row_version
    other.update_request(rid, version, {"subject_name": "Dari Budi"})
    editor.fields.edits["applicant_name"].setText("Siti Aminah Baru")
    editor.save()
    qtbot.waitUntil(lambda: "sudah diubah orang lain" in editor.message_bar.text(), timeout=TIMEOUT)
    assert editor.message_bar.action.isVisible() and editor.message_bar.action.text() == "Muat ulang"
    assert ctx.desk.get_request(rid, record_view=False).applicant_name == "Siti Aminah"
    act(qtbot, editor, editor.message_bar.action.click)
    assert editor.fields.edits["subject_name"].text() == "Dari Budi"
    assert editor.fields.edits["applicant_name"].text() == "Siti Aminah"


def test_a_second_save_while_saving_is_ignored_not_a_false_conflict(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    editor.fields.edits["subject_name"].setText("Muhammad Rizky")
    with qtbot.waitSignal(editor.loaded, timeout=TIMEOUT):
        editor.save()
        editor.save()  # Ctrl+S pressed again before the first save came back
    idle(qtbot, editor)
    assert editor.message_bar.text() == "Perubahan disimpan."
    assert ctx.desk.get_request(rid, record_view=False).subject_name == "Muhammad Rizky"


# -- service and facts ----------------------------------------------------------------------------------
def test_facts_form_lists_the_facts_the_sop_uses(office):
    assert sop_fact_names(office.catalog.get("akta_kelahiran")) == ["applicant_is_subject", "foundling"]
    # a derived number is asked as the date it comes from
    assert sop_fact_names(office.catalog.get("ktp_baru")) == [
        "subject_birth_date", "marital_status", "applicant_is_subject"]


def test_saving_a_fact_reruns_the_checklist(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    assert editor.checklist.item_row("laporan_polisi").item.state == "not_applicable"
    foundling = editor.facts.fields["foundling"]
    foundling.set_value(True)
    assert editor.facts.changes() == {"foundling": True}
    act(qtbot, editor, editor.save)
    assert ctx.desk.get_request(rid, record_view=False).facts["foundling"] is True
    assert editor.checklist.item_row("laporan_polisi").item.state == "missing"


def test_unknown_fact_shows_belum_diisi_and_is_marked(qtbot, ctx):
    rid = create(ctx, service_code="ktp_baru", facts={})
    editor = open_editor(qtbot, ctx, rid)
    field = editor.facts.fields["subject_birth_date"]
    assert field.value() is None and field.edit.text() == "belum diisi"
    assert editor.facts._hints["subject_birth_date"].isVisible()
    assert editor.checklist.item_row("umur_atau_kawin").item.state == "missing"


def test_changing_the_service_saves_it_and_rechecks(qtbot, ctx):
    rid = create(ctx)
    editor = open_editor(qtbot, ctx, rid)
    index = editor.service.findData("kk_hilang_rusak")
    editor.service.setCurrentIndex(index)
    act(qtbot, editor, lambda: editor.service.activated.emit(index))
    assert ctx.desk.get_request(rid, record_view=False).service_code == "kk_hilang_rusak"
    assert "Kartu Keluarga" in editor.header.details.text()
    assert "surat_kelahiran" not in editor.checklist.rows


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
    with qtbot.waitSignal(ctx.bus.request_changed, timeout=TIMEOUT) as announced:
        act(qtbot, editor, editor.actions.claim.click)
    assert announced.args == [rid]
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


def ctx_status(ctx, rid) -> str:
    return ctx.desk.get_request(rid, record_view=False).status


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


def test_a_change_elsewhere_reloads_the_editor_and_keeps_typing(qtbot, ctx, office):
    rid = create(ctx, applicant_nik="")
    editor = open_editor(qtbot, ctx, rid)
    editor.fields.edits["applicant_nik"].setText("631105")  # half typed, invalid
    editor.fields.edits["subject_name"].setText("Muhammad Rizky")
    assert editor.has_unsaved_changes()
    other = office.desk(office.actor_for("budi"))
    other.update_request(rid, other.get_request(rid, record_view=False).row_version, {"kk_number": "6311050101200001"})
    act(qtbot, editor, lambda: ctx.bus.request_changed.emit(rid))
    assert editor.fields.edits["kk_number"].text() == "6311050101200001"
    assert editor.fields.edits["applicant_nik"].text() == "631105"
    assert editor.fields.edits["subject_name"].text() == "Muhammad Rizky"


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


# -- pure parts -------------------------------------------------------------------------------------
def test_field_checks():
    assert check_nik("").valid and check_nik("").message == ""
    assert "16 angka" in check_nik("123").message and not check_nik("123").valid
    assert check_nik("6311 0545 0690 0003").value == NIK
    assert check_phone("0812-3456-7890").value == "+6281234567890"
    assert check_phone("").level == "warning"
    assert not check_kk("6311050101200000").valid


def test_history_descriptions():
    def rec(action, **summary):
        return AuditRecord(1, None, "sari", action, "request", "1", summary)

    assert describe_event(rec("request.create")) == "Permohonan dibuat"
    assert describe_event(rec("request.view")) == "Dibuka"
    assert describe_event(rec("request.advance", **{"from": "diperiksa", "to": "diproses"})) == \
        "Status: Diperiksa → Diproses"
    assert describe_event(rec("attachment.add", name="KTP.jpg")) == "Berkas ditambahkan: KTP.jpg"
    assert describe_event(rec("attachment.add", name="a.pdf", role="issued")) == "Dokumen terbit dilampirkan: a.pdf"
    assert describe_event(rec("request.update", applicant_nik=["a", "b"])) == "Data diubah: NIK pemohon"
    assert describe_event(rec("request.reject", reason="Ganda")) == "Ditolak: Ganda"
    assert describe_event(rec("outbox.queue", purpose="berkas_kurang")) == \
        "Pesan WhatsApp diantrekan (berkas kurang)"


def test_action_state_for_a_closed_request(office):
    from dataclasses import replace as dc_replace
    desk = office.desk(office.actor_for("admin"))
    detail = desk.create_request(NewRequest(service_code="kia", applicant_name="Ani"))
    closed = dc_replace(detail, status="selesai")
    state = action_state(closed, office.catalog.get("kia"), None, office.actor_for("admin"))
    assert not state.editable and state.moves == [] and "selesai" in state.read_only_reason
