"""`dikjamila receipt|notice|bundle NUMBER -o FILE.pdf`: generated documents to a file.

The output is written next to its final place and renamed into it, so a failed run never
leaves half a PDF under the asked name. Errors (an unknown number, a folder that cannot be
written) are told in Indonesian with exit status 2.
"""

from __future__ import annotations

import functools
from pathlib import Path

from dikjamila.cli.common import add_command, cli_actor, open_office
from dikjamila.files.output import check_output_path, write_output
from dikjamila.i18n import tr

_COMMANDS = (
    ("receipt", "receipt_pdf", "PDF tanda terima permohonan"),
    ("notice", "notice_pdf", "PDF pemberitahuan kekurangan berkas"),
    ("bundle", "bundle_pdf", "PDF berkas arsip: sampul daftar berkas, lalu semua foto dan PDF permohonan"),
)


def register(sub) -> None:
    """Add this module's commands to the `dikjamila` parser."""
    for name, method, what in _COMMANDS:
        p = add_command(sub, name, help=tr("buat {what}", what=what))
        p.add_argument("number", metavar="NOMOR", help=tr("nomor permohonan, mis. BLG-20261201-0001"))
        p.add_argument("-o", "--output", required=True, metavar="BERKAS.pdf",
                       help=tr("nama berkas PDF yang ditulis (ditimpa bila sudah ada)"))
        p.set_defaults(run=functools.partial(run, method=method))


def run(args, *, method: str) -> int:
    target = Path(args.output).expanduser()
    check_output_path(target)
    office = open_office(args, create=False)
    desk = office.desk(cli_actor())
    doc = getattr(desk, method)(desk.find_number(args.number))
    write_output(target, doc.data)
    print(tr("{name} ditulis: {pages} halaman, {size} bita, sha256 {sha}",
             name=target, pages=doc.pages, size=len(doc.data), sha=doc.sha256))
    return 0
