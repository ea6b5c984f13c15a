"""Indexes for the nudge planner's daily reads: the nudges sent or due since a day (its
duplicate and rate-limit ledger reads 90 days of one organisation's nudges) and the quizzes
finished in a window (the quiz-help rule), both ranges on a time within one organisation.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_nudges_org_id_send_at", "nudges", ["org_id", "send_at"])
    op.create_index("ix_quizzes_org_id_completed_at", "quizzes", ["org_id", "completed_at"])


def downgrade() -> None:
    op.drop_index("ix_quizzes_org_id_completed_at", table_name="quizzes")
    op.drop_index("ix_nudges_org_id_send_at", table_name="nudges")
