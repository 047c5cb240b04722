"""Data of a parsed WhatsApp chat export: messages, the detected format, a read bundle."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dikjamila.intake.chat_export.keys import message_key

_PHONE = re.compile(r"^\+?[\d\s\-()]{7,}$")


class MessageKind(enum.StrEnum):
    TEXT = "text"
    MEDIA = "media"  # a file came with the message (`attachment` names it)
    OMITTED = "omitted"  # exported "without media": the file is not in the export
    DELETED = "deleted"
    SYSTEM = "system"  # encryption notice, "X added Y", group changes…


@dataclass(frozen=True, slots=True)
class Message:
    """One message of an export. `at` is local (office) naive time, minute precision."""

    at: dt.datetime
    sender: str | None  # as written (invisible marks and "~ " removed); None for system lines
    text: str  # body; for media the caption ("" when none); lines joined with "\n"
    kind: MessageKind = MessageKind.TEXT
    attachment: str | None = None  # file name as the export names it (zip entry's base name)
    edited: bool = False  # "<This message was edited>" / "<Pesan ini diedit>" (marker removed)
    line: int = 0  # 1-based line of the header in the export

    @property
    def sender_phone(self) -> str | None:
        """Digits of the sender when the sender is a phone number as written, else None."""
        if self.sender and _PHONE.match(self.sender):
            return re.sub(r"\D", "", self.sender)
        return None

    def key(self, file_sha256: str | None = None) -> str:
        """`message_key` of this message (pass the file's sha256 for media)."""
        return message_key(self.sender or "", self.at, self.text, file_sha256)


@dataclass(frozen=True, slots=True)
class ChatFormat:
    """What the parser saw in the file."""

    platform: str  # "android" | "ios" | "unknown" (no message header found)
    day_first: bool  # the order used for the dates
    order_source: str  # "values" (a value above 12), "hints", "caller" or "ambiguous"
    clock_12h: bool
    time_separator: str  # "." or ":"
    hints: tuple[str, ...] = ()  # locale hints found: "id", "en", "a. m.", "12h", "24h"…


@dataclass(frozen=True, slots=True)
class ParsedChat:
    messages: tuple[Message, ...]
    format: ChatFormat
    warnings: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """True when day/month order could not be decided: ask, then parse again with day_first."""
        return self.format.order_source == "ambiguous"

    @property
    def attachments(self) -> tuple[str, ...]:
        return tuple(m.attachment for m in self.messages if m.kind is MessageKind.MEDIA and m.attachment)


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_entries: int = 10_000
    max_total_bytes: int = 2 * 1024**3  # uncompressed, whole archive
    max_ratio: float = 100.0  # uncompressed / compressed, per entry (zip bomb)
    ratio_min_bytes: int = 1024**2  # entries smaller than this are not ratio-checked
    max_chat_bytes: int = 256 * 1024**2  # the chat text itself


@dataclass(frozen=True, slots=True)
class ExportBundle:
    """A read export. Nothing is extracted: `open_entry(name)` reads one file's bytes on demand."""

    chat: ParsedChat
    source: str  # "txt" or "zip"
    chat_entry: str | None  # the .txt entry inside the zip
    encoding: str
    media: dict[str, str] = field(default_factory=dict)  # attachment name -> zip entry name
    missing: tuple[str, ...] = ()  # attachment names with no file in the export
    unreferenced: tuple[str, ...] = ()  # zip entries no message points to
    warnings: tuple[str, ...] = ()
    open_entry: Callable[[str], bytes] | None = None  # None for a .txt export

    def file_of(self, message: Message) -> str | None:
        """The zip entry holding `message`'s file, if the export has it."""
        return self.media.get(message.attachment) if message.attachment else None
