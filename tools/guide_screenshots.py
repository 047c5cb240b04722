"""Screenshots for the guides (docs/panduan-petugas.md, docs/panduan-admin.md): docs/panduan/*.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/guide_screenshots.py [--out docs/panduan] [--data-dir D]

A throw-away demo office is made in a temporary folder (about a minute on 2 cores; its requests
are dated up to midnight UTC of today, from a fixed seed, so only the dates move between runs),
unless `--data-dir` names a demo office to reuse (it is changed: requests are opened, the
WhatsApp settings are switched for the last screens). The workstation runs offscreen at
1366×768, signed in as `sari` (operator), and is driven through the screens the guides show.
Each PNG is reduced to 256 colours without dithering and saved optimised (the guides travel in
the bundle). A window whose content needs more room than it was given is reported and makes
the exit code 1.

The screens of features built for issue 12 (the idle lock, "Ganti kata sandi", the users dialog,
the setup wizard) are made each on their own: one whose code changed is reported and the rest
are still made.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SIZE = (1366, 768)
WINDOWS_DATA_DIR = r"C:\Users\petugas\AppData\Local\Disdukcapil Balangan\DikJamila"
QR = "2@Panduan0DikJamila0Contoh0Kode0QR0Untuk0Gambar0Panduan0Saja,Qm9vZ3Jk,mJ0pW3sL7vB9nC2xZ5qK8tR1=,1"


class Shooter:
    """Waits for the workstation's background work and saves small PNGs."""

    def __init__(self, out: Path):
        self.out = out
        self.problems: list[str] = []
        self.made: list[Path] = []

    def pump(self, ms: int = 250) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def until(self, condition, what: str, timeout_s: float = 30) -> None:
        end = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > end:
                raise RuntimeError(f"timed out waiting for {what}")
            self.pump(50)

    def settle(self, *workers, ms: int = 450) -> None:
        for worker in workers:
            self.until(lambda w=worker: not w.pending, "the database worker")
        self.pump(ms)  # previews decode on the executor; layouts settle

    def check_room(self, widget, name: str) -> None:
        need, have = widget.minimumSizeHint(), widget.size()
        if need.width() > have.width() or need.height() > have.height():
            self.problems.append(f"{name}: needs {need.width()}x{need.height()}, has {have.width()}x{have.height()}")

    def save(self, widget, name: str, *, crop=None) -> None:
        self.check_room(widget, name)
        pixmap = widget.grab(crop) if crop is not None else widget.grab()
        self.save_image(pixmap.toImage(), name)

    def save_image(self, image, name: str) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QColor, QImage, QPainter

        # A thin grey frame: offscreen windows have none, and a dialog would melt into the page.
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        painter = QPainter(image)
        painter.setPen(QColor("#9ca3af"))
        painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        path = self.out / f"{name}.png"
        path.write_bytes(small_png(bytes(data)))
        self.made.append(path)
        print(f"  {path.name:34} {image.width()}x{image.height()}  {path.stat().st_size / 1024:6.0f} KB")

    def modal(self, kind, trigger, name: str, *, prepare=None) -> None:
        """Run `trigger` (which opens a modal dialog of class `kind`), save the dialog, cancel it."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        def look(tries: int = 200) -> None:
            found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
            if not found:
                if tries:
                    QTimer.singleShot(50, lambda: look(tries - 1))
                else:
                    self.problems.append(f"{name}: the dialog never opened")
                return
            dialog = found[0]
            if prepare is not None:
                prepare(dialog)
            QApplication.processEvents()
            self.save(dialog, name)
            dialog.reject()

        QTimer.singleShot(100, look)
        trigger()
        self.pump(300)


def small_png(data: bytes) -> bytes:
    """The PNG in 256 colours (no dithering: text stays crisp), optimised."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        quantized = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                   dither=Image.Dither.NONE)
        out = io.BytesIO()
        quantized.save(out, "PNG", optimize=True)
        return out.getvalue()


