"""Commands for the office's IT person: users, audit, backup, restore, SOP validation, check."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from dikjamila import audit
from dikjamila.auth import accounts
from dikjamila.auth.roles import Role
from dikjamila.cli.common import add_command, cli_actor, open_office, print_json
from dikjamila.config import office_paths
from dikjamila.errors import UserError
from dikjamila.i18n import tr


def register(sub) -> None:
    p = add_command(sub, "user", help="kelola pengguna")
    usub = p.add_subparsers(dest="user_cmd", required=True)
    add = add_command(usub, "add", help="tambah pengguna (pengguna pertama harus admin)")
    add.add_argument("username")
    add.add_argument("--name", required=True, help="nama lengkap")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin")
    add.set_defaults(run=run_user_add)
    lst = add_command(usub, "list", help="daftar pengguna (peran, aktif atau nonaktif)")
    lst.set_defaults(run=run_user_list)
    reset = add_command(usub, "reset-password", help="atur ulang kata sandi pengguna")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help="baca kata sandi baru dari stdin")
    reset.set_defaults(run=run_user_reset_password)
    off = add_command(usub, "deactivate", help="nonaktifkan pengguna yang sudah tidak bertugas "
                                               "(permohonan yang dipegangnya kembali ke antrean)")
    off.add_argument("username")
    off.set_defaults(run=run_user_deactivate)
    on = add_command(usub, "activate", help="aktifkan lagi pengguna yang dinonaktifkan")
    on.add_argument("username")
    on.set_defaults(run=run_user_activate)

    p = add_command(sub, "audit", help="jejak audit")
    asub = p.add_subparsers(dest="audit_cmd", required=True)
    verify = add_command(asub, "verify", help="periksa rantai audit: ada yang diubah atau dihapus?")
    verify.add_argument("--head", metavar="JUMLAH:HASH", default="",
                        help="kepala rantai yang dicatat di luar basis data (dari laporan, cadangan, atau "
                             "pesan WhatsApp supervisor): buktikan riwayat sampai titik itu tidak diubah")
    verify.set_defaults(run=run_audit_verify)

    p = add_command(sub, "backup", help="buat cadangan (basis data + lampiran)")
    p.add_argument("--output", type=Path, help="berkas zip tujuan")
    p.set_defaults(run=run_backup)
    p = add_command(sub, "restore", help="pulihkan dari cadangan (tutup aplikasi dulu)")
    p.add_argument("archive", type=Path)
    p.set_defaults(run=run_restore)

    p = add_command(sub, "sop", help="SOP layanan")
    ssub = p.add_subparsers(dest="sop_cmd", required=True)
    v = add_command(ssub, "validate", help="periksa berkas SOP (bawaan: semua SOP bawaan)")
    v.add_argument("path", nargs="?", type=Path)
    v.set_defaults(run=run_sop_validate)
    ls = add_command(ssub, "list", help="daftar layanan")
    ls.set_defaults(run=run_sop_list)

    p = add_command(sub, "check", help="laporan kelengkapan berkas satu permohonan")
    p.add_argument("number", metavar="NOMOR", help="nomor permohonan, mis. BLG-20261127-0042")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_check)


def run_user_add(args) -> int:
    _need_password_source(args, "add")
    office = open_office(args)
    password = _read_password(args, tr("Kata sandi tidak dimasukkan; pengguna tidak dibuat."))
    by = None if office.needs_first_admin() else cli_actor()
    user = office.add_user(by, username=args.username, full_name=args.name, role=args.role, password=password)
    print(tr("Pengguna {name} ({role}) dibuat.", name=user.username, role=user.role))
    return 0


def _need_password_source(args, command: str) -> None:
    """Checked before the office opens: a refused command leaves nothing behind."""
    if not args.password_stdin and not (sys.stdin is not None and sys.stdin.isatty()):
        raise UserError(tr("Tidak ada terminal untuk mengetik kata sandi. Tambahkan --password-stdin dan "
                           "berikan kata sandi pada baris pertama masukan, mis. "
                           "`dikjamila user {command} ... --password-stdin < berkas-sandi.txt`.", command=command))


def _read_password(args, not_given: str) -> str:
    """The first line of stdin (--password-stdin), else typed twice at the terminal (not echoed)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    try:
        password = getpass.getpass(tr("Kata sandi: "))
        repeated = getpass.getpass(tr("Ulangi kata sandi: "))
    except EOFError as exc:  # Ctrl-D, or the terminal went away
        raise UserError(not_given) from exc
    if repeated != password:
        raise UserError(tr("Kedua kata sandi tidak sama."))
    return password


def run_user_list(args) -> int:
    office = open_office(args, create=False)
    for u in accounts.list_users(office.db, cli_actor()):
        state = tr("aktif") if u.active else tr("nonaktif")
        print(f"{u.username:<20} {u.role:<11} {state:<9} {u.full_name}")
    return 0


