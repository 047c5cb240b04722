"""kiosk inbox: submissions from village kiosks, their files in chunks, seals, surveys, status

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01

A kiosk delivers what residents handed in (store and forward, `dikjamila.kiosk.delivery`): a
`kiosk_submissions` row, a `kiosk_files` row per file with its bytes in `kiosk_chunks` (at most
1 MB each), and last a `kiosk_seals` row. Every key is the submission's uuid, so a delivery cut
off and sent again adds nothing twice. The office (`desk/kiosk_intake.py`) makes a request of
each sealed submission and records it in `kiosk_status`, the one table a kiosk may read.
`kiosk_surveys` holds IKM scores given at a kiosk; `kiosk_status_tries` the status checks asked
(repeated wrong ones are slowed down).

PostgreSQL only: rows of the five delivery tables must carry the inserting login in
`kiosk_role` and a kiosk sees only its own `kiosk_status` rows (row-level security; the office's
login owns the tables and is not bound by it), and `kiosk_status_check(number, last4)` answers a
status check — SECURITY DEFINER, so a kiosk may run it without reading any table itself. No
kiosk login exists yet: `dikjamila kiosk grant NAME` makes one and grants it exactly this.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: The tables a kiosk inserts into (each with `kiosk_role`, checked against its login).
DELIVERY_TABLES = ("kiosk_submissions", "kiosk_files", "kiosk_chunks", "kiosk_seals", "kiosk_surveys")
ALL_TABLES = (*DELIVERY_TABLES, "kiosk_status", "kiosk_status_tries")


def _role() -> sa.Column:
    return sa.Column("kiosk_role", sa.String(length=63), nullable=False)


def upgrade() -> None:
    op.create_table(
        "kiosk_submissions",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        _role(),
        sa.Column("kiosk_number", sa.String(length=40), nullable=False),
        sa.Column("service_code", sa.String(length=64), nullable=False),
        sa.Column("applicant_name", sa.String(length=200), nullable=False),
        sa.Column("applicant_phone", sa.String(length=20), nullable=False),
        sa.Column("applicant_nik", sa.String(length=16), nullable=False),
        sa.Column("facts_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("take_error", sa.Text(), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_kiosk_submissions")),
    )
    op.create_index(op.f("ix_kiosk_submissions_kiosk_number"), "kiosk_submissions", ["kiosk_number"])
    op.create_index(op.f("ix_kiosk_submissions_taken_at"), "kiosk_submissions", ["taken_at"])
    op.create_table(
        "kiosk_files",
        sa.Column("submission_uuid", sa.String(length=36), nullable=False),
        sa.Column("file_no", sa.Integer(), nullable=False),
        _role(),
        sa.Column("document_code", sa.String(length=64), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("chunk_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("submission_uuid", "file_no", name=op.f("pk_kiosk_files")),
    )
    op.create_table(
        "kiosk_chunks",
        sa.Column("submission_uuid", sa.String(length=36), nullable=False),
        sa.Column("file_no", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        _role(),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("submission_uuid", "file_no", "seq", name=op.f("pk_kiosk_chunks")),
    )
    op.create_table(
        "kiosk_seals",
        sa.Column("submission_uuid", sa.String(length=36), nullable=False),
        _role(),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("submission_uuid", name=op.f("pk_kiosk_seals")),
    )
    op.create_table(
        "kiosk_surveys",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        _role(),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("phone_last4", sa.String(length=4), nullable=False),
        *[sa.Column(f"u{n}", sa.Integer(), nullable=False) for n in range(1, 10)],
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_kiosk_surveys")),
    )
    op.create_index(op.f("ix_kiosk_surveys_taken_at"), "kiosk_surveys", ["taken_at"])
    op.create_table(
        "kiosk_status",
        sa.Column("submission_uuid", sa.String(length=36), nullable=False),
        _role(),
        sa.Column("kiosk_number", sa.String(length=40), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("request_number", sa.String(length=32), nullable=False),
        sa.Column("service_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("phone_last4", sa.String(length=4), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("submission_uuid", name=op.f("pk_kiosk_status")),
    )
    for column in ("kiosk_role", "kiosk_number", "request_id", "request_number", "status"):
        op.create_index(op.f(f"ix_kiosk_status_{column}"), "kiosk_status", [column])
    op.create_table(
        "kiosk_status_tries",
        sa.Column("id", sa.Integer(), nullable=False),
        _role(),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_status_tries")),
    )
    op.create_index("ix_kiosk_status_tries_role_at", "kiosk_status_tries", ["kiosk_role", "at"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_guards()


def _postgresql_guards() -> None:
    bind = op.get_bind()
    schema = bind.dialect.identifier_preparer.quote(bind.execute(sa.text("SELECT current_schema()")).scalar())
    # Photos are compressed already (as blob_chunks, 0009).
    op.execute("ALTER TABLE kiosk_chunks ALTER COLUMN data SET STORAGE EXTERNAL")
    for table in ALL_TABLES:
        op.execute(f"REVOKE ALL ON {table} FROM PUBLIC")
    for table in DELIVERY_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY kiosk_inserts_own ON {table} FOR INSERT WITH CHECK (kiosk_role = current_user)")
    op.execute("ALTER TABLE kiosk_status ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY kiosk_reads_own ON kiosk_status FOR SELECT USING (kiosk_role = current_user)")
    op.execute(STATUS_FUNCTION.replace("{schema}", schema))
    # NOTE: a new function may be run by PUBLIC; only the kiosks granted it may run this one.
    op.execute("REVOKE ALL ON FUNCTION kiosk_status_check(text, text) FROM PUBLIC")


#: The status check a kiosk may run (see `dikjamila.kiosk.office_status` for the same rules on
#: SQLite). It runs as the tables' owner; `session_user` is the kiosk's login. The answer is the
#: status and service code only (the kiosk puts them in words). 5 wrong tries by one kiosk within
#: 10 minutes: no answer until the oldest of them is 10 minutes old (`r_wait` seconds).
STATUS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION kiosk_status_check(p_number text, p_last4 text)
RETURNS TABLE (r_found boolean, r_status text, r_service text, r_wait integer)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, {schema}, pg_temp
AS $fn$
DECLARE
    who text := session_user;
    now_utc timestamp := (clock_timestamp() AT TIME ZONE 'UTC');
    fifth timestamp;
    v_status text;
    v_service text;
    v_found boolean := false;
    v_number text := upper(btrim(coalesce(p_number, '')));
    v_last4 text := btrim(coalesce(p_last4, ''));
BEGIN
    -- One check at a time per kiosk: two wrong tries at once both count.
    PERFORM pg_advisory_xact_lock(hashtext('kiosk_status_check:' || who));
    DELETE FROM kiosk_status_tries t WHERE t.kiosk_role = who AND t.at < now_utc - interval '1 day';
    SELECT t.at INTO fifth FROM kiosk_status_tries t
        WHERE t.kiosk_role = who AND NOT t.ok AND t.at > now_utc - interval '10 minutes'
        ORDER BY t.at DESC OFFSET 4 LIMIT 1;
    IF fifth IS NOT NULL THEN
        RETURN QUERY SELECT false, ''::text, ''::text,
            greatest(1, ceil(extract(epoch FROM (fifth + interval '10 minutes' - now_utc))))::integer;
        RETURN;
    END IF;
    IF v_last4 ~ '^[0-9]{4}$' AND v_number <> '' THEN
        SELECT r.status, r.service_code INTO v_status, v_service
            FROM kiosk_status k JOIN requests r ON r.id = k.request_id
            WHERE (k.kiosk_number = v_number OR k.request_number = v_number) AND k.phone_last4 = v_last4
            ORDER BY k.updated_at DESC LIMIT 1;
        v_found := FOUND;
        IF NOT v_found THEN
            SELECT r.status, r.service_code INTO v_status, v_service FROM requests r
                WHERE r.number = v_number AND right(r.applicant_phone, 4) = v_last4;
            v_found := FOUND;
        END IF;
        IF NOT v_found THEN
            SELECT 'tiba', s.service_code INTO v_status, v_service
                FROM kiosk_submissions s JOIN kiosk_seals z ON z.submission_uuid = s.uuid
                WHERE s.kiosk_number = v_number AND s.taken_at IS NULL
                  AND right(s.applicant_phone, 4) = v_last4
                LIMIT 1;
            v_found := FOUND;
        END IF;
    END IF;
    INSERT INTO kiosk_status_tries (kiosk_role, at, ok) VALUES (who, now_utc, v_found);
    RETURN QUERY SELECT v_found, coalesce(v_status, ''), coalesce(v_service, ''), 0;
END
$fn$
"""


def downgrade() -> None:
    bind = op.get_bind()
    # Arrived submissions not yet made into requests exist nowhere else: the kiosk removed its
    # photos once they were sealed here.
    waiting = bind.execute(sa.text(
        "SELECT count(*) FROM kiosk_submissions s JOIN kiosk_seals z ON z.submission_uuid = s.uuid "
        "WHERE s.taken_at IS NULL")).scalar()
    if waiting:
        raise RuntimeError(f"{waiting} kiosk submissions have arrived but are not requests yet; run "
                           "`dikjamila kiosk take` before downgrading below revision 0012")
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS kiosk_status_check(text, text)")
    for table in reversed(ALL_TABLES):
        op.drop_table(table)
