"""Receiving: every incoming message is stored once, its file kept, and put where it belongs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dikjamila.db.models import Message
from tests.whatsapp_support import incoming_event, incoming_files, terbit_request

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


def _count(office) -> int:
    with office.db.reading() as session:
        return session.scalar(select(func.count()).select_from(Message))


def test_five_kinds_of_file_are_all_kept_and_the_usable_ones_reach_the_checklist(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request(applicant_phone="0812-3456-7890")).id
    files = incoming_files(tmp_path / "incoming")
    kinds = {"photo": ("image/jpeg", "image"), "pdf": ("application/pdf", "document"),
             "voice": ("audio/ogg; codecs=opus", "audio"), "docx": (
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document"),
             "corrupt": ("image/jpeg", "image")}
    stored = {}
    for i, (key, path) in enumerate(files.items()):
        mime, kind = kinds[key]
        stored[key] = desk.store_incoming(incoming_event(f"WA{i}", "+6281234567890", text=f"ini {key}",
                                                         file=path, mime=mime, kind=kind))
    assert all(info.request_id == rid for info in stored.values())
    assert all(info.blob_sha256 and staffed_office.store.exists(info.blob_sha256) for info in stored.values())
    assert stored["photo"].file_kind == "image" and stored["pdf"].file_kind == "pdf"
    for key in ("voice", "docx", "corrupt"):
        assert stored[key].file_kind == "other" and stored[key].file_note, key
        # Kept byte for byte, openable from the conversation.
        assert staffed_office.store.read_bytes(stored[key].blob_sha256) == files[key].read_bytes()
    unassigned = [a for a in desk.get_request(rid).attachments if a.source == "whatsapp"]
    assert sorted(a.original_name for a in unassigned) == ["akta.pdf", "kk.jpg"]
    assert all(a.requirement_code is None for a in unassigned)
    assert [e.text for e in desk.conversation(rid)][:5] == [f"ini {k}" for k in files]


def test_a_replayed_message_is_stored_once(staffed_office, staff, tmp_path):
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request()).id
    photo = incoming_files(tmp_path / "in")["photo"]
    event = incoming_event("WA-REPLAY", "+6281234567890", text="foto KK", file=photo, mime="image/jpeg", kind="image")
    first = desk.store_incoming(event)
    again = desk.store_incoming(event)
    assert first.stored_now and not again.stored_now and again.id == first.id
    assert _count(staffed_office) == 1
    assert len(desk.get_request(rid).attachments) == 1


def test_a_stranger_waits_in_the_unhandled_list_and_is_answered_from_the_number_written_to(staffed_office, staff):
    from dataclasses import replace
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, intake_auto_create=False))
    desk = staffed_office.desk(staff["sari"])
    info = desk.store_incoming(incoming_event("WA-NEW", "0813 5000 1111", text="Mau buat akta kelahiran"),
                               account="+6281100000002")
    assert info.request_id is None and info.sender_phone == "+6281350001111"
    assert [m.id for m in desk.unhandled_messages()] == [info.id]
    item = desk.outbox_item(desk.reply_to_message(info.id, "Silakan kirim foto surat kelahiran."))
    assert item.recipient == "+6281350001111" and item.account == "+6281100000002"


def test_a_reply_on_a_request_leaves_from_the_number_the_resident_wrote_to(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request()).id
    desk.store_incoming(incoming_event("WA-1", "+6281234567890", text="halo"), account="+6281100000002")
    item = desk.outbox_item(desk.queue_message(rid, "Baik, kami periksa."))
    assert item.account == "+6281100000002"


def test_a_closed_request_takes_no_files_but_keeps_the_conversation_marked(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    rid = terbit_request(desk)
    desk.advance(rid, "terkirim")
    desk.advance(rid, "selesai")
    files_before = len(desk.get_request(rid).attachments)
    from dikjamila.db.types import utcnow
    info = desk.store_incoming(incoming_event("WA-LATE", "+6281234567890", text="terima kasih",
                                              at=utcnow().isoformat()))
    assert info.request_id == rid and desk.unhandled_messages() == []
    assert len(desk.get_request(rid).attachments) == files_before


def test_a_lid_only_sender_is_kept_and_cannot_be_answered_until_a_number_is_known(staffed_office, staff):
    import pytest

    from dikjamila.errors import InvalidInput
    desk = staffed_office.desk(staff["sari"])
    event = incoming_event("WA-LID", "", text="halo")
    event["sender_lid"] = "123456789012345@lid"
    info = desk.store_incoming(event)
    assert info.sender_phone == "" and info.sender_lid == "123456789012345@lid"
    with pytest.raises(InvalidInput, match="Nomor pengirim belum diketahui"):
        desk.reply_to_message(info.id, "halo")


def test_a_download_that_failed_is_still_stored_with_the_reason(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    event = incoming_event("WA-NOFILE", "+6281350002222", text="foto")
    event["file_error"] = "media expired"
    info = desk.store_incoming(event)
    assert info.blob_sha256 is None and "media expired" in info.file_note


def test_the_operator_adds_the_number_of_a_lid_sender_and_the_message_joins_its_request(staffed_office, staff):
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request(applicant_phone="0813-5000-2222")).id
    event = incoming_event("WA-LID2", "", text="ini foto akta")
    event["sender_lid"] = "98765@lid"
    info = desk.store_incoming(event)
    assert desk.unhandled_count() == 1
    fixed = desk.set_sender_phone(info.id, "0813 5000 2222")
    assert fixed.sender_phone == "+6281350002222" and fixed.request_id == rid
    assert desk.unhandled_count() == 0
    assert desk.reply_to_message(info.id, "Terima kasih, kami periksa.")
