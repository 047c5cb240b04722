"""The first-run setup wizard (issue 12): office, request numbers, WhatsApp, operators' accounts,
SIAK folder and backup — shown once after the admin account of a new office is made, and any
time later from the admin's menu (`open_setup_wizard`).

Every page is checked before "Lanjut"; nothing is saved until "Selesai", which saves everything
in one call on the database worker (`ui.setup.save.save_setup`: settings in one transaction, then
the accounts). A refusal is shown on the last page and the wizard stays open with what was typed.
"Nanti saja" (or closing the window) marks the setup as offered (`setup_done`) so it is not shown
again. Linking the office phone needs the main window's WhatsApp dialog: the wizard only says
that it was asked for (`connect_now`); the caller opens the dialog once the wizard has closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QWizard

from dikjamila.auth.roles import ROLE_LABELS, Actor
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from ui.setup.accounts_page import AccountsPage
from ui.setup.pages import (
    BackupPage,
    OfficePage,
    PrefixPage,
    SiakPage,
    SummaryPage,
    WhatsAppPage,
)
from ui.setup.save import (
    SaveProgress,
    SetupPlan,
    check_backup_target,
    check_siak_folder,
    save_setup,
    skip_setup,
)
from ui.worker import DbWorker

log = logging.getLogger(__name__)


class SetupWizard(QWizard):
    """`saved` after "Selesai" succeeded; `connect_now` when the office phone is to be linked now."""

    def __init__(self, office, actor: Actor, worker: DbWorker, parent=None):
        super().__init__(parent)
        self.office, self.actor, self.worker = office, actor, worker
        self.saved = False
        self.saving = False
        self.progress = SaveProgress()  # what an earlier "Selesai" saved before it failed
        self.setWindowTitle(tr("Persiapan kantor — Dik Jamila"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setMinimumSize(640, 500)
        self.resize(780, 580)  # fits a 1366×768 screen with the task bar
        for button, text in ((QWizard.WizardButton.BackButton, "Kembali"),
                             (QWizard.WizardButton.NextButton, "Lanjut"),
                             (QWizard.WizardButton.FinishButton, "Selesai"),
                             (QWizard.WizardButton.CancelButton, "Nanti saja")):
            self.setButtonText(button, tr(text))
        s = office.settings
        submit = worker.submit
        self.office_page = OfficePage(s, self)
        self.prefix_page = PrefixPage(s, self)
        self.whatsapp_page = WhatsAppPage(s, self)
        self.accounts_page = AccountsPage(actor.username, self)
        self.siak_page = SiakPage(s, submit, check_siak_folder, self)
        self.backup_page = BackupPage(s, office.db.engine.dialect.name != "sqlite", submit,
                                      lambda folder: check_backup_target(office, folder), self)
        self.summary_page = SummaryPage(self.describe, self)
        self.pages = [self.office_page, self.prefix_page, self.whatsapp_page, self.accounts_page, self.siak_page,
                      self.backup_page, self.summary_page]
        for page in self.pages:
            self.addPage(page)

    @property
    def connect_now(self) -> bool:
        return self.saved and self.whatsapp_page.connect_now

    def plan(self) -> SetupPlan:
        changes: dict = {}
        for page in self.pages:
            page.apply(changes)
        changes["setup_done"] = True
        return SetupPlan(changes, list(self.accounts_page.accounts), self.whatsapp_page.connect_now)

    def describe(self) -> str:
        """The summary page's text (plain, one line per choice)."""
        c = self.plan().changes
        numbers = ", ".join(normalize_phone(n).display for n in c["whatsapp_numbers"]) or tr("(belum ada)")
        accounts = ", ".join(f"{a.username} ({tr(ROLE_LABELS.get(a.role, a.role))})"
                             for a in self.accounts_page.accounts) or tr("(tidak ada akun baru)")
        if c["backup_dir"]:
            backup = tr("{path}, {when}, simpan {n} salinan", path=c["backup_dir"], n=c["backup_keep"],
                        when=tr("setiap hari") if c["backup_daily"] else tr("hanya bila diminta"))
        else:
            backup = tr("(tanpa cadangan otomatis)")
        lines = [
            (tr("Kantor"), f"{c['office_name']} — {c['office_address'] or tr('(tanpa alamat)')}"),
            (tr("Nomor permohonan"), f"{c['request_number_prefix']}-20261127-0001"),
            (tr("WhatsApp"), numbers + (tr(" — dihubungkan setelah ini") if self.whatsapp_page.connect_now else "")),
            (tr("Akun baru"), accounts),
            (tr("Folder SIAK"), c["watch_siak_dir"] or tr("(belum diatur)")),
            (tr("Cadangan"), backup),
        ]
        return "\n".join(f"{label}: {value}" for label, value in lines)

    # -- the two ways out ------------------------------------------------------------------------
    def accept(self) -> None:
        """"Selesai": save everything on the worker; close only once it is saved."""
        if self.saving:
            return
        plan = self.plan()
        self._set_saving(True)
        self.summary_page.message.setText(tr("Menyimpan…"))
        office, actor, progress = self.office, self.actor, self.progress
        self.worker.submit(lambda: save_setup(office, actor, plan, progress), self._saved, self._refused,
                           label=tr("Menyimpan persiapan kantor…"))

    def _saved(self, _made) -> None:
        self._set_saving(False)
        self.saved = True
        super().accept()

    def _refused(self, message: str) -> None:
        self._set_saving(False)
        if self.progress.settings_saved:
            made = ", ".join(sorted(self.progress.created)) or tr("(belum ada)")
            message = tr("{message}\nPengaturan sudah tersimpan; akun yang sudah dibuat: {names}. Perbaiki lalu tekan "
                         "\"Selesai\" lagi: yang sudah tersimpan tidak dibuat dua kali.", message=message, names=made)
        self.summary_page.message.setText(message)

    def reject(self) -> None:
        """"Nanti saja" (or the window closed): remember it was offered, then close."""
        if self.saving:
            return
        if self.office.settings.setup_done:
            super().reject()
            return
        self._set_saving(True)
        office, actor = self.office, self.actor
        self.worker.submit(lambda: skip_setup(office, actor), self._skipped, self._skip_failed,
                           label=tr("Menyimpan…"))

    def _skipped(self, _result=None) -> None:
        self._set_saving(False)
        super().reject()

    def _skip_failed(self, message: str) -> None:
        log.warning("setup wizard skipped, but setup_done was not saved: %s", message)
        self._skipped()

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        for button in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                       QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not on)


def open_setup_wizard(ctx, parent=None, connect_whatsapp: Callable[[], object] | None = None) -> SetupWizard:
    """For the admin's menu: show the wizard (not modal); when it saved, tell every view the
    settings changed and, if linking was asked for, call `connect_whatsapp` (the main window's
    `whatsapp.open_link_dialog`)."""
    wizard = SetupWizard(ctx.office, ctx.actor, ctx.worker, parent)

    def finished(_code: int) -> None:
        if not wizard.saved:
            return
        ctx.bus.settings_changed.emit()
        ctx.changes.poll_now()
        if wizard.connect_now and connect_whatsapp is not None:
            connect_whatsapp()

    wizard.finished.connect(finished)
    wizard.open()
    return wizard
