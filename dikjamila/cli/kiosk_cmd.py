"""`dikjamila kiosk …`: village kiosks — their database login, taking what they delivered, their PIN."""

from __future__ import annotations

import getpass
import sys

from dikjamila.cli.common import add_command, cli_actor, open_office
from dikjamila.errors import UserError
from dikjamila.i18n import tr


def register(sub) -> None:
    p = add_command(sub, "kiosk", help="kios layanan desa")
    ksub = p.add_subparsers(dest="kiosk_cmd", required=True)
    grant = add_command(ksub, "grant", help="buat akun basis data (PostgreSQL) untuk satu kios: hanya boleh "
                                            "mengirim permohonan dan menanyakan status")
    grant.add_argument("name", help="nama akun kios, mis. kios_lampihong")
    source = grant.add_mutually_exclusive_group()
    source.add_argument("--password", help="kata sandi akun (bawaan: dibuat acak dan ditampilkan sekali)")
    source.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    grant.set_defaults(run=run_grant)
    take = add_command(ksub, "take", help="jadikan permohonan kiriman kios yang sudah sampai (juga berjalan "
                                          "otomatis di PC WhatsApp)")
    take.set_defaults(run=run_take)
    pin = add_command(ksub, "pin", help="atur PIN admin untuk keluar dari mode kios (di PC kios)")
    pin.add_argument("--pin-stdin", action="store_true", help="baca PIN dari baris pertama stdin")
    pin.set_defaults(run=run_pin)


def run_grant(args) -> int:
    from dikjamila import audit
    from dikjamila.kiosk.grant import check_name, grant_kiosk, kiosk_url, new_password

    check_name(args.name)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else (args.password or new_password())
    office = open_office(args, create=False)
    actor = cli_actor()
    with office.db.writing() as session:
        new = grant_kiosk(session.connection(), args.name, password)
        audit.record(session, actor_id=actor.id, actor_name=actor.username, action="kiosk.grant",
                     entity_type="kiosk", entity_id=args.name, summary={"new": new})
    print(tr("Akun kios {name} {what}.", name=args.name, what=tr("dibuat") if new else tr("diperbarui")))
    if not (args.password or args.password_stdin):
        print(tr("Kata sandi (hanya ditampilkan sekali ini): {password}", password=password))
    print(tr("Isikan di settings.toml PC kios sebagai office_db_url:"))
    print(kiosk_url(office.db.url, args.name, password))
    return 0


def run_take(args) -> int:
    office = open_office(args, create=False)
    report = office.desk(cli_actor()).take_kiosk_submissions()
    for number in report.taken:
        print(number)
    for problem in report.problems:
        print(tr("Tidak diambil: {problem}", problem=problem), file=sys.stderr)
    print(tr("{n} permohonan dari kios, {s} survei.", n=len(report.taken), s=report.surveys))
    return 1 if report.problems else 0


def run_pin(args) -> int:
    from dataclasses import replace

    from dikjamila.config import load_settings, office_paths, save_settings
    from dikjamila.kiosk.pin import hash_pin

    if args.pin_stdin:
        pin = sys.stdin.readline().strip()
    else:
        try:
            pin = getpass.getpass(tr("PIN admin kios: "))
            again = getpass.getpass(tr("Ulangi PIN: "))
        except EOFError as exc:
            raise UserError(tr("PIN tidak dimasukkan; tidak ada yang berubah.")) from exc
        if again != pin:
            raise UserError(tr("Kedua PIN tidak sama."))
    hashed = hash_pin(pin)
    paths = office_paths(args.data_dir)
    save_settings(paths, replace(load_settings(paths), kiosk_admin_pin_hash=hashed))
    print(tr("PIN admin kios disimpan di {path}.", path=paths.settings_file))
    return 0
