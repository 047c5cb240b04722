"""intake: incoming messages routed into requests, chat-export imports, watched folders

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

`requests`: the service suggested from the resident's words (the service itself may stay ""
— "belum dipilih" — until an operator confirms), the resident's first text, a mark for the
operator ("several_open", "after_close"), and the import that created it.
`messages`: the key that matches an exported message to a live one (minute + text), the import
that added it, and the routing flag shown in the conversation.
`attachments`: the caption and neighbouring text a file came with (the checklist's suggestion
reads them), the message it came in, the import that added it.
`imports`: one row per chat-export import (a failed or cancelled one removes what carries its id).
`loose_files`: "Berkas belum ditempatkan", files found in watched folders.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length=length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor_name", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    with op.batch_alter_table("requests") as batch:
        batch.add_column(_text("suggested_service", 64))
        batch.add_column(_text("request_text"))
        batch.add_column(_text("attention", 32))
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch.create_index("ix_requests_import_id", ["import_id"])
        batch.create_index("ix_requests_kk_number", ["kk_number"])
    with op.batch_alter_table("messages") as batch:
        batch.add_column(_text("content_key", 64))
        batch.add_column(_text("route_flag", 32))
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch.create_index("ix_messages_content_key", ["content_key"])
        batch.create_index("ix_messages_import_id", ["import_id"])
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(_text("caption"))
        batch.add_column(_text("context"))
        batch.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch.create_index("ix_attachments_import_id", ["import_id"])
    op.create_table(
        "loose_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("folder_kind", sa.String(length=16), nullable=False),
        sa.Column("source_path", sa.Text(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("mime", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.Column("offered_json", sa.Text(), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=True),
        sa.Column("placed_request_id", sa.Integer(), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loose_files")),
        sa.UniqueConstraint("folder_kind", "blob_sha256", name="uq_loose_files_folder_kind"),
    )
    op.create_index("ix_loose_files_open", "loose_files", ["placed_at", "dismissed_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_loose_files_open", table_name="loose_files")
    op.drop_table("loose_files")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_index("ix_attachments_import_id")
        for name in ("import_id", "message_id", "context", "caption"):
            batch.drop_column(name)
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_import_id")
        batch.drop_index("ix_messages_content_key")
        for name in ("import_id", "route_flag", "content_key"):
            batch.drop_column(name)
    with op.batch_alter_table("requests") as batch:
        batch.drop_index("ix_requests_kk_number")
        batch.drop_index("ix_requests_import_id")
        for name in ("import_id", "attention", "request_text", "suggested_service"):
            batch.drop_column(name)
    op.drop_table("imports")
