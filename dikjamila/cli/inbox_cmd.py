"""`dikjamila inbox`: list requests with the desk's filters."""

from __future__ import annotations

from datetime import date

from dikjamila.cli.common import add_command, cli_actor, open_office, print_json
from dikjamila.desk import CHANNELS, InboxFilter
from dikjamila.desk.records import SORT_KEYS
from dikjamila.desk.timezone import WITA
from dikjamila.lifecycle import Status, label


def register(sub) -> None:
    p = add_command(sub, "inbox", help="daftar permohonan (kotak masuk)")
    p.add_argument("--status", action="append", choices=[s.value for s in Status], help="boleh diulang")
    p.add_argument("--service", help="kode layanan, mis. akta_kelahiran")
    p.add_argument("--assignee", help="nama pengguna petugas")
    p.add_argument("--unassigned", action="store_true", help="hanya yang belum diambil")
    p.add_argument("--channel", choices=CHANNELS)
    p.add_argument("--kecamatan", help="kode kecamatan, mis. 63.11.06")
    p.add_argument("--from", dest="date_from", type=date.fromisoformat, help="diterima sejak (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=date.fromisoformat, help="diterima sampai (YYYY-MM-DD)")
    p.add_argument("--search", default="", help="cari nama, NIK, nomor HP atau nomor permohonan")
    p.add_argument("--sort", choices=SORT_KEYS, default="received")
    p.add_argument("--ascending", action="store_true")
    p.add_argument("--limit", type=int, default=0, help="jumlah baris (0 = semua)")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(run=run)


def run(args) -> int:
    office = open_office(args, create=False)
    desk = office.desk(cli_actor())
    assignee_id = office.actor_for(args.assignee).id if args.assignee else None
    flt = InboxFilter(statuses=tuple(args.status or ()), service=args.service, assignee_id=assignee_id,
                      unassigned=args.unassigned, channel=args.channel, kecamatan=args.kecamatan,
                      received_from=args.date_from, received_to=args.date_to, text=args.search)
    rows, cursor = [], None
    while True:
        want = 500 if not args.limit else min(500, args.limit - len(rows))
        page = desk.inbox(flt, sort=args.sort, descending=not args.ascending, limit=want, after=cursor)
        rows.extend(page.rows)
        cursor = page.next_cursor
        if cursor is None or (args.limit and len(rows) >= args.limit):
            break
    if args.json:
        print_json([r._asdict() for r in rows])
        return 0
    names = {s.code: s.name for s in office.catalog.all()}
    print(f"{'Nomor':<18} {'Diterima':<16} {'Pemohon':<28} {'Layanan':<28} {'Status':<14} Petugas")
    for r in rows:
        received = r.received_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        print(f"{r.number:<18} {received:<16} {r.applicant_name[:27]:<28} "
              f"{names.get(r.service_code, r.service_code)[:27]:<28} {label(r.status):<14} {r.assignee_name}")
    print(f"\n{len(rows)} permohonan.")
    return 0
