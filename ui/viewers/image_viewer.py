"""A photo viewer for documents residents send over WhatsApp: zoom, fit, rotate (view only).

Decoding runs off the GUI thread (`run_in_background`, a QThreadPool job whose result comes
back by signal). The first decode is scaled down inside the JPEG decoder
(`QImageReader.setScaledSize`, which libjpeg does cheaply at 1/2, 1/4 or 1/8 size) to at most
`PREVIEW_MAX_SIDE` pixels: enough for "Pas layar" on a 1366×768 screen. The full-size picture
is decoded, again in the background, only when the operator zooms in beyond what the preview
can show sharply. EXIF orientation is applied by the reader (`setAutoTransform(True)`).

Scene coordinates are always full-size image pixels, whatever resolution is loaded, so a
100% zoom means one photo pixel per screen pixel and swapping the preview for the full
picture does not move anything. Rotation is a view transform: the file is only ever read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QObject, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QImage,
    QImageIOHandler,
    QImageReader,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.i18n import tr

#: Longest side of the first (preview) decode; larger photos are decoded full size on demand.
PREVIEW_MAX_SIDE = 2048
ZOOM_STEP = 1.25
MIN_ZOOM = 0.02
MAX_ZOOM = 8.0
#: Formats the viewer will decode (the attachment store's allowlist); anything else is refused.
_ALLOWED_FORMATS = {"jpeg", "jpg", "png", "webp", "heic", "heif"}
#: Behind photos and PDF pages: a mid grey that white paper and dark ink both stand out on.
VIEW_BACKGROUND = QColor(96, 96, 96)
# Show "Memuat…" only if loading takes longer than this, to avoid flicker on quick loads.
_LOADING_DELAY_MS = 150


# --- background jobs ---------------------------------------------------------------------------
class _Hub(QObject):
    """Lives in the GUI thread for the whole program; worker threads emit through it.

    A per-job QObject could be deleted with its viewer while a worker is about to emit on
    it; a hub that never dies cannot. Receivers filter results by their ticket.
    """

    done = Signal(object, object, object)  # ticket, result, exception


_hub: _Hub | None = None


def background_hub() -> _Hub:
    """The shared hub; create it from the GUI thread (viewers do, in their constructor)."""
    global _hub
    if _hub is None:
        _hub = _Hub()
    return _hub


def run_in_background(fn: Callable[[], Any], ticket: object) -> None:
    """Run `fn` on the global QThreadPool; `background_hub().done(ticket, result, exc)` follows."""
    hub = background_hub()

    def job() -> None:
        try:
            result, failure = fn(), None
        except Exception as exc:  # noqa: BLE001 - every failure must reach the GUI
            result, failure = None, exc
        hub.done.emit(ticket, result, failure)

    QThreadPool.globalInstance().start(job)


# --- shared toolbar helpers (also used by the PDF viewer and the preview pane) -----------------
def make_action(parent: QWidget, text: str, tooltip: str, slot: Callable[[], Any], *,
                shortcuts: tuple[QKeySequence | str | QKeySequence.StandardKey, ...] = (),
                theme: QIcon.ThemeIcon | None = None,
                standard: QStyle.StandardPixmap | None = None,
                checkable: bool = False) -> QAction:
    """An action whose shortcuts work while focus is anywhere inside `parent`.

    The tooltip gets the first shortcut appended. The icon is the desktop theme's (Windows
    10/11 provide these through Qt's Segoe icon engine), else a QStyle standard icon, else none.
    """
    action = QAction(text, parent)
    icon = QIcon.fromTheme(theme) if theme is not None else QIcon()
    if icon.isNull() and standard is not None:
        icon = parent.style().standardIcon(standard)
    if not icon.isNull():
        action.setIcon(icon)
    keys: list[QKeySequence] = []
    for key in shortcuts:
        for seq in (QKeySequence.keyBindings(key) if isinstance(key, QKeySequence.StandardKey)
                    else [QKeySequence(key)]):
            # NOTE: the same sequence twice on one action makes it ambiguous: neither fires.
            if not seq.isEmpty() and seq not in keys:
                keys.append(seq)
    if keys:
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shown = keys[0].toString(QKeySequence.SequenceFormat.NativeText)
        tooltip = f"{tooltip} ({shown})"
    action.setToolTip(tooltip)
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    parent.addAction(action)
    return action


def tool_button(action: QAction, parent: QWidget, *, icon_only: bool = False) -> QToolButton:
    """A flat toolbar button showing `action`: text beside icon, or text alone without icon.

    `icon_only` buttons whose desktop has no icon show their text (a symbol such as "+" or
    "↺") enlarged, so it reads like an icon.
    """
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setAutoRaise(True)
    if action.icon().isNull():
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if icon_only:
            button.setAccessibleName(action.toolTip())  # a screen reader would say "plus sign"
            font = button.font()
            font.setPointSizeF(font.pointSizeF() * 1.35)
            button.setFont(font)
            button.setMinimumWidth(button.sizeHint().height())
    elif icon_only:
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    else:
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    return button


class MessagePanel(QWidget):
    """What a viewer shows instead of a document: a centred, wrapped text, with a warning
    icon above it for errors (not for "Memuat…" or hints)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._icon = QLabel(self)
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        self._text = QLabel(self)
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addStretch(1)
        layout.addWidget(self._icon)
        layout.addWidget(self._text)
        layout.addStretch(1)
        self.set_message("")

    def set_message(self, text: str, *, warning: bool = False) -> None:
        self._text.setText(text)
        self._icon.setVisible(warning)
        # Hints and "Memuat…" in the muted placeholder colour; problems in full text colour.
        self._text.setForegroundRole(QPalette.ColorRole.WindowText if warning else QPalette.ColorRole.PlaceholderText)

    def text(self) -> str:
        return self._text.text()

    def is_warning(self) -> bool:
        return not self._icon.isHidden()


