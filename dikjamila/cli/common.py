"""Pieces every command shares: the common options and opening the office."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime

from dikjamila.auth.roles import Actor

log = logging.getLogger(__name__)


def add_common(parser: argparse.ArgumentParser, *, top_level: bool = True) -> None:
    """--data-dir and --db-url, accepted before and after a command name.

    NOTE: a sub-parser's default would overwrite a value given before the command name,
    so below the top level the defaults are SUPPRESS.
    """
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument("--data-dir", metavar="FOLDER", default=default,
                        help="folder data kantor (bawaan: DIKJAMILA_HOME atau folder data pengguna)")
    parser.add_argument("--db-url", metavar="URL", default=default,
                        help="URL basis data SQLAlchemy (bawaan: berkas SQLite di folder data)")


def add_command(sub, name: str, **kwargs) -> argparse.ArgumentParser:
    """A sub-command parser that also takes the common options."""
    parser = sub.add_parser(name, **kwargs)
    add_common(parser, top_level=False)
    return parser


def open_office(args, *, create: bool = True):
    """Open the office of --data-dir/--db-url; from then on the command logs to its log file.

    `create=False` for commands that only read: a folder without an office is refused (exit 2)
    and left untouched, instead of an empty office being made in it.
    """
    from dikjamila.config import office_paths
    from dikjamila.logs import setup_logging, start_logging
    from dikjamila.office import Office

    paths = office_paths(args.data_dir, args.db_url, create=create)
    # The log file first, without the console: a database that cannot be opened leaves its
    # English detail in the file while the terminal shows only the Indonesian message.
    logged = start_logging(paths.data_dir, f"command {getattr(args, 'command', None) or '-'}")
    office = Office.open(paths.data_dir, args.db_url, create=create)
    if logged is not None:  # (without a log file, warnings reach stderr through logging's last resort)
        # Then warnings also on stderr, as before; INFO and up in <data dir>/logs/dikjamila.log.
        setup_logging(paths.data_dir, console=True, console_level=logging.WARNING)
    return office


def cli_actor() -> Actor:
    """Local commands act as the machine's user; the audit log names them."""
    try:
        who = getpass.getuser()
    except Exception:  # no user name in the environment (service account, odd container)
        log.warning("the machine's user name is unknown; the audit log names the CLI user '?'", exc_info=True)
        who = "?"
    return Actor.system(f"cli:{who}"[:64])


def _default(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if is_dataclass(value):
        return asdict(value)
    raise TypeError(type(value).__name__)


def print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=1, default=_default)
    sys.stdout.write("\n")
