"""The supervisor: runs one WhatsApp worker process, restarts it, and passes its events on.

The worker (see `dikjamila.whatsapp.worker`) may die from a Go panic or hang in a send that
waits for the server forever; neither may touch the caller. So the supervisor:
- starts the worker and reads its events on a thread of its own;
- restarts it with a growing pause when it exits (reset once it stayed up for a while);
- gives each send its deadline plus a margin: no `send_result` by then, or the worker died
  meanwhile, and the send is answered `crashed` (its outcome unknown) and the worker restarted;
- hands every other event to a sink (the link service writes them as database rows);
- leaves the shared state alone when the worker is refused because the number runs in another
  worker (exit code 3, on another PC or in another process here): that worker's supervisor
  reports it. This one only says so locally (`state` ELSEWHERE, `held_elsewhere` names the
  PC) and asks again every `HELD_RETRY_S`, in case the other one stopped. Nothing is reported
  before the worker said `ready` (it holds the number's locks by then).
It never touches the database or Qt itself.
"""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from dikjamila.i18n import tr
from dikjamila.whatsapp import protocol
from dikjamila.whatsapp.link_state import LinkState

log = logging.getLogger(__name__)

#: Pauses before restarting a worker that exited, in seconds.
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
#: A worker that stayed up this long is healthy again: the next restart waits the shortest pause.
HEALTHY_AFTER = 60.0
#: Exit code of a worker that found its session in use by another process (on this PC or another).
EXIT_SESSION_BUSY = 3
#: Pause before asking again for a number that runs in another worker, in seconds.
HELD_RETRY_S = 60.0
#: Added to a send's own deadline before the supervisor gives up on the worker's answer.
MARGIN_S = 5.0

EventSink = Callable[[dict[str, Any]], None]


def worker_command(data_dir: Path, account: str = "") -> list[str]:
    """The command that starts a worker: the same program, in the bundle its console build."""
    args = ["--data-dir", str(data_dir)] + (["--account", account] if account else [])
    if getattr(sys, "frozen", False):
        exe = Path(sys.executable)
        # A windowed Windows executable has no stdin/stdout: use the console build beside it.
        console = exe.with_name("dikjamila-cli" + exe.suffix)
        return [str(console if console.exists() else exe), "whatsapp", "worker", *args]
    return [sys.executable, "-m", "dikjamila.whatsapp.worker", *args]


