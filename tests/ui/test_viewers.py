"""The photo and PDF viewers, the preview pane and the separate viewer window (real widgets)."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

pytest.importorskip("pytestqt")
from PySide6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtPdfWidgets import QPdfView  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from shiboken6 import isValid  # noqa: E402

from ui.executor import Executor  # noqa: E402
from ui.viewers import ImageViewer, PdfViewer, PreviewPane, ViewerWindow  # noqa: E402
from ui.viewers import image_viewer as image_viewer_module  # noqa: E402
from ui.viewers import pdf_viewer as pdf_viewer_module  # noqa: E402
from ui.viewers.common import PREVIEW_MAX_SIDE  # noqa: E402
from ui.viewers.decode import jpeg_is_complete  # noqa: E402

TIMEOUT = 5000


# --- files ------------------------------------------------------------------------------------
def _jpeg_bytes(size=(600, 400), orientation: int | None = None, progressive: bool = False) -> bytes:
    """A landscape photo: left half red, right half blue (as stored)."""
    img = Image.new("RGB", size, "blue")
    img.paste((220, 0, 0), (0, 0, size[0] // 2, size[1]))
    buf = io.BytesIO()
    kwargs = {"quality": 90, "progressive": progressive}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    img.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


@pytest.fixture
def rotated_jpeg(tmp_path: Path) -> Path:
    """Stored landscape 600x400 with EXIF orientation 6: upright it is portrait 400x600."""
    path = tmp_path / "ktp.jpg"
    path.write_bytes(_jpeg_bytes(orientation=6))
    return path


@pytest.fixture
def truncated_jpeg(tmp_path: Path) -> Path:
    data = _jpeg_bytes((1200, 900), orientation=6)
    path = tmp_path / "terpotong.jpg"
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def three_page_pdf(tmp_path: Path) -> Path:
    pdf = FPDF()
    pdf.set_font("helvetica", size=24)
    for number in range(1, 4):
        pdf.add_page()
        pdf.cell(text=f"Halaman {number}")
    path = tmp_path / "akta.pdf"
    pdf.output(str(path))
    return path


@pytest.fixture
def corrupt_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "rusak.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"bukan isi pdf " * 300)
    return path


@pytest.fixture
def locked_pdf(tmp_path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=20)
    pdf.cell(text="rahasia")
    pdf.set_encryption(owner_password="pemilik", user_password="pengguna")
    path = tmp_path / "terkunci.pdf"
    pdf.output(str(path))
    return path


@pytest.fixture
def executor(qtbot):
    """The executor the viewers load on (the session's `ctx.executor` in the app)."""
    executor = Executor()
    yield executor
    executor.shutdown(timeout=5)


# --- helpers ----------------------------------------------------------------------------------
def _shown(qtbot, widget, size=(450, 700)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _load_image(qtbot, viewer: ImageViewer, path: Path) -> None:
    with qtbot.waitSignal(viewer.loaded, timeout=TIMEOUT):
        viewer.load(path)


def _load_pdf(qtbot, viewer: PdfViewer, path: Path) -> int:
    with qtbot.waitSignal(viewer.loaded, timeout=TIMEOUT) as blocker:
        viewer.load(path)
    return blocker.args[0]


class Held:
    """Wraps a worker-thread function `fn(path, ...)`: for `path` only, it says it `started`,
    waits for `release()`, then runs `fn` and records that it `finished`."""

    def __init__(self, fn, path: Path):
        self._fn, self._path = fn, path
        self.started, self._gate = threading.Event(), threading.Event()
        self.finished: list[Path] = []

    def __call__(self, target, *args):
        if Path(target) != self._path:
            return self._fn(target, *args)
        self.started.set()
        self._gate.wait(TIMEOUT / 1000)
        try:
            return self._fn(target, *args)
        finally:
            self.finished.append(Path(target))

    def release(self) -> None:
        self._gate.set()


def _ctrl_wheel(widget, steps: int) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


# --- JPEG structure check -----------------------------------------------------------------------
def test_jpeg_completeness_check_sees_truncation_not_the_exif_thumbnail():
    whole = _jpeg_bytes((800, 600), orientation=6)
    progressive = _jpeg_bytes((800, 600), progressive=True)
    assert jpeg_is_complete(whole)
    assert jpeg_is_complete(progressive)
    assert jpeg_is_complete(whole + b"trailing data a phone appended")
    for cut in (len(whole) // 3, len(whole) // 2, len(whole) - 2):
        assert not jpeg_is_complete(whole[:cut])
    assert not jpeg_is_complete(progressive[: len(progressive) * 2 // 3])
    assert jpeg_is_complete(b"\x89PNG\r\n\x1a\n")  # other formats are left to Qt


# --- ImageViewer --------------------------------------------------------------------------------
def test_photo_with_exif_orientation_is_shown_upright(qtbot, executor, rotated_jpeg):
    viewer = _shown(qtbot, ImageViewer(executor))
    with qtbot.waitSignal(viewer.loaded, timeout=TIMEOUT) as blocker:
        viewer.load(rotated_jpeg)
    assert blocker.args[0].width() == 400 and blocker.args[0].height() == 600
    pixmap = viewer.pixmap()
    assert pixmap.height() > pixmap.width()
    # Orientation 6 turns the photo clockwise: the stored left (red) half ends up on top.
    image = pixmap.toImage()
    top = image.pixelColor(image.width() // 2, 3)
    bottom = image.pixelColor(image.width() // 2, image.height() - 4)
    assert top.red() > 150 and top.blue() < 80
    assert bottom.blue() > 150 and bottom.red() < 80
    assert viewer.message() == ""
    assert viewer.is_fit()


def test_fit_shows_the_whole_photo_in_the_pane(qtbot, executor, rotated_jpeg):
    viewer = _shown(qtbot, ImageViewer(executor), (450, 400))
    _load_image(qtbot, viewer, rotated_jpeg)
    viewport = viewer._view.viewport()
    shown = viewer._view.mapFromScene(viewer._view.sceneRect()).boundingRect()
    assert shown.height() <= viewport.height() and shown.width() <= viewport.width()
    assert viewer.zoom_factor() < 1.0  # 600 px tall photo in a ~370 px tall view


def test_truncated_jpeg_shows_indonesian_message(qtbot, executor, truncated_jpeg):
    viewer = _shown(qtbot, ImageViewer(executor))
    with qtbot.waitSignal(viewer.failed, timeout=TIMEOUT) as blocker:
        viewer.load(truncated_jpeg)
    assert blocker.args[0].startswith("Foto tidak dapat ditampilkan: ")
    assert "terpotong" in viewer.message()
    assert not viewer.has_image()
    assert not viewer.action_zoom_in.isEnabled()


@pytest.mark.parametrize("content", [b"\xff\xd8\xff" + b"\x00rusak" * 100, b"", b"hello, bukan foto"])
def test_broken_or_foreign_files_show_message(qtbot, executor, tmp_path, content):
    path = tmp_path / "foto.jpg"
    path.write_bytes(content)
    viewer = _shown(qtbot, ImageViewer(executor))
    with qtbot.waitSignal(viewer.failed, timeout=TIMEOUT):
        viewer.load(path)
    assert viewer.message().startswith("Foto tidak dapat ditampilkan: ")


def test_missing_photo_shows_message(qtbot, executor, tmp_path):
    viewer = _shown(qtbot, ImageViewer(executor))
    with qtbot.waitSignal(viewer.failed, timeout=TIMEOUT):
        viewer.load(tmp_path / "tidak-ada.jpg")
    assert "tidak ditemukan" in viewer.message()


def test_rotating_is_for_viewing_only(qtbot, executor, rotated_jpeg):
    before_bytes = rotated_jpeg.read_bytes()
    before_mtime = rotated_jpeg.stat().st_mtime_ns
    viewer = _shown(qtbot, ImageViewer(executor))
    _load_image(qtbot, viewer, rotated_jpeg)
    viewer.rotate_right()
    assert viewer.rotation() == 90
    # Upright portrait turned a quarter: on screen it is now wider than tall.
    shown = viewer._view.mapFromScene(viewer._view.sceneRect()).boundingRect()
    assert shown.width() > shown.height()
    viewer.rotate_left()
    viewer.rotate_left()
    assert viewer.rotation() == 270
    viewer.zoom_in()
    viewer.rotate_right()
    viewer.clear()
    # Whatever the viewer started in the background has finished: it wrote nothing either.
    qtbot.waitUntil(lambda: executor.pending == 0, timeout=TIMEOUT)
    assert rotated_jpeg.read_bytes() == before_bytes
    assert rotated_jpeg.stat().st_mtime_ns == before_mtime


def test_zoom_buttons_wheel_and_reset(qtbot, executor, rotated_jpeg):
    viewer = _shown(qtbot, ImageViewer(executor))
    _load_image(qtbot, viewer, rotated_jpeg)
    fit = viewer.zoom_factor()
    with qtbot.waitSignal(viewer.zoom_changed, timeout=TIMEOUT):
        viewer.action_zoom_in.trigger()
    assert viewer.zoom_factor() == pytest.approx(fit * 1.25)
    assert not viewer.is_fit() and not viewer.action_fit.isChecked()
    viewer.zoom_out()
    viewer.zoom_out()
    assert viewer.zoom_factor() == pytest.approx(fit / 1.25)
    _ctrl_wheel(viewer._view.viewport(), +1)
    assert viewer.zoom_factor() == pytest.approx(fit)
    viewer.actual_size()
    assert viewer.zoom_factor() == 1.0
    assert viewer._zoom_label.text() == "100%"
    viewer.fit_to_window()
    assert viewer.is_fit() and viewer.zoom_factor() == pytest.approx(fit)
    for _ in range(40):
        viewer.zoom_in()
    assert viewer.zoom_factor() <= 8.0


def test_zoom_keyboard_shortcut(qtbot, executor, rotated_jpeg):
    viewer = _shown(qtbot, ImageViewer(executor))
    _load_image(qtbot, viewer, rotated_jpeg)
    viewer.activateWindow()
    viewer._view.setFocus()
    qtbot.waitUntil(lambda: viewer._view.hasFocus(), timeout=TIMEOUT)
    fit = viewer.zoom_factor()
    qtbot.keyClick(viewer._view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom_factor() == pytest.approx(fit * 1.25)
    qtbot.keyClick(viewer._view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert viewer.is_fit()


def test_large_photo_decodes_a_preview_then_full_size_on_zoom(qtbot, executor, tmp_path):
    path = tmp_path / "besar.jpg"
    path.write_bytes(_jpeg_bytes((3000, 2250)))
    viewer = _shown(qtbot, ImageViewer(executor))
    _load_image(qtbot, viewer, path)
    assert viewer.image_size().width() == 3000
    assert not viewer.is_full_resolution()
    assert viewer._source.width() <= PREVIEW_MAX_SIDE
    assert viewer.pixmap().width() < 1000  # the fit view gets a pixmap scaled to the pane
    viewer.actual_size()
    qtbot.waitUntil(viewer.is_full_resolution, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: viewer.pixmap().width() == 3000, timeout=TIMEOUT)


def test_viewer_deleted_while_decoding_does_not_crash(qtbot, executor, monkeypatch, rotated_jpeg):
    decode = Held(image_viewer_module.decode_image, rotated_jpeg)
    monkeypatch.setattr(image_viewer_module, "decode_image", decode)
    errors = []
    executor.error.connect(errors.append)
    viewer = ImageViewer(executor)
    viewer.load(rotated_jpeg)
    qtbot.waitUntil(decode.started.is_set, timeout=TIMEOUT)
    viewer.deleteLater()
    qtbot.waitUntil(lambda: not isValid(viewer), timeout=TIMEOUT)
    decode.release()  # the decode finishes only now, with the viewer gone
    qtbot.waitUntil(lambda: executor.pending == 0, timeout=TIMEOUT)
    assert decode.finished == [rotated_jpeg]
    assert errors == []
    # NOTE: and nothing raised in a Qt callback: pytest-qt fails the test on such an exception.


def test_loading_another_photo_drops_the_first_result(qtbot, executor, monkeypatch, rotated_jpeg,
                                                      truncated_jpeg):
    # The first (broken) photo's decode ends after the second photo is shown.
    decode = Held(image_viewer_module.decode_image, truncated_jpeg)
    monkeypatch.setattr(image_viewer_module, "decode_image", decode)
    viewer = _shown(qtbot, ImageViewer(executor))
    failures = []
    viewer.failed.connect(failures.append)
    viewer.load(truncated_jpeg)
    first = viewer._task
    qtbot.waitUntil(decode.started.is_set, timeout=TIMEOUT)
    with qtbot.waitSignal(viewer.loaded, timeout=TIMEOUT):
        viewer.load(rotated_jpeg)
    decode.release()
    qtbot.waitUntil(lambda: decode.finished == [truncated_jpeg] and executor.pending == 0, timeout=TIMEOUT)
    assert failures == []
    assert viewer.message() == "" and viewer.has_image()
    assert first.cancelled  # the newer load cancelled the older one


# --- PdfViewer ----------------------------------------------------------------------------------
def test_pdf_loads_pages_and_navigates(qtbot, executor, three_page_pdf):
    viewer = _shown(qtbot, PdfViewer(executor))
    assert _load_pdf(qtbot, viewer, three_page_pdf) == 3
    assert viewer.page_count() == 3 == viewer.document().pageCount()
    assert viewer.page_label_text() == "Halaman 1 dari 3"
    assert not viewer.action_previous.isEnabled()
    viewer.action_next.trigger()
    qtbot.waitUntil(lambda: viewer.page_label_text() == "Halaman 2 dari 3", timeout=TIMEOUT)
    assert viewer.current_page() == 1
    viewer.next_page()
    qtbot.waitUntil(lambda: viewer.current_page() == 2, timeout=TIMEOUT)
    assert not viewer.action_next.isEnabled()
    viewer.next_page()  # stays on the last page
    assert viewer.current_page() == 2
    viewer.previous_page()
    qtbot.waitUntil(lambda: viewer.page_label_text() == "Halaman 2 dari 3", timeout=TIMEOUT)


def test_pdf_single_page_mode_navigates_too(qtbot, executor, three_page_pdf):
    viewer = _shown(qtbot, PdfViewer(executor))
    _load_pdf(qtbot, viewer, three_page_pdf)
    assert viewer.is_multi_page() and viewer.action_multi.isChecked()
    viewer.action_multi.trigger()
    assert not viewer.is_multi_page()
    assert viewer.view().pageMode() == QPdfView.PageMode.SinglePage
    viewer.next_page()
    qtbot.waitUntil(lambda: viewer.page_label_text() == "Halaman 2 dari 3", timeout=TIMEOUT)


def test_pdf_document_is_owned_by_the_viewer_not_the_application(qtbot, executor):
    viewer = PdfViewer(executor)
    qtbot.addWidget(viewer)
    assert viewer.document().parent() is viewer
    assert viewer.view().document() is viewer.document()


def test_deleting_a_viewer_with_an_open_pdf_does_not_crash(qtbot, executor, three_page_pdf):
    # A document parented to its QPdfView crashes Qt 6.12 here (see pdf_viewer's docstring).
    viewer = PdfViewer(executor)
    viewer.resize(450, 700)
    viewer.show()
    _load_pdf(qtbot, viewer, three_page_pdf)
    viewer.deleteLater()
    qtbot.waitUntil(lambda: not isValid(viewer), timeout=TIMEOUT)
    again = _shown(qtbot, PdfViewer(executor))
    assert _load_pdf(qtbot, again, three_page_pdf) == 3


def test_pdf_zoom_and_fit_modes(qtbot, executor, three_page_pdf):
    viewer = _shown(qtbot, PdfViewer(executor))
    _load_pdf(qtbot, viewer, three_page_pdf)
    assert viewer.zoom_mode() == QPdfView.ZoomMode.FitToWidth
    fit_width = viewer.zoom_factor()
    assert 0.3 < fit_width < 1.0  # an A4 page in a 450 px pane
    with qtbot.waitSignal(viewer.zoom_changed, timeout=TIMEOUT):
        viewer.action_zoom_in.trigger()
    assert viewer.zoom_mode() == QPdfView.ZoomMode.Custom
    assert viewer.view().zoomFactor() == pytest.approx(fit_width * 1.25)
    _ctrl_wheel(viewer.view().viewport(), -1)
    assert viewer.zoom_factor() == pytest.approx(fit_width)
    viewer.action_fit_page.trigger()
    assert viewer.zoom_mode() == QPdfView.ZoomMode.FitInView
    assert viewer.action_fit_page.isChecked() and not viewer.action_fit_width.isChecked()
    assert viewer.zoom_factor() <= fit_width + 1e-9
    viewer.action_fit_width.trigger()
    assert viewer.zoom_mode() == QPdfView.ZoomMode.FitToWidth
    viewer.action_actual.trigger()
    assert viewer.zoom_factor() == 1.0


def test_corrupt_pdf_shows_indonesian_message(qtbot, executor, corrupt_pdf):
    viewer = _shown(qtbot, PdfViewer(executor))
    with qtbot.waitSignal(viewer.failed, timeout=TIMEOUT) as blocker:
        viewer.load(corrupt_pdf)
    assert blocker.args[0].startswith("PDF tidak dapat ditampilkan: ")
    assert "rusak" in viewer.message()
    assert viewer.page_count() == 0
    assert not viewer.action_next.isEnabled()


def test_password_protected_pdf_shows_indonesian_message(qtbot, executor, locked_pdf):
    viewer = _shown(qtbot, PdfViewer(executor))
    with qtbot.waitSignal(viewer.failed, timeout=TIMEOUT):
        viewer.load(locked_pdf)
    assert "kata sandi" in viewer.message()


def test_pdf_after_failure_loads_again(qtbot, executor, corrupt_pdf, three_page_pdf):
    viewer = _shown(qtbot, PdfViewer(executor))
    with qtbot.waitSignal(viewer.failed, timeout=TIMEOUT):
        viewer.load(corrupt_pdf)
    assert _load_pdf(qtbot, viewer, three_page_pdf) == 3
    assert viewer.message() == ""
    viewer.clear("Kosong")
    assert viewer.page_count() == 0 and viewer.message() == "Kosong"


def test_loading_another_pdf_cancels_the_first_read(qtbot, executor, monkeypatch, corrupt_pdf,
                                                     three_page_pdf):
    read = Held(pdf_viewer_module._read_pdf, corrupt_pdf)
    monkeypatch.setattr(pdf_viewer_module, "_read_pdf", read)
    viewer = _shown(qtbot, PdfViewer(executor))
    failures = []
    viewer.failed.connect(failures.append)
    viewer.load(corrupt_pdf)
    first = viewer._task
    qtbot.waitUntil(read.started.is_set, timeout=TIMEOUT)
    assert _load_pdf(qtbot, viewer, three_page_pdf) == 3
    read.release()
    qtbot.waitUntil(lambda: read.finished == [corrupt_pdf] and executor.pending == 0, timeout=TIMEOUT)
    assert failures == [] and viewer.message() == "" and viewer.page_count() == 3
    assert first.cancelled  # the newer load cancelled the older one


def test_pdf_file_is_not_modified(qtbot, executor, three_page_pdf):
    before = three_page_pdf.read_bytes(), three_page_pdf.stat().st_mtime_ns
    viewer = _shown(qtbot, PdfViewer(executor))
    _load_pdf(qtbot, viewer, three_page_pdf)
    viewer.zoom_in()
    viewer.next_page()
    viewer.clear()
    assert (three_page_pdf.read_bytes(), three_page_pdf.stat().st_mtime_ns) == before


# --- PreviewPane and ViewerWindow ---------------------------------------------------------------
def test_preview_pane_switches_between_viewers(qtbot, executor, rotated_jpeg, three_page_pdf):
    pane = _shown(qtbot, PreviewPane(executor))
    assert pane.current_viewer() is None
    assert pane.message() == "Pilih berkas untuk dilihat"
    assert not pane.action_open_window.isEnabled()

    with qtbot.waitSignal(pane.image_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(rotated_jpeg, "image", "Foto KTP Pemohon.jpg")
    assert pane.current_viewer() is pane.image_viewer
    assert pane._title_label.full_text() == "Foto KTP Pemohon.jpg"
    assert pane.action_open_window.isEnabled()

    with qtbot.waitSignal(pane.pdf_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(three_page_pdf, "pdf", "Akta kelahiran.pdf")
    assert pane.current_viewer() is pane.pdf_viewer
    assert not pane.image_viewer.has_image()  # the hidden viewer lets go of its photo

    with qtbot.waitSignal(pane.image_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(rotated_jpeg, "image", "lagi.jpg")
    assert pane.pdf_viewer.page_count() == 0

    pane.clear("Permohonan ini belum punya lampiran")
    assert pane.current_viewer() is None and pane.message() == "Permohonan ini belum punya lampiran"
    assert not pane.action_open_window.isEnabled()


def test_preview_pane_sniffs_kind_from_content(qtbot, executor, tmp_path, rotated_jpeg, three_page_pdf):
    pane = _shown(qtbot, PreviewPane(executor))
    disguised = tmp_path / "dokumen.jpg"  # a PDF with a photo's name: content decides
    disguised.write_bytes(three_page_pdf.read_bytes())
    with qtbot.waitSignal(pane.pdf_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(disguised)
    assert pane.kind() == "pdf" and pane.title() == "dokumen.jpg"

    with qtbot.waitSignal(pane.image_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(rotated_jpeg)
    assert pane.kind() == "image"

    program = tmp_path / "foto.jpg"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    pane.show_file(program)
    assert pane.current_viewer() is None
    assert "bukan foto atau PDF" in pane.message()

    pane.show_file(tmp_path / "hilang.pdf")
    assert "tidak ditemukan" in pane.message()
    with pytest.raises(ValueError):
        pane.show_file(rotated_jpeg, "video")


def test_preview_pane_shows_viewer_errors(qtbot, executor, corrupt_pdf):
    pane = _shown(qtbot, PreviewPane(executor))
    with qtbot.waitSignal(pane.pdf_viewer.failed, timeout=TIMEOUT):
        pane.show_file(corrupt_pdf, "pdf", "rusak.pdf")
    assert pane.message().startswith("PDF tidak dapat ditampilkan")
    assert not pane.action_open_window.isEnabled()  # a window would only repeat the error


def test_open_in_separate_window(qtbot, executor, rotated_jpeg, three_page_pdf):
    pane = _shown(qtbot, PreviewPane(executor))
    assert pane.open_in_window() is None  # nothing shown yet
    with qtbot.waitSignal(pane.pdf_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(three_page_pdf, "pdf", "Akta kelahiran.pdf")

    with qtbot.waitSignal(pane.window_opened, timeout=TIMEOUT) as blocker:
        pane.action_open_window.trigger()
    window = blocker.args[0]
    qtbot.addWidget(window)
    assert isinstance(window, ViewerWindow)
    assert window.isWindow() and window.isVisible() and not window.isModal()
    assert window.path() == three_page_pdf and window.kind() == "pdf"
    assert "Akta kelahiran.pdf" in window.windowTitle()
    assert isinstance(window.viewer, PdfViewer)
    qtbot.waitUntil(lambda: window.viewer.page_count() == 3, timeout=TIMEOUT)
    assert pane.open_in_window() is window  # same file: the open window is raised, not duplicated

    with qtbot.waitSignal(pane.image_viewer.loaded, timeout=TIMEOUT):
        pane.show_file(rotated_jpeg, "image", "KTP.jpg")
    photo_window = pane.open_in_window()
    qtbot.addWidget(photo_window)
    assert isinstance(photo_window.viewer, ImageViewer) and photo_window is not window
    qtbot.waitUntil(photo_window.viewer.has_image, timeout=TIMEOUT)
    assert len(pane.open_windows()) == 2
