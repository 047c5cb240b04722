"""Claiming, editing with row versions, lifecycle guards, rejection, notes, audit of each change."""

from __future__ import annotations

import pytest

from dikjamila.errors import Conflict, InvalidInput, NotFound, PermissionDenied

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


@pytest.fixture
def desks(staffed_office, staff):
    return {name: staffed_office.desk(actor) for name, actor in staff.items()}


@pytest.fixture
def request_id(desks):
    return desks["sari"].create_request(new_request()).id


def test_created_request_has_number_due_time_and_clean_fields(desks, request_id):
    d = desks["sari"].get_request(request_id)
    assert d.number.startswith("BLG-") and d.number.endswith("-0001")
    assert d.applicant_phone == "+6281234567890"
    assert d.status == "baru" and d.row_version == 1
    assert d.due_at > d.received_at
    second = desks["budi"].create_request(new_request(applicant_name="Ahmad"))
    assert second.number.endswith("-0002") and second.id > d.id


@pytest.mark.parametrize("field, value, message", [
    ("applicant_nik", "6311051234", "16 angka"),
    ("applicant_phone", "12345", "Nomor HP"),
    ("applicant_name", "   ", "Nama pemohon"),
    ("service_code", "sim_keliling", ""),
    ("village_code", "63.11.01.9999", ""),
    ("channel", "telegram", "Saluran"),
])
def test_bad_input_is_refused_and_nothing_is_stored(desks, field, value, message):
    desk = desks["sari"]
    with pytest.raises((InvalidInput, NotFound)) as err:
        desk.create_request(new_request(**{field: value}))
    assert message in err.value.message
    assert desk.count() == 0


def test_of_two_operators_claiming_one_wins_and_the_other_is_told_who(desks, request_id):
    desks["sari"].claim(request_id)
    with pytest.raises(Conflict, match="Sari Operator"):
        desks["budi"].claim(request_id)
    assert desks["budi"].get_request(request_id).assignee_name == "Sari Operator"


def test_work_on_a_request_held_by_someone_else_is_refused_but_a_supervisor_may(desks, request_id):
    desks["sari"].claim(request_id)
    v = desks["budi"].get_request(request_id).row_version
    with pytest.raises(Conflict, match="ditangani oleh Sari"):
        desks["budi"].update_request(request_id, v, {"subject_name": "Bayi"})
    assert desks["sari"].get_request(request_id, record_view=False).subject_name != "Bayi"
    desks["hasan"].update_request(request_id, v, {"subject_name": "Bayi"})
    stored = desks["sari"].get_request(request_id, record_view=False)  # read back, as the holder sees it
    assert stored.subject_name == "Bayi" and stored.row_version == v + 1
    assert stored.assignee_name == "Sari Operator"  # an edit is not a take-over
    event = [e for e in desks["sari"].history(request_id) if e.action == "request.update"][-1]
    assert event.actor_name == "hasan" and event.summary["subject_name"][1] == "Bayi"


def test_a_stale_update_is_refused_not_overwritten(desks, request_id):
    first = desks["sari"].get_request(request_id)
    desks["sari"].update_request(request_id, first.row_version, {"subject_name": "Muhammad Rizky"})
    with pytest.raises(Conflict, match="diubah orang lain"):
        desks["sari"].update_request(request_id, first.row_version, {"subject_name": "Nama Lain"})
    assert desks["sari"].get_request(request_id).subject_name == "Muhammad Rizky"


def test_update_validates_and_records_the_change(desks, request_id):
    desk = desks["sari"]
    v = desk.get_request(request_id).row_version
    with pytest.raises(InvalidInput, match="NIK"):
        desk.update_request(request_id, v, {"subject_nik": "6311053213990001"})  # day 32
    d = desk.update_request(request_id, v, {"applicant_phone": "+62 852-1234-5678",
                                            "facts": {"applicant_is_subject": True}})
    assert d.applicant_phone == "+6285212345678" and d.facts["applicant_is_subject"] is True
    assert d.row_version == v + 1
    event = [e for e in desk.history(request_id) if e.action == "request.update"][-1]
    assert event.summary["applicant_phone"] == ["+6281234567890", "+6285212345678"]


def test_lifecycle_moves_only_along_allowed_edges(desks, request_id):
    desk = desks["sari"]
    with pytest.raises(Conflict, match="Pilihan: Diperiksa"):
        desk.advance(request_id, "terbit")
    desk.advance(request_id, "diperiksa")
    desk.advance(request_id, "berkas_kurang")
    desk.advance(request_id, "diperiksa")
    with pytest.raises(Conflict, match="Berkas belum lengkap"):
        desk.advance(request_id, "diproses")
    assert desk.get_request(request_id).status == "diperiksa"


def test_incomplete_checklist_needs_a_supervisor_override_with_a_reason(desks, request_id):
    desks["sari"].advance(request_id, "diperiksa")
    with pytest.raises(PermissionDenied):
        desks["sari"].advance(request_id, "diproses", override_reason="Kepala dinas setuju")
    with pytest.raises(InvalidInput):
        desks["hasan"].advance(request_id, "diproses", override_reason="ok")
    d = desks["hasan"].advance(request_id, "diproses", override_reason="Berkas asli dilihat langsung")
    assert d.status == "diproses"
    event = [e for e in desks["hasan"].history(request_id) if e.action == "request.advance"][-1]
    assert event.summary["override"] == "Berkas asli dilihat langsung"


