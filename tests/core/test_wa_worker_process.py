"""The worker as a real process: the fake worker (real worker_main, loop, lock; fake library)."""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fpdf import FPDF

from dikjamila.errors import UserError
from dikjamila.whatsapp import protocol
from dikjamila.whatsapp.worker import paths
from dikjamila.whatsapp.worker.incoming_files import safe_name, store_incoming
from dikjamila.whatsapp.worker.worker_log import close_worker_log, setup_worker_log

ROOT = Path(__file__).resolve().parents[2]


class Worker:
    """`python -m tests.fakes.fake_worker` with its stdout read line by line on a thread."""

    def __init__(self, tmp_path: Path, data_dir: Path, scenario: dict, account: str = "", name: str = "w"):
        scenario_file = tmp_path / f"{name}-scenario.json"
        scenario_file.write_text(json.dumps(scenario), encoding="utf-8")
        self.stderr_path = tmp_path / f"{name}-stderr.txt"
        self._stderr = open(self.stderr_path, "wb")  # noqa: SIM115 - closed in wait()/close()
        command = [sys.executable, "-m", "tests.fakes.fake_worker", "--data-dir", str(data_dir),
                   "--scenario", str(scenario_file)]
        if account:
            command += ["--account", account]
        self.proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr)
        self.lines: list[bytes] = []
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            self.events.put(json.loads(line))
        self.events.put(None)

    def send(self, command: dict) -> None:
        self.proc.stdin.write(protocol.encode(command).encode("utf-8"))
        self.proc.stdin.flush()

    def wait_for(self, name: str, timeout: float = 10.0) -> dict:
        while True:
            event = self.events.get(timeout=timeout)
            assert event is not None, f"stdout ended before {name!r}; stderr: {self.stderr()}"
            if event["event"] == name:
                return event

    def wait(self, timeout: float = 10.0) -> int:
        code = self.proc.wait(timeout)
        self._stderr.close()
        return code

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
def workers(tmp_path):
    started: list[Worker] = []

    def start(data_dir: Path, scenario: dict | None = None, account: str = "") -> Worker:
        started.append(Worker(tmp_path, data_dir, scenario or {}, account, name=f"w{len(started)}"))
        return started[-1]

    yield start
    for worker in started:
        worker.close()


@pytest.fixture
def signed_pdf(tmp_path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(0, 10, "Kutipan Akta Kelahiran - contoh uji")
    path = tmp_path / "akta.pdf"
    pdf.output(str(path))
    return path


def test_a_document_goes_out_and_only_protocol_lines_come_on_stdout(workers, tmp_path, signed_pdf):
    data_dir = tmp_path / "data"
    worker = workers(data_dir, {"receipts": ["delivered", "read"]})
    ready = worker.wait_for("ready")
    assert ready["pid"] == worker.proc.pid and ready["account"] == ""
    assert worker.wait_for("connected")["phone"] == "+6281100000001"
    sha = hashlib.sha256(signed_pdf.read_bytes()).hexdigest()
    worker.send({"cmd": "send_document", "id": "c1", "to": "+6281234567890", "path": str(signed_pdf),
                 "file_name": "akta.pdf", "mime": "application/pdf", "caption": "Akta Anda",
                 "sha256": sha, "deadline_s": 10})
    result = worker.wait_for("send_result")
    assert result["ok"] is True and result["sha256"] == sha and result["message_id"].startswith("FAKE")
    receipt = worker.wait_for("receipt")
    assert receipt["message_ids"] == [result["message_id"]] and receipt["kind"] == "delivered"
    worker.send({"cmd": "stop"})
    assert worker.wait() == 0
    sent = [json.loads(line) for line in
            (data_dir / "whatsapp" / "fake-sent.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sent == [{"id": result["message_id"], "to": "+6281234567890", "kind": "document",
                     "text": "Akta Anda", "sha256": sha, "file_name": "akta.pdf"}]
    assert worker.lines and all(protocol.decode(line) for line in worker.lines)
    assert paths.worker_log_path(data_dir).exists()


def test_a_second_worker_on_the_session_is_refused_until_the_first_is_killed(workers, tmp_path):
    data_dir = tmp_path / "data"
    first = workers(data_dir)
    first.wait_for("ready")
    second = workers(data_dir)
    assert second.wait() == 3
    assert "sedang dipakai proses lain" in second.stderr()
    assert f"PID {first.proc.pid}" in second.stderr()
    assert second.lines == []  # refused before anything was written
    other_account = workers(data_dir, account="+62 811-0000-0002")  # another number: its own session
    assert other_account.wait_for("ready")["account"] == "+62 811-0000-0002"
    assert other_account.wait_for("connected")["phone"] == "+6281100000002"
    os.kill(first.proc.pid, signal.SIGKILL)
    assert first.wait() == -signal.SIGKILL
    third = workers(data_dir)
    assert third.wait_for("ready")["pid"] == third.proc.pid  # no stale lock after kill -9
    third.proc.stdin.close()  # the supervisor went away: the worker must not outlive it
    assert third.wait() == 0


def test_a_crash_in_the_middle_of_a_send_ends_the_process_with_134(workers, tmp_path):
    data_dir = tmp_path / "data"
    worker = workers(data_dir, {"recipients": {"+6289999999999": "crash"}})
    worker.wait_for("connected")
    worker.send({"cmd": "send_text", "id": "c1", "to": "+6289999999999", "text": "x"})
    assert worker.wait() == 134
    assert not (data_dir / "whatsapp" / "fake-sent.jsonl").exists()


def test_injected_events_and_a_hung_send(workers, tmp_path):
    inject = tmp_path / "inject"
    inject.mkdir()
    photo = tmp_path / "ktp.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    worker = workers(tmp_path / "data", {
        "link": "qr", "connect_after_s": 0.1, "inject_dir": str(inject),
        "recipients": {"+6281300000000": "hang"},
        "incoming": [{"message_id": "IN1", "sender": "+6281200000009", "push_name": "Siti",
                      "text": "KTP saya", "file": str(photo), "mime": "image/jpeg"}]})
    assert worker.wait_for("qr")["data"].startswith("2@fake-qr-")
    incoming = worker.wait_for("incoming")
    assert incoming["message_id"] == "IN1" and incoming["file"]["kind"] == "image"
    assert Path(incoming["file"]["path"]).read_bytes() == photo.read_bytes()
    (inject / "e.tmp").write_text(json.dumps({"event": "banned", "code": "blocked_by_users",
                                              "expires_s": 3600}), encoding="utf-8")
    (inject / "e.tmp").rename(inject / "e.json")
    assert worker.wait_for("banned")["expires_s"] == 3600
    worker.send({"cmd": "send_text", "id": "h1", "to": "+6281300000000", "text": "x", "deadline_s": 0.3})
    assert worker.wait_for("send_result")["reason"] == "timeout"
    worker.proc.stdin.close()
    assert worker.wait() == 0


