"""the WhatsApp link: received messages with their ids and files, sent items with the server's
acknowledgement, and the state of each linked office number

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

`messages`: WhatsApp's message id (unique: a replay stores nothing twice), the office number
written to, sender number / LID / push name, the quoted message, the file's name, type and kind
(kept even when the checklist cannot take it), and when an unassigned message was handled.
`outbox_items`: the office number to send from, the document's name, the server's message id and
time, the sha256 of the bytes sent, who marked it sent by hand, and the next retry time.
`whatsapp_links`: one row per linked office number, written by its supervisor.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length=length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("wa_message_id", sa.String(length=128), nullable=True))
        batch.add_column(_text("account", 20))
        batch.add_column(_text("sender_phone", 20))
        batch.add_column(_text("sender_lid", 64))
        batch.add_column(_text("push_name", 200))
        batch.add_column(_text("quoted_wa_id", 128))
        batch.add_column(_text("file_name", 255))
        batch.add_column(_text("file_mime", 128))
        batch.add_column(_text("file_kind", 16))
        batch.add_column(_text("file_note"))
        batch.add_column(sa.Column("handled_at", sa.DateTime(), nullable=True))
        batch.create_unique_constraint("uq_messages_wa_message_id", ["wa_message_id"])
        batch.create_index("ix_messages_sender_phone", ["sender_phone", "id"])
        batch.create_index("ix_messages_unhandled", ["direction", "handled_at", "id"])
    # Messages stored before the link existed were all handled (imported into a request).
    op.execute("UPDATE messages SET handled_at = sent_at")
    with op.batch_alter_table("outbox_items") as batch:
        batch.add_column(_text("account", 20))
        batch.add_column(_text("document_name", 255))
        batch.add_column(sa.Column("wa_message_id", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("server_time", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("sent_sha256", sa.String(length=64), nullable=True))
        batch.add_column(_text("marked_sent_by", 64))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("last_attempt_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_outbox_items_wa_message_id", ["wa_message_id"])
        batch.create_index("ix_outbox_items_last_attempt_at", ["last_attempt_at"])
    op.create_table(
        "whatsapp_links",
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("qr", sa.Text(), nullable=False),
        sa.Column("pair_code", sa.String(length=16), nullable=False),
        sa.Column("host", sa.String(length=128), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("pending_command", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_whatsapp_links")),
    )


def downgrade() -> None:
    op.drop_table("whatsapp_links")
    with op.batch_alter_table("outbox_items") as batch:
        batch.drop_index("ix_outbox_items_last_attempt_at")
        batch.drop_index("ix_outbox_items_wa_message_id")
        for name in ("last_attempt_at", "next_attempt_at", "marked_sent_by", "sent_sha256", "server_time", "wa_message_id",
                     "document_name", "account"):
            batch.drop_column(name)
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_unhandled")
        batch.drop_index("ix_messages_sender_phone")
        batch.drop_constraint("uq_messages_wa_message_id", type_="unique")
        for name in ("handled_at", "file_note", "file_kind", "file_mime", "file_name", "quoted_wa_id",
                     "push_name", "sender_lid", "sender_phone", "account", "wa_message_id"):
            batch.drop_column(name)
