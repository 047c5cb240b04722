"""The IKM survey's pieces shared by the desk's survey methods, the finish hook (workflow,
outbox runner) and the WhatsApp replies: which requests may answer, storing one response, the
invitation (once per request).

Module functions taking the desk, so that `WorkflowOps` and the outbox runner can call them in
their own write transaction without being survey classes themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dikjamila.changes import ChangeKind
from dikjamila.db.models import OutboxItem, Request, SurveyResponse
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase
from dikjamila.desk.outbox import queue_once
from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr
from dikjamila.identity import normalize_phone
from dikjamila.lifecycle import Status

log = logging.getLogger(__name__)

#: A request the resident can judge: its document went out, or it is closed (a card: picked up).
FINISHED = frozenset({Status.TERKIRIM.value, Status.SELESAI.value})
INVITATION = "undangan_survei"
#: The nine elements in the invitation's fixed order (PermenPANRB 14/2017), source texts for `tr`.
SURVEY_ELEMENTS = (
    "Persyaratan", "Prosedur", "Waktu penyelesaian", "Biaya/tarif", "Hasil layanan", "Kemampuan petugas",
    "Sikap dan keramahan petugas", "Penanganan pengaduan, saran, dan masukan", "Sarana dan prasarana",
)
SCORE_LABELS = {1: "Tidak baik", 2: "Kurang baik", 3: "Baik", 4: "Sangat baik"}


def has_response(session: Session, request_id: int) -> bool:
    return session.scalar(select(SurveyResponse.id).where(SurveyResponse.request_id == request_id)) is not None


def add_response(desk: DeskBase, session: Session, req: Request, scores: Sequence[int], *, source: str,
                 comment: str = "", message_id: int | None = None) -> SurveyResponse | None:
    """Store the nine (checked) scores for `req`; None when it has a response already — the
    unique index decides between two writers, inside a savepoint so the caller's change stays."""
    row = SurveyResponse(request_id=req.id, answered_at=utcnow(), comment=comment, source=source,
                         entered_by=desk.actor.id if source != "whatsapp" else None, message_id=message_id,
                         **{f"u{n}": int(score) for n, score in enumerate(scores, start=1)})
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        log.info("survey response for request %s already stored by another writer", req.id)
        return None
    desk._changed(session, ChangeKind.SURVEY, req.id)
    desk._audit(session, "survey.record", "request", req.id, {
        "response_id": row.id, "scores": list(scores), "source": source, "message_id": message_id,
        "comment": bool(comment)})
    return row


def scores_of(row: SurveyResponse) -> tuple[int, ...]:
    return (row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9)


def echo(scores: Sequence[int]) -> str:
    """The scores as the resident reads them back: one "U1 Persyaratan: 4" line each."""
    return "\n".join(f"U{n} {tr(name)}: {score}"
                     for n, (name, score) in enumerate(zip(SURVEY_ELEMENTS, scores, strict=True), start=1))


def render(desk: DeskBase, template: str, req: Request, **extra: str) -> str:
    """A survey message for `req` with every placeholder its template allows."""
    try:
        service = desk.catalog.get(req.service_code).name if req.service_code else ""
    except UserError:
        service = ""
    values = {"nomor": req.number, "nama": req.applicant_name, "kantor": desk.settings.office_name,
              "layanan": service or tr("administrasi kependudukan"), **extra}
    return cast(Any, desk._office).templates.render(template, **values)


def queue_invitation(desk: DeskBase, session: Session, req: Request) -> OutboxItem:
    """Queue `undangan_survei` to the applicant, once per request (the key names the request,
    not the text: an edited template does not invite again)."""
    if not req.applicant_phone:
        raise InvalidInput(tr("Nomor WhatsApp pemohon belum diisi."))
    return queue_once(desk, session, recipient=normalize_phone(req.applicant_phone).e164,
                      text=render(desk, INVITATION, req), purpose=INVITATION, key=f"survey-invite:{req.uuid}",
                      request_id=req.id)


def invite_when_finished(desk: DeskBase, session: Session, req: Request) -> None:
    """The hook where a request changes status (`WorkflowOps.advance`, the outbox runner's
    `terkirim`): invite the resident once the request is finished, if the setting
    `survey_invite_on_finish` is on and it has a number and no response. Never fails the
    move: a broken template or number is logged."""
    if not desk.settings.survey_invite_on_finish or req.status not in FINISHED or not req.applicant_phone:
        return
    if has_response(session, req.id):
        return
    try:
        queue_invitation(desk, session, req)
    except UserError as exc:
        log.warning("survey invitation for request %s not queued: %s", req.id, exc.message)
