"""Claiming, editing, moving a request through its lifecycle, rejecting, notes."""

from __future__ import annotations

import json

from sqlalchemy import or_, update

from dikjamila.auth.roles import Permission, allowed
from dikjamila.changes import ChangeKind
from dikjamila.db.models import Note, Request, User
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call, mask_nik
from dikjamila.desk.completeness import CompletenessOps
from dikjamila.desk.records import NoteInfo, RequestDetail
from dikjamila.desk.survey_common import invite_when_finished
from dikjamila.desk.validation import clean_fields
from dikjamila.errors import Conflict, InvalidInput, NotFound, UserError
from dikjamila.guards import reason_problem
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED, Status, can_move, label, next_statuses


class WorkflowOps(CompletenessOps):
    @db_call
    def claim(self, request_id: int) -> RequestDetail:
        """Take a request. Of two people claiming at once exactly one wins; the other is told who."""
        self._require(Permission.CLAIM)
        if self.actor.id is None:
            raise UserError(tr("Masuk sebagai pengguna untuk mengambil permohonan."))
        with self.db.writing() as session:
            # One conditional UPDATE: the database decides the race, not a read-then-write.
            result = session.execute(
                update(Request)
                .where(Request.id == request_id,
                       or_(Request.assignee_id.is_(None), Request.assignee_id == self.actor.id),
                       Request.status.not_in([s.value for s in CLOSED]))
                .values(assignee_id=self.actor.id, row_version=Request.row_version + 1, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            req = self._load(session, request_id)
            if result.rowcount != 1:
                if req.status in CLOSED:
                    raise Conflict(tr("Permohonan {number} sudah {status}.", number=req.number,
                                      status=label(req.status).lower()))
                holder = session.get(User, req.assignee_id)
                raise Conflict(tr("Permohonan {number} sudah diambil oleh {name}.",
                                  number=req.number, name=holder.full_name if holder else "?"))
            session.refresh(req)
            self._changed(session, ChangeKind.REQUEST, req.id)
            self._audit(session, "request.claim", "request", req.id, {"assignee": self.actor.username})
            return self._detail(session, req)

    @db_call
    def release(self, request_id: int) -> RequestDetail:
        """Give a claimed request back to the shared queue."""
        self._require(Permission.CLAIM)
        with self.db.writing() as session:
            req = self._load_locked(session, request_id)
            self._ensure_holder(session, req)
            req.assignee_id = None
            self._touch(req)
            self._audit(session, "request.release", "request", req.id, {})
            return self._detail(session, req)

    @db_call
    def assign(self, request_id: int, user_id: int | None) -> RequestDetail:
        """A supervisor hands a request to someone (or back to the queue)."""
        self._require(Permission.REASSIGN)
        with self.db.writing() as session:
            req = self._load_locked(session, request_id)
            if user_id is not None:
                # (a deactivated account, or one that cannot take requests such as a kiosk's,
                # would hold the request where nobody works on it)
                user, can_take = self._assignee(session, user_id, Permission.CLAIM)
                if not can_take:
                    raise InvalidInput(tr("{name} tidak dapat menangani permohonan.", name=user.full_name))
            before = req.assignee_id
            req.assignee_id = user_id
            self._touch(req)
            self._audit(session, "request.assign", "request", req.id, {"from": before, "to": user_id})
            return self._detail(session, req)

    @db_call
    def update_request(self, request_id: int, expected_version: int, changes: dict) -> RequestDetail:
        """Change applicant/subject facts. A stale `expected_version` is refused, never overwritten."""
        self._require(Permission.EDIT_REQUEST)
        fields, _warnings = clean_fields(changes, catalog=self.catalog)
        with self.db.writing() as session:
            req = self._load_locked(session, request_id)
            self._check_version(req, expected_version)
            self._ensure_holder(session, req)
            if req.status in CLOSED:
                raise Conflict(tr("Permohonan yang sudah {status} tidak bisa diubah.", status=label(req.status).lower()))
            diff = {}
            for key, value in fields.items():
                if key == "facts":
                    old = json.loads(req.facts_json or "{}")
                    new = {**old, **value}
                    new = {k: v for k, v in new.items() if v is not None}
                    if new != old:
                        req.facts_json = json.dumps(new, ensure_ascii=False, default=str)
                        diff["facts"] = {k: [old.get(k), new.get(k)] for k in set(old) | set(new)
                                         if old.get(k) != new.get(k)}
                    continue
                old = getattr(req, key)
                if key == "service_code" and not old and value:
                    # Chosen at last: the due time follows the SOP from now on, not the
                    # office default it waited under.
                    req.due_at = self._due_at(req.received_at, value)
                if old != value:
                    setattr(req, key, value)
                    shown = (mask_nik(old), mask_nik(value)) if key.endswith("_nik") else (old, value)
                    diff[key] = list(shown)
            if not diff:
                return self._detail(session, req)
            session.flush()
            self._recheck(session, req)
            self._touch(req)
            self._audit(session, "request.update", "request", req.id, diff)
            return self._detail(session, req)

    @db_call
    def advance(self, request_id: int, target: str, *, expected_version: int | None = None,
                override_reason: str = "") -> RequestDetail:
        """Move to the next status, if the lifecycle and its guards allow it."""
        self._require(Permission.ADVANCE)
        with self.db.writing() as session:
            req = self._load_locked(session, request_id)
            self._check_version(req, expected_version)
            self._ensure_holder(session, req)
            if not req.service_code:
                raise Conflict(tr("Pilih dulu layanan permohonan {number}.", number=req.number))
            sop = self.catalog.get(req.service_code)
            if target not in Status.__members__.values() or not can_move(
                    req.status, target, ends_in_pickup=sop.ends_in_pickup):
                options = ", ".join(label(s) for s in next_statuses(req.status, ends_in_pickup=sop.ends_in_pickup))
                raise Conflict(tr("Dari status {current} tidak bisa pindah ke {target}. Pilihan: {options}.",
                                  current=label(req.status), target=target, options=options or "-"))
            summary = {"from": req.status, "to": target}
            blocker = self._move_blocker(session, req, sop, target)
            if blocker:
                if target == Status.DIPROSES and override_reason.strip():
                    self._require(Permission.OVERRIDE_CHECKLIST)
                    if problem := reason_problem(override_reason, what=tr("pengecualian")):
                        raise InvalidInput(problem)
                    summary["override"] = override_reason.strip()
                else:
                    raise Conflict(blocker)
            if req.assignee_id is None and self.actor.id is not None:
                req.assignee_id = self.actor.id
            _mark_service_time(req, target)
            req.status = target
            if target in CLOSED:
                req.closed_at = utcnow()
            self._touch(req)
            self._audit(session, "request.advance", "request", req.id, summary)
            invite_when_finished(self, session, req)  # the IKM survey, once finished (a setting)
            return self._detail(session, req)

    @db_call
    def reject(self, request_id: int, reason: str, *, expected_version: int | None = None) -> RequestDetail:
        """Close a request as `ditolak`; the reason is required and kept."""
        self._require(Permission.REJECT)
        reason = reason.strip()
        if problem := reason_problem(reason, what=tr("penolakan")):
            raise InvalidInput(problem)
        with self.db.writing() as session:
            req = self._load_locked(session, request_id)
            self._check_version(req, expected_version)
            self._ensure_holder(session, req)
            if req.status in CLOSED:
                raise Conflict(tr("Permohonan {number} sudah {status}.", number=req.number,
                                  status=label(req.status).lower()))
            before = req.status
            _mark_service_time(req, Status.DITOLAK.value)
            req.status = Status.DITOLAK.value
            req.reject_reason = reason
            req.closed_at = utcnow()
            self._touch(req)
            self._audit(session, "request.reject", "request", req.id, {"from": before, "reason": reason})
            return self._detail(session, req)

    @db_call
    def add_note(self, request_id: int, body: str) -> NoteInfo:
        self._require(Permission.NOTE)
        body = body.strip()
        if not body:
            raise InvalidInput(tr("Catatan kosong tidak disimpan."))
        with self.db.writing() as session:
            req = self._load(session, request_id)
            note = Note(request_id=req.id, author_id=self.actor.id, body=body, created_at=utcnow())
            session.add(note)
            session.flush()
            # A note changes what the request shows, not its data: no new row version, so a
            # colleague's unsaved edits are not refused because of it.
            self._changed(session, ChangeKind.REQUEST, req.id)
            self._audit(session, "request.note", "request", req.id, {"note_id": note.id, "length": len(body)})
            return NoteInfo(note.id, self.actor.full_name, note.body, note.created_at)

    def can_override(self) -> bool:
        return allowed(self.actor, Permission.OVERRIDE_CHECKLIST)

    @staticmethod
    def _load_locked(session, request_id: int) -> Request:
        """The request, its row locked until commit (FOR UPDATE).

        On PostgreSQL an edit from another PC then waits for this one and reads the row version
        it left, so `_check_version` refuses it instead of both passing the check and the
        later overwriting the earlier. SQLite drops the clause: one writer at a time already.
        """
        req = session.get(Request, request_id, with_for_update=True)
        if req is None:
            raise NotFound(tr("Permohonan #{id} tidak ditemukan.", id=request_id))
        return req


def _mark_service_time(req: Request, target: str) -> None:
    """Keep the report's marks: the first `terbit`, and the time spent waiting in `berkas_kurang`."""
    now = utcnow()
    if req.status == Status.BERKAS_KURANG and req.incomplete_since is not None:
        req.incomplete_seconds = (req.incomplete_seconds or 0) + max(
            0, int((now - req.incomplete_since).total_seconds()))
        req.incomplete_since = None
    if target == Status.BERKAS_KURANG:
        req.incomplete_since = now
    if target == Status.TERBIT and req.issued_at is None:
        req.issued_at = now
