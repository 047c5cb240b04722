"""The app's one change watcher: polls the change log and tells every view what changed.

One per signed-in session (owned by `AppContext`). Every `POLL_MS` it asks the desk, on the
database worker, for the changes after the last one it saw — one indexed read, usually
empty — and emits `bus.data_changed(ChangeSet)` when there are any: changes made on another
workstation, by a background runner, or by this window (a view that just changed something
calls `poll_now()` so the others follow at once). Opening or reading a request is not a
change, so it refreshes nothing anywhere.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from dikjamila.changes import ChangeSet
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

POLL_MS = 1000


class ChangeWatcher(QObject):
    def __init__(self, ctx, parent: QObject | None = None, *, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self._ctx = ctx
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
        self.poll_now()

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()

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
        self._poll_again()

    def _on_failure(self, message: str) -> None:
        # A locked or lost database: the views show their own errors; keep polling quietly.
        self._in_flight = False
        log.warning("change poll failed: %s", message)
        self._poll_again()

    def _poll_again(self) -> None:
        if self._again:
            self._again = False
            self.poll_now()
