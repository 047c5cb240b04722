"""The history and notes tabs of the editor (the conversation tab is `ui.editor.conversation`).

History rows come from the audit log; `describe_event` turns an event into Indonesian an
operator reads ("Status: Diperiksa → Diproses"), with times in WITA.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dikjamila.audit import AuditRecord
from dikjamila.desk import NoteInfo
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.lifecycle import label as status_label
from dikjamila.whatsapp.outbox_state import OutboxState
from dikjamila.whatsapp.outbox_state import label as outbox_label

FIELD_LABELS = {
    "applicant_name": "nama pemohon", "applicant_phone": "no. WhatsApp", "applicant_nik": "NIK pemohon",
    "subject_name": "nama yang bersangkutan", "subject_nik": "NIK yang bersangkutan",
    "kk_number": "nomor KK", "kecamatan_code": "kecamatan", "village_code": "desa",
    "service_code": "layanan", "facts": "data pemeriksaan",
}
PURPOSES = {"berkas_kurang": "berkas kurang", "pesan": "pesan", "dokumen_terbit": "dokumen terbit"}
#: How the Petugas column names the background senders (system actors).
SYSTEM_NAMES = {"whatsapp": "WhatsApp (otomatis)", "sistem": "Sistem"}


def when_text(at) -> str:
    return at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")


def _sha(value) -> str:
    """The first 12 hex digits of a sha256: enough to compare with the file by eye."""
    return str(value or "")[:12] or "-"


def _iso_when(value) -> str:
    try:
        return when_text(datetime.fromisoformat(str(value))) + " WITA"
    except ValueError:
        return str(value)


def _status(value) -> str:
    return status_label(value) if value in Status.__members__.values() else str(value)


def describe_event(rec: AuditRecord, requirement_label: Callable[[str], str] = str) -> str:
    """Indonesian description of one audit event on a request."""
    s, a = rec.summary or {}, rec.action
    if a == "request.create":
        return tr("Permohonan dibuat")
    if a == "request.view":
        return tr("Dibuka")
    if a == "request.claim":
        return tr("Diambil untuk ditangani")
    if a == "request.release":
        return tr("Dikembalikan ke antrean")
    if a == "request.assign":
        return tr("Ditugaskan ulang")
    if a == "request.update":
        fields = ", ".join(tr(FIELD_LABELS.get(k, k)) for k in s)
        if "service_code" in s:
            return tr("Layanan diganti; data diubah: {fields}", fields=fields)
        return tr("Data diubah: {fields}", fields=fields)
    if a == "request.advance":
        text = tr("Status: {old} → {new}", old=_status(s.get("from")), new=_status(s.get("to")))
        if s.get("by_outbox") and s.get("reason"):
            text += " " + tr("({reason})", reason=str(s["reason"]).rstrip("."))
        if s.get("override"):
            text += " " + tr("(pengecualian: {reason})", reason=s["override"])
        return text
    if a == "request.reject":
        return tr("Ditolak: {reason}", reason=s.get("reason", ""))
    if a == "request.note":
        return tr("Catatan ditambahkan")
    if a == "request.check":
        if s.get("complete"):
            return tr("Hasil cek SOP: lengkap")
        return tr("Hasil cek SOP: {n} belum lengkap", n=len(s.get("missing", [])))
    if a == "attachment.add":
        text = tr("Berkas ditambahkan: {name}", name=s.get("name", ""))
        if s.get("role") == "issued":
            return tr("Dokumen terbit dilampirkan: {name}", name=s.get("name", ""))
        if s.get("requirement"):
            text += " " + tr("(untuk {label})", label=requirement_label(s["requirement"]))
        return text
    if a == "attachment.link":
        if s.get("to"):
            return tr("Berkas dikaitkan ke {label}", label=requirement_label(s["to"]))
        return tr("Berkas dilepas dari {label}", label=requirement_label(s.get("from") or "-"))
    if a == "attachment.remove":
        return tr("Berkas dihapus: {name}", name=s.get("name", ""))
    if a == "outbox.queue":
        if s.get("resend_of"):
            return tr("Pesan WhatsApp dikirim lagi (diantrekan ulang sebagai pesan baru)")
        purpose = tr(PURPOSES.get(s.get("purpose", ""), s.get("purpose", "pesan")))
        if s.get("document"):
            return tr("Dokumen diantrekan untuk dikirim lewat WhatsApp ke {to} (berkas sha256 {sha}…)",
                      to=s.get("to", "-"), sha=_sha(s.get("sha256")))
        return tr("Pesan WhatsApp diantrekan ({purpose})", purpose=purpose)
    if a == "outbox.delivered_to_whatsapp":
        what = tr("Dokumen {name} (sha256 {sha}…)", name=s["document"], sha=_sha(s.get("sha256"))) \
            if s.get("document") else tr("Pesan")
        if s.get("by") and s.get("by") != "whatsapp":
            return tr("{what} ke {to}: ditandai sudah terkirim oleh petugas", what=what, to=s.get("to", "-"))
        when = _iso_when(s["server_time"]) if s.get("server_time") else "-"
        return tr("{what} terkirim ke {to} lewat WhatsApp{sender}; diterima server WhatsApp {when}",
                  what=what, to=s.get("to", "-"), when=when,
                  sender=tr(" dari {account}", account=s["from"]) if s.get("from") else "")
    if a == "attachment.preview":
        return tr("Pratinjau PDF dibuka (sha256 {sha}…)", sha=_sha(s.get("sha256")))
    if a == "document.scan_checked":
        return tr("PDF pindaian diperiksa petugas sebelum dikirim (sha256 {sha}…)", sha=_sha(s.get("sha256")))
    if a == "message.receive":
        if s.get("file"):
            return tr("Pesan WhatsApp masuk dengan berkas {name}", name=s["file"])
        return tr("Pesan WhatsApp masuk")
    if a.startswith("outbox.") and s.get("to") in OutboxState.__members__.values():
        return tr("Pesan WhatsApp: {state}", state=outbox_label(s["to"]))
    return a


class HistoryView(QTableWidget):
    """Waktu (WITA) | Petugas | Keterangan, newest last."""

    def __init__(self, parent=None):
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels([tr("Waktu (WITA)"), tr("Petugas"), tr("Keterangan")])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # Rows follow the wrapped description whatever the column width turns out to be.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def set_records(self, records: list[AuditRecord], requirement_label: Callable[[str], str] = str,
                    names: dict[str, str] | None = None) -> None:
        """Show `records`; `names` maps user names to full names for the Petugas column."""
        names = names or {}
        self.setRowCount(len(records))
        for row, rec in enumerate(records):
            who = names.get(rec.actor_name) or tr(SYSTEM_NAMES.get(rec.actor_name, rec.actor_name))
            for col, text in enumerate((when_text(rec.at), who, describe_event(rec, requirement_label))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, col, item)
        self.scrollToBottom()

    def descriptions(self) -> list[str]:
        return [self.item(r, 2).text() for r in range(self.rowCount())]


class NotesView(QWidget):
    """Internal notes (never sent to the resident), with a button to add one."""

    add_clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.browser = QTextBrowser(self)
        self.add = QPushButton(tr("Tambah catatan…"), self)
        self.add.clicked.connect(lambda: self.add_clicked.emit())
        hint = QLabel(tr("Catatan hanya terlihat oleh petugas, tidak dikirim ke pemohon."), self)
        hint.setStyleSheet("color: #6b7280;")
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.add)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.browser, 1)

    def set_notes(self, notes: list[NoteInfo]) -> None:
        if not notes:
            self.browser.setHtml(f"<p style='color:#6b7280'>{html.escape(tr('Belum ada catatan.'))}</p>")
            return
        self.browser.setHtml("".join(
            f"<p><b>{html.escape(n.author_name)}</b> <span style='color:#6b7280'>· {when_text(n.created_at)}"
            f"</span><br>{html.escape(n.body).replace(chr(10), '<br>')}</p>" for n in notes))
