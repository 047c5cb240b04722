"""`Desk.import_chat`: a WhatsApp chat export (.txt/.zip) into requests, like live messages.

Steps: read and check the export (nothing is written for a refused file); store its files on
all cores; add the messages that are new (`import_known`) in short batches, marked "staged"
so the unhandled list and live routing leave them alone; route each resident's submissions
(`routing`), one short transaction each; put the office's own messages in the conversation
they answer. Everything written carries the import's id: a cancelled or failed import removes
it all (and the files it alone had stored), so a chat lands whole or not at all. Re-importing
the same export, or an export of a chat that also came live, adds only what is new.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, insert, select, update

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Attachment, Import, LooseFile, Message, OutboxItem, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.import_known import (
    KnownMatcher,
    OutboxTexts,
    learn_phone,
    stored_by_key,
)
from dikjamila.desk.import_routing import ImportRoutingOps
from dikjamila.desk.routing import STAGED
from dikjamila.desk.timezone import WITA
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr
from dikjamila.intake.chat_export import (
    ExportBundle,
    MessageKind,
    content_key,
    read_export,
)
from dikjamila.intake.chat_export import Message as ChatMessage
from dikjamila.intake.importing import DayOrderNeeded, ImportCancelled, ImportSummary
from dikjamila.intake.importing.media import StoredMedia, store_media
from dikjamila.intake.importing.sides import Side, decide_sides

log = logging.getLogger(__name__)

BATCH = 2000
Progress = Callable[[float, str], None]


class ChatImportOps(ImportRoutingOps):
    @db_call
    def import_chat(self, path: Path, *, day_first: bool | None = None, resident_phone: str = "",
                    office_name: str = "", progress: Progress | None = None,
                    should_cancel: Callable[[], bool] | None = None) -> ImportSummary:
        """Import one export. Raises DayOrderNeeded (ask, then call again with `day_first`),
        InvalidInput (the file is refused; nothing written) or ImportCancelled (all removed)."""
        self._require(Permission.CREATE_REQUEST)
        report = progress or (lambda fraction, text: None)
        stop = should_cancel or (lambda: False)
        path = Path(path)
        if not path.is_file():
            raise InvalidInput(tr("Berkas {path} tidak ditemukan.", path=path))
        report(0.0, tr("Membaca {name}…", name=path.name))
        bundle = read_export(path, day_first=day_first)
        chat = bundle.chat
        if not any(m.sender for m in chat.messages):
            raise InvalidInput(tr("Tidak ada pesan chat WhatsApp yang terbaca di {name}.", name=path.name))
        if chat.ambiguous and day_first is None:
            raise DayOrderNeeded(path.name, chat.messages[0].at.strftime("%d/%m/%Y"))
        office_names = [*self.settings.office_chat_names, self.settings.office_name, office_name]
        sides = decide_sides(chat.messages, office_names=office_names, office_numbers=self._office_numbers(),
                             resident_phone=resident_phone)
        summary = ImportSummary(file_name=path.name, warnings=list(bundle.warnings),
                                missing_files=list(bundle.missing))
        import_id = self._start_import(path)
        summary.import_id = import_id
        new_blobs: list[str] = []
        try:
            media = store_media(bundle, self.store, should_stop=stop,
                                on_done=lambda done, total: report(round(0.05 + 0.55 * done / total, 4),
                                                                   tr("Menyimpan berkas {done}/{total}…",
                                                                      done=done, total=total)))
            new_blobs = [m.blob.sha256 for m in media.values() if m.blob and not m.blob.already_stored]
            self._check(stop)
            report(0.6, tr("Mencatat pesan…"))
            self._add_messages(bundle, sides, media, import_id, summary, stop)
            report(0.8, tr("Membuat dan memperbarui permohonan…"))
            blobs = {m.blob.sha256: m.blob for m in media.values() if m.blob is not None}
            self._route_import(import_id, sides, blobs, summary, lambda: self._check(stop))
            self._finish(import_id, summary, "done")
        except BaseException as exc:
            state = "cancelled" if isinstance(exc, ImportCancelled) else "failed"
            log.warning("import %s %s; removing what it added", import_id, state, exc_info=state == "failed")
            self._roll_back(import_id, new_blobs, state)
            raise
        report(1.0, tr("Selesai."))
        return summary

    # -- steps --------------------------------------------------------------------------------
    @staticmethod
    def _check(stop: Callable[[], bool]) -> None:
        if stop():
            raise ImportCancelled(tr("Impor dibatalkan; tidak ada yang disimpan."))

    def _start_import(self, path: Path) -> int:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        with self.db.writing() as session:
            row = Import(kind="chat_export", file_name=path.name[:255], file_sha256=digest.hexdigest(),
                         state="running", actor_name=self.actor.username, started_at=utcnow(), summary_json="{}")
            session.add(row)
            session.flush()
            self._changed(session, ChangeKind.IMPORT, row.id)
            return row.id

    def _add_messages(self, bundle: ExportBundle, sides: dict[str, Side], media: dict[str, StoredMedia],
                      import_id: int, summary: ImportSummary, stop: Callable[[], bool]) -> None:
        """Insert the export's new messages (staged), in short batches."""
        wanted = [m for m in bundle.chat.messages if self._keep(m, summary)]
        # The office's replies are keyed with the chat's residents as well: "Baik, kami periksa"
        # at 10.05 in two chats is two messages.
        chat = "\x1f".join(sorted(" ".join(s.name.split()).casefold() for s in sides.values() if not s.office))
        keys = {id(m): content_key(m.at, f"{chat}\x1f{m.text}" if sides[m.sender].office else m.text)
                for m in wanted}
        with self.db.reading() as session:
            stored = stored_by_key(session, keys.values())
            # A resident written by name only: the number their live messages came from.
            for side in [s for s in sides.values() if not s.office and not s.phone]:
                texts = [m for m in wanted if m.sender == side.name and m.text.strip()]
                learned = learn_phone((x for m in texts for x in stored.get(keys[id(m)], ())), out_of=len(texts))
                if learned:
                    sides[side.name] = Side(side.name, False, learned)
            residents = [s for s in sides.values() if not s.office]
            sent = OutboxTexts(session, residents[0].phone if len(residents) == 1 else "")
            matcher = KnownMatcher(stored)
            rows = []
            for m in wanted:
                side = sides[m.sender]
                file = media.get(m.attachment or "") if m.kind is MessageKind.MEDIA else None
                sha = file.blob.sha256 if file and file.blob else None
                at = m.at.replace(tzinfo=WITA).astimezone(utcnow().tzinfo)
                if matcher.take(keys[id(m)], incoming=not side.office, phone=side.phone, name=side.name,
                                sha256=sha, omitted=m.kind is MessageKind.OMITTED) or (
                        side.office and sent.has(m.text, at)):
                    summary.already_known += 1
                    continue
                rows.append(self._row(m, side, file, at, keys[id(m)], import_id))
        for start in range(0, len(rows), BATCH):
            self._check(stop)
            with self._import_write() as session:
                session.execute(insert(Message.__table__), rows[start:start + BATCH])
        summary.messages = len(rows)

    @staticmethod
    def _keep(m: ChatMessage, summary: ImportSummary) -> bool:
        if m.kind is MessageKind.SYSTEM or not m.sender:
            summary.skip(tr("pesan sistem (enkripsi, anggota grup, dll.)"))
            return False
        if m.kind is MessageKind.DELETED:
            summary.skip(tr("pesan yang dihapus pengirimnya"))
            return False
        if m.kind is MessageKind.OMITTED:
            summary.skip(tr("berkas tidak ikut diekspor (ekspor tanpa media)"))
        return True

    @staticmethod
    def _row(m: ChatMessage, side: Side, file: StoredMedia | None, at: datetime, key: str, import_id: int) -> dict:
        note = ""
        if m.kind is MessageKind.OMITTED:
            note = tr("Berkas tidak ikut diekspor.")
        elif m.kind is MessageKind.MEDIA and (file is None or file.blob is None):
            note = (file.note if file and file.note else tr("Berkas {name} tidak ada di dalam ekspor.",
                                                                name=m.attachment or "?"))
        blob = file.blob if file else None
        return {
            "direction": "out" if side.office else "in", "sender": side.name[:200], "body": m.text,
            "blob_sha256": blob.sha256 if blob else None, "sent_at": at, "source": "import",
            "sender_phone": "" if side.office else side.phone, "push_name": side.name[:200],
            "file_name": (m.attachment or "")[:255], "file_mime": blob.mime[:128] if blob else "",
            "file_kind": file.kind if file and blob else "", "file_note": note or (file.note if file else ""),
            "content_key": key, "route_flag": STAGED, "import_id": import_id,
            "handled_at": None, "request_id": None, "account": "", "sender_lid": "", "quoted_wa_id": "",
        }

    def _finish(self, import_id: int, summary: ImportSummary, state: str) -> None:
        with self.db.writing() as session:
            row = session.get(Import, import_id)
            row.state, row.finished_at = state, utcnow()
            row.summary_json = json.dumps(summary.as_json(), ensure_ascii=False)
            self._changed(session, ChangeKind.IMPORT, import_id)
            self._audit(session, "import.done", "import", import_id, {
                "file": row.file_name, "sha256": row.file_sha256, "messages": summary.messages,
                "created": summary.requests_created, "updated": summary.requests_updated,
                "attachments": summary.attachments})

    def _roll_back(self, import_id: int, new_blobs: list[str], state: str) -> None:
        """Remove every row the import added, and the files only it had stored."""
        with self.db.writing() as session:
            touched = set(session.scalars(select(Attachment.request_id).where(Attachment.import_id == import_id)))
            touched |= set(session.scalars(select(Message.request_id).where(
                Message.import_id == import_id, Message.request_id.is_not(None))))
            made = set(session.scalars(select(Request.id).where(Request.import_id == import_id)))
            session.execute(delete(Attachment).where(Attachment.import_id == import_id))
            session.execute(delete(Message).where(Message.import_id == import_id))
            session.execute(delete(Attachment).where(Attachment.request_id.in_(made)))
            session.execute(update(Message).where(Message.request_id.in_(made)).values(
                request_id=None, handled_at=None, route_flag=""))
            session.execute(delete(Request).where(Request.id.in_(made)))
            for req in session.scalars(select(Request).where(Request.id.in_(touched - made))):
                self._recheck(session, req)
                self._touch(req)
            row = session.get(Import, import_id)
            row.state, row.finished_at = state, utcnow()
            self._changed(session, ChangeKind.IMPORT, import_id)
            for request_id in made:
                self._changed(session, ChangeKind.REQUEST, request_id)
            self._audit(session, "import.rollback", "import", import_id, {"state": state, "requests_removed": len(made)})
            # A file the import stored may meanwhile have come another way too (a watched folder's
            # tray, a document queued to send): only what nothing else uses is discarded.
            still_used: set[str] = set()
            for column in (Attachment.blob_sha256, Message.blob_sha256, OutboxItem.blob_sha256,
                           LooseFile.blob_sha256):
                still_used |= set(session.scalars(select(column).where(column.in_(new_blobs))))
        for sha in set(new_blobs) - still_used:
            self.store.discard(sha)

    @db_call
    def import_count(self) -> int:
        """How many imports finished (for the settings page and tests)."""
        with self.db.reading() as session:
            return session.scalar(select(func.count()).select_from(Import).where(Import.state == "done")) or 0
