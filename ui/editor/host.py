"""What the editor's action mixins (`ui.editor.operations`) use from the editor.

The mixins are written against this Protocol, not against `RequestEditor` itself: a new
attribute they need must be declared here, and mypy checks both sides (the mixins use only
what is declared; `RequestEditor` provides all of it) — see tests/ui/test_editor_host_types.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from dikjamila.desk import RequestDetail
from dikjamila.sop import CompletenessReport, Sop

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QComboBox, QTabWidget, QWidget

    from ui.context import AppContext
    from ui.editor.action_state import ActionState
    from ui.editor.checklist import ChecklistWidget
    from ui.editor.conversation import ConversationTab
    from ui.editor.header import MessageBar
    from ui.editor.preview_record import PreviewRecorder
    from ui.viewers.preview_pane import PreviewPane


class EditorHost(Protocol):
    ctx: AppContext
    detail: RequestDetail | None
    sop: Sop | None
    report: CompletenessReport | None
    message_bar: MessageBar
    checklist: ChecklistWidget
    preview: PreviewPane
    preview_recorder: PreviewRecorder
    conversation_tab: ConversationTab
    tabs: QTabWidget
    previewed_id: int | None
    _preview_next: int | None
    _request_id: int
    service: QComboBox
    loaded: SignalInstance

    def ready(self) -> bool: ...

    def ready_detail(self) -> RequestDetail | None:
        """The loaded request when no change or reload is under way, else None."""
        ...

    def as_widget(self) -> QWidget:
        """The editor as the parent of the dialogs the actions open."""
        ...

    def confirm(self, text: str) -> bool: ...

    def show_attachment(self, attachment_id: int) -> None: ...

    def _state(self) -> ActionState: ...

    def _on_service_picked(self, index: int) -> None: ...

    def _requirement_label(self, code: str) -> str: ...

    def _guard(self, callback: Callable[..., Any]) -> Callable[..., None]: ...

    def _change(self, fn: Callable[[], Any], *, label: str, done: str = "", then: Callable[[Any], Any] | None = None,
                keep_edits: bool = True, offer_reload: bool = False) -> None: ...


if TYPE_CHECKING:
    from ui.editor.request_editor import RequestEditor

    def _editor_provides_every_method(ctx: AppContext) -> None:
        # mypy: an EditorHost method RequestEditor lacks makes it abstract, and this call an error.
        RequestEditor(ctx, 1)
