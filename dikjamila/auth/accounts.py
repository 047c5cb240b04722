"""Accounts over time: an admin resets a password, deactivates a user who left (and may bring
them back); a signed-in user changes their own password or proves it again (the idle lock).

Nothing is ever deleted: a deactivated user keeps their row, so the history, notes and
requests they handled still show their full name. Deactivating releases the requests and
complaints they held and still open (back to the shared queue, an audit event each), so no
work waits on someone who is gone. The last active admin cannot be deactivated, nor can an
admin deactivate themselves. Every change appends to the change log and the audit log in its
own transaction; no password or hash ever goes into either.

The argon2 checks run outside the write transaction (they are slow on purpose): the stored
hash is read, checked, and the write then refuses if the hash changed meanwhile.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila import audit, changes
from dikjamila.auth.passwords import hash_password, verify_password
from dikjamila.auth.roles import Actor, Permission, Role, require
from dikjamila.changes import ChangeKind
from dikjamila.db.database import Database
from dikjamila.db.models import Complaint, Request, User
from dikjamila.db.types import utcnow
from dikjamila.desk.base import db_call
from dikjamila.desk.complaint_records import ComplaintStatus
from dikjamila.desk.records import UserInfo
from dikjamila.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    UserError,
)
from dikjamila.i18n import tr
from dikjamila.lifecycle import CLOSED

#: Shown when a deactivated user signs in (or unlocks) with their right password — never to
#: someone who does not know it, so it tells a stranger nothing about which names exist.
DEACTIVATED = "Akun ini sudah dinonaktifkan. Hubungi admin."
WRONG_PASSWORD = "Kata sandi salah."


@dataclass(frozen=True)
class Deactivation:
    """A deactivated user, and the work given back: request numbers and complaint ids."""

    user: UserInfo
    released_requests: tuple[str, ...] = ()
    released_complaints: tuple[int, ...] = ()


@functools.cache
def _decoy_hash() -> str:
    return hash_password("bukan-kata-sandi-siapa-pun")


def check_unknown(password: str) -> bool:
    """Spend the time of a real check on a name that does not exist, so a sign-in answers an
    unknown name as slowly as a wrong password (the time tells a stranger nothing). False."""
    verify_password(_decoy_hash(), password)
    return False


# -- admin: list, reset, deactivate, activate ---------------------------------------------------
@db_call
def list_users(db: Database, by: Actor) -> list[UserInfo]:
    """Every user, active first, then by full name (admin only)."""
    require(by, Permission.MANAGE_USERS)
    with db.reading() as session:
        users = session.scalars(select(User).order_by(User.active.desc(), User.full_name, User.username))
        return [_info(u) for u in users]


@db_call
def reset_password(db: Database, by: Actor, username: str, password: str) -> UserInfo:
    """Give `username` a new password (the office's rules: `hash_password`). Their old one no
    longer signs in. Allowed for a deactivated user too (before bringing them back)."""
    require(by, Permission.MANAGE_USERS)
    hashed = hash_password(password)
    with db.writing() as session:
        user = _find(session, username, lock=True)
        user.password_hash = hashed
        _record(session, by, "user.reset_password", user)
        return _info(user)


@db_call
def deactivate(db: Database, by: Actor, username: str) -> Deactivation:
    """Stop `username` from signing in; their open requests and complaints go back to the queue.

    Refused for oneself and for the last active admin (the office would have nobody left to
    manage it). Their name stays on everything they did.
    """
    require(by, Permission.MANAGE_USERS)
    with db.writing() as session:
        user = _find(session, username, lock=True)
        if by.id is not None and user.id == by.id:
            raise PermissionDenied(tr("Anda tidak dapat menonaktifkan akun Anda sendiri. "
                                      "Minta admin lain melakukannya."))
        if not user.active:
            raise Conflict(tr("Akun {name} sudah nonaktif.", name=user.username))
        if user.role == Role.ADMIN:
            # Locked (FOR UPDATE on a server): two admins deactivating each other at once
            # cannot both pass this check.
            others = session.scalars(select(User.id).where(
                User.role == Role.ADMIN, User.active.is_(True), User.id != user.id).with_for_update()).all()
            if not others:
                raise Conflict(tr("{name} adalah admin aktif terakhir dan tidak dapat dinonaktifkan. "
                                  "Jadikan pengguna lain admin atau aktifkan admin lain dulu.",
                                  name=user.full_name))
        user.active = False
        numbers = _release_requests(session, by, user)
        complaints = _release_complaints(session, by, user)
        _record(session, by, "user.deactivate", user,
                {"released_requests": list(numbers), "released_complaints": list(complaints)})
        return Deactivation(_info(user), numbers, complaints)


@db_call
def activate(db: Database, by: Actor, username: str) -> UserInfo:
    """Let a deactivated user sign in again (with the password they had, or one reset since)."""
    require(by, Permission.MANAGE_USERS)
    with db.writing() as session:
        user = _find(session, username, lock=True)
        if user.active:
            raise Conflict(tr("Akun {name} sudah aktif.", name=user.username))
        user.active = True
        _record(session, by, "user.activate", user)
        return _info(user)


# -- a signed-in user ---------------------------------------------------------------------------
@db_call
def change_own_password(db: Database, actor: Actor, old: str, new: str) -> None:
    """Change the signed-in user's password; the old one must be given (and right)."""
    if actor.id is None:
        raise UserError(tr("Masuk sebagai pengguna untuk mengganti kata sandi."))
    if new == old:
        raise InvalidInput(tr("Kata sandi baru harus berbeda dari yang lama."))
    stored = _stored_hash(db, actor)
    if not verify_password(stored, old):
        _record_failure(db, actor, "user.change_password_failed")
        raise InvalidInput(tr("Kata sandi lama salah."))
    hashed = hash_password(new)
    with db.writing() as session:
        user = _find(session, actor.username, lock=True)
        if user.password_hash != stored:  # reset by an admin while we were checking
            raise Conflict(tr("Kata sandi akun ini baru saja diubah di tempat lain. Coba lagi."))
        if not user.active:
            raise PermissionDenied(tr(DEACTIVATED))
        user.password_hash = hashed
        _record(session, actor, "user.change_password", user)


@db_call
def confirm_password(db: Database, actor: Actor, password: str) -> None:
    """The signed-in user proves it is still them (unlocking an idle workstation).

    Wrong: `InvalidInput` (audited as a failed unlock). A deactivated account is refused even
    with the right password.
    """
    if actor.id is None:
        raise UserError(tr("Masuk sebagai pengguna untuk membuka kunci."))
    stored = _stored_hash(db, actor)
    if not verify_password(stored, password):
        _record_failure(db, actor, "user.unlock_failed")
        raise InvalidInput(tr(WRONG_PASSWORD))
    with db.writing() as session:
        user = _find(session, actor.username)
        if not user.active:
            audit.record(session, actor_id=user.id, actor_name=user.username, action="user.unlock_failed",
                         entity_type="user", entity_id=user.id, summary={"reason": "inactive"})
        else:
            audit.record(session, actor_id=user.id, actor_name=user.username, action="user.unlock",
                         entity_type="user", entity_id=user.id, summary={})
    if not user.active:
        raise PermissionDenied(tr(DEACTIVATED))


@db_call
def is_active(db: Database, user_id: int) -> bool:
    """Whether the user may still work (False for a deactivated or unknown one)."""
    with db.reading() as session:
        return bool(session.scalar(select(User.active).where(User.id == user_id)))


# -- helpers ------------------------------------------------------------------------------------
def _find(session: Session, username: str, *, lock: bool = False) -> User:
    query = select(User).where(User.username == username.strip().lower())
    user = session.scalar(query.with_for_update() if lock else query)
    if user is None:
        raise NotFound(tr("Pengguna {name} tidak ada.", name=username.strip()))
    return user


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.username, user.full_name, user.role, user.active)


