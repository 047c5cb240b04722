""""Antrean kirim": every outgoing WhatsApp message, what became of it, and what to do about it.

Per selected message: "Kirim ulang" (a failed, uncertain or cancelled one is queued again —
the same message; one that went out is sent once more as a new message), "Batalkan", and
"Tandai sudah terkirim" for a message the transport could not confirm (asks first). The
"Jeda semua pengiriman" switch holds every message on every PC. Refreshes on outbox changes.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk.outbox import OutboxInfo
from dikjamila.i18n import tr
from dikjamila.whatsapp.outbox_state import WENT_OUT, OutboxState, can_move
from ui.panel_kit import SAMPLE_PHONE, SAMPLE_TIME, fit_columns
from ui.whatsapp.outbox_model import OutboxModel

S = OutboxState
FILTERS: list[tuple[str, tuple[str, ...]]] = [
    ("Semua", ()),
    ("Perlu tindakan (gagal, perlu dicek, diserahkan)", (S.FAILED, S.UNCERTAIN, S.HANDED_OVER)),
    ("Dalam antrean / sedang dikirim", (S.QUEUED, S.SENDING)),
    ("Gagal", (S.FAILED,)),
    ("Perlu dicek", (S.UNCERTAIN,)),
    ("Diserahkan ke WhatsApp", (S.HANDED_OVER,)),
    ("Terkirim, sampai, dibaca", (S.SENT, S.DELIVERED, S.READ)),
    ("Dibatalkan", (S.CANCELLED,)),
]
RETRY_FROM = frozenset({S.FAILED, S.UNCERTAIN, S.CANCELLED})
MARK_FROM = frozenset({S.UNCERTAIN, S.HANDED_OVER})
LIMIT = 1000


class OutboxPanel(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Antrean kirim WhatsApp"))
        self._loading = False
        self._again = False
        self.loads = 0  # answered reads, for tests
        self._build()
        ctx.bus.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _build(self) -> None:
        self.filter = QComboBox(self)
        for text, states in FILTERS:
            self.filter.addItem(tr(text), states)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.pause = QCheckBox(tr("Jeda semua pengiriman"), self)
        self.pause.setToolTip(tr("Tidak ada pesan yang dikirim dari PC mana pun sampai jeda dimatikan."))
        self.pause.setEnabled(self.ctx.can(Permission.EDIT_REQUEST))
        self.pause.clicked.connect(self.set_paused)
        reload_button = QPushButton(tr("Muat ulang"), self)
        reload_button.setAutoDefault(False)
        reload_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Tampilkan:"), self))
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.pause)
        top.addSpacing(12)
        top.addWidget(reload_button)

        self.model = OutboxModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        fit_columns(self.table, {0: SAMPLE_TIME, 1: SAMPLE_PHONE, 3: "✓✓ dibaca  ", 4: "9"})
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(5, 220)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.retry = self._button(tr("Kirim ulang"), self.retry_selected)
        self.cancel = self._button(tr("Batalkan"), self.cancel_selected)
        self.mark_sent = self._button(tr("Tandai sudah terkirim…"), self.mark_selected_sent)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        close = self._button(tr("Tutup"), self.close)
        bottom = QHBoxLayout()
        for button in (self.retry, self.cancel, self.mark_sent):
            bottom.addWidget(button)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.resize(1100, 560)
        self._update_buttons()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        desk, states = self.ctx.desk, tuple(self.filter.currentData() or ())
        self.ctx.submit(lambda: (desk.outbox_list(states=states, limit=LIMIT), desk.sending_paused()),
                        self._guard(self._loaded), self._guard(self._load_failed), label=tr("Memuat antrean kirim…"))

    def _loaded(self, result) -> None:
        items, paused = result
        self._loading = False
        self.loads += 1
        keep = self.selected()
        self.model.set_items(items)
        if keep is not None and (row := self.model.row_of(keep.id)) >= 0:
            self.table.selectRow(row)
        self.pause.setChecked(paused)
        self._update_buttons()
        if self._again:
            self._again = False
            self.refresh()

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self._say(message, error=True)

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.OUTBOX):
            self.refresh()

    def selected(self) -> OutboxInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.item(rows[0].row()) if rows else None

    def select_item(self, item_id: int) -> bool:
        row = self.model.row_of(item_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _update_buttons(self) -> None:
        item = self.selected()
        may = self.ctx.can(Permission.EDIT_REQUEST)
        state = item.state if item else ""
        self.retry.setEnabled(may and (state in RETRY_FROM or state in WENT_OUT))
        self.retry.setToolTip(tr("Kirim pesan yang sudah keluar sekali lagi (pesan baru)") if state in WENT_OUT
                              else tr("Antrekan lagi pesan ini"))
        self.cancel.setEnabled(may and bool(item) and can_move(state, S.CANCELLED))
        self.mark_sent.setEnabled(may and state in MARK_FROM)

    # -- actions ------------------------------------------------------------------------------
    def retry_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        desk = self.ctx.desk
        if item.state in WENT_OUT:
            if not self.confirm(tr("Pesan ini sudah keluar ({to}). Kirim sekali lagi sebagai pesan baru?",
                                   to=item.recipient)):
                return
            self._run(lambda: desk.resend_message(item.id), tr("Pesan diantrekan untuk dikirim lagi."))
        elif item.state in RETRY_FROM:
            if item.state == S.UNCERTAIN and not self.confirm(tr(
                    "Belum pasti pesan ini sampai ke {to}. Bila dikirim ulang, pemohon mungkin menerimanya dua "
                    "kali. Kirim ulang?", to=item.recipient)):
                return
            self._run(lambda: desk.retry_message(item.id), tr("Pesan masuk antrean kirim lagi."))

    def cancel_selected(self) -> None:
        item = self.selected()
        if item is not None:
            desk = self.ctx.desk
            self._run(lambda: desk.cancel_message(item.id), tr("Pesan dibatalkan."))

    def mark_selected_sent(self) -> None:
        item = self.selected()
        if item is None or item.state not in MARK_FROM:
            return
        if not self.confirm(tr("Tandai pesan ke {to} sudah terkirim? Lakukan ini hanya bila Anda melihat pesan "
                               "itu sampai (misalnya di WhatsApp HP kantor). Nama Anda dicatat.", to=item.recipient)):
            return
        desk = self.ctx.desk
        self._run(lambda: desk.mark_sent_by_hand(item.id), tr("Pesan ditandai sudah terkirim."))

    def set_paused(self, paused: bool) -> None:
        desk = self.ctx.desk
        self._run(lambda: desk.set_sending_paused(paused),
                  tr("Semua pengiriman dijeda.") if paused else tr("Pengiriman berjalan lagi."))

    def _run(self, fn, done: str) -> None:
        def finished(_result) -> None:
            self._say(done)
            self.ctx.changes.poll_now()
            self.refresh()

        def failed(message: str) -> None:
            self._say(message, error=True)
            self.refresh()  # e.g. the pause switch goes back to what is stored

        self.ctx.submit(fn, self._guard(finished), self._guard(failed), label=tr("Memproses…"))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b91c1c;" if error else "color: #166534;")
        self.message.setText(text)

    def confirm(self, text: str) -> bool:
        """A question with No as the default (a small method tests replace)."""
        answer = QMessageBox.question(self, tr("Antrean kirim"), text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
