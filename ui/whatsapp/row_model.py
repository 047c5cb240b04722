"""A read-only table of plain rows (dataclasses from the desk) with fixed column titles."""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from dikjamila.i18n import tr

Row = TypeVar("Row")


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Subclasses set `COLUMNS` and implement `data`; `set_rows` swaps every row at once."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, row_id: int) -> int:
        """The row whose `id` is `row_id`, or -1."""
        return next((i for i, r in enumerate(self.rows) if getattr(r, "id", None) == row_id), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.COLUMNS[section])
        return None
