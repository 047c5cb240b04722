"""`dikjamila`: the workstation window, or a command-line command when one is named.

`dikjamila` opens the workstation; `dikjamila inbox|demo|check|…` runs the core's command
line (without loading Qt). Options: --data-dir, --db-url, --demo (open the demo office,
creating it on first use), --kiosk (the village kiosk's touch screen, `ui/kiosk/`),
--self-test (for the installed bundle: database, SOPs, one PDF page rendered offscreen; exit 0
when all is well).
"""

from __future__ import annotations

import argparse
import logging
import sys

from dikjamila.cli.main import build_parser as build_cli_parser
from dikjamila.cli.main import main as cli_main

log = logging.getLogger(__name__)


def _cli_commands() -> set[str]:
    parser = build_cli_parser()
    for action in parser._actions:  # argparse keeps sub-commands here
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


#: Qt's own options: with a value (`-platform offscreen`, `-style fusion`, …) and without.
_QT_VALUE_OPTIONS = ("-platform", "-platformpluginpath", "-platformtheme", "-style", "-stylesheet",
                     "-qwindowgeometry", "-qwindowtitle", "-qwindowicon", "-display", "-geometry")
_QT_FLAGS = ("-reverse", "-nograb", "-dograb", "-sync", "-widgetcount")
#: Options taking a value: ours, and Qt's.
_VALUE_OPTIONS = ("--data-dir", "--db-url", *_QT_VALUE_OPTIONS)


