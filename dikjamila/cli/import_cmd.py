"""`dikjamila import PATH`: a WhatsApp chat export (.txt or .zip) into the office's requests."""

from __future__ import annotations

import sys
from pathlib import Path

from dikjamila.cli.common import add_command, cli_actor, open_office, print_json
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.intake.importing import DayOrderNeeded, ImportSummary


def register(sub) -> None:
    p = add_command(sub, "import", help="impor ekspor chat WhatsApp (.txt atau .zip)")
    p.add_argument("path", metavar="BERKAS", help="berkas ekspor chat (.zip dengan media, atau .txt)")
    order = p.add_mutually_exclusive_group()
    order.add_argument("--tanggal-dulu", dest="day_first", action="store_const", const=True,
                       help="tanggal ditulis tanggal/bulan (31/12) — bila tidak bisa dipastikan dari berkas")
    order.add_argument("--bulan-dulu", dest="day_first", action="store_const", const=False,
                       help="tanggal ditulis bulan/tanggal (12/31)")
    p.add_argument("--nomor", default="", help="nomor WhatsApp warga, bila chat hanya menulis namanya")
    p.add_argument("--kantor", default="", help="nama kantor seperti tertulis di chat (bila tidak dikenali)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    path = Path(args.path)
    if path.is_dir():
        return _refused(args, tr("{path} adalah folder; pilih berkas ekspor chat (.zip atau .txt) di dalamnya.",
                                 path=path))
    if not path.is_file():  # before the office opens: a typo must not leave anything behind
        return _refused(args, tr("Berkas {path} tidak ditemukan.", path=path))
    office = open_office(args, create=False)
    try:
        desk = office.desk(cli_actor())
        try:
            summary = desk.import_chat(path, day_first=args.day_first, resident_phone=args.nomor,
                                       office_name=args.kantor)
        except DayOrderNeeded as exc:
            return _refused(args, exc.message + " " + tr("Ulangi dengan --tanggal-dulu atau --bulan-dulu."))
        except UserError as exc:
            return _refused(args, exc.message)
    finally:
        office.close()
    if args.json:
        print_json(summary.as_json())
    else:
        print(_text(summary))
    return 0


def _refused(args, reason: str) -> int:
    if args.json:
        print_json({"file": args.path, "messages": 0, "requests_created": 0, "requests_updated": 0,
                    "attachments": 0, "skipped": {}, "errors": [reason]})
    print(tr("Galat: {reason}", reason=reason), file=sys.stderr)
    return 2


def _text(s: ImportSummary) -> str:
    lines = [tr("Impor {name} selesai.", name=s.file_name),
             tr("  Pesan baru: {n} (sudah ada sebelumnya: {known})", n=s.messages, known=s.already_known),
             tr("  Permohonan baru: {n}; diperbarui: {m}", n=s.requests_created, m=s.requests_updated),
             tr("  Berkas ditambahkan ke permohonan: {n}", n=s.attachments)]
    if s.request_numbers:
        lines.append(tr("  Nomor permohonan: {numbers}", numbers=", ".join(s.request_numbers)))
    for reason, count in s.skipped.items():
        lines.append(tr("  Dilewati: {count} × {reason}", count=count, reason=reason))
    if s.missing_files:
        lines.append(tr("  Berkas disebut di chat tetapi tidak ada di ekspor: {names}",
                        names=", ".join(s.missing_files[:10]) + (" …" if len(s.missing_files) > 10 else "")))
    lines += [tr("  Peringatan: {w}", w=w) for w in s.warnings]
    return "\n".join(lines)
