"""The SOP checklist: a completeness banner, one row per requirement with its files, the
groups of alternatives, files not yet linked to a requirement, and the issued document.

The widget only shows and asks: every action is a signal the editor carries out on the
worker. Files dropped (from Explorer or WhatsApp Desktop) on a requirement's row are for
that requirement; elsewhere they fall through to the editor, which attaches them unlinked.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget,
)

from dikjamila.desk import AttachmentInfo
from dikjamila.i18n import tr
from dikjamila.sop import CompletenessReport, ItemResult, Sop

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
    return any(url.isLocalFile() for url in mime.urls()) or mime.hasImage()


def shortfall(report: CompletenessReport) -> tuple[int, int]:
    """(documents missing, eligibility rules not met); a group of alternatives counts once."""
    documents, rules, groups = 0, 0, set()
    for item in report.missing():
        if item.kind == "eligibility":
            rules += 1
        elif item.group is None:
            documents += 1
        elif item.group not in groups:
            groups.add(item.group)
            documents += 1
    return documents, rules


def missing_summary(report: CompletenessReport) -> str:
    """"2 berkas kurang, 1 syarat belum terpenuhi"."""
    documents, rules = shortfall(report)
    parts = []
    if documents:
        parts.append(tr("{n} berkas kurang", n=documents))
    if rules:
        parts.append(tr("{n} syarat belum terpenuhi", n=rules))
    return ", ".join(parts)


def banner_text(report: CompletenessReport | None, error: str = "") -> tuple[str, str]:
    """(text, state) of the completeness banner."""
    if report is None:
        return tr("Pemeriksaan SOP gagal: {error}", error=error or "-"), "invalid"
    if report.complete:
        return tr("Berkas lengkap"), "ok"
    return tr("Belum lengkap: {what}", what=missing_summary(report)), "missing"


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
            self.link.setMinimumContentsLength(14)
            self.link.setEnabled(editable)
            self.link.activated.connect(self._on_link)
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


class ChecklistWidget(QWidget):
    """Shows a CompletenessReport and the request's files; asks for actions by signal."""

    attach_requested = Signal(str)  # requirement code
    replace_requested = Signal(int, str)  # attachment id, requirement code
    unlink_requested = Signal(int)
    remove_requested = Signal(int)
    view_requested = Signal(int)
    link_requested = Signal(int, str)  # attachment id, requirement code
    files_dropped = Signal(object, list)  # requirement code or None, [(Path | bytes, name)]

    def __init__(self, parent=None):
        super().__init__(parent)
        self.editable = True
        self.selected_id: int | None = None
        self.sop: Sop | None = None
        self.report: CompletenessReport | None = None
        self.rows: dict[str, ItemRow] = {}
        self.setStyleSheet(
            "QFrame#checkItem { border: 1px solid transparent; border-radius: 4px; }"
            "QFrame#checkItem[dragOver=\"true\"] { background: #e0f2fe; border: 1px dashed #0284c7; }"
            "QFrame#group { border: 1px solid #d1d5db; border-radius: 6px; }"
            "QFrame#unlinked { background: #fffbeb; border: 1px solid #fcd34d; border-radius: 6px; }")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.banner = QLabel(self)
        self.banner.setObjectName("completenessBanner")
        self.banner.setWordWrap(True)
        self._layout.addWidget(self.banner)
        self.hint = hint = QLabel(tr("Seret berkas dari Explorer atau WhatsApp Desktop ke baris persyaratannya "
                         "untuk melampirkan."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #6b7280; font-size: 9pt;")
        self._layout.addWidget(hint)
        self._body = QWidget(self)
        self._layout.addWidget(self._body)
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)

    def banner_text(self) -> str:
        return self.banner.text()

    def set_selected(self, attachment_id: int | None) -> None:
        self.selected_id = attachment_id
        for row in self.findChildren(FileRow):
            row.set_selected(row.attachment.id == attachment_id)

    def item_row(self, code: str) -> ItemRow:
        return self.rows[code]

    def group_met(self, code: str) -> bool:
        return any(g.code == code and g.state == "ok" for g in (self.report.groups if self.report else ()))

    def requirement_choices(self) -> list[tuple[str, str]]:
        return [(r.code, r.label) for r in self.sop.requirements] if self.sop else []

    def set_data(self, sop: Sop | None, report: CompletenessReport | None,
                 attachments: list[AttachmentInfo], *, error: str = "", selected: int | None = None,
                 editable: bool = True) -> None:
        self.sop, self.report, self.selected_id, self.editable = sop, report, selected, editable
        self.hint.setVisible(editable)
        text, state = banner_text(report, error)
        mark, colour, background, _w = STATES[state]
        self.banner.setText(f"{mark}  {text}")
        self.banner.setStyleSheet(f"background: {background}; color: {colour}; border: 1px solid {colour};"
                                  "border-radius: 4px; padding: 6px 10px; font-weight: bold;")
        # NOTE: rebuilt on every load: a checklist is a dozen rows, and keeping rows in step
        # with groups, alternatives and files is more code than it saves.
        old = self._body
        self._body = QWidget(self)
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)
        self._body_layout.setSpacing(4)
        self._layout.replaceWidget(old, self._body)
        old.hide()
        old.deleteLater()
        self.rows = {}
        codes = {r.code for r in sop.requirements} if sop else set()
        resident = [a for a in attachments if a.role == "resident"]
        by_code: dict[str, list[AttachmentInfo]] = {}
        for att in resident:
            if att.requirement_code in codes:
                by_code.setdefault(att.requirement_code, []).append(att)
        # Files waiting to be sorted come first: linking them is usually the first job.
        unlinked = [a for a in resident if a.requirement_code not in codes]
        if unlinked:
            box = QFrame(self._body)
            box.setObjectName("unlinked")
            lay = QVBoxLayout(box)
            lay.setContentsMargins(6, 4, 6, 6)
            lay.setSpacing(3)
            title = QLabel(tr("Belum dikaitkan ({n})", n=len(unlinked)), box)
            title.setStyleSheet("font-weight: bold; color: #92400e;")
            note = QLabel(tr("Pilih persyaratan yang dipenuhi tiap berkas."), box)
            note.setWordWrap(True)
            note.setStyleSheet("color: #6b7280; font-size: 9pt;")
            lay.addWidget(title)
            lay.addWidget(note)
            for att in unlinked:
                lay.addWidget(FileRow(self, att, mode="unlinked", parent=box))
            self._body_layout.addWidget(box)
        if report is not None and sop is not None:
            self._fill(sop, report, by_code)
        issued = [a for a in attachments if a.role == "issued"]
        if issued:
            self._section(tr("Dokumen terbit"), "")
            for att in issued:
                self._body_layout.addWidget(FileRow(self, att, mode="issued", parent=self._body))

    def _fill(self, sop: Sop, report: CompletenessReport, by_code: dict) -> None:
        items = {item.code: item for item in report.items if item.kind == "document"}
        rules = [item for item in report.items if item.kind == "eligibility"]
        if rules:
            self._section(tr("Syarat"), "")
            for item in rules:
                self._add_row(item, [], self._body_layout)
        self._section(tr("Persyaratan berkas"), "")
        groups = {g.code: g for g in sop.groups}
        group_state = {g.code: g.state for g in report.groups}
        shown: set[str] = set()
        for item in items.values():
            if item.code in shown:
                continue
            if item.group in groups:
                shown |= self._add_group(groups[item.group], group_state.get(item.group, "missing"),
                                         items, by_code)
            else:
                shown.add(item.code)
                self._add_row(item, by_code.get(item.code, []), self._body_layout)

    def _add_group(self, group, state: str, items: dict, by_code: dict) -> set[str]:
        box = QFrame(self._body)
        box.setObjectName("group")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(3)
        head = QHBoxLayout()
        head.addWidget(state_badge(state, box), 0, Qt.AlignmentFlag.AlignTop)
        title = QLabel(tr("{label} — cukup salah satu pilihan:", label=group.label), box)
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: bold;")
        head.addWidget(title, 1)
        lay.addLayout(head)
        done: set[str] = set()
        for index, option in enumerate(group.one_of):
            codes = [c for c in option if c in items and c not in done]
            if not codes:
                continue
            if done:
                sep = QLabel(tr("— atau —"), box)
                sep.setAlignment(Qt.AlignmentFlag.AlignCenter)
                sep.setStyleSheet("color: #6b7280; font-style: italic;")
                lay.addWidget(sep)
            caption = QLabel(tr("Pilihan {n}", n=index + 1) + (tr(" (semua berkas ini)") if len(codes) > 1 else ""), box)
            caption.setStyleSheet("color: #374151; font-size: 9pt;")
            lay.addWidget(caption)
            for code in codes:
                self._add_row(items[code], by_code.get(code, []), lay, parent=box)
                done.add(code)
        self._body_layout.addWidget(box)
        return done

    def _add_row(self, item: ItemResult, files: list, layout, parent=None) -> None:
        row = ItemRow(self, item, files, parent or self._body)
        self.rows[item.code] = row
        layout.addWidget(row)

    def _section(self, title: str, hint: str) -> None:
        label = QLabel(title, self._body)
        label.setStyleSheet("font-weight: bold; color: #111827; margin-top: 6px;")
        self._body_layout.addWidget(label)
        if hint:
            note = QLabel(hint, self._body)
            note.setWordWrap(True)
            note.setStyleSheet("color: #6b7280; font-size: 9pt;")
            self._body_layout.addWidget(note)

