"""The "Dokumen" drop-down of the editor's action bar: receipt, berkas-kurang notice, archive
bundle, IKM survey and its invitation. `apply(detail, report)` says what fits the request now;
a disabled entry's tooltip says why (the desk checks every rule again)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from dikjamila.desk import RequestDetail
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.sop import CompletenessReport

#: The request is finished for the survey: the document went out, or the case is closed.
FINISHED = (Status.TERKIRIM, Status.SELESAI)
_CHECKING = (Status.BARU, Status.DIPERIKSA, Status.BERKAS_KURANG)


class DocumentsButton(QPushButton):
    """A push button (like its neighbours in the bar) that opens the documents menu; the entries
    are QActions the editor connects."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setText(tr("Dokumen"))
        self.setToolTip(tr("Tanda terima, surat berkas kurang, bundel arsip, survei IKM"))
        self.setAutoDefault(False)
        self.entries = QMenu(self)
        self.entries.setToolTipsVisible(True)
        self.receipt = self._action(tr("Tanda terima…"), tr("Lihat, cetak atau kirim tanda terima permohonan"))
        self.notice = self._action(tr("Surat berkas kurang…"), "")
        self.bundle = self._action(tr("Bundel arsip (PDF)…"), tr("Satu PDF berisi data permohonan dan semua "
                                                                 "berkasnya, untuk arsip"))
        self.entries.addSeparator()
        self.survey = self._action(tr("Isi survei IKM…"), "")
        self.invite = self._action(tr("Kirim undangan survei"), "")
        self.setMenu(self.entries)  # a click opens it (an arrow shows there is one)

    def _action(self, text: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        self.entries.addAction(action)
        return action

    def apply(self, detail: RequestDetail | None, report: CompletenessReport | None, *, may_send: bool,
              may_survey: bool) -> None:
        """Enable what fits `detail` now (None: nothing loaded)."""
        if detail is None:
            for action in self.entries.actions():
                action.setEnabled(False)
            return
        status = detail.status
        self.receipt.setEnabled(True)
        missing = status == Status.BERKAS_KURANG or (
            status in _CHECKING and report is not None and not report.complete)
        _set(self.notice, missing, tr("Lihat, cetak atau kirim surat daftar berkas yang kurang"),
             tr("Berkas permohonan ini tidak ada yang kurang."))
        _set(self.bundle, bool(detail.attachments), tr("Satu PDF berisi data permohonan dan semua berkasnya, "
                                                       "untuk arsip"), tr("Belum ada berkas di permohonan ini."))
        finished = status in FINISHED
        not_yet = tr("Survei diisi setelah permohonan terkirim atau selesai.")
        _set(self.survey, finished and may_survey, tr("Isi jawaban survei kepuasan (U1–U9) bersama pemohon"),
             not_yet if not finished else tr("Peran Anda tidak boleh mengisi survei."))
        why_not = not_yet if not finished else (
            tr("Nomor WhatsApp pemohon belum diisi.") if not detail.applicant_phone else
            tr("Peran Anda tidak boleh mengirim pesan.") if not may_send else "")
        _set(self.invite, not why_not, tr("Kirim undangan survei kepuasan ke WhatsApp pemohon"), why_not)


def _set(action: QAction, enabled: bool, tip: str, why_not: str) -> None:
    action.setEnabled(enabled)
    action.setToolTip(tip if enabled else why_not)
