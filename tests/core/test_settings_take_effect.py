"""A settings change takes effect in a desk made before it (the workstation keeps one desk)."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from dikjamila.errors import InvalidInput, UserError

from .conftest import new_request


def big_jpeg(min_bytes: int) -> bytes:
    """A real photo of noise, at least `min_bytes` long (noise does not compress)."""
    import os

    side = 256
    while True:
        img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=95)
        if out.tell() >= min_bytes:
            return out.getvalue()
        side *= 2


@pytest.fixture
def desk(staffed_office, staff):
    return staffed_office.desk(staff["sari"])


def test_a_lower_attachment_limit_is_applied_by_the_existing_desk(staffed_office, staff, desk):
    rid = desk.create_request(new_request()).id
    photo = big_jpeg(1_500_000)
    desk.attach_file(rid, photo, "kk-pertama.jpg")  # 25 MB limit: accepted
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, max_attachment_mb=1))
    with pytest.raises(InvalidInput, match="1 MB"):
        desk.attach_file(rid, photo, "kk-kedua.jpg")
    assert [a.original_name for a in desk.get_request(rid, record_view=False).attachments] == ["kk-pertama.jpg"]


def test_the_office_name_is_used_at_once(staffed_office, staff, desk):
    rid = desk.create_request(new_request()).id
    desk.queue_message(rid, "Mohon kirim foto KK.")
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings,
                                                           office_name="Disdukcapil Balangan — Paringin"))
    assert desk.conversation(rid)[0].sender == "Disdukcapil Balangan — Paringin"


def test_a_new_sop_folder_is_used_at_once(staffed_office, staff, desk, tmp_path):
    kia = staffed_office.catalog.get("kia")
    override = tmp_path / "sops"
    override.mkdir()
    text = (kia.source.read_text(encoding="utf-8").replace(f'name = "{kia.name}"', 'name = "KIA (SOP kantor)"')
            .replace('label = "KK orang tua/wali"', 'label = "KK asli orang tua/wali"'))
    (override / "kia.toml").write_text(text, encoding="utf-8")
    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, sop_override_dir=str(override)))
    rid = desk.create_request(new_request(service_code="kia")).id
    assert desk.catalog.get("kia").name == "KIA (SOP kantor)"
    assert "KK asli orang tua/wali" in [i.label for i in desk.check(rid).items]


def test_a_broken_sop_folder_is_refused_and_the_old_settings_stay(staffed_office, staff, desk, tmp_path):
    override = tmp_path / "sops"
    override.mkdir()
    (override / "kia.toml").write_text("code = 'kia'\nname = \n", encoding="utf-8")
    before = staffed_office.paths.settings_file.read_bytes() if staffed_office.paths.settings_file.exists() else None
    with pytest.raises(UserError, match="kia.toml"):
        staffed_office.update_settings(staff["admin"], replace(staffed_office.settings,
                                                               sop_override_dir=str(override)))
    after = staffed_office.paths.settings_file.read_bytes() if staffed_office.paths.settings_file.exists() else None
    assert after == before
    assert staffed_office.settings.sop_override_dir == ""
    assert desk.catalog.get("kia").name != ""


def test_settings_saved_are_read_back_by_a_new_process_view(staffed_office, staff):
    from dikjamila.office import Office

    staffed_office.update_settings(staff["admin"], replace(staffed_office.settings, max_attachment_mb=3))
    again = Office.open(staffed_office.paths.data_dir)
    try:
        assert again.settings.max_attachment_mb == 3
        assert again.store.max_bytes == 3 * 1024 * 1024
    finally:
        again.close()
