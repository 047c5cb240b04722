"""request text search (FTS5 on SQLite)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

The search index over number, names, NIKs and phone numbers. On SQLite it is an FTS5 table
kept in step by triggers and filled from the existing rows; other servers search the
columns directly (see `dikjamila.db.dialects`).
"""

from alembic import op

from dikjamila.db import dialects

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    dialects.for_dialect_name(bind.dialect.name).create_search_index(bind)


def downgrade() -> None:
    bind = op.get_bind()
    dialects.for_dialect_name(bind.dialect.name).drop_search_index(bind)
