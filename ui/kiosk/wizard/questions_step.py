"""Step 2: the service's yes/no questions, and the documents those answers call for.

Each answer asks the station again which documents are needed; the list on the right
follows at once. "Lanjut" waits until every question has an answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr
from dikjamila.kiosk.api import KioskDocument, KioskQuestion
from ui.kiosk.scrolling import scroll_page, touch_scroll
from ui.kiosk.theme import button, label, s
from ui.kiosk.wizard.step import Step


class QuestionRow(QFrame):
    """One question with its "Ya" and "Tidak" buttons."""

    def __init__(self, question: KioskQuestion, on_answer: Callable[[str, bool], None], parent: QWidget):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.question = question
        column = QVBoxLayout(self)
        column.setContentsMargins(18, 12, 18, 12)
        column.addWidget(label(question.text, "", self))
        row = QHBoxLayout()
        self.yes = button(tr("Ya"), "toggle", self)
        self.no = button(tr("Tidak"), "toggle", self)
        self.group = QButtonGroup(self)
        for choice, value in ((self.yes, True), (self.no, False)):
            choice.setCheckable(True)
            choice.setMinimumWidth(s(180))
            self.group.addButton(choice)
            choice.clicked.connect(lambda _c=False, v=value: on_answer(question.fact, v))
            row.addWidget(choice)
        row.addStretch(1)
        column.addLayout(row)

    def show_answer(self, value: bool | None) -> None:
        self.group.setExclusive(False)
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.group.setExclusive(True)


class QuestionsStep(Step):
    title = tr("Jawab pertanyaan berikut")

    def __init__(self, wizard):
        super().__init__(wizard)
        self.rows: list[QuestionRow] = []
        self.documents: list[KioskDocument] | None = None
        self._asked = 0  # which documents() call is the latest (older answers are dropped)
        self._questions_box = QWidget()
        self._questions = QVBoxLayout(self._questions_box)
        self._questions.setContentsMargins(0, 0, 12, 0)
        self._questions.setSpacing(12)
        self._none = label(tr("Layanan ini tidak memerlukan pertanyaan. Lihat dokumen yang perlu disiapkan "
                              "di sebelah kanan."), "muted", self._questions_box)
        self._questions.addWidget(self._none)
        self._questions.addStretch(1)
        self._docs_box = QFrame(self)
        self._docs_box.setProperty("role", "card")
        docs = QVBoxLayout(self._docs_box)
        docs.setContentsMargins(18, 14, 6, 14)
        docs.addWidget(label(tr("Dokumen yang perlu difoto:"), "subheading", self._docs_box))
        self._docs_content = QWidget()
        self._docs_content.setObjectName("docsList")
        self._docs_grid = QGridLayout(self._docs_content)
        self._docs_grid.setContentsMargins(0, 0, 12, 0)
        self._docs_grid.setHorizontalSpacing(10)
        self._docs_grid.setVerticalSpacing(8)
        self._doc_labels: list[QLabel] = []
        area = QScrollArea(self._docs_box)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(self._docs_content)
        area.setStyleSheet("QScrollArea, QWidget#docsList { background: transparent; }")
        area.viewport().setAutoFillBackground(False)
        touch_scroll(area)
        docs.addWidget(area, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(20)
        row.addWidget(scroll_page(self._questions_box, self), 3)
        row.addWidget(self._docs_box, 2)

    def show_questions(self, questions: list[KioskQuestion]) -> None:
        for old in self.rows:
            old.deleteLater()
        self.rows = [QuestionRow(q, self._answer, self._questions_box) for q in questions]
        for n, row in enumerate(self.rows):
            self._questions.insertWidget(n, row)
        self._none.setVisible(not questions)
        self.documents = None

    def enter(self) -> None:
        for row in self.rows:
            row.show_answer(self.draft.answers.get(row.question.fact))
        self._ask_documents()

    def is_ready(self) -> bool:
        return all(row.question.fact in self.draft.answers for row in self.rows) and self.documents is not None

    def why_not(self) -> str:
        return tr("Jawab semua pertanyaan dengan Ya atau Tidak.")

    def before_next(self, proceed: Callable[[], None]) -> None:
        self.wizard.set_documents(self.documents or [], proceed)

    def wipe(self) -> None:
        self._asked += 1
        self.show_questions([])
        self._show_documents(self._asked, None)

    def _answer(self, fact: str, value: bool) -> None:
        self.draft.answers[fact] = value
        self._ask_documents()

    def _ask_documents(self) -> None:
        """The documents for the answers, once every question has one (before that the list
        would name documents for answers not given yet)."""
        code, answers = self.draft.service_code, dict(self.draft.answers)
        if not code:
            return
        self._asked += 1
        asked = self._asked
        self.documents = None
        self.ready_changed.emit(False)
        if not all(row.question.fact in answers for row in self.rows):
            self._show_documents(asked, None)
            return
        station = self.ctx.station
        self.ctx.call(lambda: station.documents(code, answers), lambda docs: self._show_documents(asked, docs),
                      self.wizard.show_error)

    def _show_documents(self, asked: int, documents: list[KioskDocument] | None) -> None:
        if asked != self._asked:
            return
        self.documents = documents
        for old in self._doc_labels:
            old.deleteLater()
        if documents is None:
            lines = [("", tr("Daftarnya muncul di sini setelah semua pertanyaan dijawab."))]
        elif not documents:
            lines = [("", tr("Tidak ada dokumen yang perlu difoto."))]
        else:
            lines = [("•", d.label + (tr(" (boleh tidak ada)") if d.optional else "")) for d in documents]
        self._doc_labels = []
        for n, (bullet, text) in enumerate(lines):
            for column, words in enumerate((bullet, text)):
                item = label(words, "" if bullet else "muted", self._docs_content)
                item.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self._docs_grid.addWidget(item, n, column)
                self._doc_labels.append(item)
        self._docs_grid.setColumnStretch(1, 1)
        self._docs_grid.setRowStretch(len(lines), 1)
        self.ready_changed.emit(self.is_ready())

    def docs_text(self) -> str:
        """The documents list as shown (tests)."""
        return " ".join(item.text() for item in self._doc_labels)
