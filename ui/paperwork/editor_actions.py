"""The editor's paperwork actions, mixed into RequestEditor: the "Dokumen" menu.

Receipt and berkas-kurang notice are made by the desk on the database worker (a second or
so) and shown in a preview window (`GeneratedPdfPreview`) to print, save or send to the
resident's WhatsApp. The archive bundle holds every file of the request, so it is made on the
executor behind a progress window with "Batal". The IKM survey opens its form
(`SurveyDialog`); the invitation is queued like any message. Refusals of the desk (e.g. no
phone number, not finished yet, already answered) show in the editor's message bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from dikjamila.auth.roles import Permission
from dikjamila.desk.timezone import WITA
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from ui.executor import Task
from ui.paperwork.documents_button import DocumentsButton
from ui.paperwork.pdf_preview import GeneratedPdfPreview
from ui.paperwork.survey_dialog import SurveyDialog
from ui.whatsapp.phone import phone_display

if TYPE_CHECKING:
    from ui.editor.host import (
        EditorHost as _Host,  # the mixins see only what the editor declares
    )
else:
    _Host = object

#: kind → (title, passed through `tr` where shown; the desk method making it; the one sending it).
PAPERS = {
    "receipt": ("Tanda terima permohonan", "receipt_pdf", "send_receipt"),
    "notice": ("Surat pemberitahuan berkas kurang", "notice_pdf", "send_notice"),
    "bundle": ("Bundel arsip", "bundle_pdf", ""),
}


@dataclass
class _Refused:
    """A desk refusal, passed back as a value so the preview can hear of it too."""

    message: str


@dataclass
class PaperworkState:
    """The open preview windows (one per kind) and the bundle job, if any."""

    button: DocumentsButton
    # NOTE: a window closed by the operator is deleted; its entry stays until replaced (test
    # with shiboken6.isValid), and repr() must not touch it.
    previews: dict[str, GeneratedPdfPreview] = field(default_factory=dict, repr=False)
    bundle_task: Task | None = None
    survey: SurveyDialog | None = field(default=None, repr=False)


class PaperworkActions(_Host):
    paperwork: PaperworkState

    def connect_paperwork(self, button: DocumentsButton) -> None:
        """Wire the action bar's "Dokumen" button; its entries follow every (re)load."""
        self.paperwork = PaperworkState(button)
        button.receipt.triggered.connect(lambda: self.show_paper("receipt"))
        button.notice.triggered.connect(lambda: self.show_paper("notice"))
        button.bundle.triggered.connect(self.make_bundle)
        button.survey.triggered.connect(self.fill_survey)
        button.invite.triggered.connect(self.invite_survey)
        self.loaded.connect(self._apply_paperwork_state)
        button.apply(None, None, may_send=False, may_survey=False)

    def _apply_paperwork_state(self) -> None:
        self.paperwork.button.apply(self.detail, self.report, may_send=self.ctx.can(Permission.EDIT_REQUEST),
                                    may_survey=self.ctx.can(Permission.RECORD_SURVEY))

    # -- receipt and notice ----------------------------------------------------------------------
    def show_paper(self, kind: str) -> None:
        """Make the `kind` PDF ("receipt" or "notice") on the worker and show it."""
        if self.detail is None:
            return
        title, make, _send = PAPERS[kind]
        desk, rid = self.ctx.desk, self._request_id
        self.ctx.submit(lambda: getattr(desk, make)(rid), self._guard(lambda pdf: self._show_preview(kind, pdf)),
                        self._guard(lambda message: self.message_bar.show_message(message, "error")),
                        label=tr("Membuat {what}…", what=tr(title).lower()))

    def _show_preview(self, kind: str, pdf: Any) -> GeneratedPdfPreview:
        old = self.paperwork.previews.pop(kind, None)
        if old is not None and shiboken6.isValid(old):
            old.close()  # a fresh copy replaces the one shown before
        title, _make, send = PAPERS[kind]
        d = self.detail
        can_send = bool(send) and d is not None and bool(d.applicant_phone) and self.ctx.can(Permission.EDIT_REQUEST)
        preview = GeneratedPdfPreview(self.ctx.executor, pdf.data, pdf.file_name,
                                      tr("{title} · {number}", title=tr(title), number=d.number if d else ""),
                                      can_send=can_send, parent=self.as_widget())
        preview.send_requested.connect(lambda: self._send_paper(kind, preview))
        self.paperwork.previews[kind] = preview
        preview.show()
        preview.raise_()
        return preview

    def _send_paper(self, kind: str, preview: GeneratedPdfPreview) -> None:
        title, _make, send = PAPERS[kind]
        desk, rid = self.ctx.desk, self._request_id
        phone = phone_display(self.detail.applicant_phone if self.detail else "")
        preview.set_sending(True)

        def then(result) -> tuple[str, str]:
            alive = shiboken6.isValid(preview)
            if isinstance(result, _Refused):
                if alive:
                    preview.set_sending(False)
                    preview.show_message(result.message, "error")
                return tr("Tidak dikirim: {reason}", reason=result.message), "error"
            text = tr("{what} masuk antrean kirim ke WhatsApp {phone}.", what=tr(title), phone=phone)
            if alive:
                preview.set_sent(text)
            return text, "info"

        self._change(_refusals_as_values(lambda: getattr(desk, send)(rid)), label=tr("Mengantrekan…"), then=then)

    # -- archive bundle ---------------------------------------------------------------------------
    def make_bundle(self) -> None:
        """The archive bundle on the executor (it reads every file), with progress and "Batal"."""
        if self.detail is None or self.paperwork.bundle_task is not None:
            return
        desk, rid = self.ctx.desk, self._request_id
        progress = QProgressDialog(tr("Menyusun bundel arsip…"), tr("Batal"), 0, 0, self.as_widget())
        progress.setWindowTitle(tr("Bundel arsip"))
        progress.setWindowModality(Qt.WindowModality.NonModal)
        progress.setMinimumDuration(0)
        progress.setMinimumWidth(360)

        def finish() -> None:
            self.paperwork.bundle_task = None
            progress.canceled.disconnect(cancel)  # NOTE: closing the dialog emits `canceled` too
            progress.close()
            progress.deleteLater()

        def cancel() -> None:
            task.cancel()  # no callback follows
            finish()

        def done(pdf) -> None:
            finish()
            self._show_preview("bundle", pdf)
            self.message_bar.show_message(tr("Bundel arsip siap ({n} halaman).", n=pdf.pages), "info")

        def failed(message: str) -> None:
            finish()
            self.message_bar.show_message(tr("Bundel arsip tidak dapat dibuat: {reason}", reason=message), "error")

        task = self.ctx.executor.start(lambda _state: desk.bundle_pdf(rid), done, failed,
                                       label=tr("Menyusun bundel arsip"), owner=self.as_widget())
        progress.canceled.connect(cancel)
        self.paperwork.bundle_task = task
        progress.show()

    # -- IKM survey --------------------------------------------------------------------------------
    def fill_survey(self) -> None:
        """The survey form (non-modal), unless the request was answered already (asked on the
        worker first); once saved, the editor reloads (its history shows it)."""
        if self.detail is None:
            return
        old = self.paperwork.survey
        if old is not None and shiboken6.isValid(old) and old.isVisible():
            old.raise_()
            return
        desk, rid = self.ctx.desk, self._request_id
        self.ctx.submit(lambda: desk.survey_for(rid), self._guard(self._open_survey),
                        self._guard(lambda message: self.message_bar.show_message(message, "error")),
                        label=tr("Memeriksa survei…"))

    def _open_survey(self, answered) -> None:
        if (d := self.detail) is None:
            return
        if answered is not None:
            when = answered.answered_at.astimezone(WITA).strftime("%d-%m-%Y %H.%M")
            self.message_bar.show_message(tr(
                "Survei IKM permohonan ini sudah diisi ({when} WITA, nilai {scores}); satu permohonan satu "
                "penilaian.", when=when, scores=" ".join(map(str, answered.scores))), "warning")
            return
        dialog = SurveyDialog(self.ctx, self._request_id, heading=f"{d.number} · {d.applicant_name}",
                              parent=self.as_widget())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._guard(lambda _result: self._change(
            lambda: None, label=tr("Memuat ulang…"), done=tr("Jawaban survei IKM disimpan. Terima kasih."))))
        self.paperwork.survey = dialog
        dialog.open()

    def invite_survey(self) -> None:
        """Queue the survey invitation to the applicant's WhatsApp."""
        if self.detail is None:
            return
        desk, rid = self.ctx.desk, self._request_id
        phone = phone_display(self.detail.applicant_phone)

        def then(result) -> tuple[str, str]:
            if isinstance(result, _Refused):
                return tr("Undangan survei tidak dikirim: {reason}", reason=result.message), "error"
            return tr("Undangan survei masuk antrean kirim ke WhatsApp {phone}.", phone=phone), "info"

        self._change(_refusals_as_values(lambda: desk.invite_survey(rid)), label=tr("Mengantrekan undangan…"),
                     then=then)


def _refusals_as_values(fn):
    """A job whose refusal (any UserError) comes back as `_Refused` rather than as a failure."""
    def job():
        try:
            return fn()
        except UserError as exc:
            return _Refused(exc.message)
    return job
