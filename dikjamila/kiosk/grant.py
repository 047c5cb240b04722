"""A kiosk's own PostgreSQL login, granted exactly what store and forward needs — in the database.

A village PC's settings file can be copied, so what a kiosk may do is decided by PostgreSQL,
not by this program: its login (`dikjamila kiosk grant NAME`) may

- INSERT into the delivery tables (`kiosk_submissions`, `kiosk_files`, `kiosk_chunks`,
  `kiosk_seals`, `kiosk_surveys`) — rows carrying its own name (row-level policy, migration 0012);
- SELECT its own rows of `kiosk_status`, and only the columns without the phone digits;
- EXECUTE `kiosk_status_check(number, last4)`, which answers a status and slows wrong tries.

Everything else is revoked from it, and nothing here is granted to PUBLIC: reading requests,
attachments, the audit log or another kiosk's rows is refused by PostgreSQL itself.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from dikjamila.errors import InvalidInput, UserError
from dikjamila.i18n import tr

NAME_RE = re.compile(r"[a-z][a-z0-9_]{2,62}")
INSERT_TABLES = ("kiosk_submissions", "kiosk_files", "kiosk_chunks", "kiosk_seals", "kiosk_surveys")
#: What a kiosk may read of its own status rows (not `phone_last4`).
STATUS_COLUMNS = ("submission_uuid", "kiosk_role", "kiosk_number", "request_number", "service_code", "status",
                  "updated_at")
FUNCTION = "kiosk_status_check(text, text)"


def check_name(name: str) -> str:
    if not NAME_RE.fullmatch(name):
        raise InvalidInput(tr("Nama kios {name} tidak sah: 3–63 huruf kecil, angka atau garis bawah, diawali "
                              "huruf (mis. kios_lampihong).", name=name))
    return name


def new_password() -> str:
    return secrets.token_urlsafe(18)


def grant_kiosk(conn: Connection, name: str, password: str) -> bool:
    """Create (or, if it exists, reset the password of) login `name` and grant it exactly the
    kiosk's rights, in the caller's transaction; True when the role is new."""
    if conn.dialect.name != "postgresql":
        raise UserError(tr("Akun basis data kios hanya untuk kantor dengan server PostgreSQL; kios di PC kantor "
                           "sendiri tidak memerlukannya."))
    check_name(name)
    if not password:
        raise InvalidInput(tr("Kata sandi kios tidak boleh kosong."))
    quote = conn.dialect.identifier_preparer.quote
    role, schema = quote(name), quote(conn.scalar(text("SELECT current_schema()")))
    database = quote(conn.scalar(text("SELECT current_database()")))
    exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}) is not None
    if exists and conn.scalar(text("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles "
                                   "WHERE rolname = :n"), {"n": name}):
        raise UserError(tr("Peran basis data {name} sudah ada dan punya hak lebih dari kios; pilih nama lain.",
                           name=name))
    secret = _literal(conn, password)
    conn.exec_driver_sql(f"{'ALTER' if exists else 'CREATE'} ROLE {role} LOGIN PASSWORD {secret} NOSUPERUSER "
                         "NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 5")
    for statement in (
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {role}",
        f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC",
        f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC",
        f"GRANT CONNECT ON DATABASE {database} TO {role}",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT INSERT ON {', '.join(INSERT_TABLES)} TO {role}",
        f"GRANT SELECT ({', '.join(STATUS_COLUMNS)}) ON kiosk_status TO {role}",
        f"GRANT EXECUTE ON FUNCTION {FUNCTION} TO {role}",
    ):
        conn.exec_driver_sql(statement)
    return not exists


def kiosk_url(office_url: str, name: str, password: str) -> str:
    """The office's URL with the kiosk's login instead of the office's (for its `office_db_url`)."""
    return make_url(office_url).set(username=name, password=password).render_as_string(hide_password=False)


def _literal(conn: Connection, value: str) -> str:
    """`value` as an SQL string literal (a password cannot be a bound parameter in CREATE ROLE)."""
    from psycopg import sql

    return sql.Literal(value).as_string(conn.connection.driver_connection)
