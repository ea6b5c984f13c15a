"""Every table the service owns, as SQLAlchemy metadata (Alembic compares against it)."""

from coach.storage.models import metadata as coach_metadata
from retrieval.manifest import metadata as retrieval_metadata

# The coach's own tables join this list as they arrive.
target_metadata = [retrieval_metadata, coach_metadata]
