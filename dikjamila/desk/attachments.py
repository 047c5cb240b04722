"""Files on a request: attach, link to a requirement, remove; the completeness check."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission, Role
from dikjamila.db.models import Attachment, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.completeness import CompletenessOps
from dikjamila.desk.records import AttachmentInfo, FileRole
from dikjamila.errors import InvalidInput, NotFound
from dikjamila.files.sniff import HEAD_SIZE, sniff
from dikjamila.files.store import clean_name
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED
from dikjamila.sop import CompletenessReport

log = logging.getLogger(__name__)

ROLES = tuple(r.value for r in FileRole)


class AttachmentOps(CompletenessOps):
    @db_call
    def attach_file(self, request_id: int, source: Path | bytes, original_name: str | None = None, *,
                    requirement_code: str | None = None, role: str = FileRole.RESIDENT,
                    origin: str = "upload") -> AttachmentInfo:
        """Store a file (checked, content-addressed) and add it to the request.

        A refused file raises InvalidInput with the reason and leaves nothing behind.
        """
        self._require(Permission.ATTACH)
        if role not in ROLES:
            raise InvalidInput(tr("Peran berkas tidak dikenal: {role}", role=role))
        name = original_name or ("berkas" if isinstance(source, bytes | bytearray) else Path(source).name)
        # Every refusal that does not need the stored file comes before the store: a blob put
        # and then refused would stay in blobs/ with no row pointing at it.
        with self.db.reading() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            self._ensure_holder(session, req)
            self._ensure_requirement(req, requirement_code)
            self._ensure_open(req)
        if role == FileRole.ISSUED and _sniffed_kind(source) == "image":
            raise InvalidInput(tr("Dokumen terbit harus berupa PDF; {name} adalah foto.", name=clean_name(name)))
        if isinstance(source, bytes | bytearray):
            blob = self.store.put_bytes(bytes(source), name)
        else:
            blob = self.store.put_file(Path(source), name)
        if role == FileRole.ISSUED and blob.kind != "pdf":  # NOTE: cannot happen: sniffed above
            raise InvalidInput(tr("Dokumen terbit harus berupa PDF; {name} adalah foto.", name=blob.original_name))
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_open(req)  # again: it may have been closed while the file was stored
            att = Attachment(
                request_id=req.id, blob_sha256=blob.sha256, original_name=blob.original_name,
                kind=blob.kind, mime=blob.mime, size=blob.size, pages=blob.pages,
                requirement_code=requirement_code, role=role, source=origin,
                created_at=utcnow(), created_by=self.actor.id)
            session.add(att)
            session.flush()
            self._recheck(session, req)
            self._touch(req)
            self._audit(session, "attachment.add", "request", req.id, {
                "attachment_id": att.id, "name": att.original_name, "sha256": att.blob_sha256,
                "requirement": requirement_code, "role": role})
            return self._attachment_info(att)

    @db_call
    def link_attachment(self, attachment_id: int, requirement_code: str | None) -> AttachmentInfo:
        """Say which requirement a file satisfies (None: not linked)."""
        self._require(Permission.ATTACH)
        with self.db.writing() as session:
            att, req = self._load_attachment(session, attachment_id)
            self._ensure_requirement(req, requirement_code)
            before = att.requirement_code
            att.requirement_code = requirement_code
            session.flush()
            self._recheck(session, req)
            self._touch(req)
            self._audit(session, "attachment.link", "request", req.id,
                        {"attachment_id": att.id, "from": before, "to": requirement_code})
            return self._attachment_info(att)

    @db_call
    def remove_attachment(self, attachment_id: int) -> None:
        """Take a file off the request. The blob stays in the store (other requests may share it)."""
        self._require(Permission.ATTACH)
        with self.db.writing() as session:
            att, req = self._load_attachment(session, attachment_id)
            session.delete(att)
            session.flush()
            self._recheck(session, req)
            self._touch(req)
            self._audit(session, "attachment.remove", "request", req.id,
                        {"attachment_id": attachment_id, "name": att.original_name})

    @db_call
    def check(self, request_id: int, *, as_of: date | None = None) -> CompletenessReport:
        """The completeness report. Read-only: the stored "complete" flag is kept in step by
        the changes themselves (files, links, facts, service), so looking changes nothing."""
        if self.actor.role != Role.KIOSK:  # the kiosk checks the request it is filling in
            self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            if not req.service_code:
                raise InvalidInput(tr("Layanan permohonan {number} belum dipilih; pilih dulu layanannya.",
                                      number=req.number))
            return self._report(session, req, self.catalog.get(req.service_code), as_of=as_of)

    def blob_path(self, sha256: str) -> Path:
        """Where a stored file is, for previewing it (kiosks never see stored files)."""
        self._require(Permission.VIEW_REQUEST)
        return self.store.path(sha256)

    # -- helpers ---------------------------------------------------------------------------
    @staticmethod
    def _ensure_open(req: Request) -> None:
        if req.status in CLOSED:
            raise InvalidInput(tr("Permohonan {number} sudah ditutup.", number=req.number))

    def _ensure_requirement(self, req: Request, requirement_code: str | None) -> None:
        if requirement_code is None:
            return
        if not req.service_code:
            raise InvalidInput(tr("Pilih dulu layanan permohonan {number}, baru kaitkan berkasnya.", number=req.number))
        sop = self.catalog.get(req.service_code)
        if requirement_code not in {r.code for r in sop.requirements}:
            raise InvalidInput(tr("Persyaratan '{code}' tidak ada di SOP {service}.",
                                  code=requirement_code, service=sop.name))

    def _load_attachment(self, session: Session, attachment_id: int):
        att = session.get(Attachment, attachment_id)
        if att is None:
            raise NotFound(tr("Berkas #{id} tidak ditemukan.", id=attachment_id))
        req = self._load(session, att.request_id)
        self._ensure_kiosk_owns(session, req)
        self._ensure_holder(session, req)
        return att, req


def _sniffed_kind(source: Path | bytes) -> str | None:
    """"image", "pdf" or None from the first bytes of `source`; None also when the file cannot
    be read (the store then refuses it with its own message)."""
    if isinstance(source, bytes | bytearray):
        head = bytes(source[:HEAD_SIZE])
    else:
        try:
            with open(source, "rb") as fh:
                head = fh.read(HEAD_SIZE)
        except OSError:
            log.info("%s could not be read for sniffing; the store will say why", source, exc_info=True)
            return None
    found = sniff(head)
    return found[0] if found else None
