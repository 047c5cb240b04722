"""The JSON-lines protocol between the WhatsApp worker process and its supervisor.

One JSON object per line, UTF-8. The supervisor writes commands to the worker's stdin; the
worker writes events to its stdout (and nothing else: its logging goes to stderr and a file).

Commands (supervisor -> worker), each with an `id` the answer repeats:
    {"cmd": "ping", "id": "c1"}                                   -> {"event": "pong", "id": "c1"}
    {"cmd": "send_text", "id": "c2", "to": "+628...", "text": "...", "deadline_s": 60}
    {"cmd": "send_document", "id": "c3", "to": "+628...", "path": "/abs/file.pdf",
     "file_name": "akta.pdf", "mime": "application/pdf", "caption": "...",
     "sha256": "<hex of the bytes that must go out>", "deadline_s": 120}
                                                                  -> {"event": "send_result", ...}
    {"cmd": "pair_phone", "id": "c4", "phone": "+628..."}          -> {"event": "paircode", ...}
    {"cmd": "logout", "id": "c5"}                                  -> {"event": "logged_out", ...}
    {"cmd": "stop"}            (or end of stdin)                  -> the worker exits 0

Events (worker -> supervisor):
    ready         {"pid", "version", "account"}: the library loaded, the session lock held
    qr            {"data"}: show this as a QR code for the office phone to scan
    paircode      {"code"}: the 8-character pairing code for the office phone
    connected     {"phone"}: linked and online, as this number (E.164)
    logged_out    {"reason"}: the phone removed this device; the session is gone
    banned        {"code", "expires_s"}: WhatsApp blocked the number for a while
    disconnected  {"reason"}: offline; the library reconnects by itself
    send_result   {"id", "ok", "message_id", "server_time", "sha256"}  or
                  {"id", "ok": false, "reason": one of SEND_FAILURES, "error"}
    receipt       {"message_ids", "kind": "delivered"|"read", "chat", "at"}
    incoming      {"message_id", "chat", "sender", "sender_lid", "push_name", "at", "text",
                   "quoted_id", "file": {"path", "name", "mime", "size", "kind"} | null,
                   "file_error"}
    pong          {"id"}
    error         {"message", "fatal"}; "reason": "held_elsewhere" (fatal) when the number runs
                  in another worker (another PC, or another process here) and this one leaves
                  with exit code 3: its link state is that worker's to report, not this one's

Times are ISO 8601 in UTC. Phone numbers are E.164 ("+62812..."); a sender WhatsApp names
only by a LID has "sender": "" and "sender_lid" set.
"""

from __future__ import annotations

import json
from typing import Any

PROTOCOL_VERSION = 1

COMMANDS = frozenset({"ping", "send_text", "send_document", "pair_phone", "logout", "stop"})
EVENTS = frozenset({"ready", "qr", "paircode", "connected", "logged_out", "banned", "disconnected",
                    "send_result", "receipt", "incoming", "pong", "error"})

#: Why a send failed (`send_result.reason`). Only "timeout" and "crashed" leave the outcome unknown.
SEND_FAILURES = frozenset({
    "timeout",  # no acknowledgement before the deadline: it may or may not have gone out
    "crashed",  # the worker died while sending (set by the supervisor, never by the worker)
    "not_on_whatsapp",  # the number has no WhatsApp account: retrying cannot help
    "not_connected",  # not linked or offline: nothing was sent, it can be retried
    "bad_file",  # the document is missing or its bytes are not the ones to send
    "failed",  # the server or library refused: nothing was sent
})
UNCERTAIN_FAILURES = frozenset({"timeout", "crashed"})

#: Kinds of incoming file (`incoming.file.kind`).
FILE_KINDS = frozenset({"image", "document", "audio", "video", "sticker"})

MAX_LINE = 1_000_000  # a line longer than this is a protocol error, not a message


class ProtocolError(ValueError):
    """A line that is not a valid command or event."""


def encode(message: dict[str, Any]) -> str:
    """One line (with its newline) for `message`; refuses unknown commands and events."""
    if "cmd" in message:
        if message["cmd"] not in COMMANDS:
            raise ProtocolError(f"unknown command {message['cmd']!r}")
    elif message.get("event") not in EVENTS:
        raise ProtocolError(f"unknown event {message.get('event')!r}")
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")) + "\n"


def decode(line: str | bytes) -> dict[str, Any]:
    """The command or event on one line; ProtocolError for anything else."""
    if isinstance(line, bytes):
        line = line.decode("utf-8", errors="replace")
    if len(line) > MAX_LINE:
        raise ProtocolError("line too long")
    try:
        message = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"not JSON: {exc.msg}") from exc
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    if "cmd" in message:
        if message["cmd"] not in COMMANDS:
            raise ProtocolError(f"unknown command {message['cmd']!r}")
    elif message.get("event") not in EVENTS:
        raise ProtocolError(f"unknown event {message.get('event')!r}")
    return message
