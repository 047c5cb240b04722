"""The app's one change watcher: polls the change log and tells every view what changed.

One per signed-in session (owned by `AppContext`). Every `POLL_MS` it asks the desk, on the
database worker, for the changes after the last one it saw — one indexed read, usually
empty — and emits `bus.data_changed(ChangeSet)` when there are any: changes made on another
workstation, by a background runner, or by this window (a view that just changed something
calls `poll_now()` so the others follow at once). Opening or reading a request is not a
change, so it refreshes nothing anywhere.

On PostgreSQL a listener (`dikjamila.db.pg_changes.ChangeListener`, its own thread and
connection) hears the NOTIFY every change-logging commit sends and polls at once; the timer
stays as the safety net (a lost listener connection), at `PG_POLL_MS`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

POLL_MS = 1000
PG_POLL_MS = 2500


class _Notified(QObject):
    """Carries the listener thread's "something changed" into the GUI thread (a queued signal)."""

    arrived = Signal()


class ChangeWatcher(QObject):
    def __init__(self, ctx, parent: QObject | None = None, *, interval_ms: int | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._listener = None
        on_server = ctx.office.db.engine.dialect.name == "postgresql"
        if interval_ms is None:
            interval_ms = PG_POLL_MS if on_server else POLL_MS
        if on_server:
            from dikjamila.db.pg_changes import ChangeListener

            self._notified = _Notified(self)
            self._notified.arrived.connect(self.poll_now)
            self._listener = ChangeListener(ctx.office.db.url, self._notified.arrived.emit)
        self._marker = -1  # not started: the first answer is the starting point
        self._in_flight = False
        self._again = False
        self._stopped = False
        self.polls = 0  # answered polls, for tests and diagnostics
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.poll_now)

    @property
    def marker(self) -> int:
        return self._marker

    def start(self) -> None:
        """Take the newest change as the starting point, then poll."""
        if not self._timer.isActive():
            self._timer.start()
            if self._listener is not None:
                self._listener.start()
        self.poll_now()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()
        if self._listener is not None:
            self._listener.stop()

    @property
    def listener(self):
        """The PostgreSQL NOTIFY listener (None on SQLite)."""
        return self._listener

    def poll_now(self) -> None:
        """Ask for changes now (after the database jobs already queued, such as a save)."""
        if self._stopped:
            return
        if self._in_flight:
            self._again = True  # one more poll after this one, so a fresh change is not missed
            return
        self._in_flight = True
        marker, desk = self._marker, self._ctx.desk
        self._ctx.submit(lambda: desk.changes_since(marker), self._on_changes, self._on_failure,
                         label=tr("Memeriksa perubahan…"))

    def _on_changes(self, changes: ChangeSet) -> None:
        self._in_flight = False
        self.polls += 1
        first = self._marker < 0
        self._marker = changes.marker
        if changes and not first and not self._stopped:
            self._ctx.bus.data_changed.emit(changes)
            if changes.touches(ChangeKind.SETTINGS):  # maybe saved on another PC: take them here too
                self._ctx.submit(self._ctx.office.refresh_settings, self._settings_refreshed)
        self._poll_again()

    def _settings_refreshed(self, changed: bool) -> None:
        if changed and not self._stopped:
            self._ctx.bus.settings_changed.emit()

    def _on_failure(self, message: str) -> None:
        # A locked or lost database: the views show their own errors; keep polling quietly.
        self._in_flight = False
        log.warning("change poll failed: %s", message)
        self._poll_again()

    def _poll_again(self) -> None:
        if self._again:
            self._again = False
            self.poll_now()
