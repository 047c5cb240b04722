"""What the worker loop needs from a WhatsApp library (a linked device).

The loop (`loop.run_loop`) talks to the library only through this interface, so it can be
tested, and the supervisor's tests can run a whole worker process, with a fake backend
(`tests/fakes/fake_backend.py`); the real one is `neonize_backend.NeonizeBackend`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from dikjamila.whatsapp.protocol import SEND_FAILURES

#: Writes one protocol event (a dict with "event"); safe to call from any thread.
Emit = Callable[[dict[str, Any]], object]


class BackendError(Exception):
    """A send (or another call) the library refused; `reason` is one of protocol.SEND_FAILURES.

    "not_on_whatsapp": the number has no account; "not_connected": not linked or offline,
    nothing went out; "timeout": the library gave up waiting for the server's answer, the
    message may have gone out; "failed": refused, nothing went out.
    """

    def __init__(self, reason: str, message: str = ""):
        if reason not in SEND_FAILURES:
            raise ValueError(f"unknown send failure reason {reason!r}")
        super().__init__(message or reason)
        self.reason = reason
        self.message = message or reason


class Backend(Protocol):
    """A linked device. Every method may be called from any thread.

    Phone numbers are E.164 ("+62812..."). A send blocks until the server acknowledged the
    message (then it returns the WhatsApp message id and the server's time, a timezone-aware
    datetime) or the library gave up (BackendError). It may also never return: the loop puts
    its own deadline around each call.
    """

    def start(self, emit: Emit) -> None:
        """Connect in the background and return at once.

        From then on the backend reports through `emit`: qr {"data"}, paircode {"code"},
        connected {"phone"}, disconnected {"reason"}, logged_out {"reason"}, banned {"code",
        "expires_s"}, incoming {...}, receipt {...} (protocol.py has their fields).
        """

    def send_text(self, to_e164: str, text: str) -> tuple[str, datetime]:
        """Send `text`; (message id, server time) once the server acknowledged it."""

    def send_document(self, to_e164: str, data: bytes, file_name: str, mime: str,
                      caption: str) -> tuple[str, datetime]:
        """Send `data` exactly as given, as a document named `file_name` of type `mime`."""

    def pair_phone(self, phone_e164: str) -> str:
        """The 8-character code to type on the office phone, instead of scanning the QR."""

    def logout(self) -> None:
        """Unlink this device from the office phone; the session is gone afterwards."""

    def stop(self) -> None:
        """Disconnect and release the library; called once, when the worker ends."""
