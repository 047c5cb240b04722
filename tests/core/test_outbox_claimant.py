"""Outbox claimants: a runner starting on one PC turns into `uncertain` only the items left
`sending` by runners that are gone, never one another runner is sending right now.

On PostgreSQL "alive" is a lock held by the sending run on any PC; on SQLite (one PC), a process
of this PC that still runs (in this very process: a run still holding its claimant).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dikjamila.auth.roles import Actor
from dikjamila.db.dialects.claimants import this_host
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus

from .conftest import new_request

pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parents[2]


class Recorder:
    """A transport that sends at once and remembers what."""

    name = "scripted"
    paced = False

    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message.item_id)
        return SendOutcome(SendStatus.SENT, message_id=f"WAID{message.item_id}", server_time=datetime.now(UTC))

    def close(self):
        pass


class HeldUp(Recorder):
    """Runner A's transport: waits mid-send (for WhatsApp's answer) until the test lets it finish."""

    def __init__(self):
        super().__init__()
        self.sending, self.answer = threading.Event(), threading.Event()

    def send(self, message):
        self.sending.set()
        assert self.answer.wait(10)
        return super().send(message)


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


@pytest.fixture
def runner_desk(staffed_office):
    return staffed_office.desk(Actor.system("whatsapp"))


def _queued(desk) -> int:
    return desk.queue_message(desk.create_request(new_request()).id, "Berkas Anda kami terima.")


def _claimed_by(office, item: int) -> str:
    from dikjamila.db.models import OutboxItem

    with office.db.reading() as session:
        return session.get(OutboxItem, item).claimed_by


def _start_runner(runner_desk, transport):
    runner = OutboxRunner(runner_desk, transport, accounts=("",))
    summary = []
    thread = threading.Thread(target=lambda: summary.append(runner.run_once()), daemon=True)
    thread.start()
    assert transport.sending.wait(5)
    return thread, summary


def test_a_runner_starting_leaves_alone_the_item_another_runner_is_sending(staffed_office, desk, runner_desk):
    item = _queued(desk)
    a = HeldUp()
    thread, a_summary = _start_runner(runner_desk, a)  # runner A: the item is `sending`, WhatsApp not answered
    try:
        b = Recorder()
        b_summary = OutboxRunner(staffed_office.desk(Actor.system("whatsapp")), b, accounts=("",)).run_once()
        assert b_summary.recovered == [] and b.sent == []
        assert desk.outbox_item(item).state == "sending"
        assert _claimed_by(staffed_office, item).startswith(f"{this_host()}/{os.getpid()}/")
    finally:
        a.answer.set()  # WhatsApp answers A: its outcome is still recorded
        thread.join(10)
    assert a_summary[0].sent == 1 and a_summary[0].recovered == []
    info = desk.outbox_item(item)
    assert info.state == "sent" and info.wa_message_id == f"WAID{item}"


def test_the_item_of_a_runner_that_let_go_becomes_uncertain(desk, runner_desk):
    item = _queued(desk)
    a = runner_desk.hold_claimant()
    assert runner_desk.claim_next(accounts=("",), transport="x", paced=False, claimant=a.name).message.item_id == item
    assert OutboxRunner(runner_desk, Recorder(), accounts=("",)).run_once().recovered == []  # A holds it
    a.let_go()  # A is gone (PostgreSQL: its lock connection closed)

    b = Recorder()
    assert OutboxRunner(runner_desk, b, accounts=("",)).run_once().recovered == [item]
    assert b.sent == [] and desk.outbox_item(item).state == "uncertain"


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.parametrize("whose", ["another PC", "a process that ended"])
def test_the_item_of_a_claimant_nobody_holds_becomes_uncertain(desk, runner_desk, whose):
    host, pid = ("pc-loket-2", os.getpid()) if whose == "another PC" else (this_host(), _gone_pid())
    item = _queued(desk)
    runner_desk.claim_next(accounts=("",), transport="x", paced=False, claimant=f"{host}/{pid}/0123456789abcdef")
    assert OutboxRunner(runner_desk, Recorder(), accounts=("",)).run_once().recovered == [item]
    assert desk.outbox_item(item).state == "uncertain"


def test_a_runner_leaves_its_own_items_alone(desk, runner_desk):
    item = _queued(desk)
    mine = "pc-loket-2/1/0123456789abcdef"  # not held anywhere: only the name says it is the caller's
    runner_desk.claim_next(accounts=("",), transport="x", paced=False, claimant=mine)
    assert runner_desk.recover_interrupted(("",), claimant=mine) == []
    assert desk.outbox_item(item).state == "sending"
    assert runner_desk.recover_interrupted(("",), claimant="pc-loket-2/1/fedcba9876543210") == [item]


# A runner in a process of its own (another PC's, as far as the database can tell), stuck waiting
# for WhatsApp's answer until it is killed.
CHILD = """
import sys, threading
from dikjamila.auth.roles import Actor
from dikjamila.office import Office
from dikjamila.whatsapp.runner import OutboxRunner

class Stuck:
    name, paced = "stuck", False

    def send(self, message):
        print("sending", message.item_id, flush=True)
        threading.Event().wait()

office = Office.open(sys.argv[1])
OutboxRunner(office.desk(Actor.system("whatsapp")), Stuck(), accounts=("",)).run_once()
"""


def test_a_runner_process_killed_mid_send_leaves_an_uncertain_item_and_not_before(staffed_office, desk,
                                                                                runner_desk):
    item = _queued(desk)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(staffed_office.paths.data_dir)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().split() == ["sending", str(item)]
        assert OutboxRunner(runner_desk, Recorder(), accounts=("",)).run_once().recovered == []
        assert desk.outbox_item(item).state == "sending"
        assert _claimed_by(staffed_office, item).startswith(f"{this_host()}/{child.pid}/")
    finally:
        child.kill()  # SIGKILL: nothing of the child's own runs
        child.wait(10)

    # The server drops the child's connection (and lock) as soon as it sees the socket closed.
    deadline, recovered = time.monotonic() + 5, []
    while not recovered and time.monotonic() < deadline:
        recovered = OutboxRunner(runner_desk, Recorder(), accounts=("",)).run_once().recovered
        time.sleep(0.05)
    assert recovered == [item]
    assert desk.outbox_item(item).state == "uncertain"
