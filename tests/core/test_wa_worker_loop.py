"""The worker's protocol loop, driven through real pipes with a scripted backend."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import threading
from datetime import UTC, datetime

import pytest

from dikjamila import __version__
from dikjamila.whatsapp import protocol
from dikjamila.whatsapp.worker.backend import BackendError
from dikjamila.whatsapp.worker.loop import run_loop
from dikjamila.whatsapp.worker.stdio import FdLineReader

LOG = logging.getLogger("test.wa_loop")
SERVER_TIME = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)


class ScriptedBackend:
    """Answers sends from `script[to]`: a callable (called with the call's args) or a result."""

    def __init__(self, script=None, on_start=None):
        self.script = script or {}
        self.on_start = on_start
        self.calls: list[tuple] = []
        self.stopped = threading.Event()
        self.emit = None

    def start(self, emit):
        self.emit = emit
        if self.on_start:
            self.on_start(emit)

    def _answer(self, to, *args):
        self.calls.append((to, *args))
        answer = self.script.get(to, ("ID-" + to, SERVER_TIME))
        return answer(*args) if callable(answer) else answer

    def send_text(self, to, text):
        return self._answer(to, text)

    def send_document(self, to, data, file_name, mime, caption):
        return self._answer(to, data, file_name, mime, caption)

    def pair_phone(self, phone):
        return "ABCD1234"

    def logout(self):
        self.calls.append(("logout",))

    def stop(self):
        self.stopped.set()


class Harness:
    """run_loop on a thread, with OS pipes for stdin and stdout and a reader of the events."""

    def __init__(self, backend):
        r_in, w_in = os.pipe()
        r_out, w_out = os.pipe()
        self.stdin = open(w_in, "wb", buffering=0)  # noqa: SIM115 - open for the test's life
        self.events: queue.Queue = queue.Queue()
        self.raw_lines: list[bytes] = []
        self.code = None
        loop_stdin = open(r_in, "rb")  # noqa: SIM115 - handed to the loop
        loop_stdout = open(w_out, "wb", buffering=0)  # noqa: SIM115 - handed to the loop
        reader = open(r_out, "rb")  # noqa: SIM115 - read to its end by _collect
        threading.Thread(target=self._collect, args=(reader,), daemon=True).start()

        def run():
            try:
                self.code = run_loop(backend, account="", stdin=loop_stdin, stdout=loop_stdout, log=LOG)
            finally:
                loop_stdout.close()  # (stdin is left to the loop's reader thread, which may be in a read)

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def _collect(self, stream):
        for line in stream:
            self.raw_lines.append(line)
            self.events.put(protocol.decode(line))
        self.events.put(None)

    def send(self, command):
        line = command if isinstance(command, bytes) else (json.dumps(command) + "\n").encode()
        self.stdin.write(line)

    def next(self, timeout=5.0):
        event = self.events.get(timeout=timeout)
        assert event is not None, "stdout closed"
        return event

    def wait_for(self, name, timeout=5.0):
        while True:
            event = self.next(timeout)
            if event["event"] == name:
                return event

    def finish(self, timeout=5.0):
        self.stdin.close()
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the loop did not end"
        return self.code

    def rest(self):
        """Every event still to come, once the loop has ended."""
        found = []
        while (event := self.events.get(timeout=5)) is not None:
            found.append(event)
        return found


@pytest.fixture
def harnesses():
    made = []

    def make(backend):
        made.append(Harness(backend))
        return made[-1]

    yield make
    for harness in made:
        if not harness.stdin.closed:
            harness.stdin.close()


def test_ready_comes_first_then_ping_is_answered(harnesses):
    backend = ScriptedBackend(on_start=lambda emit: emit({"event": "qr", "data": "2@x"}))
    loop = harnesses(backend)
    ready = loop.next()
    assert ready == {"event": "ready", "pid": os.getpid(), "version": __version__, "account": ""}
    assert loop.next() == {"event": "qr", "data": "2@x"}
    loop.send({"cmd": "ping", "id": "p1"})
    assert loop.next() == {"event": "pong", "id": "p1"}
    assert loop.finish() == 0
    assert backend.stopped.is_set()


def test_an_acknowledged_text_gives_its_message_id_and_server_time(harnesses):
    loop = harnesses(ScriptedBackend({"+6281234567890": ("3EB0ABC", SERVER_TIME)}))
    loop.send({"cmd": "send_text", "id": "c1", "to": "+6281234567890", "text": "Halo"})
    result = loop.wait_for("send_result")
    assert result == {"event": "send_result", "id": "c1", "ok": True, "message_id": "3EB0ABC",
                      "server_time": "2025-06-01T08:30:00+00:00", "sha256": None}
    assert loop.finish() == 0


def test_a_hung_send_times_out_once_and_its_late_answer_is_only_logged(harnesses, caplog):
    release = threading.Event()

    def hang(*_):
        release.wait(10)
        return "LATE", SERVER_TIME

    loop = harnesses(ScriptedBackend({"+6281111111111": hang}))
    loop.send({"cmd": "send_text", "id": "c1", "to": "+6281111111111", "text": "x", "deadline_s": 0.3})
    loop.send({"cmd": "ping", "id": "p1"})  # the hung send blocks nothing else
    assert loop.wait_for("pong")["id"] == "p1"
    result = loop.wait_for("send_result", timeout=3)
    assert result["id"] == "c1" and result["ok"] is False and result["reason"] == "timeout"
    assert result["error"]
    with caplog.at_level(logging.WARNING, logger=LOG.name):
        release.set()
        loop.send({"cmd": "send_text", "id": "c2", "to": "+6282222222222", "text": "y"})
        assert loop.wait_for("send_result")["id"] == "c2"
        assert loop.finish() == 0
    assert [e for e in loop.rest() if e["event"] == "send_result"] == []
    assert "c1 answered after its deadline" in caplog.text


def test_a_document_goes_out_only_with_the_bytes_named_by_its_sha256(harnesses, tmp_path):
    pdf = tmp_path / "akta.pdf"
    pdf.write_bytes(b"%PDF-1.4\n\x00\xff signed bytes\r\n%%EOF")
    good = hashlib.sha256(pdf.read_bytes()).hexdigest()
    backend = ScriptedBackend()
    loop = harnesses(backend)
    loop.send({"cmd": "send_document", "id": "bad", "to": "+6281234567890", "path": str(pdf),
               "file_name": "akta.pdf", "mime": "application/pdf", "caption": "Akta", "sha256": "0" * 64})
    result = loop.wait_for("send_result")
    assert (result["id"], result["ok"], result["reason"]) == ("bad", False, "bad_file")
    assert backend.calls == []
    loop.send({"cmd": "send_document", "id": "missing", "to": "+6281234567890",
               "path": str(tmp_path / "gone.pdf"), "sha256": good})
    assert loop.wait_for("send_result")["reason"] == "bad_file"
    loop.send({"cmd": "send_document", "id": "good", "to": "+6281234567890", "path": str(pdf),
               "file_name": "akta.pdf", "mime": "application/pdf", "caption": "Akta", "sha256": good})
    result = loop.wait_for("send_result")
    assert result["ok"] is True and result["sha256"] == good
    assert backend.calls == [("+6281234567890", pdf.read_bytes(), "akta.pdf", "application/pdf", "Akta")]
    assert loop.finish() == 0


def _raise(error):
    def answer(*_):
        raise error
    return answer


def test_backend_errors_become_failure_reasons(harnesses):
    loop = harnesses(ScriptedBackend({
        "+6281000000001": _raise(BackendError("not_on_whatsapp", "no account")),
        "+6281000000002": _raise(BackendError("not_connected", "offline")),
        "+6281000000003": _raise(RuntimeError("library bug")),
    }))
    for number in (1, 2, 3):
        loop.send({"cmd": "send_text", "id": f"c{number}", "to": f"+628100000000{number}", "text": "x"})
    results = {r["id"]: r for r in (loop.wait_for("send_result") for _ in range(3))}
    assert {k: r["reason"] for k, r in results.items()} == {
        "c1": "not_on_whatsapp", "c2": "not_connected", "c3": "failed"}
    assert "library bug" in results["c3"]["error"]
    assert loop.finish() == 0


def test_an_invalid_line_gets_an_error_event_and_the_loop_goes_on(harnesses):
    loop = harnesses(ScriptedBackend())
    loop.next()  # ready
    for line in (b"not json\n", b'{"cmd": "format_disk", "id": "x"}\n', b"[1, 2]\n",
                 b'{"event": "pong", "id": "x"}\n', b'{"cmd": "send_text", "to": "+6281"}\n'):
        loop.send(line)
        error = loop.next()
        assert error["event"] == "error" and error["fatal"] is False and error["message"]
    loop.send(b"\n")  # a blank line is nothing
    loop.send({"cmd": "ping", "id": "p2"})
    assert loop.next() == {"event": "pong", "id": "p2"}
    assert loop.finish() == 0


def test_pairing_and_logout_are_answered(harnesses):
    backend = ScriptedBackend()
    loop = harnesses(backend)
    loop.send({"cmd": "pair_phone", "id": "c1", "phone": "+6281234567890"})
    assert loop.wait_for("paircode") == {"event": "paircode", "id": "c1", "code": "ABCD1234"}
    loop.send({"cmd": "logout", "id": "c2"})
    assert loop.wait_for("logged_out")["id"] == "c2"
    assert ("logout",) in backend.calls
    assert loop.finish() == 0


def test_stop_and_end_of_stdin_end_the_loop_with_0(harnesses):
    backend = ScriptedBackend()
    loop = harnesses(backend)
    loop.send({"cmd": "stop"})
    loop.thread.join(5)
    assert loop.code == 0 and backend.stopped.is_set()
    other = harnesses(ScriptedBackend())
    assert other.finish() == 0  # EOF


def test_a_backend_that_cannot_start_is_a_fatal_error(harnesses):
    def fail(_emit):
        raise RuntimeError("no library")

    loop = harnesses(ScriptedBackend(on_start=fail))
    assert loop.next()["event"] == "ready"
    error = loop.next()
    assert error["event"] == "error" and error["fatal"] is True and "no library" in error["message"]
    loop.thread.join(5)
    assert loop.code == 1


def test_events_from_many_threads_never_share_a_line(harnesses):
    threads, per_thread, text = 8, 150, "x" * 9000  # lines longer than a pipe's atomic write

    def flood(emit):
        def one(n):
            for i in range(per_thread):
                emit({"event": "incoming", "message_id": f"{n}-{i}", "text": text})
        for n in range(threads):
            threading.Thread(target=one, args=(n,), daemon=True).start()

    loop = harnesses(ScriptedBackend(on_start=flood))
    seen = set()
    while len(seen) < threads * per_thread:
        event = loop.next()
        if event["event"] == "incoming":
            assert event["text"] == text
            seen.add(event["message_id"])
    assert loop.finish() == 0
    assert all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in loop.raw_lines)


