"""Outbox item states and the moves allowed between them (the outbox's `lifecycle.py`).

queued -> sending -> sent -> delivered -> read
sending -> failed -> queued (a retry: the same row)         sending -> handed_over
sending -> uncertain (a crash mid-send, or no acknowledgement before the deadline): never sent
again by itself; an operator decides — it arrived (sent), try again (queued), or cancel.
queued | failed | uncertain -> cancelled -> queued (queued again on purpose).
handed_over | uncertain -> sent: an operator confirms it arrived ("tandai sudah terkirim").

"Kirim lagi" of a message that went out is not a move: it makes a new item (see
`dikjamila.whatsapp.outbox_key`). The desk, the models and the UI use these names only.
"""

from __future__ import annotations

from enum import StrEnum

from dikjamila.errors import Conflict
from dikjamila.i18n import tr


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


LABELS = {
    OutboxState.QUEUED: "dalam antrean",
    OutboxState.SENDING: "sedang dikirim",
    OutboxState.SENT: "terkirim",
    OutboxState.DELIVERED: "sampai",
    OutboxState.READ: "dibaca",
    OutboxState.FAILED: "gagal",
    OutboxState.UNCERTAIN: "perlu dicek",
    OutboxState.HANDED_OVER: "diserahkan ke WhatsApp",
    OutboxState.CANCELLED: "dibatalkan",
}

_NEXT: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.QUEUED: frozenset({OutboxState.SENDING, OutboxState.CANCELLED}),
    OutboxState.SENDING: frozenset({OutboxState.SENT, OutboxState.FAILED, OutboxState.UNCERTAIN,
                                    OutboxState.HANDED_OVER}),
    OutboxState.SENT: frozenset({OutboxState.DELIVERED, OutboxState.READ}),
    OutboxState.DELIVERED: frozenset({OutboxState.READ}),
    OutboxState.READ: frozenset(),
    OutboxState.FAILED: frozenset({OutboxState.QUEUED, OutboxState.CANCELLED}),
    # A late acknowledgement or receipt settles an uncertain send by itself.
    OutboxState.UNCERTAIN: frozenset({OutboxState.SENT, OutboxState.DELIVERED, OutboxState.READ,
                                      OutboxState.QUEUED, OutboxState.CANCELLED}),
    # "Tandai sudah terkirim": an operator confirms what a transport could not.
    OutboxState.HANDED_OVER: frozenset({OutboxState.SENT}),
    OutboxState.CANCELLED: frozenset({OutboxState.QUEUED}),
}

#: The message is (or may be) on its way: queueing the same message again adds nothing.
PENDING_OR_SENT = frozenset({OutboxState.QUEUED, OutboxState.SENDING, OutboxState.SENT, OutboxState.DELIVERED,
                             OutboxState.READ, OutboxState.UNCERTAIN, OutboxState.HANDED_OVER})
#: Queueing the same message again re-queues this row (a retry), it does not add one.
REQUEUE_FROM = frozenset({OutboxState.FAILED, OutboxState.CANCELLED})
#: "Kirim lagi" (a new message on purpose) is offered for these.
WENT_OUT = frozenset({OutboxState.SENT, OutboxState.DELIVERED, OutboxState.READ, OutboxState.HANDED_OVER})


def label(state: str) -> str:
    return tr(LABELS[OutboxState(state)])


def can_move(current: str, target: str) -> bool:
    return OutboxState(target) in _NEXT[OutboxState(current)]


def require_move(current: str, target: str) -> OutboxState:
    """The target state, or Conflict with the reason in Indonesian."""
    if not can_move(current, target):
        raise Conflict(tr("Pesan yang {current} tidak bisa menjadi {target}.",
                          current=label(current), target=label(target)))
    return OutboxState(target)
