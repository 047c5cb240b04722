""""Berkas belum ditempatkan": files found in a watched folder, waiting to be put on a request.

A file from the downloads folder (WhatsApp Desktop, a scanner, a USB stick) becomes a
resident's file on the request the operator chooses (on a checklist item or not). A PDF from
SIAK's folder is the issued document of a request: it is offered to the open requests it
names (`IssuedMatchOps.match_issued_pdf`: the request number in its name or text wins, else
each NIK or KK number), and the operator confirms by placing it.

Choice, for a KK that names a whole family: a SIAK PDF stays in the tray after it is placed
on one request while another open request it was offered to has not got it yet, so each
family member's request can take it; it leaves the tray when every open offered request has
it, or when it is dismissed. A downloads file (or a SIAK PDF offered to nobody) leaves the
tray when it is placed once.

The same content is taken once per folder kind (its sha256): a file seen again — renamed,
copied, the folder rescanned after a restart — is not a new row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Attachment, LooseFile, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.attachments import AttachmentOps
from dikjamila.desk.base import db_call
from dikjamila.desk.completeness import CompletenessOps
from dikjamila.desk.issued_match import IssuedMatchOps
from dikjamila.desk.records import AttachmentInfo, FileRole
from dikjamila.errors import Conflict, InvalidInput, NotFound
from dikjamila.files.store import clean_name
from dikjamila.i18n import tr
from dikjamila.lifecycle import OPEN

DOWNLOADS, SIAK = "downloads", "siak"
FOLDER_KINDS = (DOWNLOADS, SIAK)
FOLDER_LABELS = {DOWNLOADS: "Unduhan", SIAK: "SIAK"}
_OPEN_STATUSES = tuple(s.value for s in OPEN)


class LooseOffer(NamedTuple):
    """An open request a SIAK PDF names; `placed`: that request already has the file."""

    request_id: int
    number: str
    applicant_name: str
    placed: bool = False


@dataclass(frozen=True)
class LooseFileInfo:
    id: int
    folder_kind: str  # "downloads" | "siak"
    original_name: str
    blob_sha256: str
    kind: str  # "image" | "pdf"
    mime: str
    size: int
    found_at: datetime
    offered: tuple[LooseOffer, ...]
    placed_request_id: int | None  # the last request it was placed on
    placed_at: datetime | None  # set when it left the tray by being placed
    dismissed_at: datetime | None
    source_path: str
    new: bool = True  # False: the same content was taken before (this is that row)

    @property
    def is_open(self) -> bool:
        """Still in the tray."""
        return self.placed_at is None and self.dismissed_at is None

    @property
    def role(self) -> str:
        """What it becomes on a request: SIAK's PDFs are issued documents, the rest residents' files."""
        return FileRole.ISSUED if self.folder_kind == SIAK and self.kind == "pdf" else FileRole.RESIDENT

    @property
    def waiting_offers(self) -> tuple[LooseOffer, ...]:
        return tuple(o for o in self.offered if not o.placed)


class TrayOps(CompletenessOps):
    @db_call
    def take_loose_file(self, path: Path, folder_kind: str) -> LooseFileInfo:
        """Put a file found in a watched folder into the store and the tray (once per content).

        A file the store refuses (not a PDF or photo, corrupt, too big) raises InvalidInput
        with the reason; nothing is stored. A SIAK PDF is offered to the requests it names.
        """
        self._require(Permission.ATTACH)
        self._require(Permission.VIEW_INBOX)
        kind = _folder_kind(folder_kind)
        path = Path(path)
        name = clean_name(path.name)
        try:
            st = path.stat()
        except OSError as exc:
            raise InvalidInput(tr("Berkas {name} tidak bisa dibaca dari disk.", name=name)) from exc
        with self.db.reading() as session:
            # Cheap before hashing: this very file was taken already (same path and size, not
            # changed since), e.g. found again by the rescan after a restart.
            known = session.scalars(select(LooseFile).where(
                LooseFile.folder_kind == kind, LooseFile.source_path == str(path), LooseFile.size == st.st_size,
                LooseFile.found_at >= datetime.fromtimestamp(st.st_mtime, UTC)).order_by(LooseFile.id)).first()
            if known is not None:
                return _loose_infos(session, [known], new=False)[0]
        blob = self.store.put_file(path, name)
        with self.db.reading() as session:
            if (same := _by_content(session, kind, blob.sha256)) is not None:
                return _loose_infos(session, [same], new=False)[0]
        offered: list[int] = []
        if kind == SIAK and blob.kind == "pdf":
            # NOTE: through the class, so this mixin does not depend on where the Desk puts it.
            offered = [m.request_id for m in IssuedMatchOps.match_issued_pdf(self, blob.text, blob.original_name)]
        try:
            with self.db.writing() as session:
                row = LooseFile(
                    folder_kind=kind, source_path=str(path), original_name=blob.original_name,
                    blob_sha256=blob.sha256, kind=blob.kind, mime=blob.mime, size=blob.size, found_at=utcnow(),
                    offered_json=json.dumps(offered))
                session.add(row)
                session.flush()
                self._changed(session, ChangeKind.TRAY, row.id)
                self._audit(session, "tray.add", "loose_file", row.id, {
                    "folder_kind": kind, "name": row.original_name, "sha256": row.blob_sha256, "offered": offered})
                return _loose_infos(session, [row])[0]
        except IntegrityError:
            # Taken meanwhile by another workstation watching the same folder: theirs is the one.
            with self.db.reading() as session:
                if (same := _by_content(session, kind, blob.sha256)) is None:
                    raise
                return _loose_infos(session, [same], new=False)[0]

    # -- reading ---------------------------------------------------------------------------
    @db_call
    def loose_files(self, include_placed: bool = False, *, limit: int = 500) -> list[LooseFileInfo]:
        """The tray, newest first (`include_placed`: also files placed or dismissed)."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            query = select(LooseFile)
            if not include_placed:
                query = query.where(LooseFile.placed_at.is_(None), LooseFile.dismissed_at.is_(None))
            rows = session.scalars(query.order_by(LooseFile.id.desc()).limit(limit)).all()
            return _loose_infos(session, rows)

    @db_call
    def loose_count(self) -> int:
        """How many files wait in the tray (its tab title)."""
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return session.scalar(select(func.count()).select_from(LooseFile).where(
                LooseFile.placed_at.is_(None), LooseFile.dismissed_at.is_(None))) or 0

    @db_call
    def loose_file(self, loose_id: int) -> LooseFileInfo:
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            return _loose_infos(session, [_load_loose(session, loose_id)])[0]

    @db_call
    def offered_issued_pdfs(self, request_id: int) -> list[LooseFileInfo]:
        """SIAK PDFs in the tray offered to this request and not yet on it (the request editor's offer)."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            rows = session.scalars(select(LooseFile).where(
                LooseFile.folder_kind == SIAK, LooseFile.placed_at.is_(None), LooseFile.dismissed_at.is_(None),
                LooseFile.offered_json.like(f"%{int(request_id)}%")).order_by(LooseFile.id.desc())).all()
            infos = _loose_infos(session, [r for r in rows if request_id in _offered_ids(r)])
            return [i for i in infos if any(o.request_id == request_id and not o.placed for o in i.offered)]

    # -- placing ---------------------------------------------------------------------------
    @db_call
    def place_loose_file(self, loose_id: int, request_id: int, requirement_code: str | None = None) -> AttachmentInfo:
        """Put a tray file on a request: a downloads file as the resident's (on `requirement_code`
        if given), a SIAK PDF as the issued document. The blob is already stored: nothing is copied."""
        self._require(Permission.ATTACH)
        self._require(Permission.VIEW_INBOX)
        with self.db.reading() as session:
            loose = _load_loose(session, loose_id)
            sha, kind, name = loose.blob_sha256, loose.kind, loose.original_name
        if not self.store.exists(sha):
            raise NotFound(tr("Berkas {name} tidak ada lagi di penyimpanan lampiran.", name=name))
        pages = self.store.inspect(sha, name).pages if kind == "pdf" else None
        with self.db.writing() as session:
            loose = _load_loose(session, loose_id)
            _ensure_placeable(loose)
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            self._ensure_holder(session, req)
            AttachmentOps._ensure_open(req)
            role = _role(loose)
            if role == FileRole.ISSUED and requirement_code is not None:
                raise InvalidInput(tr("Dokumen terbit dari SIAK bukan berkas persyaratan; tempatkan pada "
                                      "permohonannya, bukan pada butir daftar periksa."))
            AttachmentOps._ensure_requirement(self, req, requirement_code)
            if role == FileRole.ISSUED and req.id in _having(session, loose, [req.id]):
                raise Conflict(tr("Permohonan {number} sudah memiliki dokumen terbit {name}.",
                                  number=req.number, name=loose.original_name))
            att = Attachment(
                request_id=req.id, blob_sha256=loose.blob_sha256, original_name=loose.original_name, kind=loose.kind,
                mime=loose.mime, size=loose.size, pages=pages, requirement_code=requirement_code, role=role,
                source=f"watch_{loose.folder_kind}", created_at=utcnow(), created_by=self.actor.id)
            session.add(att)
            session.flush()
            self._recheck(session, req)
            self._touch(req)
            self._audit(session, "attachment.add", "request", req.id, {
                "attachment_id": att.id, "name": att.original_name, "sha256": att.blob_sha256,
                "requirement": requirement_code, "role": role, "loose_file_id": loose.id})
            loose.placed_request_id = req.id
            waiting = _waiting(session, loose)
            if not waiting:
                loose.placed_at = utcnow()
            self._changed(session, ChangeKind.TRAY, loose.id)
            self._audit(session, "tray.place", "loose_file", loose.id, {
                "request_id": req.id, "number": req.number, "role": role, "still_offered_to": waiting})
            return self._attachment_info(att)

    @db_call
    def dismiss_loose_file(self, loose_id: int) -> LooseFileInfo:
        """Take a file out of the tray without placing it (the file in the folder is left alone)."""
        self._require(Permission.ATTACH)
        self._require(Permission.VIEW_INBOX)
        with self.db.writing() as session:
            loose = _load_loose(session, loose_id)
            if loose.placed_at is not None:
                raise InvalidInput(tr("Berkas {name} sudah ditempatkan.", name=loose.original_name))
            if loose.dismissed_at is None:
                loose.dismissed_at = utcnow()
                self._changed(session, ChangeKind.TRAY, loose.id)
                self._audit(session, "tray.dismiss", "loose_file", loose.id,
                            {"name": loose.original_name, "folder_kind": loose.folder_kind})
            return _loose_infos(session, [loose])[0]


def _load_loose(session: Session, loose_id: int) -> LooseFile:
    row = session.get(LooseFile, loose_id)
    if row is None:
        raise NotFound(tr("Berkas #{id} tidak ada di daftar berkas belum ditempatkan.", id=loose_id))
    return row


def _by_content(session: Session, kind: str, sha: str) -> LooseFile | None:
    return session.scalar(select(LooseFile).where(LooseFile.folder_kind == kind, LooseFile.blob_sha256 == sha))


def _ensure_placeable(loose: LooseFile) -> None:
    if loose.dismissed_at is not None:
        raise InvalidInput(tr("Berkas {name} sudah diabaikan.", name=loose.original_name))
    if loose.placed_at is not None:
        raise InvalidInput(tr("Berkas {name} sudah ditempatkan.", name=loose.original_name))


def _having(session: Session, loose: LooseFile, request_ids) -> set[int]:
    """Which of `request_ids` already have this file as their issued document."""
    if not request_ids:
        return set()
    return set(session.scalars(select(Attachment.request_id).where(
        Attachment.request_id.in_(sorted(request_ids)), Attachment.blob_sha256 == loose.blob_sha256,
        Attachment.role == FileRole.ISSUED)))


def _waiting(session: Session, loose: LooseFile) -> list[int]:
    """Open requests a SIAK file was offered to that do not have it yet."""
    ids = _offered_ids(loose)
    if _role(loose) != FileRole.ISSUED or not ids:
        return []
    open_ids = set(session.scalars(select(Request.id).where(Request.id.in_(ids), Request.status.in_(_OPEN_STATUSES))))
    return sorted(open_ids - _having(session, loose, open_ids))


def _loose_infos(session: Session, rows, *, new: bool = True) -> list[LooseFileInfo]:
    """Rows as plain infos; the offered requests read in two queries for the whole list.

    An offer is shown while its request is open, or once the request has the file."""
    wanted = sorted({i for r in rows for i in _offered_ids(r)})
    requests: dict[int, Request] = {}
    having: set[tuple[int, str]] = set()
    if wanted:
        requests = {r.id: r for r in session.scalars(select(Request).where(Request.id.in_(wanted)))}
        having = {(rid, sha) for rid, sha in session.execute(
            select(Attachment.request_id, Attachment.blob_sha256).where(
                Attachment.request_id.in_(wanted), Attachment.role == FileRole.ISSUED,
                Attachment.blob_sha256.in_(sorted({r.blob_sha256 for r in rows}))))}
    infos = []
    for r in rows:
        offers = []
        for rid in _offered_ids(r):
            req = requests.get(rid)
            placed = (rid, r.blob_sha256) in having
            if req is not None and (placed or req.status in _OPEN_STATUSES):
                offers.append(LooseOffer(req.id, req.number, req.applicant_name, placed))
        infos.append(LooseFileInfo(
            id=r.id, folder_kind=r.folder_kind, original_name=r.original_name, blob_sha256=r.blob_sha256,
            kind=r.kind, mime=r.mime, size=r.size, found_at=r.found_at, offered=tuple(offers),
            placed_request_id=r.placed_request_id, placed_at=r.placed_at, dismissed_at=r.dismissed_at,
            source_path=r.source_path, new=new))
    return infos


def _folder_kind(value: str) -> str:
    if value not in FOLDER_KINDS:
        raise InvalidInput(tr("Jenis folder pantauan tidak dikenal: {kind}", kind=value))
    return value


def _role(loose: LooseFile) -> str:
    return FileRole.ISSUED if loose.folder_kind == SIAK and loose.kind == "pdf" else FileRole.RESIDENT


def _offered_ids(row: LooseFile) -> list[int]:
    try:
        return [int(i) for i in json.loads(row.offered_json or "[]")]
    except (ValueError, TypeError):  # a hand-edited row: offered to nobody rather than a crash
        return []
