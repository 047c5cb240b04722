"""Applicant and subject fields with live validation under each field.

Validation of one field is pure and fast (dikjamila.identity), so it runs on the GUI thread
as the operator types. `changes()` gives only the fields that differ from what is stored,
already normalised the way the desk stores them, so reformatting a number is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk import RequestDetail
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import (
    format_date_id,
    kecamatan_list,
    normalize_phone,
    parse_kk_number,
    parse_nik,
    villages,
)

LEVEL_COLOURS = {"error": "#b91c1c", "warning": "#b45309", "info": "#4b5563"}
SEX_CODES = {"laki_laki": "L", "perempuan": "P"}


@dataclass(frozen=True)
class Verdict:
    """The outcome of checking one field: the value to store (None: invalid) and a message."""

    value: str | None
    level: str = ""  # "" | "info" | "warning" | "error"
    message: str = ""

    @property
    def valid(self) -> bool:
        return self.level != "error"


def check_name(text: str, *, required: bool, label: str) -> Verdict:
    value = " ".join(text.split())
    if required and not value:
        return Verdict(None, "error", tr("{label} wajib diisi.", label=label))
    return Verdict(value)


def check_phone(text: str) -> Verdict:
    if not text.strip():
        return Verdict("", "warning", tr("Belum diisi: pesan WhatsApp tidak dapat dikirim."))
    try:
        info = normalize_phone(text)
    except InvalidInput as exc:
        return Verdict(None, "error", exc.message)
    if not info.is_mobile:
        return Verdict(info.e164, "warning", tr("{number} mungkin bukan nomor HP; WhatsApp bisa gagal.",
                                                number=info.display))
    return Verdict(info.e164)


def check_nik(text: str, *, birth_date: date | None = None, sex: str | None = None) -> Verdict:
    if not text.strip():
        return Verdict("")
    try:
        info = parse_nik(text, birth_date=birth_date, sex=sex)
    except InvalidInput as exc:
        return Verdict(None, "error", exc.message)
    if info.warnings:
        return Verdict(info.nik, "warning", " ".join(info.warnings))
    sex_word = tr("laki-laki") if info.sex == "L" else tr("perempuan")
    return Verdict(info.nik, "info", tr("Lahir {date}, {sex}", date=format_date_id(info.birth_date),
                                       sex=sex_word))


def check_kk(text: str) -> Verdict:
    if not text.strip():
        return Verdict("")
    try:
        return Verdict(parse_kk_number(text))
    except InvalidInput as exc:
        return Verdict(None, "error", exc.message)


# key, caption, placeholder
TEXT_FIELDS = (
    ("applicant_name", "Nama pemohon", ""),
    ("applicant_phone", "No. WhatsApp pemohon", "0812-3456-7890"),
    ("applicant_nik", "NIK pemohon", "16 angka"),
    ("subject_name", "Nama yang bersangkutan", "bila berbeda dengan pemohon"),
    ("subject_nik", "NIK yang bersangkutan", "16 angka"),
    ("kk_number", "Nomor KK", "16 angka"),
)


class FieldsForm(QWidget):
    """Emits `changed()` after every edit; `is_valid()` and `changes()` say what to save."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._orig: dict[str, str] = {}
        self._subject_birth: date | None = None
        self._subject_sex: str | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        self.setStyleSheet(
            'QLineEdit[readOnly="true"] { background: #f3f4f6; color: #374151; }'
            'QLineEdit[invalid="true"] { border: 1px solid #b91c1c; border-radius: 2px; padding: 2px; }')
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        # Two columns: applicant on the left, subject and family on the right.
        places = {"applicant_name": (0, 0), "applicant_phone": (1, 0), "applicant_nik": (2, 0),
                  "subject_name": (0, 1), "subject_nik": (1, 1), "kk_number": (2, 1)}
        for key, caption, placeholder in TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(key)
            edit.setPlaceholderText(tr(placeholder) if placeholder else "")
            edit.textChanged.connect(lambda _t, k=key: self._on_edit(k))
            self.edits[key] = edit
            row, col = places[key]
            grid.addWidget(self._cell(key, tr(caption), edit), row, col, Qt.AlignmentFlag.AlignTop)
        self.kecamatan = QComboBox(self)
        self.kecamatan.addItem(tr("— pilih kecamatan —"), "")
        for kec in kecamatan_list():
            self.kecamatan.addItem(kec.name, kec.code)
        self.village = QComboBox(self)
        self.village.addItem(tr("— pilih desa/kelurahan —"), "")
        for combo in (self.kecamatan, self.village):
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kecamatan.currentIndexChanged.connect(self._on_kecamatan)
        self.village.currentIndexChanged.connect(lambda _i: self._on_edit("village_code"))
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self._cell("kecamatan_code", tr("Kecamatan"), self.kecamatan), 3, 0, top)
        grid.addWidget(self._cell("village_code", tr("Desa/kelurahan"), self.village), 3, 1, top)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def _cell(self, key: str, caption: str, field: QWidget) -> QWidget:
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 6)
        lay.setSpacing(2)
        cap = QLabel(caption, box)
        cap.setBuddy(field)
        message = QLabel(box)
        message.setWordWrap(True)
        message.setObjectName(f"{key}_message")
        message.hide()
        self.messages[key] = message
        lay.addWidget(cap)
        lay.addWidget(field)
        lay.addWidget(message)
        return box

    # -- data in ----------------------------------------------------------------------------
    def set_detail(self, detail: RequestDetail, *, keep_edits: bool = False) -> None:
        """Show the stored values; with `keep_edits`, fields the operator changed keep their text."""
        dirty = self.dirty_keys() if keep_edits and self._orig else set()
        self._orig = {key: getattr(detail, key) or "" for key, *_ in TEXT_FIELDS}
        self._orig["kecamatan_code"] = detail.kecamatan_code or ""
        self._orig["village_code"] = detail.village_code or ""
        for key, edit in self.edits.items():
            if key in dirty:
                continue
            value = self._orig[key]
            if key == "applicant_phone" and value:
                try:
                    value = normalize_phone(value).display
                except InvalidInput:
                    pass
            edit.blockSignals(True)
            edit.setText(value)
            edit.blockSignals(False)
        if not dirty & {"kecamatan_code", "village_code"}:
            kec = self._orig["kecamatan_code"]
            if kec and self.kecamatan.findData(kec) < 0:  # a code from older data: keep it shown
                self.kecamatan.addItem(kec, kec)
            self._select(self.kecamatan, kec, signals=False)
            self._fill_villages(self._orig["kecamatan_code"])
            self._select(self.village, self._orig["village_code"], signals=False)
        self.revalidate()

    def set_subject_facts(self, birth_date: date | None, sex: str | None) -> None:
        """Cross-check the subject's NIK against the birth date and sex entered as facts."""
        code = SEX_CODES.get(sex or "")
        if (birth_date, code) != (self._subject_birth, self._subject_sex):
            self._subject_birth, self._subject_sex = birth_date, code
            self._show("subject_nik", self.verdict("subject_nik"))

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.edits.values():
            edit.setReadOnly(read_only)
        self.kecamatan.setEnabled(not read_only)
        self.village.setEnabled(not read_only)

    # -- validation -------------------------------------------------------------------------
    def verdict(self, key: str) -> Verdict:
        if key == "kecamatan_code":
            return Verdict(self.kecamatan.currentData() or "")
        if key == "village_code":
            return Verdict(self.village.currentData() or "")
        text = self.edits[key].text()
        if key == "applicant_name":
            return check_name(text, required=True, label=tr("Nama pemohon"))
        if key == "subject_name":
            return check_name(text, required=False, label=tr("Nama yang bersangkutan"))
        if key == "applicant_phone":
            return check_phone(text)
        if key == "applicant_nik":
            return check_nik(text)
        if key == "subject_nik":
            return check_nik(text, birth_date=self._subject_birth, sex=self._subject_sex)
        return check_kk(text)

    def keys(self) -> list[str]:
        return [key for key, *_ in TEXT_FIELDS] + ["kecamatan_code", "village_code"]

    def revalidate(self) -> None:
        for key in self.keys():
            self._show(key, self.verdict(key))

    def is_valid(self) -> bool:
        return all(self.verdict(key).valid for key in self.keys())

    def invalid_labels(self) -> list[str]:
        captions = dict((key, caption) for key, caption, _p in TEXT_FIELDS)
        return [tr(captions[key]) for key in self.keys() if key in captions and not self.verdict(key).valid]

    def message(self, key: str) -> str:
        """The message shown under a field ("" when none), for tests and tooltips."""
        label = self.messages[key]
        return label.text() if not label.isHidden() else ""

    def dirty_keys(self) -> set[str]:
        """Fields the operator changed, valid or not (a half-typed NIK counts)."""
        return {key for key in self.keys()
                if (v := self.verdict(key)).value is None or v.value != self._stored(key)}

    def changes(self) -> dict[str, str]:
        """Valid fields whose normalised value differs from the stored one."""
        out = {}
        for key in self.keys():
            verdict = self.verdict(key)
            if verdict.value is not None and verdict.value != self._stored(key):
                out[key] = verdict.value
        return out

    def _stored(self, key: str) -> str:
        value = self._orig.get(key, "")
        if key.endswith("_name"):
            return " ".join(value.split())
        return value

    # -- internals --------------------------------------------------------------------------
    def _on_edit(self, key: str) -> None:
        self._show(key, self.verdict(key))
        self.changed.emit()

    def _on_kecamatan(self, _index: int) -> None:
        self._fill_villages(self.kecamatan.currentData() or "")
        self._on_edit("kecamatan_code")

    def _fill_villages(self, kecamatan_code: str) -> None:
        current = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem(tr("— pilih desa/kelurahan —"), "")
        if kecamatan_code:
            for v in villages(kecamatan_code):
                self.village.addItem(v.name, v.code)
        self._select(self.village, current or "", signals=False)
        self.village.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, code: str, *, signals: bool) -> None:
        index = max(0, combo.findData(code))
        if not signals:
            combo.blockSignals(True)
        combo.setCurrentIndex(index)
        if not signals:
            combo.blockSignals(False)

    def _show(self, key: str, verdict: Verdict) -> None:
        label = self.messages[key]
        label.setText(verdict.message)
        label.setStyleSheet(f"color: {LEVEL_COLOURS.get(verdict.level, '#4b5563')};")
        label.setVisible(bool(verdict.message))
        if key in self.edits:
            edit = self.edits[key]
            edit.setProperty("invalid", verdict.level == "error")
            edit.style().unpolish(edit)
            edit.style().polish(edit)
