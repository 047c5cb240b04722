"""Routing an imported chat: the rules of `routing`, decided in memory, written in chunks.

An export may hold tens of thousands of messages in thousands of submissions. Routed one
submission per transaction (as live messages are) a 40,000-message chat took 15 s, and other
workstations waited behind the stream of transactions. Here each resident's submissions are
decided first — the same rules in the same order: their open request (the newest, marked
when several), the conversation of one closed within 7 days, or a new request — then written
in chunks of ~2,000 messages, each chunk one short transaction of set-based updates, with a
pause between chunks so another writer gets its turn.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from dikjamila.db.models import Attachment, Message, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.records import Channel, FileRole
from dikjamila.desk.routing import AFTER_CLOSE, Route, RoutingOps
from dikjamila.files.store import StoredBlob
from dikjamila.intake.bursts import neighbouring_text, split_bursts
from dikjamila.intake.importing import ImportSummary
from dikjamila.intake.importing.sides import Side
from dikjamila.lifecycle import OPEN

CHUNK = 2000
#: Between two chunks: a writer polling for the lock (every 2 ms, see the SQLite dialect) gets in.
YIELD_SECONDS = 0.004
_OPEN = tuple(s.value for s in OPEN)


@dataclass
class _Chunk:
    """Writes of one transaction: message moves, files, and which requests they touch."""

    moves: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(list))
    files: list[dict] = field(default_factory=list)
    touched: dict[int, int] = field(default_factory=dict)  # request id -> messages
    attention: dict[int, str] = field(default_factory=dict)
    size: int = 0


class ImportRoutingOps(RoutingOps):
    def _route_import(self, import_id: int, sides: dict[str, Side], blobs: dict[str, StoredBlob],
                      summary: ImportSummary, check: Callable[[], None]) -> None:
        created: list[int] = []
        updated: list[int] = []
        for side in (s for s in sides.values() if not s.office):
            made, used = self._route_side(import_id, side, blobs, summary, check)
            created += made
            updated += [r for r in used if r not in updated and r not in made and r not in created]
        check()
        self._place_office_side(import_id)
        with self.db.reading() as session:
            summary.request_numbers = list(session.scalars(
                select(Request.number).where(Request.id.in_(created + updated)).order_by(Request.id)))
        summary.requests_created, summary.requests_updated = len(created), len(updated)

    def _route_side(self, import_id: int, side: Side, blobs: dict[str, StoredBlob], summary: ImportSummary,
                    check: Callable[[], None]) -> tuple[list[int], list[int]]:
        with self.db.reading() as session:
            stmt = select(Message.id, Message.sent_at, Message.body, Message.blob_sha256, Message.file_kind,
                          Message.file_name, Message.source).where(
                Message.import_id == import_id, Message.direction == "in", Message.handled_at.is_(None))
            stmt = stmt.where(Message.sender_phone == side.phone) if side.phone else stmt.where(
                Message.sender_phone == "", Message.sender == side.name[:200])
            rows = session.execute(stmt.order_by(Message.sent_at, Message.id)).all()
            requests = self._requests_of(session, side.phone, side.name, open_only=False)
            open_ids = [r.id for r in requests if r.status in _OPEN]
            closed = [(r.id, r.closed_at) for r in requests if r.closed_at is not None and r.status not in _OPEN]
            known = defaultdict(set)
            for rid, sha in session.execute(select(Attachment.request_id, Attachment.blob_sha256).where(
                    Attachment.request_id.in_([r.id for r in requests]))):
                known[rid].add(sha)
        made: list[int] = []
        used: list[int] = []
        chunk = _Chunk()
        for burst in split_bursts(rows, self._window(), lambda r: r.sent_at):
            check()
            flag, files = "", True
            if open_ids:
                target = open_ids[0]
                if len(open_ids) > 1:
                    flag = chunk.attention[target] = Route.SEVERAL_OPEN
            elif recent := next((rid for rid, at in closed if at <= burst[0].sent_at <= at + AFTER_CLOSE), None):
                target, flag, files = recent, Route.AFTER_CLOSE, False
                chunk.attention[target] = Route.AFTER_CLOSE
            else:
                target = self._create_for_import(burst, side, import_id)
                made.append(target)
                open_ids = [target]
            if target not in used:
                used.append(target)
            self._plan(chunk, burst, target, flag, files, known[target], blobs, import_id)
            if chunk.size >= CHUNK:
                summary.attachments += self._write_chunk(chunk, import_id)
                chunk = _Chunk()
        if chunk.size:
            summary.attachments += self._write_chunk(chunk, import_id)
        return made, used

    def _create_for_import(self, burst, side: Side, import_id: int) -> int:
        with self.db.writing() as session:
            req = self._new_request(session, burst, phone=side.phone, name=side.name, channel=Channel.IMPORT,
                                    import_id=import_id)
            return req.id

    @staticmethod
    def _plan(chunk: _Chunk, burst, target: int, flag: str, files: bool, known: set[str],
              blobs: dict[str, StoredBlob], import_id: int) -> None:
        texts = [m.body for m in burst]
        chunk.moves[(target, flag)].extend(m.id for m in burst)
        chunk.touched[target] = chunk.touched.get(target, 0) + len(burst)
        chunk.size += len(burst)
        if not files:
            return
        now = utcnow()
        for index, m in enumerate(burst):
            blob = blobs.get(m.blob_sha256 or "")
            if blob is None or m.file_kind not in ("image", "pdf") or m.blob_sha256 in known:
                continue
            known.add(m.blob_sha256)
            chunk.files.append(dict(
                request_id=target, blob_sha256=m.blob_sha256, original_name=m.file_name or blob.original_name,
                kind=blob.kind, mime=blob.mime, size=blob.size, pages=blob.pages, requirement_code=None,
                role=FileRole.RESIDENT, source=m.source or "import", created_at=now, created_by=None,
                caption=m.body, context=neighbouring_text(texts, index), message_id=m.id, import_id=import_id))

    @contextmanager
    def _import_write(self) -> Iterator[Session]:
        """A write transaction of an import; right after its previous one, a pause first, so a
        writer waiting for the lock gets its turn (no pause after the last: small imports stay fast)."""
        if time.monotonic() - getattr(self, "_import_wrote_at", float("-inf")) < 2 * YIELD_SECONDS:
            time.sleep(YIELD_SECONDS)
        try:
            with self.db.writing() as session:
                yield session
        finally:
            self._import_wrote_at = time.monotonic()

    def _write_chunk(self, chunk: _Chunk, import_id: int) -> int:
        """One short transaction: move the messages, add the files, recheck and mark the requests."""
        now = utcnow()
        with self._import_write() as session:
            for (target, flag), ids in chunk.moves.items():
                for start in range(0, len(ids), 900):
                    session.execute(update(Message).where(Message.id.in_(ids[start:start + 900])).values(
                        request_id=target, handled_at=now, route_flag=flag))
            if chunk.files:
                session.execute(insert(Attachment.__table__), chunk.files)
            with_files = {f["request_id"] for f in chunk.files}
            for req in session.scalars(select(Request).where(Request.id.in_(list(chunk.touched)))):
                if req.id in chunk.attention:
                    req.attention = chunk.attention[req.id]
                if req.id in with_files:
                    self._recheck(session, req)
                self._touch(req)
                self._audit(session, "intake.route", "request", req.id, {
                    "messages": chunk.touched[req.id], "files": sum(f["request_id"] == req.id for f in chunk.files),
                    "flag": chunk.attention.get(req.id, ""), "import_id": import_id})
        return len(chunk.files)

    def _place_office_side(self, import_id: int) -> None:
        """The office's exported messages join the request of the resident message before them."""
        with self.db.reading() as session:
            placed = session.execute(select(Message.sent_at, Message.request_id).where(
                Message.import_id == import_id, Message.direction == "in", Message.request_id.is_not(None))
                .order_by(Message.sent_at)).all()
            office = session.execute(select(Message.id, Message.sent_at).where(
                Message.import_id == import_id, Message.direction == "out").order_by(Message.sent_at)).all()
        if not office:
            return
        groups: dict[int | None, list[int]] = defaultdict(list)
        position, current = 0, placed[0][1] if placed else None
        for msg_id, at in office:  # both sorted by time: one merge pass
            while position < len(placed) and placed[position][0] <= at:
                current = placed[position][1]
                position += 1
            groups[current].append(msg_id)
        now = utcnow()
        for target, ids in groups.items():
            for start in range(0, len(ids), CHUNK):
                with self._import_write() as session:
                    _move(session, ids[start:start + CHUNK], target, now)


def _move(session: Session, ids: list[int], target: int | None, now) -> None:
    for start in range(0, len(ids), 900):
        session.execute(update(Message).where(Message.id.in_(ids[start:start + 900])).values(
            request_id=target, handled_at=now, route_flag=""))
