"""Previews of photos and PDFs, made off the GUI thread (a phone photo can be 12 megapixels).

`make_preview` runs on the executor and returns a QImage (never a QPixmap off the GUI
thread); `Preview` is the label that asks for one and shows it when it arrives.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QLabel, QWidget

from dikjamila.i18n import tr
from ui.executor import Executor, Task
from ui.kiosk.theme import s

PDF_SUFFIXES = (".pdf",)


def make_preview(path: Path, box: int) -> QImage:
    """A picture of `path` (a photo, or a PDF's first page) no larger than `box` px a side."""
    if path.suffix.lower() in PDF_SUFFIXES:
        document = QPdfDocument()  # NOTE: no parent: a local, freed with this function's frame
        try:
            if document.load(str(path)) != QPdfDocument.Error.None_ or document.pageCount() < 1:
                return QImage()
            page = document.pagePointSize(0)
            scale = box / max(page.width(), page.height(), 1)
            size = QSize(max(1, int(page.width() * scale)), max(1, int(page.height() * scale)))
            image = document.render(0, size)
            image.setText("pages", str(document.pageCount()))
            return image
        finally:
            document.close()
            shiboken6.delete(document)
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)  # EXIF orientation: show a phone photo upright
    original = reader.size()
    if original.isValid() and max(original.width(), original.height()) > box:
        reader.setScaledSize(original.scaled(box, box, Qt.AspectRatioMode.KeepAspectRatio))
    return reader.read()


class Preview(QLabel):
    """A framed picture of one file, loaded on the executor; says so when it cannot be shown."""

    def __init__(self, executor: Executor, box: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._executor = executor
        self._box = box
        self._task: Task | None = None
        self.setFixedSize(box, box)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("background: #e5e7eb; border: 2px solid #6b7280; border-radius: 8px; " f"font-size: {s(16)}pt;")

    def show_file(self, path: Path | None) -> None:
        if self._task is not None:
            self._task.cancel()
        self.clear()
        if path is None:
            self.setText(tr("Belum ada"))
            return
        self.setText(tr("Memuat…"))
        self._task = self._executor.start(lambda _state: make_preview(path, self._box - 8), self._shown,
                                          lambda message: self.setText(message), owner=self,
                                          label=tr("Menyiapkan gambar…"))

    def _shown(self, image: QImage) -> None:
        self._task = None
        if image.isNull():
            self.setText(tr("Tidak dapat ditampilkan"))
            return
        self.setPixmap(QPixmap.fromImage(image))