def demo_office(folder: Path):
    from dikjamila.demo.office_demo import build_demo
    from dikjamila.office import Office

    office = Office.open(folder)
    if office.needs_first_admin():
        print(f"making the demo office in {folder} (about a minute)…")
        build_demo(office, now=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0))
    return office


def pick_requests(office) -> dict[str, int]:
    """The requests each screen shows, chosen from the demo office by what they are: the one that
    fits best (the signed-in operator's own first, so the actions show)."""
    from dikjamila.desk import InboxFilter

    desk = office.desk(office.actor_for("sari"))
    me = office.actor_for("sari").full_name

    def best(status: str | tuple[str, ...], score) -> int:
        statuses = (status,) if isinstance(status, str) else status
        page = desk.inbox(InboxFilter(statuses=statuses), limit=400)
        scored = [(score(row), row.id, row.id) for row in getattr(page, "rows", page)]  # newest on a tie
        scored = [entry for entry in scored if entry[0] is not None]
        if not scored:
            raise RuntimeError(f"the demo office has no {status} request for the guide")
        return max(scored)[2]

    def detail(rid: int):
        return desk.get_request(rid, record_view=False)

    def checking(row):
        if desk.check(row.id).complete:
            return None
        return (row.assignee_name == me, min(len(detail(row.id).attachments), 2))

    def issued(row):
        if not any(a.role == "issued" for a in detail(row.id).attachments):
            return None
        return (row.assignee_name == me,)

    return {
        "new": best("baru", lambda r: (not r.service_code, not r.assignee_name)),
        "checking": best("diperiksa", checking),
        "issued": best("terbit", issued),
        # A conversation with some back and forth, the operator's own (a colleague's is read-only).
        "sent": best(("terkirim", "selesai", "berkas_kurang", "diperiksa"),
                     lambda r: (r.assignee_name == me, min(len(desk.conversation(r.id)), 4), r.status == "terkirim")),
    }


