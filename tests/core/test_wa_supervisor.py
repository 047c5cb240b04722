"""The supervisor and link service against the fake worker (the real worker loop and protocol,
with WhatsApp replaced by a scripted backend): linking, sending, receiving, receipts, a crash,
a hang past the deadline, two linked numbers."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from dikjamila.auth.roles import Actor
from dikjamila.config import Settings
from dikjamila.whatsapp.service import LinkService
from tests.whatsapp_support import incoming_files, terbit_request

from .conftest import new_request

ROOT = Path(__file__).resolve().parents[2]


def fake_worker(scenario: dict, folder: Path):
    """The command that starts a fake worker; a scenario may differ per account ({"by_account": {...}})."""
    def command(data_dir: Path, account: str) -> list[str]:
        mine = scenario.get("by_account", {}).get(account, scenario)
        path = folder / f"scenario-{account.lstrip('+') or 'default'}.json"
        path.write_text(json.dumps(mine))
        return [sys.executable, "-m", "tests.fakes.fake_worker", "--data-dir", str(data_dir),
                "--scenario", str(path)] + (["--account", account] if account else [])
    return command


def wait_until(check, timeout=15.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def linked_office(staffed_office):
    values = {**staffed_office.settings.__dict__, "whatsapp_transport": "linked", "whatsapp_min_gap_seconds": 0,
              "whatsapp_send_deadline_seconds": 2}
    staffed_office.update_settings(Actor.system(), Settings(**values))
    return staffed_office


def start(office, scenario, tmp_path, **kw) -> LinkService:
    service = LinkService(office, transport="linked", command_for=fake_worker(scenario, tmp_path),
                          backoff=(0.2,), **kw)
    service.start()
    return service


def state_of(desk, account=""):
    return {s.account: s for s in desk.link_states()}.get(account)


def test_qr_then_connected_is_written_for_every_pc_to_read(linked_office, staff, tmp_path):
    desk = linked_office.desk(staff["sari"])
    service = start(linked_office, {"link": "qr", "connect_after_s": 1.0}, tmp_path)
    try:
        qr = wait_until(lambda: (s := state_of(desk)) and s.state == "need_link" and s.qr, what="qr")
        assert qr.startswith("2@")
        connected = wait_until(lambda: (s := state_of(desk)) and s.state == "connected" and s, what="connected")
        assert connected.phone.startswith("+62") and connected.qr == "" and connected.pid
    finally:
        service.stop()
    assert state_of(desk).state == "stopped"


def test_a_document_goes_out_with_the_ack_and_receipts_settle_it(linked_office, staff, tmp_path):
    desk = linked_office.desk(staff["sari"])
    rid = terbit_request(desk)
    item = desk.send_issued_document(rid)
    service = start(linked_office, {"link": "connected", "receipts": ["delivered", "read"]}, tmp_path)
    try:
        wait_until(lambda: desk.outbox_item(item).state == "read", what="read receipt")
    finally:
        service.stop()
    info = desk.outbox_item(item)
    assert info.wa_message_id.startswith("FAKE") and info.server_time is not None
    issued = [a for a in desk.get_request(rid).attachments if a.role == "issued"][0]
    assert info.sent_sha256 == issued.blob_sha256
    assert desk.get_request(rid).status == "terkirim"
    sent = [json.loads(line) for line in (linked_office.paths.data_dir / "whatsapp" / "fake-sent.jsonl").open()]
    # (terkirim then queued the survey invitation, a text: only the document's send counts here)
    assert [(s["to"], s["sha256"]) for s in sent if s.get("sha256")] == [("+6281234567890", issued.blob_sha256)]


def test_a_crash_mid_send_leaves_the_item_uncertain_and_the_worker_comes_back(linked_office, staff, tmp_path):
    desk = linked_office.desk(staff["sari"])
    crash = desk.create_request(new_request(applicant_phone="0813-5000-9999")).id
    fine = desk.create_request(new_request(applicant_name="Rahmat", applicant_phone="0813-5000-1111")).id
    first = desk.queue_message(crash, "Pesan ini membuat pekerja mati")
    second = desk.queue_message(fine, "Pesan ini sampai")
    service = start(linked_office, {"link": "connected", "recipients": {"+6281350009999": "crash"}}, tmp_path)
    try:
        wait_until(lambda: desk.outbox_item(second).state == "sent", what="the next send after the restart")
    finally:
        service.stop()
    assert desk.outbox_item(first).state == "uncertain"
    assert service.supervisors[""].restarts >= 1


def test_a_send_past_its_deadline_is_uncertain_and_the_hung_worker_is_replaced(linked_office, staff, tmp_path):
    desk = linked_office.desk(staff["sari"])
    hang = desk.queue_message(desk.create_request(new_request(applicant_phone="0813-5000-7777")).id, "hang")
    after = desk.queue_message(desk.create_request(new_request(applicant_name="B", applicant_phone="0813-5000-1111")).id,
                               "sesudahnya")
    service = start(linked_office, {"link": "connected", "recipients": {"+6281350007777": "hang"}}, tmp_path)
    try:
        wait_until(lambda: desk.outbox_item(after).state == "sent", timeout=20, what="send after the hang")
    finally:
        service.stop()
    hung = desk.outbox_item(hang)
    assert hung.state == "uncertain" and "batas waktu" in hung.last_error
    assert service.supervisors[""].restarts >= 1


def test_not_on_whatsapp_fails_at_once(linked_office, staff, tmp_path):
    desk = linked_office.desk(staff["sari"])
    item = desk.queue_message(desk.create_request(new_request(applicant_phone="0813-5000-4444")).id, "halo")
    service = start(linked_office, {"link": "connected", "recipients": {"+6281350004444": "not_on_whatsapp"}}, tmp_path)
    try:
        wait_until(lambda: desk.outbox_item(item).state == "failed", what="failed")
    finally:
        service.stop()
    info = desk.outbox_item(item)
    assert info.attempts == 1 and info.next_attempt_at is None and "tidak terdaftar" in info.last_error


def test_five_kinds_of_incoming_file_replayed_are_stored_once(linked_office, staff, tmp_path):
    desk = linked_office.desk(staff["sari"])
    rid = desk.create_request(new_request()).id
    files = incoming_files(tmp_path / "sent-by-resident")
    incoming = [{"message_id": f"IN{i}", "sender": "+6281234567890", "push_name": "Siti", "text": key,
                 "file": str(path), "file_name": path.name, "mime": "", "kind": "document"}
                for i, (key, path) in enumerate(files.items())]
    scenario = {"link": "connected", "incoming": incoming + incoming}  # each one twice: a replay
    service = start(linked_office, scenario, tmp_path)
    try:
        wait_until(lambda: len(desk.conversation(rid)) >= 5, what="five messages")
        time.sleep(0.5)
    finally:
        service.stop()
    entries = desk.conversation(rid)
    assert sorted(e.text for e in entries) == sorted(files)
    attached = sorted(a.original_name for a in desk.get_request(rid).attachments)
    assert attached == ["akta.pdf", "kk.jpg"]


def test_two_numbers_each_reply_leaves_from_the_number_written_to(staffed_office, staff, tmp_path):
    values = {**staffed_office.settings.__dict__, "whatsapp_transport": "linked", "whatsapp_min_gap_seconds": 0,
              "whatsapp_numbers": ["+6281100000001", "+6281100000002"]}
    staffed_office.update_settings(Actor.system(), Settings(**values))
    desk = staffed_office.desk(staff["sari"])
    rid = desk.create_request(new_request()).id
    scenario = {"by_account": {a: {"link": "connected", "inject_dir": str(tmp_path / f"inject{a}")}
                               for a in ("+6281100000001", "+6281100000002")}}
    service = start(staffed_office, scenario, tmp_path)
    try:
        for account in ("+6281100000001", "+6281100000002"):
            wait_until(lambda a=account: (s := state_of(desk, a)) and s.state == "connected", what=account)
        inject = tmp_path / "inject+6281100000002"
        inject.mkdir(exist_ok=True)
        (inject / "m.json").write_text(json.dumps({"event": "incoming", "message_id": "IN-2", "chat": "+6281234567890",
                                                   "sender": "+6281234567890", "sender_lid": "", "push_name": "Siti",
                                                   "at": "2026-12-01T01:00:00+00:00", "text": "halo nomor dua",
                                                   "quoted_id": "", "file": None, "file_error": ""}))
        wait_until(lambda: any(e.text == "halo nomor dua" for e in desk.conversation(rid)), what="incoming on #2")
        item = desk.queue_message(rid, "Balasan dari nomor dua")
        wait_until(lambda: desk.outbox_item(item).state == "sent", what="reply sent")
    finally:
        service.stop()
    # Queued for number two, and only number two's runner (with only its worker) takes it.
    assert desk.outbox_item(item).account == "+6281100000002"
    by_account = {r.accounts: r for r in service.runners}
    assert set(by_account) == {("+6281100000001", ""), ("+6281100000002",)}
