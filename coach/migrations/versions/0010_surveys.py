"""Hot and cold evaluation: survey templates, instances, answers; business KPIs per team and month.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
KINDS = "('hot', 'cold')"
AUDIENCES = "('learner', 'manager')"


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "survey_templates",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(36), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", "kind", "audience", name="pk_survey_templates"),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_survey_templates_kind"),
        sa.CheckConstraint(f"audience IN {AUDIENCES}", name="ck_survey_templates_audience"),
        _fk("survey_templates", "org_id", "organisations", "CASCADE"),
        _fk("survey_templates", "updated_by", "users", "SET NULL"),
    )
    op.create_table(
        "survey_forms",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_survey_forms"),
    )
    op.create_table(
        "survey_instances",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(700), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("respondent_id", sa.String(36), nullable=False),
        sa.Column("subject_id", sa.String(36), nullable=False),
        sa.Column("item_id", sa.String(255), nullable=False),
        sa.Column("session_id", sa.String(255), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("trigger_on", sa.Date, nullable=False),
        sa.Column("offset_days", sa.Integer, nullable=False),
        sa.Column("opens_on", sa.Date, nullable=False),
        sa.Column("closes_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("form_id", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("closed_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_survey_instances"),
        sa.UniqueConstraint("org_id", "key", name="uq_survey_instances_org_id_key"),
        sa.CheckConstraint(f"kind IN {KINDS}", name="ck_survey_instances_kind"),
        sa.CheckConstraint(f"audience IN {AUDIENCES}", name="ck_survey_instances_audience"),
        sa.CheckConstraint(
            "trigger IN ('attendance', 'completion')", name="ck_survey_instances_trigger"
        ),
        sa.CheckConstraint("status IN ('open', 'closed')", name="ck_survey_instances_status"),
        _fk("survey_instances", "org_id", "organisations", "CASCADE"),
        _fk("survey_instances", "respondent_id", "users", "CASCADE"),
        _fk("survey_instances", "subject_id", "users", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["form_id"], ["survey_forms.id"], name="fk_survey_instances_form_id_survey_forms"
        ),
    )
    op.create_index(
        "ix_survey_instances_respondent_id_status",
        "survey_instances",
        ["respondent_id", "status"],
    )
    op.create_index(
        "ix_survey_instances_org_id_opens_on", "survey_instances", ["org_id", "opens_on"]
    )
    op.create_index(
        "ix_survey_instances_org_id_trigger_on", "survey_instances", ["org_id", "trigger_on"]
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("instance_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("respondent_id", sa.String(36), nullable=False),
        sa.Column("values", sa.JSON, nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("answered_on", sa.Date, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("edits", sa.Integer, nullable=False),
        sa.Column("satisfaction", sa.Integer, nullable=True),
        sa.Column("usefulness", sa.Integer, nullable=True),
        sa.Column("confidence", sa.Integer, nullable=True),
        sa.Column("change", sa.Integer, nullable=True),
        sa.Column("applied", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_survey_answers"),
        sa.UniqueConstraint("instance_id", name="uq_survey_answers_instance_id"),
        _fk("survey_answers", "instance_id", "survey_instances", "CASCADE"),
        _fk("survey_answers", "org_id", "organisations", "CASCADE"),
        _fk("survey_answers", "respondent_id", "users", "CASCADE"),
    )
    op.create_index(
        "ix_survey_answers_org_id_answered_on", "survey_answers", ["org_id", "answered_on"]
    )
    op.create_table(
        "business_kpis",
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("team", sa.String(255), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("indicator", sa.String(200), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(50), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("org_id", "team", "month", "indicator", name="pk_business_kpis"),
        _fk("business_kpis", "org_id", "organisations", "CASCADE"),
    )


def downgrade() -> None:
    op.drop_table("business_kpis")
    op.drop_index("ix_survey_answers_org_id_answered_on", table_name="survey_answers")
    op.drop_table("survey_answers")
    op.drop_index("ix_survey_instances_org_id_trigger_on", table_name="survey_instances")
    op.drop_index("ix_survey_instances_org_id_opens_on", table_name="survey_instances")
    op.drop_index("ix_survey_instances_respondent_id_status", table_name="survey_instances")
    op.drop_table("survey_instances")
    op.drop_table("survey_forms")
    op.drop_table("survey_templates")
