"""blob table: attachments kept in the database, in chunks, for offices on a server

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

`blobs`: one row per stored file (sha256, size); `blob_chunks`: its bytes in pieces of at most
1 MB, in order of `seq`, so a 25 MB file is never held whole in memory by either side. Used
when `attachment_storage` is "database" (the default for a server URL); empty otherwise.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"], name=op.f("fk_blob_chunks_sha256_blobs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_blob_chunks")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # NOTE: photos and PDFs are already compressed; EXTERNAL keeps the bytes out of line
        # without PostgreSQL trying (and failing) to compress every 1 MB chunk again.
        op.execute("ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL")


def downgrade() -> None:
    # Files kept in the database exist nowhere else: going back must not drop them silently.
    kept = op.get_bind().execute(sa.text("SELECT count(*) FROM blobs")).scalar()
    if kept:
        raise RuntimeError(f"{kept} attachments are stored in the database (table blobs); "
                           "move them to a folder store before downgrading below revision 0009")
    op.drop_table("blob_chunks")
    op.drop_table("blobs")
