"""One WhatsApp worker per office number across PCs sharing one PostgreSQL server.

"PC A" is played by a connection of the test holding the number's advisory lock under the
name a worker on a PC called LOKET-A would use; "PC B" is this process's link service with
the fake worker (the real worker_main, supervisor, lock and guard; the library faked).

- A refused worker leaves the shared `whatsapp_links` row (state, time, commands left for A)
  untouched, says locally that the number runs on LOKET-A, and asks again only after a while.
- The lock lives on its own connection: killed from the server side, the guard takes the lock
  again; if another PC got it meanwhile, the worker stops and exits with code 3.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from dikjamila.auth.roles import Actor
from dikjamila.config import Settings
from dikjamila.db.dialects.postgresql import (
    LINK_LOCK_CLASS,
    LinkHeldElsewhere,
    hold_link_lock,
)
from dikjamila.db.pg_changes import libpq_params
from dikjamila.whatsapp import protocol
from dikjamila.whatsapp.link_state import LinkState
from dikjamila.whatsapp.service import LinkService
from dikjamila.whatsapp.supervisor import EXIT_SESSION_BUSY
from tests.pg_support import copied_pg_office

ROOT = Path(__file__).resolve().parents[2]
OTHER_PC = "LOKET-A"
WORKER_APPS = "dikjamila-wa:%"  # the application_name of every worker's lock connection


@pytest.fixture
def pg_linked_office(pg_server, pg_staffed_template, tmp_path):
    with copied_pg_office(pg_server, pg_staffed_template, tmp_path / "kantor") as office:
        values = {**office.settings.__dict__, "whatsapp_transport": "linked", "whatsapp_min_gap_seconds": 0,
                  "whatsapp_send_deadline_seconds": 2}
        office.update_settings(Actor.system(), Settings(**values))
        yield office


def wait_until(check, timeout=15.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def other_pc(url: str, account: str = "") -> psycopg.Connection:
    """A connection named like the lock connection of a worker for `account` on LOKET-A."""
    return psycopg.connect(**libpq_params(url), autocommit=True, application_name=f"dikjamila-wa:{account} {OTHER_PC}")


def lock_number(conn: psycopg.Connection, account: str = "", *, wait: bool = False) -> bool:
    """Take the number's lock on `conn` (as hold_link_lock does); `wait`: queue for it."""
    how = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
    row = conn.execute(f"SELECT {how}(%s, hashtext(%s))::text", (LINK_LOCK_CLASS, "dikjamila-wa:" + account)).fetchone()
    return row[0] in ("true", "")


def lock_holders(admin: psycopg.Connection) -> list[tuple[int, str]]:
    """(pid, application_name) of the worker-named connections holding an advisory lock."""
    return admin.execute(
        "SELECT a.pid, a.application_name FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid "
        "WHERE a.datname = current_database() AND a.application_name LIKE %s AND l.locktype = 'advisory' "
        "AND l.granted ORDER BY a.pid", (WORKER_APPS,)).fetchall()


def row_of(desk, account=""):
    return {s.account: s for s in desk.link_states()}.get(account)


def fake_worker(folder: Path, scenario: dict, *, lock_check_s: float = 0.3):
    def command(data_dir: Path, account: str) -> list[str]:
        path = folder / "scenario.json"
        path.write_text(json.dumps(scenario))
        return [sys.executable, "-m", "tests.fakes.guarded_worker", "--data-dir", str(data_dir),
                "--scenario", str(path), "--lock-check-s", str(lock_check_s)] + (
                    ["--account", account] if account else [])
    return command


# -- a refused worker ---------------------------------------------------------------------------

def test_a_refused_worker_leaves_the_shared_row_alone_and_says_which_pc_has_the_number(pg_linked_office, tmp_path):
    office = pg_linked_office
    desk = office.desk(office.actor_for("sari"))
    pc_a = other_pc(office.db.url)
    try:
        assert lock_number(pc_a)
        # What PC A wrote, and a request another PC left for it.
        office.desk(Actor.system("whatsapp")).set_link_state("", LinkState.CONNECTED, phone="+6281100000001",
                                                             detail="", pid=4242)
        desk.request_link_command("", "pair:0812-3456-7890")
        before = row_of(desk)

        service = LinkService(office, transport="linked", command_for=fake_worker(tmp_path, {"link": "connected"}),
                              backoff=(0.2,))  # a crash would be retried at once; a refusal waits a minute
        service.start()
        try:
            supervisor = service.supervisors[""]
            wait_until(lambda: supervisor.state == LinkState.ELSEWHERE, what="the refusal")
            time.sleep(2.5)  # several restarts, were it retried like a crash
            assert supervisor.restarts == 1
            assert f"sudah berjalan di PC {OTHER_PC}" in supervisor.held_elsewhere
            assert service.held_elsewhere() == {"": supervisor.held_elsewhere}
            assert row_of(desk) == before
        finally:
            service.stop()
        assert row_of(desk) == before  # stopping B does not say "stopped" for A either
        assert before.state == LinkState.CONNECTED and before.pending_command == "pair:+6281234567890"
    finally:
        pc_a.close()


