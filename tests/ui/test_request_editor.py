"""The request editor: opening, fields with live checks, service and facts, pure parts."""

from __future__ import annotations

from datetime import date

from dikjamila.audit import AuditRecord
from dikjamila.desk import NewRequest
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
from ui.editor.action_state import action_state
from ui.editor.facts_form import sop_fact_names
from ui.editor.fields import check_kk, check_nik, check_phone
from ui.editor.history import describe_event


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
