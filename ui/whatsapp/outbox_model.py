"""The outbox table: one row per outgoing message (newest first), from `Desk.outbox_list`.

A plain list model: the desk returns at most a page of rows (filtered by state in SQL), so no
proxy model and no item widgets; `set_items` swaps the rows and keeps nothing else.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from dikjamila.desk.outbox import OutboxInfo
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from ui.whatsapp.marks import mark
from ui.whatsapp.phone import phone_display
from ui.whatsapp.row_model import RowTableModel

ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Waktu (WITA)", "Kepada", "Isi / dokumen", "Status", "Percobaan", "Galat")
PURPOSES = {"dokumen_terbit": "dokumen terbit", "berkas_kurang": "berkas kurang", "pesan": "pesan"}


def content_text(item: OutboxInfo) -> str:
    """"📎 KK-Siti.pdf — Yth. Bapak/Ibu…" on one line."""
    text = " ".join(item.text.split())
    if item.blob_sha256:
        name = item.document_name or tr("dokumen")
        return f"📎 {name} — {text}" if text else f"📎 {name}"
    return text


class OutboxModel(RowTableModel[OutboxInfo]):
    COLUMNS = COLUMNS

    @property
    def items(self) -> list[OutboxInfo]:
        return self.rows

    def set_items(self, items: list[OutboxInfo]) -> None:
        self.set_rows(items)

    def item(self, row: int) -> OutboxInfo | None:
        return self.row_at(row)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (item := self.item(index.row())):
            return None
        col = index.column()
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 0 and item.server_time:
                return tr("Diterima server WhatsApp {when} WITA",
                          when=item.server_time.astimezone(WITA).strftime("%d-%m-%Y %H:%M:%S"))
            if col == 2:
                return item.text
            if col in (3, 5) and item.last_error:
                return item.last_error
            if col == 1 and item.account:
                return tr("Dari nomor {account}", account=item.account)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col in (3, 5):
            m = mark(item.state)
            return QBrush(QColor(m.colour)) if m.problem or col == 3 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _text(item: OutboxInfo, col: int) -> str:
        if col == 0:
            return item.created_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        if col == 1:
            return phone_display(item.recipient)
        if col == 2:
            return content_text(item)
        if col == 3:
            m = mark(item.state)
            text = f"{m.symbol} {m.label}".strip()
            if item.marked_sent_by:
                text += " " + tr("(ditandai {name})", name=item.marked_sent_by)
            return text
        if col == 4:
            return str(item.attempts)
        return " ".join(item.last_error.split())
