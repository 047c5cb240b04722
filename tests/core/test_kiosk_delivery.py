"""A kiosk on the office's own data dir: delivery, the office taking it, the status check, surveys.

Runs on SQLite and on PostgreSQL (the office's own login: the kiosk's restricted login is
tested in test_kiosk_pg.py).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from dikjamila.auth.roles import Actor
from dikjamila.config import load_settings, save_settings
from dikjamila.db.models import (
    KioskChunk,
    KioskStatus,
    KioskSubmission,
    OutboxItem,
    Request,
    SurveyResponse,
)
from dikjamila.desk import InboxFilter
from dikjamila.kiosk.station import KioskStation
from dikjamila.lifecycle import Status
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus

from .kiosk_support import REQUIRED, filled_draft, kiosk_dir

pytestmark = pytest.mark.both_engines
SYSTEM = Actor.system("whatsapp")


@pytest.fixture
def station(staffed_office):
    station = KioskStation.open(kiosk_dir(staffed_office.paths.data_dir))
    yield station
    station.close()


def _count(office, model, *where) -> int:
    with office.db.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_delivered_request_is_in_the_inbox_with_channel_kiosk_and_its_photos_on_the_checklist(
        staffed_office, staff, station, tmp_path):
    draft = filled_draft(station, tmp_path / "foto", 1, big=True)
    shas = {f.sha256 for f in draft.files}
    receipt = station.submit(draft)
    assert staffed_office.desk(SYSTEM).take_kiosk_submissions().taken == []  # nothing has arrived yet

    report = station.deliver()
    assert (report.reached, report.delivered, report.pending, report.message) == (True, 1, 0, "")
    assert list(station.store.iter_blobs()) == []  # the photos left the kiosk once the office had them
    assert station.last_reached() is not None and station.pending_count() == 0

    taken = staffed_office.desk(SYSTEM).take_kiosk_submissions()
    assert len(taken.taken) == 1 and taken.problems == []
    sari = staffed_office.desk(staff["sari"])
    rows = sari.inbox(InboxFilter(channel="kiosk")).rows
    assert [r.number for r in rows] == taken.taken and rows[0].channel == "kiosk"
    detail = sari.get_request(rows[0].id)
    assert detail.uuid == receipt.uuid and detail.applicant_phone == "+6281234567890"
    assert {a.blob_sha256 for a in detail.attachments} == shas
    assert sorted(a.requirement_code for a in detail.attachments) == sorted(REQUIRED)
    assert all(staffed_office.store.verify(sha) for sha in shas)
    assert detail.complete and sari.check(detail.id).complete
    [message] = sari.outbox_for(detail.id)
    assert message.template == "kios_diterima"
    assert receipt.kiosk_number in message.text and detail.number in message.text
    assert _count(staffed_office, KioskChunk) == 0  # the chunks are not kept once taken
    assert staffed_office.desk(SYSTEM).take_kiosk_submissions().taken == []  # once only


def test_a_delivery_cut_off_after_the_seal_is_sent_again_and_gives_one_request(staffed_office, station, tmp_path,
                                                                                  monkeypatch):
    station.submit(filled_draft(station, tmp_path / "foto", 1))
    real = station.mark_delivered

    def lost(uuid):  # the office committed the seal; the kiosk went down before noting it
        raise OSError("power cut")

    monkeypatch.setattr(station, "mark_delivered", lost)
    with pytest.raises(OSError):
        station.deliver()
    assert station.pending_count() == 1 and len(list(station.store.iter_blobs())) == 3
    monkeypatch.setattr(station, "mark_delivered", real)
    assert station.deliver().delivered == 1
    # And once more after the office took it (its chunks gone): still one request.
    staffed_office.desk(SYSTEM).take_kiosk_submissions()
    with station.db.writing() as session:
        from dikjamila.kiosk import local_db
        session.execute(update(local_db.submissions).values(state="pending", head_sent=False))
    assert station.deliver().delivered == 1
    assert staffed_office.desk(SYSTEM).take_kiosk_submissions().taken == []
    assert _count(staffed_office, Request, Request.channel == "kiosk") == 1
    assert _count(staffed_office, KioskSubmission) == 1 and _count(staffed_office, KioskChunk) == 0


def test_an_unreachable_office_is_reported_not_raised(staffed_office, tmp_path):
    folder = kiosk_dir(tmp_path / "kios", office_db_url="postgresql+psycopg://kios@127.0.0.1:1/kantor")
    station = KioskStation.open(folder)
    try:
        station.submit(filled_draft(station, tmp_path / "foto", 1))
        report = station.deliver()
        assert not report.reached and report.pending == 1 and "belum dapat dihubungi" in report.message
        assert station.last_reached() is None
        answer = station.status("BLG-20261201-0001", "7890")
        assert not answer.found and "tidak dapat dihubungi" in answer.message
    finally:
        station.close()


def test_the_status_check_shows_only_that_request_and_slows_wrong_tries(staffed_office, staff, station, tmp_path):
    here = station.submit(filled_draft(station, tmp_path / "a", 1))
    waiting = station.status(here.kiosk_number, "7890")
    assert waiting.found and waiting.status_text == "Belum terkirim ke kantor"
    assert not station.status(here.kiosk_number, "1111").found
    other = station.submit(filled_draft(station, tmp_path / "b", 2, phone="0813-5000-2222"))
    station.deliver()
    assert station.status(other.kiosk_number, "2222").status_text == "Sudah sampai di kantor"
    staffed_office.desk(SYSTEM).take_kiosk_submissions()
    with staffed_office.db.reading() as session:
        number = session.scalar(select(KioskStatus.request_number).where(KioskStatus.kiosk_number == other.kiosk_number))
        req_id = session.scalar(select(Request.id).where(Request.number == number))

    sari = staffed_office.desk(staff["sari"])
    sari.claim(req_id)
    sari.advance(req_id, Status.DIPERIKSA)
    staffed_office.desk(SYSTEM).take_kiosk_submissions()  # the status row follows its request
    with staffed_office.db.reading() as session:
        assert session.scalar(select(KioskStatus.status).where(KioskStatus.request_id == req_id)) == "diperiksa"
    for asked in (other.kiosk_number, number, f" {number.lower()} "):
        answer = station.status(asked, "2222")
        assert answer.found and answer.status_text == "Sedang diperiksa petugas"
        assert answer.next_step == "Tunggu pesan WhatsApp dari kantor."
        assert "Siti" not in repr(answer) and "2222" not in repr(answer)
    wrong = station.status(number, "7890")  # the first request's phone: not this one's
    assert not wrong.found and "tidak cocok" in wrong.message and wrong.wait_seconds == 0
    for _ in range(4):
        assert not station.status(number, "0000").found
    slowed = station.status(number, "2222")  # even the right digits wait now
    assert not slowed.found and 0 < slowed.wait_seconds <= 600 and "Coba lagi dalam" in slowed.message


def test_a_survey_from_the_kiosk_is_recorded_for_the_finished_request(staffed_office, station, tmp_path):
    receipt = station.submit(filled_draft(station, tmp_path / "a", 1))
    station.deliver()
    [number] = staffed_office.desk(SYSTEM).take_kiosk_submissions().taken
    with staffed_office.db.writing() as session:  # (the office finished it meanwhile)
        session.execute(update(Request).where(Request.number == number).values(status=Status.SELESAI))
    scores = {f"U{n}": 1 + n % 4 for n in range(1, 10)}
    station.record_survey(receipt.kiosk_number, "7890", scores)
    station.record_survey(number, "0000", scores)  # a wrong phone: not recorded
    assert station.deliver().surveys == 2
    assert staffed_office.desk(SYSTEM).take_kiosk_submissions().surveys == 1
    with staffed_office.db.reading() as session:
        row = session.scalar(select(SurveyResponse))
        assert (row.source, row.u1, row.u4) == ("kiosk", 2, 1)
    assert _count(staffed_office, OutboxItem, OutboxItem.template == "kios_diterima") == 1


def test_settings_of_the_kiosk_stay_on_its_pc(staffed_office):
    paths = staffed_office.paths
    save_settings(paths, replace(load_settings(paths), kiosk_desa="Juai", kiosk_paper="80mm"))
    assert not staffed_office.refresh_settings() or staffed_office.settings.kiosk_desa in ("", "Juai")
    with staffed_office.db.reading() as session:
        from dikjamila.db.models import MetaValue
        keys = set(session.scalars(select(MetaValue.key)))
    assert "setting:kiosk_desa" not in keys and "setting:office_db_url" not in keys


class _Recording:
    """A WhatsApp edge that sends everything at once and remembers it."""

    name, paced = "recording", False

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        return SendOutcome(SendStatus.SENT, message_id=f"WA{len(self.sent)}", server_time=datetime.now(UTC))

    def close(self):
        pass


def test_the_whatsapp_pc_takes_what_kiosks_delivered_and_tells_the_resident(staffed_office, station, tmp_path):
    """The office's periodic run: the outbox runner's loop takes kiosk submissions and sends the message."""
    receipt = station.submit(filled_draft(station, tmp_path / "a", 1))
    station.deliver()
    transport, stop = _Recording(), threading.Event()
    runner = OutboxRunner(staffed_office.desk(SYSTEM), transport, accounts=("",), stop=stop)
    thread = threading.Thread(target=runner.run_forever, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not transport.sent and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(30)
    [message] = transport.sent
    assert message.template == "kios_diterima" and message.recipient == "+6281234567890"
    assert receipt.kiosk_number in message.text
    assert _count(staffed_office, Request, Request.channel == "kiosk") == 1
