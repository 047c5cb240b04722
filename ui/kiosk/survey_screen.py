"""The satisfaction survey (IKM, PermenPANRB 14/2017): the request number and the last 4 digits
of the WhatsApp number, then the nine elements U1–U9, one per page, each answered with one of
four faces ("Tidak baik" … "Sangat baik", the words the office's survey uses), then "Kirim".

The number is checked first (a status look-up, so nobody answers nine questions for a wrong
number); the station keeps the answers and delivers them like submissions. Its refusal (the
request is not finished yet, or was already rated) is shown in its own words.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk.survey import SCORE_LABELS, SURVEY_ELEMENTS
from dikjamila.i18n import tr
from dikjamila.kiosk.api import StatusAnswer
from ui.kiosk.choice import ChoiceButton
from ui.kiosk.lookup_form import LookupForm
from ui.kiosk.pictures import face
from ui.kiosk.theme import button, label, page, s

CODES = tuple(f"U{n}" for n in range(1, len(SURVEY_ELEMENTS) + 1))
#: One plain question per element, in the elements' order (source texts for `tr`).
QUESTIONS = (
    "Bagaimana persyaratan (dokumen yang diminta) untuk layanan ini?",
    "Bagaimana prosedur atau langkah-langkah pelayanannya?",
    "Bagaimana kecepatan waktu penyelesaiannya?",
    "Bagaimana kewajaran biayanya? (Layanan kependudukan tidak dipungut biaya.)",
    "Bagaimana hasil layanan yang Anda terima?",
    "Bagaimana kemampuan petugas dalam melayani?",
    "Bagaimana sikap dan keramahan petugas?",
    "Bagaimana penanganan pengaduan, saran, dan masukan?",
    "Bagaimana sarana dan prasarana layanan (tempat, kios ini)?",
)
#: A chosen face shows for a moment before the next question appears.
NEXT_AFTER_MS = 350


class SurveyScreen(QWidget):
    """Signals: `left()` — back to the start screen."""

    left = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.ctx = ctx
        self.scores: dict[str, int] = {}
        self.question = 0
        self._asked = 0
        self._who: tuple[str, str] = ("", "")
        self.heading = label(tr("Survei kepuasan masyarakat"), "heading", self)
        self.stack = QStackedWidget(self)
        self._build_ask()
        self._build_question()
        self._build_send()
        self._build_thanks()
        self.message = label("", "error", self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(self.heading)
        column.addWidget(self.stack, 1)
        column.addWidget(self.message)
        self._advance = QTimer(self, singleShot=True, interval=NEXT_AFTER_MS)
        self._advance.timeout.connect(self._next_question)

    # -- pages -----------------------------------------------------------------------------
    def _build_ask(self) -> None:
        self.ask_page = page(QWidget(self.stack))
        self.form = LookupForm(self.ctx.options.number_prefixes, self.ask_page)
        back = button(tr("Kembali"), "", self.ask_page, slot=self.leave)
        self.start = button(tr("Mulai survei"), "primary", self.ask_page, slot=self.check_number)
        self.start.setEnabled(False)
        self.form.changed.connect(lambda: self.start.setEnabled(self.form.complete()))
        self.stack.addWidget(self.ask_page)
        column = QVBoxLayout(self.ask_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(label(tr("Untuk permohonan yang sudah selesai. Jawaban Anda tidak memengaruhi layanan."),
                               "muted", self.ask_page))
        column.addWidget(self.form, 1)
        column.addLayout(_row(back, None, self.start))

    def _build_question(self) -> None:
        self.question_page = page(QWidget(self.stack))
        self.counter = label("", "step", self.question_page)
        self.element = label("", "subheading", self.question_page)
        self.question_text = label("", "", self.question_page)
        self.question_text.setStyleSheet(f"font-size: {s(26)}pt;")
        self.faces: dict[int, ChoiceButton] = {}
        faces = QHBoxLayout()
        faces.setSpacing(18)
        for score, word in sorted(SCORE_LABELS.items()):
            choice = ChoiceButton(tr(word), parent=self.question_page, picture=face(score, s(120)), title_pt=22,
                                  min_height=170)
            choice.setCheckable(True)
            choice.row.setDirection(QBoxLayout.Direction.TopToBottom)
            choice.row.setAlignment(choice.picture, Qt.AlignmentFlag.AlignHCenter)
            choice.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            choice.clicked.connect(lambda _c=False, s=score: self.answer(s))
            self.faces[score] = choice
            faces.addWidget(choice)
        back = button(tr("Kembali"), "", self.question_page, slot=self._previous_question)
        self.stack.addWidget(self.question_page)
        column = QVBoxLayout(self.question_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(self.counter)
        column.addWidget(self.element)
        column.addWidget(self.question_text)
        column.addStretch(1)
        column.addLayout(faces)
        column.addStretch(1)
        column.addLayout(_row(back, None, None))

    def _build_send(self) -> None:
        self.send_page = page(QWidget(self.stack))
        self.summary = QGridLayout()
        self.summary.setHorizontalSpacing(24)
        self.summary.setVerticalSpacing(6)
        self.summary.setColumnStretch(3, 1)
        self.summary_labels: list[tuple] = []
        for n, name in enumerate(SURVEY_ELEMENTS):
            left = label(f"{CODES[n]}  {tr(name)}", "", self.send_page, wrap=False)
            picture = QLabel(self.send_page)
            right = label("", "", self.send_page, wrap=False)
            right.setStyleSheet("font-weight: bold;")
            self.summary.addWidget(left, n, 0)
            self.summary.addWidget(picture, n, 1)
            self.summary.addWidget(right, n, 2)
            self.summary_labels.append((picture, right))
        back = button(tr("Kembali"), "", self.send_page, slot=self._previous_question)
        self.send = button(tr("Kirim penilaian"), "primary", self.send_page, slot=self.submit)
        self.stack.addWidget(self.send_page)
        column = QVBoxLayout(self.send_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(label(tr("Periksa jawaban Anda, lalu tekan \"Kirim penilaian\"."), "subheading",
                               self.send_page))
        column.addLayout(self.summary)
        column.addStretch(1)
        column.addLayout(_row(back, None, self.send))

    def _build_thanks(self) -> None:
        self.thanks_page = page(QWidget(self.stack))
        done = button(tr("Selesai"), "primary", self.thanks_page, slot=self.leave)
        done.setMinimumWidth(s(300))
        self.stack.addWidget(self.thanks_page)
        column = QVBoxLayout(self.thanks_page)
        column.addStretch(1)
        column.addWidget(label(tr("Terima kasih atas penilaian Anda."), "heading", self.thanks_page, center=True))
        column.addWidget(label(tr("Penilaian Anda membantu kami memperbaiki layanan."), "", self.thanks_page,
                               center=True))
        column.addStretch(1)
        column.addWidget(done, 0, Qt.AlignmentFlag.AlignHCenter)

    # -- flow ------------------------------------------------------------------------------
    def open(self) -> None:
        self.wipe()
        self.form.start()

    def check_number(self) -> None:
        if not self.form.complete():
            return
        number, last4 = self.form.values()
        self._asked += 1
        asked, station = self._asked, self.ctx.station
        self.start.setEnabled(False)
        self.message.setText(tr("Mencari…"))
        self.ctx.call(lambda: station.status(number, last4), lambda a: self._checked(asked, number, last4, a),
                      lambda text: self._failed(asked, text))

    def _checked(self, asked: int, number: str, last4: str, answer: StatusAnswer) -> None:
        if asked != self._asked:
            return
        self.start.setEnabled(self.form.complete())
        if not answer.found or answer.wait_seconds > 0:
            self.message.setText(answer.message or tr("Nomor permohonan atau 4 angka WhatsApp tidak cocok. "
                                                      "Periksa lagi."))
            return
        if not answer.finished:
            # The office records a survey only for a finished request: asking nine questions
            # first and dropping the answers at the office would waste the resident's time.
            self.message.setText(tr("Survei bisa diisi setelah permohonan Anda selesai. Status sekarang: {status}.",
                                    status=answer.status_text.rstrip(".").lower()))
            return
        self.message.setText("")
        self._who = (number, last4)
        self.show_question(0)

    def show_question(self, index: int) -> None:
        self.question = index
        code = CODES[index]
        self.counter.setText(tr("Pertanyaan {n} dari {total}", n=index + 1, total=len(CODES)))
        self.element.setText(f"{code}  {tr(SURVEY_ELEMENTS[index])}")
        self.question_text.setText(tr(QUESTIONS[index]))
        for score, choice in self.faces.items():
            choice.setChecked(self.scores.get(code) == score)
        self.stack.setCurrentWidget(self.question_page)

    def answer(self, score: int) -> None:
        """The face `score` (1..4) for the question shown; the next one follows in a moment."""
        self.scores[CODES[self.question]] = score
        for value, choice in self.faces.items():
            choice.setChecked(value == score)
        self._advance.start()

    def _next_question(self) -> None:
        if self.question + 1 < len(CODES):
            self.show_question(self.question + 1)
            return
        for n, (picture, right) in enumerate(self.summary_labels):
            score = self.scores[CODES[n]]
            picture.setPixmap(face(score, s(36)))
            right.setText(tr(SCORE_LABELS[score]))
        self.stack.setCurrentWidget(self.send_page)

    def _previous_question(self) -> None:
        self._advance.stop()
        if self.stack.currentWidget() is self.send_page:
            self.show_question(len(CODES) - 1)
        elif self.question > 0:
            self.show_question(self.question - 1)
        else:
            self.stack.setCurrentWidget(self.ask_page)

    def submit(self) -> None:
        number, last4 = self._who
        scores = dict(self.scores)
        self._asked += 1
        asked, station = self._asked, self.ctx.station
        self.send.setEnabled(False)
        self.message.setText(tr("Mengirim…"))
        self.ctx.call(lambda: station.record_survey(number, last4, scores), lambda _none: self._sent(asked),
                      lambda text: self._failed(asked, text))

    def _sent(self, asked: int) -> None:
        if asked != self._asked:
            return
        self.message.setText("")
        self.send.setEnabled(True)
        self.scores.clear()
        self.stack.setCurrentWidget(self.thanks_page)

    def _failed(self, asked: int, text: str) -> None:
        if asked == self._asked:
            self.message.setText(text)
            self.send.setEnabled(True)
            self.start.setEnabled(self.form.complete())

    def leave(self) -> None:
        self.wipe()
        self.left.emit()

    def wipe(self) -> None:
        self._asked += 1
        self._advance.stop()
        self.scores.clear()
        self._who = ("", "")
        self.question = 0
        self.form.wipe()
        self.message.setText("")
        self.send.setEnabled(True)
        self.stack.setCurrentWidget(self.ask_page)


def _row(left: QWidget | None, middle: QWidget | None, right: QWidget | None) -> QHBoxLayout:
    row = QHBoxLayout()
    for n, widget in enumerate((left, middle, right)):
        if widget is not None:
            row.addWidget(widget)
        if n < 2:
            row.addStretch(1)
    return row

