"""What of an exported chat the office already has: messages received live or imported before.

Exports carry no message ids, only the minute (office time), the contact's name and the text,
so a message is known when one with the same `content_key` (minute + text) came from the
same person: the same number, or, for a chat imported without one, the same name. Files are
compared by sha256; a message whose file was left out of the export ("media tidak
disertakan") matches one that has a file. Each stored message answers at most one exported
one, so two identical "ok" in one minute stay two.

The office's side may also have gone out through the outbox: an item to the resident's number
with the same text, sent within a day of the exported time, is the same message.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.db.models import Message, OutboxItem
from dikjamila.intake.chat_export import normalise

BATCH = 500
OUTBOX_SLACK = timedelta(days=1)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def stored_by_key(session: Session, keys: Iterable[str]) -> dict[str, list[Message]]:
    """Stored messages by content key (only the keys asked for)."""
    found: dict[str, list[Message]] = defaultdict(list)
    for chunk in _chunks(sorted(set(keys))):
        for msg in session.scalars(select(Message).where(Message.content_key.in_(chunk)).order_by(Message.id)):
            found[msg.content_key].append(msg)
    return found


#: A resident's number is learned from this many matching live messages, or from two when
#: they are at least a quarter of the resident's exported texts: one "ok" sent in the same
#: minute by someone else must not make an 800-message chat theirs.
LEARN_MATCHES = 3


def learn_phone(candidates: Iterable[Message], *, out_of: int) -> str:
    """The number most of a resident's matched live messages came from ("" when unsure)."""
    votes = Counter(m.sender_phone for m in candidates if m.direction == "in" and m.sender_phone)
    if not votes:
        return ""
    phone, count = votes.most_common(1)[0]
    enough = count >= LEARN_MATCHES or (count >= 2 and count * 4 >= out_of)
    return phone if enough and count * 2 > sum(votes.values()) else ""


class KnownMatcher:
    """Answers "is this exported message already stored?", using each stored one once."""

    def __init__(self, stored: dict[str, list[Message]]):
        self._stored = stored
        self._used: set[int] = set()

    def take(self, key: str, *, incoming: bool, phone: str, name: str, sha256: str | None,
             omitted: bool) -> bool:
        folded = " ".join(name.split()).casefold()
        fitting = []
        for msg in self._stored.get(key, ()):
            if msg.id in self._used or (msg.direction == "in") != incoming:
                continue
            if incoming and not (msg.sender_phone == phone if phone and msg.sender_phone
                                 else " ".join(msg.sender.split()).casefold() == folded):
                continue
            fitting.append(msg)
        if sha256:
            same = [m for m in fitting if m.blob_sha256 == sha256]
            fitting = same or [m for m in fitting if not m.blob_sha256]
        elif omitted:
            fitting = [m for m in fitting if m.blob_sha256] or fitting
        else:
            fitting = [m for m in fitting if not m.blob_sha256]
        if not fitting:
            return False
        self._used.add(fitting[0].id)
        return True


class OutboxTexts:
    """What the outbox sent to one resident, to tell an exported office message already sent."""

    def __init__(self, session: Session, phone: str):
        self._sent: dict[str, list[datetime]] = defaultdict(list)
        if not phone:
            return
        for text, created in session.execute(select(OutboxItem.text, OutboxItem.created_at).where(
                OutboxItem.recipient == phone)):
            self._sent[" ".join(normalise(text).split())].append(created)

    def has(self, text: str, at: datetime) -> bool:
        """Whether `text` went to the resident within a day of `at`."""
        times = self._sent.get(" ".join(normalise(text).split()), ())
        return any(abs(created - at) <= OUTBOX_SLACK for created in times)
