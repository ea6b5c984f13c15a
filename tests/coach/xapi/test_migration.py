"""Migration 0017 adds the outbox and takes it away again; events from before it keep their
statements (served by the statements endpoint) without being queued."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.orm import Session

from coach import storage
from coach.db import alembic_config, migrate
from coach.xapi_lrs.models import XapiOutbox
from tests.coach.xapi.conftest import log_statements


def test_downgrade_drops_the_outbox_and_upgrade_brings_it_back(db: Engine) -> None:
    log_statements(db, 1)
    command.downgrade(alembic_config(db), "0016")
    assert "xapi_outbox" not in inspect(db).get_table_names()
    with Session(db) as session, session.begin():  # an event of the old schema's days
        org_id = session.scalar(select(storage.Organisation.id))
        session.execute(
            insert(storage.Event.__table__).values(
                org_id=org_id, type="chat.started", payload={"xapi": {"id": "old"}}
            )
        )
    migrate(db)
    assert "xapi_outbox" in inspect(db).get_table_names()
    with Session(db) as session:
        events = session.scalar(select(storage.Event.id).order_by(storage.Event.id.desc()))
        assert session.scalars(select(XapiOutbox)).all() == []  # dropped with the table
        assert session.get(XapiOutbox, events) is None  # not queued after the fact
    log_statements(db, 1)
    with Session(db) as session:
        assert len(session.scalars(select(XapiOutbox)).all()) == 1
