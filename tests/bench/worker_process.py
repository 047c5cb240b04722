"""A WhatsApp worker process started for a measurement, spoken to as its supervisor does."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from dikjamila.whatsapp import protocol
from tests.bench.child_process import end_child

REPO = Path(__file__).resolve().parents[2]
STDERR_LINES = 20


class WorkerProcess:
    """Started at once from `command`; `ready` is set at its `ready` event. Its events and the
    last `STDERR_LINES` lines of its stderr are read on threads of their own, since a full pipe
    would stop the worker."""

    def __init__(self, command: list[str]):
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.pid = self.proc.pid
        self.ready = threading.Event()
        self.events: list[dict] = []
        self.stderr_tail: list[str] = []
        threading.Thread(target=self._read_events, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_events(self) -> None:
        for raw in self.proc.stdout:
            try:
                event = protocol.decode(raw)
            except protocol.ProtocolError:
                continue
            self.events.append(event)
            if event.get("event") == "ready":
                self.ready.set()

    def _read_stderr(self) -> None:
        for raw in self.proc.stderr:
            self.stderr_tail.append(raw.decode("utf-8", "replace").rstrip())
            del self.stderr_tail[:-STDERR_LINES]

    def stop(self, *, wait_s: float) -> None:
        """Send the `stop` command; kill the worker if it has not ended within `wait_s`."""
        end_child(self.proc, protocol.encode({"cmd": "stop", "id": "bench"}).encode("utf-8"), wait_s=wait_s)
