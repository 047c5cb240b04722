"""`dikjamila --self-test`: prove an installed bundle works, then exit 0.

Opens a database in a temp folder (running the migrations), loads the SOP catalog, writes the
log file there (and checks that NIK and phone numbers come out masked), makes a PDF with fpdf2
and renders its first page with QtPdf offscreen. It also prints where the workstation writes its
log (`<data dir>/logs/dikjamila.log` of the data dir it would open), for the office's IT person.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)

# Fictional, but shaped like the real thing: they must not reach the log file as written.
_SAMPLE_NIK = "6311054506900003"
_SAMPLE_PHONE = "+62 812-3456-7890"


def run_self_test(data_dir: str | os.PathLike | None = None) -> int:
    """`data_dir`: the one the workstation would open (None: DIKJAMILA_HOME or the default)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    steps: list[str] = []
    try:
        from dikjamila.config import resolve_data_dir
        from dikjamila.demo.paperwork import document_pdf
        from dikjamila.logs import log_path
        from dikjamila.office import Office

        steps.append(f"log file of the workstation: {log_path(resolve_data_dir(data_dir))}"
                     " (NIK and phone numbers in it are masked)")
        with tempfile.TemporaryDirectory() as folder:
            office = Office.open(folder)
            steps.append(f"database ok ({office.db.url.split(':')[0]})")
            steps.append(_check_log(Path(folder)))
            services = office.catalog.all()
            if len(services) < 14:
                raise RuntimeError(f"only {len(services)} SOPs loaded")
            steps.append(f"SOP ok ({len(services)} services)")
            pdf_path = Path(folder) / "self-test.pdf"
            pdf_path.write_bytes(document_pdf("UJI MANDIRI", holder="Dik Jamila", number="0001"))
            dark = _render_first_page(pdf_path)
            if dark < 100:
                raise RuntimeError(f"rendered page looks empty ({dark} dark pixels)")
            steps.append(f"PDF render ok ({dark} dark pixels)")
            office.close()
    except Exception as exc:  # report anything that breaks the bundle (and log it)
        log.exception("self-test failed")
        for s in steps:
            print(s)
        print(f"SELF-TEST FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for s in steps:
        print(s)
    print(f"self-test passed in {time.perf_counter() - started:.1f} s")
    return 0


def _check_log(folder: Path) -> str:
    """Write a line with an NIK and a phone number through the real log set-up; read it back masked."""
    from dikjamila.logs import close_logging, setup_logging

    try:
        path = setup_logging(folder)
        log.info("self-test log line: NIK %s, HP %s", _SAMPLE_NIK, _SAMPLE_PHONE)
    finally:
        close_logging()  # before the temp folder goes
    text = path.read_text(encoding="utf-8")
    if "self-test log line" not in text:
        raise RuntimeError(f"nothing written to {path}")
    if _SAMPLE_NIK in text or _SAMPLE_PHONE in text or "3456-7890" in text:
        raise RuntimeError("the log file holds an unmasked NIK or phone number")
    return "log ok (rotating file written, NIK and phone masked)"


def _render_first_page(path: Path) -> int:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    document = QPdfDocument(None)
    try:
        error = document.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise RuntimeError(f"QtPdf could not load the PDF: {error}")
        rendered = document.render(0, QSize(420, 594))
        if rendered.isNull():
            raise RuntimeError("QtPdf rendered nothing")
        # The page may come back transparent: lay it on white paper before counting ink.
        page = QImage(rendered.size(), QImage.Format.Format_RGB32)
        page.fill(QColor("white"))
        painter = QPainter(page)
        painter.drawImage(0, 0, rendered)
        painter.end()
        samples = [page.pixelColor(x, y).lightness() for y in range(0, page.height(), 2)
                   for x in range(0, page.width(), 2)]
        dark = sum(1 for v in samples if v < 128)
        if dark > len(samples) // 2:
            raise RuntimeError("rendered page is mostly dark: not a document page")
        return dark
    finally:
        document.close()
        del app
