"""The erasure register (issue 8, data protection): learners' requests to be erased, and
the anonymous record of every erasure done.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _fk(column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=f"fk_erasure_requests_{column}_{target}",
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_at", TIMESTAMP, nullable=False),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.Column("decided_by", sa.String(36), nullable=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_erasure_requests"),
        sa.CheckConstraint(
            "status IN ('pending', 'cancelled', 'declined', 'done')",
            name="ck_erasure_requests_status",
        ),
        sa.CheckConstraint(
            "origin IN ('learner', 'admin', 'cli')", name="ck_erasure_requests_origin"
        ),
        _fk("org_id", "organisations", "CASCADE"),
        _fk("user_id", "users", "SET NULL"),
        _fk("decided_by", "users", "SET NULL"),
    )
    op.create_index(
        "ix_erasure_requests_org_id_status_requested_at",
        "erasure_requests",
        ["org_id", "status", "requested_at"],
    )
    op.create_index("ix_erasure_requests_user_id", "erasure_requests", ["user_id"])


def downgrade() -> None:
    op.drop_table("erasure_requests")
