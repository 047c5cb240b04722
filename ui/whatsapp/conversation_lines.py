"""The lines of a request's conversation tab: `Desk.conversation` as it comes, plus words for files.

Each `ConversationEntry` carries all the tab shows: a received message's id, file and note,
an outgoing item's outbox id, state, error and document name. One `conversation(rid)` call
is all the tab needs.
"""

from __future__ import annotations

from pathlib import PurePath

from dikjamila.desk import ConversationEntry
from dikjamila.i18n import tr

AUDIO = {".opus", ".ogg", ".oga", ".m4a", ".mp3", ".aac", ".amr", ".wav"}
WORD = {".doc", ".docx", ".odt", ".rtf"}
VIDEO = {".mp4", ".3gp", ".mov", ".mkv"}


def document_label(line: ConversationEntry) -> str:
    """The document sent with an outgoing line ("dokumen" when it has no name), or ""."""
    if line.direction != "out" or not (line.document_name or line.has_document):
        return ""
    return line.document_name or tr("dokumen")


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
