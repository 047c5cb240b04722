"""The wizard's pages but the accounts (`ui.setup.accounts_page`): office, request numbers,
WhatsApp, SIAK folder, backup, and the summary.

Each page checks its fields before "Lanjut" (`validatePage`) and says what is wrong under them.
A folder is checked on the database worker (a share out of reach must not freeze the window):
"Lanjut" starts the check and the page moves on by itself once it passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWizardPage,
)

from dikjamila.config import Settings
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from ui.folder_field import folder_field

PREFIX_RE = re.compile(r"[A-Z0-9]{1,6}")
_GREY = "color: #6b7280;"


def note(text: str, parent) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(_GREY)
    return label


class SetupPage(QWizardPage):
    """A titled page: a form, notes under it, and the red message line."""

    def __init__(self, title: str, subtitle: str, parent=None):
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = QFormLayout()
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.box = QVBoxLayout(self)
        self.box.addLayout(self.form)

    def finish_layout(self) -> None:
        self.box.addStretch(1)
        self.box.addWidget(self.message)

    def refuse(self, message: str) -> bool:
        self.message.setText(message)
        return False

    def passed(self) -> bool:
        self.message.clear()
        return True

    def apply(self, changes: dict) -> None:
        """Put this page's settings into `changes` (called once every page has passed)."""


class OfficePage(SetupPage):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(tr("Data kantor"), tr("Nama dan alamat kantor dicetak di tanda terima, surat "
                                               "pemberitahuan, dan laporan."), parent)
        self.name = QLineEdit(settings.office_name, self)
        self.name.setMaxLength(120)
        self.address = QLineEdit(settings.office_address, self)
        self.address.setMaxLength(200)
        self.address.setPlaceholderText(tr("mis. Jl. A. Yani Km 1,5, Paringin, Kabupaten Balangan"))
        self.form.addRow(tr("Nama kantor"), self.name)
        self.form.addRow(tr("Alamat"), self.address)
        self.box.addWidget(note(tr("Panduan ini menyiapkan kantor baru dalam beberapa langkah; tidak ada yang disimpan "
                                   "sebelum Anda menekan \"Selesai\". Semua dapat diubah lagi nanti di Pengaturan. "
                                   "\"Nanti saja\" melewati panduan ini."), self))
        self.finish_layout()

    def validatePage(self) -> bool:
        if not " ".join(self.name.text().split()):
            return self.refuse(tr("Nama kantor wajib diisi (dipakai di judul jendela, tanda terima, dan pesan ke warga)."))
        return self.passed()

    def apply(self, changes: dict) -> None:
        changes["office_name"] = " ".join(self.name.text().split())
        changes["office_address"] = " ".join(self.address.text().split())


class PrefixPage(SetupPage):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(tr("Nomor permohonan"), tr("Setiap permohonan mendapat nomor: awalan, tanggal, dan nomor "
                                                    "urut hari itu."), parent)
        self.prefix = QLineEdit(settings.request_number_prefix, self)
        self.prefix.setMaxLength(12)
        self.example = QLabel("", self)
        self.form.addRow(tr("Awalan nomor"), self.prefix)
        self.form.addRow(tr("Contoh"), self.example)
        self.box.addWidget(note(tr("Huruf dan angka saja, paling banyak 6 (mis. BLG untuk Balangan). Nomor yang "
                                   "sudah terbit tidak berubah."), self))
        self.finish_layout()
        self.prefix.textChanged.connect(self._show_example)
        self._show_example()

    def value(self) -> str:
        return self.prefix.text().strip().upper()

    def _show_example(self) -> None:
        self.example.setText(f"{self.value() or '…'}-20261127-0001")

    def validatePage(self) -> bool:
        if not PREFIX_RE.fullmatch(self.value()):
            return self.refuse(tr("Awalan nomor hanya boleh huruf dan angka, 1 sampai 6 karakter, tanpa spasi atau "
                                  "tanda baca (mis. BLG)."))
        return self.passed()

    def apply(self, changes: dict) -> None:
        changes["request_number_prefix"] = self.value()


class WhatsAppPage(SetupPage):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(tr("WhatsApp kantor"), tr("Nomor WhatsApp layanan kantor: warga mengirim berkas ke nomor "
                                                   "ini dan dokumen terbit dikirim darinya."), parent)
        self._transport = settings.whatsapp_transport
        self.numbers = QLineEdit(", ".join(settings.whatsapp_numbers), self)
        self.numbers.setPlaceholderText(tr("mis. 0812-5000-1111"))
        self.form.addRow(tr("Nomor WhatsApp"), self.numbers)
        self.now = QRadioButton(tr("Hubungkan sekarang — setelah panduan ini selesai, pindai kode QR dengan HP kantor"),
                                self)
        self.later = QRadioButton(tr("Nanti — lewat menu WhatsApp → Hubungkan WhatsApp…"), self)
        self.later.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.now)
        group.addButton(self.later)
        self.box.addWidget(self.now)
        self.box.addWidget(self.later)
        self.box.addWidget(note(tr("HP kantor ditautkan seperti WhatsApp Web (perangkat tertaut); nomornya tetap "
                                   "dipakai di HP. Boleh dikosongkan bila nomornya belum ada. Beberapa nomor: "
                                   "pisahkan dengan koma."), self))
        self.finish_layout()
        self._checked: list[str] = []

    def validatePage(self) -> bool:
        numbers = []
        for text in self.numbers.text().split(","):
            if text.strip():
                try:
                    numbers.append(normalize_phone(text).e164)
                except InvalidInput as exc:
                    return self.refuse(tr("Nomor WhatsApp {number}: {reason}", number=text.strip(), reason=exc.message))
        if self.now.isChecked() and not numbers:
            return self.refuse(tr("Isi nomor WhatsApp kantor untuk menghubungkannya sekarang, atau pilih \"Nanti\"."))
        self._checked = list(dict.fromkeys(numbers))
        return self.passed()

    @property
    def connect_now(self) -> bool:
        return self.now.isChecked() and bool(self._checked)

    def apply(self, changes: dict) -> None:
        changes["whatsapp_numbers"] = self._checked
        if self._checked and self._transport == "folder":
            # The new office's default (messages written to a folder) becomes the office phone as a
            # linked device; an office that chose another way (Cloud API, pywhatkit) keeps it.
            changes["whatsapp_transport"] = "linked"


