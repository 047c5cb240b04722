"""The wizard's one save, run on the database worker (no Qt here).

Order, so a refusal changes as little as possible:

1. Checks that change nothing: every new user name still free, the folders still usable from
   this PC (the backup folder by the backup's own rules, the SIAK folder exists).
2. The settings, in one call (`Office.update_settings`: one transaction and the settings file;
   refused whole or saved whole). Skipped when they are already what the wizard wants.
3. The accounts, one `Office.add_user` each. Users are never deleted (`dikjamila.auth.accounts`),
   so an account made before a later one failed (the database went away mid-way) stays: it is a
   real, usable account. What is done is recorded in `SaveProgress`, and pressing "Selesai" again
   makes only what is missing: a retry never doubles anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from dikjamila.auth.roles import Actor
from dikjamila.backup_folder import check_backup_folder
from dikjamila.errors import Conflict, InvalidInput
from dikjamila.files import AttachmentStore
from dikjamila.i18n import tr


@dataclass(frozen=True)
class NewAccount:
    username: str
    full_name: str
    role: str
    password: str = field(repr=False)


@dataclass
class SetupPlan:
    """What the wizard collected: settings to change (name -> value), accounts, and whether the
    office phone is to be linked once the wizard closes."""

    changes: dict = field(default_factory=dict)
    accounts: list[NewAccount] = field(default_factory=list)
    connect_now: bool = False


@dataclass
class SaveProgress:
    """What earlier tries of one wizard already saved (written on the worker, read after it)."""

    settings_saved: bool = False
    created: set[str] = field(default_factory=set)


def check_siak_folder(folder: str) -> None:
    if not Path(folder).is_dir():
        raise InvalidInput(tr("Folder keluaran SIAK {path} tidak ada atau tidak terjangkau dari komputer ini.",
                              path=folder))


def check_backup_target(office, folder: str) -> None:
    store = office.store
    check_backup_folder(folder, data_dir=office.paths.data_dir,
                        store_root=store.root if isinstance(store, AttachmentStore) else None)


def save_setup(office, actor: Actor, plan: SetupPlan, progress: SaveProgress) -> list[str]:
    """Save `plan` (see the module's docstring); returns the user names made by this call."""
    created = progress.created
    existing = {u.username for u in office.desk(actor).users()}
    for account in plan.accounts:
        if account.username in existing and account.username not in created:
            raise Conflict(tr("Nama pengguna {name} sudah dipakai; ganti di halaman Petugas.", name=account.username))
    if siak := plan.changes.get("watch_siak_dir"):
        check_siak_folder(siak)
    if backup_dir := plan.changes.get("backup_dir"):
        check_backup_target(office, backup_dir)
    wanted = replace(office.settings, **plan.changes)
    if wanted != office.settings:
        office.update_settings(actor, wanted)
    progress.settings_saved = True
    made = []
    for account in plan.accounts:
        if account.username in created:
            continue
        office.add_user(actor, username=account.username, full_name=account.full_name, role=account.role,
                        password=account.password)
        created.add(account.username)
        made.append(account.username)
    return made


def skip_setup(office, actor: Actor) -> None:
    """"Nanti saja": remember that the wizard was offered, so it is not shown again."""
    if not office.settings.setup_done:
        office.update_settings(actor, replace(office.settings, setup_done=True))
