"""Two small bar charts drawn with QPainter: the dashboard needs no charting library.

`BarChart` draws labelled horizontal bars (label left, bar, value at the bar's end) — one row
per category, so long service names stay readable. `ColumnChart` draws columns on a fixed
scale with gridlines and axis labels — the IKM elements U1..U9 on the survey's 1-4 scale. Both
take plain `(label, value)` pairs, size themselves to their content (`sizeHint`) and elide
labels that do not fit. Colours come from `PALETTE`, shared with the dashboard's tiles.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from dikjamila.i18n import tr
from dikjamila.reports.numbers import id_decimal, id_int

PALETTE = {
    "bar": QColor("#3b6ea8"),
    "bar_muted": QColor("#c7d4e5"),
    "track": QColor("#f1f5f9"),
    "grid": QColor("#e2e8f0"),
    "axis": QColor("#94a3b8"),
    "text": QColor("#1f2937"),
    "muted": QColor("#64748b"),
}
Row = tuple[str, float]
PAD = 10


def _title_font(widget: QWidget) -> QFont:
    font = QFont(widget.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.08)
    return font


class _Chart(QWidget):
    """What both charts share: a title, rows of data, a way to write a value, an empty note."""

    def __init__(self, title: str = "", parent: QWidget | None = None, *,
                 value_text: Callable[[float], str] = lambda v: id_int(int(v))):
        super().__init__(parent)
        self._title = title
        self._rows: list[Row] = []
        self._tips: list[str] = []
        self._value_text = value_text
        self.empty_text = tr("Belum ada data untuk periode ini.")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    @property
    def title(self) -> str:
        return self._title

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    def set_title(self, title: str) -> None:
        self._title = title
        self.update()

    def set_rows(self, rows: Sequence[Row], tips: Sequence[str] = ()) -> None:
        """Show `rows` ((label, value) pairs, in order); `tips` are tooltips per row (optional)."""
        self._rows = [(str(label), float(value)) for label, value in rows]
        self._tips = list(tips)
        self.updateGeometry()
        self.update()

    def value_text(self, value: float) -> str:
        return self._value_text(value)

    def _title_height(self) -> int:
        return QFontMetrics(_title_font(self)).height() + 8 if self._title else 0

    def _paint_title(self, painter: QPainter) -> float:
        if not self._title:
            return PAD
        painter.setFont(_title_font(self))
        painter.setPen(PALETTE["text"])
        metrics = painter.fontMetrics()
        painter.drawText(QRectF(PAD, PAD, self.width() - 2 * PAD, metrics.height()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, self.width() - 2 * PAD))
        painter.setFont(self.font())
        return PAD + self._title_height()

    def _paint_empty(self, painter: QPainter, top: float) -> None:
        painter.setPen(PALETTE["muted"])
        painter.drawText(QRectF(PAD, top, self.width() - 2 * PAD, self.height() - top - PAD),
                         Qt.AlignmentFlag.AlignCenter, self.empty_text)

    def _row_at(self, x: float, y: float) -> int:  # overridden per chart
        return -1

    def mouseMoveEvent(self, event) -> None:
        row = self._row_at(event.position().x(), event.position().y())
        if 0 <= row < len(self._rows):
            label, value = self._rows[row]
            tip = self._tips[row] if row < len(self._tips) and self._tips[row] else label
            QToolTip.showText(event.globalPosition().toPoint(), f"{tip}: {self.value_text(value)}", self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)


class BarChart(_Chart):
    """Horizontal bars, one row per (label, value); zero rows are drawn muted."""

    MAX_LABEL_SHARE = 0.42  # of the width: labels beyond it are elided

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 9

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _ in self._rows), default=80)
        rows = max(len(self._rows), 2)
        return QSize(min(widest, 260) + 260 + 2 * PAD, 2 * PAD + self._title_height() + rows * self._row_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(260, self.sizeHint().height())

    def _geometry(self) -> tuple[float, float, float, float]:
        """(label width, bar left, bar room, top of the first row)."""
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(label) for label, _ in self._rows), default=0)
        label_w = min(widest + 4, self.width() * self.MAX_LABEL_SHARE)  # NOTE: slack for rounding
        value_w = max((metrics.horizontalAdvance(self.value_text(v)) for _, v in self._rows), default=0) + 8
        left = PAD + label_w + 10
        return label_w, left, max(10.0, self.width() - PAD - left - value_w), PAD + self._title_height()

    def _row_at(self, x: float, y: float) -> int:
        top = self._geometry()[3]
        return int((y - top) // self._row_height()) if y >= top else -1

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        top = self._paint_title(painter)
        if not self._rows:
            self._paint_empty(painter, top)
            return
        metrics = painter.fontMetrics()
        label_w, left, room, top = self._geometry()
        most = max((v for _, v in self._rows), default=0) or 1
        row_h = self._row_height()
        bar_h = max(8.0, row_h - 10.0)
        for i, (label, value) in enumerate(self._rows):
            y = top + i * row_h
            painter.setPen(PALETTE["text"] if value else PALETTE["muted"])
            painter.drawText(QRectF(PAD, y, label_w, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w)))
            bar_y = y + (row_h - bar_h) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(PALETTE["track"])
            painter.drawRoundedRect(QRectF(left, bar_y, room, bar_h), 3, 3)
            length = room * max(0.0, value) / most
            if length > 0:
                painter.setBrush(PALETTE["bar"])
                painter.drawRoundedRect(QRectF(left, bar_y, max(length, 3.0), bar_h), 3, 3)
            painter.setPen(PALETTE["text"] if value else PALETTE["muted"])
            painter.drawText(QRectF(left + length + 6, y, self.width() - left - length - 6, row_h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.value_text(value))


class ColumnChart(_Chart):
    """Vertical columns on a fixed scale (`low`..`high`, gridlines every `step`), the value on
    top of each column and its label below. Made for the IKM's NRR per element (1-4)."""

    PLOT_HEIGHT = 190

    def __init__(self, title: str = "", parent: QWidget | None = None, *, low: float = 1.0, high: float = 4.0,
                 step: float = 0.5, decimals: int = 2, axis_title: str = ""):
        super().__init__(title, parent, value_text=lambda v: id_decimal(v, decimals))
        self.low, self.high, self.step = low, high, step
        self.axis_title = axis_title
        self._axis_decimals = 0 if float(step).is_integer() else 1

    def sizeHint(self) -> QSize:
        columns = max(len(self._rows), 4)
        extra = self.fontMetrics().height() + 6 if self.axis_title else 0
        return QSize(60 + columns * 52 + 2 * PAD,
                     2 * PAD + self._title_height() + self.PLOT_HEIGHT + 2 * self.fontMetrics().height() + 12 + extra)

    def minimumSizeHint(self) -> QSize:
        return QSize(60 + max(len(self._rows), 4) * 30, self.sizeHint().height())

    def _plot(self) -> QRectF:
        metrics = self.fontMetrics()
        axis_w = metrics.horizontalAdvance(id_decimal(self.high, self._axis_decimals)) + 10
        left = PAD + axis_w + (metrics.height() + 4 if self.axis_title else 0)
        top = PAD + self._title_height() + metrics.height() + 4  # room for the value over a full column
        return QRectF(left, top, self.width() - left - PAD, self.PLOT_HEIGHT)

    def _y(self, plot: QRectF, value: float) -> float:
        share = (min(max(value, self.low), self.high) - self.low) / ((self.high - self.low) or 1)
        return plot.bottom() - share * plot.height()

    def _row_at(self, x: float, y: float) -> int:
        plot = self._plot()
        if not self._rows or x < plot.left() or x > plot.right():
            return -1
        return int((x - plot.left()) // (plot.width() / len(self._rows)))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        top = self._paint_title(painter)
        metrics = painter.fontMetrics()
        plot = self._plot()
        self._paint_axis(painter, plot)
        if not self._rows:
            self._paint_empty(painter, top)
            return
        slot = plot.width() / len(self._rows)
        column_w = min(44.0, slot * 0.62)
        for i, (label, value) in enumerate(self._rows):
            cx = plot.left() + slot * (i + 0.5)
            y = self._y(plot, value)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(PALETTE["bar"])
            painter.drawRoundedRect(QRectF(cx - column_w / 2, y, column_w, plot.bottom() - y), 3, 3)
            painter.setPen(PALETTE["text"])
            painter.drawText(QRectF(cx - slot / 2, y - metrics.height() - 2, slot, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, self.value_text(value))
            painter.drawText(QRectF(cx - slot / 2, plot.bottom() + 4, slot, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(slot)))

    def _paint_axis(self, painter: QPainter, plot: QRectF) -> None:
        metrics = painter.fontMetrics()
        steps = round((self.high - self.low) / self.step)
        for k in range(steps + 1):
            value = self.low + k * self.step
            y = self._y(plot, value)
            painter.setPen(QPen(PALETTE["axis" if k == 0 else "grid"], 1))
            painter.drawLine(plot.left(), y, plot.right(), y)
            painter.setPen(PALETTE["muted"])
            painter.drawText(QRectF(plot.left() - 60, y - metrics.height() / 2, 54, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             id_decimal(value, self._axis_decimals))
        if self.axis_title:
            painter.save()
            painter.translate(PAD + metrics.ascent(), plot.center().y())
            painter.rotate(-90)
            painter.setPen(PALETTE["muted"])
            painter.drawText(QRectF(-plot.height() / 2, -metrics.ascent(), plot.height(), metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, self.axis_title)
            painter.restore()
