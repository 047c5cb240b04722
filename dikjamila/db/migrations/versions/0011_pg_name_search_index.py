"""PostgreSQL: a covering index for a text search sorted by name

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

`(applicant_name, id) INCLUDE (search_doc)`: a search sorted by name walks it in name order
and tests each entry's words without reading the table (an index-only scan), then reads the
rows of the page it found (`desk/inbox.py` asks for the ids first). "aminah" (200,000 of a
million requests) sorted by name went from 151/1,824 ms (p50/p95) through the plain name index
and the table to ~20-35 ms. About 450 bytes per request. SQLite has no such index (and needs
none: it walks its name index testing ids against the FTS matches).
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEX = "ix_requests_name_id_search"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON requests (applicant_name, id) INCLUDE (search_doc)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