def shoot_workstation(office, s: Shooter) -> None:
    from PySide6.QtCore import QRect

    from dikjamila.auth.roles import Actor
    from ui.context import AppContext
    from ui.editor.dialogs import TextDialog
    from ui.login import LoginDialog
    from ui.main_window import MainWindow
    from ui.worker import DbWorker

    # The demo's way of sending (a folder), also when --data-dir names an office an earlier run
    # switched to the linked phone for its last screens.
    office.update_settings(Actor.system(), replace(office.settings, whatsapp_transport="folder", whatsapp_pc=""))
    ids = pick_requests(office)
    worker = DbWorker()
    login = LoginDialog(office, worker)
    login.username.setText("sari")
    login.password.setText("demo-jamila")
    login.show()
    s.pump(300)
    s.save(login, "masuk")
    login.close()
    worker.shutdown()

    ctx = AppContext(office, office.actor_for("sari"), DbWorker())
    window = MainWindow(ctx)
    window.setGeometry(0, 0, *SIZE)
    window.show()
    window.inbox.start()
    s.until(lambda: window.inbox.model.rowCount() > 0 and "(" in window.inbox.tabs.tabText(0), "the inbox")
    window.inbox.select_first()
    s.settle(ctx.worker)
    s.save(window, "kotak-masuk")

    window.inbox.search.setText("rahman")
    window.inbox.apply_filter()
    s.settle(ctx.worker, ms=700)
    window.inbox.select_first()
    s.save(window, "kotak-masuk-cari")
    window.inbox.search.clear()
    window.inbox.channel.setCurrentIndex(window.inbox.channel.findData("kiosk"))
    s.settle(ctx.worker, ms=700)
    window.inbox.select_first()
    s.save(window, "kotak-masuk-kios")
    window.inbox.channel.setCurrentIndex(0)

    def open_request(rid: int):
        while window.tabs.count() > 1:  # one request tab at a time: the screens stay uncluttered
            window.close_tab(window.tabs.count() - 1)
        window.open_request(rid)
        s.until(lambda: window.editor(rid) is not None and window.editor(rid).ready(), "the request editor")
        s.settle(ctx.worker, ms=1500)
        return window.editor(rid)

    open_request(ids["new"])
    s.save(window, "permohonan-baru")

    editor = open_request(ids["checking"])
    s.save(window, "daftar-periksa")
    s.modal(TextDialog, editor.send_missing_message, "pesan-berkas-kurang")

    editor = open_request(ids["issued"])
    issued = next(a for a in editor.detail.attachments if a.role == "issued")
    editor.show_attachment(issued.id)
    s.settle(ctx.worker, ms=1500)
    s.save(window, "dokumen-terbit")

    editor = open_request(ids["sent"])
    editor.tabs.setCurrentWidget(editor.conversation_tab)
    s.settle(ctx.worker)
    s.save(window, "percakapan")

    outbox = window.whatsapp.open_outbox()
    s.until(lambda: outbox.loads > 0, "the outbox")
    outbox.table.selectRow(0)
    s.settle(ctx.worker)
    s.save(outbox, "antrean-kirim")
    outbox.close()

    window.tabs.setCurrentIndex(0)
    panel = window.intake.show_unhandled()
    s.until(lambda: panel.model.rowCount() > 0, "the unhandled messages")
    panel.table.selectRow(0)
    s.settle(ctx.worker)
    s.save(window, "pesan-belum-ditangani")
    window.intake.unhandled_dock.hide()

    complaints = window.supervision.open_complaints()
    s.until(lambda: complaints.loads > 0, "the complaints")
    s.settle(ctx.worker)
    s.save(complaints, "pengaduan")
    complaints.close()

    # WhatsApp needs linking: the link runs on another PC here (so no real worker starts), and
    # the link row says "perlu dihubungkan" with a QR code, as that PC would write it.
    office.update_settings(Actor.system(), replace(office.settings, whatsapp_transport="linked",
                                                   whatsapp_pc="pc-whatsapp-kantor"))
    office.desk(Actor.system("whatsapp")).set_link_state("", "need_link", qr=QR, host="PC-WHATSAPP")
    s.until(lambda: "perlu dihubungkan" in window.whatsapp.light_text(), "the status light")
    s.settle(ctx.worker)
    bar = window.statusBar()
    width = 560
    s.save(window, "status-whatsapp", crop=QRect(window.width() - width, bar.y(), width, bar.height()))

    from ui.whatsapp.link_dialog import LinkDialog

    hasan = AppContext(office, office.actor_for("hasan"), DbWorker())
    dialog = LinkDialog(hasan)
    dialog.show()
    s.until(lambda: dialog.qr_shown(), "the QR code")
    s.settle(hasan.worker)
    s.save(dialog, "hubungkan-whatsapp")
    dialog.close()
    hasan.close()
    window.close()


def shoot_admin(folder: Path, office, s: Shooter) -> None:
    from dikjamila.office import Office
    from ui.context import AppContext
    from ui.login import FirstRunDialog
    from ui.settings_dialog import SettingsDialog
    from ui.worker import DbWorker

    empty = Office.open(folder / "kantor-baru")
    worker = DbWorker()
    first = FirstRunDialog(empty, worker)
    first.full_name.setText("Rusdi Hidayat")
    first.password.setText("contoh-sandi")
    first.repeat.setText("contoh-sandi")
    first.show()
    s.pump(300)
    s.save(first, "akun-admin-pertama")
    first.close()
    worker.shutdown()
    empty.close()

    ctx = AppContext(office, office.actor_for("admin"), DbWorker())
    dialog = SettingsDialog(ctx)
    # NOTE: the data folder as a Windows office sees it (not the temporary folder of this run).
    dialog.data_dir.setText(WINDOWS_DATA_DIR)
    dialog.data_dir.setCursorPosition(0)
    dialog.show()
    s.settle(ctx.worker)
    s.save(dialog, "pengaturan")
    dialog.tabs.setCurrentWidget(dialog.intake)
    s.pump(200)
    s.save(dialog, "pengaturan-penerimaan")
    dialog.close()
    ctx.close()


