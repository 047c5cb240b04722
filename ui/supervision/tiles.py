"""KPI tiles of the service dashboard: a caption, one big figure, a line under it.

A tile can carry a state ("good", "warn", "bad") that colours its figure and edge, used for
figures with a standard (complaints resolved against 91%, the IKM grade). Tests read
`value_text()` and `detail_text()`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.supervision.charts import PALETTE

STATES = {
    "": ("#1f2937", "#d8dee6"),
    "good": ("#166534", "#86c79a"),
    "warn": ("#92400e", "#f0c36b"),
    "bad": ("#b91c1c", "#f2a3a3"),
}
CARD_STYLE = "background: white; border: 1px solid {edge}; border-radius: 6px;"


class Tile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("kpiTile")
        self.caption = QLabel(caption, self)
        self.caption.setWordWrap(True)
        self.caption.setStyleSheet(f"color: {PALETTE['muted'].name()}; border: none;")
        self.value = QLabel("–", self)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel("", self)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(f"color: {PALETTE['muted'].name()}; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(170)
        self.set_state("")

    def show_figure(self, value: str, detail: str = "", state: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.set_state(state)

    def set_state(self, state: str) -> None:
        color, edge = STATES.get(state, STATES[""])
        self.setStyleSheet(f"#kpiTile {{ {CARD_STYLE.format(edge=edge)} }}")
        self.value.setStyleSheet(f"color: {color}; border: none;")

    def value_text(self) -> str:
        return self.value.text()

    def detail_text(self) -> str:
        return self.detail.text()


class TileGrid(QWidget):
    """Tiles in rows of `columns`, kept by key in `tiles`."""

    def __init__(self, captions: dict[str, str], columns: int = 5, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        self.tiles: dict[str, Tile] = {}
        for i, (key, caption) in enumerate(captions.items()):
            tile = Tile(caption, self)
            self.tiles[key] = tile
            grid.addWidget(tile, i // columns, i % columns)
        for column in range(columns):
            grid.setColumnStretch(column, 1)

    def __getitem__(self, key: str) -> Tile:
        return self.tiles[key]
