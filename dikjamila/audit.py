"""The append-only, hash-chained audit log.

Each event stores the hash of the one before it; the newest hash and the event count are
kept in the `meta` table in the same transaction. `verify` recomputes the chain: an edited
event breaks its own hash, a deleted one breaks the link of the next (or the stored head).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dikjamila.db.models import AuditEvent, MetaValue
from dikjamila.db.types import utcnow
from dikjamila.i18n import tr

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
COUNT_KEY = "audit_count"


@dataclass(frozen=True)
class AuditRecord:
    """An audit event as shown to people."""

    id: int
    at: datetime
    actor_name: str
    action: str
    entity_type: str
    entity_id: str
    summary: dict


@dataclass(frozen=True)
class AuditProblem:
    event_id: int | None
    message: str


def _digest(prev_hash: str, at: datetime, actor_id, actor_name, action, entity_type, entity_id, summary_json) -> str:
    at_text = at.replace(tzinfo=None).isoformat(timespec="microseconds")
    payload = json.dumps(
        [prev_hash, at_text, actor_id, actor_name, action, entity_type, str(entity_id), summary_json],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _meta(session: Session, key: str) -> MetaValue | None:
    return session.get(MetaValue, key)


def _chain_meta(session: Session, *, lock: bool = False) -> tuple[MetaValue | None, MetaValue | None]:
    """The chain's head and count rows: from the session when it has them, else one query.

    `lock` (appending): the rows are locked until commit (SELECT … FOR UPDATE), so writers on
    several PCs append one after another to one chain instead of both extending the same head.
    SQLite drops FOR UPDATE: there a writer holds the whole database from BEGIN IMMEDIATE.
    """
    known = session.info.get("audit_meta")
    if known is None or (lock and not session.info.get("audit_locked")):
        query = select(MetaValue).where(MetaValue.key.in_([HEAD_KEY, COUNT_KEY]))
        if lock:
            if session.get_bind().dialect.name == "postgresql":
                # (imported here: the PostgreSQL dialect is not loaded on an SQLite office)
                from dikjamila.db.dialects import postgresql as pg_dialect

                pg_dialect.before_audit(session)  # the office's lock order: change log, then head
            query = query.with_for_update().execution_options(populate_existing=True)
            session.info["audit_locked"] = True
        rows = {m.key: m for m in session.scalars(query)}
        known = session.info["audit_meta"] = (rows.get(HEAD_KEY), rows.get(COUNT_KEY))
    return known


def record(session: Session, *, actor_id: int | None, actor_name: str, action: str,
           entity_type: str, entity_id: object, summary: dict | None = None) -> AuditEvent:
    """Append one event in the caller's (write) transaction."""
    head, count = _chain_meta(session, lock=True)
    prev_hash = head.value if head else GENESIS
    at = utcnow()
    summary_json = json.dumps(summary or {}, ensure_ascii=False, sort_keys=True, default=str)
    digest = _digest(prev_hash, at, actor_id, actor_name, action, entity_type, entity_id, summary_json)
    event = AuditEvent(
        at=at, actor_id=actor_id, actor_name=actor_name, action=action, entity_type=entity_type,
        entity_id=str(entity_id), summary_json=summary_json, prev_hash=prev_hash, hash=digest,
    )
    session.add(event)
    if head is None:
        head, count = MetaValue(key=HEAD_KEY, value=digest), MetaValue(key=COUNT_KEY, value="1")
        session.add_all([head, count])
        session.info["audit_meta"] = (head, count)
    else:
        head.value = digest
        count.value = str(int(count.value) + 1)
    # NOTE: no flush here: the insert goes with the transaction's next flush or its commit
    # (autoflush covers any query that reads audit events first); a flush per event was a
    # third of the time of storing a received WhatsApp message.
    return event


def verify(session: Session, batch: int = 5000) -> list[AuditProblem]:
    """Recompute the whole chain; an empty list means nothing was edited or deleted."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS
    seen = 0
    last_id = 0
    while True:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not events:
            break
        for ev in events:
            seen += 1
            if ev.prev_hash != prev_hash:
                problems.append(AuditProblem(ev.id, tr(
                    "Peristiwa #{id}: rantai terputus — ada peristiwa sebelumnya yang dihapus atau diubah.",
                    id=ev.id)))
            expected = _digest(ev.prev_hash, ev.at, ev.actor_id, ev.actor_name, ev.action,
                               ev.entity_type, ev.entity_id, ev.summary_json)
            if expected != ev.hash:
                problems.append(AuditProblem(ev.id, tr(
                    "Peristiwa #{id}: isinya diubah setelah dicatat.", id=ev.id)))
            prev_hash = ev.hash
            last_id = ev.id
    head, count = _chain_meta(session)
    if head is not None and head.value != prev_hash:
        problems.append(AuditProblem(None, tr(
            "Peristiwa terakhir tidak cocok dengan catatan kepala rantai — peristiwa terbaru dihapus atau diubah.")))
    if count is not None and int(count.value) != seen:
        problems.append(AuditProblem(None, tr(
            "Jumlah peristiwa {seen}, seharusnya {expected} — ada yang dihapus.",
            seen=seen, expected=count.value)))
    if head is None and seen:
        problems.append(AuditProblem(None, tr("Catatan kepala rantai audit hilang.")))
    return problems


def history(session: Session, entity_type: str, entity_id: object) -> list[AuditRecord]:
    """Events of one record, oldest first."""
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(AuditEvent.id)
    ).all()
    return [
        AuditRecord(e.id, e.at, e.actor_name, e.action, e.entity_type, e.entity_id, json.loads(e.summary_json))
        for e in rows
    ]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@dataclass(frozen=True)
class ChainHead:
    """Where the audit chain stands: how many events, and the newest one's hash.

    Printed on reports and backups and sent to the supervisor: written as `COUNT:HASH`, it
    lets `verify_against_head` prove later that history up to that point is unchanged.
    """

    count: int
    hash: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash}"

    @property
    def short(self) -> str:
        """For a printed page: the count and the hash's first 16 digits (enough to compare)."""
        return f"{self.count}:{self.hash[:16]}"


def head(session: Session) -> ChainHead:
    """The chain's head as the database says (count and hash of the newest event)."""
    head_row, count_row = _chain_meta(session)
    if head_row is None:
        return ChainHead(0, GENESIS)
    return ChainHead(int(count_row.value) if count_row is not None else 0, head_row.value)
