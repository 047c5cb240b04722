"""Shared pieces of the viewers: zoom limits, file reading, toolbar actions, the message panel.

`viewer_base.ViewerBase` is what the photo and PDF viewer widgets share.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QLabel,
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


def clamp_zoom(factor: float) -> float:
    """`factor` within the zoom range both viewers allow."""
    return min(MAX_ZOOM, max(MIN_ZOOM, factor))


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


def wheel_zoom_view(base: type) -> type:
    """A subclass of the view class `base` (QGraphicsView, QPdfView) that turns Ctrl+wheel
    into zoom steps (`wheel_zoom(+1 | -1)`) and reports resizes (`resized`)."""

    class WheelZoomView(base):
        wheel_zoom = Signal(int)  # +1 in, -1 out
        resized = Signal()

        def wheelEvent(self, event) -> None:
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                delta = event.angleDelta().y()
                if delta:
                    self.wheel_zoom.emit(1 if delta > 0 else -1)
                event.accept()
                return
            super().wheelEvent(event)

        def resizeEvent(self, event) -> None:
            super().resizeEvent(event)
            self.resized.emit()

    WheelZoomView.__name__ = f"WheelZoom{base.__name__}"
    return WheelZoomView


def read_file_bytes(path: Path) -> bytes:
    """Worker thread: the file's bytes, or OSError with an Indonesian reason."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise OSError(tr("berkas tidak ditemukan.")) from exc
    except OSError as exc:
        raise OSError(tr("berkas tidak dapat dibaca ({error}).", error=exc.strerror or exc)) from exc
    if not data:
        raise OSError(tr("berkas kosong."))
    return data

