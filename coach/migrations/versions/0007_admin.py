"""The admin assistant's tables: enrolments, attendance sign-off, cancelled sessions and the
proposed / confirmed actions (the audit); pre-/post-test phase and time spent on records.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    with op.batch_alter_table("learning_records") as batch:
        batch.add_column(sa.Column("phase", sa.String(8), nullable=True))
        batch.add_column(sa.Column("minutes", sa.Float, nullable=True))
    op.create_table(
        "enrolments",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(255), nullable=False),
        sa.Column("session_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("enrolled_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_enrolments"),
        sa.UniqueConstraint(
            "org_id",
            "user_id",
            "item_id",
            "session_id",
            name="uq_enrolments_org_id_user_id_item_id_session_id",
        ),
        sa.CheckConstraint(
            "status IN ('enrolled', 'waitlisted', 'cancelled')", name="ck_enrolments_status"
        ),
        _fk("enrolments", "org_id", "organisations", "CASCADE"),
        _fk("enrolments", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_enrolments_org_id_session_id", "enrolments", ["org_id", "session_id"])
    op.create_index("ix_enrolments_org_id_item_id", "enrolments", ["org_id", "item_id"])
    op.create_table(
        "attendance",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("session_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("signed", sa.Boolean, nullable=False),
        sa.Column("signed_at", TIMESTAMP, nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", "session_id", "user_id", name="pk_attendance"),
        _fk("attendance", "org_id", "organisations", "CASCADE"),
        _fk("attendance", "user_id", "users", "CASCADE"),
    )
    op.create_table(
        "session_status",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("session_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", "session_id", name="pk_session_status"),
        _fk("session_status", "org_id", "organisations", "CASCADE"),
    )
    op.create_table(
        "admin_actions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("args", sa.JSON, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("proposed_by", sa.String(36), nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("confirmed_by", sa.String(36), nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_admin_actions"),
        sa.CheckConstraint(
            "kind IN ('enrol', 'remind', 'mark_attendance', 'cancel_session')",
            name="ck_admin_actions_kind",
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'executed', 'failed', 'expired', 'declined')",
            name="ck_admin_actions_status",
        ),
        _fk("admin_actions", "org_id", "organisations", "CASCADE"),
        _fk("admin_actions", "proposed_by", "users", "SET NULL"),
        _fk("admin_actions", "confirmed_by", "users", "SET NULL"),
    )
    op.create_index("ix_admin_actions_org_id_created_at", "admin_actions", ["org_id", "created_at"])


def downgrade() -> None:
    op.drop_table("admin_actions")
    op.drop_table("session_status")
    op.drop_table("attendance")
    op.drop_table("enrolments")
    with op.batch_alter_table("learning_records") as batch:
        batch.drop_column("minutes")
        batch.drop_column("phase")