def test_where_a_worker_keeps_its_files(tmp_path):
    d = tmp_path
    assert paths.session_path(d) == d / "whatsapp" / "session.sqlite3"
    assert paths.session_path(d, "+62 811-0000-0002") == d / "whatsapp" / "session-6281100000002.sqlite3"
    assert paths.incoming_dir(d) == d / "whatsapp" / "incoming"
    assert paths.incoming_dir(d, "6281100000002") == d / "whatsapp" / "incoming" / "6281100000002"
    assert paths.worker_log_path(d) == d / "logs" / "whatsapp-worker.log"
    assert paths.worker_log_path(d, "+6281100000002") == d / "logs" / "whatsapp-worker-6281100000002.log"
    with pytest.raises(UserError):
        paths.session_path(d, "../../x")


@pytest.mark.parametrize("given, safe", [
    ("KK keluarga.pdf", "KK keluarga.pdf"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\evil.exe", "evil.exe"),
    ("CON.txt", "_CON.txt"),
    ("a\x00b\n.pdf", "a_b_.pdf"),
    ("...", "berkas"),
    ("x" * 200 + ".pdf", "x" * 76 + ".pdf"),
])
def test_a_senders_file_name_is_made_safe(given, safe):
    assert safe_name(given) == safe


def test_a_stored_incoming_file_never_replaces_another(tmp_path):
    at = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    first = store_incoming(tmp_path, b"1", message_id="3EB0", name="ktp.jpg", at=at)
    second = store_incoming(tmp_path, b"2", message_id="3EB0", name="ktp.jpg", at=at)
    assert first.name == "20250601-083000-3EB0-ktp.jpg" and second.name == "20250601-083000-3EB0-ktp-1.jpg"
    assert (first.read_bytes(), second.read_bytes()) == (b"1", b"2")
    assert not list(tmp_path.glob("*.part"))


def test_the_worker_log_masks_numbers_and_niks(tmp_path, capsys):
    log = setup_worker_log(tmp_path, "+6281100000002")
    try:
        log.warning("send to +6281234567890, also 0812-3456-7890, jid 6281234567890@s.whatsapp.net, "
                    "NIK 6311054506900003")
    finally:
        close_worker_log()
    written = paths.worker_log_path(tmp_path, "+6281100000002").read_text(encoding="utf-8")
    for text in (written, capsys.readouterr().err):
        assert "+62*******7890" in text and "0***-****-7890" in text and "62*******7890@s.whatsapp.net" in text
        assert "6311054506900003" not in text and "1234567" not in text
