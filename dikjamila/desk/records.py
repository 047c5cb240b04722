"""Plain dataclasses that cross the desk boundary (never live ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple


class Channel(StrEnum):
    """How a request reached the office."""

    WHATSAPP = "whatsapp"
    KIOSK = "kiosk"
    WALK_IN = "walk_in"
    IMPORT = "import"


class FileRole(StrEnum):
    """Whose a file on a request is."""

    RESIDENT = "resident"  # sent by the applicant
    ISSUED = "issued"  # the document the office produced


CHANNELS = tuple(c.value for c in Channel)
CHANNEL_LABELS = {Channel.WHATSAPP: "WhatsApp", Channel.KIOSK: "Kios desa", Channel.WALK_IN: "Datang langsung",
                  Channel.IMPORT: "Impor"}
SORT_KEYS = ("received", "number", "applicant", "due", "status", "service")
#: A search shorter than this matches most of a big office: its status counts would take seconds
#: (up to 12 s for one letter on 1,000,000 requests) and tell nothing the operator needs.
MIN_COUNTED_SEARCH = 3


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows. Empty values mean "any"."""

    statuses: tuple[str, ...] = ()
    service: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    channel: str | None = None
    kecamatan: str | None = None
    received_from: date | datetime | None = None
    received_to: date | datetime | None = None
    text: str = ""

    @property
    def worth_counting(self) -> bool:
        """Whether the status counts under this filter tell anything: not for a search of one
        or two characters (the operator is still typing, or it matches nearly everything)."""
        typed = self.text.strip()
        return not typed or len(typed) >= MIN_COUNTED_SEARCH


@dataclass(frozen=True)
class Cursor:
    """Keyset position: the sort value and id of the last row of the previous page."""

    value: object
    id: int


class InboxRow(NamedTuple):
    """One inbox line. A named tuple, not a dataclass: a page makes 200 of them, and a frozen
    dataclass's __init__ cost 0.7 ms a page (a third of the whole query at a million rows)."""

    id: int
    number: str
    received_at: datetime
    applicant_name: str
    applicant_phone: str
    applicant_nik: str
    service_code: str
    kecamatan_code: str
    village_code: str
    channel: str
    status: str
    assignee_id: int | None
    assignee_name: str
    due_at: datetime
    complete: bool
    row_version: int
    suggested_service: str  # while service_code is "" ("belum dipilih")
    attention: str  # "several_open" | "after_close" | ""
    duplicate: bool  # another open request for the same service by the same NIK, phone or KK


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class NewRequest:
    """Input for creating a request from any channel."""

    service_code: str
    applicant_name: str
    channel: str = Channel.WHATSAPP
    applicant_phone: str = ""
    applicant_nik: str = ""
    subject_name: str = ""
    subject_nik: str = ""
    kk_number: str = ""
    kecamatan_code: str = ""
    village_code: str = ""
    facts: dict = field(default_factory=dict)
    received_at: datetime | None = None


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    request_id: int
    blob_sha256: str
    original_name: str
    kind: str
    mime: str
    size: int
    pages: int | None
    requirement_code: str | None
    role: str
    source: str
    created_at: datetime
    caption: str = ""  # what the resident wrote with it
    # The checklist item its name, caption and neighbouring text point to, for the operator to
    # confirm with one click (None: no suggestion, or already on an item).
    suggested_requirement: str | None = None


@dataclass(frozen=True)
class NoteInfo:
    id: int
    author_name: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class RequestDetail:
    id: int
    uuid: str
    number: str
    service_code: str
    sop_version: int | None
    applicant_name: str
    applicant_phone: str
    applicant_nik: str
    subject_name: str
    subject_nik: str
    kk_number: str
    facts: dict
    kecamatan_code: str
    village_code: str
    channel: str
    status: str
    complete: bool
    assignee_id: int | None
    assignee_name: str
    received_at: datetime
    updated_at: datetime
    due_at: datetime
    closed_at: datetime | None
    reject_reason: str
    row_version: int
    attachments: list[AttachmentInfo] = field(default_factory=list)
    notes: list[NoteInfo] = field(default_factory=list)
    # Intake: the service the resident's words suggest while service_code is "" ("belum
    # dipilih"), their first text, and why the request is marked ("several_open", "after_close").
    suggested_service: str = ""
    request_text: str = ""
    attention: str = ""


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    role: str
    active: bool
