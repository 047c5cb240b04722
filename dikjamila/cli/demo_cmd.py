"""`dikjamila demo`: create the demo office in a data dir."""

from __future__ import annotations

import time

from dikjamila.cli.common import add_command, open_office
from dikjamila.i18n import tr
from dikjamila.lifecycle import label


def register(sub) -> None:
    p = add_command(sub, "demo", help="isi folder data dengan kantor contoh (±300 permohonan)")
    p.add_argument("--count", type=int, default=300, help="jumlah permohonan (bawaan 300)")
    p.add_argument("--seed", type=int, default=2020)
    p.set_defaults(run=run)


def run(args) -> int:
    from dikjamila.demo.office_demo import DEMO_PASSWORD, STAFF, build_demo

    office = open_office(args)
    started = time.perf_counter()
    summary = build_demo(office, count=args.count, seed=args.seed)
    print(tr("Kantor contoh dibuat di {path} dalam {s:.0f} detik: {n} permohonan, {a} lampiran.",
             path=office.paths.data_dir, s=time.perf_counter() - started, n=summary.requests,
             a=summary.attachments))
    for status, n in sorted(summary.by_status.items()):
        print(f"  {label(status):<14} {n}")
    if (wa := summary.whatsapp) is not None:
        print(tr("WhatsApp: {m} pesan masuk ({u} belum ditangani), {r} permohonan baru dari pesan, "
                 "{s} pesan terkirim, {f} gagal.", m=wa.received, u=wa.unhandled, r=wa.new_requests,
                 s=wa.sent, f=wa.failed))
    if (sv := summary.supervision) is not None:
        print(tr("Supervisi: {c} pengaduan ({r} selesai), {s} jawaban survei IKM.",
                 c=sv.complaints, r=sv.resolved, s=sv.survey_responses))
    print(tr("Pengguna contoh (kata sandi: {pw}): {users}", pw=DEMO_PASSWORD,
             users=", ".join(u for u, _, _ in STAFF)))
    return 0
