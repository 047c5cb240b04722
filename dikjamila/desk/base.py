"""Shared plumbing of the desk: sessions, permission and ownership checks, audit, conversions."""

from __future__ import annotations

import functools
import json
import logging
import uuid
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from dikjamila import audit, changes
from dikjamila.auth.roles import ROLES, Actor, Permission, Role, allowed, require
from dikjamila.changes import ChangeKind
from dikjamila.config import Settings
from dikjamila.db.database import Database
from dikjamila.db.models import Attachment, AuditEvent, Note, Request, User
from dikjamila.db.types import utcnow
from dikjamila.desk.records import (
    AttachmentInfo,
    Channel,
    FileRole,
    NoteInfo,
    RequestDetail,
)
from dikjamila.desk.retry import is_retryable, run_retrying
from dikjamila.errors import (
    Conflict,
    DatabaseOffline,
    NotFound,
    PermissionDenied,
    UserError,
)
from dikjamila.i18n import tr
from dikjamila.identity.nik import mask_nik  # noqa: F401 - moved; desk modules import it from here
from dikjamila.intake.suggest import suggest_requirement

if TYPE_CHECKING:  # NOTE: workdays imports desk.timezone, which loads this package
    from dikjamila.workdays import WorkCalendar

log = logging.getLogger(__name__)


def db_call(method):
    """Turn a lost or locked database into a message the operator can act on.

    The transaction was rolled back by the session block, so nothing half-done remains.
    """

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return run_retrying(lambda: method(*args, **kwargs), method.__qualname__)
        except UserError:
            raise
        except OperationalError as exc:
            log.exception("database operation failed")
            if is_retryable(exc):
                raise UserError(tr(
                    "Basis data sedang sibuk dipakai komputer lain. Coba lagi sebentar lagi; "
                    "tidak ada data yang berubah.")) from exc
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise UserError(tr(
                    "Basis data sedang sibuk dipakai komputer lain. Coba lagi sebentar lagi; "
                    "tidak ada data yang berubah.")) from exc
            raise DatabaseOffline(tr(
                "Koneksi ke basis data terputus. Periksa jaringan atau server, lalu coba lagi; "
                "tidak ada data yang berubah.")) from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                log.warning("database connection lost: %s", exc)
                raise DatabaseOffline(tr(
                    "Koneksi ke basis data terputus. Periksa jaringan atau server, lalu coba lagi; "
                    "tidak ada data yang berubah.")) from exc
            log.exception("database error")
            raise UserError(tr("Basis data menolak perubahan ini; tidak ada data yang berubah.")) from exc

    return wrapper


class OfficeConfig(Protocol):
    """What the desk reads from its office at every call (so a settings change takes effect at once)."""

    settings: Settings

    @property
    def catalog(self): ...

    @property
    def store(self): ...

    @property
    def calendar(self) -> WorkCalendar: ...


