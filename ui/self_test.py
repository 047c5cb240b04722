"""`dikjamila --self-test`: prove an installed bundle works, then exit 0.

Opens a database in a temp folder (running the migrations), loads the SOP catalog, writes the
log file there (and checks that NIK and phone numbers come out masked), makes a PDF with fpdf2
and renders its first page with QtPdf offscreen. It also prints where the workstation writes its
log (`<data dir>/logs/dikjamila.log` of the data dir it would open), for the office's IT person.

Last it starts the WhatsApp worker exactly as the supervisor does (`worker_command`: in the
bundle `dikjamila-cli whatsapp worker`), in a temporary data dir, waits for its `ready` event
(which comes once neonize and its Go library are loaded), pings it and expects it to exit 0
when its stdin closes. This proves the Go library and neonize's protobuf modules are bundled.
On a PC with internet the worker meanwhile starts connecting to WhatsApp with a new, unlinked
session (nothing is linked or sent); offline that fails at once, which is fine here.
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Fictional, but shaped like the real thing: they must not reach the log file as written.
_SAMPLE_NIK = "6311054506900003"
_SAMPLE_PHONE = "+62 812-3456-7890"

WORKER_READY_TIMEOUT_S = 20.0
WORKER_PONG_TIMEOUT_S = 10.0
WORKER_EXIT_TIMEOUT_S = 10.0


def run_self_test(data_dir: str | os.PathLike | None = None) -> int:
    """`data_dir`: the one the workstation would open (None: DIKJAMILA_HOME or the default)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    steps: list[str] = []
    try:
        from dikjamila.config import resolve_data_dir
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
            calendar = office.calendar
            if not {2026, 2027} <= set(calendar.years_covered()):
                raise RuntimeError(f"working-day calendar covers only {calendar.years_covered()}")
            steps.append(f"calendar ok (years {', '.join(map(str, calendar.years_covered()))})")
            pdf_path = Path(folder) / "self-test.pdf"
            pdf_path.write_bytes(_receipt())
            dark = _render_first_page(pdf_path)
            if dark < 100:
                raise RuntimeError(f"rendered page looks empty ({dark} dark pixels)")
            steps.append(f"receipt PDF ok (DejaVu fonts, QR code; rendered: {dark} dark pixels)")
            office.close()
        steps.append(_check_whatsapp_worker())
        steps.append(_check_utf8_mode())
        steps.append(_check_guides())
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


def _check_utf8_mode() -> str:
    """The bundle runs Python in UTF-8 mode (build.spec): Windows would otherwise write cp1252."""
    if getattr(sys, "frozen", False) and not sys.flags.utf8_mode:
        raise RuntimeError("the bundle does not run in Python's UTF-8 mode (build.spec PYTHON_OPTIONS)")
    return f"text encoding ok (UTF-8 mode {'on' if sys.flags.utf8_mode else 'off, not a bundle'})"


def _check_guides() -> str:
    """Bantuan → Panduan finds both guides and every screenshot they name."""
    import re

    from ui.help_viewer import GUIDES, docs_dir

    folder = docs_dir()
    if folder is None:
        raise RuntimeError("the operator's guide (docs/panduan-petugas.md) is not in the bundle")
    images = 0
    for guide in GUIDES:
        text = (folder / guide.file).read_text(encoding="utf-8")
        for name in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text):
            if not (folder / name).is_file():
                raise RuntimeError(f"{guide.file} names {name}, which is not in the bundle")
            images += 1
    return f"guides ok ({len(GUIDES)} guides, {images} screenshots, in {folder})"


def _receipt() -> bytes:
    """A receipt as the office prints it: proves fpdf2, the bundled fonts and segno are there."""
    from datetime import UTC, datetime, timedelta

    from dikjamila.documents.receipt import ReceiptData, build_receipt

    now = datetime.now(UTC)
    return build_receipt(ReceiptData(
        office_name="Disdukcapil Kabupaten Balangan", office_address="Paringin", number="UJI-00000000-0001",
        received_at=now, applicant_name="Ṣiti Ñurul Ħasanah", applicant_phone="+62 812-0000-0000",
        service_name="Uji mandiri", channel="WhatsApp", due_at=now + timedelta(days=1)))


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


