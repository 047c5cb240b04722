"""Small pieces every list panel repeats: a guarded callback, the message line, a row table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
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
