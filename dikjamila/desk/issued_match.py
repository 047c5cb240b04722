"""Which open requests an issued PDF from SIAK belongs to (issue 8, item 5b: the SIAK folder).

Evidence, strongest first: a request number in the file name or the text (it names exactly
one request, and wins); otherwise every 16-digit number in the text or name that is an open
request's NIK (applicant or subject) or KK number. A KK lists every family member's NIK, so
one PDF may match several open requests: each is offered it, and the operator confirms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from dikjamila.auth.roles import Permission
from dikjamila.db.models import Request
from dikjamila.desk.base import DeskBase, db_call
from dikjamila.lifecycle import OPEN

_SIXTEEN = re.compile(r"(?<!\d)(\d{16})(?!\d)")
#: Digits written in groups ("6311 0545 0690 0003", "63.11.05.450690.0003") count as one number.
_GROUPED = re.compile(r"(?<=\d)[ .\-](?=\d)")


@dataclass(frozen=True)
class IssuedMatch:
    request_id: int
    number: str
    applicant_name: str
    matched_on: str  # "number" | "nik" | "kk"


class IssuedMatchOps(DeskBase):
    @db_call
    def match_issued_pdf(self, text: str, file_name: str = "") -> list[IssuedMatch]:
        """The open requests this PDF (its text layer and file name) seems to belong to."""
        self._require(Permission.VIEW_INBOX)
        numbers = self._request_numbers(f"{file_name}\n{text}")
        found = set(_SIXTEEN.findall(_GROUPED.sub("", f"{file_name}\n{text}")))
        open_statuses = [s.value for s in OPEN]
        with self.db.reading() as session:
            if numbers:
                rows = session.scalars(select(Request).where(
                    Request.number.in_(numbers), Request.status.in_(open_statuses))).all()
                if rows:
                    return [IssuedMatch(r.id, r.number, r.applicant_name, "number") for r in rows]
            if not found:
                return []
            rows = session.scalars(select(Request).where(
                Request.status.in_(open_statuses),
                or_(Request.applicant_nik.in_(found), Request.subject_nik.in_(found),
                    Request.kk_number.in_(found))).order_by(Request.id.desc()).limit(50)).all()
            return [IssuedMatch(r.id, r.number, r.applicant_name,
                                "nik" if {r.applicant_nik, r.subject_nik} & found else "kk") for r in rows]

    def _request_numbers(self, text: str) -> set[str]:
        prefix = re.escape(self.settings.request_number_prefix)
        return {m.upper() for m in re.findall(rf"(?<![A-Za-z0-9]){prefix}-\d{{8}}-\d{{4}}(?!\d)", text, re.IGNORECASE)}
