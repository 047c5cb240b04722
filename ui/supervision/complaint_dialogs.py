"""The complaints window's three forms: "Catat pengaduan", "Tugaskan" and "Selesaikan".

Each is a window-modal dialog opened with `open()` (no nested event loop). It does not call
the desk: "OK" emits `submitted(values)`, the window runs the desk call on the worker and then
either `accept()`s the dialog or shows the desk's refusal in it with `show_error` — so what was
typed is never lost to a refusal.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk.complaint_records import (
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_OUTCOME_LABELS,
    MAX_COMPLAINT_TEXT,
    MAX_RESOLUTION,
    ComplaintChannel,
    ComplaintInfo,
)
from dikjamila.desk.records import UserInfo
from dikjamila.guards import MIN_REASON
from dikjamila.i18n import tr
from ui.supervision.complaints_model import complainant_text

ERROR_STYLE = "color: #b91c1c;"
NOTE_STYLE = "color: #1e3a8a; background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 4px; padding: 4px 8px;"


class _Form(QDialog):
    """A form with an intro, fields, an error line and OK/Batal; `submitted(dict)` on OK."""

    submitted = Signal(dict)

    def __init__(self, title: str, ok_text: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(520)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)

    def _finish_layout(self) -> None:
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.buttons)

    def values(self) -> dict:  # overridden
        return {}

    def check(self, values: dict) -> str:
        """Why the values cannot be sent yet ("" when they can)."""
        return ""

    def _submit(self) -> None:
        values = self.values()
        if problem := self.check(values):
            self.show_error(problem)
            return
        self.set_busy(True)
        self.submitted.emit(values)

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))


class RecordComplaintDialog(_Form):
    """"Catat pengaduan": channel, text, who (name, WhatsApp number) and an optional request number."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(tr("Catat pengaduan"), tr("Catat"), parent)
        self.channel = QComboBox(self)
        for channel, label in COMPLAINT_CHANNEL_LABELS.items():
            self.channel.addItem(tr(label), str(channel))
        self.channel.setCurrentIndex(self.channel.findData(str(ComplaintChannel.WALK_IN)))
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(tr("Apa yang diadukan, dengan kata-kata pengadu"))
        self.text.setMinimumHeight(110)
        self.complainant = QLineEdit(self)
        self.complainant.setMaxLength(200)
        self.complainant.setPlaceholderText(tr("boleh dikosongkan"))
        self.phone = QLineEdit(self)
        self.phone.setMaxLength(40)
        self.phone.setPlaceholderText(tr("mis. 0812-3456-7890"))
        self.request = QLineEdit(self)
        self.request.setMaxLength(40)
        self.request.setPlaceholderText(tr("bila ada, mis. BLG-20261201-0044"))
        self.form.addRow(tr("Saluran:"), self.channel)
        self.form.addRow(tr("Isi pengaduan:"), self.text)
        self.form.addRow(tr("Nama pengadu:"), self.complainant)
        self.form.addRow(tr("Nomor WhatsApp:"), self.phone)
        self.form.addRow(tr("Nomor permohonan:"), self.request)
        note = QLabel(tr("Dengan nomor WhatsApp, pengadu diberi tahu hasilnya lewat WhatsApp saat pengaduan "
                         "diselesaikan."), self)
        note.setWordWrap(True)
        note.setStyleSheet("color: #64748b;")
        self.layout_.addWidget(note)
        self._finish_layout()

    def values(self) -> dict:
        return {"channel": self.channel.currentData(), "text": self.text.toPlainText().strip(),
                "complainant": self.complainant.text().strip(), "phone": self.phone.text().strip(),
                "request_number": self.request.text().strip()}

    def check(self, values: dict) -> str:
        if not values["text"]:
            return tr("Isi pengaduan belum ditulis.")
        if len(values["text"]) > MAX_COMPLAINT_TEXT:
            return tr("Isi pengaduan terlalu panjang (paling banyak {n} huruf).", n=MAX_COMPLAINT_TEXT)
        return ""


