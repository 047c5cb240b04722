"""The review: everything entered, the documents with their previews, an "Ubah" for each part.

The station says which required documents are still missing (`missing()`); they are named
in red at the top, and "Kirim permohonan" is refused while any is (the wizard asks the
station again at the moment of sending).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.kiosk.scrolling import scroll_page
from ui.kiosk.theme import button, label, s
from ui.kiosk.thumbs import Preview
from ui.kiosk.wizard.step import Step

THUMB = 130


class Section(QFrame):
    """A titled card with an "Ubah" button that goes back to the step `step_index`."""

    def __init__(self, title: str, on_change, parent: QWidget):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.body = QVBoxLayout()
        self.body.setSpacing(4)
        head = QHBoxLayout()
        head.addWidget(label(title, "caption", self), 1)
        self.change = button(tr("Ubah"), "small", self, slot=on_change)
        head.addWidget(self.change, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 10, 16, 12)
        column.addLayout(head)
        column.addLayout(self.body)


class ReviewStep(Step):
    title = tr("Periksa kembali sebelum dikirim")
    next_text = tr("Kirim permohonan")

    def __init__(self, wizard):
        super().__init__(wizard)
        self.missing: list[str] | None = None
        # Two columns: who and what on the left, the documents with their pictures on the right.
        self._content = QWidget()
        outer = QVBoxLayout(self._content)
        outer.setContentsMargins(0, 0, 12, 0)
        outer.setSpacing(10)
        self.warning = label("", "error", self._content)
        self.warning.hide()
        outer.addWidget(self.warning)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        self._left, self._right = QVBoxLayout(), QVBoxLayout()
        for side in (self._left, self._right):
            side.setSpacing(12)
            side.addStretch(1)
            columns.addLayout(side, 1)
        outer.addLayout(columns)
        outer.addStretch(1)
        self._sections: list[QWidget] = []
        self._asked = 0
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(scroll_page(self._content, self))

    def enter(self) -> None:
        for old in self._sections:
            old.deleteLater()
        left = [self._service(), self._identity(), self._answers()]
        right = self._documents()
        self._sections = [*left, *right]
        for n, section in enumerate(left):
            self._left.insertWidget(n, section)
        for n, section in enumerate(right):
            self._right.insertWidget(n, section)
        self._ask_missing()

    def is_ready(self) -> bool:
        return True  # "Kirim" is always pressable: a refusal names what is missing

    def wipe(self) -> None:
        self._asked += 1
        for old in self._sections:
            old.deleteLater()
        self._sections = []
        self.warning.setText("")
        self.warning.hide()

    def show_missing(self, missing: list[str]) -> None:
        self.missing = missing
        self.warning.setText(tr("Belum lengkap: {items}. Tambahkan dulu foto atau berkasnya.",
                                items=", ".join(missing)) if missing else "")
        self.warning.setVisible(bool(missing))

    # -- sections --------------------------------------------------------------------------
    def _service(self) -> Section:
        section = Section(tr("Layanan"), lambda: self.wizard.go_to_step(0), self._content)
        section.body.addWidget(label(self.wizard.service_name(), "", section))
        return section

    def _answers(self) -> Section:
        section = Section(tr("Jawaban"), lambda: self.wizard.go_to_step(1), self._content)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for n, question in enumerate(self.wizard.questions):
            answer = self.draft.answers.get(question.fact)
            grid.addWidget(label(question.text, "", section), n, 0)
            grid.addWidget(label(tr("Ya") if answer else tr("Tidak"), "subheading", section), n, 1,
                           Qt.AlignmentFlag.AlignTop)
        if not self.wizard.questions:
            grid.addWidget(label(tr("Tidak ada pertanyaan untuk layanan ini."), "muted", section), 0, 0)
        grid.setColumnStretch(0, 1)
        section.body.addLayout(grid)
        section.change.setVisible(bool(self.wizard.questions))
        return section

    def _identity(self) -> Section:
        section = Section(tr("Data diri"), lambda: self.wizard.go_to_step(2), self._content)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for n, (name, value) in enumerate(((tr("Nama"), self.draft.applicant_name),
                                           (tr("WhatsApp"), self.draft.applicant_phone),
                                           (tr("NIK"), self.draft.applicant_nik))):
            grid.addWidget(label(name, "muted", section), n, 0)
            grid.addWidget(label(value, "caption", section), n, 1)
        grid.setColumnStretch(1, 1)
        section.body.addLayout(grid)
        return section

    def _documents(self) -> list[Section]:
        sections = []
        for index, step in self.wizard.document_steps():
            document = step.document
            section = Section(document.label, lambda _c=False, i=index: self.wizard.go_to_step(i), self._content)
            files = step.files()
            row = QHBoxLayout()
            row.setSpacing(12)
            for file in files:
                thumb = Preview(self.ctx.executor, s(THUMB), section)
                thumb.show_file(file.path)
                row.addWidget(thumb)
            if not files:
                row.addWidget(label(tr("Boleh tidak ada") if document.optional else tr("BELUM ADA"),
                                    "muted" if document.optional else "error", section))
            row.addStretch(1)
            section.body.addLayout(row)
            sections.append(section)
        return sections

    def _ask_missing(self) -> None:
        self._asked += 1
        asked, station, draft = self._asked, self.ctx.station, self.draft
        def got(missing: list[str]) -> None:
            if asked == self._asked:
                self.show_missing(missing)

        self.ctx.call(lambda: station.missing(draft), got, self.wizard.show_error)
