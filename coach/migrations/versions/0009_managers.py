"""Reporting lines (the organisation chart and its history), managers' goals for their
reports with their comments, and on-the-job application confirmations.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "reporting_lines",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("manager_id", sa.String(36), nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reporting_lines"),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to > valid_from", name="ck_reporting_lines_dates"
        ),
        sa.CheckConstraint("report_id <> manager_id", name="ck_reporting_lines_not_self"),
        _fk("reporting_lines", "org_id", "organisations", "CASCADE"),
        _fk("reporting_lines", "report_id", "users", "CASCADE"),
        _fk("reporting_lines", "manager_id", "users", "CASCADE"),
    )
    op.create_index(
        "ix_reporting_lines_org_id_manager_id", "reporting_lines", ["org_id", "manager_id"]
    )
    op.create_index(
        "ix_reporting_lines_report_id_valid_from", "reporting_lines", ["report_id", "valid_from"]
    )
    op.create_table(
        "manager_goals",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("manager_id", sa.String(36), nullable=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("target_role", sa.String(255), nullable=True),
        sa.Column("skills", sa.JSON, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_manager_goals"),
        sa.CheckConstraint("status IN ('open', 'withdrawn')", name="ck_manager_goals_status"),
        _fk("manager_goals", "org_id", "organisations", "CASCADE"),
        _fk("manager_goals", "report_id", "users", "CASCADE"),
        _fk("manager_goals", "manager_id", "users", "SET NULL"),
    )
    op.create_index("ix_manager_goals_org_id_report_id", "manager_goals", ["org_id", "report_id"])
    op.create_table(
        "goal_comments",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("goal_id", sa.String(36), nullable=False),
        sa.Column("author_id", sa.String(36), nullable=True),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_goal_comments"),
        _fk("goal_comments", "goal_id", "manager_goals", "CASCADE"),
        _fk("goal_comments", "author_id", "users", "SET NULL"),
    )
    op.create_index("ix_goal_comments_goal_id_id", "goal_comments", ["goal_id", "id"])
    op.create_table(
        "application_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("report_id", sa.String(36), nullable=False),
        sa.Column("manager_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(255), nullable=False),
        sa.Column("skill", sa.String(255), nullable=False),
        sa.Column("step_kind", sa.String(16), nullable=False),
        sa.Column("learned_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("level", sa.Integer, nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("answered_at", TIMESTAMP, nullable=True),
        sa.Column("answered_by", sa.String(36), nullable=True),
        sa.Column("statement", sa.JSON, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_application_requests"),
        sa.UniqueConstraint(
            "report_id", "item_id", "skill", name="uq_application_requests_report_id_item_id_skill"
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'answered', 'no_opportunity')",
            name="ck_application_requests_status",
        ),
        sa.CheckConstraint(
            "step_kind IN ('attendance', 'completion')", name="ck_application_requests_step_kind"
        ),
        sa.CheckConstraint(
            "level IS NULL OR (level >= 1 AND level <= 4)", name="ck_application_requests_level"
        ),
        _fk("application_requests", "org_id", "organisations", "CASCADE"),
        _fk("application_requests", "report_id", "users", "CASCADE"),
        _fk("application_requests", "manager_id", "users", "CASCADE"),
        _fk("application_requests", "answered_by", "users", "SET NULL"),
    )
    op.create_index(
        "ix_application_requests_manager_id_status",
        "application_requests",
        ["manager_id", "status"],
    )
    op.create_index(
        "ix_application_requests_org_id_answered_at",
        "application_requests",
        ["org_id", "answered_at"],
    )


def downgrade() -> None:
    op.drop_table("application_requests")
    op.drop_table("goal_comments")
    op.drop_table("manager_goals")
    op.drop_table("reporting_lines")
