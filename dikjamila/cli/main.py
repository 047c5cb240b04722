"""Entry point of the `dikjamila` command."""

from __future__ import annotations

import argparse
import logging
import sys

from dikjamila import __version__
from dikjamila.cli import admin_cmds, demo_cmd, inbox_cmd
from dikjamila.cli.common import add_common
from dikjamila.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dikjamila",
        description="Dik Jamila — layanan adminduk lewat WhatsApp, Disdukcapil Kabupaten Balangan")
    parser.add_argument("--version", action="version", version=f"dikjamila {__version__}")
    add_common(parser)
    sub = parser.add_subparsers(dest="command")
    demo_cmd.register(sub)
    inbox_cmd.register(sub)
    admin_cmds.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except UserError as exc:
        print(f"Galat: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dikjamila inbox | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
