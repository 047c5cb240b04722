"""`dikjamila whatsapp …`: the linked office number — state, linking, unlinking, running the link."""

from __future__ import annotations

import signal
import sys
import threading
import time

from dikjamila.cli.common import add_command, cli_actor, open_office, print_json
from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr


def register(sub) -> None:
    p = add_command(sub, "whatsapp", help="WhatsApp kantor: status, hubungkan, lepas, jalankan")
    wsub = p.add_subparsers(dest="whatsapp_cmd", required=True)
    st = add_command(wsub, "status", help="keadaan nomor WhatsApp yang tertaut")
    st.add_argument("--json", action="store_true")
    st.set_defaults(run=run_status)
    ln = add_command(wsub, "link", help="hubungkan nomor kantor: tampilkan kode QR atau kode sambung")
    ln.add_argument("--account", default="", help="nomor kantor (bila kantor punya beberapa nomor)")
    ln.add_argument("--phone", help="minta kode sambung 8 huruf untuk nomor ini, bukan kode QR")
    ln.add_argument("--timeout", type=int, default=180, help="berapa detik menunggu (bawaan 180)")
    ln.set_defaults(run=run_link)
    ul = add_command(wsub, "unlink", help="lepaskan perangkat ini dari WhatsApp kantor")
    ul.add_argument("--account", default="")
    ul.add_argument("--yes", action="store_true", help="tanpa pertanyaan konfirmasi")
    ul.set_defaults(run=run_unlink)
    rn = add_command(wsub, "run", help="jalankan penghubung WhatsApp dan antrean kirim tanpa jendela")
    rn.add_argument("--transport", choices=("linked", "folder", "cloud_api", "pywhatkit"),
                    help="cara kirim (bawaan: dari pengaturan)")
    rn.set_defaults(run=run_run)
    wk = add_command(wsub, "worker", help="(internal) proses penghubung; bicara JSON lewat stdin/stdout")
    wk.add_argument("--account", default="")
    wk.set_defaults(run=run_worker)
    # Internal: how the bundle (which has no `python -m`) starts the pywhatkit transport's child.
    pk = wsub.add_parser("pywhatkit-child", help="(internal) kirim satu teks lewat pywhatkit; "
                                                 "permintaan JSON di stdin")
    pk.set_defaults(run=run_pywhatkit_child)
    tk = add_command(wsub, "cloud-token", help="simpan token Cloud API (dibaca dari stdin) di luar basis data")
    tk.add_argument("--forget", action="store_true", help="hapus token yang tersimpan")
    tk.set_defaults(run=run_cloud_token)


def run_worker(args) -> int:
    from dikjamila.config import office_paths
    from dikjamila.whatsapp.worker.main import worker_main
    paths = office_paths(args.data_dir, None, create=True)
    return worker_main(paths.data_dir, args.account)


def run_pywhatkit_child(args) -> int:
    from dikjamila.whatsapp.transports.pywhatkit_child import main as child_main
    return child_main()


def run_status(args) -> int:
    from dikjamila.whatsapp.service import accounts_of
    office = open_office(args, create=False)
    desk = office.desk(cli_actor())
    states = {s.account: s for s in desk.link_states()}
    paused = desk.sending_paused()
    rows = []
    for account in accounts_of(office):
        s = states.get(account)
        rows.append({"account": account or "(utama)", "state": s.state if s else "stopped",
                     "label": s.label if s else tr("tidak berjalan"), "phone": s.phone if s else "",
                     "host": s.host if s else "", "detail": s.detail if s else "",
                     "updated_at": s.updated_at if s else None})
    if args.json:
        print_json({"transport": office.settings.whatsapp_transport, "paused": paused, "links": rows})
        return 0
    print(tr("Cara kirim: {transport}{paused}", transport=office.settings.whatsapp_transport,
             paused=tr(" (pengiriman DIJEDA)") if paused else ""))
    for r in rows:
        where = tr(" di {host}", host=r["host"]) if r["host"] else ""
        print(f"WhatsApp {r['account']}: {r['label']}{where}"
              + (f" — {r['phone']}" if r["phone"] else "") + (f" ({r['detail']})" if r["detail"] else ""))
    return 0


