"""Duplicate warning (issue 8, item 3): another open request for the same service by the same
person — the same NIK (applicant or subject), WhatsApp number or KK number."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from dikjamila.auth.roles import Permission
from dikjamila.db.models import Request
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.lifecycle import OPEN


@dataclass(frozen=True)
class DuplicateInfo:
    id: int
    number: str
    applicant_name: str
    status: str
    matched_on: tuple[str, ...]  # "nik" | "phone" | "kk"


class DuplicateOps(DeskBase):
    @db_call
    def duplicates_of(self, request_id: int) -> list[DuplicateInfo]:
        """Other open requests for the same service sharing a NIK, phone or KK number, newest first."""
        self._require(Permission.VIEW_REQUEST)
        with self.db.reading() as session:
            req = self._load(session, request_id)
            niks = {n for n in (req.applicant_nik, req.subject_nik) if n}
            tests = []
            if niks:
                tests += [Request.applicant_nik.in_(niks), Request.subject_nik.in_(niks)]
            if req.applicant_phone:
                tests.append(Request.applicant_phone == req.applicant_phone)
            if req.kk_number:
                tests.append(Request.kk_number == req.kk_number)
            if not tests:
                return []
            others = session.scalars(select(Request).where(
                Request.id != req.id, Request.service_code == req.service_code,
                Request.status.in_([s.value for s in OPEN]), or_(*tests)).order_by(Request.id.desc()).limit(20))
            found = []
            for other in others:
                matched = tuple(name for name, hit in (
                    ("nik", bool(niks & {other.applicant_nik, other.subject_nik} - {""})),
                    ("phone", bool(req.applicant_phone) and other.applicant_phone == req.applicant_phone),
                    ("kk", bool(req.kk_number) and other.kk_number == req.kk_number)) if hit)
                found.append(DuplicateInfo(other.id, other.number, other.applicant_name, other.status, matched))
            return found
