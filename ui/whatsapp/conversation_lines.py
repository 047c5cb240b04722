"""The lines of a request's conversation tab, with what the desk's conversation leaves out.

`Desk.conversation` gives time, direction, sender, text and the outbox state. The tab also
shows an outgoing message's error and document name (from `Desk.outbox_for`) and an incoming
message's file and note (from `Desk.incoming_message`, for the messages the request's history
says it received). Incoming messages are matched to their entries by time and text.

NOTE: when `ConversationEntry` carries the message id and file fields itself, `build_lines`
becomes a plain copy and `received_message_ids` can go.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from dikjamila.audit import AuditRecord
from dikjamila.desk import ConversationEntry
from dikjamila.desk.incoming import IncomingInfo
from dikjamila.desk.outbox import OutboxInfo
from dikjamila.i18n import tr

AUDIO = {".opus", ".ogg", ".oga", ".m4a", ".mp3", ".aac", ".amr", ".wav"}
WORD = {".doc", ".docx", ".odt", ".rtf"}
VIDEO = {".mp4", ".3gp", ".mov", ".mkv"}


@dataclass(frozen=True)
class Line:
    at: datetime
    direction: str  # "in" | "out"
    sender: str
    text: str
    state: str = ""  # outgoing: the outbox state
    outbox_id: int | None = None
    document_name: str = ""  # outgoing: the document sent with it
    last_error: str = ""
    message_id: int | None = None  # incoming: the message, for its file
    file_sha256: str | None = None
    file_name: str = ""
    file_kind: str = ""  # "image" | "pdf" | "other" | ""
    file_note: str = ""  # why the file is not on the checklist (or was not kept)
    has_document: bool = False


def received_message_ids(history: list[AuditRecord]) -> list[int]:
    """The ids of the messages the request received, from its audit history."""
    ids = []
    for rec in history:
        value = (rec.summary or {}).get("message_id") if rec.action == "message.receive" else None
        if isinstance(value, int) and value not in ids:
            ids.append(value)
    return ids


def build_lines(entries: list[ConversationEntry], outbox: list[OutboxInfo],
                incoming: list[IncomingInfo]) -> list[Line]:
    by_item = {o.id: o for o in outbox}
    received: dict[tuple, list[IncomingInfo]] = defaultdict(list)
    for info in incoming:
        received[(info.at, info.text)].append(info)
    lines = []
    for e in entries:
        if e.direction == "out":
            o = by_item.get(e.outbox_id) if e.outbox_id is not None else None
            lines.append(Line(e.at, "out", e.sender, e.text, e.state, e.outbox_id,
                              document_name=(o.document_name or tr("dokumen")) if o and o.blob_sha256 else "",
                              last_error=o.last_error if o else "", has_document=e.has_document))
            continue
        match = received.get((e.at, e.text))
        found = match.pop(0) if match else None
        if found is None:
            lines.append(Line(e.at, "in", e.sender, e.text, has_document=e.has_document))
            continue
        lines.append(Line(e.at, "in", e.sender, e.text, message_id=found.id, file_sha256=found.blob_sha256,
                          file_name=found.file_name, file_kind=found.file_kind, file_note=found.file_note,
                          has_document=e.has_document))
    return lines


def kind_label(kind: str, name: str) -> str:
    """What the file is, in words: "foto", "PDF", "pesan suara", "dokumen Word", "berkas"."""
    if kind == "image":
        return tr("foto")
    if kind == "pdf":
        return tr("PDF")
    suffix = PurePath(name).suffix.lower()
    if suffix in AUDIO:
        return tr("pesan suara")
    if suffix in WORD:
        return tr("dokumen Word")
    if suffix in VIDEO:
        return tr("video")
    return tr("berkas")
