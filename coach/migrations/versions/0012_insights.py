"""Content gap insights: uncovered or weakly answered coach turns, and the topics a refresh
grouped them into.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "gap_questions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("course_id", sa.String(255), nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("not_covered", sa.Boolean, nullable=False),
        sa.Column("weak", sa.Boolean, nullable=False),
        sa.Column("thumbs_down", sa.Boolean, nullable=False),
        sa.Column("best_score", sa.Float, nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("nearest_course_id", sa.String(255), nullable=True),
        sa.Column("nearest_module_id", sa.String(255), nullable=True),
        sa.Column("nearest_title", sa.String(500), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gap_questions"),
        sa.UniqueConstraint("message_id", name="uq_gap_questions_message_id"),
        _fk("gap_questions", "org_id", "organisations"),
        _fk("gap_questions", "user_id", "users"),
        _fk("gap_questions", "message_id", "messages"),
    )
    op.create_index("ix_gap_questions_org_id_created_at", "gap_questions", ["org_id", "created_at"])
    op.create_index("ix_gap_questions_user_id", "gap_questions", ["user_id"])
    op.create_table(
        "gap_topics",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("course_id", sa.String(255), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("key_phrases", sa.JSON, nullable=False),
        sa.Column("learners", sa.Integer, nullable=False),
        sa.Column("questions", sa.Integer, nullable=False),
        sa.Column("last_asked", TIMESTAMP, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("examples", sa.JSON, nullable=False),
        sa.Column("nearest", sa.JSON, nullable=True),
        sa.Column("question_ids", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gap_topics"),
        _fk("gap_topics", "org_id", "organisations"),
    )
    op.create_index("ix_gap_topics_org_id_rank", "gap_topics", ["org_id", "rank"])


def downgrade() -> None:
    op.drop_table("gap_topics")
    op.drop_table("gap_questions")
