"""requests.kk_number: the family card number a request is about

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from dikjamila.db import dialects

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NOTE: a plain ADD COLUMN, not batch mode: rebuilding `requests` on SQLite would drop
    # the FTS triggers that migration 0002 attached to it.
    op.add_column("requests", sa.Column("kk_number", sa.String(length=16), nullable=False, server_default=""))


def downgrade() -> None:
    bind = op.get_bind()
    search = dialects.for_dialect_name(bind.dialect.name)
    search.drop_search_index(bind)  # the table rebuild below would lose its triggers
    with op.batch_alter_table("requests") as batch:
        batch.drop_column("kk_number")
    search.create_search_index(bind)
