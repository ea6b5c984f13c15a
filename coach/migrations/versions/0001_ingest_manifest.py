"""Ingestion manifest: ingested files and index generations.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_generations",
        sa.Column("generation", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("file_key", sa.String(1024), nullable=False),
        sa.Column("course_id", sa.String(255), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ingest_generations_file_key", "ingest_generations", ["file_key"])
    op.create_index("ix_ingest_generations_state", "ingest_generations", ["state"])
    op.create_table(
        "ingested_files",
        sa.Column("file_key", sa.String(1024), primary_key=True),
        sa.Column("root", sa.String(1024), nullable=False),
        sa.Column("course_id", sa.String(255), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column(
            "generation",
            sa.Integer,
            sa.ForeignKey("ingest_generations.generation"),
            nullable=False,
        ),
        sa.Column("chunk_count", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_ingested_files_course_id", "ingested_files", ["course_id"])


def downgrade() -> None:
    op.drop_table("ingested_files")
    op.drop_table("ingest_generations")
