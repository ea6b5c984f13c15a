"""The Kirkpatrick dashboard's rollup: per-organisation cells of survey sums, learning and
mastery spans, the days each group's teams took steps, and when it was built.

Revision ID: 0014
Revises: 0013
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

SURVEY_SUMS = ("answers", "satisfaction_sum", "satisfaction_n", "usefulness_sum",
               "usefulness_n", "confidence_sum", "confidence_n", "change_sum", "change_n",
               "applying", "applied_n")  # fmt: skip


def _org(table: str) -> list[Any]:
    return [
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=f"fk_{table}_org_id_organisations",
            ondelete="CASCADE",
        ),
    ]


def _cells(table: str, *columns: Any) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        *_org(table),
        sa.Column("group_by", sa.String(8), nullable=False),
        sa.Column("grp", sa.Text, nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    )


def upgrade() -> None:
    op.create_table(
        "kirkpatrick_rollups",
        *_org("kirkpatrick_rollups"),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalog_revision", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("org_id", name="pk_kirkpatrick_rollups"),
    )
    _cells(
        "kirkpatrick_survey_cells",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("grain", sa.String(5), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        *[sa.Column(name, sa.Integer, nullable=False) for name in SURVEY_SUMS],
    )
    op.create_index(
        "ix_kirkpatrick_survey_cells_org_id_group_by_grain_day",
        "kirkpatrick_survey_cells",
        ["org_id", "group_by", "grain", "day"],
    )
    _cells(
        "kirkpatrick_span_cells",
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("grain", sa.String(5), nullable=False),
        sa.Column("lo", sa.Date, nullable=False),
        sa.Column("hi", sa.Date, nullable=False),
        sa.Column("nxt", sa.Date, nullable=True),
        sa.Column("n", sa.Integer, nullable=False),
        *[sa.Column(f"{x}{k}", sa.BigInteger, nullable=False) for x in "ab" for k in (1, 2, 3)],
    )
    for end in ("lo", "hi"):
        op.create_index(
            f"ix_kirkpatrick_span_cells_org_id_group_by_grain_{end}",
            "kirkpatrick_span_cells",
            ["org_id", "group_by", "grain", end],
        )
    _cells(
        "kirkpatrick_group_teams",
        sa.Column("team", sa.String(255), nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("days", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_kirkpatrick_group_teams_org_id_group_by_first_day",
        "kirkpatrick_group_teams",
        ["org_id", "group_by", "first_day"],
    )


def downgrade() -> None:
    for table in (
        "kirkpatrick_group_teams",
        "kirkpatrick_span_cells",
        "kirkpatrick_survey_cells",
        "kirkpatrick_rollups",
    ):
        op.drop_table(table)
