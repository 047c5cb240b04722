"""Screenshots of every kiosk screen, for the README and the issue: two screen sizes.

    .venv/bin/python tools/kiosk_screenshots.py [--out docs/kiosk] [--sizes 1366x768,1920x1080]

For each size a throw-away office is made in a temporary folder and set up as a one-PC kiosk
(village "Batu Piring", PIN 1234, a scanner folder with demo photos of documents). The kiosk
window runs offscreen at exactly that size and is driven through the start screen, every
wizard step (service, questions, identity with a wrong and a right NIK, each document, the
file list, the review refused and complete), the receipt, the status check (delivered and taken
by the office, so it shows the office's status), the survey and the PIN pad. PNGs are written
to `OUT/<size>/NN-name.png`. A screen whose content needs more room than the size gives is
reported (the window would be larger than the screen).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PIN = "1234"
PERSON = ("SITI AMINAH", "081234567890", "6311054506900003")


def make_kiosk(folder: Path) -> Path:
    """An office at `folder` with one operator, set up as its own kiosk, and a scanner folder."""
    from dikjamila.config import load_settings, office_paths, save_settings
    from dikjamila.demo.paperwork import document_photo
    from dikjamila.kiosk.pin import hash_pin
    from dikjamila.office import Office

    office = Office.open(folder / "kantor")
    office.add_user(None, username="sari", full_name="Sari Operator", role="admin", password="rahasia-123")
    office.close()
    scans = folder / "pindaian"
    (scans / "2026-12").mkdir(parents=True)
    rng = random.Random(7)
    for name, title in (("laporan-polisi.jpg", "BERITA ACARA PEMERIKSAAN"), ("kk-aminah.jpg", "KARTU KELUARGA"),
                        ("ktp-aminah.jpg", "KARTU TANDA PENDUDUK")):
        (scans / "2026-12" / name).write_bytes(document_photo(title, holder=PERSON[0], number=PERSON[2], rng=rng))
    paths = office_paths(folder / "kantor")
    save_settings(paths, replace(load_settings(paths), kiosk_desa="Batu Piring", kiosk_admin_pin_hash=hash_pin(PIN),
                                 kiosk_scanner_folder=str(scans)))
    return folder / "kantor"


class Driver:
    """Runs the window through its screens and saves one PNG per step."""

    def __init__(self, window, out: Path, size: tuple[int, int]):
        self.w, self.out, self.size = window, out, size
        self.problems: list[str] = []

    def pump(self, ms: int = 250) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(self, condition, what: str, timeout_ms: int = 20_000) -> None:
        waited = 0
        while not condition():
            if waited > timeout_ms:
                raise RuntimeError(f"timed out waiting for {what}")
            self.pump(50)
            waited += 50

    def shot(self, name: str) -> None:
        self.until(lambda: not self.w.ctx.worker.pending, "the worker")
        self.pump(350)  # previews decode on the executor
        image = self.w.grab()
        if (image.width(), image.height()) != self.size:
            self.problems.append(f"{name}: window {image.width()}x{image.height()}, screen {self.size[0]}x{self.size[1]}")
        image.save(str(self.out / f"{name}.png"))
        print(f"  {name}.png")

    def tap(self, button) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def type_on(self, pad, text: str) -> None:
        for ch in text:
            self.tap(pad.keys[ch if ch != " " else "Spasi"])


def drive(window, station, office_dir: Path, out: Path, size: tuple[int, int]) -> list[str]:
    from dikjamila.kiosk.delivery import deliver_pending
    from dikjamila.office import Office

    d = Driver(window, out, size)
    w, wiz = window, window.wizard
    d.shot("01-mulai")
    d.tap(w.start.apply)
    d.until(lambda: wiz.service_step.buttons, "the services")
    d.shot("02-layanan")
    d.tap(wiz.service_step.buttons["akta_kelahiran"])
    d.until(lambda: wiz.questions_step.rows, "the questions")
    d.shot("03-pertanyaan")
    for row in wiz.questions_step.rows:
        d.tap(row.yes)
    d.until(lambda: wiz.next_button.isEnabled(), "the documents list")
    d.shot("04-pertanyaan-dijawab")
    d.tap(wiz.next_button)
    step = wiz.identity_step
    step.dock.focus(step.name)
    d.type_on(step.dock.letters, PERSON[0])
    d.shot("05-data-diri-nama")
    step.dock.focus(step.phone)
    d.type_on(step.dock.digits, PERSON[1])
    step.dock.focus(step.nik)
    d.type_on(step.dock.digits, "63110545069")
    d.until(lambda: step.nik.message.text(), "the NIK message")
    d.shot("06-data-diri-nik-salah")
    d.type_on(step.dock.digits, PERSON[2][11:])
    d.until(lambda: wiz.next_button.isEnabled(), "a valid identity")
    d.shot("07-data-diri")
    d.tap(wiz.next_button)
    d.shot("08-dokumen-kosong")
    first = wiz.doc_steps[0]
    d.tap(first.folder_button)
    d.until(lambda: wiz.picker.list.count() >= 3, "the scanner folder's files")
    wiz.picker.select_path(next(p for p in _listed(wiz.picker) if p.name == "laporan-polisi.jpg"))
    d.shot("09-pilih-berkas")
    d.tap(wiz.picker.use)
    d.until(lambda: first.files(), "the copied file")
    d.shot("10-dokumen-terisi")
    d.tap(wiz.next_button)
    d.shot("11-dokumen-kedua")
    d.tap(wiz.next_button)
    d.tap(wiz.next_button)  # the review: "Kirim" with the KK missing is refused
    d.until(lambda: wiz.message.isVisible(), "the refusal")
    d.shot("12-ringkasan-belum-lengkap")
    second = wiz.doc_steps[1]
    wiz.go_to_step(wiz.steps.index(second))
    d.tap(second.folder_button)
    d.until(lambda: wiz.picker.list.count() >= 3, "the scanner folder's files")
    wiz.picker.select_path(next(p for p in _listed(wiz.picker) if p.name == "kk-aminah.jpg"))
    d.tap(wiz.picker.use)
    d.until(lambda: second.files(), "the copied file")
    wiz.go_to_step(len(wiz.steps) - 1)
    d.shot("13-ringkasan")
    d.tap(wiz.next_button)
    d.until(lambda: wiz.on_receipt(), "the receipt")
    d.shot("14-tanda-terima")
    number = wiz.receipt.receipt.kiosk_number
    d.tap(wiz.receipt.finish)
    # The office takes it: the status check then shows the office's own words.
    deliver_pending(station)
    office = Office.open(office_dir)
    office.desk(office.actor_for("sari")).take_kiosk_submissions()
    office.close()
    d.tap(w.start.status)
    form = w.status.form
    form.number.set_text(number)
    form.last4.set_text(PERSON[1][-4:])
    form.dock.focus(form.last4)
    d.shot("15-cek-status")
    d.tap(w.status.check)
    d.until(lambda: w.status.stack.currentWidget() is w.status.answer_page, "the status")
    d.shot("16-cek-status-hasil")
    d.tap(w.status.done)
    d.tap(w.start.survey)
    w.survey.form.number.set_text(number)
    w.survey.form.last4.set_text(PERSON[1][-4:])
    d.shot("17-survei-nomor")
    d.tap(w.survey.start)
    d.until(lambda: w.survey.stack.currentWidget() is w.survey.question_page, "the first question")
    for n, score in enumerate((4, 3, 4, 4, 3, 4, 4, 3, 2)):
        if n == 2:
            d.shot("18-survei-pertanyaan")
        d.tap(w.survey.faces[score])
        d.pump(500)
    d.shot("19-survei-kirim")
    w.survey.leave()
    w.ask_pin()
    d.type_on(w.pin.pad, "9999")
    d.tap(w.pin.leave)
    d.until(lambda: w.pin.message.text(), "the PIN refusal")
    d.shot("20-pin-salah")
    return d.problems


def _listed(picker) -> list[Path]:
    from PySide6.QtCore import Qt

    return [Path(picker.list.item(n).data(Qt.ItemDataRole.UserRole)) for n in range(picker.list.count())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "kiosk"))
    parser.add_argument("--sizes", default="1366x768,1920x1080")
    args = parser.parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from ui.runtime import collect_on_gui_thread

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)  # (ui.runtime: cycles collected on the GUI thread only)
    from dikjamila.kiosk.station import KioskStation
    from ui.kiosk.context import KioskContext
    from ui.kiosk.launch import options_for
    from ui.kiosk.theme import scale_for
    from ui.kiosk.window import KioskWindow
    from ui.style import apply_style

    apply_style(app)
    problems: list[str] = []
    for spec in args.sizes.split(","):
        width, height = (int(v) for v in spec.lower().split("x"))
        out = Path(args.out) / f"{width}x{height}"
        out.mkdir(parents=True, exist_ok=True)
        print(f"{width}x{height} -> {out}")
        with tempfile.TemporaryDirectory(prefix="kios-") as tmp:
            office_dir = make_kiosk(Path(tmp))
            station = KioskStation.open(office_dir)
            options = replace(options_for(station), use_camera=False, deliver_every_seconds=0,
                              print_to_pdf=Path(tmp) / "struk.pdf")
            ctx = KioskContext(station, options)
            window = KioskWindow(ctx, scale=scale_for(height))
            window.resize(width, height)
            window.show()
            try:
                problems += [f"{spec} {p}" for p in drive(window, station, office_dir, out, (width, height))]
            finally:
                window.shut_down()
                ctx.close()
                station.close()
    del app
    for problem in problems:
        print("TOO BIG:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
