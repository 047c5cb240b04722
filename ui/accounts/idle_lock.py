"""The idle lock: a workstation nobody has touched for `idle_lock_minutes` locks itself.

An event filter on the whole application notes the time of every mouse, key, wheel, touch or
pen input; a timer compares the time since with the setting, read from the office at each
check (a change in Pengaturan applies at once; 0 = never). Locking covers every window with a
curtain and shows the application-modal lock dialog: nothing behind it takes a key, a click
or a shortcut (Qt's modality, and this filter for anything that would slip past). What was
open stays as it was — request tabs, typed and unsaved text — and background work (change
watcher, outbox, watched folders) keeps running. The password is checked on the database
worker (argon2 is slow on purpose); a wrong one leaves the lock up. "Keluar" closes the main
window the normal way, which asks before unsaved edits are thrown away; if that is refused,
the lock stays.

An account deactivated by an admin while signed in locks at once (the change watcher tells),
and its password no longer opens the lock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPointF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QApplication, QWidget

from dikjamila.auth import accounts
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.i18n import tr
from ui.accounts.lock_dialog import Curtain, LockDialog

log = logging.getLogger(__name__)
_T = QEvent.Type
#: Input that means someone is at the workstation.
ACTIVITY = frozenset({
    _T.KeyPress, _T.MouseButtonPress, _T.MouseButtonRelease, _T.MouseButtonDblClick, _T.MouseMove,
    _T.Wheel, _T.TouchBegin, _T.TouchUpdate, _T.TouchEnd, _T.TabletPress, _T.TabletMove,
})
#: While locked, these reach only the lock dialog (or a question it led to, e.g. "Keluar").
BLOCKED = ACTIVITY | {
    _T.KeyRelease, _T.ShortcutOverride, _T.Shortcut, _T.ContextMenu, _T.InputMethod, _T.TabletRelease,
    _T.DragEnter, _T.DragMove, _T.Drop,
}
POLL_MS = 5000


class IdleLock(QObject):
    """Locks `window` (and every other window of the session) after the idle time.

    `clock` gives seconds (monotonic); tests pass their own and call `check()`.
    Signal `locked_changed(bool)`.
    """

    locked_changed = Signal(bool)

    def __init__(self, window, *, clock: Callable[[], float] = time.monotonic, poll_ms: int = POLL_MS):
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.clock = clock
        self._last_input = clock()
        self._last_pos: QPointF | None = None
        self.dialog: LockDialog | None = None
        self._curtains: list[Curtain] = []
        self._focus: QWidget | None = None
        self._timer = QTimer(self, interval=poll_ms)
        self._timer.timeout.connect(self.check)
        self._timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.ctx.bus.data_changed.connect(self._on_data_changed)
        self.ctx.on_close(self.stop)

    # -- idleness ---------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def set_clock(self, clock: Callable[[], float]) -> None:
        """Use another time source, counting idleness from its now."""
        self.clock = clock
        self._last_input = clock()

    def idle_seconds(self) -> float:
        return max(0.0, self.clock() - self._last_input)

    def limit_seconds(self) -> float | None:
        """The idle time allowed, from the office's settings as they are now (None: never lock)."""
        minutes = self.ctx.office.settings.idle_lock_minutes
        return minutes * 60.0 if minutes > 0 else None

    def check(self) -> bool:
        """Lock when idle for longer than the setting; True when locked."""
        limit = self.limit_seconds()
        if not self.locked and limit is not None and self.idle_seconds() >= limit:
            minutes = self.ctx.office.settings.idle_lock_minutes
            self.lock(tr("Layar dikunci karena tidak dipakai selama {n} menit.", n=minutes))
        return self.locked

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in ACTIVITY and (kind != _T.MouseMove or self._really_moved(event)):
            self._last_input = self.clock()
        # While locked, input for anything behind the lock is swallowed.
        return self.dialog is not None and kind in BLOCKED and not self._reachable(watched)

    def _really_moved(self, event) -> bool:
        """A mouse move counts only when the pointer went somewhere (Qt also sends moves of its
        own, and the same move to the window and to each widget under it)."""
        pos = event.globalPosition()
        moved = self._last_pos is None or pos != self._last_pos
        self._last_pos = pos
        return moved

    def _reachable(self, target: QObject) -> bool:
        """Is `target` the lock dialog, within it, or within a modal question opened after it?"""
        if target.isWindowType():
            return True  # a platform window: Qt's modality already holds back the blocked ones
        if not isinstance(target, QWidget):
            # A shortcut (QAction, QShortcut) belongs where its parent widget is.
            parent = target.parent()
            while parent is not None and not isinstance(parent, QWidget):
                parent = parent.parent()
            return parent is not None and self._reachable(parent)
        allowed = [w for w in (self.dialog, QApplication.activeModalWidget()) if w is not None]
        widget: QWidget | None = target
        while widget is not None:
            if any(widget is w for w in allowed):
                return True
            widget = widget.parentWidget()
        return False

    # -- locking ----------------------------------------------------------------------------
    def lock(self, reason: str = "") -> None:
        """Hide every window behind a curtain and ask for the password (nothing is closed)."""
        if self.dialog is not None:
            if reason:
                self.dialog.set_reason(reason)
            return
        if (popup := QApplication.activePopupWidget()) is not None:
            popup.close()  # an open menu would otherwise stay usable above the lock
        self._focus = QApplication.focusWidget()
        self._curtains = [Curtain(w) for w in QApplication.topLevelWidgets()
                          if w.isVisible() and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)]
        self.dialog = LockDialog(self.ctx.actor, reason, self.window)
        self.dialog.unlock_requested.connect(self._try_unlock)
        self.dialog.leave_requested.connect(self.leave)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.locked_changed.emit(True)

    def _try_unlock(self, password: str) -> None:
        dialog, db, actor = self.dialog, self.ctx.office.db, self.ctx.actor
        if dialog is None:
            return
        dialog.set_checking(True)
        self.ctx.submit(lambda: accounts.confirm_password(db, actor, password),
                        lambda _none: self._answered(dialog, ""), lambda message: self._answered(dialog, message),
                        label=tr("Memeriksa kata sandi…"))

    def _answered(self, dialog: LockDialog, refusal: str) -> None:
        if dialog is not self.dialog:
            return  # the lock that asked is gone (the session ended)
        if refusal:
            dialog.refuse(refusal)
        else:
            self.unlock()

    def unlock(self) -> None:
        """Take the lock away: every window as it was, the idle count from now."""
        self._take_down()
        self._last_input = self.clock()
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.locked_changed.emit(False)

    def leave(self) -> None:
        """"Keluar": close the main window the normal way (unsaved edits are asked about first);
        when that is refused, the lock stays up."""
        self.window.close()

    def _take_down(self) -> None:
        for curtain in self._curtains:
            if shiboken6.isValid(curtain):
                curtain.hide()
                curtain.deleteLater()
        self._curtains = []
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.release()
            dialog.close()
            dialog.deleteLater()

    def _on_data_changed(self, changes: ChangeSet) -> None:
        """Locks at once when an admin deactivated this account (its password then opens nothing)."""
        me = self.ctx.actor.id
        if me is None or not (changes.truncated or me in changes.ids(ChangeKind.USER)):
            return
        db = self.ctx.office.db
        self.ctx.submit(lambda: accounts.is_active(db, me), self._still_active,
                        lambda message: log.info("account check after a user change failed: %s", message),
                        label=tr("Memeriksa akun…"))

    def _still_active(self, active: bool) -> None:
        if not active and shiboken6.isValid(self):
            self.lock(tr("Akun Anda baru saja dinonaktifkan oleh admin. Hubungi admin, atau tekan Keluar."))

    def stop(self) -> None:
        """The session ends: no more checks, no lock left behind."""
        if not shiboken6.isValid(self):
            return
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._take_down()
