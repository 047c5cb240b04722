"""Where the Cloud API access token is kept: never in the database, settings.toml or a log.

First choice is the operating system's keyring (Windows Credential Manager, macOS Keychain,
the Secret Service on Linux) through `keyring`, under the service "DikJamila Cloud API" and
the data dir's resolved path as the user name, so two offices on one PC keep two tokens.

When no real keyring backend is available (keyring's `fail`/`null` backends, whose priority is
not above 0, or a backend that raises), the token goes to a file readable by this user only:

- POSIX: `<data dir>/secrets/cloud_api_token`, mode 0600, in a folder of mode 0700.
- Windows: `<user data dir>/secrets/<hash of the data dir>/cloud_api_token`, i.e. under
  `%LOCALAPPDATA%`, inside the user's profile, whose NTFS permissions (the user, SYSTEM and
  Administrators) protect it; mode bits mean nothing there. It is not put in the data dir
  itself because an office may keep that on a shared folder that other PCs can read.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from pathlib import Path

import platformdirs

from dikjamila.config import APP_AUTHOR, APP_NAME
from dikjamila.errors import InvalidInput
from dikjamila.i18n import tr

log = logging.getLogger(__name__)

SERVICE = "DikJamila Cloud API"
TOKEN_FILE = "cloud_api_token"


def _user_name(data_dir: Path) -> str:
    return str(Path(data_dir).resolve())


def token_file(data_dir: Path, *, windows: bool = sys.platform == "win32") -> Path:
    """The fallback file for this data dir's token (see the module docstring)."""
    if not windows:
        return Path(data_dir) / "secrets" / TOKEN_FILE
    key = hashlib.sha256(_user_name(data_dir).encode("utf-8")).hexdigest()[:16]
    base = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))
    return base / "secrets" / key / TOKEN_FILE


def _usable_keyring():
    """The active keyring backend when it is a real one, else None."""
    try:
        import keyring

        backend = keyring.get_keyring()
        priority = backend.priority
    except Exception:
        log.warning("keyring unavailable; the Cloud API token is kept in a private file", exc_info=True)
        return None
    if not isinstance(priority, int | float) or priority <= 0:
        return None
    return backend


def save_token(data_dir: Path, token: str) -> None:
    """Keep `token` for this data dir (keyring, else the private file)."""
    token = token.strip()
    if not token:
        raise InvalidInput(tr("Token Cloud API kosong."))
    backend = _usable_keyring()
    if backend is not None:
        try:
            backend.set_password(SERVICE, _user_name(data_dir), token)
        except Exception:
            log.warning("keyring refused the Cloud API token; keeping it in a private file",
                        exc_info=True)
        else:
            token_file(data_dir).unlink(missing_ok=True)  # no stale copy next to the keyring
            log.info("Cloud API token saved in the keyring")
            return
    _write_private(token_file(data_dir), token)
    log.info("Cloud API token saved in a private file")


def load_token(data_dir: Path) -> str | None:
    """The saved token, or None when none was saved."""
    backend = _usable_keyring()
    if backend is not None:
        try:
            token = backend.get_password(SERVICE, _user_name(data_dir))
        except Exception:
            log.warning("keyring could not be read; trying the private file", exc_info=True)
        else:
            if token:
                return token
    try:
        token = token_file(data_dir).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return token or None


def forget_token(data_dir: Path) -> None:
    """Remove the token from the keyring and the private file."""
    backend = _usable_keyring()
    if backend is not None:
        try:
            if backend.get_password(SERVICE, _user_name(data_dir)) is not None:
                backend.delete_password(SERVICE, _user_name(data_dir))
        except Exception:
            log.warning("keyring could not forget the Cloud API token", exc_info=True)
    token_file(data_dir).unlink(missing_ok=True)


def _write_private(path: Path, token: str) -> None:
    """Write atomically, created 0600 (never readable by others, not even for a moment)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if sys.platform != "win32":
        os.chmod(path.parent, 0o700)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, token.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
