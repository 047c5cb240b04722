"""The worker's protocol loop: commands in from stdin, events out to stdout.

Independent of the WhatsApp library: it drives a `Backend`. Rules (protocol.py has the lines):

- `ready` is the first line written; then the backend is started.
- Every line goes through one locked writer, flushed at once: the backend emits from threads
  made by Go while sends answer from their own threads, and a line must never be split.
- Each send runs in its own thread under its own deadline (`deadline_s`, default 90 s). If
  the backend has not answered by then, `send_result` says "timeout" (it may have gone out),
  and whatever the backend answers later is only logged: one command, one `send_result`.
- A document is read here and sent only when the sha256 of its bytes is the one the command
  names ("bad_file" otherwise); the bytes are handed over as read, never re-encoded.
- `stop`, the end of stdin (the supervisor died or closed the pipe) or a stdout nobody reads
  any more end the loop: the backend is stopped and 0 returned. The worker never outlives its
  supervisor.
- `halt` (an Event set from another thread: the number's lock was lost) ends the loop as `stop`
  does; the caller knows why and chooses the exit code.
- A line that is not a valid command gets an `error` event (not fatal); the loop goes on.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import queue
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dikjamila import __version__
from dikjamila.whatsapp import protocol
from dikjamila.whatsapp.worker.backend import Backend, BackendError
from dikjamila.whatsapp.worker.event_writer import EventWriter

DEFAULT_DEADLINE_S = 90.0
STOP_WAIT_S = 10.0  # how long backend.stop() may take before the worker leaves without it

_EOF = object()  # stdin ended
_BROKEN = object()  # stdout is gone
_HALT = object()  # the caller's `halt` was set


class _Pending:
    """One send command: settled once, by its answer or by its deadline, whichever comes first."""

    def __init__(self, cmd_id: str, deadline_s: float):
        self.cmd_id = cmd_id
        self.deadline_s = deadline_s
        self._lock = threading.Lock()
        self._settled = False

    def settle(self) -> bool:
        with self._lock:
            if self._settled:
                return False
            self._settled = True
            return True


def _deadline(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return DEFAULT_DEADLINE_S


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _failure(cmd_id: str, reason: str, error: str) -> dict[str, Any]:
    return {"event": "send_result", "id": cmd_id, "ok": False, "reason": reason, "error": error}


class _Loop:
    def __init__(self, backend: Backend, account: str, stdin, stdout, log: logging.Logger,
                 halt: threading.Event | None = None):
        self.backend = backend
        self.halt = halt
        self.account = account
        self.stdin = stdin
        self.log = log
        self.inbox: queue.Queue = queue.Queue()
        self.emit = EventWriter(stdout, log, on_broken=lambda: self.inbox.put(_BROKEN))
        self.pending: dict[int, _Pending] = {}
        self.pending_lock = threading.Lock()

    # -- the loop ------------------------------------------------------------------------------

    def run(self) -> int:
        self.emit({"event": "ready", "pid": os.getpid(), "version": __version__, "account": self.account})
        try:
            self.backend.start(self.emit)
        except Exception as exc:
            self.log.exception("the WhatsApp library did not start")
            self.emit({"event": "error", "message": f"backend did not start: {exc}", "fatal": True})
            self._stop_backend()
            return 1
        threading.Thread(target=self._read, name="wa-stdin", daemon=True).start()
        if self.halt is not None:
            threading.Thread(target=self._wait_halt, name="wa-halt", daemon=True).start()
        while True:
            item = self.inbox.get()
            if item is _EOF:
                self.log.info("stdin ended: the supervisor closed it or is gone; stopping")
                break
            if item is _BROKEN:
                break
            if item is _HALT:
                self.log.warning("halted: no more commands are taken; stopping")
                break
            command = self._parse(item)
            if command is None:
                continue
            if command["cmd"] == "stop":
                self.log.info("stop asked by the supervisor")
                break
            self._dispatch(command)
        self._stop_backend()
        return 0

    def _wait_halt(self) -> None:
        self.halt.wait()  # type: ignore[union-attr]
        self.inbox.put(_HALT)

    def _read(self) -> None:
        """Put each line of stdin in the inbox, then _EOF (also when stdin fails)."""
        try:
            while line := self.stdin.readline(protocol.MAX_LINE + 1):
                if len(line) > protocol.MAX_LINE:  # over-long: drop the rest of it (decode refuses it)
                    rest = line
                    while rest and not rest.endswith(b"\n" if isinstance(rest, bytes) else "\n"):
                        rest = self.stdin.readline(protocol.MAX_LINE + 1)
                self.inbox.put(line)
        except (OSError, ValueError):
            self.log.warning("stdin cannot be read; stopping", exc_info=True)
        self.inbox.put(_EOF)

    def _parse(self, line: str | bytes) -> dict[str, Any] | None:
        if not line.strip():
            return None
        try:
            message = protocol.decode(line)
        except protocol.ProtocolError as exc:
            self.log.warning("invalid line from the supervisor: %s", exc)
            self.emit({"event": "error", "message": f"invalid command line: {exc}", "fatal": False})
            return None
        if "cmd" not in message:
            self.emit({"event": "error", "message": "an event is not a command", "fatal": False})
            return None
        return message

    def _dispatch(self, command: dict[str, Any]) -> None:
        name, cmd_id = command["cmd"], command.get("id")
        if name == "ping":
            self.emit({"event": "pong", "id": cmd_id})
        elif not isinstance(cmd_id, str) or not cmd_id:
            self.emit({"event": "error", "message": f"{name}: missing 'id'", "fatal": False})
        elif name in ("send_text", "send_document"):
            self._start_send(command)
        elif name == "pair_phone":
            self._in_thread(self._pair_phone, command)
        elif name == "logout":
            self._in_thread(self._logout, command)

    def _in_thread(self, target, command: dict[str, Any]) -> None:
        threading.Thread(target=target, args=(command,), name=f"wa-{command['cmd']}", daemon=True).start()

    def _stop_backend(self) -> None:
        # Sends still in the air stay unanswered: the supervisor knows it stopped the worker
        # with them outstanding (their outcome is unknown), and an answer arriving while the
        # library shuts down is only logged, never reported after the stop.
        with self.pending_lock:
            unanswered = [p.cmd_id for p in self.pending.values() if p.settle()]
            self.pending.clear()
        if unanswered:
            self.log.warning("stopping with sends still unanswered: %s", ", ".join(unanswered))
        stopper = threading.Thread(target=self._call_stop, name="wa-stop", daemon=True)
        stopper.start()
        stopper.join(STOP_WAIT_S)
        if stopper.is_alive():
            self.log.warning("the WhatsApp library did not stop within %.0f s; leaving without it", STOP_WAIT_S)

    def _call_stop(self) -> None:
        try:
            self.backend.stop()
        except Exception:
            self.log.exception("stopping the WhatsApp library failed")

    # -- sends ---------------------------------------------------------------------------------

    def _start_send(self, command: dict[str, Any]) -> None:
        pending = _Pending(command["id"], _deadline(command.get("deadline_s")))
        with self.pending_lock:
            self.pending[id(pending)] = pending
        timer = threading.Timer(pending.deadline_s, self._on_deadline, args=(pending,))
        timer.daemon = True
        timer.name = f"wa-deadline-{pending.cmd_id}"
        worker = threading.Thread(target=self._send, args=(command, pending, timer),
                                  name=f"wa-send-{pending.cmd_id}", daemon=True)
        timer.start()
        worker.start()

    def _forget(self, pending: _Pending) -> None:
        with self.pending_lock:
            self.pending.pop(id(pending), None)

    def _on_deadline(self, pending: _Pending) -> None:
        if pending.settle():
            self._forget(pending)
            self.log.warning("send %s: no answer from WhatsApp within %.0f s; outcome unknown",
                             pending.cmd_id, pending.deadline_s)
            self.emit(_failure(pending.cmd_id, "timeout",
                               f"no acknowledgement within {pending.deadline_s:g} s; it may have gone out"))

    def _send(self, command: dict[str, Any], pending: _Pending, timer: threading.Timer) -> None:
        try:
            result = self._do_send(command)
        except BackendError as exc:
            result = _failure(pending.cmd_id, exc.reason, exc.message)
        except Exception as exc:
            self.log.exception("send %s failed unexpectedly", pending.cmd_id)
            result = _failure(pending.cmd_id, "failed", f"{type(exc).__name__}: {exc}")
        timer.cancel()
        if pending.settle():
            self._forget(pending)
            self.emit(result)
        else:
            self.log.warning("send %s answered after its deadline (already reported as timeout): %s",
                             pending.cmd_id, {k: v for k, v in result.items() if k != "event"})

    def _do_send(self, command: dict[str, Any]) -> dict[str, Any]:
        cmd_id, to = command["id"], command.get("to")
        if not isinstance(to, str) or not to:
            raise BackendError("failed", "missing 'to'")
        sha256 = None
        if command["cmd"] == "send_text":
            text = command.get("text")
            if not isinstance(text, str) or not text:
                raise BackendError("failed", "missing 'text'")
            message_id, server_time = self.backend.send_text(to, text)
        else:
            data, sha256 = self._read_document(command)
            path = Path(command["path"])
            file_name = command.get("file_name") or path.name
            mime = command.get("mime") or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
            message_id, server_time = self.backend.send_document(
                to, data, file_name, mime, command.get("caption") or "")
        self.log.info("send %s acknowledged: message %s", cmd_id, message_id)
        return {"event": "send_result", "id": cmd_id, "ok": True, "message_id": message_id,
                "server_time": _iso(server_time), "sha256": sha256}

    @staticmethod
    def _read_document(command: dict[str, Any]) -> tuple[bytes, str]:
        path, expected = command.get("path"), command.get("sha256")
        if not isinstance(path, str) or not path:
            raise BackendError("bad_file", "missing 'path'")
        if not isinstance(expected, str) or not expected:
            raise BackendError("bad_file", "missing 'sha256'")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise BackendError("bad_file", f"cannot read {path}: {exc}") from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected.lower():
            raise BackendError("bad_file", f"sha256 of {path} is {actual}, not {expected}")
        return data, actual

    # -- pairing and logout --------------------------------------------------------------------

    def _pair_phone(self, command: dict[str, Any]) -> None:
        phone = command.get("phone")
        try:
            if not isinstance(phone, str) or not phone:
                raise BackendError("failed", "missing 'phone'")
            code = self.backend.pair_phone(phone)
        except Exception as exc:
            self.log.warning("pair_phone failed: %s", exc, exc_info=not isinstance(exc, BackendError))
            self._command_failed(command, exc)
            return
        self.emit({"event": "paircode", "id": command["id"], "code": code})

    def _logout(self, command: dict[str, Any]) -> None:
        try:
            self.backend.logout()
        except Exception as exc:
            self.log.warning("logout failed: %s", exc, exc_info=not isinstance(exc, BackendError))
            self._command_failed(command, exc)
            return
        self.emit({"event": "logged_out", "id": command["id"], "reason": "logout"})

    def _command_failed(self, command: dict[str, Any], exc: Exception) -> None:
        """An `error` event (not fatal) for a pair_phone or logout the backend refused."""
        self.emit({"event": "error", "id": command["id"], "message": f"{command['cmd']}: {exc}",
                   "fatal": False, "reason": getattr(exc, "reason", "failed")})


def run_loop(backend: Backend, *, account: str, stdin, stdout, log: logging.Logger,
             halt: threading.Event | None = None) -> int:
    """Serve the protocol on `stdin`/`stdout` (text or binary streams) until stop, EOF or `halt`.

    Returns the process's exit code: 0 after stop, end of stdin, a vanished supervisor or
    `halt`; 1 when the backend could not start (an `error` event with "fatal": true says why).
    """
    return _Loop(backend, account, stdin, stdout, log, halt).run()
