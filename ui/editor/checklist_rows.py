"""Rows of the SOP checklist: one requirement with its files, one file, and dropped files.

A requirement row accepts files dropped on it (Explorer, WhatsApp Desktop) for that requirement.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk import AttachmentInfo
from dikjamila.i18n import tr
from dikjamila.sop import ItemResult
from ui.intake.loose_mime import loose_id_from_mime

if TYPE_CHECKING:
    from ui.editor.checklist import ChecklistWidget

# state: (mark, colour, background, word)
STATES = {
    "ok": ("✓", "#15803d", "#dcfce7", "Terpenuhi"),
    "missing": ("✗", "#b91c1c", "#fee2e2", "Kurang"),
    "invalid": ("!", "#b45309", "#fef3c7", "Tidak sah"),
    "not_applicable": ("–", "#6b7280", "#f3f4f6", "Tidak perlu"),
}
KIND_LABELS = {"pdf": "PDF", "image": "Foto"}
DroppedFile = tuple[Path | bytes, str]


def dropped_files(mime: QMimeData) -> list[DroppedFile]:
    """Files in a drop: local file URLs (Explorer, WhatsApp Desktop), else a dragged image."""
    out: list[DroppedFile] = []
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.is_file():
                out.append((path, path.name))
    if not out and mime.hasImage():
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        mime.imageData().save(buffer, "PNG")
        out.append((bytes(QByteArray(buffer.data())), tr("gambar-diseret.png")))
    return out


def can_drop(mime: QMimeData) -> bool:
    return (any(url.isLocalFile() for url in mime.urls()) or mime.hasImage()
            or loose_id_from_mime(mime) is not None)


def state_badge(state: str, parent: QWidget) -> QLabel:
    mark, colour, background, word = STATES.get(state, STATES["missing"])
    badge = QLabel(mark, parent)
    badge.setFixedSize(22, 22)
    badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
    badge.setToolTip(tr(word))
    badge.setStyleSheet(f"background: {background}; color: {colour}; border: 1px solid {colour};"
                        "border-radius: 11px; font-weight: bold;")
    return badge


class ElidedLabel(QLabel):
    """One line of text that shortens itself (…) instead of widening the layout."""

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self._full = text
        self.setToolTip(text)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        super().setText(text)

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:
        return QSize(60, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, super().sizeHint().height())

    def resizeEvent(self, event) -> None:
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, self.width()))
        super().resizeEvent(event)


def _small_button(text: str, parent: QWidget, slot, *, tip: str = "", enabled: bool = True) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setToolTip(tip)
    button.setEnabled(enabled)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.clicked.connect(slot)
    return button


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


class FileRow(QWidget):
    """One attached file: kind, name, and what can be done with it."""

    def __init__(self, owner: ChecklistWidget, att: AttachmentInfo, *, mode: str, parent: QWidget):
        super().__init__(parent)
        self.attachment = att
        lay = QHBoxLayout(self)
        lay.setContentsMargins(30, 0, 0, 0)
        lay.setSpacing(6)
        kind = QLabel(tr(KIND_LABELS.get(att.kind, att.kind)), self)
        kind.setFixedWidth(34)
        kind.setAlignment(Qt.AlignmentFlag.AlignCenter)
        kind.setStyleSheet("color: #374151; background: #e5e7eb; border-radius: 3px; font-size: 8pt;")
        self.name = ElidedLabel(att.original_name, self)
        if att.caption:
            self.name.setToolTip(tr("Keterangan dari warga: {caption}", caption=att.caption))
        self.set_selected(owner.selected_id == att.id)
        lay.addWidget(kind)
        lay.addWidget(self.name, 1)
        editable = owner.editable
        if mode == "unlinked":
            self.link = QComboBox(self)
            self.link.addItem(tr("Kaitkan ke persyaratan…"), None)
            for code, label in owner.requirement_choices():
                self.link.addItem(label, code)
                self.link.setItemData(self.link.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            self.link.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.link.setMinimumContentsLength(len(tr("Kaitkan ke persyaratan…")) + 1)  # shown whole
            self.link.setEnabled(editable)
            self.link.activated.connect(self._on_link)
            self.suggestion = None
            labels = dict(owner.requirement_choices())
            if att.suggested_requirement in labels and editable:
                # One click confirms what the file's name, caption or neighbouring text said.
                code = att.suggested_requirement
                self.suggestion = _small_button(
                    tr("✓ {label}", label=_short(labels[code])), self,
                    lambda: owner.link_requested.emit(att.id, code),
                    tip=tr("Saran dari nama berkas dan pesan warga: kaitkan ke {label}", label=labels[code]))
                self.suggestion.setObjectName("suggestion")
                self.suggestion.setStyleSheet("QToolButton#suggestion { background: #dcfce7; color: #166534;"
                                              "border: 1px solid #86efac; border-radius: 3px; padding: 1px 6px; }")
                lay.addWidget(self.suggestion)
            lay.addWidget(self.link)
        lay.addWidget(_small_button(tr("Lihat"), self, lambda: owner.view_requested.emit(att.id),
                                    tip=tr("Tampilkan di panel pratinjau")))
        if not editable:  # read-only: only looking is possible, so only "Lihat" is offered
            pass
        elif mode == "linked":
            lay.addWidget(_small_button(
                tr("Ganti"), self, lambda: owner.replace_requested.emit(att.id, att.requirement_code),
                tip=tr("Ganti dengan berkas lain (berkas ini dihapus dari permohonan)")))
            lay.addWidget(_small_button(
                tr("Lepas"), self, lambda: owner.unlink_requested.emit(att.id),
                tip=tr("Lepaskan dari persyaratan ini (pindah ke Belum dikaitkan)")))
        else:
            lay.addWidget(_small_button(tr("Hapus"), self, lambda: owner.remove_requested.emit(att.id),
                                        tip=tr("Hapus berkas dari permohonan")))
        self._owner = owner

    def set_selected(self, on: bool) -> None:
        """Mark the file shown in the preview pane."""
        self.name.setStyleSheet("font-weight: bold; color: #1d4ed8;" if on else "")

    def _on_link(self, index: int) -> None:
        code = self.link.itemData(index)
        if code is not None:
            self._owner.link_requested.emit(self.attachment.id, code)


class ItemRow(QFrame):
    """One checklist line. Document lines accept dropped files for their requirement."""

    def __init__(self, owner: ChecklistWidget, item: ItemResult, files: list[AttachmentInfo], parent: QWidget):
        super().__init__(parent)
        self.item = item
        self._owner = owner
        self.setObjectName("checkItem")
        self.setProperty("dragOver", False)
        self.setAcceptDrops(item.kind == "document" and owner.editable)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(3)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(state_badge(item.state, self), 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(1)
        grey = item.state == "not_applicable"
        title = item.label + (tr(" (opsional)") if item.optional else "")
        self.title = QLabel(title, self)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("color: #6b7280;" if grey else "font-weight: 600;")
        if item.note:
            self.title.setToolTip(item.note)
        _mark, colour, _bg, _word = STATES.get(item.state, STATES["missing"])
        reason = item.reason
        if grey and item.group and owner.group_met(item.group):
            reason = tr("tidak perlu: pilihan lain sudah dipenuhi")
        self.reason = QLabel(reason, self)
        self.reason.setToolTip(item.reason)
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {colour}; font-size: 9pt;")
        texts.addWidget(self.title)
        texts.addWidget(self.reason)
        top.addLayout(texts, 1)
        self.attach_button = None
        if item.kind == "document" and owner.editable:
            self.attach_button = _small_button(
                tr("Lampirkan…"), self, lambda: owner.attach_requested.emit(item.code),
                tip=tr("Pilih berkas untuk persyaratan ini (atau seret berkas ke baris ini)"))
            top.addWidget(self.attach_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(top)
        self.file_rows = [FileRow(owner, att, mode="linked", parent=self) for att in files]
        for row in self.file_rows:
            outer.addWidget(row)

    def handle_drop(self, mime: QMimeData) -> bool:
        """Attach the files in `mime` to this requirement (what a drop does)."""
        if (loose_id := loose_id_from_mime(mime)) is not None:  # from "Berkas belum ditempatkan"
            self._owner.loose_dropped.emit(loose_id, self.item.code)
            return True
        files = dropped_files(mime)
        if files:
            self._owner.files_dropped.emit(self.item.code, files)
        return bool(files)

    def _set_drag(self, on: bool) -> None:
        self.setProperty("dragOver", on)
        self.style().unpolish(self)
        self.style().polish(self)

    def dragEnterEvent(self, event) -> None:
        if can_drop(event.mimeData()):
            event.acceptProposedAction()
            self._set_drag(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self._set_drag(False)

    def dropEvent(self, event) -> None:
        self._set_drag(False)
        if self.handle_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()
