"""The start screen: three big choices."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.kiosk.choice import ChoiceButton
from ui.kiosk.theme import button, label, page


class StartScreen(QWidget):
    """Signals: `chosen(str)` — "apply", "status" or "survey"."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self.heading = label(tr("Selamat datang di Kios Layanan Kependudukan"), "heading", self)
        self.intro = label(tr("Sentuh salah satu pilihan di bawah ini."), "muted", self)
        self.apply = ChoiceButton(tr("Ajukan permohonan"),
                                  tr("Akta, KK, KTP-el, KIA, pindah datang. Siapkan dokumen Anda untuk difoto."),
                                  parent=self, title_pt=30, min_height=120)
        self.status = ChoiceButton(tr("Cek status"),
                                   tr("Lihat sampai mana permohonan Anda. Perlu nomor permohonan dan nomor WhatsApp."),
                                   parent=self, title_pt=30, min_height=120)
        self.survey = ChoiceButton(tr("Isi survei kepuasan"),
                                   tr("Nilai layanan kami setelah permohonan Anda selesai."),
                                   parent=self, title_pt=30, min_height=120)
        # The office line: when the kiosk last reached the office, what still waits (the window
        # fills it in); "Petugas" opens the PIN pad (a touch screen has no Escape key).
        self.footer = label("", "footer", self, wrap=False)
        self.staff = button(tr("Petugas"), "small", self)
        footer = QHBoxLayout()
        footer.addWidget(self.footer, 1)
        footer.addWidget(self.staff)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(20)
        column.addWidget(self.heading)
        column.addWidget(self.intro)
        for key, choice in (("apply", self.apply), ("status", self.status), ("survey", self.survey)):
            choice.clicked.connect(lambda _c=False, k=key: self.chosen.emit(k))
            column.addWidget(choice, 1)
        column.addLayout(footer)
