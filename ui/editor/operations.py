"""The editor's actions, mixed into RequestEditor (as the desk mixes its Ops).

Each change runs through the editor's `_change` (worker, then announce and reload); the
dialogs are small methods that tests replace.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from dikjamila.auth.roles import Permission
from dikjamila.desk.sending import DocumentCheck
from dikjamila.errors import Conflict, InvalidInput, UserError
from dikjamila.guards import MIN_REASON, reason_problem
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.lifecycle import Status, next_statuses
from dikjamila.lifecycle import label as status_label
from ui.editor.dialogs import ask_missing_message, ask_text

if TYPE_CHECKING:
    from ui.editor.host import EditorHost as _Host  # the mixins see only what the editor declares
else:
    _Host = object


class WorkflowActions(_Host):
    """The editor's workflow actions, mixed into RequestEditor (as the desk mixes its Ops).

    Uses what `ui.editor.host.EditorHost` declares (ctx, detail, sop, report, message_bar,
    the `_change` runner…). The
    `ask_*`, `edit_missing_message` and `confirm` methods are the dialogs; tests replace them.
    """

    def claim(self) -> None:
        desk, rid, me = self.ctx.desk, self._request_id, self.ctx.actor
        d = self.detail
        held = d is not None and d.assignee_id not in (None, me.id)
        if d is not None and held and self.ctx.can(Permission.REASSIGN):
            # A supervisor takes the request over explicitly; a plain claim would be refused.
            if not self.confirm(tr("Ambil alih permohonan ini dari {name}?", name=d.assignee_name)):
                return
            work = lambda: desk.assign(rid, me.id)  # noqa: E731
        else:
            work = lambda: desk.claim(rid)  # noqa: E731
        self._change(work, label=tr("Mengambil…"), done=tr("Permohonan ini sekarang Anda tangani."))

    def release(self) -> None:
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.release(rid), label=tr("Melepaskan…"), done=tr("Permohonan dikembalikan ke antrean."))

    def advance(self, target: str, override_reason: str = "") -> None:
        if (d := self.ready_detail()) is None:
            return
        desk, rid, version = self.ctx.desk, self._request_id, d.row_version
        self._change(lambda: desk.advance(rid, target, expected_version=version, override_reason=override_reason),
                     label=tr("Memindahkan status…"),
                     done=tr("Status sekarang: {status}.", status=status_label(target)))

    def override(self) -> None:
        reason = self.ask_override_reason()
        if reason:
            self.advance(Status.DIPROSES.value, override_reason=reason)

    def reject(self) -> None:
        if (d := self.ready_detail()) is None:
            return
        reason = self.ask_reject_reason()
        if not reason:
            return
        if problem := reason_problem(reason, what=tr("penolakan")):
            self.message_bar.show_message(problem, "error")
            return
        desk, rid, version = self.ctx.desk, self._request_id, d.row_version
        self._change(lambda: desk.reject(rid, reason, expected_version=version), label=tr("Menolak…"),
                     done=tr("Permohonan ditolak."))

    def add_note(self) -> None:
        body = self.ask_note()
        if body:
            desk, rid = self.ctx.desk, self._request_id
            self._change(lambda: desk.add_note(rid, body), label=tr("Menyimpan catatan…"), done=tr("Catatan disimpan."))

    def send_missing_message(self) -> None:
        if (d := self.ready_detail()) is None or self.report is None or self.report.complete:
            return
        pickup = self.sop.ends_in_pickup if self.sop else False
        can_mark = Status.BERKAS_KURANG in next_statuses(d.status, ends_in_pickup=pickup) \
            and self.ctx.can(Permission.ADVANCE)
        answer = self.edit_missing_message(self.report.missing_message, can_mark)
        if not answer:
            return
        text, mark = answer
        desk, rid, version = self.ctx.desk, self._request_id, d.row_version

        def job():
            desk.queue_message(rid, text, purpose="berkas_kurang")
            if mark:
                desk.advance(rid, Status.BERKAS_KURANG.value, expected_version=version)

        done = tr("Pesan berkas kurang masuk antrean kirim WhatsApp.")
        if mark:
            done += " " + tr("Status sekarang: {status}.", status=status_label(Status.BERKAS_KURANG))
        self._change(job, label=tr("Mengantrekan pesan…"), done=done)

    def retry_message(self, item_id: int) -> None:
        """"Coba lagi": the same outbox item queued again (no second message is made)."""
        desk = self.ctx.desk
        self._change(lambda: desk.retry_message(item_id), label=tr("Mengantrekan ulang…"),
                     done=tr("Pesan masuk antrean kirim lagi."))

    def complaint_from_message(self, message_id: int) -> None:
        """"Jadikan pengaduan" on a received message: one complaint per message (the core decides)."""
        desk = self.ctx.desk
        self._change(lambda: desk.complaint_from_message(message_id), label=tr("Mencatat pengaduan…"),
                     then=lambda info: (tr("Pengaduan #{id} dicatat (Supervisi → Pengaduan).", id=info.id), "info"))

    def resend_message(self, item_id: int) -> None:
        """"Kirim lagi": a message that went out is sent once more, as a new item."""
        if not self.confirm(tr("Kirim pesan ini sekali lagi ke pemohon?")):
            return
        desk = self.ctx.desk
        self._change(lambda: desk.resend_message(item_id), label=tr("Mengantrekan…"),
                     done=tr("Pesan diantrekan untuk dikirim lagi."))

    # -- dialogs (small methods tests replace) ---------------------------------------------
    def ask_reject_reason(self) -> str | None:
        return ask_text(self.as_widget(), title=tr("Tolak permohonan"), min_length=MIN_REASON, ok_text=tr("Tolak"),
                        prompt=tr("Tulis alasan penolakan. Alasan ini disimpan dan dapat disampaikan ke pemohon."))

    def ask_override_reason(self) -> str | None:
        return ask_text(self.as_widget(), title=tr("Lanjut dengan pengecualian"), min_length=MIN_REASON, ok_text=tr("Lanjutkan"),
                        prompt=tr("Berkas belum lengkap. Tulis alasan memproses permohonan ini (dicatat di riwayat):"))

    def ask_note(self) -> str | None:
        return ask_text(self.as_widget(), title=tr("Tambah catatan"), prompt=tr("Catatan untuk petugas (tidak dikirim ke pemohon):"))

    def edit_missing_message(self, text: str, can_mark: bool) -> tuple[str, bool] | None:
        phone = self.detail.applicant_phone if self.detail else ""
        try:
            phone = normalize_phone(phone).display
        except InvalidInput:
            pass
        return ask_missing_message(self.as_widget(), text, phone=phone, can_mark=can_mark)

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(self.as_widget(), tr("Dik Jamila"), text)
        return answer == QMessageBox.StandardButton.Yes


class FileActions(_Host):
    """The editor's file actions, mixed into RequestEditor (as the desk mixes its Ops).

    Uses what `ui.editor.host.EditorHost` declares (ctx, detail, checklist, preview, the
    `_change` runner…).
    `choose_files` and `choose_issued_pdf` are the file dialogs; tests replace them.
    """

    def attach_to_requirement(self, code: str) -> None:
        paths = self.choose_files()
        if paths:
            self.attach_files(code, [(Path(p), Path(p).name) for p in paths])

    def attach_files(self, code: str | None, files: list) -> None:
        """Attach files ((Path | bytes, name) pairs) to requirement `code` (None: unlinked)."""
        if not files:
            return
        if self.detail is None or not self._state().editable:
            self.message_bar.show_message(tr("Berkas tidak dapat dilampirkan ke permohonan ini sekarang."), "error")
            return
        desk, rid = self.ctx.desk, self._request_id

        def job():
            added, refused = [], []
            for source, name in files:
                try:
                    added.append(desk.attach_file(rid, source, name, requirement_code=code))
                except Conflict:
                    raise
                except UserError as exc:
                    refused.append(exc.message)
            return added, refused

        def then(result) -> tuple[str, str] | None:
            added, refused = result
            if added:
                self._preview_next = added[-1].id
            if refused:
                text = tr("{n} berkas dilampirkan; ditolak: {why}", n=len(added), why=" ".join(refused))
                return text, ("warning" if added else "error")
            return None

        where = tr(" untuk {label}", label=self._requirement_label(code)) if code else ""
        self._change(job, label=tr("Melampirkan berkas…"), then=then,
                     done=tr("{n} berkas dilampirkan{where}.", n=len(files), where=where))

    def replace_file(self, attachment_id: int, code: str) -> None:
        paths = self.choose_files()
        if not paths:
            return
        desk, rid = self.ctx.desk, self._request_id

        def job():
            added = [desk.attach_file(rid, Path(p), Path(p).name, requirement_code=code) for p in paths]
            desk.remove_attachment(attachment_id)  # only after the new file is safely in
            return added

        self._change(job, label=tr("Mengganti berkas…"), done=tr("Berkas diganti."),
                     then=lambda added: self._preview_after(added[-1]))

    def link(self, attachment_id: int, code: str | None) -> None:
        desk = self.ctx.desk
        done = tr("Berkas dikaitkan ke {label}.", label=self._requirement_label(code)) if code \
            else tr("Berkas dilepas; sekarang ada di Belum dikaitkan.")
        self._change(lambda: desk.link_attachment(attachment_id, code), label=tr("Mengaitkan berkas…"), done=done)

    def link_all(self, pairs: list) -> None:
        """"Terima semua saran": every suggested file onto its checklist item, in one job."""
        desk = self.ctx.desk

        def job() -> int:
            for attachment_id, code in pairs:
                desk.link_attachment(attachment_id, code)
            return len(pairs)

        self._change(job, label=tr("Mengaitkan berkas…"), done=tr("{n} berkas dikaitkan sesuai saran.", n=len(pairs)))

    def remove_file(self, attachment_id: int) -> None:
        att = self._attachment(attachment_id)
        if att is None or not self.confirm(tr("Hapus berkas {name} dari permohonan ini?", name=att.original_name)):
            return
        desk = self.ctx.desk
        self._change(lambda: desk.remove_attachment(attachment_id), label=tr("Menghapus berkas…"),
                     done=tr("Berkas {name} dihapus.", name=att.original_name))

    def attach_issued(self) -> None:
        path = self.choose_issued_pdf()
        if path is None:
            return
        desk, rid = self.ctx.desk, self._request_id
        self._change(lambda: desk.attach_file(rid, Path(path), Path(path).name, role="issued", origin="issued"),
                     label=tr("Melampirkan dokumen terbit…"), done=tr("Dokumen terbit dilampirkan."),
                     then=self._issued_attached)

    def _issued_attached(self, att) -> None:
        self._preview_after(att)
        self._check_issued(att.id)

    def _check_issued(self, attachment_id: int) -> None:
        """The belongs-to check, run as the issued PDF is attached (and again before queueing).

        NOTE: submitted before the reload that follows the attach, so on the one worker the
        warning is up by the time the editor shows the new file.
        """
        desk, rid = self.ctx.desk, self._request_id

        def checked(check: DocumentCheck) -> None:
            if check.attachment_id != attachment_id:  # another issued PDF came meanwhile
                return
            if check.problem:
                self.message_bar.show_message(tr(
                    "{problem} PDF ini tidak dapat dikirim ke pemohon sebelum diganti dengan PDF miliknya.",
                    problem=check.problem), "warning")
            elif not check.has_text:
                self.message_bar.show_message(tr(
                    "PDF terbit ini hasil pindaian (tanpa teks), jadi NIK di dalamnya tidak bisa dicocokkan "
                    "otomatis. Periksa isinya di pratinjau (nama, NIK, nomor dokumen) sebelum mengirimnya."),
                    "warning")

        self.ctx.submit(lambda: desk.document_check(rid), self._guard(checked),
                        self._guard(lambda message: self.message_bar.show_message(message, "error")),
                        label=tr("Memeriksa dokumen…"))

    def _preview_after(self, att) -> None:
        self._preview_next = att.id

    def show_attachment(self, attachment_id: int) -> None:
        """Show a file in the preview pane (its blob path is found on the worker)."""
        att = self._attachment(attachment_id)
        if att is None:
            return
        self.previewed_id = attachment_id
        desk = self.ctx.desk

        def shown(path) -> None:
            if self.previewed_id == attachment_id:
                if att.kind == "pdf":  # seeing a PDF is recorded once it has loaded (the send rule reads it)
                    self.preview_recorder.expect(Path(path), attachment_id)
                self.preview.show_file(Path(path), att.kind, att.original_name)
                self.checklist.set_selected(attachment_id)

        self.ctx.submit(lambda: desk.blob_path(att.blob_sha256), self._guard(shown),
                        self._guard(lambda m: self.preview.clear(m)), label=tr("Membuka berkas…"))

    def _attachment(self, attachment_id: int):
        return next((a for a in (self.detail.attachments if self.detail else []) if a.id == attachment_id), None)

    # -- dialogs (small methods tests replace) ---------------------------------------------
    def choose_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            self.as_widget(), tr("Pilih berkas"), "", tr("Foto atau PDF (*.jpg *.jpeg *.png *.heic *.webp *.pdf);;Semua berkas (*)"))
        return [Path(n) for n in names]

    def choose_issued_pdf(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self.as_widget(), tr("Pilih PDF dokumen terbit"), "", tr("PDF (*.pdf)"))
        return Path(name) if name else None
