"""The state of one linked office number, as the status bar and `dikjamila whatsapp status` show it."""

from __future__ import annotations

from enum import StrEnum

from dikjamila.i18n import tr


class LinkState(StrEnum):
    STOPPED = "stopped"  # no supervisor is running the link (on any PC)
    STARTING = "starting"  # the worker is starting
    NEED_LINK = "need_link"  # no session: scan the QR code or enter the pairing code
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"  # offline, or the worker died: it is being retried
    BANNED = "banned"  # WhatsApp blocked the number for a while
    LOGGED_OUT = "logged_out"  # the phone removed this device: link again
    # NOTE: local only, never written to the shared row (that belongs to the PC running the
    # link): this PC's worker was refused because the number runs on another PC.
    ELSEWHERE = "elsewhere"


LABELS = {
    LinkState.STOPPED: "tidak berjalan",
    LinkState.STARTING: "sedang dimulai",
    LinkState.NEED_LINK: "perlu dihubungkan",
    LinkState.CONNECTED: "terhubung",
    LinkState.RECONNECTING: "terputus, mencoba lagi",
    LinkState.BANNED: "diblokir sementara",
    LinkState.LOGGED_OUT: "perlu dihubungkan",
    LinkState.ELSEWHERE: "berjalan di PC lain",
}

#: Worker events that change the link's state.
FROM_EVENT = {
    "ready": LinkState.STARTING,
    "qr": LinkState.NEED_LINK,
    "paircode": LinkState.NEED_LINK,
    "connected": LinkState.CONNECTED,
    "disconnected": LinkState.RECONNECTING,
    "logged_out": LinkState.LOGGED_OUT,
    "banned": LinkState.BANNED,
}


def label(state: str) -> str:
    try:
        return tr(LABELS[LinkState(state)])
    except ValueError:
        return state
