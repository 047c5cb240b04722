"""Which settings belong to the office (kept in its database) and which to one PC (its file).

With several workstations on one server every PC must agree on the office's name, request-number
prefix, WhatsApp numbers and pacing, SIAK folder, templates… — so those live in the database
(the `meta` table, one row per key, `setting:<name>` → JSON), and a change on one PC reaches
the others. What differs from PC to PC stays in that PC's `settings.toml`: its database URL,
whether it runs the WhatsApp link, and the folders as that PC sees them (a share may be drive
`S:` on one PC and `\\\\server\\dikjamila` on another; the downloads folder is the PC's own).

The first time an office is opened after this change, its `settings.toml` values seed the
database (nothing to redo by hand). From then on the database wins for office keys; such a key
still present in a PC's file is ignored (and logged when it differs).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from dikjamila.config import Settings
from dikjamila.db.models import MetaValue

log = logging.getLogger(__name__)

PREFIX = "setting:"
#: Keys that belong to one PC and stay in its settings.toml.
LOCAL_KEYS = frozenset({
    "database_url",  # where this PC finds the database
    "whatsapp_pc",  # which PC runs the link (read on each PC to decide whether it is the one)
    "whatsapp_folder",  # the folder transport's output, a folder of this PC
    "watch_downloads_dir",  # this PC's downloads (WhatsApp Desktop, scanner, USB)
    "attachment_folder",  # a share as this PC reaches it
    "sop_override_dir", "template_override_dir", "calendar_override_dir",  # folders as seen here
    # A kiosk's own: its village, where its office is, its printer, screen and PIN.
    "kiosk_desa", "office_db_url", "kiosk_paper", "kiosk_idle_seconds", "kiosk_admin_pin_hash",
    "kiosk_scanner_folder",
    "backup_dir",  # a folder (another disk, a share) as this PC sees it
})
OFFICE_KEYS = frozenset(f.name for f in fields(Settings)) - LOCAL_KEYS


def read_office(session: Session) -> dict:
    """The office settings stored in the database (empty before they were first stored)."""
    rows = session.scalars(select(MetaValue).where(MetaValue.key.startswith(PREFIX)))
    values = {}
    for row in rows:
        key = row.key[len(PREFIX):]
        if key in OFFICE_KEYS:
            try:
                values[key] = json.loads(row.value)
            except ValueError:
                log.warning("office setting %s in the database is not JSON; ignored", key)
    return values


def write_office(session: Session, settings: Settings) -> None:
    """Store every office key of `settings` (in the caller's write transaction)."""
    stored = {m.key: m for m in session.scalars(select(MetaValue).where(MetaValue.key.startswith(PREFIX)))}
    for key, value in asdict(settings).items():
        if key not in OFFICE_KEYS:
            continue
        text = json.dumps(value, ensure_ascii=False)
        row = stored.get(PREFIX + key)
        if row is None:
            session.add(MetaValue(key=PREFIX + key, value=text))
        elif row.value != text:
            row.value = text


def merged(local: Settings, office: dict) -> Settings:
    """This PC's file with the office's values over it (values of the wrong type are skipped)."""
    defaults = Settings()
    chosen = {}
    for key, value in office.items():
        default = getattr(defaults, key)
        if isinstance(value, type(default)) and isinstance(value, bool) == isinstance(default, bool):
            chosen[key] = value
        else:
            log.warning("office setting %s has a value of the wrong type; the file's value is used", key)
    differing = sorted(k for k, v in chosen.items() if getattr(local, k) != v and getattr(local, k) != getattr(defaults, k))
    if differing:
        log.info("settings.toml values %s are overridden by the office's settings in the database", differing)
    return replace(local, **chosen)


def local_only(settings: Settings) -> dict:
    """What this PC's settings.toml keeps: the local keys (non-default ones)."""
    defaults = asdict(Settings())
    return {k: v for k, v in asdict(settings).items() if k in LOCAL_KEYS and v != defaults[k]}
