"""Quizzes and mastery: items (versioned), quizzes, attempts, imported history, skill
mastery, review cards, fitted learner-model parameters.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "quiz_items",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("course_id", sa.String(255), nullable=False),
        sa.Column("module_id", sa.String(255), nullable=True),
        sa.Column("chunk_id", sa.String(512), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("generator", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("updated_by", sa.String(36), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quiz_items"),
        sa.UniqueConstraint("org_id", "fingerprint", name="uq_quiz_items_org_id_fingerprint"),
        sa.CheckConstraint(
            "kind IN ('mcq', 'true_false', 'cloze', 'short_answer')", name="ck_quiz_items_kind"
        ),
        sa.CheckConstraint("status IN ('active', 'retired')", name="ck_quiz_items_status"),
        _fk("quiz_items", "org_id", "organisations", "CASCADE"),
        _fk("quiz_items", "updated_by", "users", "SET NULL"),
    )
    op.create_index("ix_quiz_items_chunk_id", "quiz_items", ["chunk_id"])
    op.create_index(
        "ix_quiz_items_org_id_course_id_status", "quiz_items", ["org_id", "course_id", "status"]
    )
    op.create_table(
        "quiz_item_versions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("edited_by", sa.String(36), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quiz_item_versions"),
        sa.UniqueConstraint("item_id", "version", name="uq_quiz_item_versions_item_id_version"),
        _fk("quiz_item_versions", "item_id", "quiz_items", "CASCADE"),
        _fk("quiz_item_versions", "edited_by", "users", "SET NULL"),
    )
    op.create_table(
        "quizzes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("scope", sa.JSON, nullable=False),
        sa.Column("item_ids", sa.JSON, nullable=False),
        sa.Column("progress", sa.JSON, nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("completed_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_quizzes"),
        _fk("quizzes", "org_id", "organisations", "CASCADE"),
        _fk("quizzes", "user_id", "users", "CASCADE"),
        _fk("quizzes", "conversation_id", "conversations", "SET NULL"),
    )
    op.create_index("ix_quizzes_user_id_created_at", "quizzes", ["user_id", "created_at"])
    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("quiz_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("item_version", sa.Integer, nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("answer", sa.JSON, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("feedback", sa.Text, nullable=False),
        sa.Column("time_taken_ms", sa.Integer, nullable=True),
        sa.Column("hints_used", sa.Integer, nullable=False),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quiz_attempts"),
        sa.UniqueConstraint("quiz_id", "item_id", name="uq_quiz_attempts_quiz_id_item_id"),
        _fk("quiz_attempts", "quiz_id", "quizzes", "CASCADE"),
        _fk("quiz_attempts", "item_id", "quiz_items", "CASCADE"),
        _fk("quiz_attempts", "user_id", "users", "CASCADE"),
    )
    op.create_index(
        "ix_quiz_attempts_user_id_created_at", "quiz_attempts", ["user_id", "created_at"]
    )
    op.create_table(
        "history_attempts",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("skill", sa.String(255), nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("occurred_at", TIMESTAMP, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_history_attempts"),
        _fk("history_attempts", "org_id", "organisations", "CASCADE"),
        _fk("history_attempts", "user_id", "users", "CASCADE"),
    )
    op.create_index(
        "ix_history_attempts_org_id_user_id_occurred_at",
        "history_attempts",
        ["org_id", "user_id", "occurred_at"],
    )
    op.create_table(
        "skill_mastery",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("skill", sa.String(255), nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("p_mastery", sa.Float, nullable=False),
        sa.Column("low", sa.Float, nullable=False),
        sa.Column("high", sa.Float, nullable=False),
        sa.Column("n_attempts", sa.Integer, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "skill", name="pk_skill_mastery"),
        _fk("skill_mastery", "user_id", "users", "CASCADE"),
    )
    op.create_table(
        "review_cards",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(36), nullable=False),
        sa.Column("card", sa.JSON, nullable=False),
        sa.Column("due", TIMESTAMP, nullable=False),
        sa.Column("last_review", TIMESTAMP, nullable=True),
        sa.Column("reviews", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("user_id", "item_id", name="pk_review_cards"),
        _fk("review_cards", "user_id", "users", "CASCADE"),
        _fk("review_cards", "item_id", "quiz_items", "CASCADE"),
    )
    op.create_index("ix_review_cards_user_id_due", "review_cards", ["user_id", "due"])
    op.create_table(
        "mastery_models",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("n_attempts", sa.Integer, nullable=False),
        sa.Column("fitted_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", name="pk_mastery_models"),
        _fk("mastery_models", "org_id", "organisations", "CASCADE"),
    )


def downgrade() -> None:
    for table in (
        "mastery_models",
        "review_cards",
        "skill_mastery",
        "history_attempts",
        "quiz_attempts",
        "quizzes",
        "quiz_item_versions",
        "quiz_items",
    ):
        op.drop_table(table)
