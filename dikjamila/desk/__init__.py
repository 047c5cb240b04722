"""The desk: the one façade the UI, the command line and scripts use.

One object per open database and signed-in actor; each method runs one short session and
returns plain dataclasses. Permissions are checked here, and every change writes an audit event.
"""

from dikjamila.desk.anchor import AnchorOps, AuditCheck
from dikjamila.desk.attachments import AttachmentOps
from dikjamila.desk.chat_import import ChatImportOps
from dikjamila.desk.complaints import ComplaintOps
from dikjamila.desk.duplicates import DuplicateInfo, DuplicateOps
from dikjamila.desk.incoming import IncomingInfo, IncomingOps
from dikjamila.desk.issued_match import IssuedMatch, IssuedMatchOps
from dikjamila.desk.kiosk_intake import KioskIntakeOps, KioskTakeReport
from dikjamila.desk.link import LinkInfo, LinkOps
from dikjamila.desk.messages import ConversationEntry, MessageOps
from dikjamila.desk.outbox import OutboxInfo
from dikjamila.desk.outbox_runner import Claim
from dikjamila.desk.paperwork import PaperworkOps
from dikjamila.desk.queries import QueryOps
from dikjamila.desk.records import (
    CHANNEL_LABELS,
    CHANNELS,
    AttachmentInfo,
    Cursor,
    InboxFilter,
    InboxPage,
    InboxRow,
    NewRequest,
    NoteInfo,
    RequestDetail,
    UserInfo,
)
from dikjamila.desk.reports import ReportOps
from dikjamila.desk.routing import RouteReport
from dikjamila.desk.sending import DocumentCheck, NeedsScanConfirmation, SendingOps
from dikjamila.desk.survey import SurveyOps
from dikjamila.desk.tray import LooseFileInfo, LooseOffer, TrayOps
from dikjamila.desk.workflow import WorkflowOps


class Desk(IncomingOps, ChatImportOps, WorkflowOps, AttachmentOps, MessageOps, SendingOps, LinkOps, DuplicateOps, IssuedMatchOps,
           QueryOps, TrayOps, PaperworkOps, ComplaintOps, SurveyOps, ReportOps, AnchorOps, KioskIntakeOps):
    """All use cases of the front desk, for one actor."""


__all__ = [
    "CHANNELS",
    "CHANNEL_LABELS",
    "AttachmentInfo",
    "AuditCheck",
    "Claim",
    "ConversationEntry",
    "Cursor",
    "Desk",
    "DocumentCheck",
    "DuplicateInfo",
    "InboxFilter",
    "InboxPage",
    "InboxRow",
    "IncomingInfo",
    "IssuedMatch",
    "KioskTakeReport",
    "LinkInfo",
    "LooseFileInfo",
    "LooseOffer",
    "NeedsScanConfirmation",
    "NewRequest",
    "NoteInfo",
    "OutboxInfo",
    "RequestDetail",
    "RouteReport",
    "UserInfo",
]
