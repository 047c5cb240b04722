"""A window that shows a PDF the program just made (receipt, notice, archive bundle) from
memory, with "Cetak…", "Simpan sebagai…" and, for a document meant for the resident,
"Kirim ke WhatsApp pemohon".

Nothing is written to disk to show it. Printing and saving run on the executor; the print and
save dialogs are small methods (`choose_printer`, `choose_save_path`) that tests replace.
Messages appear in the window's own line (never a modal box).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dikjamila.files.output import write_output
from dikjamila.i18n import tr
from ui.executor import Executor, Task
from ui.paperwork.printing import prepare_a4, print_pdf
from ui.viewers.pdf_viewer import PdfViewer

LEVEL_COLOURS = {"error": "#991b1b", "warning": "#92400e", "info": "#166534", "": "#374151"}


class MemoryPdfViewer(PdfViewer):
    """The PDF viewer, fed bytes already in memory instead of a file to read."""

    def load_data(self, data: bytes, name: str) -> None:
        """Show the PDF `data`; `loaded(pages)` or `failed(message)` follows (at once)."""
        # NOTE: the same steps as PdfViewer.load once its background read has returned; the
        # path is only a name here (the viewer takes "no path" to mean "nothing shown").
        self._close_document()
        self._path = Path(name)
        self._message = ""
        self._stack.setCurrentWidget(self._view)
        self._on_read(data)
        self._update_controls()


class GeneratedPdfPreview(QWidget):
    """A separate window (closed with its parent) showing `data`, a PDF named `file_name`.

    With `can_send`, a "Kirim ke WhatsApp pemohon" button emits `send_requested`; the owner
    queues the send and reports back with `show_message` and `set_sent`.
    Signals: `printed(int pages)`, `saved(str path)`, `send_requested()`.
    """

    printed = Signal(int)
    saved = Signal(str)
    send_requested = Signal()

    def __init__(self, executor: Executor, data: bytes, file_name: str, title: str, *,
                 can_send: bool = False, send_text: str = "", parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._executor = executor
        self._data = data
        self._file_name = file_name
        self._task: Task | None = None
        self._printer: QPrinter | None = None  # kept alive while its job runs
        self.setWindowTitle(tr("{title} — Dik Jamila", title=title))
        self.viewer = MemoryPdfViewer(executor, self)
        self.viewer.loaded.connect(self._on_loaded)
        self.viewer.failed.connect(lambda message: self.show_message(message, "error"))
        heading = QLabel(title, self)
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.info = QLabel(file_name, self)
        self.info.setStyleSheet("color: #4b5563;")
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.hide()
        self.print_button = self._button(tr("Cetak…"), self.print_document, tr("Cetak di kertas A4 (Ctrl+P)"))
        self.save_button = self._button(tr("Simpan sebagai…"), self.save_document,
                                        tr("Simpan salinan PDF ini ke folder pilihan (Ctrl+Shift+S)"))
        self.send_button = self._button(send_text or tr("Kirim ke WhatsApp pemohon"), self.send_requested.emit,
                                        tr("Kirim PDF ini ke nomor WhatsApp pemohon"))
        self.send_button.setVisible(can_send)
        close = self._button(tr("Tutup"), self.close, tr("Tutup pratinjau (Esc)"))

        top = QHBoxLayout()
        top.setContentsMargins(12, 8, 12, 0)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(heading)
        titles.addWidget(self.info)
        top.addLayout(titles, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 4, 12, 10)
        buttons.setSpacing(8)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.viewer, 1)
        msg_row = QHBoxLayout()
        msg_row.setContentsMargins(12, 0, 12, 0)
        msg_row.addWidget(self.message)
        lay.addLayout(msg_row)
        lay.addLayout(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence("Ctrl+Shift+S"), self, self.save_document)
        self._size_to_screen(parent)
        self.viewer.load_data(data, file_name)

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.setMinimumHeight(34)
        button.clicked.connect(lambda: slot())
        return button

    # -- what tests and the owner read ---------------------------------------------------------
    def page_count(self) -> int:
        return self.viewer.page_count()

    def data(self) -> bytes:
        return self._data

    def file_name(self) -> str:
        return self._file_name

    def message_text(self) -> str:
        return "" if self.message.isHidden() else self.message.text()

    def show_message(self, text: str, level: str = "info") -> None:
        self.message.setStyleSheet(f"color: {LEVEL_COLOURS.get(level, LEVEL_COLOURS[''])};")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def set_sending(self, busy: bool) -> None:
        """The send was asked for (busy) or refused (not busy): the button follows."""
        self.send_button.setEnabled(not busy)

    def set_sent(self, text: str) -> None:
        """The send is queued: the button cannot send it a second time from here."""
        self.send_button.setEnabled(False)
        self.send_button.setText(tr("Sudah masuk antrean kirim"))
        self.show_message(text, "info")

    # -- printing ---------------------------------------------------------------------------------
    def print_document(self) -> None:
        """Ask for a printer (A4), then print every page off the GUI thread."""
        if self._task is not None:
            return
        printer = self.choose_printer()
        if printer is None:
            return
        self._printer = printer
        data = self._data
        self._set_working(True)
        self.show_message(tr("Mencetak…"), "")
        self._task = self._executor.start(
            lambda state: print_pdf(data, printer, progress=state.progress, cancelled=lambda: state.cancelled),
            self._printed, self._failed, lambda _f, text: self.show_message(text, ""),
            label=tr("Mencetak"), owner=self)

    def _printed(self, pages: int) -> None:
        self._done()
        self.show_message(tr("{n} halaman dikirim ke printer.", n=pages), "info")
        self.printed.emit(pages)

    # -- saving -----------------------------------------------------------------------------------
    def save_document(self) -> None:
        """Ask where, then write the PDF's bytes there (off the GUI thread)."""
        if self._task is not None:
            return
        path = self.choose_save_path()
        if path is None:
            return
        data = self._data
        self._set_working(True)
        self._task = self._executor.start(lambda _state: write_output(path, data), lambda _r: self._saved(path),
                                          self._failed, label=tr("Menyimpan PDF"), owner=self)

    def _saved(self, path: Path) -> None:
        self._done()
        self.show_message(tr("PDF disimpan: {path}", path=path), "info")
        self.saved.emit(str(path))

    def _failed(self, message: str) -> None:
        self._done()
        self.show_message(message, "error")

    def _set_working(self, on: bool) -> None:
        self.print_button.setEnabled(not on)
        self.save_button.setEnabled(not on)

    def _done(self) -> None:
        self._task = None
        self._printer = None
        self._set_working(False)

    def _on_loaded(self, pages: int) -> None:
        self.info.setText(tr("{name} · {n} halaman", name=self._file_name, n=pages))

    def closeEvent(self, event) -> None:
        if self._task is not None:
            self._task.cancel()  # a print job ends after the page it is on
        super().closeEvent(event)

    # -- dialogs (small methods tests replace) ------------------------------------------------------
    def choose_printer(self) -> QPrinter | None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_a4(printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("Cetak {name}", name=self._file_name))
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def choose_save_path(self) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name, _ = QFileDialog.getSaveFileName(self, tr("Simpan PDF"), str(Path(folder) / self._file_name),
                                              tr("PDF (*.pdf)"))
        if not name:
            return None
        return Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")

    def _size_to_screen(self, parent: QWidget | None) -> None:
        """Most of the screen's height, an A4-ish width."""
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(820, 900)
            return
        area = screen.availableGeometry()
        width, height = min(860, int(area.width() * 0.7)), int(area.height() * 0.92)
        self.resize(width, height)
        self.move(area.x() + (area.width() - width) // 2, area.y() + (area.height() - height) // 2)
