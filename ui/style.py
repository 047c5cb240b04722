"""Application look: Fusion style with a calm palette and readable sizes."""

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QStyleFactory

STYLE_SHEET = """
QTabBar::tab { padding: 5px 12px; }
QLabel#inboxFooter { color: #4b5563; }
QTableView { gridline-color: #e5e7eb; selection-background-color: #2563eb; }
QHeaderView::section { padding: 4px 6px; font-weight: 600; }
"""


def apply_style(app: QApplication) -> None:
    app.setStyle(QStyleFactory.create("Fusion"))
    font = app.font()
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
