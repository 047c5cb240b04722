"""A PDF viewer (QtPdf): page navigation, zoom, fit width / fit page, continuous scrolling.

The file is read in the background (on the session's executor, `ui.executor`; attachments
may sit on a slow shared drive; loading another file cancels the read) and handed to
QPdfDocument from memory. Loading from memory also means the file is not held open while it
is shown, so on Windows it can still be moved or replaced. PDFium parses lazily, so the load
itself is quick; QPdfView renders pages in its own threads.

NOTE: the QPdfDocument is owned by this widget, never by the application (one parented to
the application lives until exit, so every opened document would leak). It is parented to
the PdfViewer and created before the view, not parented to the QPdfView itself: in Qt 6.12 a
document that is a child of its QPdfView is destroyed inside ~QWidget of the half-destroyed
view, its destructor emits statusChanged into the view, and the view's slot calls
viewport() on it: a segfault whenever a viewer is closed (seen here with gdb). As an earlier
sibling, the document is deleted while the view is still whole.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QPointF, Qt, Signal
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from dikjamila.errors import UserError
from dikjamila.i18n import tr
from ui.executor import Executor, Task
from ui.viewers.common import (
    MIN_ZOOM,
    VIEW_BACKGROUND,
    clamp_zoom,
    make_action,
    read_file_bytes,
    tool_button,
    wheel_zoom_view,
)
from ui.viewers.viewer_base import ViewerBase

_PageView = wheel_zoom_view(QPdfView)


def _read_pdf(path: Path) -> bytes:
    """Worker thread: the file's bytes; an unreadable file is the operator's to hear about."""
    try:
        return read_file_bytes(path)
    except OSError as exc:  # already an Indonesian reason (read_file_bytes)
        raise UserError(str(exc)) from exc


class PdfViewer(ViewerBase):
    """Shows one PDF, read on `executor`. Signals: `loaded(int pages)`, `failed(str message)`,
    `page_changed(int index)` (0-based), `zoom_changed(float factor)` (1.0 = 100%)."""

    loaded = Signal(int)
    page_changed = Signal(int)
    zoom_changed = Signal(float)

    def __init__(self, executor: Executor, parent: QWidget | None = None):
        super().__init__(executor, parent)
        self._buffer: QBuffer | None = None

        self._document = QPdfDocument(self)  # NOTE: first child, not the view's (module docstring)
        self._document.statusChanged.connect(self._on_status)
        self._view = _PageView(self)
        self._view.setDocument(self._document)
        self._view.setPageMode(QPdfView.PageMode.MultiPage)
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._view.setFrameShape(QPdfView.Shape.NoFrame)
        palette = self._view.palette()
        palette.setColor(QPalette.ColorRole.Dark, VIEW_BACKGROUND)  # QPdfView paints its background with Dark
        self._view.setPalette(palette)
        self._view.resized.connect(self._emit_zoom)
        self._view.pageNavigator().currentPageChanged.connect(self._on_page)

        self._assemble(tr("Memuat PDF…"))

        self._build_toolbar()
        self._finish_layout()

    def _build_toolbar(self) -> None:
        """Two rows (pages, then zoom): one row does not fit a 450 px side pane legibly."""
        self._toolbar = QWidget(self)
        rows = QVBoxLayout(self._toolbar)
        rows.setContentsMargins(4, 2, 4, 2)
        rows.setSpacing(0)
        sp = QStyle.StandardPixmap
        self.action_previous = make_action(self, tr("Sebelumnya"), tr("Halaman sebelumnya"), self.previous_page,
                                           shortcuts=("Ctrl+PgUp",), theme=QIcon.ThemeIcon.GoPrevious,
                                           standard=sp.SP_ArrowLeft)
        self.action_next = make_action(self, tr("Berikutnya"), tr("Halaman berikutnya"), self.next_page,
                                       shortcuts=("Ctrl+PgDown",), theme=QIcon.ThemeIcon.GoNext,
                                       standard=sp.SP_ArrowRight)
        self.action_multi = make_action(self, tr("Semua halaman"),
                                        tr("Gulir semua halaman berurutan (matikan: satu halaman per layar)"),
                                        lambda: self.set_multi_page(self.action_multi.isChecked()),
                                        shortcuts=("Ctrl+M",), checkable=True)
        self.action_fit_width = make_action(self, tr("Pas lebar"), tr("Lebar halaman memenuhi jendela"),
                                            self.fit_width, shortcuts=("Ctrl+2",), checkable=True)
        self.action_fit_page = make_action(self, tr("Pas halaman"), tr("Satu halaman utuh terlihat"),
                                           self.fit_page, shortcuts=("Ctrl+0",),
                                           theme=QIcon.ThemeIcon.ZoomFitBest, checkable=True)
        self.action_actual = make_action(self, "100%", tr("Ukuran asli"), lambda: self.set_zoom(1.0),
                                         shortcuts=("Ctrl+1",))
        self._page_label = QLabel(self._toolbar)
        self._page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._page_label.setMinimumWidth(
            self._page_label.fontMetrics().horizontalAdvance(tr("Halaman {page} dari {count}", page=888, count=888)))

        pages = QHBoxLayout()
        pages.setSpacing(2)
        pages.addWidget(tool_button(self.action_previous, self._toolbar, icon_only=True))
        pages.addWidget(self._page_label)
        pages.addWidget(tool_button(self.action_next, self._toolbar, icon_only=True))
        pages.addStretch(1)
        pages.addWidget(tool_button(self.action_multi, self._toolbar))
        zoom = QHBoxLayout()
        zoom.setSpacing(2)
        self._add_zoom_controls(zoom)
        zoom.addSpacing(6)
        zoom.addWidget(tool_button(self.action_fit_width, self._toolbar))
        zoom.addWidget(tool_button(self.action_fit_page, self._toolbar))
        zoom.addWidget(tool_button(self.action_actual, self._toolbar))
        zoom.addStretch(1)
        rows.addLayout(pages)
        rows.addLayout(zoom)

    # -- public API (`load`, `clear`, `path`, `message`, `zoom_in`, `zoom_out`: ViewerBase) ----------
    def document(self) -> QPdfDocument:
        return self._document

    def view(self) -> QPdfView:
        return self._view

    def page_count(self) -> int:
        return self._document.pageCount() if self._is_ready() else 0

    def current_page(self) -> int:
        """The page in view, 0-based."""
        return self._view.pageNavigator().currentPage()

    def page_label_text(self) -> str:
        return self._page_label.text()

    def go_to_page(self, index: int) -> None:
        """Jump to page `index` (0-based; clamped to the document)."""
        count = self.page_count()
        if count:
            navigator = self._view.pageNavigator()
            navigator.jump(max(0, min(count - 1, index)), QPointF(), navigator.currentZoom())

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def is_multi_page(self) -> bool:
        return self._view.pageMode() == QPdfView.PageMode.MultiPage

    def set_multi_page(self, on: bool) -> None:
        """Scroll through all pages (on) or show one page at a time (off)."""
        page = self.current_page()
        self._view.setPageMode(QPdfView.PageMode.MultiPage if on else QPdfView.PageMode.SinglePage)
        self.go_to_page(page)
        self._update_controls()

    def zoom_mode(self) -> QPdfView.ZoomMode:
        return self._view.zoomMode()

    def zoom_factor(self) -> float:
        """The effective zoom (1.0 = 100%), also in the fit modes, where QPdfView reports 1.0."""
        mode = self._view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or not self._is_ready():
            return self._view.zoomFactor()
        points = self._document.pagePointSize(max(0, self.current_page()))
        resolution = self._view.logicalDpiY() / 72.0  # as QPdfView computes page sizes
        if points.width() <= 0 or points.height() <= 0:
            return 1.0
        margins = self._view.documentMargins()
        viewport = self._view.viewport().size()
        by_width = (viewport.width() - margins.left() - margins.right()) / (points.width() * resolution)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return max(MIN_ZOOM, by_width)
        by_height = (viewport.height() - self._view.pageSpacing()) / (points.height() * resolution)
        return max(MIN_ZOOM, min(by_width, by_height))

    def set_zoom(self, factor: float) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.Custom)
        self._view.setZoomFactor(clamp_zoom(factor))
        self._emit_zoom()

    def fit_width(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._emit_zoom()

    def fit_page(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self._emit_zoom()

    # -- internals ---------------------------------------------------------------------------------
    def _start_loading(self, path: Path) -> Task:
        return self._executor.start(lambda _state: _read_pdf(path), self._on_read, self._on_read_failed,
                                    label="read PDF", owner=self)

    def _is_ready(self) -> bool:
        return self._document.status() == QPdfDocument.Status.Ready

    def _close_document(self) -> None:
        if self._task is not None:
            self._task.cancel()  # NOTE: its bytes would belong to the document shown before
            self._task = None
        self._loading_timer.stop()
        if self._document.status() != QPdfDocument.Status.Null:
            self._document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None

    def _fail(self, reason: str) -> None:
        self._show_failure(tr("PDF tidak dapat ditampilkan: {reason}", reason=reason))

    def _on_read_failed(self, reason: str) -> None:
        self._loading_ended()
        self._fail(reason)

    def _on_read(self, data: bytes) -> None:
        self._loading_ended()
        self._buffer = QBuffer(self._document)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)  # statusChanged -> _on_status (synchronously, in Qt 6.12)

    def _on_status(self, status: QPdfDocument.Status) -> None:
        # NOTE: Null/Unloading also arrive from the document's destructor while this widget
        # is being destroyed: touch nothing for them.
        if self._path is None or status not in (QPdfDocument.Status.Ready, QPdfDocument.Status.Error):
            return
        if status == QPdfDocument.Status.Ready:
            count = self._document.pageCount()
            if count <= 0:
                self._document.close()
                self._fail(tr("dokumen tidak berisi halaman."))
                return
            self._show_document()
            self.go_to_page(0)
            self._update_controls()
            self.loaded.emit(count)
            self._emit_zoom()
        elif status == QPdfDocument.Status.Error:
            error = self._document.error()
            if error in (QPdfDocument.Error.IncorrectPassword, QPdfDocument.Error.UnsupportedSecurityScheme):
                reason = tr("dokumen dilindungi kata sandi. Mohon minta warga mengirim PDF tanpa kata sandi.")
            else:
                reason = tr("berkas rusak atau bukan PDF. Mohon minta warga mengirim ulang dokumennya.")
            self._fail(reason)

    def _on_page(self, page: int) -> None:
        self._update_controls()
        self.page_changed.emit(page)

    def _emit_zoom(self) -> None:
        self._update_controls()
        self.zoom_changed.emit(self.zoom_factor())

    def _update_controls(self) -> None:
        ready = self._is_ready()
        count = self.page_count()
        page = self.current_page()
        self.action_previous.setEnabled(ready and page > 0)
        self.action_next.setEnabled(ready and page < count - 1)
        for action in (self.action_multi, self.action_zoom_in, self.action_zoom_out,
                       self.action_fit_width, self.action_fit_page, self.action_actual):
            action.setEnabled(ready)
        self.action_multi.setChecked(self.is_multi_page())
        mode = self._view.zoomMode()
        self.action_fit_width.setChecked(ready and mode == QPdfView.ZoomMode.FitToWidth)
        self.action_fit_page.setChecked(ready and mode == QPdfView.ZoomMode.FitInView)
        if ready:
            self._page_label.setText(tr("Halaman {page} dari {count}", page=page + 1, count=count))
        else:
            self._page_label.setText("")
        self._show_zoom(ready)
