""""Pengaduan": the office's complaints — recorded, assigned, resolved — and how many of a
period's complaints are resolved against the standard (91%).

Everything goes through the desk on the database worker: `complaints(status)` fills the list,
`complaint_ratio(start, end)` the line at the top; the forms (`ui.supervision.complaint_dialogs`)
record, assign and resolve. Resolving tells the resident through the outbox (the form and the
message afterwards say so). The list follows `ChangeKind.COMPLAINT` from the change watcher,
so a complaint made on another workstation, or from a WhatsApp message, appears by itself.
"""

from __future__ import annotations

import html

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.roles import ROLES, Permission
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk.complaint_records import (
    COMPLAINT_STATUS_LABELS,
    ComplaintInfo,
    ComplaintRatio,
    ComplaintStatus,
)
from dikjamila.i18n import tr
from dikjamila.reports.numbers import id_int
from ui.panel_kit import guarded, row_table, say
from ui.supervision.complaint_detail import detail_html
from ui.supervision.complaint_dialogs import (
    AssignDialog,
    RecordComplaintDialog,
    ResolveDialog,
)
from ui.supervision.complaint_ratio import ComplaintRatioBar
from ui.supervision.complaints_model import ComplaintModel


class ComplaintsPanel(QWidget):
    """A separate window. `loads` counts list loads (for tests); `dialog` is the open form."""

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.loads = 0
        self.dialog = None
        self.setWindowTitle(tr("Pengaduan — Dik Jamila"))
        self._build()
        ctx.bus.data_changed.connect(self._on_data_changed)
        self.resize(1180, 640)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.ratio_bar = ComplaintRatioBar(self.ctx, self)
        self.ratio_bar.failed.connect(self.say_error)
        self.ratio_label = self.ratio_bar.label

        self.filter = QComboBox(self)
        self.filter.addItem(tr("Semua"), None)
        for status, label in COMPLAINT_STATUS_LABELS.items():
            self.filter.addItem(tr(label), str(status))
        self.filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.record_button = self._button(tr("Catat pengaduan…"), self.open_record, Permission.RECORD_COMPLAINT)
        self.assign_button = self._button(tr("Tugaskan…"), self.open_assign, Permission.RESOLVE_COMPLAINT)
        self.resolve_button = self._button(tr("Selesaikan…"), self.open_resolve, Permission.RESOLVE_COMPLAINT)
        tools = QHBoxLayout()
        tools.addWidget(QLabel(tr("Tampilkan:"), self))
        tools.addWidget(self.filter)
        tools.addStretch(1)
        for button in (self.record_button, self.assign_button, self.resolve_button):
            tools.addWidget(button)

        self.model = ComplaintModel(self)
        self.table = row_table(self, self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate((60, 135, 120, 240, 0, 200, 160)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)
        # NOTE: the detail under the list, not beside it: the list needs the width for its columns.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([330, 230])

        self.count = QLabel(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        close = QPushButton(tr("Tutup"), self)
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ratio_bar)
        layout.addLayout(tools)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        self._show_selected()

    def _button(self, text: str, slot, permission: Permission) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.setVisible(self.ctx.can(permission))
        button.clicked.connect(lambda: slot())
        return button

    # -- data ---------------------------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
        self.ratio_bar.refresh()

    def refresh(self, *, select: int | None = None) -> None:
        """Load the list (of the status chosen); then select `select` (a complaint id) if given."""
        desk, status = self.ctx.desk, self.filter.currentData()

        def loaded(complaints: list[ComplaintInfo]) -> None:
            self._loaded(complaints)
            if select is not None:
                self.select_complaint(select)

        self.ctx.submit(lambda: desk.complaints(status), self._guard(loaded), self._guard(self.say_error),
                        label=tr("Memuat pengaduan…"))

    @property
    def ratio(self) -> ComplaintRatio | None:
        """The period's complaints and how many are resolved, as last shown (None before)."""
        return self.ratio_bar.ratio

    def _loaded(self, complaints: list[ComplaintInfo]) -> None:
        keep = self.selected()
        self.model.set_rows(complaints)
        self.loads += 1
        if keep is not None and (row := self.model.row_of(keep.id)) >= 0:
            self.table.selectRow(row)
        elif complaints:
            self.table.selectRow(0)
        self.count.setText(tr("{n} pengaduan", n=id_int(len(complaints))))
        self._show_selected()

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.COMPLAINT) and self.isVisible():
            self.refresh()
            self.ratio_bar.refresh()

    def selected(self) -> ComplaintInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.complaint(rows[0].row()) if rows else None

    def select_complaint(self, complaint_id: int) -> bool:
        row = self.model.row_of(complaint_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _show_selected(self) -> None:
        c = self.selected()
        if c is not None:
            self.detail.setHtml(detail_html(c))
        else:
            hint = tr("Pilih pengaduan di daftar.") if self.model.rows else tr(
                "Belum ada pengaduan di sini. \u201cCatat pengaduan\u2026\u201d mencatat pengaduan yang datang "
                "langsung, lewat telepon atau media sosial; pesan WhatsApp dijadikan pengaduan dari "
                "\u201cPesan masuk belum ditangani\u201d.")
            self.detail.setHtml(f"<p style='color:#64748b'>{html.escape(hint)}</p>")
        open_ = c is not None and c.status != ComplaintStatus.RESOLVED
        self.assign_button.setEnabled(open_)
        self.resolve_button.setEnabled(open_)

    # -- actions ------------------------------------------------------------------------------------
    def open_record(self) -> RecordComplaintDialog:
        dialog = RecordComplaintDialog(self)
        dialog.submitted.connect(lambda values: self._record(dialog, values))
        return self._open(dialog)

    def open_assign(self) -> AssignDialog | None:
        if (c := self.selected()) is None:
            return None
        desk, me = self.ctx.desk, self.ctx.actor.id
        may_give = self.ctx.can(Permission.REASSIGN)

        def show(users) -> None:
            eligible = [u for u in users if u.active and Permission.RESOLVE_COMPLAINT in ROLES.get(u.role, frozenset())
                        and (may_give or u.id == me)]
            dialog = AssignDialog(c, eligible, me, self)
            dialog.submitted.connect(lambda values: self._act(
                dialog, lambda: desk.assign_complaint(c.id, values["user_id"]),
                lambda info: tr("Pengaduan #{id} ditangani oleh {name}.", id=info.id, name=info.assignee_name)))
            self._open(dialog)

        self.ctx.submit(desk.users, self._guard(show), self._guard(self.say_error), label=tr("Memuat petugas…"))
        return None

    def open_resolve(self) -> ResolveDialog | None:
        if (c := self.selected()) is None:
            return None
        desk = self.ctx.desk
        dialog = ResolveDialog(c, self)
        dialog.submitted.connect(lambda values: self._act(
            dialog, lambda: desk.resolve_complaint(c.id, outcome=values["outcome"], resolution=values["resolution"]),
            resolved_text))
        return self._open(dialog)

    def _open(self, dialog):
        self.dialog = dialog
        dialog.open()
        return dialog

    def _record(self, dialog: RecordComplaintDialog, values: dict) -> None:
        desk = self.ctx.desk

        def run() -> ComplaintInfo:
            number = values["request_number"]
            return desk.record_complaint(channel=values["channel"], text=values["text"], phone=values["phone"],
                                         complainant=values["complainant"],
                                         request_id=desk.find_number(number) if number else None)

        self._act(dialog, run, lambda info: tr("Pengaduan #{id} dicatat.", id=info.id))

    def _act(self, dialog, run, said) -> None:
        """Run a desk change for `dialog`; on success close it, reload and say `said(info)`."""
        def done(info: ComplaintInfo) -> None:
            if shiboken6.isValid(dialog):
                dialog.accept()
            self.say(said(info))
            if self.filter.currentData() not in (None, info.status):
                self.filter.setCurrentIndex(0)  # the complaint would not be in the list shown
            self.refresh(select=info.id)
            self.ratio_bar.refresh()
            self.ctx.changes.poll_now()

        def failed(message: str) -> None:
            if shiboken6.isValid(dialog):
                dialog.show_error(message)
            else:
                self.say_error(message)

        self.ctx.submit(run, self._guard(done), self._guard(failed), label=tr("Menyimpan pengaduan…"))

    # -- messages -----------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        say(self.message, text)

    def say_error(self, text: str) -> None:
        say(self.message, text, error=True)

    def _guard(self, callback):
        return guarded(self, callback)


def resolved_text(info: ComplaintInfo) -> str:
    """What the window says after "Selesaikan": whether the resident is being told."""
    if info.notice_item_id is not None:
        return tr("Pengaduan #{id} diselesaikan. Pemberitahuan hasilnya masuk antrean kirim WhatsApp ke pengadu.",
                  id=info.id)
    return tr("Pengaduan #{id} diselesaikan. Tidak ada nomor WhatsApp: sampaikan hasilnya langsung kepada pengadu.",
              id=info.id)
