"""Status check: request number + last 4 digits of the WhatsApp number → the status in plain
words and what happens next. Nothing else about the request is shown.

After repeated wrong tries the station slows the checks down (`wait_seconds`); the screen
then says to try again later and keeps the button off until then.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from dikjamila.kiosk.api import StatusAnswer
from ui.kiosk.lookup_form import LookupForm
from ui.kiosk.theme import button, label, page, s


def wait_words(seconds: int) -> str:
    if seconds >= 120:
        return tr("{n} menit", n=(seconds + 59) // 60)
    return tr("{n} detik", n=seconds)


class StatusScreen(QWidget):
    """Signals: `left()` — back to the start screen."""

    left = Signal()

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.ctx = ctx
        self.answer: StatusAnswer | None = None
        self._asked = 0
        self._wait = QTimer(self, singleShot=True)
        self._wait.timeout.connect(self._update)
        self.heading = label(tr("Cek status permohonan"), "heading", self)
        self.stack = QStackedWidget(self)
        # The question.
        ask = QWidget(self.stack)
        page(ask)
        self.form = LookupForm(ctx.options.number_prefixes, ask)
        self.form.changed.connect(self._update)
        self.message = label("", "error", ask)
        self.back = button(tr("Kembali"), "", ask, slot=self.leave)
        self.check = button(tr("Cek status"), "primary", ask, slot=self.ask)
        self.check.setMinimumWidth(s(260))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.check)
        column = QVBoxLayout(ask)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)
        # The answer.
        shown = QWidget(self.stack)
        page(shown)
        card = QFrame(shown)
        card.setProperty("role", "card")
        self.number_label = label("", "muted", card)
        self.status_text = label("", "heading", card)
        self.status_text.setStyleSheet(f"font-size: {s(36)}pt;")
        self.next_step = label("", "", card)
        self.next_step.setStyleSheet(f"font-size: {s(24)}pt;")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(30, 24, 30, 30)
        inner.setSpacing(16)
        inner.addWidget(self.number_label)
        inner.addWidget(self.status_text)
        inner.addWidget(self.next_step)
        self.again = button(tr("Cek nomor lain"), "", shown, slot=self._again)
        self.done = button(tr("Selesai"), "primary", shown, slot=self.leave)
        self.done.setMinimumWidth(s(260))
        after = QHBoxLayout()
        after.addWidget(self.again)
        after.addStretch(1)
        after.addWidget(self.done)
        result = QVBoxLayout(shown)
        result.setContentsMargins(0, 0, 0, 0)
        result.addWidget(card)
        result.addStretch(1)
        result.addLayout(after)
        self.ask_page, self.answer_page = ask, shown
        self.stack.addWidget(ask)
        self.stack.addWidget(shown)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        column.addWidget(self.heading)
        column.addWidget(self.stack, 1)
        self._update()

    def open(self) -> None:
        self.stack.setCurrentWidget(self.ask_page)
        self.form.start()
        self._update()

    def ask(self) -> None:
        if not self.form.complete() or self._wait.isActive():
            return
        number, last4 = self.form.values()
        self._asked += 1
        asked, station = self._asked, self.ctx.station
        self.check.setEnabled(False)
        self.message.setText(tr("Mencari…"))
        self.ctx.call(lambda: station.status(number, last4), lambda answer: self._show(asked, answer),
                      lambda text: self._failed(asked, text))

    def _show(self, asked: int, answer: StatusAnswer) -> None:
        if asked != self._asked:
            return
        if answer.wait_seconds > 0:
            self._wait.start(answer.wait_seconds * 1000)
            self.message.setText(answer.message or tr(
                "Terlalu banyak percobaan yang salah. Coba lagi setelah {wait}.", wait=wait_words(answer.wait_seconds)))
            self._update()
            return
        if not answer.found:
            self.message.setText(answer.message or tr("Nomor permohonan atau 4 angka WhatsApp tidak cocok. "
                                                      "Periksa lagi."))
            self._update()
            return
        self.answer = answer
        self.message.setText("")
        self.number_label.setText(tr("Permohonan {number}", number=answer.number))
        self.status_text.setText(answer.status_text)
        self.next_step.setText(answer.next_step)
        self.stack.setCurrentWidget(self.answer_page)

    def _failed(self, asked: int, text: str) -> None:
        if asked == self._asked:
            self.message.setText(text)
            self._update()

    def _update(self) -> None:
        self.check.setEnabled(self.form.complete() and not self._wait.isActive())

    def _again(self) -> None:
        self.wipe()
        self.open()

    def leave(self) -> None:
        self.wipe()
        self.left.emit()

    def wipe(self) -> None:
        """Forget the number typed and the answer shown (the next person must not see them)."""
        self._asked += 1
        self.answer = None
        self.form.wipe()
        self.message.setText("")
        for text in (self.number_label, self.status_text, self.next_step):
            text.setText("")
        self.stack.setCurrentWidget(self.ask_page)
        self._update()
