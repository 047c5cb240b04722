"""`dikjamila --kiosk`: open this PC's kiosk station and show the kiosk full screen.

The data dir is a kiosk's (settings.toml with `kiosk_desa`, `kiosk_admin_pin_hash` and the
office's `office_db_url`). With `--demo` the demo office's data dir serves as a one-PC kiosk
whose office is itself: made on first use, with a village and the PIN `DEMO_PIN`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import cast

from dikjamila.i18n import tr

log = logging.getLogger(__name__)


def options_for(station):
    """The screen's options from the station's settings (read once, at start)."""
    from ui.kiosk.context import KioskOptions

    s = station.settings
    folders = (Path(s.kiosk_scanner_folder),) if s.kiosk_scanner_folder else ()
    prefix = f"{s.request_number_prefix}-" if s.request_number_prefix else ""
    return KioskOptions(idle_seconds=s.kiosk_idle_seconds, pick_folders=folders, paper=s.kiosk_paper,
                        number_prefixes=tuple(p for p in ("KIOS-", prefix) if p))


def run_kiosk(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from dikjamila.config import demo_data_dir, office_paths
    from dikjamila.errors import UserError
    from dikjamila.logs import start_logging
    from ui.app import _cannot_start
    from ui.runtime import collect_on_gui_thread, paint_on_the_gui_thread, settle_heap
    from ui.style import apply_style

    paint_on_the_gui_thread()
    app = cast(QApplication, QApplication.instance() or QApplication([*sys.argv[:1], *getattr(args, "qt_args", [])]))
    app.setApplicationName("Dik Jamila")
    apply_style(app)
    collect_on_gui_thread(app)
    if args.db_url:
        return _cannot_start(tr("Mode kios tidak memakai --db-url: kios menyimpan kirimannya di folder datanya "
                                "sendiri. Isi office_db_url di settings.toml kios untuk alamat kantor."))
    data_dir = args.data_dir or (demo_data_dir() if args.demo else None)
    try:
        paths = office_paths(data_dir)
    except UserError as exc:
        return _cannot_start(exc.message)
    start_logging(paths.data_dir, "kiosk starting", console=sys.stderr is not None)
    if args.demo:
        from ui.startup import ensure_demo_kiosk

        if not ensure_demo_kiosk(paths):
            return 1
    from dikjamila.kiosk.pin import verify_pin
    from dikjamila.kiosk.station import KioskStation
    from ui.startup import DEMO_KIOSK_PIN

    try:
        station = KioskStation.open(paths.data_dir)
    except UserError as exc:
        log.warning("the kiosk could not be opened: %s", exc.message)
        return _cannot_start(exc.message)
    if not station.settings.kiosk_admin_pin_hash:
        station.close()
        return _cannot_start(tr("PIN admin kios belum diatur; tanpa PIN mode kios tidak dapat ditutup. Jalankan "
                                "`dikjamila kiosk pin --data-dir \"{path}\"` di PC ini lebih dulu.",
                                path=paths.data_dir))
    from ui.kiosk.context import KioskContext
    from ui.kiosk.window import KioskWindow

    options = options_for(station)
    if args.demo and verify_pin(station.settings.kiosk_admin_pin_hash, DEMO_KIOSK_PIN):
        options.pin_hint = tr("Kantor contoh: PIN petugas {pin}.", pin=DEMO_KIOSK_PIN)
    ctx = KioskContext(station, options, deliver=station.deliver)
    window = KioskWindow(ctx)
    window.show_kiosk()
    QTimer.singleShot(2000, window.deliver)  # what waited from the last session goes out at once
    settle_heap()
    code = app.exec()
    ctx.close()
    station.close()
    log.info("kiosk closed (exit code %d)", code)
    return code
