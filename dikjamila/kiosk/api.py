"""What the kiosk screen asks of the kiosk's core: the records it shows and the station's calls.

The kiosk (a village outpost's touch-screen PC) works on its own SQLite database and delivers
what residents submitted to the office when the office can be reached (store and forward, see
`dikjamila.kiosk.station`). The screen (`ui/kiosk/`) only ever talks to a `KioskStation`
through the calls listed in `KioskStationApi`; it never sees the office's data. All texts in
these records are Bahasa Indonesia, ready to show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class KioskService:
    """A service a resident can ask for at the kiosk."""

    code: str
    name: str  # "Akta Kelahiran"
    description: str  # one plain line: what it is for
    icon: str  # a name from resources/kiosk/icons (e.g. "bayi"); "" → a generic icon
    result: str  # "pdf" (sent to WhatsApp, printed at home) | "card" (picked up at the office)


@dataclass(frozen=True)
class KioskQuestion:
    """A yes/no question that decides which documents are needed (an SOP condition's fact)."""

    fact: str
    text: str  # "Apakah bayi lahir di rumah sakit?"


@dataclass(frozen=True)
class KioskDocument:
    """One document to photograph or pick from a folder, for the answers given."""

    code: str  # the SOP requirement code (or a group's code)
    label: str
    note: str = ""
    kinds: tuple[str, ...] = ("image", "pdf")
    min_files: int = 1
    optional: bool = False


@dataclass(frozen=True)
class KioskFile:
    """A photo or PDF taken for the draft, kept by the kiosk until the office has it."""

    document_code: str
    path: Path  # the kiosk's own copy (never the USB stick or the scanner folder)
    sha256: str
    size: int
    kind: str  # "image" | "pdf"
    original_name: str


@dataclass
class KioskDraft:
    """Everything entered for one submission so far (wiped on idle reset or after submit)."""

    service_code: str = ""
    answers: dict[str, bool] = field(default_factory=dict)
    applicant_name: str = ""
    applicant_phone: str = ""
    applicant_nik: str = ""
    files: list[KioskFile] = field(default_factory=list)


@dataclass(frozen=True)
class KioskReceipt:
    """What the resident takes home: the kiosk number (`KIOS-<desa>-NNNN`) and its receipt PDF."""

    kiosk_number: str
    uuid: str
    created_at: datetime
    pdf: bytes


@dataclass(frozen=True)
class StatusAnswer:
    """The answer to a status check: only the status in plain words and what happens next."""

    found: bool
    number: str = ""  # as the resident typed it, normalised
    status_text: str = ""  # "Sedang diperiksa petugas"
    next_step: str = ""  # "Tunggu pesan WhatsApp dari kantor."
    message: str = ""  # when not found or slowed down: why, in plain words
    wait_seconds: int = 0  # > 0 after repeated wrong tries: ask again after this long
    finished: bool = False  # the office has finished it: the satisfaction survey may be filled in


class KioskStationApi(Protocol):
    """The calls the kiosk screen makes. Each raises `dikjamila.errors.InvalidInput` (message in
    Indonesian) for bad input and never blocks on the office's server."""

    def services(self) -> list[KioskService]: ...

    def questions(self, service_code: str) -> list[KioskQuestion]: ...

    def documents(self, service_code: str, answers: dict[str, bool]) -> list[KioskDocument]: ...

    def check_identity(self, name: str, phone: str, nik: str) -> dict[str, str]:
        """Problems by field ("name", "phone", "nik"), each an Indonesian sentence; {} when fine."""
        ...

    def add_file(self, draft: KioskDraft, document_code: str, source: Path) -> KioskFile:
        """Copy a photo/PDF into the kiosk (checked: decodes, not too big) and add it to `draft`."""
        ...

    def remove_file(self, draft: KioskDraft, file: KioskFile) -> None: ...

    def missing(self, draft: KioskDraft) -> list[str]:
        """Labels of the required documents the draft has no file for yet."""
        ...

    def submit(self, draft: KioskDraft) -> KioskReceipt:
        """Store the submission for delivery; refused (InvalidInput naming the items) if incomplete."""
        ...

    def status(self, number: str, phone_last4: str) -> StatusAnswer: ...

    def record_survey(self, number: str, phone_last4: str, scores: dict[str, int]) -> None:
        """U1..U9 → 1..4, for a finished request; kept and delivered like submissions."""
        ...

    def last_reached(self) -> datetime | None:
        """When the office was last reached (for "Terakhir terhubung ke kantor: ...")."""
        ...

    def pending_count(self) -> int: ...

    def check_pin(self, pin: str) -> bool:
        """The admin PIN that lets someone leave kiosk mode."""
        ...
