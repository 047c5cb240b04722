"""The outbox: one intended message is one item — retries reuse it, "Kirim lagi" makes a new one."""

from __future__ import annotations

import multiprocessing as mp

import pytest
from sqlalchemy import func, select

from dikjamila.db.models import OutboxItem
from dikjamila.errors import Conflict, InvalidInput
from dikjamila.office import Office
from dikjamila.whatsapp.outbox_state import OutboxState, can_move

from .conftest import new_request

pytestmark = pytest.mark.both_engines  # the same behaviour on SQLite and PostgreSQL (issue 10)


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def rid(desk):
    return desk.create_request(new_request()).id


def _rows(office) -> int:
    with office.db.reading() as session:
        return session.scalar(select(func.count()).select_from(OutboxItem))


def _fail(desk, item_id, error="waktu habis"):
    desk.mark_outbox(item_id, OutboxState.SENDING)
    return desk.mark_outbox(item_id, OutboxState.FAILED, error=error)


def test_a_double_click_queues_one_message(staffed_office, desk, rid):
    first = desk.queue_message(rid, "Mohon kirim foto KK.")
    assert desk.queue_message(rid, "Mohon kirim foto KK.") == first
    assert _rows(staffed_office) == 1
    assert desk.outbox_item(first).recipient == "+6281234567890"


def test_a_different_text_is_a_new_message_and_the_same_text_may_go_to_another_request(staffed_office, desk, rid):
    first = desk.queue_message(rid, "Mohon kirim foto KK.")
    other_text = desk.queue_message(rid, "Mohon kirim foto KTP.")
    other_request = desk.create_request(new_request(applicant_name="Rahmat")).id
    same_text_elsewhere = desk.queue_message(other_request, "Mohon kirim foto KK.")
    assert len({first, other_text, same_text_elsewhere}) == 3
    assert _rows(staffed_office) == 3


def test_queueing_a_failed_message_again_retries_the_same_row(staffed_office, desk, rid):
    item = desk.queue_message(rid, "Dokumen Anda sudah terbit.")
    failed = _fail(desk, item)
    assert failed.state == "failed" and failed.attempts == 1 and failed.last_error == "waktu habis"
    assert desk.queue_message(rid, "Dokumen Anda sudah terbit.") == item  # no unique-key collision
    again = desk.outbox_item(item)
    assert again.state == "queued" and again.attempts == 1
    assert _rows(staffed_office) == 1
    assert [e.action for e in desk.history(rid)].count("outbox.retry") == 1


def test_retry_after_failure_reuses_the_row(staffed_office, desk, rid):
    item = desk.queue_message(rid, "Dokumen Anda sudah terbit.")
    _fail(desk, item)
    assert desk.retry_message(item).state == "queued"
    assert _rows(staffed_office) == 1


def test_kirim_lagi_of_a_sent_message_queues_a_new_one_once(staffed_office, desk, rid):
    item = desk.queue_message(rid, "Dokumen Anda sudah terbit.")
    desk.mark_outbox(item, OutboxState.SENDING)
    desk.mark_outbox(item, OutboxState.SENT)
    assert desk.queue_message(rid, "Dokumen Anda sudah terbit.") == item  # not sent twice by accident
    again = desk.resend_message(item)
    assert again.id != item and again.state == "queued" and again.resend_of_id == item
    assert desk.resend_message(item).id == again.id  # a double click on "Kirim lagi"
    assert _rows(staffed_office) == 2
    conversation = [e for e in desk.conversation(rid) if e.direction == "out"]
    assert [(e.outbox_id, e.state) for e in conversation] == [(item, "sent"), (again.id, "queued")]


def test_kirim_lagi_is_refused_for_a_message_that_has_not_gone_out(desk, rid):
    item = desk.queue_message(rid, "Dokumen Anda sudah terbit.")
    with pytest.raises(Conflict, match="Coba lagi"):
        desk.resend_message(item)


def test_moves_outside_the_state_model_are_refused(desk, rid):
    item = desk.queue_message(rid, "Dokumen Anda sudah terbit.")
    with pytest.raises(Conflict, match="tidak bisa menjadi terkirim"):
        desk.mark_outbox(item, OutboxState.SENT)  # never claimed for sending
    desk.mark_outbox(item, OutboxState.SENDING)
    desk.mark_outbox(item, OutboxState.SENT)
    with pytest.raises(Conflict):
        desk.mark_outbox(item, OutboxState.SENDING)  # a late report cannot undo "sent"
    assert desk.outbox_item(item).state == "sent"


def test_an_uncertain_send_is_never_queued_again_by_queueing_the_same_message(desk, rid):
    item = desk.queue_message(rid, "Dokumen Anda sudah terbit.")
    desk.mark_outbox(item, OutboxState.SENDING)
    desk.mark_outbox(item, OutboxState.UNCERTAIN)
    assert desk.queue_message(rid, "Dokumen Anda sudah terbit.") == item
    assert desk.outbox_item(item).state == "uncertain"  # an operator decides
    assert desk.retry_message(item).state == "queued"  # ...explicitly


def test_the_state_model_in_brief():
    assert can_move("queued", "sending") and can_move("sending", "uncertain") and can_move("failed", "queued")
    assert not can_move("sent", "queued") and not can_move("read", "sent") and not can_move("queued", "sent")


def test_an_empty_or_huge_message_is_refused_and_nothing_is_queued(staffed_office, desk, rid):
    with pytest.raises(InvalidInput, match="kosong"):
        desk.queue_message(rid, "   ")
    with pytest.raises(InvalidInput, match="terlalu panjang"):
        desk.queue_message(rid, "x" * 5000)
    assert _rows(staffed_office) == 0


def _queuer(data_dir: str, username: str, rid: int, start, results) -> None:
    office = Office.open(data_dir)
    desk = office.desk(office.actor_for(username))
    start.wait(timeout=60)
    ids = [desk.queue_message(rid, f"Pesan nomor {i}") for i in range(8)]
    results.put(ids)
    office.close()


def test_the_same_messages_queued_from_two_processes_are_queued_once(staffed_office, staff):
    desk = staffed_office.desk(staff["hasan"])
    rid = desk.create_request(new_request()).id
    ctx = mp.get_context("spawn")
    start, results = ctx.Barrier(2), ctx.Queue()
    folder = str(staffed_office.paths.data_dir)
    procs = [ctx.Process(target=_queuer, args=(folder, user, rid, start, results)) for user in ("hasan", "admin")]
    for p in procs:
        p.start()
    first, second = results.get(timeout=120), results.get(timeout=120)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert first == second  # both processes got the same item for each message
    assert _rows(staffed_office) == 8
