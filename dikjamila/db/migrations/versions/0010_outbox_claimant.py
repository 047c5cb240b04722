"""outbox claimant: which run of which outbox runner took an item to send

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

`outbox_items.claimed_by`: `<host>/<pid>/<token>` of the runner that took the item (see
`dikjamila.db.dialects.claimants`). A runner starting on one PC then turns into `uncertain`
only the items left `sending` by runners that are gone, not those another PC is sending now.
Items taken before this revision have "" and count as taken by a runner that is gone.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_items") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(length=96), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("outbox_items") as batch:
        batch.drop_column("claimed_by")
