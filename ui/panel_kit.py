"""Small pieces every list panel repeats: a guarded callback, the message line, a row table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QWidget

OK_STYLE = "color: #166534;"
ERROR_STYLE = "color: #b91c1c;"


def guarded(owner: QWidget, callback: Callable[..., Any]) -> Callable[..., None]:
    """`callback`, skipped once `owner` is gone (a database result may arrive after a close)."""
    def run(*args):
        if shiboken6.isValid(owner):
            callback(*args)
    return run


def say(label: QLabel, text: str, *, error: bool = False) -> None:
    """Show `text` on a panel's message line, green for done, red for a refusal."""
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
    label.setText(text)


def row_table(parent: QWidget, model) -> QTableView:
    """A read-only table that selects one whole row, striped, without row numbers or wrapping."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table


#: A date and time as the panels show them, for sizing their columns.
SAMPLE_TIME = "30-11-2026 21:33"
#: A phone number as the panels show it.
SAMPLE_PHONE = "+62 812-3456-7890"


def fit_columns(table: QTableView, samples: dict[int, str]) -> None:
    """Give each named column room for its sample text and for its header, in the table's own
    font (a fixed pixel width cuts dates off with a bigger font or on a Windows PC)."""
    header = table.horizontalHeader()
    model = table.model()
    body = table.fontMetrics()
    head = header.fontMetrics()
    for column, sample in samples.items():
        title = str(model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        # 24 px: the cell's margins and, in the header, the sort arrow.
        header.resizeSection(column, max(body.horizontalAdvance(sample), head.horizontalAdvance(title)) + 24)
