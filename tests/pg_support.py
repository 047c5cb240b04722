"""A real PostgreSQL server for the tests, started by the test run itself.

The server is the machine's own (Debian's `postgresql` package; `.ci/run` installs it): a
private cluster is made with `initdb` in a temporary folder and started on a Unix socket there,
with durability off (fsync, synchronous_commit) because a test database never outlives its run.
Run as root (CI), the cluster belongs to the `postgres` user (the server refuses to run as root).

`DIKJAMILA_TEST_PG` (a SQLAlchemy URL of a superuser login on a running server) uses that server
instead. Without either, PostgreSQL tests are skipped with the reason (a developer PC without
the package); CI installs it, so none is skipped there.

Offices: one migrated, staffed template database per session; each test gets its own copy
(`CREATE DATABASE … TEMPLATE …`, a file copy on the server: milliseconds) and a data dir whose
settings point at it.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tomli_w

ENV_URL = "DIKJAMILA_TEST_PG"
_counter = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    """A reachable server: how to make a URL for one of its databases."""

    host: str  # a socket folder or a host name
    port: int
    user: str
    password: str = ""

    def url(self, database: str) -> str:
        auth = f"{self.user}:{self.password}@" if self.password else f"{self.user}@"
        if self.host.startswith("/"):
            return f"postgresql+psycopg://{auth}/{database}?host={self.host}&port={self.port}"
        return f"postgresql+psycopg://{auth}{self.host}:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(host=self.host, port=self.port, user=self.user, password=self.password or None,
                             dbname=database, autocommit=True) as conn:
            conn.execute(sql)


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def private_server() -> Iterator[PgServer | str]:
    """Start a throw-away cluster; yields the server, or why none could start (a str)."""
    if url := os.environ.get(ENV_URL):
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        yield PgServer(parsed.query.get("host") or parsed.host or "localhost", parsed.port or 5432,
                       parsed.username or "postgres", parsed.password or "")
        return
    bin_dir = _binaries()
    if bin_dir is None:
        yield "PostgreSQL tidak terpasang (pg_ctl tidak ditemukan; Debian: apt install postgresql)"
        return
    folder = Path(tempfile.mkdtemp(prefix="dikjamila-pg-"))
    data, port = folder / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        folder.chmod(0o700)
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    try:
        subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust",
                                        "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True, timeout=120)
        options = (f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=200")
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
                                        str(folder / "server.log"), "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        log_text = (folder / "server.log").read_text(errors="replace")[-2000:] if (folder / "server.log").exists() else ""
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(folder, ignore_errors=True)
        yield f"server PostgreSQL uji tidak bisa dijalankan: {exc} {detail[-500:]!r} {log_text}"
        return
    try:
        yield PgServer(str(folder), port, user)
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def point_at(folder: Path, url: str) -> None:
    """Make `folder` a data dir whose database is `url` (its settings.toml says so)."""
    folder.mkdir(parents=True, exist_ok=True)
    settings = folder / "settings.toml"
    values: dict = {}
    if settings.exists():
        import tomllib

        values = tomllib.loads(settings.read_text(encoding="utf-8"))
    values["database_url"] = url
    settings.write_text(tomli_w.dumps(values), encoding="utf-8")


def make_pg_template(server: PgServer, folder: Path, staff: Sequence[tuple[str, str, str]]) -> tuple[Path, str]:
    """A migrated office with `staff` in a new database; returns its data dir and database name."""
    from tests.support import make_staffed_office

    name = f"dj_template_{os.getpid()}_{next(_counter)}"
    server.admin(f'CREATE DATABASE "{name}"')
    point_at(folder, server.url(name))
    make_staffed_office(folder, staff)
    return folder, name


@contextmanager
def copied_pg_office(server: PgServer, template: tuple[Path, str], folder: Path):
    """A fresh copy of a template office (its database cloned on the server); dropped afterwards."""
    from dikjamila.office import Office

    template_dir, template_db = template
    name = f"dj_test_{os.getpid()}_{next(_counter)}"
    for attempt in range(50):  # the template may still be held by a connection being closed
        try:
            server.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
            break
        except Exception:  # noqa: BLE001 - "source database is being accessed": wait and retry
            if attempt == 49:
                raise
            time.sleep(0.1)
    shutil.copytree(template_dir, folder)
    point_at(folder, server.url(name))
    office = Office.open(folder)
    try:
        yield office
    finally:
        office.close()
        server.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