def test_a_send_outstanding_at_stop_is_never_answered_afterwards(harnesses):
    release = threading.Event()
    loop = harnesses(ScriptedBackend({"+6281111111111": lambda *_: (release.wait(5), ("LATE", SERVER_TIME))[1]}))
    loop.send({"cmd": "send_text", "id": "c1", "to": "+6281111111111", "text": "x"})
    loop.send({"cmd": "ping", "id": "p1"})
    loop.wait_for("pong")
    loop.send({"cmd": "stop"})
    loop.thread.join(5)
    release.set()
    assert loop.code == 0
    assert [e for e in loop.rest() if e["event"] == "send_result"] == []


def test_an_over_long_line_is_refused_whole_and_the_next_one_read(harnesses, monkeypatch):
    monkeypatch.setattr(protocol, "MAX_LINE", 1000)
    loop = harnesses(ScriptedBackend())
    loop.next()  # ready
    loop.send(b'{"cmd": "ping", "id": "' + b"x" * 5000 + b'"}\n')
    error = loop.next()
    assert error["event"] == "error" and "too long" in error["message"]
    loop.send({"cmd": "ping", "id": "p2"})
    assert loop.next() == {"event": "pong", "id": "p2"}
    assert loop.finish() == 0


def test_the_fd_line_reader_splits_lines_and_honours_the_limit():
    r, w = os.pipe()
    os.write(w, b"one\ntwo-long-line\nlast")
    os.close(w)
    reader = FdLineReader(r, chunk=3)
    assert reader.readline() == b"one\n"
    assert reader.readline(5) == b"two-l"
    assert reader.readline() == b"ong-line\n"
    assert reader.readline() == b"last"
    assert reader.readline() == b""
    os.close(r)