def _check_whatsapp_worker() -> str:
    """Start the WhatsApp worker as the supervisor would; ready, ping → pong, exit 0 on end of stdin."""
    from dikjamila.whatsapp import protocol
    from dikjamila.whatsapp.supervisor import worker_command

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dikjamila-wa-self-test-", ignore_cleanup_errors=True) as folder:
        command = worker_command(Path(folder))
        kwargs: dict[str, Any] = {}
        if os.name == "nt":  # as the supervisor: a console child of a windowed program opens no window
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        try:
            proc: subprocess.Popen[bytes] = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
        except OSError as exc:
            raise RuntimeError(f"WhatsApp worker could not be started ({command[0]}): {exc}") from exc
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        stdin, stdout, stderr_pipe = proc.stdin, proc.stdout, proc.stderr
        lines: queue.Queue[bytes | None] = queue.Queue()
        stderr: list[bytes] = []

        def read_stdout() -> None:
            try:
                for raw in stdout:
                    lines.put(raw)
            except (OSError, ValueError):
                pass
            lines.put(None)  # end of output: the worker exited or closed stdout

        def read_stderr() -> None:
            try:
                stderr.extend(stderr_pipe)
            except (OSError, ValueError):
                pass

        readers = [threading.Thread(target=read_stdout, daemon=True, name="self-test-wa-stdout"),
                   threading.Thread(target=read_stderr, daemon=True, name="self-test-wa-stderr")]
        for t in readers:
            t.start()

        def fail(what: str, grace: float = 0.0) -> RuntimeError:
            """The error to raise, after the worker is gone (given `grace` s to exit by itself)."""
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    pass
            for t in readers:
                t.join(2)
            tail = b"".join(stderr).decode("utf-8", errors="replace").strip()[-1500:]
            return RuntimeError(f"WhatsApp worker ({' '.join(command[:4])} …): {what} "
                                f"(exit code {proc.returncode})" + (f"; stderr:\n{tail}" if tail else ""))

        def wait_for(name: str, timeout: float, **match) -> dict:
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise fail(f"no '{name}' event within {timeout:.0f} s")
                try:
                    raw = lines.get(timeout=left)
                except queue.Empty:
                    continue
                if raw is None:
                    raise fail(f"it ended before its '{name}' event")
                try:
                    event = protocol.decode(raw)
                except protocol.ProtocolError as exc:
                    raise fail(f"it wrote a line that is not an event ({exc}): {raw[:200]!r}") from exc
                if event.get("event") == "error" and event.get("fatal"):
                    raise fail(f"fatal error: {event.get('message')}", grace=5.0)  # it exits with 4
                if event.get("event") == name and all(event.get(k) == v for k, v in match.items()):
                    return event
                # anything else (disconnected, qr, ...) is the connection's business, not ours

        ready = wait_for("ready", WORKER_READY_TIMEOUT_S)
        ready_s = time.perf_counter() - started
        try:
            stdin.write(protocol.encode({"cmd": "ping", "id": "t"}).encode("utf-8"))
            stdin.flush()
        except OSError as exc:
            raise fail(f"its stdin is closed ({exc})") from exc
        wait_for("pong", WORKER_PONG_TIMEOUT_S, id="t")
        try:
            stdin.close()
        except OSError:
            pass
        try:
            code = proc.wait(WORKER_EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise fail(f"it did not exit within {WORKER_EXIT_TIMEOUT_S:.0f} s after its stdin closed; "
                       "killed") from exc
        for t in readers:
            t.join(2)
        if code != 0:
            raise fail("it did not exit cleanly after its stdin closed")
    where = f"bundled {Path(command[0]).name}" if getattr(sys, "frozen", False) else "python -m"
    return (f"WhatsApp worker ok ({where}: ready in {ready_s:.1f} s, pid {ready.get('pid')}, "
            f"version {ready.get('version')}; ping → pong; exit 0)")


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
