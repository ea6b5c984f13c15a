"""Paths: the catalog (as imported rows), learner profiles, learning records, paths under
review with their versions and audit trail.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
STATUSES = "status IN ('draft', 'pending', 'approved', 'rejected', 'changes_requested')"


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "catalog_rows",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", "kind", "key", name="pk_catalog_rows"),
        sa.CheckConstraint(
            "kind IN ('skill', 'role', 'item', 'session')", name="ck_catalog_rows_kind"
        ),
        _fk("catalog_rows", "org_id", "organisations", "CASCADE"),
    )
    op.create_table(
        "catalog_states",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", name="pk_catalog_states"),
        _fk("catalog_states", "org_id", "organisations", "CASCADE"),
    )
    op.create_table(
        "learner_profiles",
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(255), nullable=True),
        sa.Column("team", sa.String(255), nullable=False),
        sa.Column("manager", sa.String(255), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_learner_profiles"),
        _fk("learner_profiles", "user_id", "users", "CASCADE"),
        _fk("learner_profiles", "org_id", "organisations", "CASCADE"),
    )
    op.create_index("ix_learner_profiles_org_id_team", "learner_profiles", ["org_id", "team"])
    op.create_index("ix_learner_profiles_org_id_role", "learner_profiles", ["org_id", "role"])
    op.create_table(
        "learning_records",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("item_id", sa.String(255), nullable=True),
        sa.Column("skill", sa.String(255), nullable=True),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("attended", sa.Boolean, nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("ref", sa.String(255), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learning_records"),
        sa.UniqueConstraint("org_id", "ref", name="uq_learning_records_org_id_ref"),
        sa.CheckConstraint(
            "kind IN ('completion', 'quiz', 'attendance')", name="ck_learning_records_kind"
        ),
        _fk("learning_records", "org_id", "organisations", "CASCADE"),
        _fk("learning_records", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_learning_records_user_id_on", "learning_records", ["user_id", "on"])
    op.create_table(
        "learning_paths",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("approved_version", sa.Integer, nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("team", sa.String(255), nullable=False),
        sa.Column("role", sa.String(255), nullable=True),
        sa.Column("item_ids", sa.JSON, nullable=False),
        sa.Column("session_ids", sa.JSON, nullable=False),
        sa.Column("slots", sa.JSON, nullable=False),
        sa.Column("n_steps", sa.Integer, nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("start", sa.Date, nullable=True),
        sa.Column("end", sa.Date, nullable=True),
        sa.Column("blocking", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_learning_paths"),
        sa.UniqueConstraint("user_id", name="uq_learning_paths_user_id"),
        sa.CheckConstraint(STATUSES, name="ck_learning_paths_status"),
        _fk("learning_paths", "org_id", "organisations", "CASCADE"),
        _fk("learning_paths", "user_id", "users", "CASCADE"),
    )
    op.create_index("ix_learning_paths_org_id_status", "learning_paths", ["org_id", "status"])
    op.create_table(
        "path_versions",
        sa.Column("path_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("problems", sa.JSON, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(36), nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("path_id", "version", name="pk_path_versions"),
        _fk("path_versions", "path_id", "learning_paths", "CASCADE"),
        _fk("path_versions", "created_by", "users", "SET NULL"),
    )
    op.create_table(
        "path_audit",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("path_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("action", sa.String(24), nullable=False),
        sa.Column("actor_id", sa.String(36), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("from_status", sa.String(24), nullable=True),
        sa.Column("to_status", sa.String(24), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_path_audit"),
        _fk("path_audit", "path_id", "learning_paths", "CASCADE"),
        _fk("path_audit", "actor_id", "users", "SET NULL"),
    )
    op.create_index("ix_path_audit_path_id_id", "path_audit", ["path_id", "id"])


def downgrade() -> None:
    for table in (
        "path_audit",
        "path_versions",
        "learning_paths",
        "learning_records",
        "learner_profiles",
        "catalog_states",
        "catalog_rows",
    ):
        op.drop_table(table)
