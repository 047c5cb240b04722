"""Files on a request: attach, link to a requirement, remove; the completeness check."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.auth.roles import Permission
from dikjamila.db.models import Attachment, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.desk.records import AttachmentInfo
from dikjamila.desk.timezone import WITA
from dikjamila.documents.belongs import belongs_problem
from dikjamila.errors import InvalidInput, NotFound
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED, Status
from dikjamila.sop import AttachedFile, CompletenessReport, check

ROLES = ("resident", "issued")


class AttachmentOps(DeskBase):
    @db_call
    def attach_file(self, request_id: int, source: Path | bytes, original_name: str | None = None, *,
                    requirement_code: str | None = None, role: str = "resident",
                    origin: str = "upload") -> AttachmentInfo:
        """Store a file (checked, content-addressed) and add it to the request.

        A refused file raises InvalidInput with the reason and leaves nothing behind.
        """
        self._require(Permission.ATTACH)
        if role not in ROLES:
            raise InvalidInput(tr("Peran berkas tidak dikenal: {role}", role=role))
        with self.db.reading() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            self._ensure_holder(session, req)
            self._ensure_requirement(req, requirement_code)
        if isinstance(source, bytes | bytearray):
            blob = self.store.put_bytes(bytes(source), original_name or "berkas")
        else:
            blob = self.store.put_file(Path(source), original_name or Path(source).name)
        if role == "issued" and blob.kind != "pdf":
            raise InvalidInput(tr("Dokumen terbit harus berupa PDF; {name} adalah foto.", name=blob.original_name))
        with self.db.writing() as session:
            req = self._load(session, request_id)
            if req.status in CLOSED:
                raise InvalidInput(tr("Permohonan {number} sudah ditutup.", number=req.number))
            att = Attachment(
                request_id=req.id, blob_sha256=blob.sha256, original_name=blob.original_name,
                kind=blob.kind, mime=blob.mime, size=blob.size, pages=blob.pages,
                requirement_code=requirement_code, role=role, source=origin,
                created_at=utcnow(), created_by=self.actor.id)
            session.add(att)
            req.row_version += 1
            req.updated_at = utcnow()
            session.flush()
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
            req.row_version += 1
            req.updated_at = utcnow()
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
            req.row_version += 1
            req.updated_at = utcnow()
            self._audit(session, "attachment.remove", "request", req.id,
                        {"attachment_id": attachment_id, "name": att.original_name})

    @db_call
    def check(self, request_id: int, *, as_of: date | None = None) -> CompletenessReport:
        """The completeness report; remembers the SOP version and result on the request."""
        if self.actor.role != "kiosk":  # the kiosk checks the request it is filling in
            self._require(Permission.VIEW_REQUEST)
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            sop = self.catalog.get(req.service_code)
            report = self._report(session, req, sop, as_of=as_of)
            if req.sop_version != sop.version or req.complete != report.complete:
                req.sop_version = sop.version
                req.complete = report.complete
                req.row_version += 1
                self._audit(session, "request.check", "request", req.id,
                            {"sop_version": sop.version, "complete": report.complete,
                             "missing": [i.code for i in report.missing()]})
            return report

    def blob_path(self, sha256: str) -> Path:
        """Where a stored file is, for previewing it (kiosks never see stored files)."""
        self._require(Permission.VIEW_REQUEST)
        return self.store.path(sha256)

    # -- helpers ---------------------------------------------------------------------------
    def _report(self, session: Session, req: Request, sop, *, as_of: date | None = None) -> CompletenessReport:
        files = session.scalars(select(Attachment).where(
            Attachment.request_id == req.id, Attachment.role == "resident")).all()
        attached = [AttachedFile(requirement=a.requirement_code, kind=a.kind, file_name=a.original_name)
                    for a in files]
        return check(sop, json.loads(req.facts_json or "{}"), attached,
                     as_of=as_of or utcnow().astimezone(WITA).date(),
                     applicant_name=req.applicant_name, request_number=req.number)

    def advance_blocker(self, session: Session, req: Request, sop, target: str) -> str | None:
        """Why the move to `target` is not allowed yet (Indonesian), or None."""
        if target == Status.DIPROSES:
            report = self._report(session, req, sop)
            req.sop_version, req.complete = sop.version, report.complete
            if not report.complete:
                missing = "; ".join(i.label for i in report.missing())
                return tr("Berkas belum lengkap: {missing}.", missing=missing)
        if target in (Status.TERBIT, Status.TERKIRIM) and not sop.ends_in_pickup:
            issued = session.scalars(select(Attachment).where(
                Attachment.request_id == req.id, Attachment.role == "issued", Attachment.kind == "pdf")
                .order_by(Attachment.id.desc())).first()
            if issued is None:
                return tr("Lampirkan dulu PDF dokumen yang terbit.")
            if target == Status.TERKIRIM:
                text = self.store.inspect(issued.blob_sha256).text
                return belongs_problem(text, niks={req.subject_nik, req.applicant_nik}, kk_number=req.kk_number)
        return None

    def _ensure_requirement(self, req: Request, requirement_code: str | None) -> None:
        if requirement_code is None:
            return
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
