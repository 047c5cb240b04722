"""A small "working…" indicator for the status bar: three dots, one lit at a time.

NOTE: it replaces an indeterminate QProgressBar. That bar repaints its moving stripes about 25
times a second for as long as a job runs, through Qt's multi-threaded raster fills, and on a
2-core PC with a busy core the window waited for those fills: 10% of the GUI thread's time
while the inbox scrolled (tests/bench/README.md). These dots repaint a 36×12 pixel square four
times a second.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

STEP_MS = 250
DOTS = 3
DOT = 6  # px
GAP = 6  # px


class BusyDots(QWidget):
    """Hidden until `start()`; `stop()` hides it again. `lit` is the dot drawn dark."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.lit = 0
        self._timer = QTimer(self, interval=STEP_MS)
        self._timer.timeout.connect(self._step)
        self.setFixedSize(self.sizeHint())
        self.setVisible(False)

    def sizeHint(self) -> QSize:  # Qt's name
        return QSize(DOTS * DOT + (DOTS - 1) * GAP, 12)

    def start(self) -> None:
        self.lit = 0
        self.setVisible(True)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self.setVisible(False)

    def _step(self) -> None:
        self.lit = (self.lit + 1) % DOTS
        self.update()

    def paintEvent(self, _event) -> None:  # Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        top = (self.height() - DOT) // 2
        for i in range(DOTS):
            painter.setBrush(QColor("#1d4ed8") if i == self.lit else QColor("#cbd5e1"))
            painter.drawEllipse(i * (DOT + GAP), top, DOT, DOT)