class FolderPage(SetupPage):
    """A page with a folder: "Lanjut" checks it on the worker, then moves on by itself."""

    def __init__(self, title: str, subtitle: str, folder: str, submit: Callable, check: Callable[[str], None],
                 parent=None):
        super().__init__(title, subtitle, parent)
        self.folder = QLineEdit(folder, self)
        self.folder_box = folder_field(self.folder, self)
        self._submit = submit
        self._check = check
        self._passed: str | None = None
        self.checking = False

    def value(self) -> str:
        return self.folder.text().strip()

    def validatePage(self) -> bool:
        value = self.value()
        if not value or value == self._passed:
            return self.passed()
        if not self.checking:
            self.checking = True
            self.message.setText(tr("Memeriksa folder…"))
            self._submit(lambda: self._check(value), lambda _r: self._passed_check(value), self._failed_check,
                         label=tr("Memeriksa folder…"))
        return False

    def _passed_check(self, value: str) -> None:
        self.checking = False
        self._passed = value
        self.message.setText("")
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self and self.value() == value:
            wizard.next()

    def _failed_check(self, message: str) -> None:
        self.checking = False
        self.message.setText(message)


class SiakPage(FolderPage):
    def __init__(self, settings: Settings, submit: Callable, check: Callable[[str], None], parent=None):
        super().__init__(tr("Folder keluaran SIAK"), tr("Dokumen yang terbit dari SIAK (PDF) disimpan di folder "
                                                        "ini; Dik Jamila memantaunya dan mencocokkan setiap PDF "
                                                        "dengan permohonannya."),
                         settings.watch_siak_dir, submit, check, parent)
        self.folder.setPlaceholderText(tr("mis. D:\\SIAK\\Cetak"))
        self.form.addRow(tr("Folder SIAK"), self.folder_box)
        self.box.addWidget(note(tr("Boleh dikosongkan dan diisi nanti di Pengaturan."), self))
        self.finish_layout()

    def apply(self, changes: dict) -> None:
        changes["watch_siak_dir"] = self.value()


class BackupPage(FolderPage):
    def __init__(self, settings: Settings, server: bool, submit: Callable, check: Callable[[str], None],
                 parent=None):
        super().__init__(tr("Cadangan"), tr("Salinan basis data dan lampiran dibuat otomatis ke sebuah folder "
                                            "selama aplikasi terbuka."), settings.backup_dir, submit, check, parent)
        self.folder.setPlaceholderText(tr("mis. E:\\Cadangan Dik Jamila atau \\\\pc-lain\\cadangan"))
        self.daily = QCheckBox(tr("Buat cadangan setiap hari"), self)
        self.daily.setChecked(settings.backup_daily)
        self.keep = QSpinBox(self)
        self.keep.setRange(1, 365)
        self.keep.setSuffix(tr(" salinan terbaru"))
        self.keep.setValue(settings.backup_keep)
        self.form.addRow(tr("Folder cadangan"), self.folder_box)
        self.form.addRow("", self.daily)
        self.form.addRow(tr("Simpan"), self.keep)
        self.box.addWidget(note(tr(
            "Sebaiknya di disk lain (hardisk eksternal yang selalu terpasang) atau di komputer lain (folder "
            "bersama), jangan di dalam folder data kantor: bila disk komputer ini rusak, cadangan di disk yang "
            "sama ikut hilang. Lampiran disalin sekali saja; setiap hari hanya berkas baru yang disalin. "
            "Kosongkan untuk tanpa cadangan otomatis."), self))
        if server:
            self.box.addWidget(note(tr("Basis data kantor ini berada di server: cadangkan dengan alat server "
                                       "(pg_dump). Cadangan ke folder hanya untuk basis data SQLite."), self))
            for widget in (self.folder_box, self.daily, self.keep):
                widget.setEnabled(False)
        self.finish_layout()

    def apply(self, changes: dict) -> None:
        changes.update(backup_dir=self.value(), backup_daily=self.daily.isChecked(), backup_keep=self.keep.value())


class SummaryPage(SetupPage):
    """What will be saved; the save's refusal shows here."""

    def __init__(self, describe: Callable[[], str], parent=None):
        super().__init__(tr("Selesai"), tr("Periksa ringkasan di bawah. Semua disimpan sekaligus saat Anda menekan "
                                           "\"Selesai\"."), parent)
        self._describe = describe
        self.summary = QLabel("", self)
        self.summary.setWordWrap(True)
        self.box.addWidget(self.summary)
        self.finish_layout()

    def initializePage(self) -> None:
        self.summary.setText(self._describe())
        self.message.setText("")
