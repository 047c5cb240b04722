"""Proving the audit trail against a head kept outside the database.

`audit.verify` recomputes the chain, so it catches a careless edit — but anyone who can write
the database can edit events, recompute every hash after them and fix the stored head, and the
chain is then "utuh" again. What such a writer cannot change is a head written down earlier
somewhere else: on a printed report, in a backup's manifest, in the WhatsApp message the
supervisor received. `verify_against_head` checks that the chain as it is now still passes
through that head: event number COUNT (in order) still carries HASH, and everything before it
recomputes. An edit before that point changes HASH; a deleted tail leaves fewer than COUNT
events; a deleted event in between shifts which event is number COUNT.

A head is written `COUNT:HASH`. A printed page may carry only the first 16 hex digits of the
hash (`ChainHead.short`); any prefix of at least 16 digits is accepted — a forger would have to
find a different history whose hash starts with the same 64 bits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.audit import GENESIS, AuditProblem, _digest, verify
from dikjamila.db.models import AuditEvent
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

MIN_HASH_DIGITS = 16
_HEAD = re.compile(r"^\s*(\d{1,12})\s*[:;]\s*([0-9a-fA-F]+)\s*$")


@dataclass(frozen=True)
class RecordedHead:
    """A head as someone wrote it down: the event count and (a prefix of) the newest hash."""

    count: int
    hash_prefix: str

    def __str__(self) -> str:
        return f"{self.count}:{self.hash_prefix}"


def parse_head(text: str) -> RecordedHead:
    """Read `COUNT:HASH` as typed from a report or a message (spaces, upper case tolerated)."""
    compact = re.sub(r"(?<=[0-9a-fA-F])\s+(?=[0-9a-fA-F])", "", text or "")
    match = _HEAD.match(compact)
    if not match:
        raise InvalidInput(tr(
            "Kepala rantai '{text}' tidak bisa dibaca. Tuliskan seperti tercetak di laporan: "
            "JUMLAH:HASH, mis. 1523:9f2c4e1a0b7d3e55 (paling sedikit {n} angka/huruf hash).",
            text=(text or "").strip()[:80], n=MIN_HASH_DIGITS))
    count, digest = int(match.group(1)), match.group(2).lower()
    if len(digest) < MIN_HASH_DIGITS or len(digest) > 64:
        raise InvalidInput(tr(
            "Hash pada kepala rantai harus {n} sampai 64 angka/huruf (a–f); yang diberikan {got}.",
            n=MIN_HASH_DIGITS, got=len(digest)))
    return RecordedHead(count, digest)


def verify_against_head(session: Session, head: RecordedHead, batch: int = 5000) -> list[AuditProblem]:
    """Problems with the history up to `head` (empty: unchanged), then the chain's own check."""
    problems: list[AuditProblem] = []
    if head.count == 0:
        if not GENESIS.startswith(head.hash_prefix):
            problems.append(AuditProblem(None, tr("Kepala rantai dengan 0 peristiwa harus berhash nol.")))
        return problems + verify(session, batch)
    prev_hash, seen, last_id = GENESIS, 0, 0
    while seen < head.count:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
            .limit(min(batch, head.count - seen))).all()
        if not events:
            break
        for ev in events:
            seen += 1
            recomputed = _digest(ev.prev_hash, ev.at, ev.actor_id, ev.actor_name, ev.action,
                                 ev.entity_type, ev.entity_id, ev.summary_json)
            if ev.prev_hash != prev_hash or recomputed != ev.hash:
                problems.append(AuditProblem(ev.id, tr(
                    "Peristiwa #{id} (ke-{n}) tidak sesuai rantainya — riwayat sebelum kepala yang dicatat "
                    "telah diubah.", id=ev.id, n=seen)))
                return problems
            prev_hash, last_id = ev.hash, ev.id
    if seen < head.count:
        problems.append(AuditProblem(None, tr(
            "Jejak audit kini hanya berisi {seen} peristiwa, padahal kepala yang dicatat menyebut {count} — "
            "peristiwa telah dihapus.", seen=seen, count=head.count)))
        return problems
    if not prev_hash.startswith(head.hash_prefix):
        problems.append(AuditProblem(last_id, tr(
            "Peristiwa ke-{count} (#{id}) kini berhash {now}…, padahal yang dicatat {then}… — riwayat sampai "
            "titik itu telah diubah lalu dihitung ulang, atau ada peristiwa yang dihapus.",
            count=head.count, id=last_id, now=prev_hash[:16], then=head.hash_prefix[:16])))
        return problems
    return problems + verify(session, batch)
