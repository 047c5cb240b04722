"""The outbox runner: claiming, every outcome, retries with backoff, pacing, pause, receipts,
the hand-made "sudah terkirim", and the request moving to `terkirim` when its PDF is confirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dikjamila.auth.roles import Actor
from dikjamila.config import Settings
from dikjamila.desk import NeedsScanConfirmation
from dikjamila.errors import Conflict
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.whatsapp_support import scan_pdf, terbit_request

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


class ScriptedWhatsApp:
    """The WhatsApp edge, answering each send from a script (the real ones are tested apart)."""

    name = "scripted"
    paced = False

    def __init__(self, *outcomes: SendOutcome):
        self.outcomes = list(outcomes)
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        if self.outcomes:
            return self.outcomes.pop(0)
        return SendOutcome(SendStatus.SENT, message_id=f"WAID{len(self.sent)}",
                           server_time=datetime.now(UTC), sha256=message.document_sha256)

    def close(self):
        pass


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def runner_desk(staffed_office):
    return staffed_office.desk(Actor.system("whatsapp"))


def _settings(office, **changes):
    values = {**office.settings.__dict__, **changes}
    office.update_settings(Actor.system(), Settings(**values))


def test_a_sent_item_keeps_the_server_id_time_and_sha(desk, runner_desk):
    rid = desk.create_request(new_request()).id
    item = desk.queue_message(rid, "Berkas Anda kami terima.")
    wa = ScriptedWhatsApp()
    summary = OutboxRunner(runner_desk, wa, accounts=("",)).run_once()
    assert summary.sent == 1 and wa.sent[0].recipient == "+6281234567890"
    info = desk.outbox_item(item)
    assert info.state == "sent" and info.wa_message_id == "WAID1" and info.server_time and info.attempts == 1


def test_a_failure_is_retried_with_backoff_until_the_limit(staffed_office, desk, runner_desk):
    _settings(staffed_office, whatsapp_max_attempts=2)
    item = desk.queue_message(desk.create_request(new_request()).id, "Halo")
    wa = ScriptedWhatsApp(SendOutcome(SendStatus.FAILED, error="server sibuk"),
                          SendOutcome(SendStatus.FAILED, error="server sibuk"))
    runner = OutboxRunner(runner_desk, wa, accounts=("",))
    runner.run_once()
    first = desk.outbox_item(item)
    assert first.state == "failed" and first.next_attempt_at is not None
    assert first.next_attempt_at - first.updated_at >= timedelta(seconds=29)
    runner.run_once()
    assert len(wa.sent) == 1  # not due yet: backoff holds
    later = first.next_attempt_at + timedelta(seconds=1)
    claim = runner_desk.claim_next(accounts=("",), transport="scripted", paced=False, now=later)
    assert claim.message is not None and claim.message.item_id == item
    runner_desk.record_outcome(item, SendOutcome(SendStatus.FAILED, error="server sibuk"))
    last = desk.outbox_item(item)
    assert last.state == "failed" and last.attempts == 2 and last.next_attempt_at is None  # limit reached


def test_a_number_not_on_whatsapp_fails_at_once_without_retries(desk, runner_desk):
    item = desk.queue_message(desk.create_request(new_request()).id, "Halo")
    OutboxRunner(runner_desk, ScriptedWhatsApp(SendOutcome(SendStatus.FAILED_PERMANENT, error="bukan WA")),
                 accounts=("",)).run_once()
    info = desk.outbox_item(item)
    assert info.state == "failed" and info.next_attempt_at is None and info.attempts == 1


def test_an_item_left_sending_by_a_dead_runner_becomes_uncertain_and_is_never_resent(desk, runner_desk):
    item = desk.queue_message(desk.create_request(new_request()).id, "Halo")
    assert runner_desk.claim_next(accounts=("",), transport="x", paced=False).message.item_id == item
    wa = ScriptedWhatsApp()
    summary = OutboxRunner(runner_desk, wa, accounts=("",)).run_once()  # a new runner starts
    assert summary.recovered == [item] and wa.sent == []
    assert desk.outbox_item(item).state == "uncertain"
    assert desk.mark_sent_by_hand(item).marked_sent_by == "sari"


def test_pacing_gap_daily_cap_and_the_pause_switch(staffed_office, desk, runner_desk):
    _settings(staffed_office, whatsapp_min_gap_seconds=60, whatsapp_daily_cap=2)
    rid = desk.create_request(new_request()).id
    items = [desk.queue_message(rid, f"Pesan {i}") for i in range(3)]
    now = datetime.now(UTC)
    first = runner_desk.claim_next(accounts=("",), transport="t", now=now)
    runner_desk.record_outcome(first.message.item_id, SendOutcome(SendStatus.SENT, message_id="A"))
    too_soon = runner_desk.claim_next(accounts=("",), transport="t", now=now + timedelta(seconds=10))
    assert too_soon.message is None and 49 <= too_soon.wait_seconds <= 50
    second = runner_desk.claim_next(accounts=("",), transport="t", now=now + timedelta(seconds=61))
    runner_desk.record_outcome(second.message.item_id, SendOutcome(SendStatus.SENT, message_id="B"))
    capped = runner_desk.claim_next(accounts=("",), transport="t", now=now + timedelta(seconds=200))
    assert capped.message is None and "Batas harian 2" in capped.reason
    assert desk.outbox_item(items[2]).state == "queued"
    _settings(staffed_office, whatsapp_daily_cap=100)
    desk.set_sending_paused(True)
    paused = runner_desk.claim_next(accounts=("",), transport="t", now=now + timedelta(seconds=300))
    assert paused.message is None and "dijeda" in paused.reason
    desk.set_sending_paused(False)
    assert runner_desk.claim_next(accounts=("",), transport="t", now=now + timedelta(seconds=300)).message


def test_receipts_move_sent_to_delivered_to_read_and_never_back(desk, runner_desk):
    item = desk.queue_message(desk.create_request(new_request()).id, "Halo")
    OutboxRunner(runner_desk, ScriptedWhatsApp(), accounts=("",)).run_once()
    assert runner_desk.record_receipt(["WAID1"], "read") == [item]
    assert runner_desk.record_receipt(["WAID1"], "delivered") == []
    assert desk.outbox_item(item).state == "read"


def test_a_confirmed_document_moves_the_request_to_terkirim_with_history(staffed_office, desk, runner_desk):
    rid = terbit_request(desk)
    item = desk.send_issued_document(rid)
    queued = desk.outbox_item(item)
    issued = [a for a in desk.get_request(rid).attachments if a.role == "issued"][0]
    assert queued.blob_sha256 == issued.blob_sha256 and queued.document_name == "KK-Siti.pdf"
    assert desk.get_request(rid).number in queued.text  # the caption from the template
    wa = ScriptedWhatsApp()
    OutboxRunner(runner_desk, wa, accounts=("",)).run_once()
    assert wa.sent[0].document.read_bytes() == staffed_office.store.read_bytes(issued.blob_sha256)
    assert desk.get_request(rid).status == "terkirim"
    history = [e for e in desk.history(rid) if e.action == "outbox.delivered_to_whatsapp"]
    assert history and history[0].summary["sha256"] == issued.blob_sha256
    assert history[0].summary["to"] == "+6281234567890"


def test_handed_over_does_not_move_the_request_until_an_operator_confirms(desk, runner_desk):
    rid = terbit_request(desk)
    item = desk.send_issued_document(rid)
    OutboxRunner(runner_desk, ScriptedWhatsApp(SendOutcome(SendStatus.HANDED_OVER)), accounts=("",)).run_once()
    assert desk.get_request(rid).status == "terbit"
    desk.mark_sent_by_hand(item)
    assert desk.get_request(rid).status == "terkirim"


def test_the_document_rules_before_it_is_queued(desk):
    not_previewed = terbit_request(desk, previewed=False)
    with pytest.raises(Conflict, match="pratinjau"):
        desk.send_issued_document(not_previewed)
    scan = terbit_request(desk, phone="0813-5000-3333", issued=scan_pdf())
    with pytest.raises(NeedsScanConfirmation, match="sudah saya periksa"):
        desk.send_issued_document(scan)
    assert desk.send_issued_document(scan, scan_checked=True)
    assert any(e.action == "document.scan_checked" for e in desk.history(scan))


def test_a_text_alone_never_moves_the_request(desk, runner_desk):
    rid = terbit_request(desk)
    desk.queue_message(rid, "Dokumen sedang kami siapkan.")
    OutboxRunner(runner_desk, ScriptedWhatsApp(), accounts=("",)).run_once()
    assert desk.get_request(rid).status == "terbit"
