"""Complaints (pengaduan): recorded by hand or from a WhatsApp message with one click, taken,
assigned, resolved once with the resident told through the outbox, and the resolution ratio."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from dikjamila.auth.roles import Actor
from dikjamila.db.models import AuditEvent, Complaint, Message
from dikjamila.desk.complaint_records import (
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_CHANNELS,
)
from dikjamila.desk.timezone import local_day_start
from dikjamila.errors import Conflict, InvalidInput, PermissionDenied
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.whatsapp_support import incoming_event

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)

STRANGER = "0813 5000 1111"
STRANGER_E164 = "+6281350001111"


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


def _audits(office, action):
    with office.db.reading() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_complaint_typed_in_is_recorded_with_its_number_normalised_and_audited(staffed_office, desk):
    info = desk.record_complaint(channel="walk_in", text="  Antrean terlalu lama, 3 jam menunggu.  ",
                                 phone="0813-5000-1111", complainant="Rahmat")
    assert (info.channel, info.text, info.phone, info.complainant, info.status) == (
        "walk_in", "Antrean terlalu lama, 3 jam menunggu.", STRANGER_E164, "Rahmat", "open")
    assert info.request_id is None and info.outcome == "" and info.resolved_at is None
    assert info.created_by == desk.actor.id
    assert [e.entity_id for e in _audits(staffed_office, "complaint.record")] == [str(info.id)]
    assert desk.complaints() == [info] and desk.complaint(info.id) == info
    assert set(COMPLAINT_CHANNEL_LABELS) == set(COMPLAINT_CHANNELS)


def test_a_complaint_about_a_request_takes_the_applicant_when_nobody_else_is_named(desk):
    rid = desk.create_request(new_request()).id
    info = desk.record_complaint(channel="phone", text="Kenapa akta anak saya belum selesai?", request_id=rid)
    assert info.request_id == rid and info.request_number == desk.get_request(rid).number
    assert (info.phone, info.complainant) == ("+6281234567890", "Siti Aminah")


@pytest.mark.parametrize("fields, words", [
    ({"channel": "walk_in", "text": "   "}, "wajib diisi"),
    ({"channel": "walk_in", "text": "x" * 4001}, "terlalu panjang"),
    ({"channel": "surat", "text": "Pelayanan lambat"}, "tidak dikenal"),
    ({"channel": "phone", "text": "Pelayanan lambat", "phone": "0511-123"}, "Nomor"),
])
def test_bad_input_is_refused_in_indonesian(desk, fields, words):
    with pytest.raises(InvalidInput, match=words):
        desk.record_complaint(**fields)
    assert desk.complaints() == []


def test_a_kiosk_cannot_record_or_read_complaints(staffed_office, staff):
    kiosk = staffed_office.desk(staff["kios1"])
    with pytest.raises(PermissionDenied):
        kiosk.record_complaint(channel="kiosk", text="Mesin kios rusak")
    with pytest.raises(PermissionDenied):
        kiosk.complaints()


def test_one_click_on_a_message_twice_makes_one_complaint_and_handles_the_message(staffed_office, staff, desk):
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, intake_auto_create=False))
    msg = desk.store_incoming(incoming_event("WA-ADU", STRANGER, text="Petugas di loket tidak ramah!",
                                             push_name="Rahmat"))
    assert [m.id for m in desk.unhandled_messages()] == [msg.id]
    first = desk.complaint_from_message(msg.id)
    again = staffed_office.desk(staff["budi"]).complaint_from_message(msg.id)
    assert again == first
    assert (first.channel, first.text, first.phone, first.complainant, first.message_id, first.request_id) == (
        "whatsapp", "Petugas di loket tidak ramah!", STRANGER_E164, "Rahmat", msg.id, None)
    assert first.received_at == msg.at
    assert desk.unhandled_messages() == []
    with staffed_office.db.reading() as session:
        assert len(session.scalars(select(Complaint)).all()) == 1
    assert len(_audits(staffed_office, "complaint.record")) == 1


def test_a_complaint_from_a_message_in_a_conversation_links_its_request(desk):
    rid = desk.create_request(new_request()).id
    msg = desk.store_incoming(incoming_event("WA-2", "+6281234567890", text="Sudah seminggu belum ada kabar"))
    assert msg.request_id == rid
    info = desk.complaint_from_message(msg.id)
    assert info.request_id == rid and desk.incoming_message(msg.id).request_id == rid


def test_taking_and_assigning_a_complaint(staffed_office, staff, desk):
    info = desk.record_complaint(channel="social", text="Komentar di Facebook: loket tutup lebih awal")
    taken = desk.assign_complaint(info.id, staff["sari"].id)
    assert (taken.status, taken.assignee_id, taken.assignee_name) == ("assigned", staff["sari"].id, "Sari Operator")
    with pytest.raises(PermissionDenied, match="supervisor"):
        desk.assign_complaint(info.id, staff["budi"].id)
    supervisor = staffed_office.desk(staff["hasan"])
    moved = supervisor.assign_complaint(info.id, staff["budi"].id)
    assert moved.assignee_name == "Budi Operator"
    with pytest.raises(InvalidInput, match="tidak dapat menangani"):
        supervisor.assign_complaint(info.id, staff["kios1"].id)
    assert supervisor.assign_complaint(info.id, None).status == "open"
    assert [c.id for c in desk.complaints("open")] == [info.id] and desk.complaints("assigned") == []
    assert len(_audits(staffed_office, "complaint.assign")) == 3


def test_resolving_tells_the_resident_once_on_the_requests_conversation(staffed_office, staff, desk):
    rid = desk.create_request(new_request()).id
    staffed_office.desk(staff["budi"]).claim(rid)  # someone else holds the request: no matter
    info = desk.record_complaint(channel="phone", text="Berkas saya hilang di loket?", request_id=rid)
    done = desk.resolve_complaint(info.id, outcome="dijelaskan",
                                  resolution="Berkas Anda tidak hilang; sudah kami periksa dan lengkap.")
    assert (done.status, done.outcome, done.assignee_id) == ("resolved", "dijelaskan", desk.actor.id)
    assert done.resolved_at is not None and done.notice_item_id is not None
    [item] = desk.outbox_for(rid)
    assert item.id == done.notice_item_id and item.template == "pengaduan_selesai"
    assert item.recipient == "+6281234567890" and item.state == "queued"
    assert "Sudah kami jelaskan" in item.text and "sudah kami periksa dan lengkap" in item.text
    with pytest.raises(Conflict, match="sudah diselesaikan"):
        desk.resolve_complaint(info.id, outcome="selesai", resolution="Sekali lagi, sudah beres.")
    with pytest.raises(Conflict, match="sudah selesai"):
        desk.assign_complaint(info.id, None)
    assert desk.complaint(info.id).outcome == "dijelaskan" and len(desk.outbox_for(rid)) == 1
    [event] = _audits(staffed_office, "complaint.resolve")
    assert event.entity_id == str(info.id)


@pytest.mark.parametrize("outcome, resolution, words", [
    ("beres", "Sudah kami perbaiki.", "tidak dikenal"),
    ("selesai", "  ok ", "wajib diisi"),
    ("selesai", "x" * 2001, "terlalu panjang"),
])
def test_a_resolution_needs_a_known_outcome_and_words_for_the_resident(desk, outcome, resolution, words):
    info = desk.record_complaint(channel="walk_in", text="Toilet kotor")
    with pytest.raises(InvalidInput, match=words):
        desk.resolve_complaint(info.id, outcome=outcome, resolution=resolution)
    assert desk.complaint(info.id).status == "open"


def test_a_complaint_from_a_stranger_is_answered_as_a_reply_to_the_message(staffed_office, staff, desk):
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, intake_auto_create=False))
    msg = desk.store_incoming(incoming_event("WA-S", STRANGER, text="Nomor antrean online tidak bisa dibuka"),
                              account="+6281100000002")
    info = desk.complaint_from_message(msg.id)
    done = desk.resolve_complaint(info.id, outcome="selesai", resolution="Sudah kami perbaiki, silakan coba lagi.")
    item = desk.outbox_item(done.notice_item_id)
    assert (item.request_id, item.in_reply_to_id, item.recipient, item.account) == (
        None, msg.id, STRANGER_E164, "+6281100000002")


def test_a_number_only_complaint_goes_to_the_bare_number_and_the_runner_sends_it(staffed_office, desk):
    info = desk.record_complaint(channel="phone", text="Petugas tidak mengangkat telepon", phone=STRANGER)
    done = desk.resolve_complaint(info.id, outcome="ditolak", resolution="Telepon kantor hanya untuk jam layanan.")
    item = desk.outbox_item(done.notice_item_id)
    assert (item.request_id, item.in_reply_to_id, item.recipient) == (None, None, STRANGER_E164)
    assert "Tidak dapat kami penuhi" in item.text

    class Recorder:
        name, paced, sent = "recorder", False, []

        def send(self, message):
            self.sent.append(message)
            return SendOutcome(SendStatus.SENT, message_id="WA-OUT-1", server_time=datetime.now(UTC))

        def close(self):
            pass

    transport = Recorder()
    runner_desk = staffed_office.desk(Actor.system("whatsapp"))
    assert OutboxRunner(runner_desk, transport, accounts=("",)).run_once().sent == 1
    assert [(m.item_id, m.recipient) for m in transport.sent] == [(item.id, STRANGER_E164)]
    assert desk.outbox_item(item.id).state == "sent"
    [sent] = _audits(staffed_office, "outbox.delivered_to_whatsapp")
    assert (sent.entity_type, sent.entity_id) == ("outbox", str(item.id))


def test_no_number_no_message_nothing_queued(desk):
    info = desk.record_complaint(channel="walk_in", text="Kursi ruang tunggu kurang")
    done = desk.resolve_complaint(info.id, outcome="selesai", resolution="Kursi sudah kami tambah 10 buah.")
    assert done.status == "resolved" and done.notice_item_id is None


def test_the_ratio_counts_complaints_received_in_the_period_and_those_of_them_resolved(staffed_office, desk):
    rng = random.Random(7)
    november = local_day_start(date(2026, 11, 1))
    expected_received = expected_resolved = 0
    for n in range(40):
        # From mid-October to mid-December; the period is November (office days, WITA).
        at = november - timedelta(days=15) + timedelta(hours=rng.randrange(0, 60 * 24))
        info = desk.record_complaint(channel="walk_in", text=f"Pengaduan {n}")
        resolve = rng.random() < 0.6
        if resolve:
            desk.resolve_complaint(info.id, outcome="selesai", resolution="Sudah ditindaklanjuti.")
        with staffed_office.db.writing() as session:
            session.execute(update(Complaint).where(Complaint.id == info.id).values(received_at=at))
        if november <= at < local_day_start(date(2026, 12, 1)):
            expected_received += 1
            expected_resolved += resolve
    # One exactly at the start (counted) and one exactly at the end (not counted).
    for at in (november, local_day_start(date(2026, 12, 1))):
        info = desk.record_complaint(channel="walk_in", text="di batas")
        with staffed_office.db.writing() as session:
            session.execute(update(Complaint).where(Complaint.id == info.id).values(received_at=at))
    expected_received += 1
    ratio = desk.complaint_ratio(date(2026, 11, 1), date(2026, 12, 1))
    assert expected_received > 5 and 0 < expected_resolved < expected_received
    assert (ratio.received, ratio.resolved) == (expected_received, expected_resolved)
    assert ratio.ratio == pytest.approx(expected_resolved / expected_received)
    assert desk.complaint_ratio(date(2020, 1, 1), date(2020, 2, 1)).ratio is None


def test_the_message_stays_unchanged_when_it_was_already_handled(staffed_office, desk):
    rid = desk.create_request(new_request()).id
    msg = desk.store_incoming(incoming_event("WA-H", "+6281234567890", text="lama sekali"))
    handled_before = desk.incoming_message(msg.id).handled_at
    desk.complaint_from_message(msg.id)
    with staffed_office.db.reading() as session:
        row = session.get(Message, msg.id)
        assert row.handled_at == handled_before and row.request_id == rid
