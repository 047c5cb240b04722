"""Choosing a report period: Hari (a date), Bulan (month and year) or Tahun (a year).

The picker writes the period as the core reads it ("2026-11-30", "2026-11", "2026") and turns
it into a `Period` with `dikjamila.reports.period.parse_period`, so the UI never builds a
period the core would read differently. It starts at this month (office time, WITA).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.reports.period import MONTHS, Period, PeriodKind, parse_period

KINDS = ((PeriodKind.DAY, "Hari"), (PeriodKind.MONTH, "Bulan"), (PeriodKind.YEAR, "Tahun"))
FIRST_YEAR, LAST_YEAR = 2000, 2999


def office_today() -> date:
    return datetime.now(WITA).date()


class PeriodPicker(QWidget):
    """`changed()` whenever the chosen period changes; `code()` / `period()` read it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None):
        super().__init__(parent)
        today = today or office_today()
        self.kind = QComboBox(self)
        for kind, label in KINDS:
            self.kind.addItem(tr(label), kind)
        self.kind.setAccessibleName(tr("Jenis periode"))
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd-MM-yyyy")
        self.day.setDateRange(QDate(FIRST_YEAR, 1, 1), QDate(LAST_YEAR, 12, 31))
        self.month = QComboBox(self)
        for number, name in enumerate(MONTHS, start=1):
            self.month.addItem(tr(name), number)
        self.month.setCurrentIndex(today.month - 1)
        self.month_year = self._year_box(today.year)
        self.year = self._year_box(today.year)
        self.stack = QStackedWidget(self)
        for fields in ((self.day,), (self.month, self.month_year), (self.year,)):
            page = QWidget(self)
            row = QHBoxLayout(page)
            row.setContentsMargins(0, 0, 0, 0)
            for field in fields:
                row.addWidget(field)
            self.stack.addWidget(page)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind)
        layout.addWidget(self.stack)
        self.kind.setCurrentIndex(1)
        self._show_page(1)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.day.dateChanged.connect(self.changed)
        self.month.currentIndexChanged.connect(self.changed)
        self.month_year.valueChanged.connect(self._follow_year)
        self.year.valueChanged.connect(self._follow_year)

    def _year_box(self, year: int) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(FIRST_YEAR, LAST_YEAR)
        box.setValue(year)
        box.setGroupSeparatorShown(False)
        box.setAccessibleName(tr("Tahun"))
        return box

    def _on_kind(self, index: int) -> None:
        self._show_page(index)
        self.changed.emit()

    def _show_page(self, index: int) -> None:
        """Show the kind's fields; the picker is as wide as they are (not as the widest page)."""
        self.stack.setCurrentIndex(index)
        for i in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            self.stack.widget(i).setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.updateGeometry()

    def _follow_year(self, value: int) -> None:
        """The month page's year and the year page's year are one choice."""
        for box in (self.month_year, self.year):
            if box.value() != value:
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
        self.changed.emit()

    # -- reading and setting -------------------------------------------------------------------
    def code(self) -> str:
        """The period as the core reads it: "2026-11-30", "2026-11" or "2026"."""
        kind = self.kind.currentData()
        if kind == PeriodKind.DAY:
            return self.day.date().toString("yyyy-MM-dd")
        if kind == PeriodKind.MONTH:
            return f"{self.month_year.value()}-{self.month.currentData():02d}"
        return str(self.year.value())

    def period(self) -> Period:
        """The chosen period (raises `InvalidInput` in Indonesian when the core refuses it)."""
        return parse_period(self.code())

    def set_day(self, day: date) -> None:
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.kind.setCurrentIndex(0)

    def set_month(self, year: int, month: int) -> None:
        self.month_year.setValue(year)
        self.month.setCurrentIndex(month - 1)
        self.kind.setCurrentIndex(1)

    def set_year(self, year: int) -> None:
        self.year.setValue(year)
        self.kind.setCurrentIndex(2)
