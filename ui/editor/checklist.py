"""The SOP checklist: a completeness banner, one row per requirement with its files, the
groups of alternatives, files not yet linked to a requirement, and the issued document.

The widget only shows and asks: every action is a signal the editor carries out on the
worker. Files dropped (from Explorer or WhatsApp Desktop) on a requirement's row are for
that requirement; elsewhere they fall through to the editor, which attaches them unlinked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.desk import AttachmentInfo
from dikjamila.i18n import tr
from dikjamila.sop import CompletenessReport, ItemResult, Sop
from ui.editor.checklist_rows import (
    STATES,
    FileRow,
    ItemRow,
    state_badge,
)


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
    if report is None and not error:  # a request from WhatsApp whose service is still "belum dipilih"
        return tr("Pilih layanan dulu: daftar persyaratan mengikuti layanan yang dipilih."), "not_applicable"
    if report is None:
        return tr("Pemeriksaan SOP gagal: {error}", error=error), "invalid"
    if report.complete:
        return tr("Berkas lengkap"), "ok"
    return tr("Belum lengkap: {what}", what=missing_summary(report)), "missing"


class ChecklistWidget(QWidget):
    """Shows a CompletenessReport and the request's files; asks for actions by signal."""

    attach_requested = Signal(str)  # requirement code
    replace_requested = Signal(int, str)  # attachment id, requirement code
    unlink_requested = Signal(int)
    remove_requested = Signal(int)
    view_requested = Signal(int)
    link_requested = Signal(int, str)  # attachment id, requirement code
    link_all_requested = Signal(list)  # [(attachment id, requirement code)]: every suggestion at once
    files_dropped = Signal(object, list)  # requirement code or None, [(Path | bytes, name)]
    loose_dropped = Signal(int, object)  # a file of "Berkas belum ditempatkan", requirement code or None

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
            head = QHBoxLayout()
            head.addWidget(title, 1)
            labels = dict(self.requirement_choices())
            suggested = [(a.id, a.suggested_requirement) for a in unlinked if a.suggested_requirement in labels]
            if len(suggested) > 1 and self.editable:
                accept = QPushButton(tr("Terima semua saran ({n})", n=len(suggested)), box)
                accept.setObjectName("acceptSuggestions")
                accept.setToolTip(tr("Kaitkan setiap berkas ke persyaratan yang disarankan"))
                accept.clicked.connect(lambda: self.link_all_requested.emit(suggested))
                head.addWidget(accept)
            lay.addLayout(head)
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

