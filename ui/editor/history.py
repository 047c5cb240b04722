"""The conversation, history and notes tabs of the editor.

History rows come from the audit log; `describe_event` turns an event into Indonesian an
operator reads ("Status: Diperiksa → Diproses"), with times in WITA.
"""

from __future__ import annotations

import html
from collections.abc import Callable

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
from dikjamila.desk import ConversationEntry, NoteInfo
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.lifecycle import label as status_label
from dikjamila.whatsapp.outbox_state import REQUEUE_FROM, WENT_OUT, OutboxState
from dikjamila.whatsapp.outbox_state import label as outbox_label

FIELD_LABELS = {
    "applicant_name": "nama pemohon", "applicant_phone": "no. WhatsApp", "applicant_nik": "NIK pemohon",
    "subject_name": "nama yang bersangkutan", "subject_nik": "NIK yang bersangkutan",
    "kk_number": "nomor KK", "kecamatan_code": "kecamatan", "village_code": "desa",
    "service_code": "layanan", "facts": "data pemeriksaan",
}
PURPOSES = {"berkas_kurang": "berkas kurang", "pesan": "pesan"}


def when_text(at) -> str:
    return at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")


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
        return tr("Pesan WhatsApp diantrekan ({purpose})", purpose=purpose)
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
            who = names.get(rec.actor_name, rec.actor_name)
            for col, text in enumerate((when_text(rec.at), who, describe_event(rec, requirement_label))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.setItem(row, col, item)
        self.scrollToBottom()

    def descriptions(self) -> list[str]:
        return [self.item(r, 2).text() for r in range(self.rowCount())]


class ConversationView(QTextBrowser):
    """Messages from and to the resident, oldest first. An outgoing message that failed (or
    whose sending is uncertain) offers "Coba lagi"; one that went out offers "Kirim lagi"."""

    retry_requested = Signal(int)  # outbox item id: the same message, queued again
    resend_requested = Signal(int)  # outbox item id: a new message with the same content

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_link)
        self.actions_enabled = True

    def _on_link(self, url) -> None:
        kind, _, item = url.toString().partition(":")
        if item.isdigit() and self.actions_enabled:
            (self.retry_requested if kind == "coba-lagi" else self.resend_requested).emit(int(item))

    @staticmethod
    def _action(e: ConversationEntry) -> str:
        if e.outbox_id is None or e.direction != "out" or not e.state:
            return ""
        if e.state in REQUEUE_FROM or e.state == OutboxState.UNCERTAIN:
            return f" · <a href='coba-lagi:{e.outbox_id}'>{html.escape(tr('Coba lagi'))}</a>"
        if e.state in WENT_OUT:
            return f" · <a href='kirim-lagi:{e.outbox_id}'>{html.escape(tr('Kirim lagi'))}</a>"
        return ""

    def set_entries(self, entries: list[ConversationEntry]) -> None:
        if not entries:
            self.setHtml(f"<p style='color:#6b7280'>{html.escape(tr('Belum ada percakapan untuk permohonan ini.'))}</p>")
            return
        parts = []
        for e in entries:
            incoming = e.direction == "in"
            colour = "#f3f4f6" if incoming else "#dcfce7"
            state = "" if incoming or not e.state else " · " + outbox_label(e.state)
            doc = " · 📎" if e.has_document else ""
            meta = html.escape(f"{e.sender or '-'} · {when_text(e.at)}{state}{doc}")
            body = html.escape(e.text).replace("\n", "<br>")
            align = "left" if incoming else "right"
            parts.append(
                f"<table width='100%' cellspacing='0' cellpadding='6'><tr><td align='{align}'>"
                f"<div style='background:{colour}'><span style='color:#6b7280;font-size:small'>{meta}"
                f"{'' if incoming else self._action(e)}</span>"
                f"<br>{body}</div></td></tr></table>")
        self.setHtml("".join(parts))
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


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
