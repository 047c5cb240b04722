"""The audit chain's head, anchored outside the database (see `dikjamila.audit_anchor`).

The head goes on every report and backup, and once a day to the supervisor's WhatsApp number
(setting `supervisor_phone`): a message on the supervisor's phone is a copy no database writer
can reach. The supervisor later types a head from a printed report or that message into
"Periksa jejak audit" (or `dikjamila audit verify --head`) to prove history up to it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dikjamila import audit
from dikjamila.audit_anchor import parse_head, verify_against_head
from dikjamila.auth.roles import Permission
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.outbox import OutboxOps
from dikjamila.desk.timezone import WITA
from dikjamila.i18n import tr
from dikjamila.identity.phone import normalize_phone

HEAD_PURPOSE = "kepala_audit"


@dataclass(frozen=True)
class AuditCheck:
    """The outcome of checking the trail: `problems` empty means intact (up to `against`)."""

    events: int
    head: audit.ChainHead
    against: str  # the recorded head checked against, "" for the chain's own check
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


class AnchorOps(OutboxOps):
    @db_call
    def audit_head(self) -> audit.ChainHead:
        """The chain head now (for a report's footer, a backup, the supervisor's message)."""
        with self.db.reading() as session:
            return audit.head(session)

    @db_call
    def check_audit(self, recorded_head: str = "") -> AuditCheck:
        """Recompute the chain; with `recorded_head` ("COUNT:HASH"), also prove it passes through it."""
        self._require(Permission.AUDIT)
        recorded = parse_head(recorded_head) if recorded_head.strip() else None
        with self.db.reading() as session:
            problems = (verify_against_head(session, recorded) if recorded is not None
                        else audit.verify(session))
            head, events = audit.head(session), audit.count(session)
        with self.db.writing() as session:
            self._audit(session, "audit.verify", "audit", "chain", {
                "against": str(recorded) if recorded else "", "problems": len(problems)})
        return AuditCheck(events, head, str(recorded) if recorded else "", tuple(p.message for p in problems))

    def queue_audit_head(self, *, today: date | None = None) -> int | None:
        """Queue today's head to the supervisor's number, once a day; None when no number is set.

        Called by the outbox runner on the PC that runs WhatsApp; the idempotency key carries the
        office date, so every later call that day finds the same item.
        """
        phone = self.settings.supervisor_phone.strip()
        if not phone:
            return None
        recipient = normalize_phone(phone).e164
        now = utcnow()
        day = today or now.astimezone(WITA).date()
        head = self.audit_head()
        text = tr(
            "Dik Jamila — kepala rantai audit {office}, {when} WITA:\n{head}\n\n"
            "Simpan pesan ini. Dengan angka ini jejak audit dapat dibuktikan tidak diubah sampai saat ini "
            "(menu Supervisor → Periksa jejak audit, atau: dikjamila audit verify --head {head}).",
            office=self.settings.office_name, when=_local(now), head=str(head))
        return self._queue_to_number(recipient, text, purpose=HEAD_PURPOSE, key=f"audit-head:{recipient}:{day}")


def _local(at: datetime) -> str:
    return at.astimezone(WITA).strftime("%d-%m-%Y %H.%M")
