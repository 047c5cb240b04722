"""An office: one data dir opened — settings, database, SOP catalog, attachment store, users."""

from __future__ import annotations

import logging
import os
from dataclasses import asdict
from functools import cached_property
from pathlib import Path

from sqlalchemy import func, select

from dikjamila import audit, changes, office_settings
from dikjamila.auth import accounts
from dikjamila.auth.passwords import hash_password, verify_password
from dikjamila.auth.roles import ROLES, Actor, Permission, Role, require
from dikjamila.backup import office_store
from dikjamila.changes import ChangeKind
from dikjamila.config import (
    ATTACHMENT_STORAGES,
    Paths,
    Settings,
    attachment_storage_for,
    database_url,
    load_settings,
    office_paths,
    save_settings,
)
from dikjamila.db.database import Database
from dikjamila.db.models import User
from dikjamila.desk import Desk, UserInfo
from dikjamila.desk.base import db_call
from dikjamila.errors import Conflict, InvalidInput, PermissionDenied, UserError
from dikjamila.files import AttachmentStore
from dikjamila.files.db_store import DatabaseBlobStore
from dikjamila.files.folder_check import check_attachment_folder
from dikjamila.i18n import tr
from dikjamila.sop import load_catalog
from dikjamila.workdays import WorkCalendar, load_calendar, office_calendar_dir

log = logging.getLogger(__name__)


