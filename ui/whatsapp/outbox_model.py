"""The outbox table: one row per outgoing message (newest first), from `Desk.outbox_list`.

A plain list model: the desk returns at most a page of rows (filtered by state in SQL), so no
proxy model and no item widgets; `set_items` swaps the rows and keeps nothing else.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from dikjamila.desk.outbox import OutboxInfo
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from ui.whatsapp.marks import mark
from ui.whatsapp.phone import phone_display

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


class OutboxModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[OutboxInfo] = []

    def set_items(self, items: list[OutboxInfo]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> OutboxInfo | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def row_of(self, item_id: int) -> int:
        return next((i for i, item in enumerate(self.items) if item.id == item_id), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        return None

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