def run_link(args) -> int:
    """Start the link here (if it is not running) and show the QR code or pairing code."""
    import segno

    from dikjamila.whatsapp.link_state import LinkState
    from dikjamila.whatsapp.service import LinkService
    office = open_office(args)
    desk = office.desk(cli_actor())
    service = None
    running_elsewhere = {s.account: s for s in desk.link_states()}.get(args.account)
    if running_elsewhere is None or running_elsewhere.state == LinkState.STOPPED:
        service = LinkService(office, transport="linked")
        service.start()
    if args.phone:
        desk.request_link_command(args.account, f"pair:{args.phone}")
    shown = ""
    deadline = time.monotonic() + args.timeout
    try:
        while time.monotonic() < deadline:
            state = {s.account: s for s in desk.link_states()}.get(args.account)
            if state and state.state == LinkState.CONNECTED:
                print(tr("Tersambung sebagai {phone}.", phone=state.phone or "?"))
                return 0
            if state and state.state == LinkState.BANNED:
                raise UserError(tr("Nomor ini sedang diblokir sementara oleh WhatsApp: {detail}", detail=state.detail))
            if state and args.phone and state.pair_code and state.pair_code != shown:
                shown = state.pair_code
                print(tr("Di HP kantor: WhatsApp → Perangkat tertaut → Tautkan perangkat → "
                         "Tautkan dengan nomor telepon, lalu ketik kode: {code}", code=shown))
            elif state and not args.phone and state.qr and state.qr != shown:
                shown = state.qr
                print(tr("Pindai kode ini dari HP kantor: WhatsApp → Perangkat tertaut → Tautkan perangkat."))
                segno.make_qr(state.qr).terminal(out=sys.stdout, compact=True)
            time.sleep(0.5)
        raise UserError(tr("Belum tersambung setelah {n} detik. Coba lagi; pastikan HP kantor terhubung ke internet.",
                           n=args.timeout))
    finally:
        if service is not None:
            service.stop()


def run_unlink(args) -> int:
    office = open_office(args, create=False)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInput(tr("Tambahkan --yes untuk melepas tanpa pertanyaan."))
        answer = input(tr("Lepaskan WhatsApp kantor dari komputer ini? Pesan tidak bisa dikirim sampai "
                          "dihubungkan lagi. Ketik 'ya': "))
        if answer.strip().lower() != "ya":
            print(tr("Dibatalkan."))
            return 1
    office.desk(cli_actor()).request_link_command(args.account, "logout")
    print(tr("Permintaan lepas dikirim ke komputer yang menjalankan penghubung WhatsApp."))
    return 0


def run_run(args) -> int:
    from dikjamila.whatsapp.service import LinkService
    office = open_office(args)
    service = LinkService(office, transport=args.transport)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    service.start()
    print(tr("Penghubung WhatsApp berjalan ({transport}). Tekan Ctrl+C untuk berhenti.",
             transport=service.transport_name), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        service.stop()
    return 0


def run_cloud_token(args) -> int:
    from dikjamila.whatsapp.transports.secrets import forget_token, save_token
    office = open_office(args)
    if args.forget:
        forget_token(office.paths.data_dir)
        print(tr("Token Cloud API dihapus."))
        return 0
    token = sys.stdin.readline().strip()
    if not token:
        raise InvalidInput(tr("Token kosong. Kirim tokennya lewat stdin, mis. `dikjamila whatsapp cloud-token < token.txt`."))
    save_token(office.paths.data_dir, token)
    print(tr("Token Cloud API disimpan di luar basis data dan pengaturan."))
    return 0
