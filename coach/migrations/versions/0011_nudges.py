"""Nudges: the planned and sent nudges, opt-outs, the hold-out group.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "nudges",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("send_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=True),
        sa.Column("session_id", sa.String(255), nullable=True),
        sa.Column("about", sa.String(36), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("link", sa.String(1000), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("claimed_at", TIMESTAMP, nullable=True),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("read_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_nudges"),
        sa.UniqueConstraint("user_id", "key", "channel", name="uq_nudges_user_id_key_channel"),
        sa.CheckConstraint("channel IN ('feed', 'email', 'webhook')", name="ck_nudges_channel"),
        sa.CheckConstraint(
            "status IN ('planned', 'sending', 'sent', 'failed', 'skipped')",
            name="ck_nudges_status",
        ),
        _fk("nudges", "org_id", "organisations"),
        _fk("nudges", "user_id", "users"),
    )
    op.create_index("ix_nudges_org_id_status_send_at", "nudges", ["org_id", "status", "send_at"])
    op.create_index("ix_nudges_user_id_send_at", "nudges", ["user_id", "send_at"])
    op.create_table(
        "nudge_preferences",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("opted_out", sa.JSON, nullable=False),
        sa.Column("webhook_url", sa.String(1000), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_nudge_preferences"),
        _fk("nudge_preferences", "user_id", "users"),
        _fk("nudge_preferences", "org_id", "organisations"),
    )
    op.create_index("ix_nudge_preferences_org_id", "nudge_preferences", ["org_id"])
    op.create_table(
        "nudge_holdout",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("team", sa.String(255), nullable=False),
        sa.Column("holdout", sa.Boolean, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("share", sa.Float, nullable=False),
        sa.Column("assigned_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_nudge_holdout"),
        _fk("nudge_holdout", "user_id", "users"),
        _fk("nudge_holdout", "org_id", "organisations"),
    )
    op.create_index("ix_nudge_holdout_org_id_team", "nudge_holdout", ["org_id", "team"])


def downgrade() -> None:
    op.drop_table("nudge_holdout")
    op.drop_table("nudge_preferences")
    op.drop_table("nudges")
