"""The linked device: the office phone's WhatsApp, through the worker process(es).

One supervisor per linked number; a message goes out from its item's `account` (the number the
resident wrote to). Sends are answered with the server's acknowledgement (message id, time) or
a reason; the worker's death or silence leaves the outcome unknown: `uncertain`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from dikjamila.i18n import tr
from dikjamila.whatsapp.protocol import UNCERTAIN_FAILURES
from dikjamila.whatsapp.supervisor import WorkerSupervisor
from dikjamila.whatsapp.transports.base import Outgoing, SendOutcome, SendStatus

_ERRORS = {
    "timeout": "WhatsApp tidak mengonfirmasi pengiriman sebelum batas waktu; belum pasti pesan ini sampai.",
    "crashed": "Penghubung WhatsApp berhenti saat mengirim; belum pasti pesan ini sampai.",
    "not_on_whatsapp": "Nomor {to} tidak terdaftar di WhatsApp.",
    "not_connected": "WhatsApp kantor belum terhubung; pesan dikirim setelah tersambung lagi.",
    "bad_file": "Berkas yang akan dikirim tidak sama dengan yang tersimpan; tidak dikirim.",
    "failed": "WhatsApp menolak pesan ini: {error}",
}


class LinkedTransport:
    name = "linked"
    paced = True  # an unofficial client: pace it, or the number may be banned

    def __init__(self, supervisors: dict[str, WorkerSupervisor], *, deadline_s: float):
        if not supervisors:
            raise ValueError("at least one supervisor")
        self.supervisors = supervisors
        self.deadline_s = deadline_s

    def ready(self) -> bool:
        """Linked and online: a send now can reach the server (else items wait, unharmed)."""
        return any(s.connected for s in self.supervisors.values())

    def send(self, message: Outgoing) -> SendOutcome:
        supervisor = self.supervisors.get(message.account) or next(iter(self.supervisors.values()))
        if message.document is not None:
            command = {"cmd": "send_document", "to": message.recipient, "path": str(message.document),
                       "file_name": message.document_name, "mime": message.mime, "caption": message.text,
                       "sha256": message.document_sha256}
        else:
            command = {"cmd": "send_text", "to": message.recipient, "text": message.text}
        result = supervisor.send(command, deadline_s=self.deadline_s)
        if result.get("ok"):
            return SendOutcome(SendStatus.SENT, message_id=str(result.get("message_id") or ""),
                               server_time=_time(result.get("server_time")), sha256=result.get("sha256"))
        reason = str(result.get("reason") or "failed")
        error = tr(_ERRORS.get(reason, _ERRORS["failed"]), to=message.recipient, error=result.get("error", ""))
        if reason in UNCERTAIN_FAILURES:
            status = SendStatus.UNCERTAIN
        elif reason in ("not_on_whatsapp", "bad_file"):
            status = SendStatus.FAILED_PERMANENT
        else:
            status = SendStatus.FAILED
        return SendOutcome(status, error=error, detail=str(result.get("error", "")))

    def close(self) -> None:
        for supervisor in self.supervisors.values():
            supervisor.stop()


def _time(value) -> datetime:
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)
