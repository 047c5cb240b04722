"""The conversation tab: the messages with the resident, and a box to reply.

Outgoing messages carry WhatsApp's marks (🕓 antre, ✓ terkirim, ✓✓ sampai, blue ✓✓ dibaca,
! gagal / perlu dicek with the error as tooltip, ↗ diserahkan); one that failed offers
"Coba lagi", one that went out "Kirim lagi". An incoming file shows its name and kind with
"Buka", and the note when it could not go on the checklist.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk import ConversationEntry
from dikjamila.i18n import tr
from dikjamila.whatsapp.outbox_state import REQUEUE_FROM, WENT_OUT, OutboxState
from ui.editor.history import when_text
from ui.whatsapp.conversation_lines import document_label, kind_label
from ui.whatsapp.marks import mark

GREY = "#6b7280"


def _link(href: str, text: str) -> str:
    return f"<a href='{href}'>{html.escape(text)}</a>"


class ConversationView(QTextBrowser):
    """Messages from and to the resident, oldest first.

    Signals: `retry_requested(outbox id)` ("Coba lagi": the same message queued again),
    `resend_requested(outbox id)` ("Kirim lagi": a new message with the same content),
    `open_file_requested(sha256, kind, name)` ("Buka" on a received file),
    `complaint_requested(message id)` ("Jadikan pengaduan" on a received message)."""

    retry_requested = Signal(int)
    resend_requested = Signal(int)
    open_file_requested = Signal(str, str, str)
    complaint_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.actions_enabled = True
        self.complaints_enabled = False  # set by the editor for those who may record complaints
        self.files: dict[int, tuple[str, str, str]] = {}  # message id -> (sha256, kind, name)
        self.errors: dict[int, str] = {}  # outbox id -> last error (the mark's tooltip)

    def _on_link(self, url) -> None:
        kind, _, item = url.toString().partition(":")
        if not item.isdigit():
            return
        if kind == "buka" and int(item) in self.files:
            self.open_file_requested.emit(*self.files[int(item)])
        elif kind == "pengaduan" and self.complaints_enabled:
            self.complaint_requested.emit(int(item))
        elif self.actions_enabled and kind in ("coba-lagi", "kirim-lagi"):
            (self.retry_requested if kind == "coba-lagi" else self.resend_requested).emit(int(item))

    @staticmethod
    def _action(line: ConversationEntry) -> str:
        if line.outbox_id is None or not line.state:
            return ""
        if line.state in REQUEUE_FROM or line.state == OutboxState.UNCERTAIN:
            return " · " + _link(f"coba-lagi:{line.outbox_id}", tr("Coba lagi"))
        if line.state in WENT_OUT:
            return " · " + _link(f"kirim-lagi:{line.outbox_id}", tr("Kirim lagi"))
        return ""

    def _state(self, line: ConversationEntry) -> str:
        m = mark(line.state)
        title = f" title='{html.escape(line.last_error, quote=True)}'" if line.last_error and m.problem else ""
        weight = "font-weight:bold;" if m.problem or line.state == OutboxState.READ else ""
        return (f" · <span style='color:{m.colour};{weight}'{title}>{html.escape(m.symbol)}"
                f" {html.escape(m.label)}</span>")

    def _file(self, line: ConversationEntry) -> str:
        parts = []
        if line.file_name or line.blob_sha256:
            name = line.file_name or tr("berkas")
            what = f"📎 {html.escape(name)} <span style='color:{GREY}'>({html.escape(kind_label(line.file_kind, name))})</span>"
            if line.blob_sha256 and line.message_id is not None:
                self.files[line.message_id] = (line.blob_sha256, line.file_kind, name)
                what += " · " + _link(f"buka:{line.message_id}", tr("Buka"))
            parts.append(what)
        if line.file_note:
            parts.append(f"<span style='color:#92400e'><i>{html.escape(line.file_note)}</i></span>")
        return "".join(f"<br>{p}" for p in parts)

    def set_lines(self, lines: list[ConversationEntry]) -> None:
        self.files, self.errors = {}, {}
        if not lines:
            self.setHtml(f"<p style='color:{GREY}'>{html.escape(tr('Belum ada percakapan untuk permohonan ini.'))}</p>")
            return
        parts = []
        for line in lines:
            incoming = line.direction == "in"
            meta = html.escape(f"{line.sender or '-'} · {when_text(line.at)}")
            extra = ""
            if incoming:
                extra = self._file(line)
                if self.complaints_enabled and line.message_id is not None:
                    meta += " · " + _link(f"pengaduan:{line.message_id}", tr("Jadikan pengaduan"))
            else:
                meta += self._state(line) + self._action(line)
                if document := document_label(line):
                    extra = f"<br>📎 {html.escape(document)}"
                if line.last_error and mark(line.state).problem:
                    self.errors[line.outbox_id or 0] = line.last_error
                    extra += f"<br><span style='color:#b91c1c;font-size:small'>{html.escape(_short(line.last_error))}</span>"
            body = html.escape(line.text).replace("\n", "<br>")
            # A bubble of 82% of the width, on the left (resident) or the right (office); text
            # reads left-aligned in both.
            bubble = (f"<td width='82%' bgcolor='{'#f3f4f6' if incoming else '#dcfce7'}'>"
                      f"<span style='color:{GREY};font-size:small'>{meta}</span><br>{body}{extra}</td>")
            gap = "<td width='18%'></td>"
            parts.append(f"<table width='100%' cellspacing='0' cellpadding='6' style='margin-bottom:6px'><tr>"
                         f"{bubble + gap if incoming else gap + bubble}</tr></table>")
        self.setHtml("".join(parts))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt override
        # NOTE: QTextBrowser keeps a span's `title` as its tool tip but does not show it by itself.
        if event.type() == QEvent.Type.ToolTip:
            tip = self.cursorForPosition(event.pos()).charFormat().toolTip()
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ConversationTab(QWidget):
    """The conversation above, the reply box below (Kirim or Ctrl+Enter; "Balasan cepat" fills it).

    Signals: `send_requested(text)`, `quick_reply_requested(template name)`."""

    send_requested = Signal(str)
    quick_reply_requested = Signal(str)

    def __init__(self, view: ConversationView, parent=None):
        super().__init__(parent)
        self.view = view
        self.reply = QPlainTextEdit(self)
        self.reply.setPlaceholderText(tr("Tulis balasan untuk pemohon…"))
        self.reply.setTabChangesFocus(True)
        self.reply.setFixedHeight(self.reply.fontMetrics().lineSpacing() * 4 + 14)
        self.quick = QPushButton(tr("Balasan cepat"), self)
        self.quick.setAutoDefault(False)
        self.quick.setToolTip(tr("Isi kotak balasan dengan templat pesan (bisa diubah sebelum dikirim)"))
        self.quick_menu = QMenu(self.quick)
        self.quick.setMenu(self.quick_menu)
        self.send = QPushButton(tr("Kirim"), self)
        self.send.setAutoDefault(False)
        self.send.setToolTip(tr("Kirim lewat WhatsApp (Ctrl+Enter)"))
        self.send.clicked.connect(self._send)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self.reply, self._send, Qt.ShortcutContext.WidgetShortcut)
        self.hint = QLabel(self)
        self.hint.setStyleSheet(f"color: {GREY};")
        self.hint.setWordWrap(True)
        self.reply.textChanged.connect(self._update)

        buttons = QVBoxLayout()
        buttons.setSpacing(4)
        buttons.addWidget(self.send)
        buttons.addWidget(self.quick)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.reply, 1)
        row.addLayout(buttons)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 4)
        lay.setSpacing(4)
        lay.addWidget(view, 1)
        lay.addLayout(row)
        lay.addWidget(self.hint)
        self._allowed = True
        self._update()

    def set_quick_replies(self, replies: list[tuple[str, str]]) -> None:
        """(template name, label) pairs for the "Balasan cepat" menu."""
        if [a.data() for a in self.quick_menu.actions()] == [name for name, _ in replies]:
            return
        self.quick_menu.clear()
        for name, label in replies:
            action = self.quick_menu.addAction(label)
            action.setData(name)
            action.triggered.connect(lambda _c=False, n=name: self.quick_reply_requested.emit(n))
        self.quick.setEnabled(self._allowed and bool(replies))

    def set_allowed(self, allowed: bool, hint: str) -> None:
        """Whether this operator may write to the resident now; `hint` says to whom, or why not."""
        self._allowed = allowed
        self.reply.setReadOnly(not allowed)
        self.quick.setEnabled(allowed and bool(self.quick_menu.actions()))
        self.hint.setText(hint)
        self._update()

    def set_reply_text(self, text: str) -> None:
        self.reply.setPlainText(text)
        self.reply.setFocus(Qt.FocusReason.OtherFocusReason)
        cursor = self.reply.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.reply.setTextCursor(cursor)

    def text(self) -> str:
        return self.reply.toPlainText().strip()

    def clear_reply(self) -> None:
        self.reply.clear()

    def _update(self) -> None:
        self.send.setEnabled(self._allowed and bool(self.text()))

    def _send(self) -> None:
        if self._allowed and self.text():
            self.send_requested.emit(self.text())
