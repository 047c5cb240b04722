"""The kiosk's look: large type, high contrast, big touch targets.

Everything is sized for a touch screen read at arm's length by people who may not use
computers: base text 20 pt, headings 30 pt, buttons at least 64 px tall (the minimum touch
target is 48 px), dark text on white (contrast above 12:1), one accent colour for what to
press next. Widgets set a `role` property; the style sheet below gives each role its look.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

BASE_PT = 20
HEADING_PT = 30
HUGE_PT = 54
#: The smallest touch target (px) any pressable thing may have; buttons are taller.
MIN_TOUCH = 48
BUTTON_HEIGHT = 72

INK = "#111827"        # text: 16:1 on white
MUTED = "#374151"      # secondary text: 10:1 on white
PAPER = "#ffffff"
PANEL = "#f3f4f6"
ACCENT = "#1e3a8a"     # primary buttons: white on it 10:1
ACCENT_DOWN = "#172554"
ERROR = "#b91c1c"      # 6.5:1 on white
OK = "#166534"         # 7:1 on white
BORDER = "#4b5563"

#: Sizes grow with the screen: the layouts are drawn for 1366×768; a 1920×1080 screen gets
#: everything 1.4 times larger (the same layout, bigger type), not more empty space.
_scale = 1.0


def scale_for(height: int) -> float:
    """The scale for a screen `height` px tall: 1.0 up to 768 px, at most 1.4."""
    return min(1.4, max(1.0, height / 768))


def set_scale(value: float) -> None:
    """Set before the window's widgets are made (`KioskWindow` does)."""
    global _scale
    _scale = value


def s(size: float) -> int:
    """`size` (pt or px, as drawn for 1366×768) at the current scale."""
    return round(size * _scale)

def style_sheet() -> str:
    """The kiosk's style sheet at the current scale (`set_scale`)."""
    return f"""
QWidget#kioskRoot, QWidget#kioskViewport, QWidget[kioskPage="true"] {{ background: {PAPER}; }}
QWidget {{ color: {INK}; font-size: {s(BASE_PT)}pt; }}
QLabel[role="heading"] {{ font-size: {s(HEADING_PT)}pt; font-weight: bold; }}
QLabel[role="subheading"] {{ font-size: {s(24)}pt; font-weight: bold; }}
QLabel[role="muted"] {{ color: {MUTED}; }}
QLabel[role="error"] {{ color: {ERROR}; font-weight: bold; }}
QLabel[role="ok"] {{ color: {OK}; font-weight: bold; }}
QLabel[role="huge"] {{ font-size: {s(HUGE_PT)}pt; font-weight: bold; color: {ACCENT}; }}
QLabel[role="step"] {{ color: {MUTED}; font-size: {s(18)}pt; }}
QLabel[role="caption"] {{ font-size: {s(22)}pt; font-weight: bold; }}
QLabel[role="fieldError"] {{ color: {ERROR}; font-size: {s(18)}pt; font-weight: bold; }}
QLabel[role="fieldOk"] {{ color: {OK}; font-size: {s(18)}pt; font-weight: bold; }}
QLabel[role="footer"] {{ color: {MUTED}; font-size: {s(18)}pt; }}
QFrame[role="card"] {{ background: {PANEL}; border: 2px solid #d1d5db; border-radius: 12px; }}
QFrame[role="card"] QLabel {{ background: transparent; }}
QPushButton {{
    min-height: {s(BUTTON_HEIGHT)}px; padding: 8px 28px; border-radius: 12px;
    border: 3px solid {BORDER}; background: {PAPER}; color: {INK}; font-size: {s(BASE_PT)}pt; font-weight: bold;
}}
QPushButton:pressed {{ background: #e5e7eb; }}
QPushButton:disabled {{ color: #6b7280; border-color: #9ca3af; background: {PANEL}; }}
QPushButton[role="primary"] {{ background: {ACCENT}; color: white; border-color: {ACCENT_DOWN}; }}
QPushButton[role="primary"]:pressed {{ background: {ACCENT_DOWN}; }}
QPushButton[role="primary"]:disabled {{ background: #9ca3af; color: #f9fafb; border-color: #9ca3af; }}
QPushButton[role="choice"] {{ text-align: left; padding: 12px 20px; font-weight: normal; }}
QPushButton[role="choice"]:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT_DOWN}; }}
QPushButton[role="toggle"]:checked, QPushButton[role="small"]:checked {{ background: {ACCENT}; color: white; border-color: {ACCENT_DOWN}; }}
QPushButton[role="key"] {{ min-height: {s(64)}px; min-width: {s(MIN_TOUCH)}px; padding: 0px 4px; font-size: {s(24)}pt; }}
QPushButton[role="wordkey"] {{ min-height: {s(64)}px; min-width: {s(MIN_TOUCH)}px; padding: 0px 4px; font-size: {s(19)}pt; }}
QPushButton[role="small"] {{ min-height: {s(MIN_TOUCH + 8)}px; padding: 4px 18px; font-size: {s(18)}pt; }}
QLineEdit {{
    min-height: {s(64)}px; font-size: {s(26)}pt; padding: 4px 14px; border: 3px solid {BORDER};
    border-radius: 10px; background: {PAPER}; color: {INK};
}}
QLineEdit:focus {{ border: 4px solid {ACCENT}; background: #eef2ff; }}
QListWidget {{ font-size: {s(BASE_PT)}pt; border: 3px solid {BORDER}; border-radius: 10px; }}
QListWidget::item {{ min-height: {s(64)}px; padding: 6px 12px; border-bottom: 1px solid #d1d5db; }}
QListWidget::item:selected {{ background: {ACCENT}; color: white; }}
QScrollBar:vertical {{ width: {s(36)}px; background: #e5e7eb; margin: 0px; border-radius: 8px; }}
QScrollBar::handle:vertical {{ min-height: {s(64)}px; background: #4b5563; border-radius: 8px; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
"""


def label(text: str, role: str = "", parent: QWidget | None = None, *, wrap: bool = True,
          center: bool = False) -> QLabel:
    """A label with the kiosk role `role` ("heading", "muted", "error", "huge", …)."""
    widget = QLabel(text, parent)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    if center:
        widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return widget


def button(text: str, role: str = "", parent: QWidget | None = None, *, slot=None,
           expand: bool = False) -> QPushButton:
    """A large button that never takes the keyboard focus (a typed field keeps it)."""
    widget = QPushButton(text, parent)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    if role:
        widget.setProperty("role", role)
    if expand:
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if slot is not None:
        widget.clicked.connect(slot)
    return widget


def page(widget: QWidget) -> QWidget:
    """Mark `widget` as a full kiosk page (white background)."""
    widget.setProperty("kioskPage", True)
    widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return widget
