"""The one small interface every transport implements, and what a send returns.

`send` blocks until the transport knows the outcome or its own deadline passes; the outbox
runner calls it from its own thread (never the GUI thread) and records the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """One outbox item, as a transport needs it."""

    item_id: int
    recipient: str  # E.164, "+62812..."
    text: str  # the message, or the document's caption
    template: str = ""  # the purpose/template name ("dokumen_terbit", "pesan", ...)
    document: Path | None = None  # the stored file: its bytes go out exactly as they are
    document_name: str = ""  # the name the resident sees
    document_sha256: str | None = None
    mime: str = "application/pdf"
    account: str = ""  # the office number to send from ("" = the only/default one)
    # When the resident last wrote to the office (Cloud API: free text only within 24 h).
    last_incoming_at: datetime | None = None


class SendStatus(StrEnum):
    SENT = "sent"  # the server acknowledged it: message_id and server_time are set
    HANDED_OVER = "handed_over"  # given to something that cannot confirm (folder, pywhatkit)
    FAILED = "failed"  # nothing went out; it may be retried
    FAILED_PERMANENT = "failed_permanent"  # nothing went out and retrying cannot help
    UNCERTAIN = "uncertain"  # it may have gone out: an operator decides


@dataclass(frozen=True)
class SendOutcome:
    status: SendStatus
    message_id: str = ""
    server_time: datetime | None = None
    sha256: str | None = None  # of the bytes that went out, for documents
    error: str = ""  # Indonesian, shown to the operator
    detail: str = ""  # English detail for the log


class Transport(Protocol):
    #: Stored on the outbox item ("linked", "cloud_api", "pywhatkit", "folder").
    name: str

    def send(self, message: Outgoing) -> SendOutcome: ...

    def close(self) -> None: ...
