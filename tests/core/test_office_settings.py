"""Office settings live in the database, so every PC agrees; each PC keeps its own file for
what belongs to it (database URL, the WhatsApp PC, folders as it sees them)."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest

from dikjamila.auth.roles import Actor
from dikjamila.config import load_settings
from dikjamila.office import Office
from dikjamila.office_settings import LOCAL_KEYS, OFFICE_KEYS

pytestmark = pytest.mark.both_engines


def _second_pc(office, folder):
    """Another workstation: its own data dir and settings.toml, the same database."""
    folder.mkdir()
    (folder / "settings.toml").write_text(
        f'database_url = "{office.db.url}"\nwatch_downloads_dir = "D:/Unduhan"\noffice_name = "Nama lama di berkas"\n',
        encoding="utf-8")
    return Office.open(folder)


def test_an_office_setting_saved_on_one_pc_is_what_the_other_uses(staffed_office, tmp_path):
    other = _second_pc(staffed_office, tmp_path / "pc2")
    try:
        assert other.settings.office_name == staffed_office.settings.office_name  # the database wins
        assert other.settings.watch_downloads_dir == "D:/Unduhan"  # its own folder stays its own
        admin = Actor.system()
        staffed_office.update_settings(admin, replace(
            staffed_office.settings, office_name="Disdukcapil Balangan (uji)", request_number_prefix="BLN",
            whatsapp_numbers=["+6281150001234"], watch_downloads_dir="C:/Downloads"))
        assert other.refresh_settings() is True
        assert other.settings.office_name == "Disdukcapil Balangan (uji)"
        assert other.settings.request_number_prefix == "BLN" and other.settings.whatsapp_numbers == ["+6281150001234"]
        assert other.settings.watch_downloads_dir == "D:/Unduhan"  # not the first PC's folder
        assert other.refresh_settings() is False  # nothing new
        # The other PC's file is untouched: its database URL and folder are still there.
        on_disk = tomllib.loads((tmp_path / "pc2" / "settings.toml").read_text(encoding="utf-8"))
        assert on_disk["watch_downloads_dir"] == "D:/Unduhan" and on_disk["database_url"] == staffed_office.db.url
    finally:
        other.close()


def test_an_office_from_before_seeds_the_database_from_its_file(tmp_path, db_engine, request):
    from tests.pg_support import point_at

    folder = tmp_path / "kantor"
    if db_engine == "postgresql":
        server = request.getfixturevalue("pg_server")
        name = f"dj_seed_{abs(hash(request.node.nodeid))}"
        server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.admin(f'CREATE DATABASE "{name}"')
        point_at(folder, server.url(name))
    else:
        folder.mkdir()
    with open(folder / "settings.toml", "a", encoding="utf-8") as f:
        f.write('office_name = "Disdukcapil Kab. Balangan"\nrequest_number_prefix = "BAL"\n')
    office = Office.open(folder)
    try:
        assert office.settings.office_name == "Disdukcapil Kab. Balangan"
        (folder / "settings.toml").write_text(  # the file is edited by hand afterwards
            (folder / "settings.toml").read_text(encoding="utf-8").replace('"BAL"', '"XYZ"'), encoding="utf-8")
        assert load_settings(office.paths).request_number_prefix == "XYZ"
        office.refresh_settings()
        assert office.settings.request_number_prefix == "BAL"  # the office's value is the database's
    finally:
        office.close()


def test_every_setting_is_either_the_offices_or_the_pcs():
    assert LOCAL_KEYS.isdisjoint(OFFICE_KEYS)
    assert {"database_url", "whatsapp_pc", "watch_downloads_dir"} <= LOCAL_KEYS
    assert {"office_name", "request_number_prefix", "whatsapp_numbers", "whatsapp_min_gap_seconds",
            "whatsapp_daily_cap", "watch_siak_dir", "supervisor_phone"} <= OFFICE_KEYS
