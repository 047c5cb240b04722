"""How an outgoing message's state looks: the mark beside it (as in WhatsApp) and its colour."""

from __future__ import annotations

from dataclasses import dataclass

from dikjamila.whatsapp.outbox_state import OutboxState
from dikjamila.whatsapp.outbox_state import label as state_label

READ_BLUE = "#0284c7"
GREY = "#6b7280"
RED = "#b91c1c"


@dataclass(frozen=True)
class Mark:
    symbol: str
    colour: str
    label: str  # Indonesian, e.g. "dibaca"
    problem: bool = False  # failed or uncertain: the operator should look


_SYMBOLS = {
    OutboxState.QUEUED: ("🕓", GREY),
    OutboxState.SENDING: ("🕓", GREY),
    OutboxState.SENT: ("✓", GREY),
    OutboxState.DELIVERED: ("✓✓", GREY),
    OutboxState.READ: ("✓✓", READ_BLUE),
    OutboxState.FAILED: ("!", RED),
    OutboxState.UNCERTAIN: ("!", RED),
    OutboxState.HANDED_OVER: ("↗", GREY),
    OutboxState.CANCELLED: ("⊘", GREY),
}


def mark(state: str) -> Mark:
    """The mark of an outbox state ("" symbol for a state this version does not know)."""
    try:
        known = OutboxState(state)
    except ValueError:
        return Mark("", GREY, state)
    symbol, colour = _SYMBOLS[known]
    return Mark(symbol, colour, state_label(known), known in (OutboxState.FAILED, OutboxState.UNCERTAIN))
