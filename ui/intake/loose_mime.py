"""The drag of a file from "Berkas belum ditempatkan" onto a request or a checklist item."""

from __future__ import annotations

from PySide6.QtCore import QMimeData

LOOSE_FILE_MIME = "application/x-dikjamila-loose-file"


def loose_mime_data(loose_id: int) -> QMimeData:
    mime = QMimeData()
    mime.setData(LOOSE_FILE_MIME, str(int(loose_id)).encode("ascii"))
    return mime


def loose_id_from_mime(mime: QMimeData | None) -> int | None:
    """The loose file id a drag carries, or None (for a drop target's `dragEnterEvent`/`dropEvent`)."""
    if mime is None or not mime.hasFormat(LOOSE_FILE_MIME):
        return None
    text = bytes(mime.data(LOOSE_FILE_MIME).data()).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