def test_once_the_other_pc_lets_go_the_number_is_taken_here_at_the_next_try(pg_linked_office, tmp_path):
    office = pg_linked_office
    desk = office.desk(office.actor_for("sari"))
    pc_a = other_pc(office.db.url)
    assert lock_number(pc_a)
    service = LinkService(office, transport="linked", command_for=fake_worker(tmp_path, {"link": "connected"}),
                          backoff=(0.2,), held_retry_s=1.0)
    service.start()
    try:
        supervisor = service.supervisors[""]
        wait_until(lambda: supervisor.state == LinkState.ELSEWHERE, what="the refusal")
        assert row_of(desk) is None
        pc_a.close()
        connected = wait_until(lambda: (s := row_of(desk)) and s.state == LinkState.CONNECTED and s,
                               what="connected here")
        assert connected.pid == supervisor.pid and supervisor.held_elsewhere == ""
    finally:
        service.stop()
        pc_a.close()
    assert row_of(desk).state == LinkState.STOPPED


# -- the lock's connection lost -----------------------------------------------------------------

class WorkerProcess:
    """The guarded fake worker as a process, its events read on a thread."""

    def __init__(self, data_dir: Path, tmp_path: Path, scenario: dict):
        command = fake_worker(tmp_path, scenario)(data_dir, "")
        self.stderr_path = tmp_path / "worker-stderr.txt"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr)
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self):
        for line in self.proc.stdout:
            self.events.put(json.loads(line))
        self.events.put(None)

    def send(self, command: dict) -> None:
        self.proc.stdin.write(protocol.encode(command).encode("utf-8"))
        self.proc.stdin.flush()

    def wait_for(self, name: str, timeout: float = 15.0) -> dict:
        while True:
            event = self.events.get(timeout=timeout)
            assert event is not None, f"stdout ended before {name!r}; stderr: {self.stderr()}"
            if event["event"] == name:
                return event

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass  # a pipe to a killed process
        self._stderr.close()


@pytest.fixture
def admin(pg_linked_office):
    conn = psycopg.connect(**libpq_params(pg_linked_office.db.url), autocommit=True)
    yield conn
    conn.close()


def kill_lock_connection(admin: psycopg.Connection, pid: int) -> None:
    """End the worker's lock connection from the server side (as a restart or a cut would)."""
    assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]


def test_a_killed_lock_connection_is_replaced_and_the_number_stays_locked(pg_linked_office, admin, tmp_path):
    url = pg_linked_office.db.url
    worker = WorkerProcess(pg_linked_office.paths.data_dir, tmp_path, {"link": "connected"})
    try:
        worker.wait_for("connected")
        [(first, _app)] = lock_holders(admin)
        kill_lock_connection(admin, first)
        [(second, app)] = wait_until(lambda: [h for h in lock_holders(admin) if h[0] != first],
                                     what="the lock taken again")
        assert app.startswith("dikjamila-wa:") and second != first
        with pytest.raises(LinkHeldElsewhere):
            hold_link_lock(url, "").close()
        worker.send({"cmd": "send_text", "id": "c1", "to": "+6281234567890", "text": "masih jalan"})
        assert worker.wait_for("send_result")["ok"] is True
        worker.send({"cmd": "stop"})
        assert worker.proc.wait(15) == 0
    finally:
        worker.close()
    wait_until(lambda: lock_holders(admin) == [], what="the lock let go at the end")


def test_a_number_taken_by_another_pc_meanwhile_stops_the_worker_with_exit_code_3(pg_linked_office, admin, tmp_path):
    worker = WorkerProcess(pg_linked_office.paths.data_dir, tmp_path, {"link": "connected"})
    pc_a = other_pc(pg_linked_office.db.url)
    try:
        worker.wait_for("connected")
        [(mine, _app)] = lock_holders(admin)
        # PC A queues for the number, so it has it the moment the worker's connection is gone.
        waiting = threading.Thread(target=lock_number, args=(pc_a,), kwargs={"wait": True}, daemon=True)
        waiting.start()
        wait_until(lambda: admin.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                         "AND NOT granted").fetchone()[0], what="PC A waiting")
        kill_lock_connection(admin, mine)
        waiting.join(10)
        assert [app for _pid, app in lock_holders(admin)] == [f"dikjamila-wa: {OTHER_PC}"]

        refusal = worker.wait_for("error")
        assert refusal["reason"] == "held_elsewhere" and refusal["fatal"] is True
        assert f"sudah berjalan di PC {OTHER_PC}" in refusal["message"]
        assert worker.proc.wait(15) == EXIT_SESSION_BUSY
        assert f"sudah berjalan di PC {OTHER_PC}" in worker.stderr()
    finally:
        worker.close()
        pc_a.close()
