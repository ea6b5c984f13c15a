"""Coach core: organisations, users, tokens, conversations, messages, feedback, events, memory.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The models' type: timezone-aware, read back as UTC (coach.storage.models.UTCDateTime).
TIMESTAMP = sa.DateTime(timezone=True)


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", sa.String(36), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        _id(),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("course_ids", sa.JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("slug", name="uq_organisations_slug"),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("org_id", "external_id", name="uq_users_org_id_external_id"),
        sa.CheckConstraint("role IN ('learner', 'admin', 'reviewer')", name="ck_users_role"),
        sa.CheckConstraint("locale IN ('en', 'fr')", name="ck_users_locale"),
        _fk("users", "org_id", "organisations", "CASCADE"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("jti", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("revoked_at", TIMESTAMP, nullable=True),
        sa.Column("last_used_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("jti", name="pk_api_tokens"),
        _fk("api_tokens", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "conversations",
        _id(),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("course_id", sa.String(255), nullable=True),
        sa.Column("summary", sa.Text, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversations"),
        _fk("conversations", "org_id", "organisations", "CASCADE"),
        _fk("conversations", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_conversations_org_id", "conversations", ["org_id"])
    op.create_index(
        "ix_conversations_user_id_updated_at", "conversations", ["user_id", "updated_at"]
    )
    op.create_table(
        "messages",
        _id(),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("citations", sa.JSON, nullable=False),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("responder", sa.String(64), nullable=True),
        sa.Column("rewritten_query", sa.Text, nullable=True),
        sa.Column("covered", sa.Boolean, nullable=True),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
        sa.CheckConstraint("role IN ('user', 'assistant')", name="ck_messages_role"),
        _fk("messages", "conversation_id", "conversations", "CASCADE"),
    )
    op.create_index(
        "ix_messages_conversation_id_created_at", "messages", ["conversation_id", "created_at"]
    )
    op.create_table(
        "feedback",
        _id(),
        sa.Column("message_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.String(2000), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
        sa.UniqueConstraint("message_id", "user_id", name="uq_feedback_message_id_user_id"),
        sa.CheckConstraint("rating IN (1, -1)", name="ck_feedback_rating"),
        _fk("feedback", "message_id", "messages", "CASCADE"),
        _fk("feedback", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_feedback_user_id", "feedback", ["user_id"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
        _fk("events", "org_id", "organisations", "CASCADE"),
        _fk("events", "user_id", "users", "SET NULL"),
    )
    op.create_index("ix_events_org_id_created_at", "events", ["org_id", "created_at"])
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_user_id", "events", ["user_id"])
    op.create_table(
        "learner_memory",
        _id(),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("source_message_id", sa.String(36), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learner_memory"),
        sa.CheckConstraint("kind IN ('goal', 'fact')", name="ck_learner_memory_kind"),
        _fk("learner_memory", "user_id", "users", "CASCADE"),
        _fk("learner_memory", "source_message_id", "messages", "SET NULL"),
    )
    op.create_index("ix_learner_memory_user_id", "learner_memory", ["user_id"])
    op.create_index("ix_learner_memory_source_message_id", "learner_memory", ["source_message_id"])


def downgrade() -> None:
    for table in (
        "learner_memory",
        "events",
        "feedback",
        "messages",
        "conversations",
        "api_tokens",
        "users",
        "organisations",
    ):
        op.drop_table(table)