# --- decoding (worker thread; no QPixmap here, only QImage) -----------------------------------
class DecodeError(Exception):
    """A photo that cannot be shown; `reason` is Indonesian text for the operator."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Decoded:
    image: QImage        # upright (EXIF applied); full size or a scaled preview
    full_size: QSize     # the upright full-size dimensions
    is_full: bool


def jpeg_is_complete(data: bytes) -> bool:
    """True when a JPEG stream reaches its end-of-image marker (EOI).

    Qt's decoder shows a truncated JPEG with a grey lower part and only logs a warning, so
    a photo cut off in transfer would look like a real (half-empty) document. This walks the
    marker segments (skipping APPn by length, so the EXIF thumbnail's own EOI is not
    mistaken for ours) and the entropy-coded data, where 0xFF is followed only by 0x00 or a
    restart marker. Non-JPEG data passes (other formats fail loudly in Qt on truncation).
    """
    if not data.startswith(b"\xff\xd8"):
        return True
    pos, end = 2, len(data)
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= end:
            return False
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI
            return True
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0x00 or marker == 0x01 or 0xD0 <= marker <= 0xD7:
            pos += 2  # stuffed 0xFF, TEM or RSTn inside scan data: no length field
        else:
            if pos + 4 > end:
                return False
            length = int.from_bytes(data[pos + 2:pos + 4], "big")
            if length < 2:
                return False
            pos += 2 + length
            if pos > end:
                return False


def _reader_reason(reader: QImageReader) -> str:
    if reader.error() == QImageReader.ImageReaderError.UnsupportedFormatError:
        return tr("format foto tidak didukung.")
    return tr("berkas rusak atau terpotong. Mohon minta warga mengirim ulang fotonya.")


def _preview_size(stored: QSize, max_side: int) -> QSize:
    """A size within `max_side` that libjpeg can decode directly.

    Qt's JPEG reader shrinks during decompression only by whole factors (1/2, 1/4, 1/8),
    then resamples to the requested size. Asking for exactly 1/2, 1/4 or 1/8 (rounded up,
    as libjpeg does) skips the full-size decode and the resampling: a 12 MP photo decodes
    in about a third of the time. Other formats are decoded in full and scaled by Qt.
    """
    longest = max(stored.width(), stored.height())
    for factor in (2, 4, 8):
        if -(-longest // factor) <= max_side:
            return QSize(-(-stored.width() // factor), -(-stored.height() // factor))
    return stored.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio)


def decode_image(path: Path, max_side: int | None) -> Decoded:
    """Read and decode `path` upright; scaled to fit `max_side` (None: full size).

    Raises `DecodeError` with an Indonesian reason. Runs in a worker thread.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DecodeError(tr("berkas tidak ditemukan.")) from None
    except OSError as exc:
        raise DecodeError(tr("berkas tidak dapat dibaca ({error}).", error=exc.strerror or exc)) from None
    if not data:
        raise DecodeError(tr("berkas kosong."))
    if not jpeg_is_complete(data):
        raise DecodeError(tr("berkas terpotong (tidak terkirim utuh). Mohon minta warga mengirim ulang fotonya."))
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QBuffer.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)
    reader.setAutoTransform(True)
    fmt = bytes(reader.format().data()).decode("ascii", "replace").lower()
    if fmt and fmt not in _ALLOWED_FORMATS:
        raise DecodeError(tr("format foto tidak didukung."))
    stored = reader.size()  # as stored, before EXIF orientation
    if not stored.isValid() or stored.isEmpty():
        raise DecodeError(_reader_reason(reader))
    quarter_turn = bool(reader.transformation() & QImageIOHandler.Transformation.TransformationRotate90)
    full = stored.transposed() if quarter_turn else stored
    is_full = True
    if max_side and max(stored.width(), stored.height()) > max_side:
        # NOTE: the scaled size is given in stored orientation; the reader rotates afterwards.
        reader.setScaledSize(_preview_size(stored, max_side))
        is_full = False
    image = reader.read()
    if image.isNull():
        raise DecodeError(_reader_reason(reader))
    return Decoded(image=image, full_size=full, is_full=is_full)


