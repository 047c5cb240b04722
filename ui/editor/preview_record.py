"""Records that the operator saw an attachment's PDF (an audited view; the send rule reads it).

An issued PDF is sent only after its preview was opened (`Desk.send_issued_document`). The
record is made when the PDF viewer has actually loaded the file, not when it was asked for,
and once per attachment per editor.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Signal

from dikjamila.i18n import tr
from ui.viewers.preview_pane import PreviewPane

log = logging.getLogger(__name__)


class PreviewRecorder(QObject):
    """Signal `recorded(attachment id)` once the desk has the record."""

    recorded = Signal(int)

    def __init__(self, ctx, pane: PreviewPane, parent: QObject | None = None):
        super().__init__(parent)
        self._ctx = ctx
        self._pane = pane
        self._expected: dict[Path, int] = {}
        self.done: set[int] = set()
        pane.pdf_viewer.loaded.connect(self._on_loaded)

    def expect(self, path: Path, attachment_id: int) -> None:
        """The pane is about to show `path`, the PDF of attachment `attachment_id`."""
        self._expected[Path(path)] = attachment_id

    def _on_loaded(self, _pages: int) -> None:
        shown = self._pane.path()
        attachment_id = self._expected.get(Path(shown)) if shown is not None else None
        if attachment_id is None or attachment_id in self.done:
            return
        self.done.add(attachment_id)
        desk = self._ctx.desk

        def failed(message: str) -> None:
            log.warning("preview of attachment %s not recorded: %s", attachment_id, message)
            self.done.discard(attachment_id)  # the next look records it

        self._ctx.submit(lambda: desk.record_preview(attachment_id), self._guard(lambda _r: self.recorded.emit(attachment_id)),
                         self._guard(failed), label=tr("Mencatat pratinjau…"))

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run
