"""The request editor: form, SOP checklist, actions, conversation and history of one request."""

from ui.editor.request_editor import RequestEditor

__all__ = ["RequestEditor"]
