"""The line at the top of "Pengaduan": how many of a period's complaints are resolved, against
the office's standard (at least 91%), with the period to count (this month by default)."""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from dikjamila.desk.complaint_records import ComplaintRatio
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.reports.figures import COMPLAINT_TARGET
from dikjamila.reports.numbers import id_int, id_percent
from ui.supervision.period_picker import PeriodPicker

STYLES = {"good": "color: #166534; background: #f0fdf4; border: 1px solid #bbf7d0;",
          "bad": "color: #991b1b; background: #fef2f2; border: 1px solid #fecaca;",
          "": "color: #1e3a8a; background: #eff6ff; border: 1px solid #bfdbfe;"}


def ratio_text(period_label: str, ratio: ComplaintRatio) -> tuple[str, str]:
    """The line (rich text) and its state ("good", "bad", or "" without complaints)."""
    if ratio.ratio is None:
        return html.escape(tr("{period}: belum ada pengaduan diterima.", period=period_label)), ""
    return tr("{period}: <b>{resolved} dari {received}</b> pengaduan sudah diselesaikan — <b>{share}</b> "
              "(standar paling sedikit {target}).", period=html.escape(period_label),
              resolved=id_int(ratio.resolved), received=id_int(ratio.received), share=id_percent(ratio.ratio),
              target=id_percent(COMPLAINT_TARGET, 0)), ("good" if ratio.ratio >= COMPLAINT_TARGET else "bad")


class ComplaintRatioBar(QWidget):
    """`refresh()` asks the desk (`complaint_ratio`) on the worker; `failed(message)` when it refuses."""

    failed = Signal(str)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ratio: ComplaintRatio | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.period = PeriodPicker(self)
        self.period.changed.connect(self.refresh)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(QLabel(tr("Periode:"), self))
        row.addWidget(self.period)

    def refresh(self) -> None:
        try:
            period = self.period.period()
        except UserError as exc:
            self.failed.emit(exc.message)
            return
        desk = self.ctx.desk
        self.ctx.submit(lambda: desk.complaint_ratio(period.start_utc, period.end_utc),
                        self._guard(lambda ratio: self._show(period.label, ratio)), self._guard(self.failed.emit),
                        label=tr("Menghitung rasio pengaduan…"))

    def _show(self, period_label: str, ratio: ComplaintRatio) -> None:
        self.ratio = ratio
        text, state = ratio_text(period_label, ratio)
        self.label.setStyleSheet(STYLES[state] + "border-radius: 4px; padding: 6px 10px;")
        self.label.setText(text)

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run
