"""Entry point of the `dikjamila` command."""

from __future__ import annotations

import argparse
import logging
import re
import sys

from dikjamila import __version__
from dikjamila.cli import (
    admin_cmds,
    backup_folder_cmd,
    demo_cmd,
    import_cmd,
    inbox_cmd,
    kiosk_cmd,
    migrate_cmd,
    outbox_cmd,
    paperwork_cmd,
    report_cmd,
    whatsapp_cmd,
)
from dikjamila.cli.common import add_common
from dikjamila.errors import UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)


#: argparse's English complaints, as an operator or IT person should read them.
_ARGPARSE_MESSAGES = (
    (re.compile(r"the following arguments are required: (.*)"), "argumen ini wajib diisi: {0}"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
     "{0}: pilihan {1} tidak dikenal (pilih salah satu: {2})"),
    (re.compile(r"argument (\S+): invalid (\w+) value: (.*)"), "{0}: nilai {2} tidak sah (harus {1})"),
    (re.compile(r"argument (\S+): expected one argument"), "{0}: butuh satu nilai"),
    (re.compile(r"unrecognized arguments: (.*)"), "argumen tidak dikenal: {0}"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "{0} tidak boleh dipakai bersama {1}"),
)


class IndonesianArgumentParser(argparse.ArgumentParser):
    """argparse, with its error messages in Indonesian (sub-commands inherit the class)."""

    def error(self, message: str):
        for pattern, indonesian in _ARGPARSE_MESSAGES:
            if match := pattern.fullmatch(message):
                message = indonesian.format(*match.groups())
                break
        # Sub-command slots are named `<x>_cmd` in the parsers; "(harus int)" reads as Indonesian.
        message = re.sub(r"\b\w+_cmd\b", "perintah", message).replace("(harus int)", "(harus bilangan bulat)")
        self.print_usage(sys.stderr)
        self.exit(2, tr("{prog}: galat: {message}\nLihat `{prog} --help`.\n", prog=self.prog, message=message))


def build_parser() -> argparse.ArgumentParser:
    parser = IndonesianArgumentParser(
        prog="dikjamila",
        description="Dik Jamila — layanan adminduk lewat WhatsApp, Disdukcapil Kabupaten Balangan",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=tr("Tanpa perintah, `dikjamila` membuka stasiun kerja petugas:\n"
                  "  --demo       buka kantor contoh (dibuat bila belum ada)\n"
                  "  --kiosk      mode kios: layar sentuh untuk warga di kantor desa (keluar dengan PIN)\n"
                  "  --self-test  uji mandiri paket terpasang lalu keluar"))
    parser.add_argument("--version", action="version", version=f"dikjamila {__version__}")
    add_common(parser)
    sub = parser.add_subparsers(dest="command")
    demo_cmd.register(sub)
    inbox_cmd.register(sub)
    import_cmd.register(sub)
    admin_cmds.register(sub)
    whatsapp_cmd.register(sub)
    outbox_cmd.register(sub)
    paperwork_cmd.register(sub)
    report_cmd.register(sub)
    migrate_cmd.register(sub)
    kiosk_cmd.register(sub)
    backup_folder_cmd.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # No logging set-up here: a command that opens an office logs to its data dir's file
    # (`open_office`); before that, warnings reach stderr through logging's last resort.
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except UserError as exc:
        log.info("command %s refused: %s", args.command, exc.message, exc_info=exc.__cause__ is not None)
        print(f"Galat: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dikjamila inbox | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except Exception:  # a bug or a broken environment: the traceback goes to the log and stderr
        log.exception("command %s failed", args.command)
        return 1


if __name__ == "__main__":
    sys.exit(main())
