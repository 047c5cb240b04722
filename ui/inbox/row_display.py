"""How an inbox row reads on screen: its columns, texts, colours, marks and time left.

A row's display values are worked out once, as a `line` (`make_line`), when the row is first
shown; the model answers the view's roles from it (`role_value`). The time-left text is
recomputed when it would change (`due_expiry`), so it reads as before.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from dikjamila.desk import InboxRow
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED, Status
from dikjamila.lifecycle import label as status_label

# (key, header, sort key or None when the column is not sortable in SQL)
COLUMNS = [
    ("number", "Nomor", "number"),
    ("received", "Diterima", "received"),
    ("applicant", "Pemohon", "applicant"),
    ("service", "Layanan", "service"),
    ("kecamatan", "Kecamatan", None),
    ("status", "Status", "status"),
    ("assignee", "Petugas", None),
    ("due", "Sisa waktu", "due"),
]
STATUS_COLOURS = {
    "baru": "#dbeafe", "diperiksa": "#fef3c7", "berkas_kurang": "#fde2e1", "diproses": "#e0e7ff",
    "terbit": "#d1fae5", "terkirim": "#ccfbf1", "selesai": "#e5e7eb", "ditolak": "#f3f4f6",
}
OVERDUE = QColor("#b91c1c")
MARKED = QColor("#b45309")
ATTENTION_TEXT = {
    "several_open": "Warga ini punya beberapa permohonan terbuka; pesan barunya masuk ke permohonan ini.",
    "after_close": "Pesan setelah selesai: warga menulis lagi sesudah permohonan ditutup.",
}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
DISPLAY_ROLES = frozenset((_DISPLAY, _TOOLTIP, _FOREGROUND, _BACKGROUND))  # the roles a line answers
_NUMBER, _STATUS, _DUE = (next(i for i, c in enumerate(COLUMNS) if c[0] == k) for k in ("number", "status", "due"))
_APPLICANT, _SERVICE = (next(i for i, c in enumerate(COLUMNS) if c[0] == k) for k in ("applicant", "service"))
NCOLS = len(COLUMNS)
# Brushes made once: the view copies them, a new QBrush per cell and repaint is wasted work.
_STATUS_BRUSHES = {status: QBrush(QColor(colour)) for status, colour in STATUS_COLOURS.items()}
_WHITE = QBrush(QColor("#ffffff"))
_OVERDUE_BRUSH = QBrush(OVERDUE)
_MARKED_BRUSH = QBrush(MARKED)


def row_marks(row: InboxRow) -> list[str]:
    """Why a row is marked for the operator (empty: not marked)."""
    marks = [tr(ATTENTION_TEXT[row.attention])] if row.attention in ATTENTION_TEXT else []
    if row.duplicate:
        marks.append(tr("Mungkin ganda: ada permohonan terbuka lain untuk layanan yang sama dengan NIK, "
                        "nomor WhatsApp atau nomor KK yang sama."))
    return marks


#: Statuses whose time left is no longer counted: finished, rejected, and sent (the issued
#: document reached the resident; only their confirmation is awaited).
CLOCK_STOPPED = CLOSED | {Status.TERKIRIM}


def time_left_text(row: InboxRow, now: datetime) -> tuple[str, bool]:
    """("sisa 5 jam" | "lewat 2 hari" | "—", overdue?) for the time-left column."""
    if row.status in CLOCK_STOPPED:
        return "—", False
    seconds = (row.due_at - now).total_seconds()
    hours = abs(seconds) / 3600
    amount = tr("{n} hari", n=int(hours // 24)) if hours >= 48 else tr("{n} jam", n=max(1, int(hours)))
    if seconds >= 0:
        return tr("sisa {amount}", amount=amount), False
    return tr("lewat {amount}", amount=amount), True


def due_expiry(row: InboxRow, now: datetime) -> float:
    """The POSIX time at which `time_left_text(row, …)` next reads differently (inf: never).

    The text counts whole hours (under 48) or whole days, down to "sisa 1 jam", then up from
    "lewat 1 jam"; it changes when the time left crosses one of those boundaries.
    """
    if row.status in CLOCK_STOPPED:
        return float("inf")
    seconds = (row.due_at - now).total_seconds()
    hours = abs(seconds) / 3600
    if seconds >= 0:  # counting down: the next boundary is below
        if hours >= 48:
            boundary = int(hours // 24) * 24 * 3600
        else:
            boundary = int(hours) * 3600 if int(hours) >= 2 else 0
        left = seconds - boundary
    else:  # overdue, counting up: the next boundary is above
        if hours >= 48:
            boundary = (int(hours // 24) + 1) * 24 * 3600
        else:
            boundary = max(2, int(hours) + 1) * 3600
        left = boundary - abs(seconds)
    # a hair past the boundary, so the text is read where it has changed already
    return now.timestamp() + max(left, 0.0) + 0.001


def make_line(row: InboxRow, services: dict[str, str], kecamatan: dict[str, str]) -> tuple:
    """(texts by column, number foreground, status background, due foreground, tooltip of the
    number, valid until) for `row`; `services` and `kecamatan` map codes to names."""
    now = datetime.now(UTC)
    marks = row_marks(row)
    due_text, overdue = time_left_text(row, now)
    texts = tuple(due_text if key == "due" else _text(row, key, marks, services, kecamatan)
                  for key, _h, _s in COLUMNS)
    return (texts, _MARKED_BRUSH if marks else None, _STATUS_BRUSHES.get(row.status, _WHITE),
            _OVERDUE_BRUSH if overdue else None, "\n".join(marks) if marks else None,
            due_expiry(row, now))


def role_value(line: tuple, column: int, role: int):
    """What a cell of the row whose line is `line` shows for `role` (None: nothing)."""
    if role == _DISPLAY:
        return line[0][column]
    if role == _FOREGROUND:
        return line[1] if column == _NUMBER else line[3] if column == _DUE else None
    if role == _BACKGROUND:
        return line[2] if column == _STATUS else None
    if role == _TOOLTIP:
        if column in (_APPLICANT, _SERVICE):
            return line[0][column]
        return line[4] if column == _NUMBER else None
    return None


def _text(row: InboxRow, key: str, marks: list[str], services: dict[str, str], kecamatan: dict[str, str]) -> str:
    if key == "number":
        return f"⚠ {row.number}" if marks else row.number
    if key == "received":
        return row.received_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
    if key == "applicant":
        return row.applicant_name
    if key == "service":
        if not row.service_code:
            suggested = services.get(row.suggested_service, "")
            return tr("Belum dipilih (saran: {name})", name=suggested) if suggested else tr("Belum dipilih")
        return services.get(row.service_code, row.service_code)
    if key == "kecamatan":
        return kecamatan.get(row.kecamatan_code, row.kecamatan_code)
    if key == "status":
        return status_label(row.status)
    if key == "assignee":
        return row.assignee_name
    return time_left_text(row, datetime.now(UTC))[0]
