"""Touch scrolling: drag a list or a page with a finger (or the mouse) as on a phone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QScrollArea,
    QScroller,
    QWidget,
)


def touch_scroll(area: QAbstractScrollArea) -> None:
    """Let a finger drag `area`'s contents; taps still press what they land on.

    NOTE: the touch gesture, not the left-mouse-button one: that one holds every mouse press
    back to see whether it becomes a drag, and a press it holds can be lost (seen here: a
    button in a scrolled page that never got its click). A mouse scrolls with the wheel and
    the (wide) scroll bar; touch screens send touch events.
    """
    area.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
    if isinstance(area, QAbstractItemView):
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


def scroll_page(content: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """`content` in a frameless, white, finger-scrollable area."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    content.setProperty("kioskPage", True)
    content.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    area.viewport().setObjectName("kioskViewport")  # white, by the theme's style sheet
    touch_scroll(area)
    return area
