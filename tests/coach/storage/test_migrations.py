"""The Alembic migrations create exactly the tables the models describe, and roll back."""

from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from coach import storage
from coach.db import alembic_config, migrate
from coach.models import target_metadata


def test_migrations_match_every_model(db_engine: Engine) -> None:
    with db_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), target_metadata)  # type: ignore[arg-type]
    assert diff == []


def test_downgrade_to_the_manifest_then_upgrade_again(db_engine: Engine) -> None:
    command.downgrade(alembic_config(db_engine), "0001")
    tables = set(inspect(db_engine).get_table_names())
    assert "conversations" not in tables and "ingested_files" in tables
    migrate(db_engine)
    assert set(storage.metadata.tables) <= set(inspect(db_engine).get_table_names())


def test_timestamps_come_back_timezone_aware_utc(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        org = storage.create_organisation(session, slug="northwind")
        session.commit()
        session.expire_all()
        created = storage.get_organisation(session, org_id=org.id).created_at
    assert created.tzinfo is not None and created.utcoffset() == UTC.utcoffset(None)
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60
