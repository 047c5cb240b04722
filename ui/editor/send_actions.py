"""The editor's WhatsApp actions, mixed into RequestEditor: send the issued PDF, reply, quick replies.

"Kirim dokumen lewat WhatsApp" checks first (`Desk.document_check`): a PDF that seems to be
someone else's is refused; one whose preview was not opened is shown in the preview pane and
the operator presses again after looking; a scan (no text to compare) needs "Sudah saya
periksa". The desk checks all of it again when queueing. The belongs-to check also runs when
the issued PDF is attached (`FileActions.attach_issued`), as a warning the operator sees at
once. `confirm_scan` and `confirm` are the dialogs; tests replace them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMessageBox

from dikjamila.desk.outbox import OutboxInfo
from dikjamila.desk.sending import DocumentCheck
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.whatsapp.outbox_state import WENT_OUT, OutboxState
from dikjamila.whatsapp.outbox_state import label as outbox_label
from ui.whatsapp.phone import phone_display
from ui.whatsapp.quick_replies import quick_reply_values

if TYPE_CHECKING:
    from ui.editor.host import EditorHost as _Host  # the mixins see only what the editor declares
else:
    _Host = object


class SendActions(_Host):
    """Uses what `ui.editor.host.EditorHost` declares (ctx, detail, message_bar, preview, the
    `_change` runner, `show_attachment`, the conversation tab…)."""

    # -- the issued document ---------------------------------------------------------------
    def send_document(self) -> None:
        # NOTE: nothing here sends the row version, so a reload under way need not be waited for.
        if self.detail is None:
            return
        desk, rid = self.ctx.desk, self._request_id
        self.ctx.submit(lambda: desk.document_check(rid), self._guard(self._document_checked),
                        self._guard(lambda message: self.message_bar.show_message(message, "error")),
                        label=tr("Memeriksa dokumen…"))

    def _document_checked(self, check: DocumentCheck) -> None:
        if (d := self.detail) is None:
            return
        if check.attachment_id is None:
            self.message_bar.show_message(tr("Lampirkan dulu PDF dokumen yang terbit."), "error")
            return
        if check.problem:
            self.message_bar.show_message(tr("Dokumen tidak dikirim: {problem}", problem=check.problem), "error")
            return
        if not check.previewed:
            self.show_attachment(check.attachment_id)
            self.message_bar.show_message(tr(
                "Periksa dulu PDF terbit di pratinjau sebelah kanan (nama, NIK, nomor dokumen). Bila sudah "
                "benar, tekan \"Kirim dokumen lewat WhatsApp\" sekali lagi."), "warning")
            return
        scan = not check.has_text
        if scan and not self.confirm_scan():
            return
        again = d.status == Status.TERKIRIM
        if again and not self.confirm(tr("Dokumen ini sudah pernah terkirim. Kirim sekali lagi ke {phone}?",
                                         phone=phone_display(d.applicant_phone))):
            return
        desk, rid = self.ctx.desk, self._request_id

        def job() -> OutboxInfo:
            item = desk.outbox_item(desk.send_issued_document(rid, scan_checked=scan))
            if again and item.state in WENT_OUT:
                item = desk.resend_message(item.id)  # the same document, once more, on purpose
            return item

        self._change(job, label=tr("Mengantrekan dokumen…"), then=self._document_queued)

    def _document_queued(self, item: OutboxInfo) -> tuple[str, str]:
        to = phone_display(item.recipient)
        if item.state in (OutboxState.QUEUED, OutboxState.SENDING):
            self.show_status(tr("Dokumen masuk antrean kirim ke {to}.", to=to))
            self.tabs.setCurrentWidget(self.conversation_tab)  # the caption in full, and its marks
            return tr("Dokumen masuk antrean kirim ke {to}. Keterangan yang ikut terkirim: “{caption}” "
                      "(lengkapnya di tab Percakapan).", to=to, caption=_opening(item.text)), "info"
        if item.state in WENT_OUT:
            return tr("Dokumen ini sudah {state} ke {to} sebelumnya; tidak dikirim dua kali. Untuk mengirim "
                      "sekali lagi, pakai \"Kirim lagi\" di tab Percakapan.", state=outbox_label(item.state),
                      to=to), "warning"
        return tr("Pengiriman dokumen ini sebelumnya {state}. Lihat WhatsApp → Antrean kirim.",
                  state=outbox_label(item.state)), "warning"

    def show_status(self, text: str) -> None:
        """A message in the main window's status bar (when the editor sits in one)."""
        window = self.as_widget().window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)

    # -- replies ------------------------------------------------------------------------------
    def send_reply(self, text: str) -> None:
        """Queue the reply box's text to the applicant; the box empties once it is queued."""
        text = text.strip()
        if self.detail is None or not text:
            return
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.queue_message(rid, text), label=tr("Mengantrekan balasan…"),
                     done=tr("Balasan masuk antrean kirim WhatsApp."),
                     then=lambda _item_id: self.conversation_tab.clear_reply())

    def fill_quick_reply(self, name: str) -> None:
        """Render template `name` for this request (on the worker) into the reply box for editing."""
        if (d := self.detail) is None:
            return
        values = quick_reply_values(d, self.sop.name if self.sop else d.service_code)
        office = self.ctx.office

        def filled(text: str) -> None:
            typed = self.conversation_tab.text()
            self.conversation_tab.set_reply_text(f"{typed}\n\n{text}" if typed else text)

        self.ctx.submit(lambda: office.templates.render(name, **values), self._guard(filled),
                        self._guard(lambda message: self.message_bar.show_message(message, "error")),
                        label=tr("Menyiapkan balasan…"))

    # -- dialogs (small methods tests replace) -------------------------------------------------
    def confirm_scan(self) -> bool:
        """The PDF has no text to compare: the operator confirms they checked it by eye (default No)."""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("PDF hasil pindaian"), tr(
            "PDF ini hasil pindaian (tanpa teks), jadi NIK di dalamnya tidak bisa dicocokkan otomatis.\n\n"
            "Periksa isinya di pratinjau: nama, NIK dan nomor dokumen harus milik pemohon ini. "
            "Konfirmasi Anda dicatat di riwayat."), QMessageBox.StandardButton.NoButton, self.as_widget())
        yes = box.addButton(tr("Sudah saya periksa, kirim"), QMessageBox.ButtonRole.YesRole)
        no = box.addButton(tr("Batal"), QMessageBox.ButtonRole.NoRole)
        box.setDefaultButton(no)
        box.exec()
        return box.clickedButton() is yes


def _opening(text: str, limit: int = 120) -> str:
    """The start of a caption on one line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
