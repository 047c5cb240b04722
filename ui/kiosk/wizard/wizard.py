"""The request wizard: the steps, the draft they fill, and the way between them.

Everything entered lives in one `KioskDraft`; the steps read it when shown and write it
when left, so "Kembali" and "Ubah" never lose anything. Every station call runs on the
worker (`KioskContext.call`); while one runs the buttons wait and "Mohon tunggu…" shows.
`wipe()` forgets the draft and asks the station to delete the files copied for it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from dikjamila.kiosk.api import (
    KioskDocument,
    KioskDraft,
    KioskQuestion,
    KioskReceipt,
    KioskService,
)
from ui.kiosk.camera import CameraPage
from ui.kiosk.file_picker import FilePickerPage
from ui.kiosk.theme import button, label, page, s
from ui.kiosk.wizard.document_step import DocumentStep
from ui.kiosk.wizard.files import DocumentFiles
from ui.kiosk.wizard.identity_step import IdentityStep
from ui.kiosk.wizard.questions_step import QuestionsStep
from ui.kiosk.wizard.receipt_page import ReceiptPage
from ui.kiosk.wizard.review_step import ReviewStep
from ui.kiosk.wizard.service_step import ServiceStep
from ui.kiosk.wizard.step import Step

#: A second tap on "Batal" within this long cancels (the first one only asks).
CONFIRM_MS = 5000


class Wizard(DocumentFiles, QWidget):
    """Signals: `left()` — the resident is done or cancelled; the window shows the start."""

    left = Signal()
    submitted = Signal(object)  # KioskReceipt

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.ctx = ctx
        self.draft = KioskDraft()
        self.services: list[KioskService] = []
        self.questions: list[KioskQuestion] = []
        self.documents: list[KioskDocument] = []
        self._busy = 0
        self._generation = 0  # moves on at each wipe: older results are dropped
        self._sent_drafts: list[KioskDraft] = []  # drafts submitted (appended on the worker)
        self._camera: bool | None = None
        self._current: Step | None = None

        self.step_label = label("", "step", self)
        self.heading = label("", "heading", self)
        self.stack = QStackedWidget(self)
        self.service_step = ServiceStep(self)
        self.questions_step = QuestionsStep(self)
        self.identity_step = IdentityStep(self)
        self.review_step = ReviewStep(self)
        self.doc_steps: list[DocumentStep] = []
        self.steps: list[Step] = []
        for step in (self.service_step, self.questions_step, self.identity_step, self.review_step):
            self.stack.addWidget(step)
            step.ready_changed.connect(lambda _ready, s=step: self._ready_changed(s))
        self.picker = FilePickerPage(ctx, self)
        self.picker.cancelled.connect(self._back_from_side_page)
        self.picker.chosen.connect(lambda path: self.add_file(self._side_document, path))
        self.camera = CameraPage(self)
        self.camera.cancelled.connect(self._back_from_side_page)
        self.camera.taken.connect(lambda path: self.add_file(self._side_document, path, temporary=True))
        self.receipt = ReceiptPage(ctx, self)
        self.receipt.done.connect(self.finish)
        for side in (self.picker, self.camera, self.receipt):
            self.stack.addWidget(side)
        self._side_document: KioskDocument | None = None
        self._arrange_steps()

        self.message = label("", "error", self)
        self.message.hide()
        self.back_button = button(tr("Kembali"), "", self, slot=self.back)
        self.cancel_button = button(tr("Batal"), "", self, slot=self.cancel)
        self.why_not = label("", "muted", self)
        self.next_button = button(tr("Lanjut"), "primary", self, slot=self.next)
        self.next_button.setMinimumWidth(s(260))
        self._confirm = QTimer(self, singleShot=True, interval=CONFIRM_MS)
        self._confirm.timeout.connect(lambda: self.cancel_button.setText(tr("Batal")))
        self.nav = QWidget(self)
        nav = QHBoxLayout(self.nav)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.setSpacing(16)
        nav.addWidget(self.back_button)
        nav.addWidget(self.cancel_button)
        nav.addWidget(self.why_not, 1)
        nav.addWidget(self.next_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.step_label, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        column.addWidget(self.stack, 1)
        column.addWidget(self.message)
        column.addWidget(self.nav)

    # -- starting, leaving -----------------------------------------------------------------
    def start(self) -> None:
        """Show the first step (services are asked for once, on first use)."""
        self._say("")
        if not self.services:
            station = self.ctx.station
            self._call(station.services, self._got_services)
        self.go_to_step(0)

    def _got_services(self, services: list[KioskService]) -> None:
        self.services = services
        self.service_step.show_services(services)
        if self._current is self.service_step:
            self.service_step.enter()

    def cancel(self) -> None:
        """"Batal": the first tap asks, a second one within 5 s wipes and leaves."""
        if self._has_data() and not self._confirm.isActive():
            self.cancel_button.setText(tr("Tekan lagi untuk membatalkan"))
            self._confirm.start()
            return
        self._confirm.stop()
        self.cancel_button.setText(tr("Batal"))
        self.wipe()
        self.left.emit()

    def finish(self) -> None:
        """"Selesai" on the receipt: the draft is the station's now; start afresh."""
        self.receipt.wipe()
        self.wipe()
        self.left.emit()

    def wipe(self) -> None:
        """Forget everything entered; the files copied for the draft are deleted by the station."""
        draft, self.draft = self.draft, KioskDraft()
        self._generation += 1
        self._busy = 0
        station, sent = self.ctx.station, self._sent_drafts

        def remove_all() -> None:
            # NOTE: runs on the worker after any submit queued before it: a draft that was
            # sent meanwhile keeps its files (they are the submission's now).
            if any(d is draft for d in sent):
                return
            for file in list(draft.files):
                station.remove_file(draft, file)

        if draft.files:
            self.ctx.call(remove_all, None, lambda _m: None)
        self.questions, self.documents = [], []
        for step in self.steps:
            step.wipe()
        self.picker.wipe()
        self.camera.wipe()
        self.receipt.wipe()
        self._arrange_steps()
        self._say("")
        self._current = None
        self.go_to_step(0)

    def _has_data(self) -> bool:
        d = self.draft
        return bool(d.service_code or d.files or d.applicant_name or d.applicant_phone or d.applicant_nik)

    # -- moving between steps --------------------------------------------------------------
    def go_to_step(self, index: int) -> None:
        if self._current is not None and self.stack.currentWidget() is self._current:
            self._current.leave()
        index = max(0, min(index, len(self.steps) - 1))
        step = self.steps[index]
        self._current = step
        self.stack.setCurrentWidget(step)
        self.nav.show()
        self._say("")
        step.enter()
        self.step_label.setText(tr("Langkah {n} dari {total}", n=index + 1, total=len(self.steps)))
        self.heading.setText(step.title)
        self.next_button.setText(step.next_text)
        self.back_button.setText(tr("Kembali") if index else tr("Ke halaman awal"))
        self._update_nav()

    def current_step(self) -> Step | None:
        return self._current

    def index(self) -> int:
        return self.steps.index(self._current) if self._current in self.steps else -1

    def next(self) -> None:
        step = self._current
        if step is None or self._busy or not step.is_ready():
            return
        step.leave()
        if step is self.review_step:
            self.submit()
            return
        step.before_next(lambda: self.go_to_step(self.steps.index(step) + 1))

    def back(self) -> None:
        if self._busy:
            return
        index = self.index()
        if index <= 0:
            self.cancel()
            return
        self.go_to_step(index - 1)

    def _ready_changed(self, step: Step) -> None:
        if step is self._current:
            self._update_nav()

    def _update_nav(self) -> None:
        step = self._current
        ready = step is not None and step.is_ready() and not self._busy
        self.next_button.setEnabled(ready)
        self.back_button.setEnabled(not self._busy)
        self.why_not.setText("" if ready or step is None or self._busy else step.why_not())

    # -- the service and its questions, documents ------------------------------------------
    def choose_service(self, code: str) -> None:
        if code != self.draft.service_code:
            self._drop_files(lambda f: True)
            self.draft.service_code = code
            self.draft.answers = {}
            station = self.ctx.station
            self._call(lambda: station.questions(code), self._got_questions)
        else:
            self.go_to_step(1)

    def _got_questions(self, questions: list[KioskQuestion]) -> None:
        self.questions = questions
        self.questions_step.show_questions(questions)
        self.go_to_step(1)

    def service_name(self) -> str:
        return next((s.name for s in self.services if s.code == self.draft.service_code), self.draft.service_code)

    def set_documents(self, documents: list[KioskDocument], proceed) -> None:
        """The answers decide the documents: make one step for each (keeping the steps, and
        their files, of documents still needed; the files of others are deleted)."""
        self.documents = documents
        wanted = {d.code for d in documents}
        self._drop_files(lambda f: f.document_code not in wanted)
        self._arrange_steps()
        proceed()

    def document_steps(self) -> list[tuple[int, DocumentStep]]:
        return [(self.steps.index(step), step) for step in self.doc_steps]

    def _arrange_steps(self) -> None:
        kept = {step.document.code: step for step in self.doc_steps}
        steps = []
        for document in self.documents:
            step = kept.pop(document.code, None)
            if step is None or step.document != document:
                if step is not None:
                    kept[document.code] = step
                step = DocumentStep(self, document)
                self.stack.addWidget(step)
            steps.append(step)
        for old in kept.values():
            self.stack.removeWidget(old)
            old.deleteLater()
        self.doc_steps = steps
        self.steps = [self.service_step, self.questions_step, self.identity_step, *steps, self.review_step]

    def _drop_files(self, which) -> None:
        draft, station = self.draft, self.ctx.station
        for file in [f for f in draft.files if which(f)]:
            self._call(lambda f=file: station.remove_file(draft, f), None)

    # -- sending ---------------------------------------------------------------------------
    def submit(self) -> None:
        """Refused, naming the items, while a required document is missing; else stored."""
        draft, station = self.draft, self.ctx.station

        def send():
            missing = station.missing(draft)
            if missing:
                return missing
            receipt = station.submit(draft)
            self._sent_drafts.append(draft)
            return receipt

        self._call(send, self._sent, label=tr("Mengirim permohonan…"))

    def _sent(self, outcome) -> None:
        if isinstance(outcome, list):
            self.review_step.show_missing(outcome)
            self.show_error(tr("Permohonan belum bisa dikirim. Belum ada: {items}.", items=", ".join(outcome)))
            return
        receipt: KioskReceipt = outcome
        # NOTE: the draft's files belong to the submission now: a new, empty draft, so an idle
        # reset on the receipt page cannot delete them.
        self.draft = KioskDraft()
        self._sent_drafts.clear()  # (only the draft just sent was in it; it is gone from here on)
        self.receipt.show_receipt(receipt)
        self.stack.setCurrentWidget(self.receipt)
        self.step_label.setText("")
        self.heading.setText("")
        self.nav.hide()
        self.submitted.emit(receipt)

    def on_receipt(self) -> bool:
        return self.stack.currentWidget() is self.receipt

    # -- the worker ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self._say(message)

    def _say(self, text: str) -> None:
        """The line above the buttons (hidden when empty: the steps need the room)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _call(self, fn, on_done, on_error=None, *, label: str = "", on_stale=None) -> None:
        """Run `fn` on the worker with the buttons waiting. A result that arrives after a wipe
        belongs to a resident who has gone: only `on_stale(result)` sees it (to clean up)."""
        self._busy += 1
        generation = self._generation
        self._update_nav()
        self._say(label or tr("Mohon tunggu…"))

        def done(result) -> None:
            if generation != self._generation:
                if on_stale is not None:
                    on_stale(result)
                return
            self._end_call()
            if on_done is not None:
                on_done(result)

        def failed(message: str) -> None:
            if generation != self._generation:
                return
            self._end_call()
            (on_error or self.show_error)(message)

        self.ctx.call(fn, done, failed, label=label)

    def _end_call(self) -> None:
        self._busy -= 1
        if not self._busy and self.message.text() in (tr("Mohon tunggu…"), tr("Menyalin berkas…"),
                                                       tr("Mengirim permohonan…")):
            self._say("")
        self._update_nav()
