"""The linked WhatsApp numbers' state: written by the supervisor's PC, read by every PC.

Other PCs cannot talk to the worker; they leave a request on the link's row ("logout",
"pair:+62…") that the supervisor takes on its next look.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.models import WhatsAppLink
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.whatsapp.link_state import LinkState, label

#: What the supervisor writes on every state change; "qr" rows change every ~20 s while linking.
_FIELDS = ("detail", "phone", "qr", "pair_code", "pid")


@dataclass(frozen=True)
class LinkInfo:
    account: str
    state: str
    label: str
    detail: str
    phone: str
    qr: str
    pair_code: str
    host: str
    pid: int | None
    updated_at: datetime
    pending_command: str


class LinkOps(DeskBase):
    @db_call
    def set_link_state(self, account: str, state: str, **fields) -> LinkInfo:
        """The supervisor's report (system actor only): the state and what goes with it."""
        with self.db.writing() as session:
            row = session.get(WhatsAppLink, account)
            if row is None:
                row = WhatsAppLink(account=account, state=state, detail="", phone="", qr="", pair_code="",
                                   host="", pending_command="", updated_at=utcnow())
                session.add(row)
            changed = row.state != state
            row.state = LinkState(state).value
            row.host = socket.gethostname()[:128]
            for name in _FIELDS:
                if name in fields:
                    setattr(row, name, fields[name] if fields[name] is not None or name == "pid" else "")
            if state == LinkState.CONNECTED:
                row.qr, row.pair_code = "", ""
            row.updated_at = utcnow()
            if changed or "qr" in fields or "pair_code" in fields:
                self._changed(session, ChangeKind.LINK, account or "-")
            if changed:
                self._audit(session, "whatsapp.state", "whatsapp", account or "-",
                            {"state": state, "detail": str(fields.get("detail", ""))[:200]})
            return _info(row)

    @db_call
    def link_states(self) -> list[LinkInfo]:
        with self.db.reading() as session:
            return [_info(r) for r in session.query(WhatsAppLink).order_by(WhatsAppLink.account)]

    @db_call
    def request_link_command(self, account: str, command: str) -> None:
        """Ask the PC running the link to log out ("logout") or make a pairing code ("pair:+62…")."""
        self._require(Permission.SETTINGS if command == "logout" else Permission.EDIT_REQUEST)
        if command.startswith("pair:"):
            command = "pair:" + normalize_phone(command[5:]).e164
        elif command != "logout":
            raise InvalidInput(tr("Perintah penghubung tidak dikenal: {command}", command=command))
        with self.db.writing() as session:
            row = session.get(WhatsAppLink, account)
            if row is None:
                row = WhatsAppLink(account=account, state=LinkState.STOPPED, detail="", phone="", qr="",
                                   pair_code="", host="", updated_at=utcnow(), pending_command="")
                session.add(row)
            row.pending_command = command
            self._changed(session, ChangeKind.LINK, account or "-")
            self._audit(session, "whatsapp.unlink" if command == "logout" else "whatsapp.pair",
                        "whatsapp", account or "-", {})

    @db_call
    def take_link_command(self, account: str) -> str:
        """The supervisor takes (and clears) the request left for it."""
        with self.db.writing() as session:
            row = session.get(WhatsAppLink, account)
            if row is None or not row.pending_command:
                return ""
            command, row.pending_command = row.pending_command, ""
            return command


def _info(r: WhatsAppLink) -> LinkInfo:
    return LinkInfo(r.account, r.state, label(r.state), r.detail, r.phone, r.qr, r.pair_code, r.host, r.pid,
                    r.updated_at, r.pending_command)
