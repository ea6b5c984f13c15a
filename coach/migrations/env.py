"""Alembic environment: runs on the engine handed over by ``coach.db.migrate``."""

from alembic import context

from coach.models import target_metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=target_metadata)
    context.run_migrations()
