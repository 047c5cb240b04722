"""The real backend: a WhatsApp linked device through neonize (a binding of Go's whatsmeow).

neonize is imported when a NeonizeBackend is made, never when this module is: importing
dikjamila does not load the Go library. `NEONIZE_BOT_TAG=off` is set first (one-to-one
messages would otherwise carry a "bot" tag).

Connection: `client.connect()` blocks its thread for the life of the connection (whatsmeow
reconnects by itself after a drop), so it runs on a daemon thread. When it fails or returns
(offline, it raises NeonizeError at once) the worker does not exit: it reports `disconnected`
once and tries again after 2, 4, 8... up to 60 s. Staying up keeps the session lock and the
supervisor's pipe, and a restart would gain nothing the retry does not.

Sends: neonize's send returns after the server's acknowledgement with the message id WhatsApp
chose; the id cannot be chosen before sending. So a send that never returns (the loop's
deadline fires) cannot be settled later by matching a receipt to it: it stays "uncertain" for
an operator to decide. Before sending, the number is checked with `is_on_whatsapp`; a clear
"no" becomes "not_on_whatsapp" and nothing is sent.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from dikjamila.whatsapp.worker.backend import BackendError, Emit
from dikjamila.whatsapp.worker.neonize_events import (
    jid_phone,
    message_to_incoming,
    receipt_event,
    to_datetime,
)

FIRST_RETRY_S = 2.0
MAX_RETRY_S = 60.0
STABLE_S = 60.0  # a connection that lasted this long starts the backoff again from the start

_NOT_CONNECTED = ("not connected", "client is nil", "doesn't contain a device jid", "not logged in")
_TIMED_OUT = ("timed out", "timeout", "deadline exceeded", "failed to get reply")


def reason_for(error: Exception) -> str:
    """The protocol's failure reason for an error neonize raised during a send."""
    text = str(error).lower()
    if any(mark in text for mark in _NOT_CONNECTED):
        return "not_connected"
    if any(mark in text for mark in _TIMED_OUT):
        return "timeout"  # whatsmeow gave up waiting for the server's answer: it may have gone out
    return "failed"


def _enum_name(message, field: str) -> str:
    descriptor = message.DESCRIPTOR.fields_by_name[field].enum_type
    value = descriptor.values_by_number.get(getattr(message, field))
    return value.name.lower() if value is not None else str(getattr(message, field))


