"""Where an office keeps its data, and its settings file.

The data dir is, in order: `--data-dir` on the command line, the `DIKJAMILA_HOME`
environment variable, or the platform's user data dir (platformdirs). It holds
`settings.toml`, the SQLite database (unless `database_url` points elsewhere), the
attachment blobs, backups and optional SOP overrides.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import platformdirs
import tomli_w

from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

APP_NAME = "DikJamila"
APP_AUTHOR = "Disdukcapil Balangan"
HOME_ENV = "DIKJAMILA_HOME"
SETTINGS_FILE = "settings.toml"
DATABASE_FILE = "dikjamila.sqlite3"


@dataclass
class Settings:
    """Office settings, stored as `settings.toml` in the data dir."""

    office_name: str = "Disdukcapil Kabupaten Balangan"
    # Printed under the name on receipts, notices and reports.
    office_address: str = "Jl. A. Yani Km 1,5, Paringin, Kabupaten Balangan, Kalimantan Selatan"
    # Any SQLAlchemy URL; empty means the SQLite file in the data dir.
    database_url: str = ""
    max_attachment_mb: int = 25
    max_image_megapixels: int = 50
    # Folder of *.toml SOP files that replace or add to the bundled ones; empty = <data>/sops.
    sop_override_dir: str = ""
    # Target time when an SOP does not name one (DOMAIN.md: default 1 day).
    default_target_hours: int = 24
    request_number_prefix: str = "BLG"
    # How messages leave: "folder" (demo, tests), "linked" (the office phone as a linked
    # device), "cloud_api" (WhatsApp Business Platform), "pywhatkit" (text only, hands over).
    whatsapp_transport: str = "folder"
    # The office's service numbers (E.164); one linked-device worker runs for each.
    whatsapp_numbers: list[str] = field(default_factory=list)
    # The PC (host name) that runs the link; other PCs only queue. Empty: this PC, when the
    # database is this PC's own SQLite file.
    whatsapp_pc: str = ""
    # Where the folder transport writes; empty: <data dir>/whatsapp/keluar.
    whatsapp_folder: str = ""
    # Pacing, against a ban of the number: a pause between two sends and a daily cap.
    whatsapp_min_gap_seconds: int = 15
    whatsapp_daily_cap: int = 300
    # A send without the server's acknowledgement by then is "belum pasti" (uncertain).
    whatsapp_send_deadline_seconds: int = 90
    # Failed sends are retried with a growing pause, this many attempts in all.
    whatsapp_max_attempts: int = 5
    # Cloud API (WhatsApp Business Platform); its access token is kept out of this file.
    cloud_api_base_url: str = "https://graph.facebook.com/v21.0"
    cloud_api_phone_number_id: str = ""
    # Approved template (with a document header) used outside the 24-hour window.
    cloud_api_document_template: str = "dokumen_terbit"
    cloud_api_text_template: str = "pemberitahuan_layanan"
    cloud_api_template_language: str = "id"
    # Folder of *.txt message templates that replace the bundled ones; empty = <data>/templates.
    template_override_dir: str = ""
    # Intake. A sender's messages closer together than this are one submission.
    intake_window_minutes: int = 30
    # A submission from a sender with no open request becomes a request at once ("baru", its
    # service suggested); off: it waits for an operator's "Buat permohonan".
    intake_auto_create: bool = True
    # When a request is made automatically, tell the resident its number ("permohonan
    # diterima"; outside office hours the "di luar jam layanan" message).
    intake_send_received: bool = True
    # Office hours, office time (WITA): "<day>[-<day>] HH:MM-HH:MM", days in Indonesian.
    office_hours: list[str] = field(default_factory=lambda: ["senin-kamis 08:00-14:00", "jumat 08:00-11:00"])
    # How the office appears in exported chats (the contact name on the exporting phone),
    # besides its numbers: messages from these senders are the office's side.
    office_chat_names: list[str] = field(default_factory=list)
    # Watched folders: downloads (WhatsApp Desktop, scanner, USB) and SIAK's issued PDFs.
    watch_downloads_dir: str = ""
    watch_siak_dir: str = ""
    watch_rescan_seconds: int = 60
    # Folder of calendar *.toml files (holidays, cuti bersama) that add to or replace the
    # bundled years; empty = <data>/kalender.
    calendar_override_dir: str = ""
    # Supervision. The supervisor's WhatsApp number: the audit chain's head goes there once a
    # day (an anchor no database writer can change). Empty: not sent.
    supervisor_phone: str = ""
    # When a request is finished (selesai/terkirim), queue the IKM survey invitation.
    survey_invite_on_finish: bool = True
    # Where attachments are kept so every workstation reaches them: "auto" (a folder for this
    # PC's SQLite file, the database itself for a server URL), "folder" or "database" (tables
    # `blobs`/`blob_chunks`, streamed in 1 MB chunks; each PC keeps a checked cache copy).
    attachment_storage: str = "auto"
    # The folder for "folder" storage, e.g. a share every PC reaches (\\server\dikjamila\blobs);
    # empty = <data dir>/blobs.
    attachment_folder: str = ""
    # Kiosk mode (a village outpost's touch-screen PC; see `dikjamila.kiosk`). All are this PC's.
    # The village in the kiosk's numbers, KIOS-<desa>-NNNN: a name or short code, letters only
    # (uppercased; other characters are dropped), e.g. "Lampihong" or "LMPH".
    kiosk_desa: str = ""
    # The office's PostgreSQL, with the login made by `dikjamila kiosk grant`; empty: the office
    # is this data dir's own database (the demo, a one-PC office).
    office_db_url: str = ""
    # The receipt printer's paper: "a4" or "80mm" (a roll receipt printer).
    kiosk_paper: str = "a4"
    # Untouched this long, the screen wipes what was entered and shows the start again.
    kiosk_idle_seconds: int = 90
    # argon2 hash of the PIN that lets staff leave kiosk mode (`dikjamila kiosk pin`).
    kiosk_admin_pin_hash: str = ""
    # The scanner's output folder, offered beside USB drives for "Pilih dari folder".
    kiosk_scanner_folder: str = ""
    # Accounts. A workstation untouched this long locks and asks for the password again
    # (what was typed stays); 0 = never.
    idle_lock_minutes: int = 15
    # Scheduled backup (issue 12): a folder as this PC sees it (ideally another disk or PC),
    # empty = none. Daily while the workstation is open; files are copied only when new (they
    # are stored by content) and the newest `backup_keep` database copies are kept.
    backup_dir: str = ""
    backup_daily: bool = True
    backup_keep: int = 14
    # The first-run setup wizard ran (or was skipped) for this office.
    setup_done: bool = False


#: The values `attachment_storage` accepts.
ATTACHMENT_STORAGES = ("auto", "folder", "database")
#: The values `kiosk_paper` accepts.
KIOSK_PAPERS = ("a4", "80mm")


def attachment_storage_for(settings: Settings, backend: str) -> str:
    """Either "folder" or "database": the setting, with "auto" decided by the database's `backend`
    (SQLAlchemy's name: "sqlite" keeps the folder, a server keeps attachments in itself)."""
    if settings.attachment_storage == "auto":
        return "folder" if backend == "sqlite" else "database"
    return settings.attachment_storage


@dataclass(frozen=True)
class Paths:
    """The files and folders inside one data dir."""

    data_dir: Path

    @property
    def settings_file(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    @property
    def database_file(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def blob_cache_dir(self) -> Path:
        """This PC's checked copies of attachments kept in the database (safe to delete)."""
        return self.data_dir / "cache" / "blobs"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def default_sop_dir(self) -> Path:
        return self.data_dir / "sops"


def location_file() -> Path:
    """This PC's pointer to a data dir chosen in the settings dialog (outside any data dir)."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR, roaming=False)) / "lokasi.toml"


def resolve_data_dir(cli_value: str | os.PathLike | None = None) -> Path:
    """The data dir: the command-line value, else `DIKJAMILA_HOME`, else the folder chosen
    in the settings dialog on this PC, else the user data dir."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    if env := os.environ.get(HOME_ENV):
        return Path(env).expanduser().resolve()
    try:
        chosen = tomllib.loads(location_file().read_text(encoding="utf-8-sig")).get("data_dir")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        chosen = None
    if isinstance(chosen, str) and chosen:
        return Path(chosen)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def office_paths(cli_value: str | os.PathLike | None = None, db_url: str | None = None, *,
                 create: bool = True) -> Paths:
    """The resolved data dir, checked: usable (created when missing if `create`), or a UserError.

    With `create=False` (read-only commands) a folder that holds no office is refused and left
    untouched, instead of an empty office being made in it.
    """
    paths = Paths(resolve_data_dir(cli_value))
    if paths.data_dir.exists() and not paths.data_dir.is_dir():
        raise _unusable(paths.data_dir, tr("itu sebuah berkas, bukan folder"))
    if not create and not holds_office(paths, db_url):
        raise UserError(tr("Folder {path} belum berisi data kantor. Jalankan `dikjamila` sekali untuk membuatnya, "
                           "atau periksa --data-dir.", path=paths.data_dir))
    ensure_data_dir(paths.data_dir)
    return paths


def holds_office(paths: Paths, db_url: str | None = None) -> bool:
    """True when `paths` is an office: its database file, or a database named elsewhere (the
    `--db-url` given, or `database_url` in its settings.toml)."""
    if db_url or paths.database_file.is_file():
        return True
    return paths.settings_file.is_file() and bool(load_settings(paths).database_url)


def ensure_data_dir(data_dir: Path) -> None:
    """Create `data_dir` (with its parents) and prove a file can be written in it.

    InvalidInput "Folder data … tidak bisa dipakai: <reason>" otherwise: a file where the folder
    (or one above it) should be, no permission, a read-only medium, a full disk.
    """
    if data_dir.exists() and not data_dir.is_dir():
        raise _unusable(data_dir, tr("itu sebuah berkas, bukan folder"))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=data_dir, prefix=".tulis-"):
            pass
    except OSError as exc:
        # NOTE: INFO, not WARNING: before the log file exists a warning would reach the
        # terminal with its traceback; the caller shows the Indonesian reason.
        log.info("data dir %s is unusable", data_dir, exc_info=True)
        raise _unusable(data_dir, _os_reason(exc)) from exc


def _unusable(data_dir: Path, reason: str) -> InvalidInput:
    return InvalidInput(tr("Folder data {path} tidak bisa dipakai: {reason}.", path=data_dir, reason=reason))


def _os_reason(exc: OSError) -> str:
    """Why the system refused, in Indonesian (the English text stays in the log)."""
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return tr("salah satu folder di jalurnya ternyata sebuah berkas")
    if isinstance(exc, PermissionError):
        return tr("tidak ada izin untuk membuat atau menulis berkas di sana")
    if exc.errno == errno.EROFS:
        return tr("tempat itu hanya bisa dibaca")
    if exc.errno == errno.ENOSPC:
        return tr("disk penuh")
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return tr("sistem operasi menolak membuat atau menulis folder itu (kode {code})", code=code)


def choose_data_dir(folder: Path | None) -> None:
    """Remember `folder` as this PC's data dir (None: back to the default)."""
    target = location_file()
    if folder is None:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(tomli_w.dumps({"data_dir": str(folder)}), encoding="utf-8")


def demo_data_dir() -> Path:
    """Where `--demo` keeps the demo office, apart from any real office."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False)) / "kantor-contoh"


def load_settings(paths: Paths) -> Settings:
    """Read `settings.toml`; a missing file gives the defaults, a bad one a clear error."""
    if not paths.settings_file.exists():
        return Settings()
    try:
        # utf-8-sig: Notepad may save a hand-edited file with a byte-order mark, which tomllib refuses.
        raw = tomllib.loads(paths.settings_file.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            tr("Berkas pengaturan {path} rusak: {error}", path=paths.settings_file, error=exc)
        ) from exc
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, object] = {}
    for key, value in raw.items():
        if key not in known:
            raise InvalidInput(
                tr("Berkas pengaturan {path}: kunci '{key}' tidak dikenal.",
                   path=paths.settings_file, key=key)
            )
        default = getattr(Settings(), key)
        if not isinstance(value, type(default)) or isinstance(value, bool) != isinstance(default, bool):
            raise InvalidInput(
                tr("Berkas pengaturan {path}: nilai '{key}' harus bertipe {kind}.",
                   path=paths.settings_file, key=key, kind=type(default).__name__)
            )
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            raise InvalidInput(
                tr("Berkas pengaturan {path}: '{key}' harus berisi daftar teks.",
                   path=paths.settings_file, key=key)
            )
        values[key] = value
    settings = Settings(**values)
    for key, unit in (("max_attachment_mb", " MB"), ("max_image_megapixels", " megapiksel"),
                      ("default_target_hours", " jam"), ("whatsapp_daily_cap", " pesan"),
                      ("whatsapp_send_deadline_seconds", " detik"), ("whatsapp_max_attempts", " kali"),
                      ("intake_window_minutes", " menit"), ("watch_rescan_seconds", " detik"),
                      ("kiosk_idle_seconds", " detik")):
        if getattr(settings, key) < 1:
            raise InvalidInput(tr("Berkas pengaturan {path}: '{key}' harus minimal 1{unit}.",
                                  path=paths.settings_file, key=key, unit=unit))
    if settings.attachment_storage not in ATTACHMENT_STORAGES:
        raise InvalidInput(tr("Berkas pengaturan {path}: 'attachment_storage' = '{value}' tidak dikenal; "
                              "pilih salah satu: {choices}.", path=paths.settings_file,
                              value=settings.attachment_storage, choices=", ".join(ATTACHMENT_STORAGES)))
    if settings.kiosk_paper not in KIOSK_PAPERS:
        raise InvalidInput(tr("Berkas pengaturan {path}: 'kiosk_paper' = '{value}' tidak dikenal; "
                              "pilih salah satu: {choices}.", path=paths.settings_file,
                              value=settings.kiosk_paper, choices=", ".join(KIOSK_PAPERS)))
    return settings


def save_settings(paths: Paths, settings: Settings) -> None:
    """Write `settings.toml` atomically (temp file, then rename)."""
    paths.data_dir.mkdir(parents=True, exist_ok=True)
    tmp = paths.settings_file.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(asdict(settings)), encoding="utf-8")
    os.replace(tmp, paths.settings_file)


def database_url(paths: Paths, settings: Settings, override: str | None = None) -> str:
    """The database URL: command line, then settings, then the SQLite file in the data dir."""
    if override:
        return override
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{paths.database_file}"
