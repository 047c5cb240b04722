""""Ambil foto": the camera's picture on screen and a big button to take it (QtMultimedia).

QtMultimedia is optional (it ships in PySide6-Addons, which the bundle leaves out): without
it, or without a camera plugged in, `camera_present()` is False and the document steps offer
only "Pilih dari folder/flashdisk". A photo taken is written to a private temporary folder;
the station copies it into the kiosk and the wizard deletes the temporary file.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from dikjamila.i18n import tr
from ui.kiosk.theme import button, label, page, s

log = logging.getLogger(__name__)


def camera_present() -> bool:
    """Whether QtMultimedia is installed and sees at least one camera."""
    try:
        from PySide6.QtMultimedia import QMediaDevices  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return False
    try:
        return bool(QMediaDevices.videoInputs())
    except Exception:
        log.warning("the camera list could not be read", exc_info=True)
        return False


class CameraPage(QWidget):
    """Signals: `taken(Path)` (a JPEG in a temporary folder), `cancelled()`."""

    taken = Signal(object)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        page(self)
        self._camera: Any = None  # QtMultimedia objects, made on first use (the module is optional)
        self._session: Any = None
        self._capture: Any = None
        self._folder = Path(tempfile.mkdtemp(prefix="dikjamila-kamera-"))
        self.hint = label(tr("Letakkan dokumen di bawah kamera sampai seluruhnya terlihat jelas, lalu tekan "
                             "\"Jepret\"."), "muted", self)
        self.view_box = QVBoxLayout()
        self.message = label("", "error", self)
        self.back = button(tr("Batal"), "", self, slot=self._cancel)
        self.snap = button(tr("Jepret"), "primary", self, slot=self._snap)
        self.snap.setMinimumWidth(s(320))
        buttons = QHBoxLayout()
        buttons.addWidget(self.back)
        buttons.addStretch(1)
        buttons.addWidget(self.snap)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.hint)
        column.addLayout(self.view_box, 1)
        column.addWidget(self.message)
        column.addLayout(buttons)

    def start(self, document_label: str) -> None:
        """Show the camera's picture for the document `document_label`."""
        from PySide6.QtMultimedia import (
            QCamera,
            QImageCapture,
            QMediaCaptureSession,
            QMediaDevices,
        )
        from PySide6.QtMultimediaWidgets import QVideoWidget  # type: ignore[import-not-found,unused-ignore]

        self.document_label = document_label
        self.message.setText("")
        if self._session is None:
            self._session = QMediaCaptureSession(self)
            self._capture = QImageCapture(self)
            self._capture.imageCaptured.connect(self._captured)
            self._capture.errorOccurred.connect(lambda _id, _err, text: self._failed(text))
            self._session.setImageCapture(self._capture)
            view = QVideoWidget(self)
            view.setMinimumHeight(s(300))
            self.view_box.addWidget(view)
            self._session.setVideoOutput(view)
        self._camera = QCamera(QMediaDevices.defaultVideoInput(), self)
        self._camera.errorOccurred.connect(lambda _err, text: self._failed(text))
        self._session.setCamera(self._camera)
        self._camera.start()
        self.snap.setEnabled(True)

    def stop(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._camera.deleteLater()
            self._camera = None

    def _snap(self) -> None:
        if self._capture is None or not self._capture.isReadyForCapture():
            self.message.setText(tr("Kamera belum siap. Tunggu sebentar lalu tekan lagi."))
            return
        self.snap.setEnabled(False)
        self._capture.capture()

    def _captured(self, _id: int, image: QImage) -> None:
        path = self._folder / f"foto-{uuid.uuid4().hex[:8]}.jpg"
        if not image.save(str(path), "JPG", 92):  # type: ignore[call-overload]  # (the stub wants bytes; PySide takes str only)
            self._failed(tr("foto tidak dapat disimpan"))
            return
        self.stop()
        self.taken.emit(path)

    def _failed(self, text: str) -> None:
        log.warning("camera: %s", text)
        self.message.setText(tr("Kamera bermasalah ({text}). Pakai \"Pilih dari folder/flashdisk\" atau minta "
                                "bantuan petugas.", text=text))
        self.snap.setEnabled(True)

    def _cancel(self) -> None:
        self.stop()
        self.cancelled.emit()

    def wipe(self) -> None:
        self.stop()
        for leftover in self._folder.glob("*.jpg"):
            leftover.unlink(missing_ok=True)