class Office:
    """Open with `Office.open(data_dir, db_url)`; then `login(...)` and `desk(actor)`."""

    def __init__(self, paths: Paths, settings: Settings, db: Database):
        self.paths = paths
        self.settings = settings
        self.db = db

    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None, db_url: str | None = None, *,
             create: bool = True) -> Office:
        """Open the office of `data_dir` (see `config.resolve_data_dir`).

        `create=False` (read-only commands): a folder without an office is refused, untouched.
        An unusable data dir or database raises UserError in Indonesian; the technical detail
        goes to the log.
        """
        paths = office_paths(data_dir, db_url, create=create)
        settings = load_settings(paths)
        url = database_url(paths, settings, db_url)
        try:
            db = Database(url, backup_dir=paths.backups_dir)
        except UserError:
            raise
        except Exception as exc:  # a bad URL, an unreachable server, a broken file
            # The driver's English text (and SQLAlchemy's help link) is for the log only.
            log.warning("the database %s could not be opened", _redact(url), exc_info=True)
            raise UserError(tr("Basis data tidak bisa dibuka ({url}). Periksa alamat basis data (pengaturan "
                               "atau --db-url), jaringan, dan server basis data; rinciannya ada di berkas log.",
                               url=_redact(url))) from exc
        return cls(paths, _with_office_settings(db, settings), db)

    def refresh_settings(self) -> bool:
        """Take the office's settings as the database has them now (another PC changed them);
        True when they differ from what this office had."""
        with self.db.reading() as session:
            office = office_settings.read_office(session)
        fresh = office_settings.merged(load_settings(self.paths), office) if office else self.settings
        if fresh == self.settings:
            return False
        self._take(fresh)
        return True

    def close(self) -> None:
        self.db.close()

    @cached_property
    def catalog(self):
        override = Path(self.settings.sop_override_dir) if self.settings.sop_override_dir else self.paths.default_sop_dir
        return load_catalog(override if override.is_dir() else None)

    @property
    def calendar(self) -> WorkCalendar:
        """The working-day calendar: the bundled years plus this office's calendar folder.

        NOTE: not a cached_property: `load_calendar` keeps it per folder until a file there
        changes, so an edit by the IT person (or a new folder in the settings) counts at once.
        """
        return load_calendar(office_calendar_dir(self.paths, self.settings))

    @cached_property
    def templates(self):
        """The WhatsApp message templates, with this office's overrides (checked when loaded)."""
        from dikjamila.whatsapp.templates import load_templates, office_template_dir
        return load_templates(office_template_dir(self.paths, self.settings))

    @cached_property
    def store(self) -> AttachmentStore | DatabaseBlobStore:
        return office_store(self.paths, self.settings, self.db)

    @db_call
    def update_settings(self, by: Actor, settings: Settings) -> None:
        """Save new settings (admin only). Every desk reads them at its next call: the
        attachment limits, SOP folder, office name and transport take effect at once."""
        require(by, Permission.SETTINGS)
        if settings.sop_override_dir:
            folder = Path(settings.sop_override_dir)
            if not folder.is_dir():
                raise InvalidInput(tr("Folder SOP {path} tidak ada.", path=folder))
            load_catalog(folder)  # a broken SOP file is refused here, not at the next desk call
        if settings.calendar_override_dir:
            folder = Path(settings.calendar_override_dir)
            if not folder.is_dir():
                raise InvalidInput(tr("Folder kalender {path} tidak ada.", path=folder))
            load_calendar(folder)  # a broken calendar file too
        if settings.attachment_storage not in ATTACHMENT_STORAGES:
            raise InvalidInput(tr("Penyimpanan lampiran '{value}' tidak dikenal; pilih salah satu: {choices}.",
                                  value=settings.attachment_storage, choices=", ".join(ATTACHMENT_STORAGES)))
        if settings.attachment_folder and \
                attachment_storage_for(settings, self.db.engine.dialect.name) == "folder":
            # New files go there at once (`_take` drops the store): a share this PC cannot write is refused now.
            check_attachment_folder(settings.attachment_folder)
        old = asdict(self.settings)
        changed = {k: [old[k], v] for k, v in asdict(settings).items() if old[k] != v and k != "database_url"}
        if old["database_url"] != settings.database_url:
            changed["database_url"] = "diubah"  # may hold a password: not copied into the log
        # The audit row first: if the database refuses it, the file and the running office stay as they were.
        # Office keys go to the database (every PC reads them), this PC's keys to its settings.toml.
        with self.db.writing() as session:
            audit.record(session, actor_id=by.id, actor_name=by.username, action="settings.update",
                         entity_type="settings", entity_id="-", summary=changed)
            changes.record(session, ChangeKind.SETTINGS, "-", by.username)
            office_settings.write_office(session, settings)
            save_settings(self.paths, settings)
        self._take(settings)

    def _take(self, settings: Settings) -> None:
        self.settings = settings
        self.__dict__.pop("store", None)
        self.__dict__.pop("catalog", None)
        self.__dict__.pop("templates", None)

    def desk(self, actor: Actor) -> Desk:
        """The desk of `actor`; it reads this office's settings, catalog and store at each call."""
        return Desk(self.db, actor, self)

    # -- users ------------------------------------------------------------------------------
    @db_call
    def needs_first_admin(self) -> bool:
        """True on a new office: no user exists yet, so the first-run path must create the admin."""
        with self.db.reading() as session:
            return (session.scalar(select(func.count()).select_from(User)) or 0) == 0

    @db_call
    def add_user(self, by: Actor | None, *, username: str, full_name: str, role: str, password: str) -> UserInfo:
        """Create a user. With no users yet, anyone may create the first one, and it must be an admin."""
        username = username.strip().lower()
        if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
            raise InvalidInput(tr("Nama pengguna hanya huruf, angka, titik, garis bawah, atau tanda minus."))
        if role not in ROLES:
            raise InvalidInput(tr("Peran tidak dikenal: {role}. Pilihan: {roles}", role=role,
                                  roles=", ".join(ROLES)))
        if not full_name.strip():
            raise InvalidInput(tr("Nama lengkap wajib diisi."))
        hashed = hash_password(password)
        with self.db.writing() as session:
            first = (session.scalar(select(func.count()).select_from(User)) or 0) == 0
            if first:
                if role != Role.ADMIN:
                    raise InvalidInput(tr("Pengguna pertama harus admin."))
                by = by or Actor.system()
            elif by is None:
                raise UserError(tr("Hanya admin yang boleh menambah pengguna."))
            else:
                require(by, Permission.MANAGE_USERS)
            if session.scalar(select(User.id).where(User.username == username)):
                raise Conflict(tr("Nama pengguna {name} sudah dipakai.", name=username))
            user = User(username=username, full_name=full_name.strip(), role=role, password_hash=hashed, active=True)
            session.add(user)
            session.flush()
            changes.record(session, ChangeKind.USER, user.id, by.username)
            audit.record(session, actor_id=by.id, actor_name=by.username, action="user.add",
                         entity_type="user", entity_id=user.id, summary={"username": username, "role": role})
            return UserInfo(user.id, user.username, user.full_name, user.role, user.active)

    @db_call
    def login(self, username: str, password: str) -> Actor:
        """Check a password; the same vague message (and time) for unknown user and wrong password.

        A deactivated user is told so only with their right password: a stranger learns nothing."""
        with self.db.writing() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
            right = verify_password(user.password_hash, password) if user else accounts.check_unknown(password)
            ok = right and user is not None and user.active
            audit.record(session, actor_id=user.id if user else None, actor_name=username.strip().lower()[:64],
                         action="user.login" if ok else "user.login_failed", entity_type="user",
                         entity_id=user.id if user else "-", summary={"reason": "inactive"} if right and not ok else {})
        if right and not ok:
            raise PermissionDenied(tr(accounts.DEACTIVATED))
        if not ok:
            raise UserError(tr("Nama pengguna atau kata sandi salah."))
        return Actor(user.id, user.username, user.full_name, user.role)

    @db_call
    def actor_for(self, username: str) -> Actor:
        """The actor of an existing user, without a password (for trusted local commands)."""
        with self.db.reading() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise UserError(tr("Pengguna {name} tidak ada.", name=username))
        return Actor(user.id, user.username, user.full_name, user.role)


def _with_office_settings(db: Database, local: Settings) -> Settings:
    """This PC's settings with the office's from the database over them; the first time, the
    file's office values seed the database (an office from before they moved there)."""
    with db.reading() as session:
        office = office_settings.read_office(session)
    if office:
        return office_settings.merged(local, office)
    with db.writing() as session:
        office_settings.write_office(session, local)
    return local


def _redact(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL SQLAlchemy cannot parse: say nothing of it rather than leak a password
        log.warning("database URL could not be parsed for display", exc_info=False)
        return "?"
