"""What intake wants the operator to see on a request, above its form.

- the service still "belum dipilih", with the one the resident's words suggest and a button
  that chooses it (one click, nothing typed);
- the resident's first message;
- why the request is marked (several open requests, written after closing), with "Sudah dilihat";
- other open requests for the same service by the same NIK, phone or KK number, as links;
- issued PDFs found in the SIAK folder that name this request, with "Jadikan dokumen terbit".

The banner only shows and asks (signals); the editor does the work on the database worker.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk import DuplicateInfo, RequestDetail
from dikjamila.i18n import tr
from dikjamila.lifecycle import label as status_label
from ui.inbox.row_display import ATTENTION_TEXT

MATCHED = {"nik": "NIK", "phone": "nomor WhatsApp", "kk": "nomor KK"}
QUOTE_CHARS = 280


class IntakeBanner(QFrame):
    use_service = Signal(str)  # service code
    attention_seen = Signal()
    open_number = Signal(str)  # request number of a possible duplicate
    take_offer = Signal(int)  # loose-file id of an offered SIAK PDF

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("intakeBanner")
        self.setStyleSheet("QFrame#intakeBanner { background: #fffbeb; border: 1px solid #fcd34d; border-radius: 4px; }"
                           "QFrame#intakeBanner QLabel { color: #78350f; }")
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(10, 6, 6, 6)
        self._lay.setSpacing(4)
        self.service_button: QPushButton | None = None
        self.seen_button: QPushButton | None = None
        self.offer_buttons: list[QPushButton] = []
        self.hide()

    def set_state(self, d: RequestDetail, *, service_names: dict[str, str], duplicates: list[DuplicateInfo],
                  offers: list = (), editable: bool = True) -> None:
        """Show what applies to `d`; hidden when nothing does."""
        while (item := self._lay.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.service_button = self.seen_button = None
        self.offer_buttons = []
        if not d.service_code:
            suggested = service_names.get(d.suggested_service, "")
            if suggested:
                text = tr("Layanan belum dipilih. Dari pesan warga, yang diminta tampaknya <b>{name}</b>.",
                          name=html.escape(suggested))
                self.service_button = self._line(text, tr("Pakai layanan ini"), editable,
                                                 lambda: self.use_service.emit(d.suggested_service))
            else:
                self._line(tr("Layanan belum dipilih: pilih di kolom Layanan setelah membaca pesan warga."))
        if d.request_text and not d.service_code:
            quote = d.request_text if len(d.request_text) <= QUOTE_CHARS else d.request_text[:QUOTE_CHARS] + "…"
            self._line(tr("Pesan warga: <i>“{text}”</i>", text=html.escape(quote).replace("\n", "<br>")))
        if d.attention in ATTENTION_TEXT:
            self.seen_button = self._line(html.escape(tr(ATTENTION_TEXT[d.attention])), tr("Sudah dilihat"), True,
                                          self.attention_seen.emit)
        if duplicates:
            links = ", ".join(
                f'<a href="{html.escape(x.number)}">{html.escape(x.number)}</a> ({html.escape(x.applicant_name)}, '
                f"{html.escape(status_label(x.status).lower())}, "
                f"{html.escape('/'.join(tr(MATCHED.get(m, m)) for m in x.matched_on))} sama)"
                for x in duplicates[:5])
            label = self._line(tr("⚠ Mungkin ganda — permohonan terbuka lain untuk layanan yang sama: {links}",
                                  links=links))
            label.linkActivated.connect(self.open_number.emit)
        for offer in offers:
            button = self._line(tr("PDF dari folder SIAK menyebut permohonan ini: <b>{name}</b>",
                                   name=html.escape(offer.original_name)),
                                tr("Jadikan dokumen terbit"), editable, lambda _=False, i=offer.id: self.take_offer.emit(i))
            self.offer_buttons.append(button)
        self.setVisible(self._lay.count() > 0)

    def _line(self, text: str, action: str = "", enabled: bool = True, slot=None):
        """A row of the banner; returns its button (or its label when there is no action)."""
        row = QWidget(self)
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        label = QLabel(text, row)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        lay.addWidget(label, 1)
        self._lay.addWidget(row)
        if not action:
            return label
        button = QPushButton(action, row)
        button.setAutoDefault(False)
        button.setEnabled(enabled)
        button.clicked.connect(slot)
        lay.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        return button

    def texts(self) -> list[str]:
        """The banner's lines as plain text (what the operator reads)."""
        return [label.text() for label in self.findChildren(QLabel) if not label.isHidden()]
