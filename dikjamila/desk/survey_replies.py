"""Survey answers that come by WhatsApp: read, recorded and answered — each exactly once.

Routing (`RoutingOps._route_sender`) asks `route_survey_answer` about every waiting message
before its own rules. A text (no file) received live from a number the survey invitation went
to is taken when the invitation's request is finished and either
- the text quotes the invitation and holds a digit, or
- it looks like an answer (`dikjamila.intake.survey_reply`), and an invitation went to that
  number in the last 30 days (the newest one without a response; else the newest).
Then the message joins that request's conversation (route flag "survey") and:
- nine valid scores, no response yet: the response is stored (source "whatsapp", the message)
  and `konfirmasi_survei` echoes the scores — once per request;
- a garbled attempt, no response yet: `cara_menjawab_survei` explains how to answer — once
  per message, at most three times per request;
- the request has a response already: nothing is sent (the operator sees the message in the
  conversation; one answer per request counts).
Everything else ("terima kasih bu", a new request) routes as usual. Replays never reach this
(messages are stored once by their WhatsApp id) and a handled message is never routed again;
the outbox keys (the request's uuid, the message's WhatsApp id) and the response's unique
index hold even so.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dikjamila.changes import ChangeKind
from dikjamila.db.models import Message, OutboxItem, Request
from dikjamila.db.types import utcnow
from dikjamila.desk.base import DeskBase
from dikjamila.desk.outbox import queue_once
from dikjamila.desk.survey_common import (
    FINISHED,
    INVITATION,
    add_response,
    echo,
    has_response,
    render,
)
from dikjamila.errors import UserError
from dikjamila.intake.survey_reply import SurveyParse, parse_survey_reply
from dikjamila.whatsapp.outbox_state import WENT_OUT, OutboxState

log = logging.getLogger(__name__)

#: An unquoted answer counts for an invitation sent this long before it.
WINDOW = timedelta(days=30)
#: Clock difference tolerated between the invitation's server time and the answer's.
SLACK = timedelta(minutes=5)
MAX_HOW_TO = 3
FLAG = "survey"
CONFIRMATION = "konfirmasi_survei"
HOW_TO = "cara_menjawab_survei"
_OUT = tuple(s.value for s in WENT_OUT | {OutboxState.UNCERTAIN})


def route_survey_answer(desk: DeskBase, session: Session, msg: Message) -> bool:
    """Take `msg` if it answers a survey invitation (see the module); True when taken."""
    if msg.direction != "in" or msg.import_id is not None or not msg.wa_message_id or not msg.sender_phone \
            or msg.blob_sha256 or msg.file_name or not msg.body.strip():
        return False
    parsed = parse_survey_reply(msg.body)
    if not (parsed.looks_like_answer or (msg.quoted_wa_id and parsed.digits)):
        return False  # (ordinary conversation costs no query here)
    invitation = _quoted_invitation(session, msg) if msg.quoted_wa_id else None
    if invitation is None and parsed.looks_like_answer:
        invitation = _recent_invitation(session, msg)
    req = session.get(Request, invitation.request_id) if invitation is not None else None
    if req is None or req.status not in FINISHED:
        return False
    msg.request_id, msg.handled_at, msg.route_flag = req.id, utcnow(), FLAG
    desk._changed(session, ChangeKind.CONVERSATION, req.id)
    desk._changed(session, ChangeKind.MESSAGE, msg.id)
    outcome = _answer(desk, session, req, msg, parsed)
    desk._audit(session, "survey.reply", "request", req.id, {
        "message_id": msg.id, "wa_id": msg.wa_message_id, "outcome": outcome})
    return True


def _answer(desk: DeskBase, session: Session, req: Request, msg: Message, parsed: SurveyParse) -> str:
    if has_response(session, req.id):
        return "already_answered"
    if parsed.ok:
        if add_response(desk, session, req, parsed.scores, source="whatsapp", message_id=msg.id) is None:
            return "already_answered"
        _reply(desk, session, req, msg, CONFIRMATION, f"survey-confirm:{req.uuid}", langkah=echo(parsed.scores))
        return "recorded"
    told = session.scalar(select(func.count()).select_from(OutboxItem).where(
        OutboxItem.request_id == req.id, OutboxItem.template == HOW_TO)) or 0
    if told < MAX_HOW_TO:
        _reply(desk, session, req, msg, HOW_TO, f"survey-how-to:{msg.wa_message_id}")
    return "garbled"


def _reply(desk: DeskBase, session: Session, req: Request, msg: Message, template: str, key: str,
           **extra: str) -> None:
    try:
        text = render(desk, template, req, **extra)
    except UserError as exc:  # a broken office override: the answer is kept, only the reply is lost
        log.warning("survey reply %s for request %s not queued: %s", template, req.id, exc.message)
        return
    queue_once(desk, session, recipient=msg.sender_phone, text=text, purpose=template, key=key,
               request_id=req.id, in_reply_to_id=msg.id)


def _quoted_invitation(session: Session, msg: Message) -> OutboxItem | None:
    return session.scalar(select(OutboxItem).where(
        OutboxItem.wa_message_id == msg.quoted_wa_id, OutboxItem.template == INVITATION,
        OutboxItem.request_id.is_not(None)).limit(1))


def _recent_invitation(session: Session, msg: Message) -> OutboxItem | None:
    """The newest invitation to the sender that went out within WINDOW before `msg`, one
    whose request has no response preferred. (By the sender's requests: indexed.)"""
    rows = session.scalars(select(OutboxItem).join(Request, Request.id == OutboxItem.request_id).where(
        Request.applicant_phone == msg.sender_phone, Request.status.in_(FINISHED),
        OutboxItem.template == INVITATION, OutboxItem.state.in_(_OUT)).order_by(OutboxItem.id.desc()).limit(10))
    recent = []
    for item in rows:
        went = item.server_time or item.last_attempt_at or item.updated_at
        if went - SLACK <= msg.sent_at <= went + WINDOW:
            recent.append(item)
    return next((i for i in recent if i.request_id is not None and not has_response(session, i.request_id)),
                recent[0] if recent else None)
