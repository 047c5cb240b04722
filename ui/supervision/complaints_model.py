"""The complaints list as a table: newest first, one row per `ComplaintInfo` from the desk."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from dikjamila.desk.complaint_records import (
    COMPLAINT_CHANNEL_LABELS,
    COMPLAINT_STATUS_LABELS,
    ComplaintInfo,
    ComplaintOutcome,
    ComplaintStatus,
)
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from ui.whatsapp.phone import phone_display
from ui.whatsapp.row_model import RowTableModel

COLUMNS = ("No.", "Diterima (WITA)", "Saluran", "Pengadu", "Isi pengaduan", "Status", "Petugas")
STATUS_COLOURS = {ComplaintStatus.OPEN: "#b45309", ComplaintStatus.ASSIGNED: "#1d4ed8",
                  ComplaintStatus.RESOLVED: "#166534"}


def label_of(labels: dict, key: str) -> str:
    """The Indonesian label of a stored value (the value itself when not known)."""
    return tr(labels[key]) if key in labels else key


def complainant_text(c: ComplaintInfo) -> str:
    """"Rahmat (+62 813-5000-1111)", the name or number alone, or "—"."""
    phone = phone_display(c.phone) if c.phone else ""
    if c.complainant and phone:
        return f"{c.complainant} ({phone})"
    return c.complainant or phone or "—"


#: A resolved complaint's outcome in a word, for the list (the detail shows the full label).
SHORT_OUTCOMES = {ComplaintOutcome.SELESAI: "ditindaklanjuti", ComplaintOutcome.DIJELASKAN: "dijelaskan",
                  ComplaintOutcome.DITOLAK: "ditolak"}


def status_text(c: ComplaintInfo) -> str:
    """"Selesai (dijelaskan)" for a resolved complaint, else the status's label."""
    text = label_of(COMPLAINT_STATUS_LABELS, c.status)
    if c.status == ComplaintStatus.RESOLVED and c.outcome:
        return f"{text} ({label_of(SHORT_OUTCOMES, c.outcome)})"
    return text


class ComplaintModel(RowTableModel[ComplaintInfo]):
    COLUMNS = COLUMNS

    def complaint(self, row: int) -> ComplaintInfo | None:
        return self.row_at(row)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or (c := self.complaint(index.row())) is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(c, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, 4):
            return c.text if column == 4 else complainant_text(c)
        if role == Qt.ItemDataRole.ForegroundRole and column == 5:
            return QColor(STATUS_COLOURS.get(c.status, "#374151"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _cell(self, c: ComplaintInfo, column: int) -> str:
        if column == 0:
            return f"#{c.id}"
        if column == 1:
            return c.received_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        if column == 2:
            return label_of(COMPLAINT_CHANNEL_LABELS, c.channel)
        if column == 3:
            return complainant_text(c)
        if column == 4:
            return " ".join(c.text.split())
        if column == 5:
            return status_text(c)
        return c.assignee_name or "—"
