"""The outbox runner: claims queued items one by one and sends them through a transport.

It runs on a thread of its own (the workstation on the WhatsApp PC, or `dikjamila whatsapp
run` / `dikjamila outbox run`), never on the GUI thread. An item is claimed (`sending`) in the
database before the transport is called, and its outcome recorded after: a runner that dies in
between leaves it `sending`, which the next start turns into `uncertain` — never sent twice by
itself, never lost. Each run claims as a claimant of its own, held alive for the run (see
`OutboxRunnerOps.hold_claimant`), so a runner starting on another PC leaves its items alone.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.whatsapp.transports.base import SendOutcome, SendStatus, Transport

if TYPE_CHECKING:
    from dikjamila.desk.outbox_runner import Claimant

log = logging.getLogger(__name__)

#: Longest pause between two looks at the queue (a newly queued item waits at most this long).
POLL_S = 1.0
#: How often the runner makes sure today's audit head is queued to the supervisor (once a day).
ANCHOR_EVERY_S = 600.0
#: How often the runner takes what village kiosks delivered (`desk.take_kiosk_submissions`).
KIOSK_EVERY_S = 60.0


@dataclass
class RunSummary:
    sent: int = 0
    handed_over: int = 0
    failed: int = 0
    uncertain: int = 0
    recovered: list[int] = field(default_factory=list)
    stopped_because: str = ""


class OutboxRunner:
    def __init__(self, desk, transport: Transport, *, accounts: tuple[str, ...], stop: threading.Event | None = None,
                 paced: bool | None = None):
        self.desk = desk
        self.transport = transport
        self.accounts = accounts
        self.stop_event = stop or threading.Event()
        self.paced = getattr(transport, "paced", False) if paced is None else paced
        self._claimant: Claimant | None = None  # this run's, from its first use to the run's end

    def run_forever(self) -> RunSummary:
        """Send until `stop_event` is set. Database trouble is logged and retried, never fatal."""
        summary = RunSummary()
        try:
            self._recover(summary)
            next_anchor = next_kiosk = 0.0
            while not self.stop_event.is_set():
                if time.monotonic() >= next_anchor:
                    next_anchor = time.monotonic() + ANCHOR_EVERY_S
                    self._queue_audit_head()
                if time.monotonic() >= next_kiosk:
                    next_kiosk = time.monotonic() + KIOSK_EVERY_S
                    self._take_kiosk_submissions()
                try:
                    wait = self._step(summary)
                except UserError as exc:  # the database is away: the item (if any) stays where it was
                    log.warning("outbox runner: %s", exc.message)
                    wait = 5.0
                self.stop_event.wait(min(wait, POLL_S) if wait else 0)
        finally:
            self._let_go()
        return summary

    def run_once(self) -> RunSummary:
        """Send what is due now (waiting out the pacing gap), then return."""
        summary = RunSummary()
        try:
            self._recover(summary)
            while not self.stop_event.is_set():
                if not self._ready():
                    summary.stopped_because = tr("WhatsApp kantor belum terhubung.")
                    break
                claim = self._claim()
                if claim.message is None:
                    if claim.reason and claim.wait_seconds and "jeda antarpesan" in claim.reason.lower():
                        self.stop_event.wait(claim.wait_seconds)
                        continue
                    summary.stopped_because = claim.reason
                    break
                self._send(claim.message, summary)
        finally:
            self._let_go()
        return summary

    def _queue_audit_head(self) -> None:
        """Today's audit head to the supervisor (the desk queues it once a day; see desk/anchor.py)."""
        queue = getattr(self.desk, "queue_audit_head", None)
        if queue is None:
            return
        try:
            queue()
        except UserError as exc:  # no number, a wrong number, the database away: sending goes on
            log.warning("audit head not queued: %s", exc.message)
        except Exception:  # a bug here must not stop the residents' messages
            log.exception("audit head not queued")

    def _take_kiosk_submissions(self) -> None:
        """Kiosk submissions into requests: here because this is the office's one always-running
        loop, and each request made queues the resident's message that this runner then sends.
        Safe on several PCs at once (a submission becomes a request once, by its uuid)."""
        take = getattr(self.desk, "take_kiosk_submissions", None)
        if take is None:
            return
        try:
            report = take()
        except UserError as exc:  # the database is away: the next round tries again
            log.warning("kiosk submissions not taken: %s", exc.message)
        except Exception:  # a bug here must not stop the residents' messages
            log.exception("kiosk submissions not taken")
        else:
            if report.taken:
                log.info("kiosk submissions taken: %s", ", ".join(report.taken))

    def _ready(self) -> bool:
        ready = getattr(self.transport, "ready", None)
        return ready() if ready is not None else True

    def _hold(self) -> str:
        """This run's claimant, held from its first use: while it is, other runners (on any PC,
        on PostgreSQL) leave the items it took alone."""
        if self._claimant is None:
            self._claimant = self.desk.hold_claimant()
        return self._claimant.name

    def _let_go(self) -> None:
        """The run ends: whatever it left `sending` is now for the next runner to recover."""
        claimant, self._claimant = self._claimant, None
        if claimant is not None:
            claimant.let_go()

    def _claim(self):
        return self.desk.claim_next(accounts=self.accounts, transport=self.transport.name, paced=self.paced,
                                    claimant=self._hold())

    def _recover(self, summary: RunSummary) -> None:
        try:
            summary.recovered = self.desk.recover_interrupted(self.accounts, claimant=self._hold())
        except UserError as exc:
            log.warning("outbox runner could not check interrupted sends: %s", exc.message)
        if summary.recovered:
            log.warning("outbox items %s were being sent when the runner stopped: now uncertain", summary.recovered)

    def _step(self, summary: RunSummary) -> float:
        if not self._ready():
            return POLL_S  # not linked or offline: leave the items queued, nothing fails
        claim = self._claim()
        if claim.message is None:
            return claim.wait_seconds or POLL_S
        self._send(claim.message, summary)
        return 0.0

    def _send(self, message, summary: RunSummary) -> None:
        try:
            outcome = self.transport.send(message)
        except Exception:  # a bug in a transport: it may have sent, so never retry by itself
            log.exception("transport %s failed on outbox item %s", self.transport.name, message.item_id)
            outcome = SendOutcome(SendStatus.UNCERTAIN, error=tr(
                "Terjadi kesalahan saat mengirim; belum pasti pesan ini sampai. Lihat log."))
        if outcome.status == SendStatus.SENT:
            summary.sent += 1
        elif outcome.status == SendStatus.HANDED_OVER:
            summary.handed_over += 1
        elif outcome.status == SendStatus.UNCERTAIN:
            summary.uncertain += 1
        else:
            summary.failed += 1
        if outcome.status not in (SendStatus.SENT, SendStatus.HANDED_OVER):
            log.warning("outbox item %s: %s (%s)", message.item_id, outcome.status, outcome.detail or outcome.error)
        self.desk.record_outcome(message.item_id, outcome)
