"""The change log: what changed in the data, so every view (on every workstation) can refresh.

Each write that changes data appends a row (kind, id, origin) in its own transaction; views are
not changes and append nothing. A watcher remembers the newest row id it has seen and asks for
the rows after it: one indexed range read, usually empty. `origin` names the desk that made
the change, so an editor can tell its own saves from another workstation's.

Old rows are pruned as new ones come; a watcher that fell further behind than what is kept is
told so (`ChangeSet.truncated`) and refreshes everything.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dikjamila.db import pg_changes
from dikjamila.db.models import ChangeLogEntry
from dikjamila.db.types import utcnow

#: Rows kept; pruned in batches as the log grows past it.
KEEP = 20_000
PRUNE_EVERY = 1_000
#: Rows returned by one `since` call; more means "refresh everything".
MAX_ROWS = 2_000


class ChangeKind(StrEnum):
    REQUEST = "request"  # the request row, its files or notes
    MESSAGE = "message"  # the conversation (incoming messages)
    OUTBOX = "outbox"  # an outgoing message and its state
    SETTINGS = "settings"
    USER = "user"
    LINK = "link"  # the state of a linked WhatsApp number
    # A request's conversation changed (an outgoing message queued, sent, delivered, read) but
    # not the request itself: the editor's conversation follows, the inbox does not repaint.
    CONVERSATION = "conversation"
    TRAY = "tray"  # "Berkas belum ditempatkan": a file found in a watched folder, placed or dismissed
    IMPORT = "import"  # a chat-export import started, finished or was rolled back
    COMPLAINT = "complaint"  # a complaint recorded, assigned or resolved
    SURVEY = "survey"  # a request's IKM survey response recorded (entity id: the request's id)


@dataclass(frozen=True)
class Change:
    kind: str
    entity_id: str
    origin: str


@dataclass(frozen=True)
class ChangeSet:
    """The changes after a marker. `marker` is the newest row id seen (pass it next time)."""

    marker: int
    changes: tuple[Change, ...] = ()
    truncated: bool = False

    def __bool__(self) -> bool:
        return bool(self.changes) or self.truncated

    def ids(self, kind: str, *, except_origin: str | None = None) -> frozenset[int]:
        """Integer ids of changed records of `kind` (optionally leaving out one origin's)."""
        return frozenset(int(c.entity_id) for c in self.changes
                         if c.kind == kind and c.origin != except_origin and c.entity_id.isdigit())

    def touches(self, *kinds: str) -> bool:
        return self.truncated or any(c.kind in kinds for c in self.changes)


_logged = itertools.count(1)


def record(session: Session, kind: ChangeKind, entity_id: object, origin: str) -> None:
    """Append a change in the caller's write transaction (once per record and transaction:
    watchers only need to know that it changed)."""
    seen = session.info.setdefault("changes_recorded", set())
    key = (kind.value, str(entity_id), origin)
    if key in seen:
        return
    seen.add(key)
    if session.get_bind().dialect.name == "postgresql":
        pg_changes.before_change(session)  # ids committed in order, and NOTIFY at commit
    entry = ChangeLogEntry(kind=kind.value, entity_id=str(entity_id), origin=origin[:32], at=utcnow())
    session.add(entry)
    # NOTE: flushed with the transaction, not here (a flush per change cost ~0.5 ms on every
    # received message); old entries are pruned at every PRUNE_EVERY-th change this process logs.
    if next(_logged) % PRUNE_EVERY == 0:
        session.flush()
        session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.id <= entry.id - KEEP))


def latest(session: Session) -> int:
    """The newest change's id (0 for none)."""
    return session.scalar(select(func.max(ChangeLogEntry.id))) or 0


def since(session: Session, marker: int) -> ChangeSet:
    """The changes after `marker`; a negative marker starts watching from now."""
    if marker < 0:
        return ChangeSet(latest(session))
    rows = session.execute(
        select(ChangeLogEntry.id, ChangeLogEntry.kind, ChangeLogEntry.entity_id, ChangeLogEntry.origin)
        .where(ChangeLogEntry.id > marker).order_by(ChangeLogEntry.id).limit(MAX_ROWS + 1)).all()
    if not rows:
        return ChangeSet(marker)
    truncated = len(rows) > MAX_ROWS
    if not truncated:
        # Rows after the marker were pruned: the watcher missed changes it cannot be told.
        oldest = session.scalar(select(func.min(ChangeLogEntry.id)))
        truncated = oldest is not None and oldest > marker + 1
    rows = rows[:MAX_ROWS]
    return ChangeSet(rows[-1].id, tuple(Change(r.kind, r.entity_id, r.origin) for r in rows), truncated)