# --- the widget ---------------------------------------------------------------------------------
class _PhotoView(QGraphicsView):
    """QGraphicsView that turns Ctrl+wheel into zoom steps and reports resizes."""

    wheel_zoom = Signal(int)  # +1 in, -1 out
    resized = Signal()

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.wheel_zoom.emit(1 if delta > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.resized.emit()


class ImageViewer(QWidget):
    """Shows one photo. Signals: `loaded(QSize upright_size)`, `failed(str message)`,
    `zoom_changed(float factor)` (1.0 = one photo pixel per screen pixel)."""

    loaded = Signal(QSize)
    failed = Signal(str)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._path: Path | None = None
        self._ticket: object | None = None       # the decode whose result we still want
        self._full_ticket: object | None = None  # pending full-size decode, if any
        self._source = QImage()                  # preview or full picture, upright
        self._source_is_full = False
        self._full_failed = False
        self._full_size = QSize()
        self._zoom = 1.0
        self._fit = True
        self._rotation = 0
        self._message = ""
        self._pixmap_key: tuple[int, int] | None = None
        background_hub().done.connect(self._on_decoded)

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
        self._view.wheel_zoom.connect(lambda step: self.zoom_in() if step > 0 else self.zoom_out())
        self._view.resized.connect(self._on_resized)

        self._message_label = MessagePanel(self)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._view)
        self._stack.addWidget(self._message_label)

        # Re-render the display pixmap shortly after the zoom settles (wheel bursts).
        self._refresh_timer = QTimer(self, singleShot=True, interval=60)
        self._refresh_timer.timeout.connect(self._refresh_pixmap)
        self._loading_timer = QTimer(self, singleShot=True, interval=_LOADING_DELAY_MS)
        self._loading_timer.timeout.connect(lambda: self._show_message(tr("Memuat foto…")))

        self._build_toolbar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._stack, 1)
        self._update_controls()

    def _build_toolbar(self) -> None:
        self._toolbar = QWidget(self)
        row = QHBoxLayout(self._toolbar)
        row.setContentsMargins(4, 2, 4, 2)
        row.setSpacing(2)
        std = QKeySequence.StandardKey
        self.action_zoom_out = make_action(self, "−", tr("Perkecil"), self.zoom_out,
                                           shortcuts=("Ctrl+-", std.ZoomOut), theme=QIcon.ThemeIcon.ZoomOut)
        self.action_zoom_in = make_action(self, "+", tr("Perbesar"), self.zoom_in,
                                          shortcuts=("Ctrl+=", "Ctrl++", std.ZoomIn), theme=QIcon.ThemeIcon.ZoomIn)
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
        self._zoom_label = QLabel(self._toolbar)
        self._zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._zoom_label.setMinimumWidth(self._zoom_label.fontMetrics().horizontalAdvance("800%") + 8)
        self._zoom_label.setToolTip(tr("Perbesaran"))
        row.addWidget(tool_button(self.action_zoom_out, self._toolbar, icon_only=True))
        row.addWidget(self._zoom_label)
        row.addWidget(tool_button(self.action_zoom_in, self._toolbar, icon_only=True))
        row.addSpacing(6)
        row.addWidget(tool_button(self.action_fit, self._toolbar))
        row.addWidget(tool_button(self.action_actual, self._toolbar))
        row.addSpacing(6)
        row.addWidget(tool_button(self.action_rotate_left, self._toolbar, icon_only=True))
        row.addWidget(tool_button(self.action_rotate_right, self._toolbar, icon_only=True))
        row.addStretch(1)

    # -- public API --------------------------------------------------------------------------------
    def load(self, path: Path) -> None:
        """Show the photo at `path` (decoded in the background), fitted to the window."""
        self._reset()
        self._path = Path(path)
        self._ticket = object()
        self._loading_timer.start()
        # Blank at once: the previous resident's photo must not linger while this one loads.
        self._stack.setCurrentWidget(self._view)
        target = self._path
        run_in_background(lambda: decode_image(target, PREVIEW_MAX_SIDE), self._ticket)
        self._update_controls()

    def clear(self, message: str = "") -> None:
        """Forget the photo; show `message` (or an empty grey area)."""
        self._reset()
        self._path = None
        if message:
            self._show_message(message)
        else:
            self._stack.setCurrentWidget(self._view)
        self._update_controls()

    def path(self) -> Path | None:
        return self._path

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

    def message(self) -> str:
        """The text shown instead of a photo ("" while a photo is shown)."""
        return self._message

    def zoom_factor(self) -> float:
        return self._zoom

    def is_fit(self) -> bool:
        return self._fit

    def rotation(self) -> int:
        """View rotation in degrees clockwise: 0, 90, 180 or 270."""
        return self._rotation

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / ZOOM_STEP)

    def set_zoom(self, factor: float) -> None:
        """Zoom to `factor` (1.0 = 100%), leaving "Pas layar" mode."""
        if not self.has_image():
            return
        self._fit = False
        self._apply_zoom(min(MAX_ZOOM, max(MIN_ZOOM, factor)))

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
    def _reset(self) -> None:
        self._ticket = None
        self._full_ticket = None
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
        self._message = ""

    def _show_message(self, text: str, *, warning: bool = False) -> None:
        self._message = text
        self._message_label.set_message(text, warning=warning)
        self._stack.setCurrentWidget(self._message_label)

    def _on_decoded(self, ticket: object, result: Decoded | None, failure: Exception | None) -> None:
        if ticket is self._ticket:
            self._ticket = None
            self._loading_timer.stop()
            if failure is not None:
                reason = failure.reason if isinstance(failure, DecodeError) else str(failure)
                text = tr("Foto tidak dapat ditampilkan: {reason}", reason=reason)
                self._show_message(text, warning=True)
                self._update_controls()
                self.failed.emit(text)
                return
            self._message = ""
            self._full_size = result.full_size
            self._set_source(result.image, result.is_full)
            self._stack.setCurrentWidget(self._view)
            self._scene.setSceneRect(0, 0, self._full_size.width(), self._full_size.height())
            self.fit_to_window()
            self._refresh_pixmap()
            self.loaded.emit(QSize(self._full_size))
        elif ticket is self._full_ticket:
            self._full_ticket = None
            if failure is None and result is not None:
                self._set_source(result.image, True)
                self._refresh_pixmap()
            else:  # e.g. beyond Qt's allocation limit: keep the (valid) preview, do not retry
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
                and self._full_ticket is None):
            self._full_ticket = object()
            target = self._path
            run_in_background(lambda: decode_image(target, None), self._full_ticket)
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
        self._zoom_label.setText(f"{round(self._zoom * 100)}%" if has else "")
