"""Several PCs on one PostgreSQL server, played by real processes (fresh ones, each opening the
office by its data dir): claims, outbox sends, request numbers and the audit chain stay right
when they all write at once. PostgreSQL only: on SQLite one writer at a time makes these safe.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from dikjamila import audit
from dikjamila.auth.roles import Actor
from dikjamila.db.dialects.postgresql import LinkHeldElsewhere, hold_link_lock
from dikjamila.db.models import AuditEvent, NumberCounter, OutboxItem, Request, User
from dikjamila.db.types import utcnow
from dikjamila.desk import InboxFilter
from dikjamila.errors import Conflict
from dikjamila.office import Office
from dikjamila.whatsapp.outbox_state import OutboxState
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus
from tests.pg_support import copied_pg_office

from .conftest import new_request

CLAIMERS, REQUESTS = 8, 1000
RUNNERS, ITEMS = 2, 500
CREATORS, CREATED = 8, 1000
WRITERS, EVENTS = 4, 1000
EDITORS, EDITED = 4, 100
DAYS = (datetime(2027, 3, 1, 1, 0, tzinfo=UTC), datetime(2027, 3, 2, 1, 0, tzinfo=UTC))  # new days: no counter yet


@pytest.fixture
def pg_office(pg_server, pg_staffed_template, tmp_path):
    with copied_pg_office(pg_server, pg_staffed_template, tmp_path / "kantor") as office:
        yield office


def _analyze(office) -> None:
    """Statistics for rows just bulk-inserted (autovacuum would take up to a minute)."""
    with office.db.writing() as session:
        session.execute(text("ANALYZE"))


def _context():
    """Fresh processes, as other PCs are: nothing inherited but the code.

    NOTE: "forkserver" where there is one: a server process imports the core once and each
    process is forked from it (~20 ms instead of ~2 s of imports each, 22 processes here); like
    "spawn", no connection or thread of the test process is inherited.
    """
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    return ctx


def _run(target, args_per_process: list[tuple], timeout: float = 120) -> list:
    """Start one process per args tuple (each gets a shared start barrier and a result queue
    after its args); return what each put on the queue."""
    ctx = _context()
    start, results = ctx.Barrier(len(args_per_process)), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, start, results)) for args in args_per_process]
    for p in procs:
        p.start()
    out = [results.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    return out


# -- claiming requests ------------------------------------------------------------------------

def _claimer(data_dir: str, username: str, seed: int, start, results) -> None:
    office = Office.open(data_dir)
    desk = office.desk(office.actor_for(username))
    rng = random.Random(seed)
    won, lost = [], 0
    start.wait(timeout=120)
    while rows := desk.inbox(InboxFilter(unassigned=True), limit=200).rows:
        # A few of what the inbox shows, like an operator picking: the others race for them too.
        for row in rng.sample(rows, min(25, len(rows))):
            try:
                desk.claim(row.id)
                won.append(row.id)
            except Conflict:
                lost += 1
    results.put((username, won, lost))
    office.close()


def test_eight_processes_claiming_from_a_thousand_requests_claim_each_exactly_once(pg_office):
    now = utcnow()
    with pg_office.db.writing() as session:
        users = [User(username=f"op{i}", full_name=f"Operator {i}", role="operator", password_hash="!no-login")
                 for i in range(CLAIMERS)]
        session.add_all(users)
        session.add_all(Request(number=f"UJI-20270301-{i:04d}", service_code="akta_kelahiran",
                                applicant_name=f"Warga {i}", channel="whatsapp", received_at=now,
                                updated_at=now, due_at=now + timedelta(days=3)) for i in range(REQUESTS))
    _analyze(pg_office)
    with pg_office.db.reading() as session:
        events_before = audit.count(session)
    folder = str(pg_office.paths.data_dir)
    outcomes = _run(_claimer, [(folder, f"op{i}", i) for i in range(CLAIMERS)])

    won = [rid for _, ids, _ in outcomes for rid in ids]
    assert len(won) == len(set(won)) == REQUESTS  # each claimed once, by one process
    assert sum(lost for *_, lost in outcomes) > 0  # they did race
    winner = {rid: user for user, ids, _ in outcomes for rid in ids}
    with pg_office.db.reading() as session:
        names = dict(session.execute(select(User.id, User.username)).all())
        assignees = dict(session.execute(select(Request.id, Request.assignee_id)).all())
        claims = session.execute(select(AuditEvent.entity_id, func.count()).where(
            AuditEvent.action == "request.claim").group_by(AuditEvent.entity_id)).all()
        assert audit.count(session) == events_before + REQUESTS
        assert audit.verify(session) == []
    assert {rid: names[uid] for rid, uid in assignees.items()} == winner
    assert len(claims) == REQUESTS and {n for _, n in claims} == {1}


# -- conflicting edits --------------------------------------------------------------------------

def _editor(data_dir: str, index: int, ids: list[int], start, results) -> None:
    office = Office.open(data_dir)
    desk = office.desk(office.actor_for("hasan"))
    order = random.Random(index).sample(ids, len(ids))
    saved = []
    start.wait(timeout=120)
    for rid in order:  # every PC opened version 1 and saves its own name
        try:
            desk.update_request(rid, 1, {"applicant_name": f"Nama Dari PC {index}"})
            saved.append(rid)
        except Conflict:
            pass
    results.put((index, saved))
    office.close()


def test_four_processes_saving_over_the_same_version_keep_one_edit_and_refuse_the_rest(pg_office):
    now = utcnow()
    with pg_office.db.writing() as session:
        session.add_all(Request(number=f"UJI-20270305-{i:04d}", service_code="akta_kelahiran",
                                applicant_name=f"Warga {i}", channel="whatsapp", received_at=now,
                                updated_at=now, due_at=now + timedelta(days=3)) for i in range(EDITED))
    _analyze(pg_office)
    with pg_office.db.reading() as session:
        ids = list(session.scalars(select(Request.id)))
    outcomes = _run(_editor, [(str(pg_office.paths.data_dir), i, ids) for i in range(EDITORS)])

    saved = {rid: index for index, rids in outcomes for rid in rids}
    assert sum(len(rids) for _, rids in outcomes) == len(saved) == EDITED  # one edit each, never two
    with pg_office.db.reading() as session:
        rows = session.execute(select(Request.id, Request.applicant_name, Request.row_version)).all()
    assert {rid: (name, version) for rid, name, version in rows} == {
        rid: (f"Nama Dari PC {index}", 2) for rid, index in saved.items()}


# -- outbox runners -----------------------------------------------------------------------------

class _RecordingTransport:
    """Like the folder transport: nothing to confirm, sends recorded, one file per process."""

    name = "folder"
    paced = False

    def __init__(self, path: Path):
        self.path = path

    def send(self, message) -> SendOutcome:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"item": message.item_id, "to": message.recipient}) + "\n")
        return SendOutcome(SendStatus.SENT, message_id=f"UJI{message.item_id}", server_time=utcnow())

    def close(self) -> None:
        pass


def _outbox_runner(data_dir: str, sent_file: str, start, results) -> None:
    from dikjamila.whatsapp.runner import OutboxRunner

    office = Office.open(data_dir)
    desk = office.desk(Actor.system("whatsapp"))
    runner = OutboxRunner(desk, _RecordingTransport(Path(sent_file)), accounts=("",))
    # Each run recovers what dead runners left `sending` as it starts; the other runner's items
    # (its claimant alive) are left alone, however the two starts interleave.
    start.wait(timeout=120)
    summary = runner.run_once()
    results.put((sent_file, summary.sent, summary.stopped_because))
    office.close()


def test_two_outbox_runners_over_five_hundred_items_send_each_exactly_once(pg_office, tmp_path):
    now = utcnow()
    with pg_office.db.writing() as session:
        session.add_all(OutboxItem(recipient=f"+62812{i:07d}", text=f"Pesan {i}", state=OutboxState.QUEUED,
                                   idempotency_key=f"uji-{i}", created_at=now, updated_at=now)
                        for i in range(ITEMS))
    _analyze(pg_office)
    folder = str(pg_office.paths.data_dir)
    outcomes = _run(_outbox_runner, [(folder, str(tmp_path / f"sent-{i}.jsonl")) for i in range(RUNNERS)])

    sent = [json.loads(line)["item"] for file, *_ in outcomes for line in Path(file).read_text().splitlines()]
    assert len(sent) == len(set(sent)) == ITEMS
    assert all(n > 0 for _, n, _ in outcomes)  # both took part
    with pg_office.db.reading() as session:
        states = dict(session.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state)).all())
        assert states == {OutboxState.SENT.value: ITEMS}
        assert audit.verify(session) == []


# -- request numbers ----------------------------------------------------------------------------

def _creator(data_dir: str, index: int, start, results) -> None:
    office = Office.open(data_dir)
    desk = office.desk(office.actor_for("sari"))
    start.wait(timeout=120)
    numbers = []
    for i in range(CREATED // CREATORS):
        received = DAYS[(i + index) % 2] + timedelta(minutes=index)
        numbers.append(desk.create_request(new_request(
            applicant_name=f"Warga {index}-{i}", applicant_nik="", applicant_phone=f"0812{index:02d}{i:06d}",
            received_at=received)).number)
    results.put(numbers)
    office.close()


def test_eight_processes_creating_a_thousand_requests_get_unique_numbers_without_gaps(pg_office):
    folder = str(pg_office.paths.data_dir)
    numbers = [n for batch in _run(_creator, [(folder, i) for i in range(CREATORS)]) for n in batch]

    assert len(numbers) == len(set(numbers)) == CREATED
    by_day: dict[str, list[int]] = {}
    for number in numbers:
        _prefix, day, serial = number.split("-")
        by_day.setdefault(day, []).append(int(serial))
    assert set(by_day) == {"20270301", "20270302"}
    with pg_office.db.reading() as session:
        counters = dict(session.execute(select(NumberCounter.day, NumberCounter.last)).all())
    for day, serials in by_day.items():
        assert sorted(serials) == list(range(1, len(serials) + 1))  # no gap, no repeat
        assert counters[day] == len(serials)


# -- the audit chain ----------------------------------------------------------------------------

def _audit_writer(data_dir: str, index: int, start, results) -> None:
    office = Office.open(data_dir)
    start.wait(timeout=120)
    for i in range(EVENTS // WRITERS):
        with office.db.writing() as session:
            audit.record(session, actor_id=None, actor_name=f"pc{index}", action="uji.catat",
                         entity_type="uji", entity_id=f"{index}-{i}", summary={"i": i})
    results.put(index)
    office.close()


def test_four_processes_writing_a_thousand_audit_events_keep_one_unbroken_chain(pg_office):
    with pg_office.db.reading() as session:
        before = audit.count(session)
    folder = str(pg_office.paths.data_dir)
    _run(_audit_writer, [(folder, i) for i in range(WRITERS)])

    with pg_office.db.reading() as session:
        assert audit.count(session) == before + EVENTS
        assert audit.verify(session) == []
        assert audit.head(session).count == before + EVENTS
        hashes = session.scalars(select(AuditEvent.prev_hash).order_by(AuditEvent.id)).all()
    assert len(hashes) == len(set(hashes))  # no two events extend the same head


# -- one WhatsApp worker per office number ------------------------------------------------------

def test_an_office_number_runs_on_one_pc_only_and_the_refusal_names_it(pg_office):
    url = pg_office.db.url
    held = hold_link_lock(url, "+6281100000001")
    try:
        with pytest.raises(LinkHeldElsewhere) as refused:
            hold_link_lock(url, "+6281100000001")
        assert socket.gethostname()[:40] in refused.value.message and "+6281100000001" in refused.value.message
        other = hold_link_lock(url, "+6281100000002")  # another number: its own lock
        other.close()
    finally:
        held.close()
    hold_link_lock(url, "+6281100000001").close()  # free again once the holder closed


def test_a_worker_for_a_number_held_elsewhere_exits_with_the_refusal(pg_office):
    from dikjamila.whatsapp.supervisor import EXIT_SESSION_BUSY, worker_command

    held = hold_link_lock(pg_office.db.url, "")  # "another PC" runs the office's only number
    try:
        worker = subprocess.run(worker_command(pg_office.paths.data_dir), input="", capture_output=True,
                                text=True, timeout=60, check=False)
    finally:
        held.close()
    assert worker.returncode == EXIT_SESSION_BUSY
    assert f"sudah berjalan di PC {socket.gethostname()[:40]}" in worker.stderr
