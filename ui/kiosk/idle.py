"""The idle timer: no touch, click or key for a while → `timed_out`.

It watches the whole application (an event filter on `QApplication`), so a tap anywhere —
a keypad key, a list, the PIN pad — starts the count again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

#: Events that mean someone is at the screen.
_ACTIVITY = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress, QEvent.Type.Wheel, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Emits `timed_out` after `seconds` without input; any input restarts the count."""

    timed_out = Signal()

    def __init__(self, seconds: float, parent: QObject | None = None):
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.timed_out)
        self.set_seconds(seconds)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_seconds(self, seconds: float) -> None:
        """Change the idle time (the settings' value; tests use a short one) and restart."""
        self._timer.setInterval(max(1, int(seconds * 1000)))
        self.restart()

    def seconds(self) -> float:
        return self._timer.interval() / 1000

    def restart(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        """Stop watching (the window is closing)."""
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self._timer.start()
        return False
