"""Routing (issue 8, item 1): every rule, in order, with real messages through `store_incoming`."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from dikjamila.db.models import OutboxItem, Request
from dikjamila.errors import Conflict
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.whatsapp_support import incoming_event, jpeg, terbit_request

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

STRANGER = "0813 5000 1111"
STRANGER_E164 = "+6281350001111"
# A Tuesday, 10:00 WITA (02:00 UTC): office hours.
TUESDAY_10 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _at(moment: datetime, minutes: float = 0) -> str:
    return (moment + timedelta(minutes=minutes)).isoformat()


def _photo(tmp_path, name: str, color=(120, 160, 200)):
    path = tmp_path / name
    path.write_bytes(jpeg(color))
    return path


def _settings(office, admin, **changes):
    office.update_settings(admin, replace(office.settings, **changes))


def test_a_strangers_burst_becomes_one_new_request_with_its_service_suggested(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    first = desk.store_incoming(incoming_event("W1", STRANGER, text="Assalamualaikum, mau buat akta kelahiran anak",
                                               push_name="Rahmah", at=_at(TUESDAY_10)))
    desk.store_incoming(incoming_event("W2", STRANGER, file=_photo(tmp_path, "IMG-1.jpg"), mime="image/jpeg",
                                       kind="image", text="ini KK nya", at=_at(TUESDAY_10, 2)))
    desk.store_incoming(incoming_event("W3", STRANGER, file=_photo(tmp_path, "IMG-2.jpg", (9, 9, 9)),
                                       mime="image/jpeg", kind="image", text="surat keterangan lahir dari bidan",
                                       at=_at(TUESDAY_10, 3)))
    assert desk.unhandled_messages() == []
    req = desk.get_request(first.request_id)
    assert (req.status, req.channel, req.applicant_phone, req.applicant_name) == (
        "baru", "whatsapp", STRANGER_E164, "Rahmah")
    assert req.service_code == "" and req.suggested_service == "akta_kelahiran"
    assert req.request_text == "Assalamualaikum, mau buat akta kelahiran anak"
    assert req.received_at == TUESDAY_10
    assert req.due_at == TUESDAY_10 + timedelta(hours=staffed_office.settings.default_target_hours)
    assert len(req.attachments) == 2 and all(a.requirement_code is None for a in req.attachments)
    # Nothing suggested for files until a service is chosen; then each file points to its item.
    assert all(a.suggested_requirement is None for a in req.attachments)
    chosen = desk.update_request(req.id, req.row_version, {"service_code": "akta_kelahiran"})
    assert {a.original_name: a.suggested_requirement for a in chosen.attachments} == {
        "IMG-1.jpg": "kk", "IMG-2.jpg": "surat_kelahiran"}
    sop = staffed_office.catalog.get("akta_kelahiran")
    assert chosen.due_at == TUESDAY_10 + timedelta(hours=sop.target_hours or 24)


def test_the_resident_is_told_the_number_in_office_hours_and_the_hours_outside_them(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    info = desk.store_incoming(incoming_event("W1", STRANGER, text="mau urus KIA", at=_at(TUESDAY_10)))
    number = desk.get_request(info.request_id).number
    [item] = desk.outbox_for(info.request_id)
    assert item.template == "permohonan_diterima" and number in item.text and item.recipient == STRANGER_E164
    # Saturday evening: the "di luar jam layanan" message instead.
    late = desk.store_incoming(incoming_event("W2", "0813 5000 2222", text="mau urus KIA",
                                              at=_at(datetime(2026, 12, 5, 11, 0, tzinfo=UTC))))
    [item] = desk.outbox_for(late.request_id)
    assert item.template == "di_luar_jam" and "jam layanan" in item.text


def test_no_automatic_reply_when_the_setting_is_off(staffed_office, staff):
    _settings(staffed_office, staff["admin"], intake_send_received=False)
    desk = staffed_office.desk(staff["sari"])
    info = desk.store_incoming(incoming_event("W1", STRANGER, text="mau urus KIA", at=_at(TUESDAY_10)))
    assert info.request_id and desk.outbox_for(info.request_id) == []


def test_a_sender_with_one_open_request_gets_the_messages_added(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request(applicant_phone=STRANGER)).id
    info = desk.store_incoming(incoming_event("W1", STRANGER, file=_photo(tmp_path, "ktp.jpg"), mime="image/jpeg",
                                              kind="image", text="KTP saya", at=_at(TUESDAY_10)))
    assert info.request_id == rid
    detail = desk.get_request(rid)
    assert [a.original_name for a in detail.attachments] == ["ktp.jpg"] and detail.attention == ""
    assert desk.outbox_for(rid) == []  # no "permohonan diterima" for an existing request


def test_several_open_requests_take_the_newest_marked_for_the_operator(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    older = desk.create_request(new_request(applicant_phone=STRANGER)).id
    newer = desk.create_request(new_request(applicant_phone=STRANGER, service_code="kia")).id
    info = desk.store_incoming(incoming_event("W1", STRANGER, text="sudah jadi belum?", at=_at(TUESDAY_10)))
    assert info.request_id == newer
    assert desk.get_request(newer).attention == "several_open" and desk.get_request(older).attention == ""
    desk.clear_attention(newer)
    assert desk.get_request(newer).attention == ""


def test_a_message_soon_after_closing_joins_that_conversation_marked(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    rid = terbit_request(desk, phone=STRANGER)
    desk.advance(rid, "terkirim")
    closed = desk.advance(rid, "selesai").closed_at
    files = len(desk.get_request(rid).attachments)
    info = desk.store_incoming(incoming_event("W1", STRANGER, file=_photo(tmp_path, "x.jpg"), mime="image/jpeg",
                                              kind="image", text="terima kasih", at=_at(closed, 60)))
    detail = desk.get_request(rid)
    assert info.request_id == rid and detail.attention == "after_close"
    assert len(detail.attachments) == files  # a closed request takes no files; the photo stays in the chat
    assert [e.message_id for e in desk.conversation(rid) if e.message_id == info.id]


def test_eight_days_after_closing_a_message_starts_a_new_request(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    rid = terbit_request(desk, phone=STRANGER)
    desk.advance(rid, "terkirim")
    closed = desk.advance(rid, "selesai").closed_at
    info = desk.store_incoming(incoming_event("W1", STRANGER, text="mau buat KK baru",
                                              at=_at(closed, 8 * 24 * 60)))
    assert info.request_id not in (None, rid)
    assert desk.get_request(info.request_id).suggested_service.startswith("kk")


def test_a_reply_to_an_office_message_goes_to_that_conversation_and_creates_nothing(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    rid = terbit_request(desk, phone=STRANGER)
    desk.advance(rid, "terkirim")
    desk.advance(rid, "selesai")
    with staffed_office.db.writing() as session:  # three weeks later: not "after closing" any more
        session.execute(update(Request).where(Request.id == rid).values(
            closed_at=TUESDAY_10 - timedelta(days=21)))
    system = staffed_office.desk(staff["admin"])
    # Finishing queued the survey invitation by itself (setting survey_invite_on_finish).
    item_id = next(o.id for o in system.outbox_for(rid) if o.template == "undangan_survei")
    claim = system.claim_next(accounts=("",), transport="folder", paced=False)
    assert claim.message is not None and claim.message.item_id == item_id
    system.record_outcome(item_id, SendOutcome(SendStatus.SENT, message_id="SRV-1", server_time=TUESDAY_10))
    before = desk.count()
    info = desk.store_incoming(incoming_event("W1", STRANGER, text="4 4 3 4 4 4 3 4 4", quoted_id="SRV-1",
                                              at=_at(TUESDAY_10, 5)))
    assert info.request_id == rid and desk.count() == before
    assert "4 4 3 4 4 4 3 4 4" in [e.text for e in desk.conversation(rid)]


def test_the_offices_own_number_creates_nothing(staffed_office, staff):
    _settings(staffed_office, staff["admin"], whatsapp_numbers=["+6281100000002"])
    desk = staffed_office.desk(staff["sari"])
    before = desk.count()
    info = desk.store_incoming(incoming_event("W1", "0811-0000-0002", text="tes kirim", at=_at(TUESDAY_10)))
    assert info.request_id is None and desk.count() == before and desk.unhandled_messages() == []


def test_by_hand_a_burst_waits_until_buat_permohonan_and_only_that_burst_is_taken(staffed_office, staff, tmp_path):
    _settings(staffed_office, staff["admin"], intake_auto_create=False)
    desk = staffed_office.desk(staff["sari"])
    a = desk.store_incoming(incoming_event("W1", STRANGER, text="mau pindah ke Banjarmasin", at=_at(TUESDAY_10)))
    desk.store_incoming(incoming_event("W2", STRANGER, file=_photo(tmp_path, "kk.jpg"), mime="image/jpeg",
                                       kind="image", at=_at(TUESDAY_10, 10)))
    later = desk.store_incoming(incoming_event("W3", STRANGER, text="halo?", at=_at(TUESDAY_10, 60)))
    assert [m.id for m in desk.unhandled_messages()] == [a.id, a.id + 1, later.id]
    req = desk.create_request_from_message(a.id)
    assert req.suggested_service == "pindah" and [x.original_name for x in req.attachments] == ["kk.jpg"]
    # No automatic reply when an operator makes the request (they answer themselves).
    assert desk.outbox_for(req.id) == []
    # The later message is another submission; with an open request now, it joins it.
    assert desk.unhandled_messages() == [] and desk.incoming_message(later.id).request_id == req.id


def test_a_lid_only_sender_waits_until_its_number_is_added_then_routes(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    event = incoming_event("W1", "", text="mau buat KTP", at=_at(TUESDAY_10))
    event["sender_lid"] = "123456789012345@lid"
    info = desk.store_incoming(event)
    assert info.request_id is None
    routed = desk.set_sender_phone(info.id, STRANGER)
    assert routed.request_id is not None
    assert desk.get_request(routed.request_id).applicant_phone == STRANGER_E164


def test_a_request_without_a_service_cannot_move_on(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    info = desk.store_incoming(incoming_event("W1", STRANGER, text="halo", at=_at(TUESDAY_10)))
    req = desk.get_request(info.request_id)
    assert req.service_code == "" and req.suggested_service == ""
    desk.claim(req.id)
    with pytest.raises(Conflict, match="Pilih dulu layanan"):
        desk.advance(req.id, "diperiksa")


def test_a_thousand_messages_of_a_stranger_make_one_request(staffed_office, staff):
    """A long burst (photo after photo, minutes apart) stays one submission."""
    desk = staffed_office.desk(staff["sari"])
    ids = {desk.store_incoming(incoming_event(f"W{i}", STRANGER, text=f"pesan {i}", at=_at(TUESDAY_10, i * 5)))
           .request_id for i in range(30)}
    assert len(ids) == 1
    with staffed_office.db.reading() as session:
        assert session.query(OutboxItem).count() == 1
