"""One backup folder, one office.

Each office (a data dir with its own database) keeps its newest `backup_keep` copies and removes
the rest, with the attachment files nothing needs. Two offices pointed at one folder (a shared
network drive, one USB disk) would each count and remove the other's copies; so every manifest
names the office that wrote it, and an office that finds another's there refuses to write at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dikjamila.backup_folder.layout import FolderCopy
from dikjamila.db.database import Database
from dikjamila.errors import UserError
from dikjamila.i18n import tr
from dikjamila.office_id import office_id
from dikjamila.office_settings import read_office


@dataclass(frozen=True)
class OfficeStamp:
    """Who writes a copy: the office's id (`dikjamila.office_id`) and, for messages, its name."""

    id: str
    name: str


def this_office(db: Database) -> OfficeStamp:
    """The office of `db`; its id is made now when it has none yet (before the database is copied,
    so that the copy, once restored, is the same office)."""
    stamp_id = office_id(db)
    with db.reading() as session:
        name = read_office(session).get("office_name", "")
    return OfficeStamp(stamp_id, name if isinstance(name, str) else "")


def refuse_other_office(folder: Path, copies: list[FolderCopy], me: OfficeStamp) -> None:
    """UserError (Indonesian) when `folder` holds a copy another office made; copies that name no
    office (made before they did) do not refuse, as they could not be told apart."""
    others = [c for c in copies if not c.counts_for(me.id)]
    if not others:
        return
    other = others[-1]  # the newest: the name it had most recently
    raise UserError(tr(
        "Folder cadangan {path} sudah berisi cadangan kantor lain ({office}). Cadangan kantor ini tidak dibuat "
        "dan isi folder itu tidak diubah, supaya cadangan kantor lain itu tidak ikut terhapus. Pilih folder lain "
        "untuk kantor ini, mis. subfolder tersendiri untuk tiap kantor: {suggestion}",
        path=folder, office=_describe(other, me), suggestion=folder / _folder_name(me.name)))


def _describe(other: FolderCopy, me: OfficeStamp) -> str:
    """The other office as people know it: its name when known, and its id's start (two offices,
    e.g. two PCs each with its own database, may carry the same name)."""
    code = other.office_id[:8]
    if not other.office_name:
        return tr("kode {code}", code=code)
    if other.office_name == me.name:
        return tr("“{name}”, kode {code}: namanya sama, tetapi basis datanya lain", name=other.office_name, code=code)
    return tr("“{name}”, kode {code}", name=other.office_name, code=code)


def _folder_name(office_name: str) -> str:
    """A subfolder name from the office's name, safe on Windows and on a share."""
    return re.sub(r"[^0-9A-Za-z]+", "-", office_name).strip("-") or "kantor-ini"
