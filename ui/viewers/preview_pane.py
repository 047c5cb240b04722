"""The side pane that previews an attachment: a photo or a PDF, with a "separate window" button."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from dikjamila.files import HEAD_SIZE, sniff
from dikjamila.i18n import tr
from ui.executor import Executor
from ui.viewers.common import MessagePanel, make_action, tool_button
from ui.viewers.image_viewer import ImageViewer
from ui.viewers.pdf_viewer import PdfViewer
from ui.viewers.viewer_window import KINDS, ViewerWindow


class _ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the pane."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(0, self.width())))


class PreviewPane(QWidget):
    """Shows one attachment. Signals: `window_opened(ViewerWindow)`.

    `show_file(path, kind, title)` picks the viewer; `kind` is "image" or "pdf", or None to
    decide from the file's first bytes (`dikjamila.files.sniff`). Only one viewer holds a
    file at a time: the other is cleared, so a hidden PDF does not keep its memory. Files are
    read and decoded on `executor` (the session's, `ctx.executor`), also in separate windows.
    """

    window_opened = Signal(object)

    def __init__(self, executor: Executor, parent: QWidget | None = None):
        super().__init__(parent)
        self._executor = executor
        self._path: Path | None = None
        self._kind: str | None = None
        self._title = ""
        self._windows: dict[tuple[Path, str], ViewerWindow] = {}

        self._title_label = _ElidedLabel(self)
        font = QFont(self._title_label.font())
        font.setBold(True)
        self._title_label.setFont(font)
        self.action_open_window = make_action(
            self, tr("Buka di jendela terpisah"), tr("Tampilkan berkas ini di jendela sendiri, misalnya di layar kedua"),
            self.open_in_window, shortcuts=("Ctrl+Shift+O",), theme=QIcon.ThemeIcon.WindowNew,
            standard=QStyle.StandardPixmap.SP_TitleBarMaxButton)
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 4, 4)
        header.addWidget(self._title_label, 1)
        header.addWidget(tool_button(self.action_open_window, self))

        self.image_viewer = ImageViewer(executor, self)
        self.pdf_viewer = PdfViewer(executor, self)
        # A file the viewer cannot show would show the same error in a window: no button.
        self.image_viewer.failed.connect(self._on_viewer_failed)
        self.pdf_viewer.failed.connect(self._on_viewer_failed)
        self._placeholder = MessagePanel(self)
        self._stack = QStackedWidget(self)
        for widget in (self._placeholder, self.image_viewer, self.pdf_viewer):
            self._stack.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(rule)
        layout.addWidget(self._stack, 1)
        self.clear()

    # -- public API --------------------------------------------------------------------------------
    def show_file(self, path: Path, kind: str | None = None, title: str | None = None) -> None:
        """Show `path` as `kind` under `title` (default: the file name)."""
        path = Path(path)
        title = title or path.name
        if kind is None:
            kind = self._sniff(path)
            if kind is None:
                return
        if kind not in KINDS:
            raise ValueError(f"unknown file kind {kind!r}; expected one of {KINDS}")
        self._path, self._kind, self._title = path, kind, title
        self._title_label.set_full_text(title)
        self.action_open_window.setEnabled(True)
        if kind == "image":
            self.pdf_viewer.clear()
            self.image_viewer.load(path)
            self._stack.setCurrentWidget(self.image_viewer)
        else:
            self.image_viewer.clear()
            self.pdf_viewer.load(path)
            self._stack.setCurrentWidget(self.pdf_viewer)

    def clear(self, message: str | None = None) -> None:
        """Show nothing but `message` (default "Pilih berkas untuk dilihat")."""
        self._clear(tr("Pilih berkas untuk dilihat") if message is None else message, warning=False)

    def path(self) -> Path | None:
        return self._path

    def kind(self) -> str | None:
        return self._kind

    def title(self) -> str:
        return self._title

    def current_viewer(self) -> ImageViewer | PdfViewer | None:
        widget = self._stack.currentWidget()
        return widget if widget in (self.image_viewer, self.pdf_viewer) else None

    def message(self) -> str:
        """The placeholder text while nothing is shown, else the viewer's message (errors)."""
        viewer = self.current_viewer()
        return self._placeholder.text() if viewer is None else viewer.message()

    def open_in_window(self) -> ViewerWindow | None:
        """Open (or raise, if already open) a separate window with the shown file."""
        if self._path is None or self._kind is None:
            return None
        key = (self._path, self._kind)
        window = self._windows.get(key)
        if window is None:
            window = ViewerWindow(self._executor, self._path, self._kind, self._title, self)
            self._windows[key] = window
            window.destroyed.connect(lambda _=None, k=key: self._windows.pop(k, None))
            self.window_opened.emit(window)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_windows(self) -> list[ViewerWindow]:
        return list(self._windows.values())

    # -- internals ---------------------------------------------------------------------------------
    def _clear(self, message: str, *, warning: bool, title: str = "") -> None:
        self._path, self._kind, self._title = None, None, ""
        self.image_viewer.clear()
        self.pdf_viewer.clear()
        self._title_label.set_full_text(title)
        self._placeholder.set_message(message, warning=warning)
        self._stack.setCurrentWidget(self._placeholder)
        self.action_open_window.setEnabled(False)

    def _on_viewer_failed(self, _message: str) -> None:
        self.action_open_window.setEnabled(False)

    def _sniff(self, path: Path) -> str | None:
        """The file's kind from its first bytes; shows a message and returns None if unusable."""
        try:
            with path.open("rb") as handle:
                head = handle.read(HEAD_SIZE)
        except OSError:
            self._clear(tr("Berkas {name} tidak ditemukan atau tidak dapat dibaca.", name=path.name),
                        warning=True, title=path.name)
            return None
        found = sniff(head)
        if found is None:
            self._clear(tr("Berkas {name} bukan foto atau PDF, jadi tidak ditampilkan.", name=path.name),
                        warning=True, title=path.name)
            return None
        return found[0]
