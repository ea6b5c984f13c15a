"""The Kirkpatrick rollup's mastery cells now hold mastery gains (mastery at the start of
the first step and at the period's end, replayed from the graded answers) instead of the
current mastery: rollups built before are dropped, so each organisation's is rebuilt on its
next dashboard request (or the daily sweep). No table changes; the downgrade drops them
again for the older code to rebuild with its own meaning.

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TABLES = (
    "kirkpatrick_span_cells",
    "kirkpatrick_survey_cells",
    "kirkpatrick_group_teams",
    "kirkpatrick_rollups",
)


def _drop_rollups() -> None:
    for table in TABLES:
        op.execute(f"DELETE FROM {table}")


def upgrade() -> None:
    _drop_rollups()


def downgrade() -> None:
    _drop_rollups()
