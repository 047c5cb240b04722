"""A Backend that follows a scenario instead of talking to WhatsApp.

Scenario keys (a dict, usually read from JSON; all optional):

- "link": "connected" (default: `connected` at once), "qr" (`qr` {"data": "2@fake-qr-..."},
  then after "connect_after_s" (default 0.2) `connected`), or "never" (a `qr` every second,
  never connected). Connected as "+6281100000001" (a worker started with --account: as
  that number).
- "send_delay_s": seconds each send takes before it is acknowledged (default 0).
- "recipients": {"+62...": "not_on_whatsapp" | "hang" | "crash" | "fail"}. "hang": the send
  never returns (the loop's deadline answers); "crash": the process dies with exit code 134
  in the middle of the send, before anything is recorded (like a Go panic); "fail":
  BackendError("failed"). A hung or crashed send is not recorded as sent.
- "receipts": e.g. ["delivered", "read"]: after each acknowledged send, one `receipt` of each
  kind for its message id, 0.05 s apart.
- "incoming": events to emit once connected, each {"message_id", "sender", "push_name",
  "text", "file": path of a file to copy into the incoming folder or null, "file_name",
  "mime", "kind"} (all optional) -> a protocol `incoming` event with the copied file's path.
- "inject_dir": a folder polled every 0.1 s for `*.json` files, each one event dict or a list
  of them, emitted as they are and the file deleted. Write them under another name and
  rename, so a half-written file is never read.
- "crash_after_s": the process dies with exit code 134 after this many seconds.

Not connected ("qr" before it connects, "never", after logout), a send fails "not_connected".
Message ids are "FAKE" + a counter + a random suffix; the server time is now (UTC). Each
acknowledged send is appended to `<data dir>/whatsapp/fake-sent.jsonl` as {"id", "to", "kind":
"text"|"document", "text", "sha256", "file_name"} and fsync'd before it is acknowledged.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import mimetypes
import os
import secrets
import shutil
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dikjamila.whatsapp.worker.backend import BackendError

FAKE_PHONE = "+6281100000001"
PAIR_CODE = "FAKE1234"
CRASH_EXIT = 134


def _now() -> datetime:
    return datetime.now(UTC)


class FakeBackend:
    def __init__(self, scenario: dict[str, Any], session_path: Path, incoming_dir: Path, *,
                 log: logging.Logger):
        self.scenario = scenario
        self.incoming_dir = Path(incoming_dir)
        self.sent_log = Path(session_path).parent / "fake-sent.jsonl"
        account = Path(session_path).stem.partition("-")[2]  # session-<digits>.sqlite3
        self.phone = f"+{account}" if account else FAKE_PHONE
        self.log = log
        self.emit = None
        self.connected = threading.Event()
        self.stopped = threading.Event()
        self._counter = itertools.count(1)
        self._sent_lock = threading.Lock()

    # -- life ----------------------------------------------------------------------------------

    def start(self, emit) -> None:
        self.emit = emit
        self._thread(self._link, "fake-link")
        if self.scenario.get("inject_dir"):
            self._thread(self._poll_inject, "fake-inject")
        if self.scenario.get("crash_after_s") is not None:
            timer = threading.Timer(float(self.scenario["crash_after_s"]), self._crash, args=("crash_after_s",))
            timer.daemon = True
            timer.start()

    def stop(self) -> None:
        self.stopped.set()

    @staticmethod
    def _thread(target, name: str) -> None:
        threading.Thread(target=target, name=name, daemon=True).start()

    def _crash(self, why: str) -> None:
        self.log.warning("fake backend: dying like a Go panic (%s)", why)
        logging.shutdown()
        os._exit(CRASH_EXIT)

    def _link(self) -> None:
        link = self.scenario.get("link", "connected")
        if link == "never":
            while not self.stopped.is_set():
                self.emit({"event": "qr", "data": f"2@fake-qr-{secrets.token_hex(8)}"})
                self.stopped.wait(1.0)
            return
        if link == "qr":
            self.emit({"event": "qr", "data": f"2@fake-qr-{secrets.token_hex(8)}"})
            if self.stopped.wait(float(self.scenario.get("connect_after_s", 0.2))):
                return
        self.connected.set()
        self.emit({"event": "connected", "phone": self.phone})
        for number, spec in enumerate(self.scenario.get("incoming", []), start=1):
            self.emit(self._incoming(number, spec))

    def _incoming(self, number: int, spec: dict[str, Any]) -> dict[str, Any]:
        message_id = spec.get("message_id") or f"FAKEIN{number:04d}{secrets.token_hex(3).upper()}"
        sender = spec.get("sender", "+6281200000001")
        file_info = None
        if spec.get("file"):
            source = Path(spec["file"])
            name = spec.get("file_name") or source.name
            mime = spec.get("mime") or mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.incoming_dir.mkdir(parents=True, exist_ok=True)
            target = self.incoming_dir / f"{message_id}-{name}"
            shutil.copyfile(source, target)
            kind = spec.get("kind") or ("image" if mime.startswith("image/") else "document")
            file_info = {"path": str(target), "name": name, "mime": mime,
                         "size": target.stat().st_size, "kind": kind}
        return {"event": "incoming", "message_id": message_id, "chat": sender, "sender": sender,
                "sender_lid": "", "push_name": spec.get("push_name", ""), "at": _now().isoformat(),
                "text": spec.get("text", ""), "quoted_id": spec.get("quoted_id", ""),
                "file": file_info, "file_error": None}

    def _poll_inject(self) -> None:
        folder = Path(self.scenario["inject_dir"])
        while not self.stopped.wait(0.1):
            for path in sorted(folder.glob("*.json")):
                try:
                    events = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    self.log.warning("fake backend: cannot read %s yet", path, exc_info=True)
                    continue
                path.unlink(missing_ok=True)
                for event in events if isinstance(events, list) else [events]:
                    self.emit(event)

    # -- sends ---------------------------------------------------------------------------------

    def send_text(self, to_e164: str, text: str) -> tuple[str, datetime]:
        return self._send(to_e164, {"kind": "text", "text": text, "sha256": None, "file_name": None})

    def send_document(self, to_e164: str, data: bytes, file_name: str, mime: str,
                      caption: str) -> tuple[str, datetime]:
        return self._send(to_e164, {"kind": "document", "text": caption,
                                    "sha256": hashlib.sha256(data).hexdigest(), "file_name": file_name})

    def _send(self, to: str, record: dict[str, Any]) -> tuple[str, datetime]:
        if not self.connected.is_set():
            raise BackendError("not_connected", "fake: not connected")
        behaviour = self.scenario.get("recipients", {}).get(to)
        if behaviour == "not_on_whatsapp":
            raise BackendError("not_on_whatsapp", f"fake: {to} is not on WhatsApp")
        if behaviour == "fail":
            raise BackendError("failed", "fake: the server refused")
        if behaviour == "hang":
            threading.Event().wait()  # never returns
        if behaviour == "crash":
            self._crash(f"send to {to}")
        delay = float(self.scenario.get("send_delay_s", 0))
        if delay:
            time.sleep(delay)
        message_id = f"FAKE{next(self._counter):04d}{secrets.token_hex(3).upper()}"
        self._record({"id": message_id, "to": to, **record})
        for offset, kind in enumerate(self.scenario.get("receipts", []), start=1):
            timer = threading.Timer(0.05 * offset, self._receipt, args=(message_id, kind, to))
            timer.daemon = True
            timer.start()
        return message_id, _now()

    def _receipt(self, message_id: str, kind: str, chat: str) -> None:
        self.emit({"event": "receipt", "message_ids": [message_id], "kind": kind, "chat": chat,
                   "at": _now().isoformat()})

    def _record(self, line: dict[str, Any]) -> None:
        with self._sent_lock:
            self.sent_log.parent.mkdir(parents=True, exist_ok=True)
            with open(self.sent_log, "a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())

    # -- linking -------------------------------------------------------------------------------

    def pair_phone(self, phone_e164: str) -> str:
        if self.connected.is_set():
            raise BackendError("failed", "fake: already linked")
        return PAIR_CODE

    def logout(self) -> None:
        self.connected.clear()
