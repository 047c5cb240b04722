"""The WhatsApp link on this PC: the outbox runner(s) and, for the linked device, the workers.

Runs on the one "PC WhatsApp" of an office — inside the workstation there, or alone as
`dikjamila whatsapp run`. Everything it learns goes into the database (link state, received
messages, receipts, send outcomes), where every other PC reads it; nothing here touches Qt.

A number whose worker is refused here because it runs on another PC (PostgreSQL, see the
supervisor) is that PC's: its row (state, commands left for it) is left alone, and
`held_elsewhere()` says so for this PC's own display.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dikjamila.auth.roles import Actor
from dikjamila.errors import UserError
from dikjamila.whatsapp.link_state import FROM_EVENT, LinkState
from dikjamila.whatsapp.runner import OutboxRunner
from dikjamila.whatsapp.supervisor import (
    BACKOFF,
    HELD_RETRY_S,
    WorkerSupervisor,
    worker_command,
)
from dikjamila.whatsapp.transports.factory import build_transport
from dikjamila.whatsapp.transports.linked import LinkedTransport

log = logging.getLogger(__name__)

ACTOR = Actor.system("whatsapp")
#: How often the supervisor looks for a request left by another PC (log out, pairing code).
COMMAND_POLL_S = 1.0

CommandFor = Callable[[Path, str], list[str]]


def runs_here(office) -> bool:
    """Is this PC the one that runs the link? The named PC, or — when none is named — the PC
    whose own SQLite file is the database (there is no other)."""
    named = office.settings.whatsapp_pc.strip()
    if named:
        return named.lower() == socket.gethostname().lower()
    return office.db.engine.dialect.name == "sqlite"


def accounts_of(office) -> list[str]:
    """The linked numbers: one worker each; "" when the office named none (a single link)."""
    return list(office.settings.whatsapp_numbers) or [""]


class LinkService:
    def __init__(self, office, *, transport: str | None = None, command_for: CommandFor = worker_command,
                 backoff: tuple[float, ...] = BACKOFF, held_retry_s: float = HELD_RETRY_S,
                 worker_env: dict[str, str] | None = None):
        self.office = office
        self.desk = office.desk(ACTOR)
        self.transport_name = transport or office.settings.whatsapp_transport
        self._command_for = command_for
        self._backoff = backoff
        self._held_retry_s = held_retry_s
        self._worker_env = worker_env
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.supervisors: dict[str, WorkerSupervisor] = {}
        self.runners: list[OutboxRunner] = []
        self._transports: list = []

    # -- life -------------------------------------------------------------------------------
    def start(self) -> None:
        accounts = accounts_of(self.office)
        if self.transport_name == "linked":
            for account in accounts:
                supervisor = WorkerSupervisor(
                    self._command_for(self.office.paths.data_dir, account), account=account,
                    on_event=lambda event, account=account: self._on_event(account, event),
                    backoff=self._backoff, held_retry_s=self._held_retry_s, env=self._worker_env)
                self.supervisors[account] = supervisor
                supervisor.start()
                self._spawn(self._poll_commands, account, name=f"wa-commands-{account or 'default'}")
            for i, account in enumerate(accounts):
                transport = LinkedTransport({account: self.supervisors[account]},
                                            deadline_s=self.office.settings.whatsapp_send_deadline_seconds)
                # Items queued with no number go out from the first one.
                mine = (account, "") if i == 0 and account else (account,)
                self._add_runner(transport, mine)
        else:
            transport = build_transport(self.transport_name, self.office)
            self._add_runner(transport, tuple(dict.fromkeys(["", *accounts])))

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(10)
        for transport in self._transports:
            try:
                transport.close()
            except Exception:  # closing must go on for the others
                log.exception("closing transport %s failed", getattr(transport, "name", "?"))
        for account, supervisor in self.supervisors.items():
            if not supervisor.held_elsewhere:  # else the row is the other PC's
                self._report(account, LinkState.STOPPED, detail="", pid=None)

    def held_elsewhere(self) -> dict[str, str]:
        """The numbers refused here because they run on another PC: account → why (names the PC)."""
        return {account: s.held_elsewhere for account, s in self.supervisors.items() if s.held_elsewhere}

    def wait(self, timeout: float | None = None) -> bool:
        return self._stop.wait(timeout)

    # -- parts --------------------------------------------------------------------------------
    def _add_runner(self, transport, accounts: tuple[str, ...]) -> None:
        runner = OutboxRunner(self.desk, transport, accounts=accounts, stop=self._stop)
        self.runners.append(runner)
        self._transports.append(transport)
        self._spawn(runner.run_forever, name=f"wa-outbox-{'-'.join(a or 'default' for a in accounts)}")

    def _spawn(self, target, *args, name: str) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _poll_commands(self, account: str) -> None:
        while not self._stop.wait(COMMAND_POLL_S):
            if not self.supervisors[account].ready:
                # NOTE: the command stays on the row: for the worker here once it is ready, or
                # for the PC that runs the number (a refused worker here never takes it).
                continue
            try:
                command = self.desk.take_link_command(account)
            except UserError as exc:
                log.warning("link commands for %s: %s", account or "default", exc.message)
                continue
            if command == "logout":
                self.supervisors[account].request({"cmd": "logout"})
            elif command.startswith("pair:"):
                self.supervisors[account].request({"cmd": "pair_phone", "phone": command[5:]})

    # -- events → rows ------------------------------------------------------------------------
    def _on_event(self, account: str, event: dict[str, Any]) -> None:
        name = event.get("event")
        if name == "_state":
            self._report(account, LinkState(event["state"]), detail=str(event.get("reason", "")),
                         pid=event.get("pid"))
        elif name == "qr":
            self._report(account, LinkState.NEED_LINK, qr=str(event.get("data", "")))
        elif name == "paircode":
            self._report(account, LinkState.NEED_LINK, pair_code=str(event.get("code", ""))[:16])
        elif name == "connected":
            self._report(account, LinkState.CONNECTED, phone=str(event.get("phone", ""))[:20], detail="")
        elif name in ("disconnected", "logged_out", "banned"):
            detail = str(event.get("reason") or event.get("code") or "")
            if name == "banned" and event.get("expires_s"):
                detail = f"{detail} ({int(event['expires_s']) // 60} menit)".strip()
            self._report(account, FROM_EVENT[name], detail=detail)
        elif name == "incoming":
            info = self.desk.store_incoming(event, account=account)
            _forget_worker_copy(event, stored=bool(info.blob_sha256))
        elif name == "receipt":
            ids = [str(i) for i in event.get("message_ids") or []]
            if ids:
                self.desk.record_receipt(ids, str(event.get("kind", "")))
        elif name == "error":
            log.warning("WhatsApp worker %s: %s", account or "default", event.get("message"))

    def _report(self, account: str, state: LinkState, **fields) -> None:
        try:
            self.desk.set_link_state(account, state, **fields)
        except UserError as exc:
            log.warning("link state %s not saved: %s", state, exc.message)


def _forget_worker_copy(event: dict, *, stored: bool) -> None:
    """The worker's download, once safely in the attachment store, is not kept twice."""
    file = event.get("file") or {}
    if stored and file.get("path"):
        try:
            Path(file["path"]).unlink(missing_ok=True)
        except OSError:
            log.info("incoming copy %s left in place", file.get("path"), exc_info=True)
