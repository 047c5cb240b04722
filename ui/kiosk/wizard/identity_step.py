"""Step 3: name, WhatsApp number and NIK, typed on the on-screen pads, checked as they are typed.

Each change asks the station (`check_identity`) on the worker; its answer puts a plain
sentence under each field that is wrong (a field nobody has touched yet stays quiet) and a
tick under each that is right. "Lanjut" waits until the station finds nothing wrong.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from dikjamila.i18n import tr
from ui.kiosk.fields import KeypadDock, KioskField, digits_pattern
from ui.kiosk.wizard.step import Step

NAME_PATTERN = r"[A-Za-z .,'\-]{0,80}"


class IdentityStep(Step):
    title = tr("Data diri pemohon")

    def __init__(self, wizard):
        super().__init__(wizard)
        self.name = KioskField(tr("Nama lengkap (sesuai KK)"), "letters", pattern=NAME_PATTERN, parent=self)
        self.phone = KioskField(tr("Nomor WhatsApp"), "digits", pattern=digits_pattern(15), parent=self)
        self.nik = KioskField(tr("NIK (16 angka)"), "digits", pattern=digits_pattern(16), parent=self)
        self.fields = {"name": self.name, "phone": self.phone, "nik": self.nik}
        self.problems: dict[str, str] | None = None  # the station's last answer; None: not asked yet
        self._touched: set[str] = set()
        self._asked = 0
        self.dock = KeypadDock(parent=self)
        self.dock.attach(self.name, self.phone, self.nik)
        left = QVBoxLayout()
        left.setSpacing(6)
        for field in self.fields.values():
            left.addWidget(field)
        left.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(28)
        row.addLayout(left, 6)
        row.addWidget(self.dock, 5)
        for key, field in self.fields.items():
            field.edit.textEdited.connect(lambda _text, k=key: self._touched.add(k))
            field.edit.textChanged.connect(self._check)

    def enter(self) -> None:
        for key, value in (("name", self.draft.applicant_name), ("phone", self.draft.applicant_phone),
                           ("nik", self.draft.applicant_nik)):
            if self.fields[key].text() != value:
                self.fields[key].set_text(value)
        first_empty = next((f for f in self.fields.values() if not f.text()), self.name)
        self.dock.focus(first_empty)
        self._check()

    def leave(self) -> None:
        self.draft.applicant_name = self.name.text().strip()
        self.draft.applicant_phone = self.phone.text()
        self.draft.applicant_nik = self.nik.text()

    def is_ready(self) -> bool:
        return self.problems == {}

    def why_not(self) -> str:
        if self.problems and any(key in self._touched for key in self.problems):
            return tr("Periksa kembali isian yang bertanda merah.")
        return tr("Isi nama, nomor WhatsApp, dan NIK.")

    def wipe(self) -> None:
        for field in self.fields.values():
            field.edit.blockSignals(True)
            field.edit.clear()
            field.edit.blockSignals(False)
            field.set_message("")
        self._touched.clear()
        self.problems = None
        self._asked += 1

    def _check(self) -> None:
        name, phone, nik = self.name.text().strip(), self.phone.text(), self.nik.text()
        for key, value in (("name", name), ("phone", phone), ("nik", nik)):
            if value:
                self._touched.add(key)
        self.leave()
        self._asked += 1
        asked = self._asked
        self.problems = None
        self.ready_changed.emit(False)
        station = self.ctx.station
        self.ctx.call(lambda: station.check_identity(name, phone, nik), lambda found: self._show(asked, found),
                      self.wizard.show_error)

    def _show(self, asked: int, problems: dict[str, str]) -> None:
        if asked != self._asked:
            return
        self.problems = dict(problems)
        for key, field in self.fields.items():
            if key in problems and key in self._touched:
                field.set_message(problems[key], "error")
            elif key not in problems:
                field.set_message(tr("✓ Benar"), "ok")
            else:
                field.set_message("")
        self.ready_changed.emit(self.is_ready())