def test_reject_needs_a_reason_and_closes_the_request(desks, request_id):
    desk = desks["sari"]
    with pytest.raises(InvalidInput, match="Alasan"):
        desk.reject(request_id, "  ")
    d = desk.reject(request_id, "Bukan warga Kabupaten Balangan")
    assert d.status == "ditolak" and d.closed_at is not None
    assert d.reject_reason == "Bukan warga Kabupaten Balangan"
    with pytest.raises(Conflict):
        desk.advance(request_id, "diperiksa")
    with pytest.raises(Conflict):
        desks["budi"].claim(request_id)


def test_notes_are_kept_with_author(desks, request_id):
    desks["sari"].add_note(request_id, "Pemohon minta dihubungi sore hari.")
    with pytest.raises(InvalidInput):
        desks["sari"].add_note(request_id, "   ")
    notes = desks["budi"].get_request(request_id).notes
    assert [(n.author_name, n.body) for n in notes] == [("Sari Operator", "Pemohon minta dihubungi sore hari.")]


def test_every_change_writes_an_audit_event(desks, request_id):
    desk = desks["sari"]
    desk.claim(request_id)
    desk.add_note(request_id, "catatan")
    desk.advance(request_id, "diperiksa")
    desk.reject(request_id, "Data tidak sesuai")
    desk.get_request(request_id)
    actions = [e.action for e in desk.history(request_id)]
    for expected in ("request.create", "request.claim", "request.note", "request.advance", "request.reject"):
        assert expected in actions
    assert all(e.actor_name == "sari" for e in desk.history(request_id) if e.action != "request.view")
    # Personal data shown is recorded too.
    assert "request.view" in actions


def test_permissions_are_enforced_by_the_desk(staffed_office, desks, request_id, staff):
    office = staffed_office
    with pytest.raises(PermissionDenied):
        desks["kios1"].get_request(request_id)
    with pytest.raises(PermissionDenied):
        desks["sari"].assign(request_id, staff["budi"].id)
    with pytest.raises(PermissionDenied):
        office.add_user(staff["sari"], username="x", full_name="X", role="admin", password="password-1")
    with pytest.raises(InvalidInput):
        desks["kios1"].create_request(new_request(channel="whatsapp"))
    assert desks["kios1"].create_request(new_request(channel="kiosk")).channel == "kiosk"


def test_kk_number_is_checked_and_kept(desks):
    desk = desks["sari"]
    with pytest.raises(InvalidInput, match="Nomor KK"):
        desk.create_request(new_request(kk_number="6311050101200000"))  # serial 0000
    d = desk.create_request(new_request(kk_number="6311 0501 0120 0007"))
    assert d.kk_number == "6311050101200007"


def test_missing_documents_message_is_queued_once_and_shown_in_the_conversation(desks, request_id):
    desk = desks["sari"]
    text = desk.check(request_id).missing_message
    assert "Siti Aminah" in text
    first = desk.queue_message(request_id, text, purpose="berkas_kurang")
    again = desk.queue_message(request_id, text, purpose="berkas_kurang")  # double click
    assert first == again
    entries = desk.conversation(request_id)
    assert [(e.direction, e.state, e.text) for e in entries] == [("out", "queued", text)]
    with pytest.raises(InvalidInput):
        desk.queue_message(request_id, "   ")


def test_due_time_follows_the_sop_or_else_the_office_default(staffed_office, staff, tmp_path):
    from dataclasses import replace

    desk = staffed_office.desk(staff["sari"])
    d = desk.create_request(new_request(service_code="akta_perceraian"))
    # The SOP says 7 days (168 hours), counted in working days on the office calendar.
    assert d.due_at == staffed_office.calendar.add_working_hours(d.received_at, 168)
    override = tmp_path / "sops"
    override.mkdir()
    text = (staffed_office.catalog.get("kia").source.read_text(encoding="utf-8")
            .replace("target_hours = 24\n", ""))
    (override / "kia.toml").write_text(text, encoding="utf-8")
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, sop_override_dir=str(override),
                                                           default_target_hours=48))
    d = staffed_office.desk(staff["sari"]).create_request(new_request(service_code="kia"))
    assert d.due_at == staffed_office.calendar.add_working_hours(d.received_at, 48)


def test_a_kiosk_reaches_only_the_request_it_made_itself(desks, request_id):
    kiosk = desks["kios1"]
    own = kiosk.create_request(new_request(channel="kiosk", applicant_name="Warga Desa"))
    kiosk.attach_file(own.id, _jpeg(), "ktp.jpg")
    assert "Warga Desa" in kiosk.check(own.id).missing_message
    # Someone else's request: not its report (it names the resident), not its files.
    with pytest.raises(PermissionDenied, match="Kios"):
        kiosk.check(request_id)
    with pytest.raises(PermissionDenied, match="Kios"):
        kiosk.attach_file(request_id, _jpeg(), "ktp.jpg")
    assert desks["sari"].get_request(request_id, record_view=False).attachments == []


def _jpeg() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 160, 140)).save(out, "JPEG")
    return out.getvalue()
