""""Pesan masuk belum ditangani": messages to the office number that no request has taken.

A message from the applicant of an open request joins that request's conversation by itself;
the rest wait here. The operator reads them (and opens their files) and can answer one from
here. When WhatsApp named the sender only by an ID (a LID), the operator first fills in the
number (asked by phone, or read from the message): the message can then be answered, and
joins the open request of that number if there is one. Turning a message into a request
comes later (see the label on the panel).
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk.incoming import IncomingInfo
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from ui.panel_kit import SAMPLE_PHONE, SAMPLE_TIME, fit_columns, row_table
from ui.supervision.complaint_from_message import ComplaintFromMessage, make_button
from ui.whatsapp.conversation_lines import kind_label
from ui.whatsapp.open_file import open_stored_file
from ui.whatsapp.phone import phone_display
from ui.whatsapp.row_model import RowTableModel

COLUMNS = ("Waktu (WITA)", "Pengirim", "Pesan")


def sender_text(m: IncomingInfo, *, short: bool = False) -> str:
    """"Siti (+62 812-3456-7890)", or the WhatsApp id when the number is not known (`short`:
    without saying so, for where the panel says it anyway)."""
    if m.sender_phone:
        who = phone_display(m.sender_phone)
    elif short:
        who = tr("ID {lid}", lid=m.sender_lid or "?")
    else:
        who = tr("ID {lid}, nomor belum diketahui", lid=m.sender_lid or "?")
    return f"{m.push_name} ({who})" if m.push_name else who


def summary(m: IncomingInfo) -> str:
    """The message on one line, its file first: "📎 surat.docx — Surat pengantar"."""
    text = " ".join(m.text.split())
    if m.file_name:
        return f"📎 {m.file_name} — {text}" if text else f"📎 {m.file_name}"
    return text


class UnhandledModel(RowTableModel[IncomingInfo]):
    COLUMNS = COLUMNS

    @property
    def messages(self) -> list[IncomingInfo]:
        return self.rows

    def set_messages(self, messages: list[IncomingInfo]) -> None:
        self.set_rows(list(reversed(messages)))  # newest first

    def message(self, row: int) -> IncomingInfo | None:
        return self.row_at(row)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or (m := self.message(index.row())) is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (m.at.astimezone(WITA).strftime("%d-%m-%Y %H:%M"), sender_text(m), summary(m))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (1, 2):
            return sender_text(m) if index.column() == 1 else m.text
        return None


class UnhandledPanel(QDialog):
    """The list of received messages no request has taken. Emits `request_created(id)` after
    "Buat permohonan" so the window can open the new request."""

    request_created = Signal(int)
    count_changed = Signal(int)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Pesan masuk belum ditangani"))
        self.loads = 0
        self.total = 0  # all unhandled messages (the list shows at most the newest 500)
        self._shown_id: int | None = None  # the message the detail shows
        self._reloading = False
        self._build()
        ctx.bus.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _build(self) -> None:
        self.note = later = QLabel(tr("Pesan yang belum masuk ke permohonan mana pun. \"Buat permohonan\" menjadikan pesan ini "
                          "dan pesan-pesan pengirim yang sama di sekitarnya satu permohonan baru (layanannya "
                          "disarankan dari isi pesan); atau balas dari sini."), self)
        later.setWordWrap(True)
        later.setStyleSheet("color: #1e3a8a; background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 4px;"
                            "padding: 4px 8px;")
        self.model = UnhandledModel(self)
        self.table = row_table(self, self.model)
        header = self.table.horizontalHeader()
        fit_columns(self.table, {0: SAMPLE_TIME, 1: "Syarifuddin Maulana (" + SAMPLE_PHONE + ")"})
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._reloading or self._show_selected())

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self._detail())
        self.complaint_maker = ComplaintFromMessage(self, self.make_complaint)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 420])
        self.count = QLabel(self)
        self.close_button = QPushButton(tr("Tutup"), self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addWidget(later)
        lay.addWidget(self.splitter, 1)
        lay.addLayout(bottom)
        self.resize(1100, 580)
        self.setMinimumSize(860, 540)  # below that the wrapped notes of the detail would be clipped
        self._show_selected()

    def _detail(self) -> QWidget:
        box = QWidget(self)
        self.sender_label = QLabel(box)
        self.sender_label.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.sender_label.setWordWrap(True)
        self.sender_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QTextBrowser(box)
        self.text.setMinimumHeight(60)
        self.file_label = QLabel(box)
        self.file_label.setWordWrap(True)
        self.open_file = QPushButton(tr("Buka"), box)
        self.open_file.setAutoDefault(False)
        self.open_file.clicked.connect(self.open_selected_file)
        self.create = QPushButton(tr("Buat permohonan"), box)
        self.create.setObjectName("createRequest")
        self.create.setAutoDefault(False)
        self.create.setToolTip(tr("Jadikan pesan ini (dan pesan lain dari pengirim yang sama dalam 30 menit) "
                                  "permohonan baru"))
        self.create.clicked.connect(self.create_request)
        self.make_complaint = make_button(box)
        self.file_note = QLabel(box)
        self.file_note.setWordWrap(True)
        self.file_note.setStyleSheet("color: #92400e; font-style: italic;")
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.open_file)
        self.reply = QPlainTextEdit(box)
        self.reply.setPlaceholderText(tr("Tulis balasan…"))
        self.reply.setFixedHeight(self.reply.fontMetrics().lineSpacing() * 4 + 14)
        self.reply.textChanged.connect(self._update_reply)
        self.send = QPushButton(tr("Balas"), box)
        self.send.setAutoDefault(False)
        self.send.clicked.connect(self.send_reply)
        self.message = QLabel(box)
        self.message.setWordWrap(True)
        send_row = QHBoxLayout()
        send_row.addWidget(self.message, 1)
        send_row.addWidget(self.send)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.sender_label, 1)
        top.addWidget(self.create, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.make_complaint, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)
        lay.addWidget(self._phone_form(box))
        lay.addWidget(self.text, 1)
        lay.addLayout(file_row)
        lay.addWidget(self.file_note)
        lay.addWidget(QLabel(tr("Balas ke pengirim:"), box))
        lay.addWidget(self.reply)
        lay.addLayout(send_row)
        return box

    def _phone_form(self, parent: QWidget) -> QFrame:
        """"Nomor pengirim belum diketahui" and, for who may change it, a field for the number."""
        self.phone_box = QFrame(parent)
        self.phone_box.setObjectName("phoneBox")
        self.phone_box.setStyleSheet("#phoneBox { background: #fffbeb; border: 1px solid #fcd34d; border-radius: 4px; }")
        title = QLabel(tr("Nomor pengirim belum diketahui"), self.phone_box)
        title.setStyleSheet("color: #92400e; font-weight: bold;")
        why = QLabel(tr("WhatsApp hanya memberi ID pengirim. Tanyakan nomornya (atau lihat di isi pesan) "
                        "agar bisa dibalas."), self.phone_box)
        why.setWordWrap(True)
        why.setStyleSheet("color: #92400e;")
        self.phone_label = QLabel(tr("Isi nomor WhatsApp pengirim:"), self.phone_box)
        self.phone = QLineEdit(self.phone_box)
        self.phone.setPlaceholderText(tr("mis. 0812-3456-7890"))
        self.phone.setMaxLength(40)
        self.phone.setClearButtonEnabled(True)
        self.phone_label.setBuddy(self.phone)
        self.phone.textChanged.connect(self._update_phone)
        self.phone.returnPressed.connect(self.save_phone)
        self.save_phone_button = QPushButton(tr("Simpan nomor"), self.phone_box)
        self.save_phone_button.setAutoDefault(False)
        self.save_phone_button.clicked.connect(self.save_phone)
        self.phone_error = QLabel(self.phone_box)
        self.phone_error.setWordWrap(True)
        self.phone_error.setStyleSheet("color: #b91c1c;")
        self.phone_error.hide()
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.phone, 1)
        row.addWidget(self.save_phone_button)
        lay = QVBoxLayout(self.phone_box)
        lay.setContentsMargins(8, 6, 8, 8)
        lay.setSpacing(4)
        lay.addWidget(title)
        lay.addWidget(why)
        lay.addWidget(self.phone_label)
        lay.addLayout(row)
        lay.addWidget(self.phone_error)
        self._saving_phone = False
        self.phone_box.hide()
        return self.phone_box

    # -- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        desk = self.ctx.desk
        self.ctx.submit(lambda: (desk.unhandled_messages(), desk.unhandled_count()), self._guard(self._loaded),
                        self._guard(self._say_error), label=tr("Memuat pesan masuk…"))

    def _loaded(self, result: tuple[list[IncomingInfo], int]) -> None:
        messages, self.total = result
        keep = self.selected()
        self.loads += 1
        # NOTE: a reload is not the operator's doing: the line under the reply keeps what it says
        # (e.g. "Nomor disimpan", after which that message may have left the list).
        self._reloading = True
        try:
            self.model.set_messages(messages)
            if keep is not None:
                self.select_message(keep.id)
            elif messages:
                self.table.selectRow(0)
        finally:
            self._reloading = False
        if self.total > len(messages):
            self.count.setText(tr("{n} pesan belum ditangani ({shown} terbaru ditampilkan)",
                                  n=self.total, shown=len(messages)))
        else:
            self.count.setText(tr("{n} pesan belum ditangani", n=self.total))
        self._show_selected(keep_message=True)
        self.count_changed.emit(self.total)

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.MESSAGE):
            self.refresh()

    def selected(self) -> IncomingInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.message(rows[0].row()) if rows else None

    def select_message(self, message_id: int) -> bool:
        row = self.model.row_of(message_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _show_selected(self, *, keep_message: bool = False) -> None:
        m = self.selected()
        same = m is not None and m.id == self._shown_id
        self._shown_id = m.id if m else None
        self.sender_label.setText(sender_text(m, short=True) if m else tr("Pilih pesan di daftar."))
        if m is not None and not m.text.strip():
            self.text.setHtml(f"<i style='color:#6b7280'>{html.escape(tr('(tanpa teks)'))}</i>")
        else:
            self.text.setHtml(html.escape(m.text).replace("\n", "<br>") if m else "")
        has_file = bool(m and m.file_name)
        self.file_label.setText(f"📎 {m.file_name} ({kind_label(m.file_kind, m.file_name)})" if m and has_file else "")
        self.file_label.setVisible(has_file)
        self.open_file.setVisible(bool(m and m.blob_sha256))
        self.file_note.setText(m.file_note if m else "")
        self.file_note.setVisible(bool(m and m.file_note))
        self._show_phone_form(m, same)
        self.create.setEnabled(m is not None and self.ctx.can(Permission.CREATE_REQUEST))
        if not (same or keep_message):
            self.message.setText("")
        self._update_reply()

    def _show_phone_form(self, m: IncomingInfo | None, same: bool) -> None:
        unknown = m is not None and not m.sender_phone
        self.phone_box.setVisible(unknown)
        may = self.ctx.can(Permission.EDIT_REQUEST)
        for widget in (self.phone_label, self.phone, self.save_phone_button):
            widget.setVisible(may)
        if not same:
            self.phone.clear()
            self.phone_error.hide()
        self.reply.setEnabled(m is None or bool(m.sender_phone))
        self.reply.setPlaceholderText(tr("Isi nomor pengirim dulu untuk membalas.") if unknown
                                      else tr("Tulis balasan…"))
        self._update_phone()

    def _update_reply(self) -> None:
        m = self.selected()
        self.send.setEnabled(m is not None and bool(m.sender_phone) and bool(self.reply.toPlainText().strip())
                             and self.ctx.can(Permission.EDIT_REQUEST))

    def _update_phone(self) -> None:
        self.save_phone_button.setEnabled(not self._saving_phone and bool(self.phone.text().strip()))

    # -- actions ----------------------------------------------------------------------------------
    def open_selected_file(self) -> None:
        m = self.selected()
        if m is not None and m.blob_sha256:
            open_stored_file(self.ctx, self, m.blob_sha256, m.file_kind, m.file_name or "berkas",
                             on_error=self._say_error)

    def save_phone(self) -> None:
        """The operator's number for a sender WhatsApp named only by an ID (`Desk.set_sender_phone`)."""
        m, number = self.selected(), self.phone.text().strip()
        if m is None or m.sender_phone or not number or self._saving_phone:
            return
        desk = self.ctx.desk

        def done(info: IncomingInfo) -> None:
            self._saving_phone = False
            self.phone.clear()
            self.phone_error.hide()
            if info.request_id is not None:
                self._say(tr("Nomor {phone} disimpan. Pesan masuk ke permohonan terbuka dari nomor itu.",
                             phone=phone_display(info.sender_phone)))
            else:
                self._say(tr("Nomor {phone} disimpan. Pesan ini sekarang bisa dibalas.",
                             phone=phone_display(info.sender_phone)))
            self.refresh()
            self.ctx.changes.poll_now()

        def failed(text: str) -> None:
            self._saving_phone = False
            self._update_phone()
            if (shown := self.selected()) is None or shown.id != m.id:  # the operator moved on meanwhile
                self._say_error(text)
                return
            self.phone_error.setText(text)
            self.phone_error.show()
            self.phone.setFocus(Qt.FocusReason.OtherFocusReason)
            self.phone.selectAll()

        self._saving_phone = True
        self._update_phone()
        self.ctx.submit(lambda: desk.set_sender_phone(m.id, number), self._guard(done), self._guard(failed),
                        label=tr("Menyimpan nomor pengirim…"))

    def create_request(self) -> None:
        """"Buat permohonan": a new request from the selected message's submission, opened at once."""
        m = self.selected()
        if m is None or not self.ctx.can(Permission.CREATE_REQUEST):
            return
        desk = self.ctx.desk

        def done(detail) -> None:
            self.create.setEnabled(True)
            self._say(tr("Permohonan {number} dibuat.", number=detail.number))
            self.refresh()
            self.ctx.changes.poll_now()
            self.request_created.emit(detail.id)

        def failed(text: str) -> None:
            self.create.setEnabled(True)
            self._say_error(text)

        self.create.setEnabled(False)
        self.ctx.submit(lambda: desk.create_request_from_message(m.id), self._guard(done), self._guard(failed),
                        label=tr("Membuat permohonan…"))

    def send_reply(self) -> None:
        m, text = self.selected(), self.reply.toPlainText().strip()
        if m is None or not text:
            return
        desk = self.ctx.desk

        def done(_item_id) -> None:
            self.reply.clear()
            self._say(tr("Balasan masuk antrean kirim WhatsApp."))
            self.ctx.changes.poll_now()

        self.send.setEnabled(False)
        self.ctx.submit(lambda: desk.reply_to_message(m.id, text), self._guard(done), self._guard(self._say_error),
                        label=tr("Mengantrekan balasan…"))

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("color: #166534;")
        self.message.setText(text)

    def _say_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b91c1c;")
        self.message.setText(text)
        self._update_reply()

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run
