"""What the photo and PDF viewers share: loading in the background, the message shown instead
of the document, and the zoom buttons.

A viewer shows one document at a time. Its view is stacked over a message panel; "Memuat…"
appears only when loading is slow; loading another file cancels the load still running, whose
result would belong to the document shown before.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.executor import Executor, Task
from ui.viewers.common import ZOOM_STEP, MessagePanel, make_action, tool_button

# Show "Memuat…" only if loading takes longer than this, to avoid flicker on quick loads.
_LOADING_DELAY_MS = 150


class ViewerBase(QWidget):
    """A viewer of one document, loaded on `executor`. Signal: `failed(str message)`.

    Subclasses make `self._view` (a `wheel_zoom_view`), call `_assemble(loading_text)`, build
    `self._toolbar` (with `_add_zoom_controls`), then call `_finish_layout()`. They provide the
    methods below that raise NotImplementedError.
    """

    failed = Signal(str)

    def __init__(self, executor: Executor, parent: QWidget | None = None):
        super().__init__(parent)
        self._executor = executor
        self._path: Path | None = None
        self._task: Task | None = None  # the load still running, if any
        self._message = ""

    # -- what subclasses provide -------------------------------------------------------------------
    def _start_loading(self, path: Path) -> Task:
        """Start loading `path` on the executor; its callbacks show the document or fail."""
        raise NotImplementedError

    def _close_document(self) -> None:
        """Cancel the work still running for the document shown, and drop the document."""
        raise NotImplementedError

    def zoom_factor(self) -> float:
        raise NotImplementedError

    def set_zoom(self, factor: float) -> None:
        raise NotImplementedError

    def _update_controls(self) -> None:
        """Enable, check and label the toolbar for what is shown."""
        raise NotImplementedError

    # -- public API --------------------------------------------------------------------------------
    def load(self, path: Path) -> None:
        """Show the document at `path` (loaded in the background); `loaded` or `failed` follows."""
        self._close_document()
        self._path = Path(path)
        self._loading_timer.start()
        # Blank at once: the previous resident's document must not linger while this one loads.
        self._show_document()
        self._task = self._start_loading(self._path)
        self._update_controls()

    def clear(self, message: str = "") -> None:
        """Forget the document; show `message` (or an empty area)."""
        self._close_document()
        self._path = None
        if message:
            self._show_message(message)
        else:
            self._show_document()
        self._update_controls()

    def path(self) -> Path | None:
        return self._path

    def message(self) -> str:
        """The text shown instead of the document ("" while the document is shown)."""
        return self._message

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_factor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_factor() / ZOOM_STEP)

    # -- building ----------------------------------------------------------------------------------
    def _assemble(self, loading_text: str) -> None:
        self._message_label = MessagePanel(self)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._view)
        self._stack.addWidget(self._message_label)
        self._loading_timer = QTimer(self, singleShot=True, interval=_LOADING_DELAY_MS)
        self._loading_timer.timeout.connect(lambda: self._show_message(loading_text))
        self._view.wheel_zoom.connect(lambda step: self.zoom_in() if step > 0 else self.zoom_out())

    def _add_zoom_controls(self, row: QHBoxLayout) -> None:
        """Add "−", the zoom percentage and "+" to `row` of the toolbar."""
        std = QKeySequence.StandardKey
        self.action_zoom_out = make_action(self, "−", tr("Perkecil"), self.zoom_out,
                                           shortcuts=("Ctrl+-", std.ZoomOut), theme=QIcon.ThemeIcon.ZoomOut)
        self.action_zoom_in = make_action(self, "+", tr("Perbesar"), self.zoom_in,
                                          shortcuts=("Ctrl+=", "Ctrl++", std.ZoomIn), theme=QIcon.ThemeIcon.ZoomIn)
        self._zoom_label = QLabel(self._toolbar)
        self._zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._zoom_label.setMinimumWidth(self._zoom_label.fontMetrics().horizontalAdvance("800%") + 8)
        self._zoom_label.setToolTip(tr("Perbesaran"))
        row.addWidget(tool_button(self.action_zoom_out, self._toolbar, icon_only=True))
        row.addWidget(self._zoom_label)
        row.addWidget(tool_button(self.action_zoom_in, self._toolbar, icon_only=True))

    def _finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._stack, 1)
        self._update_controls()

    # -- showing -----------------------------------------------------------------------------------
    def _show_document(self) -> None:
        self._message = ""
        self._stack.setCurrentWidget(self._view)

    def _show_message(self, text: str, *, warning: bool = False) -> None:
        self._message = text
        self._message_label.set_message(text, warning=warning)
        self._stack.setCurrentWidget(self._message_label)

    def _show_failure(self, text: str) -> None:
        self._show_message(text, warning=True)
        self._update_controls()
        self.failed.emit(text)

    def _show_zoom(self, shown: bool) -> None:
        """The zoom percentage in the toolbar, or nothing while no document is shown."""
        self._zoom_label.setText(f"{round(self.zoom_factor() * 100)}%" if shown else "")

    def _loading_ended(self) -> None:
        """The background load has answered, either way."""
        self._task = None
        self._loading_timer.stop()
