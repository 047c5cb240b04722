"""The IKM survey: invitations, responses (operator, kiosk, WhatsApp reply).

One response per finished request (status terkirim or selesai): nine raw scores 1–4 in the
invitation's U1..U9 order (PermenPANRB 14/2017; the IKM itself is computed by the reports).
Staff type them in from a paper form or the resident's words; a kiosk records them for the
requests it made; WhatsApp answers are read by `desk.survey_replies`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dikjamila.auth.roles import Permission, Role
from dikjamila.db.models import Request, SurveyResponse
from dikjamila.desk.base import db_call
from dikjamila.desk.outbox import OutboxOps
from dikjamila.desk.survey_common import (
    FINISHED,
    SCORE_LABELS,
    SURVEY_ELEMENTS,
    add_response,
    has_response,
    queue_invitation,
    scores_of,
)
from dikjamila.errors import Conflict, InvalidInput
from dikjamila.i18n import tr
from dikjamila.lifecycle import label
from dikjamila.whatsapp.outbox_state import REQUEUE_FROM, OutboxState

SURVEY_SOURCES = ("operator", "kiosk", "whatsapp")
# Source texts: pass them through `dikjamila.i18n.tr` where shown.
SURVEY_SOURCE_LABELS = {"operator": "Diisi petugas", "kiosk": "Kios desa", "whatsapp": "Balasan WhatsApp"}
MAX_COMMENT = 2000

__all__ = ["MAX_COMMENT", "SCORE_LABELS", "SURVEY_ELEMENTS", "SURVEY_SOURCES", "SURVEY_SOURCE_LABELS",
           "SurveyInfo", "SurveyOps"]


@dataclass(frozen=True)
class SurveyInfo:
    id: int
    request_id: int
    request_number: str
    scores: tuple[int, ...]  # U1..U9, each 1–4
    comment: str
    source: str  # SURVEY_SOURCES
    entered_by: int | None  # the user who typed them (None: read from WhatsApp by the system)
    message_id: int | None  # the WhatsApp message they were read from
    answered_at: datetime


class SurveyOps(OutboxOps):
    @db_call
    def record_survey(self, request_id: int, scores: Sequence[int], *, source: str = "operator",
                      comment: str = "") -> SurveyInfo:
        """Record the resident's nine scores for a finished request; a second response for the
        same request is refused. A kiosk records for its own requests, always as "kiosk"."""
        self._require(Permission.RECORD_SURVEY)
        if self.actor.role == Role.KIOSK:
            source = "kiosk"
        if source not in SURVEY_SOURCES:
            raise InvalidInput(tr("Sumber penilaian {source} tidak dikenal.", source=source))
        checked = _checked(scores)
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            raise InvalidInput(tr("Saran terlalu panjang ({n} karakter, paling banyak {max}).",
                                  n=len(comment), max=MAX_COMMENT))
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            self._ensure_finished(req)
            if has_response(session, req.id) or (row := add_response(
                    self, session, req, checked, source=source, comment=comment)) is None:
                raise Conflict(tr("Permohonan {number} sudah ada penilaian.", number=req.number))
            return _info(row, req.number)

    @db_call
    def survey_for(self, request_id: int) -> SurveyInfo | None:
        """The request's response, or None when it has none yet."""
        self._require(Permission.RECORD_SURVEY)
        with self.db.reading() as session:
            req = self._load(session, request_id)
            self._ensure_kiosk_owns(session, req)
            row = session.scalar(select(SurveyResponse).where(SurveyResponse.request_id == req.id))
            return _info(row, req.number) if row is not None else None

    @db_call
    def invite_survey(self, request_id: int) -> int:
        """Queue the survey invitation (`undangan_survei`) to the applicant; returns the outbox
        item's id. Once per request: asking again returns the same item (one that failed or was
        cancelled is queued again)."""
        self._require(Permission.EDIT_REQUEST)
        with self.db.writing() as session:
            req = self._load(session, request_id)
            self._ensure_finished(req)
            if has_response(session, req.id):
                raise Conflict(tr("Permohonan {number} sudah ada penilaian.", number=req.number))
            item = queue_invitation(self, session, req)
            if item.state in REQUEUE_FROM:
                self._move(session, item, OutboxState.QUEUED, action="outbox.retry")
            return item.id

    @staticmethod
    def _ensure_finished(req: Request) -> None:
        if req.status not in FINISHED:
            raise Conflict(tr("Survei kepuasan hanya untuk permohonan yang sudah selesai; permohonan {number} "
                              "masih {status}.", number=req.number, status=label(req.status).lower()))


def _checked(scores: Sequence[int]) -> tuple[int, ...]:
    values = tuple(scores)
    if len(values) != len(SURVEY_ELEMENTS):
        raise InvalidInput(tr("Penilaian harus berisi {n} nilai (U1–U9), bukan {got}.",
                              n=len(SURVEY_ELEMENTS), got=len(values)))
    for number, value in enumerate(values, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise InvalidInput(tr("Nilai U{n} harus 1, 2, 3, atau 4.", n=number))
    return values


def _info(row: SurveyResponse, number: str) -> SurveyInfo:
    return SurveyInfo(id=row.id, request_id=row.request_id or 0, request_number=number, scores=scores_of(row),
                      comment=row.comment, source=row.source, entered_by=row.entered_by,
                      message_id=row.message_id, answered_at=row.answered_at)
