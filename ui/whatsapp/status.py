"""What the status bar says about WhatsApp, and the one watcher that reads it.

`summarize` is a plain function (link rows + transport → text, tooltip, level) so the rules
can be read and tested in one place. `WhatsAppStatus` reads the link rows, the pause switch
and the number of unhandled messages on the database worker, at start and whenever the change
watcher reports a link, outbox or message change (or the settings change), and emits
`changed(WaSnapshot)` for the status bar, the menu and the link dialog.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QObject, Signal

from dikjamila.changes import ChangeKind, ChangeSet
from dikjamila.desk.link import LinkInfo
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.whatsapp.link_state import LinkState
from dikjamila.whatsapp.link_state import label as link_label
from dikjamila.whatsapp.service import accounts_of

log = logging.getLogger(__name__)

#: From worst to best: the status bar shows the worst state of all linked numbers.
SEVERITY = (LinkState.BANNED, LinkState.STOPPED, LinkState.LOGGED_OUT, LinkState.NEED_LINK,
            LinkState.RECONNECTING, LinkState.STARTING, LinkState.CONNECTED)
LEVELS = {LinkState.BANNED: "error", LinkState.STOPPED: "error", LinkState.LOGGED_OUT: "warning",
          LinkState.NEED_LINK: "warning", LinkState.RECONNECTING: "warning", LinkState.STARTING: "info",
          LinkState.CONNECTED: "ok"}
OTHER_TRANSPORTS = {"folder": "lewat folder", "cloud_api": "lewat Cloud API", "pywhatkit": "lewat pywhatkit"}


@dataclass(frozen=True)
class Summary:
    text: str  # "WhatsApp: terhubung"
    tooltip: str
    level: str  # "ok" | "info" | "warning" | "error"
    state: str = ""  # the worst link state ("" for a transport without a link)


@dataclass(frozen=True)
class WaSnapshot:
    transport: str
    accounts: tuple[str, ...]
    links: tuple[LinkInfo, ...] = ()
    paused: bool = False
    unhandled: int | None = None  # None: this user may not see them
    errors: tuple[str, ...] = field(default=())

    def link(self, account: str) -> LinkInfo | None:
        return next((info for info in self.links if info.account == account), None)


def account_name(account: str) -> str:
    return account or tr("Nomor kantor")


def summarize(transport: str, accounts: tuple[str, ...] | list[str], links: tuple[LinkInfo, ...] | list[LinkInfo]) -> Summary:
    """The status light: the worst state of the office's numbers; all of them in the tooltip."""
    if transport != "linked":
        how = tr(OTHER_TRANSPORTS.get(transport, transport))
        return Summary(tr("WhatsApp: {how}", how=how), tr(
            "Pesan dikirim {how}; tidak ada HP yang perlu ditautkan. Cara kirim diubah di Pengaturan.", how=how),
            "info")
    by_account = {info.account: info for info in links}
    states, lines = [], []
    for account in accounts:
        info = by_account.get(account)
        state = _state(info.state) if info else LinkState.STOPPED
        states.append(state)
        line = f"{account_name(account)}: {link_label(state)}"
        if info and info.phone and state == LinkState.CONNECTED:
            line += " " + tr("({phone})", phone=info.phone)
        if info and info.detail:
            line += " — " + info.detail
        if info and info.host:
            line += " " + tr("[PC {host}]", host=info.host)
        lines.append(line)
    worst = min(states, key=SEVERITY.index) if states else LinkState.STOPPED
    tooltip = "\n".join(lines + ["", tr("Klik untuk menghubungkan atau melihat status WhatsApp.")])
    return Summary(tr("WhatsApp: {state}", state=link_label(worst)), tooltip, LEVELS[worst], worst.value)


def _state(value: str) -> LinkState:
    try:
        return LinkState(value)
    except ValueError:
        return LinkState.STOPPED


class WhatsAppStatus(QObject):
    """Reads the WhatsApp state for the session; `changed(WaSnapshot)` after every read."""

    changed = Signal(object)

    def __init__(self, ctx, parent: QObject | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.snapshot: WaSnapshot | None = None
        self._in_flight = False
        self._again = False
        ctx.bus.data_changed.connect(self._on_data_changed)
        ctx.bus.settings_changed.connect(self.refresh)

    def refresh(self) -> None:
        if self._in_flight:
            self._again = True
            return
        self._in_flight = True
        office, desk = self.ctx.office, self.ctx.desk
        transport, accounts = office.settings.whatsapp_transport, tuple(accounts_of(office))

        def read() -> WaSnapshot:
            errors: list[str] = []
            links, paused, unhandled = [], False, None
            try:
                links = desk.link_states()
                paused = desk.sending_paused()
            except UserError as exc:
                errors.append(exc.message)
            try:
                unhandled = desk.unhandled_count()
            except UserError:
                unhandled = None  # a role that may not see them: nothing to count
            return WaSnapshot(transport, accounts, tuple(links), paused, unhandled, tuple(errors))

        self.ctx.submit(read, self._guard(self._done), self._guard(self._failed),
                        label=tr("Memeriksa WhatsApp…"))

    def _guard(self, callback):
        def run(*args):
            if shiboken6.isValid(self):
                callback(*args)
        return run

    def _done(self, snapshot: WaSnapshot) -> None:
        self._in_flight = False
        self.snapshot = snapshot
        self.changed.emit(snapshot)
        self._maybe_again()

    def _failed(self, message: str) -> None:
        self._in_flight = False
        log.warning("WhatsApp status not read: %s", message)
        self._maybe_again()

    def _maybe_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.LINK, ChangeKind.OUTBOX, ChangeKind.MESSAGE, ChangeKind.SETTINGS):
            self.refresh()