class AssignDialog(_Form):
    """"Tugaskan": who handles the complaint (active staff; the signed-in user first chosen)."""

    def __init__(self, complaint: ComplaintInfo, users: list[UserInfo], me: int | None, parent: QWidget | None = None):
        super().__init__(tr("Tugaskan pengaduan #{id}", id=complaint.id), tr("Tugaskan"), parent)
        self.user = QComboBox(self)
        for user in users:
            self.user.addItem(user.full_name or user.username, user.id)
        chosen = complaint.assignee_id if complaint.assignee_id is not None else me
        if (index := self.user.findData(chosen)) >= 0:
            self.user.setCurrentIndex(index)
        about = QLabel(_about(complaint), self)
        about.setWordWrap(True)
        self.form.addRow(about)
        self.form.addRow(tr("Ditangani oleh:"), self.user)
        self._finish_layout()

    def values(self) -> dict:
        return {"user_id": self.user.currentData()}

    def check(self, values: dict) -> str:
        return "" if values["user_id"] is not None else tr("Pilih petugas.")


class ResolveDialog(_Form):
    """"Selesaikan": the outcome and the answer; the resident is told through the outbox."""

    def __init__(self, complaint: ComplaintInfo, parent: QWidget | None = None):
        super().__init__(tr("Selesaikan pengaduan #{id}", id=complaint.id), tr("Selesaikan"), parent)
        self.outcome = QComboBox(self)
        for outcome, label in COMPLAINT_OUTCOME_LABELS.items():
            self.outcome.addItem(tr(label), str(outcome))
        self.resolution = QPlainTextEdit(self)
        self.resolution.setPlaceholderText(tr("Apa yang sudah dilakukan kantor, dengan kata-kata untuk pengadu"))
        self.resolution.setMinimumHeight(110)
        about = QLabel(_about(complaint), self)
        about.setWordWrap(True)
        self.form.addRow(about)
        self.form.addRow(tr("Hasil:"), self.outcome)
        self.form.addRow(tr("Jawaban:"), self.resolution)
        self.tell = QLabel(tell_text(complaint), self)
        self.tell.setWordWrap(True)
        self.tell.setStyleSheet(NOTE_STYLE)
        self.layout_.addWidget(self.tell)
        self._finish_layout()

    def values(self) -> dict:
        return {"outcome": self.outcome.currentData(), "resolution": self.resolution.toPlainText().strip()}

    def check(self, values: dict) -> str:
        if not values["resolution"]:
            return tr("Jawaban untuk pengadu belum ditulis.")
        if len(values["resolution"]) < MIN_REASON:
            return tr("Jawaban untuk pengadu terlalu singkat; tulis dengan jelas apa yang dilakukan.")
        if len(values["resolution"]) > MAX_RESOLUTION:
            return tr("Jawaban terlalu panjang (paling banyak {n} huruf).", n=MAX_RESOLUTION)
        return ""


def tell_text(complaint: ComplaintInfo) -> str:
    """What happens to the answer: sent to the resident through the outbox, or told in person."""
    if complaint.phone:
        return tr("Hasil dan jawaban ini dikirim ke pengadu ({who}) lewat WhatsApp: masuk antrean kirim "
                  "begitu pengaduan diselesaikan. Setelah itu hasilnya tidak dapat diubah.",
                  who=complainant_text(complaint))
    return tr("Pengaduan ini tanpa nomor WhatsApp: sampaikan hasilnya langsung kepada pengadu. "
              "Setelah diselesaikan hasilnya tidak dapat diubah.")


def _about(c: ComplaintInfo) -> str:
    text = " ".join(c.text.split())
    if len(text) > 240:
        text = text[:239] + "…"
    return tr("<b>#{id}</b> dari {who}: \u201c{text}\u201d", id=c.id, who=_escape(complainant_text(c)), text=_escape(text))


def _escape(text: str) -> str:
    import html

    return html.escape(text)
