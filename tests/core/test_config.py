"""Where the data lives, the settings file, and which database an office opens."""

from __future__ import annotations

import tomllib
from pathlib import Path

import platformdirs
import pytest

from dikjamila.auth.roles import Actor
from dikjamila.config import (
    APP_AUTHOR,
    APP_NAME,
    DATABASE_FILE,
    HOME_ENV,
    SETTINGS_FILE,
    Paths,
    Settings,
    choose_data_dir,
    database_url,
    load_settings,
    location_file,
    resolve_data_dir,
    save_settings,
)
from dikjamila.errors import InvalidInput, UserError
from dikjamila.office import Office
from tests.core.test_images import jpeg_bytes

from .conftest import new_request


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No DIKJAMILA_HOME, and the platform data dir pointed into the temp folder."""
    monkeypatch.delenv(HOME_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_settings(folder: Path, text: str | bytes) -> Paths:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SETTINGS_FILE
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return Paths(folder)


# -- data dir -------------------------------------------------------------------------------

def test_explicit_data_dir_wins_over_the_environment(clean_env, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(clean_env / "dari-env"))
    assert resolve_data_dir(clean_env / "dari-flag") == clean_env / "dari-flag"
    # A relative value is made absolute against the working folder.
    assert resolve_data_dir("relatif") == clean_env / "relatif"
    assert resolve_data_dir("relatif").is_absolute()


def test_environment_wins_over_the_platform_default(clean_env, monkeypatch):
    monkeypatch.setenv(HOME_ENV, "~/kantor")
    assert resolve_data_dir() == clean_env / "home" / "kantor"
    assert resolve_data_dir(None) == resolve_data_dir("") == clean_env / "home" / "kantor"


def test_platform_default_when_nothing_is_given(clean_env):
    expected = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))
    assert resolve_data_dir() == expected
    assert expected.is_relative_to(clean_env / "xdg")  # XDG_DATA_HOME is honoured on Linux
    assert APP_NAME in expected.parts


def test_folder_chosen_on_this_pc_comes_after_the_environment(clean_env, monkeypatch):
    default = resolve_data_dir()
    choose_data_dir(clean_env / "dipilih")
    assert location_file().is_relative_to(clean_env / "xdg-config")
    assert resolve_data_dir() == clean_env / "dipilih"
    assert resolve_data_dir(clean_env / "flag") == clean_env / "flag"
    monkeypatch.setenv(HOME_ENV, str(clean_env / "env"))
    assert resolve_data_dir() == clean_env / "env"
    monkeypatch.delenv(HOME_ENV)
    choose_data_dir(None)
    assert resolve_data_dir() == default and not location_file().exists()
    location_file().write_text("data_dir = [rusak", encoding="utf-8")
    assert resolve_data_dir() == default  # a broken pointer falls back to the default


def test_office_open_without_a_folder_uses_the_environment(clean_env, monkeypatch):
    monkeypatch.setenv(HOME_ENV, str(clean_env / "env-kantor"))
    office = Office.open()
    try:
        assert office.paths.data_dir == clean_env / "env-kantor"
    finally:
        office.close()
    assert (clean_env / "env-kantor" / DATABASE_FILE).is_file()
    assert not (clean_env / "xdg").exists()


# -- settings file --------------------------------------------------------------------------

def test_missing_settings_file_gives_the_defaults(tmp_path):
    settings = load_settings(Paths(tmp_path / "kosong"))
    assert settings == Settings()
    assert settings.database_url == "" and settings.max_attachment_mb == 25
    assert settings.request_number_prefix == "BLG" and settings.default_target_hours == 24


def test_partial_settings_file_keeps_the_other_defaults(tmp_path):
    paths = write_settings(tmp_path, 'office_name = "Disdukcapil Uji"\nmax_attachment_mb = 5\n')
    settings = load_settings(paths)
    assert settings.office_name == "Disdukcapil Uji" and settings.max_attachment_mb == 5
    assert settings.max_image_megapixels == Settings().max_image_megapixels


def test_save_then_load_gives_the_same_settings(tmp_path):
    paths = Paths(tmp_path / "baru" / "kantor")
    settings = Settings(office_name="Disdukcapil Kab. Uji ✓", database_url="sqlite:////srv/x.db",
                        max_attachment_mb=10, max_image_megapixels=30, sop_override_dir="/srv/sops",
                        default_target_hours=48, request_number_prefix="UJI",
                        whatsapp_transport="api", whatsapp_numbers=["+6281234567890", "+6285200000000"])
    save_settings(paths, settings)
    assert load_settings(paths) == settings
    assert tomllib.loads(paths.settings_file.read_text("utf-8"))["request_number_prefix"] == "UJI"
    assert sorted(p.name for p in paths.data_dir.iterdir()) == [SETTINGS_FILE]  # no temp file left
    save_settings(paths, Settings())
    assert load_settings(paths) == Settings()


SYNTAX = "rusak"


@pytest.mark.parametrize("text, expected", [
    ('office_name = "tanpa tutup\n', SYNTAX),
    ("max_attachment_mb = = 3\n", SYNTAX),
    (b'office_name = "\xff\xfe"\n', SYNTAX),
    ('kantor = "Balangan"\n', "'kantor'"),
    ('[whatsapp]\nnumbers = []\n', "'whatsapp'"),
    ('max_attachment_mb = "25"\n', "'max_attachment_mb'"),
    ("max_attachment_mb = 2.5\n", "'max_attachment_mb'"),
    ("max_attachment_mb = true\n", "'max_attachment_mb'"),
    ("office_name = 12\n", "'office_name'"),
    ('whatsapp_numbers = "+6281234567890"\n', "'whatsapp_numbers'"),
])
def test_bad_settings_file_is_refused_naming_file_and_key(tmp_path, text, expected):
    paths = write_settings(tmp_path / "kantor", text)
    with pytest.raises(InvalidInput) as err:
        load_settings(paths)
    assert str(paths.settings_file) in err.value.message
    assert expected in err.value.message


def test_attachment_limit_below_one_mb_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="max_attachment_mb.*minimal 1"):
        load_settings(write_settings(tmp_path / "kantor", "max_attachment_mb = 0\n"))


def test_bad_settings_file_stops_the_office_from_opening(tmp_path):
    write_settings(tmp_path / "kantor", "max_attachment_mb = 'besar'\n")
    with pytest.raises(InvalidInput, match="max_attachment_mb"):
        Office.open(tmp_path / "kantor")
    assert not (tmp_path / "kantor" / DATABASE_FILE).exists()


def test_list_settings_must_hold_text(tmp_path):
    """A phone list written as numbers would only fail later, far from the settings file."""
    paths = write_settings(tmp_path / "kantor", "whatsapp_numbers = [6281234567890]\n")
    with pytest.raises(InvalidInput, match="whatsapp_numbers"):
        load_settings(paths)


def test_image_pixel_limit_below_one_is_refused_when_loading(tmp_path):
    """Zero megapixels is accepted today and fails later, in English, on the first use of the store."""
    paths = write_settings(tmp_path / "kantor", "max_image_megapixels = 0\n")
    with pytest.raises(InvalidInput, match="max_image_megapixels"):
        load_settings(paths)


def test_the_office_pixel_limit_reaches_the_desk_attachments(tmp_path):
    """`max_image_megapixels` in settings.toml is the limit a photo attached at the desk meets."""
    write_settings(tmp_path / "kantor", "max_image_megapixels = 1\n")
    office = Office.open(tmp_path / "kantor")
    try:
        desk = office.desk(Actor.system())
        request_id = desk.create_request(new_request()).id
        with pytest.raises(InvalidInput) as err:
            desk.attach_file(request_id, jpeg_bytes((1001, 1000)), "besar.jpg")  # 1.001 MP
        assert err.value.message == ("Berkas besar.jpg ditolak: ukuran foto terlalu besar "
                                     "(lebih dari 1 megapiksel).")
        assert desk.get_request(request_id, record_view=False).attachments == []
        # The limit is inclusive; with the default 50 MP both photos would pass.
        info = desk.attach_file(request_id, jpeg_bytes((1000, 1000)), "pas.jpg")
        assert info.kind == "image" and info.original_name == "pas.jpg"
        assert [a.original_name for a in desk.get_request(request_id, record_view=False).attachments] == ["pas.jpg"]
    finally:
        office.close()


# -- database URL ---------------------------------------------------------------------------

def test_database_url_precedence(tmp_path):
    paths = Paths(tmp_path / "kantor")
    assert database_url(paths, Settings()) == f"sqlite:///{tmp_path / 'kantor' / DATABASE_FILE}"
    from_settings = Settings(database_url="sqlite:////srv/pusat.db")
    assert database_url(paths, from_settings) == "sqlite:////srv/pusat.db"
    assert database_url(paths, from_settings, "sqlite:////srv/flag.db") == "sqlite:////srv/flag.db"
    assert database_url(paths, Settings(), "sqlite:////srv/flag.db") == "sqlite:////srv/flag.db"
    assert database_url(paths, from_settings, "") == "sqlite:////srv/pusat.db"


def test_office_opens_the_database_the_settings_name_unless_overridden(tmp_path):
    data_dir = tmp_path / "kantor"
    save_settings(Paths(data_dir), Settings(database_url=f"sqlite:///{tmp_path / 'bersama' / 'pusat.db'}"))
    Office.open(data_dir).close()
    assert (tmp_path / "bersama" / "pusat.db").is_file()
    assert not (data_dir / DATABASE_FILE).exists()
    Office.open(data_dir, f"sqlite:///{tmp_path / 'flag.db'}").close()
    assert (tmp_path / "flag.db").is_file()
    assert not (data_dir / DATABASE_FILE).exists()


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://u:secretpw@127.0.0.1:1/x",
    "postgresql://dinas:secretpw@127.0.0.1:1/adminduk",
    "mysql+pymysql://u:secretpw@127.0.0.1:1/x",
    "nonsense://u:secretpw@server/x",
    "nonsense://",
    "postgresql://u:secretpw@server:port/x",
    "bukan sebuah url secretpw",
])
def test_unusable_database_url_gives_a_user_error_without_the_password(tmp_path, url):
    with pytest.raises(UserError) as err:
        Office.open(tmp_path / "kantor", url)
    assert "Basis data tidak bisa dibuka" in err.value.message
    assert "secretpw" not in err.value.message
    assert "secretpw" not in str(err.value)


def test_password_in_settings_url_is_not_shown_either(tmp_path):
    save_settings(Paths(tmp_path / "kantor"),
                  Settings(database_url="postgresql+psycopg://dinas:secretpw@127.0.0.1:1/adminduk"))
    with pytest.raises(UserError) as err:
        Office.open(tmp_path / "kantor")
    assert "secretpw" not in err.value.message
    assert "dinas:***@127.0.0.1:1/adminduk" in err.value.message
