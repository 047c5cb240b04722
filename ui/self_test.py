"""`dikjamila --self-test`: prove an installed bundle works, then exit 0.

Opens a database in a temp folder (running the migrations), loads the SOP catalog, makes a
PDF with fpdf2 and renders its first page with QtPdf offscreen.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    steps: list[str] = []
    try:
        from dikjamila.demo.paperwork import document_pdf
        from dikjamila.office import Office

        with tempfile.TemporaryDirectory() as folder:
            office = Office.open(folder)
            steps.append(f"database ok ({office.db.url.split(':')[0]})")
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
    except Exception as exc:  # noqa: BLE001 - report anything that breaks the bundle
        for s in steps:
            print(s)
        print(f"SELF-TEST FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    for s in steps:
        print(s)
    print(f"self-test passed in {time.perf_counter() - started:.1f} s")
    return 0


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
