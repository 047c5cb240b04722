"""the change log (views refresh on data changes only) and the outbox's message identity

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

`change_log`: one row per data change (kind, id, origin), read by every workstation's watcher.
`outbox_items`: the template (purpose) of a message, the incoming message it answers, and the
item it sends again ("Kirim lagi") — the idempotency key is computed from what makes a message
the same message (see `dikjamila.whatsapp.outbox_key`).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=32), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("outbox_items") as batch:
        batch.add_column(sa.Column("template", sa.String(length=32), nullable=False, server_default=""))
        batch.add_column(sa.Column("in_reply_to_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resend_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_outbox_items_in_reply_to_id_messages", "messages", ["in_reply_to_id"], ["id"])
        batch.create_foreign_key("fk_outbox_items_resend_of_id_outbox_items", "outbox_items",
                                 ["resend_of_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_items") as batch:
        batch.drop_constraint("fk_outbox_items_resend_of_id_outbox_items", type_="foreignkey")
        batch.drop_constraint("fk_outbox_items_in_reply_to_id_messages", type_="foreignkey")
        batch.drop_column("resend_of_id")
        batch.drop_column("in_reply_to_id")
        batch.drop_column("template")
    op.drop_table("change_log")