def shoot_accounts(office, s: Shooter) -> None:
    """Screens of the accounts work (issue 12): the idle lock, one's password, the users list, and
    the setup wizard's first page and backup page. Each is tried on its own: a screen whose code
    changed is reported, the others are still made."""
    from dikjamila.i18n import tr
    from ui.context import AppContext
    from ui.worker import DbWorker

    ctx = AppContext(office, office.actor_for("admin"), DbWorker())

    def lock_screen():
        from ui.accounts.lock_dialog import LockDialog

        sari = office.actor_for("sari")
        return LockDialog(sari, tr("Layar dikunci karena tidak dipakai selama {n} menit.", n=15))

    def password():
        from ui.accounts.password_dialog import ChangePasswordDialog

        return ChangePasswordDialog(AppContext(office, office.actor_for("sari"), ctx.worker))

    def users():
        from ui.accounts.users_dialog import UsersDialog

        dialog = UsersDialog(ctx)
        s.until(lambda: dialog.table.rowCount() > 0, "the users")
        dialog.table.selectRow(min(2, dialog.table.rowCount() - 1))
        return dialog

    def wizard(start: int):
        def make():
            from ui.setup_wizard import SetupWizard

            made = SetupWizard(office, office.actor_for("admin"), ctx.worker)
            made.setStartId(made.pageIds()[start])
            made.restart()
            return made
        return make

    for name, make in (("kunci-layar", lock_screen), ("ganti-kata-sandi", password), ("pengguna", users),
                       ("persiapan-kantor", wizard(0)), ("persiapan-cadangan", wizard(5))):
        try:
            widget = make()
            widget.show()
            s.settle(ctx.worker)
            s.save(widget, name)
            widget.hide()
            widget.deleteLater()
        except Exception as exc:  # noqa: BLE001 - a screen being built may have changed: say which
            s.problems.append(f"{name}: {type(exc).__name__}: {exc}")
    ctx.close()


def kiosk_picture(s: Shooter) -> None:
    """The kiosk's start screen, from the kiosk's own screenshots (tools/kiosk_screenshots.py), at half size."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    source = REPO / "docs" / "kiosk" / "1366x768" / "01-mulai.png"
    image = QImage(str(source))
    if image.isNull():
        s.problems.append(f"kios: {source} is missing (make it with tools/kiosk_screenshots.py)")
        return
    s.save_image(image.scaledToWidth(683, Qt.TransformationMode.SmoothTransformation), "kios")


def _quiet(kind, context, message: str) -> None:
    """Qt's messages, without the offscreen platform's notes on what it cannot do."""
    if "This plugin does not support" not in message:
        print(message, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "panduan"))
    parser.add_argument("--data-dir", help="a demo office to reuse (default: a new one in a temporary folder)")
    args = parser.parse_args(argv)

    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ui.runtime import collect_on_gui_thread
    from ui.style import apply_style

    qInstallMessageHandler(_quiet)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)  # (ui.runtime: cycles collected on the GUI thread only)
    apply_style(app)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    s = Shooter(out)
    tmp = Path(tempfile.mkdtemp(prefix="panduan-"))
    try:
        office = demo_office(Path(args.data_dir) if args.data_dir else tmp / "kantor")
        try:
            shoot_workstation(office, s)
            shoot_admin(tmp, office, s)
            shoot_accounts(office, s)
        finally:
            office.close()
        kiosk_picture(s)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    total = sum(p.stat().st_size for p in s.made)
    print(f"{len(s.made)} images, {total / 1e6:.2f} MB in {out}")
    for problem in s.problems:
        print("PROBLEM:", problem, file=sys.stderr)
    del app
    return 1 if s.problems else 0


if __name__ == "__main__":
    sys.exit(main())
