"""The xAPI outbox (issue 9): one row per statement-bearing event, to forward to the LRS.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "xapi_outbox",
        sa.Column("event_id", sa.Integer, nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("statement_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("claim", sa.String(36), nullable=True),
        sa.Column("claimed_until", TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("last_attempt_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("event_id", name="pk_xapi_outbox"),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'dropped')", name="ck_xapi_outbox_status"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name="fk_xapi_outbox_event_id_events", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name="fk_xapi_outbox_org_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_xapi_outbox_status_next_attempt_at", "xapi_outbox", ["status", "next_attempt_at"]
    )
    op.create_index("ix_xapi_outbox_org_id_status", "xapi_outbox", ["org_id", "status"])
    op.create_index("ix_xapi_outbox_statement_id", "xapi_outbox", ["statement_id"])
    # Statements logged before the outbox existed are not queued: an LRS that wants the
    # history pulls it from GET /v1/xapi/statements.


def downgrade() -> None:
    op.drop_table("xapi_outbox")
