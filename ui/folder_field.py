"""A folder path field with its "Pilih…" button (settings pages)."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from dikjamila.i18n import tr


def folder_field(line: QLineEdit, parent: QWidget) -> QWidget:
    """`line` with a button that opens a folder chooser and puts the choice into it."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(line, 1)
    button = QPushButton(tr("Pilih…"), box)
    button.clicked.connect(lambda: line.setText(
        QFileDialog.getExistingDirectory(parent, tr("Pilih folder"), line.text()) or line.text()))
    row.addWidget(button)
    return box
