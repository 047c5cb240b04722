"""The WhatsApp link service of a session, on the PC that runs it (`runs_here`).

Started once the main window shows, stopped when the session ends. When an admin changes the
WhatsApp settings (transport, numbers, which PC runs the link), the service is replaced: the
old one is stopped on the executor (stopping waits for workers to end), then the new one
started. Starting only starts threads and worker processes, so it never holds up the window;
a failure to start is returned as a sentence for the status bar, never raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.whatsapp.service import accounts_of, runs_here
from ui.worker import user_message

log = logging.getLogger(__name__)


class LinkSession:
    def __init__(self, ctx, factory: Callable[[Any], Any] | None):
        self._ctx = ctx
        self._factory = factory
        self.service: Any = None
        self._running_for: tuple | None = None  # the settings the running service was made for
        self._closed = False

    def _wanted(self) -> tuple | None:
        """What should run here now (None: nothing, on this PC)."""
        office = self._ctx.office
        if self._factory is None or not runs_here(office):
            return None
        return office.settings.whatsapp_transport, tuple(accounts_of(office))

    def start(self) -> str:
        """Start the service if this PC runs the link; "" or why it could not start (Indonesian)."""
        if self._closed or self.service is not None:
            return ""
        wanted = self._wanted()
        if wanted is None or self._factory is None:
            return ""
        service = None
        try:
            service = self._factory(self._ctx.office)
            service.start()
        except Exception as exc:  # noqa: BLE001 - the window goes on without WhatsApp, and says why
            if isinstance(exc, UserError):
                log.warning("WhatsApp link not started: %s", exc.message)
            else:
                log.exception("WhatsApp link not started")
            if service is not None:
                _stop_quietly(service)  # what did start (threads, workers) must not outlive the window
            return tr("WhatsApp tidak dapat dijalankan: {reason}", reason=user_message(exc))
        self.service, self._running_for = service, wanted
        return ""

    def follow_settings(self, say: Callable[[str], None]) -> None:
        """After a settings change: replace the service if what should run here changed."""
        if self._closed or self._wanted() == self._running_for:
            return
        old, self.service, self._running_for = self.service, None, None

        def start_new(_result=None) -> None:
            if message := self.start():
                say(message)

        if old is None:
            start_new()
            return
        self._ctx.executor.start(lambda _state: old.stop(), start_new, lambda message: start_new(),
                                 label=tr("Menghentikan WhatsApp…"))

    def stop(self) -> None:
        self._closed = True
        service, self.service = self.service, None
        if service is not None:
            _stop_quietly(service)


def _stop_quietly(service) -> None:
    try:
        service.stop()
    except Exception:  # noqa: BLE001 - closing goes on
        log.exception("stopping the WhatsApp link failed")