def run_user_reset_password(args) -> int:
    _need_password_source(args, "reset-password")
    office = open_office(args, create=False)
    password = _read_password(args, tr("Kata sandi tidak dimasukkan; tidak ada yang diubah."))
    user = accounts.reset_password(office.db, cli_actor(), args.username, password)
    print(tr("Kata sandi {name} diatur ulang; kata sandi lama tidak berlaku lagi.", name=user.username))
    if not user.active:
        print(tr("Akun ini masih nonaktif: aktifkan dengan `dikjamila user activate {name}`.", name=user.username))
    return 0


def run_user_deactivate(args) -> int:
    office = open_office(args, create=False)
    done = accounts.deactivate(office.db, cli_actor(), args.username)
    print(tr("Akun {name} ({full_name}) dinonaktifkan; namanya tetap tercatat pada riwayat.",
             name=done.user.username, full_name=done.user.full_name))
    if done.released_requests:
        print(tr("{n} permohonan yang dipegangnya dikembalikan ke antrean: {numbers}",
                 n=len(done.released_requests), numbers=", ".join(done.released_requests)))
    if done.released_complaints:
        print(tr("{n} pengaduan yang dipegangnya dikembalikan ke antrean.", n=len(done.released_complaints)))
    return 0


def run_user_activate(args) -> int:
    office = open_office(args, create=False)
    user = accounts.activate(office.db, cli_actor(), args.username)
    print(tr("Akun {name} ({full_name}) aktif lagi.", name=user.username, full_name=user.full_name))
    return 0


def run_audit_verify(args) -> int:
    from dikjamila.audit_anchor import parse_head, verify_against_head

    recorded = parse_head(args.head) if args.head else None  # a typo is refused before opening anything
    office = open_office(args, create=False)
    with office.db.reading() as session:
        problems = verify_against_head(session, recorded) if recorded else audit.verify(session)
        total = audit.count(session)
        head = audit.head(session)
    if not problems:
        if recorded:
            print(tr("Jejak audit utuh sampai kepala {recorded}: riwayat sampai titik itu tidak diubah "
                     "({n} peristiwa diperiksa).", recorded=recorded, n=total))
        else:
            print(tr("Jejak audit utuh: {n} peristiwa diperiksa.", n=total))
            print(tr("Catatan: tanpa --head, pemeriksaan ini tidak menangkap rantai yang dihitung ulang "
                     "seluruhnya; bandingkan dengan kepala di laporan atau pesan supervisor."))
        print(tr("Kepala rantai sekarang: {head}", head=head))
        return 0
    for p in problems:
        print(p.message)
    print(tr("Jejak audit RUSAK: {n} masalah ditemukan.", n=len(problems)))
    return 1


def run_backup(args) -> int:
    from dikjamila.backup import backup

    office = open_office(args, create=False)  # a backup of an empty office made just now helps nobody
    result = backup(office.paths, office.db, office.store, args.output)
    print(tr("Cadangan dibuat: {path} ({n} lampiran, {mb:.1f} MB).", path=result.path, n=result.blobs,
             mb=result.bytes / 1e6))
    if result.audit_head:
        print(tr("Kepala rantai audit dalam cadangan: {head}", head=result.audit_head))
    return 0


def run_restore(args) -> int:
    from dikjamila.backup import restore

    paths = office_paths(args.data_dir)  # created when new; a file or a read-only place is refused
    result = restore(paths, args.archive)  # with the office's own attachment limits
    print(tr("Dipulihkan ke {path} ({n} lampiran).", path=result.path, n=result.blobs))
    return 0


def run_sop_validate(args) -> int:
    from dikjamila.resources import resource_path
    from dikjamila.sop import validate_path

    target = args.path or resource_path("sops")
    errors = validate_path(target)
    for e in errors:
        print(e)
    if errors:
        print(tr("{n} kesalahan ditemukan.", n=len(errors)))
        return 1
    print(tr("Semua SOP di {path} sah.", path=target))
    return 0


def run_sop_list(args) -> int:
    office = open_office(args, create=False)
    for sop in office.catalog.all():
        print(f"{sop.code:<28} v{sop.version:<3} {sop.name}")
    return 0


def run_check(args) -> int:
    office = open_office(args, create=False)
    desk = office.desk(cli_actor())
    report = desk.check(desk.find_number(args.number))
    if args.json:
        print_json(report)
        return 0
    marks = {"ok": "[v]", "missing": "[ ]", "invalid": "[!]", "not_applicable": "[-]"}
    print(tr("{number}: {state}", number=args.number, state=tr("LENGKAP") if report.complete else tr("BELUM LENGKAP")))
    for item in report.items:
        print(f"  {marks.get(str(item.state), '[?]')} {item.label}" + (f" — {item.reason}" if item.reason else ""))
    if report.missing_message:
        print("\n" + report.missing_message)
    return 0
