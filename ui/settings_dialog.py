"""Settings (admin only): database, data dir, WhatsApp, SOP override folder, attachment limit;
and on further pages, intake (`ui.intake.settings_page`), documents and supervision
(`ui.paperwork.settings_page`) and where attachments are kept (`ui.storage_settings_page`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from dikjamila.auth.roles import Permission
from dikjamila.config import choose_data_dir
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.sop import validate_path
from ui.backup_settings_page import BackupSettingsPage
from ui.folder_field import folder_field
from ui.intake.settings_page import IntakeSettingsPage
from ui.paperwork.settings_page import PaperworkSettingsPage
from ui.setup.save import check_backup_target
from ui.storage_settings_page import AttachmentStoragePage

TRANSPORTS = [("linked", "HP kantor sebagai perangkat tertaut"), ("folder", "Folder (uji coba / kirim manual)"),
              ("cloud_api", "WhatsApp Business Cloud API"), ("pywhatkit", "pywhatkit (teks saja, lewat peramban)")]



class SettingsDialog(QDialog):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        if not ctx.can(Permission.SETTINGS):
            raise PermissionError("settings are for admins")
        self.ctx = ctx
        self.setWindowTitle(tr("Pengaturan"))
        self.setMinimumWidth(760)  # room for a Windows path and the longest placeholder
        s = ctx.office.settings
        self.office_name = QLineEdit(s.office_name, self)
        self.office_name.setMaxLength(120)
        self.db_url = QLineEdit(s.database_url, self)
        self.db_url.setPlaceholderText(tr("kosong = berkas SQLite di folder data"))
        self.data_dir = QLineEdit(str(ctx.office.paths.data_dir), self)
        self.transport = QComboBox(self)
        for code, name in TRANSPORTS:
            self.transport.addItem(tr(name), code)
        self.transport.setCurrentIndex(max(0, self.transport.findData(s.whatsapp_transport)))
        self.numbers = QLineEdit(", ".join(s.whatsapp_numbers), self)
        self.numbers.setPlaceholderText(tr("mis. 0812-5000-1111, 0813-5000-2222"))
        self.sop_dir = QLineEdit(s.sop_override_dir, self)
        self.sop_dir.setPlaceholderText(tr("kosong = folder 'sops' di folder data"))
        self.max_mb = QSpinBox(self)
        self.max_mb.setRange(1, 100)
        self.max_mb.setSuffix(" MB")
        self.max_mb.setValue(s.max_attachment_mb)
        self.idle_lock = QSpinBox(self)
        self.idle_lock.setRange(0, 480)
        self.idle_lock.setSuffix(tr(" menit"))
        self.idle_lock.setSpecialValueText(tr("Tidak pernah"))  # shown for 0
        self.idle_lock.setToolTip(tr("Komputer yang tidak disentuh selama ini terkunci dan meminta kata sandi "
                                     "lagi; isian yang belum disimpan tetap ada. 0 = tidak pernah."))
        self.idle_lock.setValue(s.idle_lock_minutes)
        form = QFormLayout()
        form.addRow(tr("Nama kantor"), self.office_name)
        form.addRow(tr("URL basis data"), self.db_url)
        form.addRow(tr("Folder data"), folder_field(self.data_dir, self))
        form.addRow(tr("Pengiriman WhatsApp"), self.transport)
        form.addRow(tr("Nomor layanan WhatsApp"), self.numbers)
        form.addRow(tr("Folder SOP kantor"), folder_field(self.sop_dir, self))
        form.addRow(tr("Batas ukuran berkas"), self.max_mb)
        form.addRow(tr("Kunci layar bila tidak dipakai"), self.idle_lock)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        note = QLabel(tr("Perubahan basis data dan folder data berlaku setelah aplikasi dibuka ulang."), self)
        note.setWordWrap(True)
        self.buttons = buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Simpan"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Batal"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        general = QWidget(self)
        general.setLayout(form)
        self.intake = IntakeSettingsPage(s, self)
        self.paperwork = PaperworkSettingsPage(s, self)
        self.storage = AttachmentStoragePage(s, ctx.office.db.engine.dialect.name, ctx.office.paths.blobs_dir, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, tr("Umum"))
        self.tabs.addTab(self.intake, tr("Penerimaan"))
        self.tabs.addTab(self.paperwork, tr("Dokumen && supervisi"))  # "&&": a plain "&", not a shortcut key
        self.tabs.addTab(self.storage, tr("Lampiran"))
        self.backup = BackupSettingsPage(s, ctx.office.db.engine.dialect.name, self)
        self.tabs.addTab(self.backup, tr("Cadangan"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def collect(self):
        """The new settings, checked; raises InvalidInput with an Indonesian reason."""
        office_name = " ".join(self.office_name.text().split())
        if not office_name:
            raise InvalidInput(tr("Nama kantor wajib diisi (dipakai di judul jendela dan pesan ke warga)."))
        url = self.db_url.text().strip()
        if url:
            try:
                make_url(url)
            except Exception as exc:
                raise InvalidInput(tr("URL basis data tidak sah: {url}", url=url)) from exc
        numbers = [normalize_phone(n).e164 for n in self.numbers.text().split(",") if n.strip()]
        sop_dir = self.sop_dir.text().strip()
        if sop_dir:
            if not Path(sop_dir).is_dir():
                raise InvalidInput(tr("Folder SOP {path} tidak ada.", path=sop_dir))
            errors = validate_path(Path(sop_dir))
            if errors:
                raise InvalidInput(tr("SOP di folder itu belum sah:\n{errors}", errors="\n".join(errors[:5])))
        base = self.backup.apply(self.storage.apply(self.paperwork.apply(self.intake.apply(self.ctx.office.settings))))
        return replace(base, office_name=office_name, database_url=url, whatsapp_transport=self.transport.currentData(),
                       whatsapp_numbers=numbers, sop_override_dir=sop_dir, max_attachment_mb=self.max_mb.value(),
                       idle_lock_minutes=self.idle_lock.value())

    def save(self) -> None:
        """Check the form, then save on the database worker; a refusal is shown here."""
        try:
            settings = self.collect()
        except InvalidInput as exc:
            self.message.setText(exc.message)
            return
        self.message.setText("")
        self.buttons.setEnabled(False)
        ctx = self.ctx
        backup_dir = settings.backup_dir if settings.backup_dir != ctx.office.settings.backup_dir else ""

        def save_settings():
            if backup_dir:  # a new backup folder must take a backup: checked first, nothing saved if not
                check_backup_target(ctx.office, backup_dir)
            ctx.office.update_settings(ctx.actor, settings)

        ctx.submit(save_settings, self._saved, self._refused, label=tr("Menyimpan pengaturan…"))

    def _refused(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(message)

    def _saved(self, _result=None) -> None:
        self.ctx.bus.settings_changed.emit()
        self.ctx.changes.poll_now()
        chosen = Path(self.data_dir.text().strip()) if self.data_dir.text().strip() else None
        if chosen is not None and chosen != self.ctx.office.paths.data_dir:
            choose_data_dir(chosen)
            QMessageBox.information(self, tr("Pengaturan"), tr(
                "Folder data baru dipakai setelah aplikasi dibuka ulang: {path}", path=chosen))
        self.accept()
