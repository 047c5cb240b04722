"""The request editor's form pane and its signal wiring, apart from the editor's logic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dikjamila.auth.roles import Permission
from dikjamila.i18n import tr
from ui.editor.checklist import ChecklistWidget
from ui.editor.facts_form import FactsForm
from ui.editor.fields import FieldsForm

if TYPE_CHECKING:
    from ui.editor.request_editor import RequestEditor


def build_form(editor: RequestEditor) -> QScrollArea:
    """The "Data dan berkas" tab: service, checklist, SOP facts, people — in a scroll area."""
    content = QWidget()
    form = QVBoxLayout(content)
    form.setContentsMargins(6, 6, 10, 6)
    form.setSpacing(8)
    service_row = QHBoxLayout()
    service_label = QLabel(tr("Layanan"), content)
    service_label.setStyleSheet("font-weight: bold;")
    editor.service = QComboBox(content)
    for sop in editor.ctx.office.catalog.all():
        editor.service.addItem(sop.name, sop.code)
    editor.service.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    editor.service.setMinimumContentsLength(20)
    editor.service.activated.connect(editor._on_service_picked)
    service_label.setBuddy(editor.service)
    service_row.addWidget(service_label)
    service_row.addWidget(editor.service, 1)
    form.addLayout(service_row)
    editor.checklist = ChecklistWidget(content)
    editor.checklist_box = _group(tr("Kelengkapan berkas"), editor.checklist, content)
    form.addWidget(editor.checklist_box)
    editor.facts = FactsForm(content)
    editor.facts_box = _group(tr("Data untuk pemeriksaan SOP"), editor.facts, content)
    form.addWidget(editor.facts_box)
    editor.fields = FieldsForm(content)
    form.addWidget(_group(tr("Pemohon dan yang bersangkutan"), editor.fields, content))
    form.addStretch(1)
    scroll = QScrollArea(editor)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    return scroll


def connect_signals(editor: RequestEditor) -> None:
    """Every button and view of the editor to its action."""
    editor.fields.changed.connect(editor._on_form_changed)
    editor.facts.changed.connect(editor._on_form_changed)
    a = editor.actions
    a.save_clicked.connect(editor.save)
    a.claim_clicked.connect(editor.claim)
    a.release_clicked.connect(editor.release)
    a.advance_clicked.connect(editor.advance)
    a.override_clicked.connect(editor.override)
    a.message_clicked.connect(editor.send_missing_message)
    a.issued_clicked.connect(editor.attach_issued)
    a.send_document_clicked.connect(editor.send_document)
    a.note_clicked.connect(editor.add_note)
    a.reject_clicked.connect(editor.reject)
    editor.notes.add_clicked.connect(editor.add_note)
    editor.conversation.retry_requested.connect(editor.retry_message)
    editor.conversation.resend_requested.connect(editor.resend_message)
    editor.conversation.complaints_enabled = editor.ctx.can(Permission.RECORD_COMPLAINT)
    editor.conversation.complaint_requested.connect(editor.complaint_from_message)
    editor.conversation.open_file_requested.connect(editor.open_received_file)
    editor.conversation_tab.send_requested.connect(editor.send_reply)
    editor.conversation_tab.quick_reply_requested.connect(editor.fill_quick_reply)
    c = editor.checklist
    c.attach_requested.connect(editor.attach_to_requirement)
    c.replace_requested.connect(editor.replace_file)
    c.unlink_requested.connect(lambda att_id: editor.link(att_id, None))
    c.link_requested.connect(editor.link)
    c.link_all_requested.connect(editor.link_all)
    c.remove_requested.connect(editor.remove_file)
    c.view_requested.connect(editor.show_attachment)
    c.files_dropped.connect(editor.attach_files)
    c.loose_dropped.connect(editor.place_loose_file)


def _group(title: str, widget: QWidget, parent: QWidget) -> QGroupBox:
    box = QGroupBox(title, parent)
    lay = QVBoxLayout(box)
    lay.setContentsMargins(8, 6, 8, 8)
    lay.addWidget(widget)
    return box
