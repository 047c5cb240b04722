"""`dikjamila migrate-to`: move this PC's office onto a PostgreSQL server, then compare both sides."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from dikjamila.i18n import tr

EXIT_DIFFERENT = 1


def register(sub) -> None:
    p = sub.add_parser(
        "migrate-to", help="pindahkan kantor SQLite komputer ini ke server PostgreSQL (semua baris dan lampiran)",
        description="Menyalin seluruh isi kantor (basis data SQLite dan lampirannya) ke server basis data yang "
                    "masih kosong, lalu membandingkan jumlah baris tiap tabel dan sidik sha256 tiap berkas. "
                    "Tutup Dik Jamila di komputer ini dulu. Kode keluar 0 hanya bila semuanya sama.")
    # NOTE: SUPPRESS, as in `add_command`: a value given before the command name stays.
    p.add_argument("--data-dir", metavar="FOLDER", default=argparse.SUPPRESS,
                   help="folder data kantor sumber (bawaan: DIKJAMILA_HOME atau folder data pengguna)")
    p.add_argument("--db-url", metavar="URL", default=argparse.SUPPRESS,
                   help="server tujuan, mis. postgresql+psycopg://dikjamila:SANDI@server-kantor:5432/dikjamila")
    p.add_argument("--blobs", choices=("database", "folder"), default="database",
                   help="lampiran di server (database, bawaan) atau tetap di folder lampiran yang dibagi (folder)")
    p.add_argument("--verify-only", action="store_true",
                   help="hanya bandingkan sumber dengan server yang sudah diisi (tidak menyalin apa pun)")
    p.set_defaults(run=run)


def run(args) -> int:
    from dikjamila.config import office_paths
    from dikjamila.errors import UserError
    from dikjamila.logs import setup_logging, start_logging
    from dikjamila.migrate_to import MigrationState, migrate_to
    from dikjamila.office import Office

    if not args.db_url:
        raise UserError(tr("Sebutkan server tujuan: --db-url postgresql+psycopg://PENGGUNA:SANDI@SERVER/dikjamila"))
    # The source is this data dir's own SQLite file: --db-url names the target here.
    paths = office_paths(args.data_dir, None, create=False)
    # As `open_office`: the log file first; warnings also on the terminal once the office is
    # open. A refusal's technical detail (a server that cannot be reached) is logged at INFO,
    # to the file only: the terminal shows the Indonesian message.
    logged = start_logging(paths.data_dir, "command migrate-to")
    source = Office.open(paths.data_dir, None, create=False)
    if logged is not None:
        setup_logging(paths.data_dir, console=True, console_level=logging.WARNING)
    state = MigrationState(say=print)
    try:
        report = migrate_to(source.db, source.store, args.db_url, blobs=args.blobs,
                            verify_only=args.verify_only, state=state)
        folder = source.store.root if args.blobs == "folder" else None
    except KeyboardInterrupt:
        if state.committed:
            print(tr("Dihentikan saat pemeriksaan; data sudah tersalin. Periksa lagi dengan "
                     "`dikjamila migrate-to --db-url … --verify-only`."))
        else:
            print(tr("Dihentikan. Tidak ada data yang tersimpan di server (semuanya satu transaksi); "
                     "jalankan perintah ini lagi."))
        return 130
    finally:
        source.close()
    _print_report(report)
    if not report.ok:
        print(tr("TIDAK SAMA (lihat baris BEDA di atas): jangan pakai server ini dulu. Hapus dan buat lagi basis "
                 "datanya, lalu jalankan lagi."))
        return EXIT_DIFFERENT
    print(tr("Semua sama. Langkah berikutnya: tulis baris ini di settings.toml setiap komputer (atau Berkas → "
             "Pengaturan), dengan *** diganti kata sandinya:"))
    print(settings_lines(args.db_url, args.blobs, folder), end="")
    if args.blobs == "folder":
        print(tr("Folder lampiran itu harus bisa dibuka dari setiap komputer (folder bersama, mis. \\\\server\\..."))
    return 0


def _print_report(report) -> None:
    width = max(len(c.name) for c in report.checks)
    # "sama": the same number of rows, and the same values in every row (a digest of each side).
    print(f"{tr('Tabel'):<{width}}  {tr('Sumber'):>9}  {tr('Tujuan'):>9}")
    for c in report.checks:
        mark = tr("sama") if c.equal else tr("BEDA") if c.source != c.target else tr("BEDA (isi baris)")
        print(f"{c.name:<{width}}  {c.source:>9}  {c.target:>9}  {mark}")
    for sha in report.blob_problems[:10]:
        print(tr("  berkas {sha}: sidik sha256 di tujuan tidak sama atau berkas tidak ada", sha=sha[:12]))
    if report.audit_problems:
        print(tr("Jejak audit di tujuan RUSAK: {first}", first=report.audit_problems[0]))
    elif report.audit_source != report.audit_target:
        print(tr("Kepala jejak audit berbeda: sumber {a}, tujuan {b}", a=report.audit_source, b=report.audit_target))
    else:
        print(tr("Jejak audit di tujuan utuh; kepala rantai sama: {head}", head=report.audit_target[:24]))
    if report.search_number:
        found = tr("ditemukan") if report.search_found else tr("TIDAK ditemukan")
        print(tr("Pencarian di tujuan: {number} {found}", number=report.search_number, found=found))


def settings_lines(url: str, blobs: str, folder: Path | None) -> str:
    """The lines for `settings.toml` on every workstation (the password masked)."""
    import tomli_w

    from dikjamila.migrate_to import masked

    # NOTE: "database" needs no line: it is what "auto" (the default) means on a server, and the
    # office's own storage setting travelled with its data (`migrate_to._as_copied`).
    values = {"database_url": masked(url)}
    if blobs == "folder":
        values["attachment_storage"] = "folder"
        if folder is not None:
            values["attachment_folder"] = str(folder)
    return tomli_w.dumps(values)
