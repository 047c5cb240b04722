"""settings.toml saved by Notepad as "UTF-8 with BOM" still opens (tomllib refuses a BOM)."""

from __future__ import annotations

from dikjamila.config import Paths, load_settings


def test_a_settings_file_with_a_byte_order_mark_is_read(tmp_path):
    paths = Paths(tmp_path)
    paths.settings_file.write_bytes('\ufeffoffice_name = "Disdukcapil Balangan — Uji"\n'.encode("utf-8"))
    assert load_settings(paths).office_name == "Disdukcapil Balangan — Uji"
