"""documents and supervision: service-time marks, complaints handled, one IKM response per request

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

`requests`: when the request first reached `terbit` (for a card: ready for pickup) — the end of
its service time — and the time it spent in `berkas_kurang` (waiting for the resident, not
counted against the office), with the start of the current wait. Filled for existing requests
from their audit events (`request.advance` carries from/to).
`complaints`: the channel it came by, who handles it, the outcome, who recorded it and the
message it was made from, and the outbox item that told the resident.
`survey_responses`: where the answers came from (operator, kiosk, whatsapp), who entered them,
the message they were read from; at most one response per request (a unique index).
"""

import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _text(name: str, length: int | None = None) -> sa.Column:
    kind = sa.String(length=length) if length else sa.Text()
    return sa.Column(name, kind, nullable=False, server_default="")


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch:
        batch.add_column(sa.Column("issued_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("incomplete_seconds", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("incomplete_since", sa.DateTime(), nullable=True))
        batch.create_index("ix_requests_issued_at", ["issued_at"])
    with op.batch_alter_table("complaints") as batch:
        batch.add_column(_text("channel", 16))
        batch.add_column(_text("complainant", 200))
        batch.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("notice_item_id", sa.Integer(), nullable=True))
        batch.add_column(_text("outcome", 16))
        batch.create_index("ix_complaints_received_at", ["received_at"])
        batch.create_index("ix_complaints_message_id", ["message_id"], unique=True)
    with op.batch_alter_table("survey_responses") as batch:
        batch.add_column(_text("source", 16))
        batch.add_column(sa.Column("entered_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("message_id", sa.Integer(), nullable=True))
        batch.create_index("ix_survey_responses_answered_at", ["answered_at"])
        batch.create_index("uq_survey_responses_request_id", ["request_id"], unique=True)
    _backfill_service_marks()


def _backfill_service_marks() -> None:
    """Each request's first `terbit` and its time in `berkas_kurang`, from its audit events."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT entity_id, at, summary_json FROM audit_events "
        "WHERE action = 'request.advance' AND entity_type = 'request' ORDER BY id"))
    marks: dict[str, dict] = {}
    for entity_id, at, summary_json in rows:
        at = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        try:
            summary = json.loads(summary_json or "{}")
        except ValueError:
            continue
        mark = marks.setdefault(entity_id, {"issued": None, "seconds": 0, "since": None})
        if summary.get("to") == "terbit" and mark["issued"] is None:
            mark["issued"] = at
        if summary.get("to") == "berkas_kurang":
            mark["since"] = at
        elif summary.get("from") == "berkas_kurang" and mark["since"] is not None:
            mark["seconds"] += int((at - mark["since"]).total_seconds())
            mark["since"] = None
    update = sa.text("UPDATE requests SET issued_at = :issued, incomplete_seconds = :seconds, "
                     "incomplete_since = :since WHERE id = :id").bindparams(
        sa.bindparam("issued", type_=sa.DateTime()), sa.bindparam("since", type_=sa.DateTime()))
    batch = [{"id": int(k), "issued": m["issued"], "seconds": m["seconds"], "since": m["since"]}
             for k, m in marks.items() if k.isdigit()]
    for start in range(0, len(batch), 5000):
        bind.execute(update, batch[start:start + 5000])


def downgrade() -> None:
    with op.batch_alter_table("survey_responses") as batch:
        batch.drop_index("uq_survey_responses_request_id")
        batch.drop_index("ix_survey_responses_answered_at")
        for name in ("message_id", "entered_by", "source"):
            batch.drop_column(name)
    with op.batch_alter_table("complaints") as batch:
        batch.drop_index("ix_complaints_message_id")
        batch.drop_index("ix_complaints_received_at")
        for name in ("outcome", "notice_item_id", "message_id", "created_by", "assignee_id", "complainant",
                     "channel"):
            batch.drop_column(name)
    with op.batch_alter_table("requests") as batch:
        batch.drop_index("ix_requests_issued_at")
        for name in ("incomplete_since", "incomplete_seconds", "issued_at"):
            batch.drop_column(name)
