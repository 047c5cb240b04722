"""A separate, non-modal window showing one photo or PDF (e.g. on a second monitor)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.executor import Executor
from ui.viewers.image_viewer import ImageViewer
from ui.viewers.pdf_viewer import PdfViewer

KINDS = ("image", "pdf")


def make_viewer(kind: str, executor: Executor, parent: QWidget | None = None) -> ImageViewer | PdfViewer:
    """An empty viewer for `kind` ("image" or "pdf") that loads on `executor`."""
    if kind == "image":
        return ImageViewer(executor, parent)
    if kind == "pdf":
        return PdfViewer(executor, parent)
    raise ValueError(f"unknown file kind {kind!r}; expected one of {KINDS}")


class ViewerWindow(QWidget):
    """A top-level viewer window for `path`, loaded on `executor`; deleted when closed (Esc
    closes it).

    Pass the preview pane (or any widget) as `parent` to have the window closed and deleted
    with it; it still is a separate window (Qt.Window), not embedded.
    """

    def __init__(self, executor: Executor, path: Path, kind: str, title: str, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._path = Path(path)
        self._kind = kind
        self._title = title
        self.setWindowTitle(tr("{title} — Dik Jamila", title=title))
        self.viewer = make_viewer(kind, executor, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.viewer)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self._size_to_screen(parent)
        self.viewer.load(self._path)

    def path(self) -> Path:
        return self._path

    def kind(self) -> str:
        return self._kind

    def title(self) -> str:
        return self._title

    def _size_to_screen(self, parent: QWidget | None) -> None:
        """Most of the screen's height, portrait-ish width: documents are mostly A4 portrait."""
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(900, 700)
            return
        area = screen.availableGeometry()
        width = min(1000, int(area.width() * 0.7))
        height = int(area.height() * 0.92)
        self.resize(width, height)
        self.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)