class WorkerSupervisor:
    def __init__(self, command: list[str], *, account: str = "", on_event: EventSink,
                 backoff: tuple[float, ...] = BACKOFF, held_retry_s: float = HELD_RETRY_S,
                 cwd: Path | None = None, env: dict[str, str] | None = None):
        self.command = command
        self.account = account
        self._on_event = on_event
        self._backoff = backoff
        self._held_retry_s = held_retry_s
        self._cwd = cwd
        self._env = env
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._ready = threading.Event()
        self._pending: dict[str, tuple[threading.Event, list[dict]]] = {}
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.state = LinkState.STOPPED
        self.restarts = 0
        #: Why the last worker was refused (Indonesian, names the PC running the number); "" once
        #: a worker of ours holds the number.
        self.held_elsewhere = ""
        self._refusal = ""  # what the running worker said when refused

    # -- life -----------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"wa-supervisor-{self.account or 'default'}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the worker to stop (end of stdin), kill it if it does not."""
        self._stopping.set()
        proc = self._proc
        if proc is not None and proc.poll() is None:
            try:
                self._write({"cmd": "stop"})
                proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                log.info("worker stdin already closed at stop")
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning("worker did not stop within %.0f s; killed", timeout)
                proc.kill()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.held_elsewhere:
            self.state = LinkState.STOPPED  # the shared row stays the other PC's
        else:
            self._set_state(LinkState.STOPPED)

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    @property
    def connected(self) -> bool:
        """A worker is running, has said `ready`, and is linked and online."""
        return self._ready.is_set() and self.state == LinkState.CONNECTED

    @property
    def ready(self) -> bool:
        """A worker is running and has said `ready` (it holds the number)."""
        return self._ready.is_set()

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def kill_worker(self) -> None:
        """End the worker at once (a hung send); the supervisor starts a new one."""
        proc = self._proc
        # Not ready from now on: a send must not reach the dying worker's pipe before the
        # reader thread notices the exit (it would fail as "not connected" and wait for a retry).
        self._ready.clear()
        self.state = LinkState.RECONNECTING
        if proc is not None and proc.poll() is None:
            proc.kill()

    # -- commands ---------------------------------------------------------------------------
    def send(self, command: dict[str, Any], *, deadline_s: float) -> dict[str, Any]:
        """Send `command` (send_text / send_document) and wait for its `send_result`.

        Never waits longer than the deadline plus a margin; a worker that is not running answers
        `not_connected` (nothing sent), one that dies or stays silent answers `crashed`."""
        if not self.connected:
            return {"ok": False, "reason": "not_connected", "error": "worker not connected"}
        cmd_id = f"s{next(self._ids)}"
        done = threading.Event()
        box: list[dict] = []
        with self._lock:
            self._pending[cmd_id] = (done, box)
        try:
            self._write({**command, "id": cmd_id, "deadline_s": deadline_s})
        except OSError:
            log.warning("worker pipe closed before send", exc_info=True)
            with self._lock:
                self._pending.pop(cmd_id, None)
            return {"ok": False, "reason": "not_connected", "error": "worker pipe closed"}
        if not done.wait(deadline_s + MARGIN_S):
            log.warning("no send_result for %s within %.0f s: restarting the worker", cmd_id, deadline_s + MARGIN_S)
            with self._lock:
                self._pending.pop(cmd_id, None)
            self.kill_worker()
            return {"ok": False, "reason": "timeout", "error": "no answer from the worker"}
        result = box[0]
        if result.get("reason") == "timeout":
            # The library is stuck in that send (it has no timeout of its own): start afresh.
            self.kill_worker()
        return result

    def request(self, command: dict[str, Any]) -> bool:
        """Fire a command whose answer comes as an event (pair_phone, logout, ping)."""
        if not self._ready.is_set():
            return False
        try:
            self._write({**command, "id": f"r{next(self._ids)}"})
            return True
        except OSError:
            log.warning("worker pipe closed; %s not sent", command.get("cmd"), exc_info=True)
            return False

    # -- the loop ---------------------------------------------------------------------------
    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            code = self._run_once()
            if self._stopping.is_set():
                break
            self.restarts += 1
            if code == EXIT_SESSION_BUSY:
                failures = 0
                self._held(self._refusal)
                self._stopping.wait(self._held_retry_s)
                continue
            self.held_elsewhere = ""
            failures = 0 if time.monotonic() - started > HEALTHY_AFTER else failures + 1
            pause = self._backoff[min(failures, len(self._backoff) - 1)] if failures else self._backoff[0]
            detail = f"worker exited with {code}; restart in {pause:.0f} s"
            log.warning("WhatsApp worker for %s: %s", self.account or "default", detail)
            self._set_state(LinkState.RECONNECTING, reason=detail, exit_code=code)
            self._stopping.wait(pause)

    def _held(self, message: str) -> None:
        """The number runs in another worker: say so here only, never in the shared state."""
        self.held_elsewhere = message or tr(
            "Penghubung WhatsApp untuk nomor {number} sudah dijalankan proses lain. Hanya satu penghubung "
            "per nomor.", number=self.account or "kantor")
        self.state = LinkState.ELSEWHERE
        log.warning("WhatsApp worker for %s refused, asking again in %.0f s: %s", self.account or "default",
                    self._held_retry_s, self.held_elsewhere)

    def _run_once(self) -> int | None:
        try:
            kwargs: dict[str, Any] = {}
            if os.name == "nt":  # a console child of a windowed program must not open a window
                kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
            proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=self._cwd, env=self._env, **kwargs)
        except OSError:
            log.exception("WhatsApp worker could not be started: %s", self.command[0])
            return None
        self._proc = proc
        self._refusal = ""
        threading.Thread(target=_drain_stderr, args=(proc.stderr,), daemon=True,
                         name="wa-worker-stderr").start()
        # Reported once the worker said `ready`: refused, it would overwrite another PC's state.
        if self.state != LinkState.ELSEWHERE:
            self.state = LinkState.STARTING
        try:
            for raw in proc.stdout:  # type: ignore[union-attr]
                self._handle_line(raw)
        except (OSError, ValueError):
            log.warning("reading the worker's output failed", exc_info=True)
        finally:
            code = proc.wait()
            self._ready.clear()
            self._fail_pending()
        return code

    def _handle_line(self, raw: bytes) -> None:
        try:
            event = protocol.decode(raw)
        except protocol.ProtocolError as exc:
            log.warning("worker wrote a line that is not an event: %s", exc)
            return
        name = event.get("event")
        if name == "ready":
            self.held_elsewhere = ""
            self._ready.set()
            self._set_state(LinkState.STARTING, pid=event.get("pid") or self.pid)
        elif name == "error" and event.get("reason") == "held_elsewhere":
            self._ready.clear()  # it takes no more sends: it is leaving
            self._refusal = str(event.get("message") or "")
        if name == "send_result":
            with self._lock:
                waiting = self._pending.pop(str(event.get("id")), None)
            if waiting is None:
                log.warning("late send_result %s ignored (already answered)", event.get("id"))
                return
            waiting[1].append(event)
            waiting[0].set()
            return
        if name in ("connected", "qr", "paircode", "disconnected", "logged_out", "banned"):
            from dikjamila.whatsapp.link_state import FROM_EVENT
            self.state = FROM_EVENT[name]
        self._deliver(event)

    def _fail_pending(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
        for done, box in pending.values():
            box.append({"ok": False, "reason": "crashed", "error": "the worker exited during the send"})
            done.set()

    def _set_state(self, state: LinkState, **detail) -> None:
        self.state = state
        self._deliver({"event": "_state", "state": state.value, **detail})

    def _deliver(self, event: dict[str, Any]) -> None:
        try:
            self._on_event(event)
        except Exception:  # a sink failure (database away) must not stop the supervisor
            log.exception("handling worker event %s failed", event.get("event"))

    def _write(self, message: dict[str, Any]) -> None:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise OSError("no worker")
        line = protocol.encode(message).encode("utf-8")
        with self._write_lock:
            proc.stdin.write(line)
            proc.stdin.flush()


#: The worker's stderr (its log lines, and a Go panic's trace) lands in the office's log file,
#: masked like every other line there.
stderr_log = logging.getLogger("dikjamila.whatsapp.worker.stderr")


def _drain_stderr(stream: IO[bytes]) -> None:
    try:
        for raw in stream:
            line = raw.decode("utf-8", errors="replace").rstrip()
            if line:
                stderr_log.info("%s", line)
    except (OSError, ValueError):
        log.debug("worker stderr closed", exc_info=True)