class NeonizeBackend:
    """A linked device kept in the SQLite file `session_path`; files received go to `incoming_dir`.

    `client_factory(name)` makes the Go client (default `neonize.client.NewClient`); tests pass
    a fake offering the same methods.
    """

    def __init__(self, session_path: Path, incoming_dir: Path, *, client_factory=None,
                 log: logging.Logger):
        os.environ["NEONIZE_BOT_TAG"] = "off"
        from neonize import events
        from neonize.client import NewClient
        from neonize.exc import NeonizeError
        from neonize.utils.jid import JIDToNonAD, build_jid

        # neonize warns at every start that ffmpeg is missing; it is needed only to make
        # stickers, voice notes and video, which the worker never sends.
        logging.getLogger("neonize.utils.ffmpeg").setLevel(logging.ERROR)
        self._ev = events
        self._NeonizeError = NeonizeError
        self._build_jid = build_jid
        self._non_ad = JIDToNonAD
        self.session_path = Path(session_path)
        self.incoming_dir = Path(incoming_dir)
        self.log = log
        self._client_factory = client_factory or NewClient
        self.client: Any = None
        self._emit: Emit | None = None
        self._connected = threading.Event()
        self._stopping = threading.Event()
        self._awaiting_link = False  # a QR came: the link is up and waits to be paired
        self._phone = ""
        self._state = ""  # the last of "connected" / "disconnected" / "logged_out" reported
        self._state_lock = threading.Lock()

    # -- life ----------------------------------------------------------------------------------

    def start(self, emit: Emit) -> None:
        self._emit = emit
        self.client = self._client_factory(str(self.session_path))
        event, ev = self.client.event, self._ev
        event.qr(self._on_qr)  # also keeps neonize from drawing the QR on the terminal
        event.paircode(self._on_paircode)
        for kind, handler in ((ev.ConnectedEv, self._on_connected), (ev.KeepAliveRestoredEv, self._on_connected),
                              (ev.LoggedOutEv, self._on_logged_out), (ev.TemporaryBanEv, self._on_banned),
                              (ev.DisconnectedEv, self._on_disconnected), (ev.StreamErrorEv, self._on_disconnected),
                              (ev.KeepAliveTimeoutEv, self._on_disconnected),
                              (ev.ConnectFailureEv, self._on_disconnected),
                              (ev.StreamReplacedEv, self._on_disconnected),
                              (ev.ClientOutdatedEv, self._on_disconnected),
                              (ev.PairStatusEv, self._on_pair_status),
                              (ev.MessageEv, self._on_message), (ev.ReceiptEv, self._on_receipt)):
            event(kind)(handler)
        threading.Thread(target=self._keep_connected, name="wa-connect", daemon=True).start()

    def _keep_connected(self) -> None:
        delay, failures = FIRST_RETRY_S, 0
        while not self._stopping.is_set():
            began = time.monotonic()
            try:
                self.client.connect()
                reason, failures = "the connection ended", 0
            except Exception as exc:
                reason, failures = f"connect failed: {exc}", failures + 1
                # The whole story once; a line per retry after that (offline can last hours).
                self.log.warning("connecting to WhatsApp failed (%d in a row): %s", failures, exc,
                                 exc_info=failures == 1)
            if self._stopping.is_set():
                break
            if time.monotonic() - began > STABLE_S:
                delay = FIRST_RETRY_S
            self._connected.clear()
            self._report_state("disconnected", {"reason": reason})
            self.log.info("connecting again in %.0f s", delay)
            if self._stopping.wait(delay):
                break
            delay = min(delay * 2, MAX_RETRY_S)

    def stop(self) -> None:
        self._stopping.set()
        self._connected.clear()
        if self.client is not None:
            self.client.stop()  # cancels the Go side: a blocked connect() returns

    def _send_event(self, event: dict[str, Any]) -> None:
        if self._emit is not None:
            self._emit(event)

    def _report_state(self, state: str, event: dict[str, Any]) -> None:
        """Report a change of state (connected, disconnected, logged_out); a repeat is not news."""
        with self._state_lock:
            if state == self._state:
                return
            self._state = state
        self._send_event({"event": state, **event})

    # -- callbacks (on threads made by Go) -----------------------------------------------------

    def _on_qr(self, _client, data: bytes) -> None:
        self._awaiting_link = True
        self._send_event({"event": "qr", "data": data.decode("utf-8", errors="replace")})

    def _on_paircode(self, _client, code: str, connected: bool) -> None:
        if connected:
            self.log.info("linked with a pairing code")
        else:
            self._send_event({"event": "paircode", "code": code})

    def _on_pair_status(self, _client, ev) -> None:
        if ev.Error:
            self.log.warning("linking failed: %s", ev.Error)
            self._send_event({"event": "error", "message": f"linking failed: {ev.Error}", "fatal": False})

    def _on_connected(self, client, _ev) -> None:
        self._awaiting_link = False
        self._connected.set()
        try:
            self._phone = jid_phone(client.get_me().JID) or self._phone
        except Exception:
            self.log.warning("the linked number is not known yet", exc_info=True)
        self._report_state("connected", {"phone": self._phone})

    def _on_disconnected(self, _client, ev) -> None:
        self._connected.clear()
        reason = type(ev).__name__
        if hasattr(ev, "Code") and ev.Code:
            reason += f": {ev.Code}"
        elif hasattr(ev, "Reason"):
            reason += f": {_enum_name(ev, 'Reason')}"
        self._report_state("disconnected", {"reason": reason})

    def _on_logged_out(self, _client, ev) -> None:
        self._connected.clear()
        self._report_state("logged_out", {"reason": _enum_name(ev, "Reason")})

    def _on_banned(self, _client, ev) -> None:
        self._connected.clear()
        self._send_event({"event": "banned", "code": _enum_name(ev, "Code"), "expires_s": int(ev.Expire)})

    def _on_message(self, client, ev) -> None:
        try:
            event = message_to_incoming(ev, incoming_dir=self.incoming_dir, download=client.download_any,
                                        resolve_lid=self._resolve_lid, log=self.log)
        except Exception as exc:
            self.log.exception("message %s could not be read", ev.Info.ID)
            self._send_event({"event": "error", "fatal": False,
                              "message": f"incoming message {ev.Info.ID} could not be read: {exc}"})
            return
        if event is not None:
            self._send_event(event)

    def _on_receipt(self, _client, ev) -> None:
        try:
            event = receipt_event(ev, resolve_lid=self._resolve_lid, log=self.log)
        except Exception:
            self.log.exception("a receipt could not be read")
            return
        if event is not None:
            self._send_event(event)

    def _resolve_lid(self, jid):
        return self.client.get_pn_from_lid(self._non_ad(jid))

    # -- commands (on the loop's threads) ------------------------------------------------------

    def _recipient(self, to_e164: str):
        digits = to_e164.removeprefix("+")
        if not (digits.isdigit() and 8 <= len(digits) <= 15):
            raise BackendError("failed", f"not a phone number: {to_e164!r}")
        if not self._connected.is_set():
            raise BackendError("not_connected", "WhatsApp is not connected")
        try:
            answers = list(self.client.is_on_whatsapp("+" + digits))
        except self._NeonizeError:
            self.log.warning("is_on_whatsapp failed; sending anyway", exc_info=True)
            return self._build_jid(digits)
        known = [a for a in answers if a.IsIn]
        if answers and not known:
            raise BackendError("not_on_whatsapp", f"{to_e164} has no WhatsApp account")
        if known and known[0].JID.User:
            return self._non_ad(known[0].JID)  # the server's own form of the number
        return self._build_jid(digits)

    def _acknowledged(self, send) -> tuple[str, datetime]:
        try:
            response = send()
        except self._NeonizeError as exc:
            raise BackendError(reason_for(exc), str(exc)) from exc
        return response.ID, to_datetime(response.Timestamp)

    def send_text(self, to_e164: str, text: str) -> tuple[str, datetime]:
        jid = self._recipient(to_e164)
        return self._acknowledged(lambda: self.client.send_message(jid, text))

    def send_document(self, to_e164: str, data: bytes, file_name: str, mime: str,
                      caption: str) -> tuple[str, datetime]:
        jid = self._recipient(to_e164)
        return self._acknowledged(lambda: self.client.send_document(
            jid, data, caption=caption or None, filename=file_name, mimetype=mime))

    def pair_phone(self, phone_e164: str) -> str:
        if self._connected.is_set():
            raise BackendError("failed", "already linked")
        if not self._awaiting_link:
            raise BackendError("not_connected", "pairing needs a connection waiting to be linked")
        digits = "".join(ch for ch in phone_e164 if ch.isdigit())
        try:
            return self.client.PairPhone(digits, True)
        except self._NeonizeError as exc:
            raise BackendError(reason_for(exc), str(exc)) from exc

    def logout(self) -> None:
        try:
            self.client.logout()
        except self._NeonizeError as exc:
            raise BackendError(reason_for(exc), str(exc)) from exc
        self._connected.clear()
        with self._state_lock:
            self._state = "logged_out"  # the loop reports it