def _stored_hash(db: Database, actor: Actor) -> str:
    with db.reading() as session:
        stored = session.scalar(select(User.password_hash).where(User.id == actor.id))
    if stored is None:
        raise NotFound(tr("Pengguna {name} tidak ada.", name=actor.username))
    return stored


def _record(session: Session, by: Actor, action: str, user: User, extra: dict | None = None) -> None:
    """The change (every workstation's user lists follow) and its audit event: who, for whom."""
    changes.record(session, ChangeKind.USER, user.id, by.username)
    audit.record(session, actor_id=by.id, actor_name=by.username, action=action, entity_type="user",
                 entity_id=user.id, summary={"username": user.username, **(extra or {})})


def _record_failure(db: Database, actor: Actor, action: str) -> None:
    with db.writing() as session:
        audit.record(session, actor_id=actor.id, actor_name=actor.username, action=action,
                     entity_type="user", entity_id=actor.id, summary={})


def _release_requests(session: Session, by: Actor, user: User) -> tuple[str, ...]:
    """Open requests held by `user` go back to the shared queue, an event on each one's history."""
    held = session.scalars(select(Request).where(
        Request.assignee_id == user.id, Request.status.not_in([s.value for s in CLOSED]))
        .order_by(Request.id).with_for_update()).all()
    now = utcnow()
    for req in held:
        req.assignee_id = None
        req.row_version += 1
        req.updated_at = now
        changes.record(session, ChangeKind.REQUEST, req.id, by.username)
        audit.record(session, actor_id=by.id, actor_name=by.username, action="request.release",
                     entity_type="request", entity_id=req.id,
                     summary={"from": user.username, "reason": "user_deactivated"})
    return tuple(req.number for req in held)


def _release_complaints(session: Session, by: Actor, user: User) -> tuple[int, ...]:
    """Unresolved complaints given to `user` go back to nobody ("open"), as `assign_complaint` does."""
    held = session.scalars(select(Complaint).where(
        Complaint.assignee_id == user.id, Complaint.status != ComplaintStatus.RESOLVED)
        .order_by(Complaint.id).with_for_update()).all()
    for complaint in held:
        complaint.assignee_id = None
        complaint.status = ComplaintStatus.OPEN
        changes.record(session, ChangeKind.COMPLAINT, complaint.id, by.username)
        audit.record(session, actor_id=by.id, actor_name=by.username, action="complaint.assign",
                     entity_type="complaint", entity_id=complaint.id,
                     summary={"from": user.id, "to": None, "reason": "user_deactivated"})
    return tuple(c.id for c in held)
