"""The outbox runner's side of the desk: claim the next item, record what the transport said.

Claiming is one conditional UPDATE (`state = 'queued'` still true), so two runners never take
the same item; on PostgreSQL the item is first locked with SKIP LOCKED, so runners on several
PCs take different items at once. The runner's pacing lives here too, because it must hold
across restarts and across PCs: a minimum gap between two sends of one number, a daily cap,
and the office-wide "Jeda semua pengiriman" switch (a database value, so every PC sees it).

Every item taken names its claimant (one run of one runner: PC, process, token). A runner that
starts turns into `uncertain` only the items left `sending` by claimants that are gone: on
PostgreSQL another PC's runner sending right now holds a lock that says it is not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.dialects.claimants import new_claimant
from dikjamila.db.models import Attachment, Message, MetaValue, OutboxItem, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.outbox import OutboxInfo, OutboxOps, _info
from dikjamila.desk.records import FileRole
from dikjamila.desk.survey_common import invite_when_finished
from dikjamila.desk.timezone import WITA, local_day_start
from dikjamila.i18n import tr
from dikjamila.lifecycle import Status
from dikjamila.whatsapp.outbox_state import OutboxState
from dikjamila.whatsapp.transports.base import Outgoing, SendOutcome, SendStatus

log = logging.getLogger(__name__)

PAUSED_KEY = "outbox.paused"
#: Retry pauses after a failure: 30 s, 1, 2, 4, 8 … minutes, at most 30.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=30)


@dataclass(frozen=True)
class Claim:
    """What the runner got: an item to send now, or how long to wait before asking again."""

    message: Outgoing | None
    wait_seconds: float = 0.0
    reason: str = ""  # why nothing was claimed (paused, daily cap, pacing), Indonesian


@dataclass(frozen=True)
class Claimant:
    """One run of one runner, as the items it takes name it (`claimed_by`); other runners see it
    alive until `let_go()` (or until its process ends, in any way)."""

    name: str
    let_go: Callable[[], None]


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_RETRY)


class OutboxRunnerOps(OutboxOps):
    # -- the pause switch -----------------------------------------------------------------
    @db_call
    def sending_paused(self) -> bool:
        with self.db.reading() as session:
            row = session.get(MetaValue, PAUSED_KEY)
            return bool(row and row.value == "1")

    @db_call
    def set_sending_paused(self, paused: bool) -> None:
        """"Jeda semua pengiriman": nothing leaves any PC until it is switched off again."""
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            row = session.get(MetaValue, PAUSED_KEY)
            if row is None:
                session.add(MetaValue(key=PAUSED_KEY, value="1" if paused else "0"))
            else:
                row.value = "1" if paused else "0"
            self._changed(session, ChangeKind.OUTBOX, "paused")
            self._audit(session, "outbox.pause" if paused else "outbox.resume", "outbox", "-", {})

    # -- claiming ---------------------------------------------------------------------------
    @db_call
    def hold_claimant(self) -> Claimant:
        """A new claimant for one run of a runner, seen alive by every runner until it lets go."""
        name = new_claimant()
        return Claimant(name, self.db.dialect.hold_claimant(self.db.url, name))

    @db_call
    def recover_interrupted(self, accounts: tuple[str, ...], *, claimant: str = "") -> list[int]:
        """Items left `sending` by a runner that is gone: they may have gone out → `uncertain`.

        Items of `claimant` (the caller's own) and of claimants still alive are being sent now
        and stay. An item with no claimant was taken before claimants existed: gone.
        """
        with self.db.writing() as session:
            # NOTE: locked (in id order): a runner recording its outcome is waited for and its item
            # read as it left it, so an item just sent is never turned back into `uncertain`.
            items = session.scalars(select(OutboxItem).where(
                OutboxItem.state == OutboxState.SENDING, OutboxItem.account.in_(accounts))
                .order_by(OutboxItem.id).with_for_update()).all()
            alive: dict[str, bool] = {}
            gone = []
            for item in items:
                owner = item.claimed_by
                if owner and owner == claimant:
                    continue
                if owner not in alive:
                    alive[owner] = self.db.dialect.claimant_alive(session, owner)
                if alive[owner]:
                    continue
                item.last_error = tr("Pengirim berhenti saat mengirim; belum pasti pesan ini sampai.")
                self._move(session, item, OutboxState.UNCERTAIN, action="outbox.uncertain")
                gone.append(item.id)
            return gone

    @db_call
    def claim_next(self, *, accounts: tuple[str, ...], transport: str, paced: bool = True,
                   now: datetime | None = None, claimant: str = "") -> Claim:
        """Take the oldest item due for one of `accounts` (an item with account "" goes from the
        first), if the pause switch, the daily cap and the gap allow a send now. Transports that
        cannot get the number banned (a folder, the Cloud API) are not paced. The item names
        `claimant` (`hold_claimant`); with none, any runner's recovery takes it for gone."""
        now = now or utcnow()
        with self.db.writing() as session:
            paused = session.get(MetaValue, PAUSED_KEY)
            if paused is not None and paused.value == "1":
                return Claim(None, 5.0, tr("Pengiriman dijeda."))
            if paced and (claim := self._pacing(session, accounts, now)) is not None:
                return claim
            return self._take(session, accounts, transport, now, claimant)

    def _pacing(self, session: Session, accounts: tuple[str, ...], now: datetime) -> Claim | None:
        settings = self.settings
        day_start = local_day_start(now.astimezone(WITA).date())
        sent_today = session.scalar(select(func.count()).select_from(OutboxItem).where(
            OutboxItem.account.in_(accounts), OutboxItem.last_attempt_at >= day_start)) or 0
        if sent_today >= settings.whatsapp_daily_cap:
            return Claim(None, 60.0, tr("Batas harian {cap} pesan tercapai.", cap=settings.whatsapp_daily_cap))
        last = session.scalar(select(func.max(OutboxItem.last_attempt_at)).where(
            OutboxItem.account.in_(accounts)))
        gap = timedelta(seconds=settings.whatsapp_min_gap_seconds)
        if last is not None and now - last < gap:
            return Claim(None, (gap - (now - last)).total_seconds(), tr("Menunggu jeda antarpesan."))
        return None

    def _take(self, session: Session, accounts: tuple[str, ...], transport: str, now: datetime,
              claimant: str) -> Claim:
        # NOTE: on PostgreSQL runners on several PCs claim at once: the oldest item nobody holds
        # is locked (FOR UPDATE SKIP LOCKED), so they take different items instead of queueing on
        # one. SQLite drops the clause: its writers already run one at a time (BEGIN IMMEDIATE).
        item = session.scalar(select(OutboxItem).where(
            OutboxItem.account.in_(accounts),
            or_(OutboxItem.state == OutboxState.QUEUED,
                (OutboxItem.state == OutboxState.FAILED) & (OutboxItem.next_attempt_at <= now)))
            .order_by(OutboxItem.id).limit(1).with_for_update(skip_locked=True))
        if item is None:
            return Claim(None, 1.0)
        if item.state == OutboxState.FAILED:  # an automatic retry: failed -> queued -> sending
            self._move(session, item, OutboxState.QUEUED, action="outbox.retry")
            session.flush()
        # Conditional: if another runner took it meanwhile, this matches nothing.
        taken = session.execute(update(OutboxItem).where(
            OutboxItem.id == item.id, OutboxItem.state == OutboxState.QUEUED).values(
            state=OutboxState.SENDING, attempts=OutboxItem.attempts + 1, updated_at=now, last_attempt_at=now,
            transport=transport, next_attempt_at=None, claimed_by=claimant)).rowcount
        if taken != 1:
            return Claim(None, 0.0)
        session.refresh(item)
        self._changed(session, ChangeKind.OUTBOX, item.id)
        if item.request_id is not None:
            self._changed(session, ChangeKind.CONVERSATION, item.request_id)
        return Claim(self._outgoing(session, item, accounts))

    def _outgoing(self, session: Session, item: OutboxItem, accounts: tuple[str, ...]) -> Outgoing:
        document = self.store.path(item.blob_sha256) if item.blob_sha256 else None
        last_in = session.scalar(select(Message.sent_at).where(
            Message.direction == "in", Message.sender_phone == item.recipient).order_by(Message.id.desc()).limit(1))
        return Outgoing(item_id=item.id, recipient=item.recipient, text=item.text, template=item.template,
                        document=document, document_name=item.document_name or "dokumen.pdf",
                        document_sha256=item.blob_sha256, account=item.account or accounts[0],
                        last_incoming_at=last_in)

    # -- outcomes ---------------------------------------------------------------------------
    @db_call
    def record_outcome(self, item_id: int, outcome: SendOutcome) -> OutboxInfo:
        """What the transport said about a claimed item; a confirmed document moves its
        request from `terbit` to `terkirim` (audited)."""
        with self.db.writing() as session:
            item = session.get(OutboxItem, item_id)
            if item is None or item.state != OutboxState.SENDING:
                log.warning("outcome for outbox item %s ignored: not sending", item_id)
                return _info(item) if item is not None else None  # type: ignore[return-value]
            if outcome.status == SendStatus.SENT:
                item.wa_message_id = outcome.message_id or None
                item.server_time = outcome.server_time or utcnow()
                item.sent_sha256 = outcome.sha256
                item.last_error = ""
                self._move(session, item, OutboxState.SENT, action="outbox.sent")
                self._audit_sent(session, item, by="whatsapp")
                self._document_went_out(session, item)
            elif outcome.status == SendStatus.HANDED_OVER:
                item.sent_sha256 = outcome.sha256
                item.last_error = ""
                self._move(session, item, OutboxState.HANDED_OVER, action="outbox.handed_over")
            elif outcome.status == SendStatus.UNCERTAIN:
                item.last_error = outcome.error[:2000]
                self._move(session, item, OutboxState.UNCERTAIN, action="outbox.uncertain")
            else:
                item.last_error = outcome.error[:2000]
                retry = (outcome.status == SendStatus.FAILED
                         and item.attempts < self.settings.whatsapp_max_attempts)
                item.next_attempt_at = utcnow() + retry_delay(item.attempts) if retry else None
                self._move(session, item, OutboxState.FAILED, action="outbox.failed")
            return _info(item)

    @db_call
    def record_receipt(self, wa_message_ids: list[str], kind: str) -> list[int]:
        """The resident's phone got (`delivered`) or opened (`read`) these messages."""
        target = OutboxState.READ if kind == "read" else OutboxState.DELIVERED
        moved = []
        with self.db.writing() as session:
            for item in session.scalars(select(OutboxItem).where(OutboxItem.wa_message_id.in_(wa_message_ids))):
                if item.state == target or (item.state == OutboxState.READ):
                    continue
                if item.state in (OutboxState.SENT, OutboxState.DELIVERED, OutboxState.UNCERTAIN):
                    self._move(session, item, target, action=f"outbox.{target.value}")
                    moved.append(item.id)
        return moved

    @db_call
    def mark_sent_by_hand(self, item_id: int) -> OutboxInfo:
        """"Tandai sudah terkirim": an operator saw it arrive (uncertain or handed over)."""
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            item = self._load_item(session, item_id)
            item.marked_sent_by = self.actor.username
            item.server_time = None
            self._move(session, item, OutboxState.SENT, action="outbox.mark_sent")
            self._audit_sent(session, item, by=self.actor.username)
            self._document_went_out(session, item)
            return _info(item)

    @db_call
    def outbox_list(self, *, states: tuple[str, ...] = (), limit: int = 500) -> list[OutboxInfo]:
        """The outbox panel: newest first, optionally only some states."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            query = select(OutboxItem).order_by(OutboxItem.id.desc()).limit(limit)
            if states:
                query = query.where(OutboxItem.state.in_(states))
            return [_info(o) for o in session.scalars(query)]

    # -- helpers ----------------------------------------------------------------------------
    def _audit_sent(self, session: Session, item: OutboxItem, *, by: str) -> None:
        # A message of no request (an answer to a stranger, a complaint's outcome, the audit
        # head) is audited on the outbox item.
        entity, entity_id = ("request", item.request_id) if item.request_id is not None else ("outbox", item.id)
        self._audit(session, "outbox.delivered_to_whatsapp", entity, entity_id, {
            "outbox_id": item.id, "to": item.recipient, "from": item.account, "document": item.document_name,
            "sha256": item.sent_sha256 or item.blob_sha256, "wa_id": item.wa_message_id,
            "server_time": item.server_time.isoformat() if item.server_time else None, "by": by})

    def _document_went_out(self, session: Session, item: OutboxItem) -> None:
        """The issued PDF reached WhatsApp: the request is `terkirim` (never by a text alone)."""
        if item.request_id is None or not item.blob_sha256:
            return
        req = session.get(Request, item.request_id)
        issued = session.scalar(select(Attachment.id).where(
            Attachment.request_id == item.request_id, Attachment.role == FileRole.ISSUED,
            Attachment.blob_sha256 == item.blob_sha256).limit(1))
        if req is None or issued is None or req.status != Status.TERBIT:
            return
        req.status = Status.TERKIRIM
        self._touch(req)
        self._audit(session, "request.advance", "request", req.id, {
            "from": Status.TERBIT.value, "to": Status.TERKIRIM.value, "by_outbox": item.id,
            "reason": tr("Dokumen terkonfirmasi terkirim lewat WhatsApp.")})
        invite_when_finished(self, session, req)  # the IKM survey, once finished (a setting)
