"""What the complaints panel shows: channels, statuses, outcomes and their Indonesian labels,
and the plain dataclasses that cross the desk boundary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ComplaintChannel(StrEnum):
    """How a complaint reached the office."""

    WHATSAPP = "whatsapp"
    WALK_IN = "walk_in"
    PHONE = "phone"
    KIOSK = "kiosk"
    SOCIAL = "social"
    OTHER = "other"


class ComplaintStatus(StrEnum):
    OPEN = "open"  # recorded, nobody handles it yet
    ASSIGNED = "assigned"  # someone handles it
    RESOLVED = "resolved"  # answered; the outcome cannot change any more


class ComplaintOutcome(StrEnum):
    SELESAI = "selesai"  # done as the resident asked
    DIJELASKAN = "dijelaskan"  # explained: nothing to change
    DITOLAK = "ditolak"  # cannot be granted


COMPLAINT_CHANNELS = tuple(c.value for c in ComplaintChannel)
COMPLAINT_STATUSES = tuple(s.value for s in ComplaintStatus)
COMPLAINT_OUTCOMES = tuple(o.value for o in ComplaintOutcome)

# Source texts: pass them through `dikjamila.i18n.tr` where shown.
COMPLAINT_CHANNEL_LABELS = {
    ComplaintChannel.WHATSAPP: "WhatsApp",
    ComplaintChannel.WALK_IN: "Datang langsung",
    ComplaintChannel.PHONE: "Telepon",
    ComplaintChannel.KIOSK: "Kios desa",
    ComplaintChannel.SOCIAL: "Media sosial",
    ComplaintChannel.OTHER: "Lainnya",
}
COMPLAINT_STATUS_LABELS = {
    ComplaintStatus.OPEN: "Belum ditangani",
    ComplaintStatus.ASSIGNED: "Sedang ditangani",
    ComplaintStatus.RESOLVED: "Selesai",
}
#: The outcome as the office's staff read it (the panel's choice list).
COMPLAINT_OUTCOME_LABELS = {
    ComplaintOutcome.SELESAI: "Selesai ditindaklanjuti",
    ComplaintOutcome.DIJELASKAN: "Dijelaskan (tidak ada yang perlu diubah)",
    ComplaintOutcome.DITOLAK: "Ditolak (tidak dapat dipenuhi)",
}
#: The outcome as the resident reads it in `pengaduan_selesai.txt` ({status}).
OUTCOME_FOR_RESIDENT = {
    ComplaintOutcome.SELESAI: "Selesai ditindaklanjuti",
    ComplaintOutcome.DIJELASKAN: "Sudah kami jelaskan",
    ComplaintOutcome.DITOLAK: "Tidak dapat kami penuhi",
}

#: Longest complaint text and answer kept (the answer must fit one WhatsApp message).
MAX_COMPLAINT_TEXT = 4000
MAX_RESOLUTION = 2000


@dataclass(frozen=True)
class ComplaintInfo:
    id: int
    channel: str  # COMPLAINT_CHANNELS
    text: str
    phone: str  # E.164, or "" when not known
    complainant: str  # who complained, as recorded ("" when not known)
    request_id: int | None  # the request it is about, if any
    request_number: str  # "" without a request
    message_id: int | None  # the incoming WhatsApp message it was made from
    status: str  # COMPLAINT_STATUSES
    assignee_id: int | None
    assignee_name: str
    created_by: int | None
    received_at: datetime
    outcome: str  # COMPLAINT_OUTCOMES, "" until resolved
    resolution: str  # what the office did, as the resident is told
    resolved_at: datetime | None
    notice_item_id: int | None  # the outbox item that told the resident; None: nobody to tell


@dataclass(frozen=True)
class ComplaintRatio:
    """Complaints received in a period and how many of those are resolved now."""

    received: int
    resolved: int
    ratio: float | None  # resolved / received; None when nothing was received
