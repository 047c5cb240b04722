"""`dikjamila outbox …`: the queue of outgoing WhatsApp messages."""

from __future__ import annotations

from pathlib import Path

from dikjamila.cli.common import add_command, cli_actor, open_office, print_json
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.whatsapp.outbox_state import OutboxState, label


def register(sub) -> None:
    p = add_command(sub, "outbox", help="antrean pesan WhatsApp keluar")
    osub = p.add_subparsers(dest="outbox_cmd", required=True)
    ls = add_command(osub, "list", help="daftar pesan keluar (terbaru dulu)")
    ls.add_argument("--state", action="append", choices=[s.value for s in OutboxState], help="boleh diulang")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(run=run_list)
    rn = add_command(osub, "run", help="kirim pesan yang sudah waktunya")
    rn.add_argument("--once", action="store_true", required=True,
                    help="kirim yang sudah waktunya lalu berhenti (untuk terus berjalan: `dikjamila whatsapp run`)")
    rn.add_argument("--transport", choices=("folder", "cloud_api", "pywhatkit", "linked"),
                    help="cara kirim (bawaan: dari pengaturan)")
    rn.add_argument("--folder", type=Path, help="folder tujuan untuk --transport folder")
    rn.set_defaults(run=run_once)
    for name, helptext, fn in (("retry", "antrekan lagi pesan yang gagal / belum pasti", run_retry),
                               ("cancel", "batalkan pesan yang belum terkirim", run_cancel),
                               ("mark-sent", "tandai sudah terkirim (dicek manual di HP)", run_mark_sent)):
        c = add_command(osub, name, help=helptext)
        c.add_argument("id", type=int, help="nomor pesan keluar (lihat `outbox list`)")
        c.set_defaults(run=fn)


def run_list(args) -> int:
    office = open_office(args, create=False)
    rows = office.desk(cli_actor()).outbox_list(states=tuple(args.state or ()), limit=max(1, args.limit))
    if args.json:
        print_json(rows)
        return 0
    print(f"{'ID':>6}  {'Dibuat':<16} {'Kepada':<16} {'Status':<22} {'Coba':>4}  Isi")
    for r in rows:
        made = r.created_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M")
        what = (f"[{r.document_name}] " if r.blob_sha256 else "") + r.text.replace("\n", " ")
        print(f"{r.id:>6}  {made:<16} {r.recipient:<16} {label(r.state):<22} {r.attempts:>4}  {what[:60]}")
        if r.last_error and r.state in ("failed", "uncertain"):
            print(f"{'':>8}{r.last_error[:100]}")
    print(tr("\n{n} pesan.", n=len(rows)))
    return 0


def run_once(args) -> int:
    from dikjamila.whatsapp.runner import OutboxRunner
    from dikjamila.whatsapp.service import ACTOR, LinkService, accounts_of
    from dikjamila.whatsapp.transports.factory import build_transport
    office = open_office(args)
    name = args.transport or office.settings.whatsapp_transport
    if name == "linked":
        service = LinkService(office, transport="linked")
        service.start()
        try:
            for supervisor in service.supervisors.values():
                supervisor.wait_ready(30)
            service.wait(5)  # let it connect
        finally:
            service.stop()
        return 0
    transport = build_transport(name, office, folder=args.folder)
    try:
        summary = OutboxRunner(office.desk(ACTOR), transport,
                               accounts=tuple(dict.fromkeys(["", *accounts_of(office)]))).run_once()
    finally:
        transport.close()
    print(tr("Terkirim: {sent}, diserahkan: {handed}, gagal: {failed}, belum pasti: {uncertain}.",
             sent=summary.sent, handed=summary.handed_over, failed=summary.failed, uncertain=summary.uncertain))
    if summary.recovered:
        print(tr("Pesan {ids} sedang dikirim saat pengirim terakhir berhenti: kini 'perlu dicek'.",
                 ids=", ".join(map(str, summary.recovered))))
    if summary.stopped_because:
        print(summary.stopped_because)
    return 0


def run_retry(args) -> int:
    info = open_office(args, create=False).desk(cli_actor()).retry_message(args.id)
    print(tr("Pesan {id}: {state}.", id=info.id, state=label(info.state)))
    return 0


def run_cancel(args) -> int:
    info = open_office(args, create=False).desk(cli_actor()).cancel_message(args.id)
    print(tr("Pesan {id}: {state}.", id=info.id, state=label(info.state)))
    return 0


def run_mark_sent(args) -> int:
    info = open_office(args, create=False).desk(cli_actor()).mark_sent_by_hand(args.id)
    print(tr("Pesan {id} ditandai sudah terkirim oleh {who}.", id=info.id, who=info.marked_sent_by))
    return 0
