"""The dashboard's "Ekspor PDF…" and "Ekspor CSV…".

The PDF is built on the session's executor (a long job: it never queues behind the database
worker) with a desk of its own, then shown in the generated-PDF preview (print or save from
there). The CSV is asked for where to go first (and in which of the core's two forms), then read
and written on the database worker exactly as the core returns it (UTF-8 with its byte-order
mark, CRLF line ends). The file
dialog is a small method tests replace; outcomes are reported by `said(text, level)`.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from dikjamila.files.output import write_output
from dikjamila.i18n import tr
from dikjamila.reports.period import Period

#: The save dialog's two kinds of CSV: standard (comma, decimal point) or for Excel with
#: Indonesian regional settings (semicolon, decimal comma); see `dikjamila.reports.csv_export`.
CSV_FILTERS = ("CSV standar, koma (*.csv)", "CSV untuk Excel berbahasa Indonesia, titik koma (*.csv)")


class ReportExporter(QObject):
    """Exports of one window's report. `busy_changed(bool)` while an export runs."""

    said = Signal(str, str)  # text, level ("info" | "error" | "")
    busy_changed = Signal(bool)

    def __init__(self, ctx, window: QWidget):
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.preview = None  # the last PDF preview opened
        self.busy = False

    def _set_busy(self, on: bool) -> None:
        self.busy = on
        self.busy_changed.emit(on)

    # -- PDF ----------------------------------------------------------------------------------
    def export_pdf(self, period: Period) -> None:
        if self.busy:
            return
        desk = self.ctx.office.desk(self.ctx.actor)  # NOTE: its own desk: it runs on an executor thread

        def job(state):
            state.progress(0.1, tr("Menyusun laporan {label}…", label=period.label))
            return desk.report_pdf(period)

        self._set_busy(True)
        self.said.emit(tr("Menyusun PDF laporan {label}…", label=period.label), "")
        self.ctx.executor.start(job, self._guard(self._pdf_ready), self._guard(self._failed),
                                label=tr("Menyusun PDF laporan"), owner=self)

    def _pdf_ready(self, result: tuple[str, bytes]) -> None:
        self._set_busy(False)
        file_name, data = result
        self.said.emit(tr("PDF laporan siap: {name}", name=file_name), "info")
        self.show_pdf(file_name, data)

    def show_pdf(self, file_name: str, data: bytes) -> None:
        """Open the preview (print or save from there)."""
        from ui.paperwork.pdf_preview import GeneratedPdfPreview

        self.preview = GeneratedPdfPreview(self.ctx.executor, data, file_name, tr("Laporan layanan"),
                                           parent=self.window)
        self.preview.show()

    # -- CSV ----------------------------------------------------------------------------------
    def export_csv(self, period: Period) -> None:
        if self.busy:
            return
        chosen = self.choose_csv_path(f"laporan-layanan-{period.code}.csv")
        if chosen is None:
            return
        path, regional = chosen
        desk = self.ctx.desk

        def job() -> Path:
            write_output(path, desk.report_csv(period, regional=regional))
            return path

        self._set_busy(True)
        self.ctx.submit(job, self._guard(self._csv_written), self._guard(self._failed),
                        label=tr("Menyimpan CSV laporan…"))

    def _csv_written(self, path: Path) -> None:
        self._set_busy(False)
        self.said.emit(tr("CSV disimpan: {path}", path=path), "info")

    def _failed(self, message: str) -> None:
        self._set_busy(False)
        self.said.emit(message, "error")

    def choose_csv_path(self, suggested: str) -> tuple[Path, bool] | None:
        """Where to save the CSV and whether in Excel's Indonesian form (semicolons, decimal
        commas; `CSV_FILTERS`), or None when cancelled. A small method tests replace."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        standard, regional = (tr(text) for text in CSV_FILTERS)
        name, chosen = QFileDialog.getSaveFileName(self.window, tr("Simpan CSV laporan"), str(Path(folder) / suggested),
                                                   f"{standard};;{regional}", standard)
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".csv") else Path(name + ".csv")
        return path, chosen == regional

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run
