"""The request editor: one request in a tab of the main window.

Everything that touches the desk runs on the database worker; callbacks come back on the
GUI thread and are dropped if the editor was closed meanwhile. After every change the
editor reloads the request and asks the change watcher to look now, so the inbox follows.
A change made elsewhere (another workstation, the WhatsApp runner) reloads the editor, or —
when the operator has unsaved edits — shows "diubah di komputer lain" instead of losing them.

Layout (fits a 1366×650 tab): header, action bar, message bar; below, a splitter with the
form and checklist (scrolling) plus the conversation/history/notes tabs on the left and the
file preview on the right.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dikjamila.audit import AuditRecord
from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk import ConversationEntry, RequestDetail
from dikjamila.errors import Conflict, NotFound, UserError
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED
from dikjamila.sop import CompletenessReport, Sop
from ui.context import AppContext
from ui.editor.action_state import action_state
from ui.editor.actions import ActionBar
from ui.editor.checklist import ChecklistWidget
from ui.editor.checklist_rows import can_drop, dropped_files
from ui.editor.conversation import ConversationTab, ConversationView
from ui.editor.editor_parts import build_form, connect_signals
from ui.editor.facts_form import FactsForm, sop_fact_names
from ui.editor.fields import FieldsForm
from ui.editor.header import HeaderBar, MessageBar
from ui.editor.history import HistoryView, NotesView
from ui.editor.intake_actions import IntakeActions
from ui.editor.intake_banner import IntakeBanner
from ui.editor.operations import FileActions, WorkflowActions
from ui.editor.preview_record import PreviewRecorder
from ui.editor.send_actions import SendActions
from ui.intake.loose_mime import loose_id_from_mime
from ui.paperwork.editor_actions import PaperworkActions
from ui.viewers.preview_pane import PreviewPane
from ui.whatsapp.open_file import open_stored_file
from ui.whatsapp.phone import phone_display


@dataclass(frozen=True)
class Snapshot:
    """Everything the editor shows, read in one worker job."""

    detail: RequestDetail
    report: CompletenessReport | None
    report_error: str
    history: list[AuditRecord]
    conversation: list[ConversationEntry]
    user_names: dict[str, str]
    quick_replies: list[tuple[str, str]]
    duplicates: list = ()  # DuplicateInfo: other open requests for the same service, same person
    offers: list = ()  # SIAK PDFs from the watched folder that name this request


@dataclass(frozen=True)
class _Refused:
    """A Conflict raised by a change, passed back as a value so the editor can offer a reload."""

    message: str


class RequestEditor(SendActions, FileActions, WorkflowActions, IntakeActions, PaperworkActions, QWidget):
    """Edit and move one request. Signals: `title_changed(str)` for the tab, `loaded()`
    after every (re)load. `request_id` names the request; `has_unsaved_changes()` lets the
    main window ask before closing the tab."""

    title_changed = Signal(str)
    loaded = Signal()
    open_number_requested = Signal(str)  # another request, by number (a possible duplicate's link)
    # Made by `build_form` (ui/editor/editor_parts.py).
    service: QComboBox
    checklist: ChecklistWidget
    checklist_box: QGroupBox
    facts: FactsForm
    facts_box: QGroupBox
    fields: FieldsForm

    def __init__(self, ctx: AppContext, request_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._request_id = request_id
        self.detail: RequestDetail | None = None
        self.sop: Sop | None = None
        self.report: CompletenessReport | None = None
        self.report_error = ""
        self.previewed_id: int | None = None
        self._preview_next: int | None = None
        self._title = ""
        self._busy = 0
        self.changed_elsewhere = False  # the "diubah di komputer lain" banner is up
        self._opened = False
        self.setAcceptDrops(True)
        self._build()
        ctx.bus.data_changed.connect(self._on_data_changed)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=lambda: self.reload(keep_edits=True))
        self.reload()

    @property
    def request_id(self) -> int:
        return self._request_id

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = HeaderBar(self)
        self.actions = ActionBar(self)
        self.message_bar = MessageBar(self)
        self.message_bar.action_clicked.connect(lambda: self.reload(keep_edits=False))
        self.intake = IntakeBanner(self)
        self.intake.use_service.connect(self.choose_service)
        self.intake.attention_seen.connect(self.clear_attention)
        self.intake.open_number.connect(self.open_number_requested.emit)
        self.intake.take_offer.connect(self.take_offered_pdf)

        self.scroll = build_form(self)

        self.conversation = ConversationView(self)
        self.conversation_tab = ConversationTab(self.conversation, self)
        self.history = HistoryView(self)
        self.notes = NotesView(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.scroll, tr("Data dan berkas"))
        self.tabs.addTab(self.conversation_tab, tr("Percakapan"))
        self.tabs.addTab(self.history, tr("Riwayat"))
        self.tabs.addTab(self.notes, tr("Catatan"))

        self.preview = PreviewPane(self.ctx.executor, self)
        self.preview_recorder = PreviewRecorder(self.ctx, self.preview, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([810, 540])

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(6)
        lay.addWidget(self.header)
        lay.addWidget(self.actions)
        lay.addWidget(self.message_bar)
        lay.addWidget(self.intake)
        lay.addWidget(self.splitter, 1)

        connect_signals(self)
        self.connect_paperwork(self.actions.documents)

    # -- loading ---------------------------------------------------------------------------
    def reload(self, *, keep_edits: bool = True) -> None:
        """Read the request, its checklist, history and conversation on the worker."""
        desk, rid, first, office = self.ctx.desk, self._request_id, not self._opened, self.ctx.office
        self._opened = True
        if not keep_edits:
            self.changed_elsewhere = False

        def fetch() -> Snapshot:
            report, error = None, ""
            try:
                report = desk.check(rid)
            except NotFound:
                raise
            except UserError as exc:  # e.g. a stored fact the SOP cannot read
                error = exc.message
            detail = desk.get_request(rid, record_view=first)  # opening shows personal data: audited
            try:
                names = {u.username: u.full_name for u in desk.users()}
            except UserError:  # a role that may not list users sees user names
                names = {}
            history = desk.history(rid)
            try:
                replies = office.templates.quick_replies()
            except UserError:  # a broken template override: the menu stays empty
                replies = []
            duplicates = desk.duplicates_of(rid) if detail.status not in CLOSED else []
            offers = desk.offered_issued_pdfs(rid) if detail.status not in CLOSED else []
            return Snapshot(detail, report, error, history, desk.conversation(rid), names, replies,
                            duplicates, offers)

        def shown(snap: Snapshot) -> None:
            self._set_busy(-1)
            self._show(snap, keep_edits)

        self._set_busy(+1)
        self.ctx.submit(fetch, self._guard(shown), self._guard(self._on_load_failed),
                        label=tr("Memuat permohonan…"))

    def ready(self) -> bool:
        """True when the request is loaded and no change or reload is under way.

        NOTE: changes that send the row version wait for this, so a double click or Ctrl+S
        during a save cannot send a version that the first click already made stale.
        """
        return self.detail is not None and self._busy == 0

    def ready_detail(self) -> RequestDetail | None:
        """The loaded request when `ready()`, else None (a change must wait)."""
        return self.detail if self.ready() else None

    def as_widget(self) -> QWidget:
        return self

    def _on_load_failed(self, message: str) -> None:
        self._set_busy(-1)
        self.message_bar.show_message(tr("Permohonan tidak dapat dimuat: {message}", message=message),
                                      "error", tr("Coba lagi"))

    def _show(self, snap: Snapshot, keep_edits: bool) -> None:
        d = self.detail = snap.detail
        self.report, self.report_error = snap.report, snap.report_error
        try:
            self.sop = self.ctx.office.catalog.get(d.service_code) if d.service_code else None
        except NotFound as exc:
            self.sop, self.report_error = None, exc.message
        if not d.service_code:
            self.report, self.report_error = None, ""  # the checklist asks for a service first
        service_name = self.sop.name if self.sop else (d.service_code or tr("layanan belum dipilih"))
        self.header.set_detail(d, service_name)
        index = self.service.findData(d.service_code)
        if index < 0:
            self.service.addItem(d.service_code or tr("— belum dipilih —"), d.service_code)
            index = self.service.count() - 1
        self.service.setCurrentIndex(index)
        names = {sop.code: sop.name for sop in self.ctx.office.catalog.all()}
        self.intake.set_state(d, service_names=names, duplicates=list(snap.duplicates), offers=list(snap.offers),
                              editable=self._state().editable)
        self.fields.set_detail(d, keep_edits=keep_edits)
        names = sop_fact_names(self.sop) if self.sop else []
        needed = set(self.report.needed_facts()) if self.report else set()
        self.facts.set_facts(names, d.facts, needed=needed, keep_edits=keep_edits)
        self.facts_box.setVisible(bool(names))
        self._cross_check()
        state = self._state()
        editable = state.editable and self.ctx.can(Permission.ATTACH)
        ids = {a.id for a in d.attachments}
        if self.previewed_id not in ids:
            self.previewed_id = None
        self.checklist.set_data(self.sop, self.report, d.attachments, error=self.report_error,
                                selected=self._preview_next or self.previewed_id, editable=editable)
        version = tr(" (SOP versi {v})", v=self.sop.version) if self.sop else ""
        self.checklist_box.setTitle(tr("Kelengkapan berkas") + version)
        self.history.set_records(snap.history, self._requirement_label, snap.user_names)
        self.conversation.set_lines(list(snap.conversation))
        self.conversation_tab.set_quick_replies(snap.quick_replies)
        self.notes.set_notes(d.notes)
        self.tabs.setTabText(1, tr("Percakapan ({n})", n=len(snap.conversation)) if snap.conversation
                             else tr("Percakapan"))
        self.tabs.setTabText(3, tr("Catatan ({n})", n=len(d.notes)) if d.notes else tr("Catatan"))
        self._apply_state(state)
        self._auto_preview()
        title = f"{d.number} · {d.applicant_name}"
        if title != self._title:
            self._title = title
            self.title_changed.emit(title)
        self.loaded.emit()

    def _auto_preview(self) -> None:
        """Show the file just added; on opening, the issued PDF (else the first file)."""
        wanted, self._preview_next = self._preview_next, None
        if wanted is None and self.previewed_id is None:
            issued = [a for a in self.detail.attachments if a.role == "issued"]
            resident = [a for a in self.detail.attachments if a.role == "resident"]
            if issued:
                wanted = issued[-1].id
            elif resident:
                wanted = resident[0].id
        if wanted is not None:
            self.show_attachment(wanted)
        elif self.previewed_id is None:
            self.preview.clear(tr("Belum ada berkas. Seret berkas ke sini atau pakai tombol Lampirkan…"))

    def _requirement_label(self, code: str) -> str:
        if self.sop:
            try:
                return self.sop.requirement(code).label
            except KeyError:
                pass
        return code

    # -- state -------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return bool(self.fields.dirty_keys() or self.facts.changes())

    def _state(self):
        return action_state(self.detail, self.sop, self.report, self.ctx.actor,
                            dirty=self.has_unsaved_changes(), invalid=not self.fields.is_valid())

    def _apply_state(self, state=None) -> None:
        if self.detail is None:
            return
        state = state or self._state()
        self.actions.apply(state, dirty=self.has_unsaved_changes(), valid=self.fields.is_valid())
        self.actions.setEnabled(self._busy == 0)
        self.fields.set_read_only(not state.editable)
        self.facts.set_read_only(not state.editable)
        self.service.setEnabled(state.editable)
        self.conversation.actions_enabled = state.editable
        self._apply_reply_state(state)
        if not self.fields.is_valid():
            self.actions.save.setToolTip(tr("Perbaiki dulu: {fields}", fields=", ".join(self.fields.invalid_labels())))
        else:
            self.actions.save.setToolTip(tr("Simpan perubahan data (Ctrl+S)"))

    def _apply_reply_state(self, state) -> None:
        d = self.detail
        if not state.reply or state.reply_reason:
            why = state.reply_reason or state.read_only_reason or tr("Peran Anda tidak boleh mengirim pesan.")
            self.conversation_tab.set_allowed(False, why)
        else:
            self.conversation_tab.set_allowed(True, tr("Balasan dikirim ke WhatsApp {phone} · Ctrl+Enter untuk "
                                                       "mengirim", phone=phone_display(d.applicant_phone if d else "")))

    def open_received_file(self, sha256: str, kind: str, name: str) -> None:
        """"Buka" on a file the resident sent: photos/PDFs in a viewer, others in their own program."""
        open_stored_file(self.ctx, self, sha256, kind, name,
                         on_error=lambda message: self.message_bar.show_message(message, "error"))

    def _on_form_changed(self) -> None:
        self._cross_check()
        self._apply_state()

    def _cross_check(self) -> None:
        values = self.facts.current()
        birth = values.get("subject_birth_date") or (self.detail.facts.get("subject_birth_date") if self.detail else None)
        try:
            birth = date.fromisoformat(str(birth)[:10]) if birth else None
        except ValueError:
            birth = None
        sex = values.get("subject_sex") or (self.detail.facts.get("subject_sex") if self.detail else None)
        self.fields.set_subject_facts(birth, sex)

    def _on_data_changed(self, changes: ChangeSet) -> None:
        """Someone else changed this request: reload, unless that would lose typing."""
        if self.detail is None:
            return
        mine = self.ctx.desk.origin  # this window's own saves reload the editor already
        if self._request_id not in changes.ids(ChangeKind.REQUEST, except_origin=mine) and not changes.truncated:
            if self._request_id in changes.ids(ChangeKind.CONVERSATION):
                self._refresh_conversation()  # a message went out or was read: not an edit
            return
        if self.has_unsaved_changes():
            # NOTE: reloading now would take the new row version and let "Simpan" overwrite the
            # other change unseen; the operator chooses (reload, or save and be told of the conflict).
            self.message_bar.show_message(
                tr("Permohonan ini diubah di komputer lain. Isian Anda belum disimpan; muat ulang untuk "
                   "melihat perubahannya (isian Anda akan dibuang)."), "warning", tr("Muat ulang"))
            self.changed_elsewhere = True
            return
        self.reload(keep_edits=True)

    def _refresh_conversation(self) -> None:
        rid = self._request_id

        def shown(entries) -> None:
            if rid == self._request_id:
                self.conversation.set_lines(list(entries))

        self.ctx.submit(lambda: self.ctx.desk.conversation(rid), self._guard(shown),
                        self._guard(lambda _exc: None), label=tr("Memuat percakapan"))

    # -- running changes ------------------------------------------------------------------------
    def _guard(self, callback):
        """Drop a result that arrives after the editor was closed."""
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run

    def _change(self, fn, *, label: str, done: str = "", then=None, keep_edits: bool = True,
                offer_reload: bool = False) -> None:
        """Run a desk change on the worker, then announce it and reload.

        A Conflict (stale version, claimed by someone else, a guard) is shown in the message
        bar; with `offer_reload` the operator decides when to reload (their edits stay visible).
        """
        def job():
            try:
                return fn()
            except Conflict as exc:
                return _Refused(exc.message)

        def finished(result) -> None:
            self._set_busy(-1)
            if isinstance(result, _Refused):
                if offer_reload:
                    self.message_bar.show_message(result.message, "error", tr("Muat ulang"))
                else:
                    self.message_bar.show_message(result.message, "error")
                    self.reload(keep_edits=True)
                return
            note = then(result) if then is not None else None
            if note:  # (text, level) replacing the usual confirmation
                self.message_bar.show_message(*note)
            elif done:
                self.message_bar.show_message(done, "info")
            self._announce()
            self.reload(keep_edits=keep_edits)

        def failed(message: str) -> None:
            self._set_busy(-1)
            self.message_bar.show_message(message, "error")

        self._set_busy(+1)
        self.ctx.submit(job, self._guard(finished), self._guard(failed), label=label)

    def _set_busy(self, step: int) -> None:
        self._busy = max(0, self._busy + step)
        self.actions.setEnabled(self._busy == 0)

    def _announce(self) -> None:
        """Let every other view see this change now rather than at the next poll."""
        self.changed_elsewhere = False
        self.ctx.changes.poll_now()

    # -- actions: data -------------------------------------------------------------------------
    def save(self) -> None:
        """Save the changed fields and facts (refused while a field is invalid)."""
        if not self.ready():
            return
        if not self.fields.is_valid():
            self.message_bar.show_message(tr("Perbaiki dulu isian yang salah: {fields}.",
                                             fields=", ".join(self.fields.invalid_labels())), "error")
            return
        changes: dict = dict(self.fields.changes())
        facts = self.facts.changes()
        if facts:
            changes["facts"] = facts
        if not changes:
            return
        rid, version, desk = self._request_id, self.detail.row_version, self.ctx.desk
        self._change(lambda: desk.update_request(rid, version, changes), label=tr("Menyimpan…"),
                     done=tr("Perubahan disimpan."), keep_edits=False, offer_reload=True)

    def _on_service_picked(self, index: int) -> None:
        code = self.service.itemData(index)
        if self.detail is None or code == self.detail.service_code or not code:
            if self.detail is not None and not code:
                self.service.setCurrentIndex(self.service.findData(self.detail.service_code))
            return
        if not self.ready():
            self.service.setCurrentIndex(self.service.findData(self.detail.service_code))
            return
        linked = [a for a in self.detail.attachments if a.role == "resident" and a.requirement_code]
        if linked and not self.confirm(tr(
                "Ganti layanan menjadi {name}? Berkas yang sudah dikaitkan perlu dikaitkan ulang ke "
                "persyaratan layanan baru.", name=self.service.itemText(index))):
            self.service.setCurrentIndex(self.service.findData(self.detail.service_code))
            return
        rid, version, desk = self._request_id, self.detail.row_version, self.ctx.desk
        self._change(lambda: desk.update_request(rid, version, {"service_code": code}),
                     label=tr("Mengganti layanan…"), done=tr("Layanan diganti; daftar berkas diperiksa ulang."),
                     offer_reload=True)

    # -- drag and drop anywhere else: files are attached unlinked ---------------------------------
    def dragEnterEvent(self, event) -> None:
        if can_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        if (loose_id := loose_id_from_mime(event.mimeData())) is not None:
            event.acceptProposedAction()
            self.place_loose_file(loose_id, None)
            return
        files = dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.attach_files(None, files)
        else:
            event.ignore()
