"""Sentence vectors: quotable course sentences encoded at ingest for the offline responder.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sentence_vectors",
        sa.Column("encoder", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("encoder", "key", name="pk_sentence_vectors"),
    )


def downgrade() -> None:
    op.drop_table("sentence_vectors")
