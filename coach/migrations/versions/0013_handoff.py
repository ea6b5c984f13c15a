"""Hand-off to a human: hand-off offers, consents, summaries and the trainers' notices;
the trainer role.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
OLD_ROLES = "role IN ('learner', 'admin', 'reviewer', 'manager')"
NEW_ROLES = "role IN ('learner', 'admin', 'reviewer', 'manager', 'trainer')"


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", NEW_ROLES)
    op.create_table(
        "handoffs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=True),
        sa.Column("message_id", sa.String(36), nullable=True),
        sa.Column("signal", sa.String(32), nullable=False),
        sa.Column("subtopic", sa.String(32), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("skill", sa.String(200), nullable=True),
        sa.Column("options", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("recipient_id", sa.String(36), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("share_conversation", sa.Boolean, nullable=False),
        sa.Column("summary", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("answered_at", TIMESTAMP, nullable=True),
        sa.Column("withdrawn_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
        sa.CheckConstraint(
            "status IN ('offered', 'consented', 'declined', 'withdrawn')",
            name="ck_handoffs_status",
        ),
        _fk("handoffs", "org_id", "organisations", "CASCADE"),
        _fk("handoffs", "user_id", "users", "CASCADE"),
        _fk("handoffs", "conversation_id", "conversations", "SET NULL"),
        _fk("handoffs", "message_id", "messages", "SET NULL"),
        _fk("handoffs", "recipient_id", "users", "SET NULL"),
    )
    op.create_index("ix_handoffs_user_id_created_at", "handoffs", ["user_id", "created_at"])
    op.create_index("ix_handoffs_org_id_recipient_id", "handoffs", ["org_id", "recipient_id"])
    op.create_index("ix_handoffs_message_id", "handoffs", ["message_id"])
    op.create_table(
        "handoff_notices",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("handoff_id", sa.String(36), nullable=False),
        sa.Column("recipient_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("read_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_handoff_notices"),
        sa.CheckConstraint("kind IN ('new', 'withdrawn')", name="ck_handoff_notices_kind"),
        _fk("handoff_notices", "handoff_id", "handoffs", "CASCADE"),
        _fk("handoff_notices", "recipient_id", "users", "CASCADE"),
    )
    op.create_index(
        "ix_handoff_notices_recipient_id_created_at",
        "handoff_notices",
        ["recipient_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_table("handoff_notices")
    op.drop_table("handoffs")
    op.execute("DELETE FROM users WHERE role = 'trainer'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_role", type_="check")
        batch.create_check_constraint("ck_users_role", OLD_ROLES)
