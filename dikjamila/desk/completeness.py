"""The completeness check inside the desk's writes, and the facts the move guards need.

A change that can alter completeness (files, links, facts, service) recomputes it in the same
transaction, so the stored flag the inbox shows is right and looking at a request (`check`)
writes nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.db.models import Attachment, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase
from dikjamila.desk.records import FileRole
from dikjamila.desk.timezone import WITA
from dikjamila.errors import UserError
from dikjamila.guards import move_blocker
from dikjamila.lifecycle import Status
from dikjamila.sop import AttachedFile, CompletenessReport, check

log = logging.getLogger(__name__)


class CompletenessOps(DeskBase):
    def _report(self, session: Session, req: Request, sop, *, as_of: date | None = None) -> CompletenessReport:
        files = session.scalars(select(Attachment).where(
            Attachment.request_id == req.id, Attachment.role == FileRole.RESIDENT)).all()
        attached = [AttachedFile(requirement=a.requirement_code, kind=a.kind, file_name=a.original_name)
                    for a in files]
        return check(sop, json.loads(req.facts_json or "{}"), attached,
                     as_of=as_of or utcnow().astimezone(WITA).date(),
                     applicant_name=req.applicant_name, request_number=req.number)

    def _recheck(self, session: Session, req: Request, *, audit: bool = True) -> None:
        """Keep the request's SOP version and "complete" flag (the inbox shows it) in step."""
        try:
            sop = self.catalog.get(req.service_code)
            complete = self._report(session, req, sop).complete
        except UserError as exc:  # an unknown service, or a stored fact the SOP cannot read
            log.info("completeness of request %s not computed: %s", req.id, exc.message)
            req.sop_version, req.complete = None, False
            return
        if (req.sop_version, req.complete) != (sop.version, complete):
            req.sop_version, req.complete = sop.version, complete
            if audit:
                self._audit(session, "request.check", "request", req.id,
                            {"sop_version": sop.version, "complete": complete})

    def _move_blocker(self, session: Session, req: Request, sop, target: str) -> str | None:
        """Gather what the guards need (the report, the issued PDF and its text) and ask them."""
        report = issued = text = None
        if target == Status.DIPROSES:
            report = self._report(session, req, sop)
            req.sop_version, req.complete = sop.version, report.complete
        if target in (Status.TERBIT, Status.TERKIRIM):
            issued = session.scalars(select(Attachment).where(
                Attachment.request_id == req.id, Attachment.role == FileRole.ISSUED, Attachment.kind == "pdf")
                .order_by(Attachment.id.desc())).first()
            if issued is not None and target == Status.TERKIRIM:
                text = self.store.inspect(issued.blob_sha256).text
        return move_blocker(target, ends_in_pickup=sop.ends_in_pickup, report=report,
                            has_issued_pdf=issued is not None, issued_pdf_text=text,
                            niks=frozenset({req.subject_nik, req.applicant_nik}), kk_number=req.kk_number)
