"""The facts the current SOP asks about, as form fields.

Which facts: every fact named by a condition of the SOP (a requirement's or group's `when`,
an eligibility `rule`), found with `Condition.facts()`. A derived number (`subject_age`,
`late_report_days`) is asked as the date it is computed from. Every field has a
"belum diisi" state, because an unknown fact is not the same as "no".
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from dikjamila.i18n import tr
from dikjamila.sop import FACTS, FactType, Sop

NOT_SET = "— belum diisi —"
# QDateEdit cannot be empty: its minimum date stands for "belum diisi" (shown as special text).
_SENTINEL = QDate(1900, 1, 1)


def sop_fact_names(sop: Sop) -> list[str]:
    """Facts the SOP's conditions read, as the operator enters them, in vocabulary order."""
    names: set[str] = set()
    conditions = [r.when for r in sop.requirements] + [g.when for g in sop.groups]
    conditions += [e.rule for e in sop.eligibility]
    for condition in conditions:
        if condition is not None:
            names |= condition.facts()
    entered = {FACTS[name].derived_from or name for name in names}
    return [name for name in FACTS if name in entered]


class _ChoiceField(QComboBox):
    """Yes/no or a list of values, with "belum diisi" first. Value None = not known."""

    def __init__(self, choices: list[tuple[object, str]], parent=None):
        super().__init__(parent)
        self.addItem(tr(NOT_SET), None)
        for value, text in choices:
            self.addItem(text, value)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)

    def value(self):
        return self.currentData()

    def set_value(self, value) -> None:
        index = self.findData(value) if value is not None else 0
        self.setCurrentIndex(max(0, index))

    def connect_changed(self, slot) -> None:
        self.currentIndexChanged.connect(lambda _i: slot())

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)


class _DateField(QWidget):
    """A QDateEdit (dd-MM-yyyy, calendar popup) that can be "belum diisi", plus a clear button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.edit = QDateEdit(self)
        self.edit.setDisplayFormat("dd-MM-yyyy")
        self.edit.setCalendarPopup(True)
        self.edit.setMinimumDate(_SENTINEL)
        self.edit.setMaximumDate(QDate.currentDate())  # a fact date cannot be in the future
        self.edit.setSpecialValueText(tr("belum diisi"))
        self.edit.setDate(_SENTINEL)
        # NOTE: the popup would open on January 1900; show this month instead.
        self.edit.calendarWidget().installEventFilter(self)
        self.clear_button = QToolButton(self)
        self.clear_button.setText("×")
        self.clear_button.setToolTip(tr("Kosongkan (belum diisi)"))
        self.clear_button.clicked.connect(lambda: self.set_value(None))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.clear_button)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.edit.date() == _SENTINEL:
            today = QDate.currentDate()
            self.edit.calendarWidget().setCurrentPage(today.year(), today.month())
        return False

    def value(self) -> str | None:
        day = self.edit.date()
        return None if day == _SENTINEL else day.toPython().isoformat()

    def set_value(self, value) -> None:
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        self.edit.setDate(QDate(value.year, value.month, value.day) if isinstance(value, date) else _SENTINEL)

    def connect_changed(self, slot) -> None:
        self.edit.dateChanged.connect(lambda _d: slot())

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.clear_button.setEnabled(not read_only)


def _field_for(name: str, parent: QWidget):
    fact = FACTS[name]
    if fact.type is FactType.BOOL:
        return _ChoiceField([(True, tr("Ya")), (False, tr("Tidak"))], parent)
    if fact.type is FactType.ENUM:
        return _ChoiceField([(value, tr(text)) for value, text in fact.values], parent)
    if fact.type is FactType.DATE:
        return _DateField(parent)
    raise ValueError(f"fact {name} is not entered directly")  # INT facts are all derived


class FactsForm(QWidget):
    """Fields for the facts an SOP uses. Emits `changed()`; `changes()` gives what to save."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self._hints: dict[str, QLabel] = {}
        self._orig: dict[str, object] = {}
        self._names: list[str] = []
        self._read_only = False
        self._loading = False
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(12)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 3)
        self._grid.setColumnStretch(1, 2)

    def set_facts(self, names: list[str], stored: dict, *, needed: set[str] = frozenset(),
                  keep_edits: bool = False) -> None:
        """Show fields for `names` with the stored values; `needed` ones are marked."""
        dirty = self.changes() if keep_edits else {}
        self._orig = {name: self._normal(name, stored.get(name)) for name in names}
        if names != self._names:
            self._rebuild(names)
        self._loading = True
        try:
            for name, field in self.fields.items():
                field.set_value(dirty[name] if name in dirty else self._orig[name])
        finally:
            self._loading = False
        wanted = {FACTS[n].derived_from or n for n in needed}
        for name, hint in self._hints.items():
            hint.setVisible(name in wanted and self.fields[name].value() is None)

    def _rebuild(self, names: list[str]) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.fields, self._hints, self._names = {}, {}, list(names)
        for row, name in enumerate(names):
            label = QLabel(tr(FACTS[name].label), self)
            label.setWordWrap(True)
            field = _field_for(name, self)
            field.setObjectName(f"fact_{name}")
            label.setBuddy(field.edit if isinstance(field, _DateField) else field)
            field.connect_changed(lambda n=name: self._on_change(n))
            field.set_read_only(self._read_only)
            hint = QLabel(tr("perlu diisi"), self)
            hint.setStyleSheet("color: #b45309; font-weight: 600;")
            hint.hide()
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(field, row, 1)
            self._grid.addWidget(hint, row, 2)
            self.fields[name] = field
            self._hints[name] = hint

    @staticmethod
    def _normal(name: str, value):
        if value is None:
            return None
        if FACTS[name].type is FactType.DATE:
            return str(value)[:10]
        return value

    def _on_change(self, name: str) -> None:
        if self._loading:
            return
        self._hints[name].setVisible(False)
        self.changed.emit()

    def changes(self) -> dict:
        """Facts whose value differs from the stored one (None = cleared)."""
        return {name: field.value() for name, field in self.fields.items()
                if field.value() != self._orig.get(name)}

    def current(self) -> dict:
        return {name: field.value() for name, field in self.fields.items()}

    def names(self) -> list[str]:
        return list(self._names)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for field in self.fields.values():
            field.set_read_only(read_only)
