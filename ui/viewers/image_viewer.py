"""A photo viewer for documents residents send over WhatsApp: zoom, fit, rotate (view only).

Decoding runs off the GUI thread, on the session's executor (`ui.executor`); loading
another photo cancels the decode still running for the previous one. The first decode is
scaled down inside the JPEG decoder (`QImageReader.setScaledSize`, which libjpeg does
cheaply at 1/2, 1/4 or 1/8 size) to at most `PREVIEW_MAX_SIDE` pixels: enough for
"Pas layar" on a 1366×768 screen. The full-size picture is decoded, again in the
background, only when the operator zooms in beyond what the preview can show sharply. EXIF
orientation is applied by the reader (`setAutoTransform(True)`).

Scene coordinates are always full-size image pixels, whatever resolution is loaded, so a
100% zoom means one photo pixel per screen pixel and swapping the preview for the full
picture does not move anything. Rotation is a view transform: the file is only ever read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QIcon,
    QImage,
    QPainter,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr
from ui.executor import Executor, Task
from ui.viewers.common import (
    MIN_ZOOM,
    PREVIEW_MAX_SIDE,
    VIEW_BACKGROUND,
    clamp_zoom,
    make_action,
    tool_button,
    wheel_zoom_view,
)
from ui.viewers.decode import Decoded, decode_image
from ui.viewers.viewer_base import ViewerBase

# --- the widget ---------------------------------------------------------------------------------
_PhotoView = wheel_zoom_view(QGraphicsView)


class ImageViewer(ViewerBase):
    """Shows one photo, decoded on `executor`. Signals: `loaded(QSize upright_size)`,
    `failed(str message)`, `zoom_changed(float factor)` (1.0 = one photo pixel per screen pixel)."""

    loaded = Signal(QSize)
    zoom_changed = Signal(float)

    def __init__(self, executor: Executor, parent: QWidget | None = None):
        super().__init__(executor, parent)
        self._full_task: Task | None = None  # the full-size decode still running, if any
        self._source = QImage()                  # preview or full picture, upright
        self._source_is_full = False
        self._full_failed = False
        self._full_size = QSize()
        self._zoom = 1.0
        self._fit = True
        self._rotation = 0
        self._pixmap_key: tuple[int, int] | None = None

        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self._view = _PhotoView(self._scene, self)
        self._view.setRenderHints(QPainter.RenderHint.SmoothPixmapTransform | QPainter.RenderHint.Antialiasing)
        self._view.setBackgroundBrush(VIEW_BACKGROUND)
        self._view.setFrameShape(QGraphicsView.Shape.NoFrame)
        self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._view.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self._view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._view.resized.connect(self._on_resized)

        self._assemble(tr("Memuat foto…"))

        # Re-render the display pixmap shortly after the zoom settles (wheel bursts).
        self._refresh_timer = QTimer(self, singleShot=True, interval=60)
        self._refresh_timer.timeout.connect(self._refresh_pixmap)

        self._build_toolbar()
        self._finish_layout()

    def _build_toolbar(self) -> None:
        self._toolbar = QWidget(self)
        row = QHBoxLayout(self._toolbar)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(2)
        self._add_zoom_controls(row)
        self.action_fit = make_action(self, tr("Pas layar"), tr("Tampilkan seluruh foto"), self.fit_to_window,
                                      shortcuts=("Ctrl+0",), theme=QIcon.ThemeIcon.ZoomFitBest, checkable=True)
        self.action_actual = make_action(self, "100%", tr("Ukuran asli: satu piksel foto per piksel layar"),
                                         self.actual_size, shortcuts=("Ctrl+1",))
        self.action_rotate_left = make_action(self, "↺", tr("Putar ke kiri (hanya tampilan, berkas tidak diubah)"),
                                              self.rotate_left, shortcuts=("Ctrl+L",),
                                              theme=QIcon.ThemeIcon.ObjectRotateLeft)
        self.action_rotate_right = make_action(self, "↻", tr("Putar ke kanan (hanya tampilan, berkas tidak diubah)"),
                                               self.rotate_right, shortcuts=("Ctrl+R",),
                                               theme=QIcon.ThemeIcon.ObjectRotateRight)
        row.addSpacing(6)
        row.addWidget(tool_button(self.action_fit, self._toolbar))
        row.addWidget(tool_button(self.action_actual, self._toolbar))
        row.addSpacing(6)
        row.addWidget(tool_button(self.action_rotate_left, self._toolbar, icon_only=True))
        row.addWidget(tool_button(self.action_rotate_right, self._toolbar, icon_only=True))
        row.addStretch(1)

    # -- public API (`load`, `clear`, `path`, `message`, `zoom_in`, `zoom_out`: ViewerBase) ----------
    def has_image(self) -> bool:
        return not self._source.isNull()

    def image_size(self) -> QSize:
        """The photo's full upright size (EXIF orientation applied; view rotation not)."""
        return QSize(self._full_size)

    def pixmap(self) -> QPixmap:
        """The pixmap on screen, upright (it may be scaled down for the current zoom)."""
        return self._item.pixmap()

    def is_full_resolution(self) -> bool:
        """Whether the full-size picture has been decoded (else a preview is shown)."""
        return self._source_is_full

    def zoom_factor(self) -> float:
        return self._zoom

    def is_fit(self) -> bool:
        return self._fit

    def rotation(self) -> int:
        """View rotation in degrees clockwise: 0, 90, 180 or 270."""
        return self._rotation

    def set_zoom(self, factor: float) -> None:
        """Zoom to `factor` (1.0 = 100%), leaving "Pas layar" mode."""
        if not self.has_image():
            return
        self._fit = False
        self._apply_zoom(clamp_zoom(factor))

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit_to_window(self) -> None:
        """Show the whole photo ("Pas layar"); the mode stays on while the window resizes."""
        self._fit = True
        if self.has_image():
            self._apply_zoom(self._fit_zoom())
        self._update_controls()

    def rotate_left(self) -> None:
        self._rotate(-90)

    def rotate_right(self) -> None:
        self._rotate(90)

    # -- internals ---------------------------------------------------------------------------------
    def _start_loading(self, path: Path) -> Task:
        """Decode a preview first; `_refresh_pixmap` decodes the full size when zoomed in."""
        return self._executor.start(lambda _state: decode_image(path, PREVIEW_MAX_SIDE),
                                    self._on_preview, self._on_preview_failed,
                                    label="decode photo preview", owner=self)

    def _close_document(self) -> None:
        for task in (self._task, self._full_task):
            if task is not None:
                task.cancel()  # NOTE: its result would belong to the photo shown before
        self._task = None
        self._full_task = None
        self._loading_timer.stop()
        self._refresh_timer.stop()
        self._source = QImage()
        self._source_is_full = False
        self._full_failed = False
        self._full_size = QSize()
        self._item.setPixmap(QPixmap())
        self._pixmap_key = None
        self._scene.setSceneRect(0, 0, 0, 0)
        self._rotation = 0
        self._fit = True
        self._zoom = 1.0
        self._view.setTransform(QTransform())

    def _on_preview(self, result: Decoded) -> None:
        self._loading_ended()
        self._full_size = result.full_size
        self._set_source(result.image, result.is_full)
        self._show_document()
        self._scene.setSceneRect(0, 0, self._full_size.width(), self._full_size.height())
        self.fit_to_window()
        self._refresh_pixmap()
        self.loaded.emit(QSize(self._full_size))

    def _on_preview_failed(self, reason: str) -> None:
        self._loading_ended()
        self._show_failure(tr("Foto tidak dapat ditampilkan: {reason}", reason=reason))

    def _on_full(self, result: Decoded) -> None:
        self._full_task = None
        self._set_source(result.image, True)
        self._refresh_pixmap()

    def _on_full_failed(self, _reason: str) -> None:
        # e.g. beyond Qt's allocation limit: keep the (valid) preview, do not retry
        self._full_task = None
        self._full_failed = True

    def _set_source(self, image: QImage, is_full: bool) -> None:
        self._source = image
        self._source_is_full = is_full

    def _fit_zoom(self) -> float:
        width, height = self._full_size.width(), self._full_size.height()
        if self._rotation in (90, 270):
            width, height = height, width
        viewport = self._view.viewport().size()
        pad = 8
        if width <= 0 or height <= 0:
            return 1.0
        fit = min((viewport.width() - pad) / width, (viewport.height() - pad) / height)
        return max(MIN_ZOOM, min(1.0, fit))  # NOTE: never enlarge a small photo past 100% to fit

    def _apply_zoom(self, factor: float) -> None:
        self._zoom = factor
        self._view.setTransform(QTransform().rotate(self._rotation).scale(factor, factor))
        self._refresh_timer.start()
        self._update_controls()
        self.zoom_changed.emit(factor)

    def _rotate(self, degrees: int) -> None:
        if not self.has_image():
            return
        self._rotation = (self._rotation + degrees) % 360
        if self._fit:
            self.fit_to_window()
        else:
            self._apply_zoom(self._zoom)

    def _on_resized(self) -> None:
        if self._fit and self.has_image():
            self._apply_zoom(self._fit_zoom())

    def _refresh_pixmap(self) -> None:
        """Give the item a pixmap that suits the current zoom.

        QGraphicsView's smooth transform is bilinear: fine for enlarging and small
        reductions, but it aliases text badly when shrinking a photo several times. So when
        the screen needs fewer than half the loaded pixels, hand it a copy scaled down with
        Qt's area-averaging scaler instead.
        """
        if self._source.isNull():
            return
        dpr = self._view.devicePixelRatioF()
        wanted_width = max(1, round(self._zoom * self._full_size.width() * dpr))
        source_width = self._source.width()
        if (wanted_width > source_width * 1.05 and not self._source_is_full and not self._full_failed
                and self._full_task is None):
            target = self._path
            self._full_task = self._executor.start(lambda _state: decode_image(target, None),
                                                   self._on_full, self._on_full_failed,
                                                   label="decode full-size photo", owner=self)
        width = wanted_width if wanted_width < source_width * 0.5 else source_width
        key = (self._source.cacheKey(), width)
        if key != self._pixmap_key:
            image = self._source
            if width != source_width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            self._item.setPixmap(QPixmap.fromImage(image))
            self._item.setScale(self._full_size.width() / max(1, image.width()))
            self._pixmap_key = key

    def _update_controls(self) -> None:
        has = self.has_image()
        for action in (self.action_zoom_in, self.action_zoom_out, self.action_fit, self.action_actual,
                       self.action_rotate_left, self.action_rotate_right):
            action.setEnabled(has)
        self.action_fit.setChecked(has and self._fit)
        self._show_zoom(has)