class DeskBase:
    def __init__(self, db: Database, actor: Actor, office: OfficeConfig):
        self.db = db
        self.actor = actor
        self._office = office
        # Names this desk in the change log, so its own changes can be told from others'.
        self.origin = uuid.uuid4().hex[:16]

    # NOTE: read through the office at each use, never kept: an admin may change settings,
    # the SOP folder or the attachment limits while this desk lives.
    @property
    def settings(self) -> Settings:
        return self._office.settings

    @property
    def catalog(self):
        return self._office.catalog

    @property
    def store(self):
        return self._office.store

    @property
    def calendar(self) -> WorkCalendar:
        return self._office.calendar

    def _due_at(self, received_at: datetime, service_code: str) -> datetime:
        """When a request received at `received_at` is due: its SOP's target hours (the office's
        `default_target_hours` while no service is chosen, or the SOP names none), counted in
        working hours on the office calendar (a weekend or holiday adds nothing)."""
        hours = self.settings.default_target_hours
        if service_code:
            hours = self.catalog.get(service_code).target_hours or hours
        return self.calendar.add_working_hours(received_at, hours)

    # -- checks -----------------------------------------------------------------------
    def _require(self, permission: Permission) -> None:
        require(self.actor, permission)

    @staticmethod
    def _assignee(session: Session, user_id: int, permission: Permission) -> tuple[User, bool]:
        """(the user work would be handed to, whether they can take it: active, and their role
        allows `permission`). NotFound when there is no such user."""
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(tr("Pengguna #{id} tidak ditemukan.", id=user_id))
        return user, bool(user.active) and permission in ROLES.get(user.role, frozenset())

    def _load(self, session: Session, request_id: int) -> Request:
        req = session.get(Request, request_id)
        if req is None:
            raise NotFound(tr("Permohonan #{id} tidak ditemukan.", id=request_id))
        return req

    def _ensure_holder(self, session: Session, req: Request) -> None:
        """Work on a request claimed by someone else is refused (a supervisor may step in)."""
        if req.assignee_id in (None, self.actor.id) or allowed(self.actor, Permission.REASSIGN):
            return
        holder = session.get(User, req.assignee_id)
        raise Conflict(tr(
            "Permohonan {number} sedang ditangani oleh {name}.",
            number=req.number, name=holder.full_name if holder else "?"))

    def _ensure_kiosk_owns(self, session: Session, req: Request) -> None:
        """A village kiosk may only touch the request it created itself, never anyone else's."""
        if self.actor.role != Role.KIOSK:
            return
        created_here = session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.entity_type == "request", AuditEvent.entity_id == str(req.id),
                AuditEvent.action == "request.create", AuditEvent.actor_id == self.actor.id).limit(1))
        if created_here is None or req.channel != Channel.KIOSK:
            raise PermissionDenied(tr("Kios hanya dapat membuka permohonan yang dibuat di kios ini."))

    def _check_version(self, req: Request, expected_version: int | None) -> None:
        if expected_version is not None and req.row_version != expected_version:
            raise Conflict(tr(
                "Permohonan {number} sudah diubah orang lain sejak Anda membukanya. "
                "Muat ulang untuk melihat perubahannya; isian Anda tidak disimpan.",
                number=req.number))

    # -- changes --------------------------------------------------------------------------
    def _touch(self, req: Request) -> None:
        """A change to the request (its row, files or notes): new version, seen everywhere."""
        req.row_version += 1
        req.updated_at = utcnow()
        self._changed(Session.object_session(req), ChangeKind.REQUEST, req.id)

    def _changed(self, session: Session, kind: ChangeKind, entity_id) -> None:
        """Tell every watcher (here and on other workstations) that this record changed."""
        changes.record(session, kind, entity_id, self.origin)

    def _ensure_still_active(self, session: Session) -> None:
        """A user deactivated by an admin while signed in somewhere changes nothing more: every
        audited write checks the account in its own transaction (the user row is usually in the
        session already), and the refusal rolls the write back."""
        if self.actor.id is None:  # the system (outbox runner, intake)
            return
        user = session.get(User, self.actor.id)
        if user is None or not user.active:
            raise PermissionDenied(tr(
                "Akun {name} sudah dinonaktifkan admin; perubahan ini tidak disimpan.", name=self.actor.full_name))

    # -- audit --------------------------------------------------------------------------
    def _audit(self, session: Session, action: str, entity_type: str, entity_id, summary: dict | None = None):
        self._ensure_still_active(session)
        audit.record(session, actor_id=self.actor.id, actor_name=self.actor.username, action=action,
                     entity_type=entity_type, entity_id=entity_id, summary=summary)

    # -- conversions ----------------------------------------------------------------------
    @staticmethod
    def _attachment_info(a: Attachment) -> AttachmentInfo:
        return AttachmentInfo(
            id=a.id, request_id=a.request_id, blob_sha256=a.blob_sha256, original_name=a.original_name,
            kind=a.kind, mime=a.mime, size=a.size, pages=a.pages, requirement_code=a.requirement_code,
            role=a.role, source=a.source, created_at=a.created_at, caption=a.caption)

    def _detail(self, session: Session, req: Request) -> RequestDetail:
        assignee = session.get(User, req.assignee_id) if req.assignee_id else None
        attachments = session.scalars(
            select(Attachment).where(Attachment.request_id == req.id).order_by(Attachment.id)).all()
        notes = session.execute(
            select(Note, User.full_name).outerjoin(User, User.id == Note.author_id)
            .where(Note.request_id == req.id).order_by(Note.id)).all()
        return RequestDetail(
            id=req.id, uuid=req.uuid, number=req.number, service_code=req.service_code,
            sop_version=req.sop_version, applicant_name=req.applicant_name,
            applicant_phone=req.applicant_phone, applicant_nik=req.applicant_nik,
            subject_name=req.subject_name, subject_nik=req.subject_nik, kk_number=req.kk_number,
            facts=json.loads(req.facts_json or "{}"), kecamatan_code=req.kecamatan_code,
            village_code=req.village_code, channel=req.channel, status=req.status,
            complete=req.complete, assignee_id=req.assignee_id,
            assignee_name=assignee.full_name if assignee else "", received_at=req.received_at,
            updated_at=req.updated_at, due_at=req.due_at, closed_at=req.closed_at,
            reject_reason=req.reject_reason, row_version=req.row_version,
            attachments=self._with_suggestions(req, attachments),
            notes=[NoteInfo(n.id, name or "sistem", n.body, n.created_at) for n, name in notes],
            suggested_service=req.suggested_service, request_text=req.request_text, attention=req.attention,
        )

    def _with_suggestions(self, req: Request, attachments) -> list[AttachmentInfo]:
        """Each file's info; a resident's file not yet on the checklist carries the requirement
        its name, caption and neighbouring text suggest (computed now, for the chosen service)."""
        try:
            sop = self.catalog.get(req.service_code) if req.service_code else None
        except UserError:
            sop = None
        infos = []
        for a in attachments:
            info = self._attachment_info(a)
            if sop is not None and a.requirement_code is None and a.role == FileRole.RESIDENT:
                hint = suggest_requirement(a.original_name, a.caption, a.context, sop)
                if hint is not None:
                    info = replace(info, suggested_requirement=hint.code)
            infos.append(info)
        return infos
