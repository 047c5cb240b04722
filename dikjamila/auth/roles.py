"""Roles and permissions. The desk checks these on every call; a UI hiding a button is a courtesy."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from dikjamila.errors import PermissionDenied
from dikjamila.i18n import tr


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OPERATOR = "operator"
    KIOSK = "kiosk"


class Permission(StrEnum):
    VIEW_INBOX = "view_inbox"
    VIEW_REQUEST = "view_request"
    CREATE_REQUEST = "create_request"
    CLAIM = "claim"
    REASSIGN = "reassign"
    EDIT_REQUEST = "edit_request"
    ATTACH = "attach"
    ADVANCE = "advance"
    OVERRIDE_CHECKLIST = "override_checklist"
    REJECT = "reject"
    NOTE = "note"
    MANAGE_USERS = "manage_users"
    SETTINGS = "settings"
    BACKUP = "backup"
    AUDIT = "audit"
    REPORTS = "reports"
    RECORD_COMPLAINT = "record_complaint"  # record complaints, see and take them
    RESOLVE_COMPLAINT = "resolve_complaint"  # answer a complaint; the resident is told the outcome
    RECORD_SURVEY = "record_survey"  # type in IKM survey scores (a kiosk: for its own requests only)


_OPERATOR = {
    Permission.VIEW_INBOX, Permission.VIEW_REQUEST, Permission.CREATE_REQUEST, Permission.CLAIM,
    Permission.EDIT_REQUEST, Permission.ATTACH, Permission.ADVANCE, Permission.REJECT, Permission.NOTE,
    Permission.RECORD_COMPLAINT, Permission.RESOLVE_COMPLAINT, Permission.RECORD_SURVEY,
}
_SUPERVISOR = _OPERATOR | {
    Permission.REASSIGN, Permission.OVERRIDE_CHECKLIST, Permission.AUDIT, Permission.REPORTS,
}
ROLES: dict[str, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.OPERATOR: frozenset(_OPERATOR),
    # A village kiosk may only start a request and hand in its files (and the resident's survey
    # scores for a request it made): it never sees the inbox.
    Role.KIOSK: frozenset({Permission.CREATE_REQUEST, Permission.ATTACH, Permission.RECORD_SURVEY}),
}
ROLE_LABELS = {Role.ADMIN: "Admin", Role.SUPERVISOR: "Supervisor", Role.OPERATOR: "Operator",
               Role.KIOSK: "Kios desa"}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the local system (command line, demo)."""

    id: int | None
    username: str
    full_name: str
    role: str

    @classmethod
    def system(cls, name: str = "sistem") -> Actor:
        return cls(id=None, username=name, full_name=name, role=Role.ADMIN)


def allowed(actor: Actor, permission: Permission) -> bool:
    return permission in ROLES.get(actor.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    if not allowed(actor, permission):
        raise PermissionDenied(tr(
            "Peran {role} tidak boleh melakukan ini ({permission}).",
            role=ROLE_LABELS.get(actor.role, actor.role), permission=permission.value))