def _command_word(argv: list[str]) -> str | None:
    """The first word that is not an option or an option's value (`--data-dir D inbox` → inbox)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


class _Parser(argparse.ArgumentParser):
    """Says what is wrong with the options in Indonesian (argparse's own words are English)."""

    def error(self, message: str):
        from dikjamila.i18n import tr

        message = (message.replace("expected one argument", "perlu diikuti satu nilai")
                   .replace("unrecognized arguments:", "pilihan tidak dikenal:")
                   .replace("argument ", "pilihan ").replace("not allowed with", "tidak bisa bersama"))
        self.exit(2, tr("dikjamila: {message}\n`dikjamila --help` menjelaskan pilihan yang ada.\n", message=message))


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = _Parser(prog="dikjamila", description="Dik Jamila — stasiun kerja petugas")
    p.add_argument("--data-dir", help="folder data kantor")
    p.add_argument("--db-url", help="URL basis data SQLAlchemy")
    p.add_argument("--demo", action="store_true", help="buka kantor contoh (dibuat bila belum ada)")
    p.add_argument("--kiosk", action="store_true", help="mode kios: layar sentuh untuk warga di kantor desa")
    p.add_argument("--self-test", action="store_true", help="uji mandiri lalu keluar (untuk paket terpasang)")
    args, rest = p.parse_known_args(argv)
    # What is left must be Qt's own options, handed to Qt; anything else is refused (a mistyped
    # `--dmeo` would otherwise open the real office).
    args.qt_args = []
    while rest:
        if rest[0] in _QT_VALUE_OPTIONS and len(rest) > 1:
            args.qt_args += rest[:2]
            rest = rest[2:]
        elif rest[0] in _QT_FLAGS:
            args.qt_args.append(rest.pop(0))
        else:
            p.error(f"unrecognized arguments: {' '.join(rest)}")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    word, commands = _command_word(argv), _cli_commands()
    if word in commands or any(a in ("-h", "--help", "--version") for a in argv[:1]):
        return cli_main(argv)
    if word is not None:
        # A mistyped command must say so, never open a window nobody asked for.
        from dikjamila.i18n import tr

        print(tr("dikjamila: perintah '{word}' tidak dikenal. Perintah yang ada: {commands}.\n"
                 "Tanpa perintah, `dikjamila` membuka stasiun kerja; `dikjamila --help` menjelaskan semuanya.",
                 word=word, commands=", ".join(sorted(commands))), file=sys.stderr)
        return 2
    args = parse_args(argv)
    if args.self_test:
        from dikjamila.config import demo_data_dir
        from ui.self_test import run_self_test

        return run_self_test(args.data_dir or (demo_data_dir() if args.demo else None))
    if args.kiosk:
        from ui.kiosk.launch import run_kiosk

        return run_kiosk(args)
    return run_workstation(args)


def run_workstation(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from dikjamila.config import demo_data_dir, office_paths
    from dikjamila.errors import UserError
    from dikjamila.i18n import tr
    from dikjamila.logs import start_logging
    from dikjamila.office import Office
    from ui.backup_schedule import start_backup_schedule
    from ui.context import AppContext
    from ui.login import FirstRunDialog, LoginDialog
    from ui.main_window import MainWindow
    from ui.runtime import collect_on_gui_thread, paint_on_the_gui_thread, settle_heap
    from ui.startup import ensure_demo_office
    from ui.style import apply_style
    from ui.worker import DbWorker

    paint_on_the_gui_thread()
    app = QApplication.instance() or QApplication([*sys.argv[:1], *getattr(args, "qt_args", [])])
    app.setApplicationName("Dik Jamila")
    apply_style(app)
    collect_on_gui_thread(app)
    data_dir = args.data_dir or (demo_data_dir() if args.demo else None)
    try:
        paths = office_paths(data_dir, args.db_url)  # a folder that cannot hold an office stops here
    except UserError as exc:
        log.info("the data dir is unusable: %s", exc.message, exc_info=True)  # no log file yet
        return _cannot_start(exc.message)
    # From here on the log goes to <data dir>/logs/dikjamila.log (NIK and phone masked), and to
    # the terminal when there is one (a windowed bundle has no stderr); a database that cannot
    # be opened leaves its technical detail there.
    start_logging(paths.data_dir, "workstation starting", console=sys.stderr is not None)
    try:
        office = Office.open(paths.data_dir, args.db_url)
    except UserError as exc:
        # The cause (a database driver's English text) was logged where it happened.
        log.warning("the office could not be opened: %s", exc.message)
        return _cannot_start(exc.message)
    worker = DbWorker()
    hint = ""
    if args.demo:
        if not ensure_demo_office(office, worker):
            return 1
        from dikjamila.demo.office_demo import DEMO_PASSWORD

        hint = tr("Kantor contoh: pengguna sari (operator) atau hasan (supervisor), kata sandi {pw}",
                  pw=DEMO_PASSWORD)
    first_run = office.needs_first_admin()
    dialog = FirstRunDialog(office, worker) if first_run else LoginDialog(office, worker, hint=hint)
    if dialog.exec() != dialog.DialogCode.Accepted or dialog.actor is None:
        worker.shutdown()
        return 0
    # A new office (not the demo, which the demo builds): the setup wizard, once, before the window.
    connect_whatsapp = first_run and not args.demo and not office.settings.setup_done and \
        _run_setup_wizard(office, dialog.actor, worker)
    ctx = AppContext(office, dialog.actor, worker)
    window = MainWindow(ctx)
    window.show()
    window.inbox.start()
    start_backup_schedule(ctx, window)
    if connect_whatsapp:  # "Hubungkan sekarang" in the wizard: the link dialog, over the window
        QTimer.singleShot(0, window, window.whatsapp.open_link_dialog)
    settle_heap()
    code = app.exec()
    office.close()
    log.info("workstation closed (exit code %d)", code)
    return code


def _run_setup_wizard(office, actor, worker) -> bool:
    """The first-run setup wizard (`ui.setup_wizard`); True when the office phone is to be linked now."""
    from ui.setup_wizard import SetupWizard

    wizard = SetupWizard(office, actor, worker)
    wizard.exec()
    return wizard.connect_now


def _cannot_start(message: str) -> int:
    """The workstation cannot start: say why (Indonesian) on the terminal and in a message box.

    NOTE: no box on the offscreen/minimal platforms: nobody could see or close it, and a modal
    box would keep the process waiting forever.
    """
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    from dikjamila.i18n import tr

    if sys.stderr is not None:
        print(tr("Galat: {message}", message=message), file=sys.stderr)
    if QGuiApplication.platformName() not in ("offscreen", "minimal"):
        QMessageBox.critical(None, tr("Dik Jamila"), message)
    return 2


if __name__ == "__main__":
    sys.exit(main())
