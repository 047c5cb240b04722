"""Helpers shared by the test folders: offices with staff, made once and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from dikjamila.office import Office

PASSWORD = "rahasia-123"


def make_staffed_office(folder: Path, staff: Sequence[tuple[str, str, str]]) -> Path:
    """An office at `folder` whose users are `staff` (username, full name, role); the first is
    the admin. argon2 is slow on purpose, so tests build this once and copy it."""
    office = Office.open(folder)
    admin = None
    for username, name, role in staff:
        office.add_user(admin, username=username, full_name=name, role=role, password=PASSWORD)
        admin = admin or office.actor_for(username)
    office.close()
    return folder


@contextmanager
def copied_office(template: Path, folder: Path) -> Iterator[Office]:
    """Open a fresh copy of a template office; closed afterwards."""
    shutil.copytree(template, folder)
    office = Office.open(folder)
    try:
        yield office
    finally:
        office.close()
