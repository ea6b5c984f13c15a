"""Migration 0018 drops the rollups built with the old meaning of the mastery cells (the
current mastery), on SQLite and PostgreSQL; the next dashboard request rebuilds them."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coach.db import alembic_config, migrate
from coach.storage.kirkpatrick_models import KirkpatrickRollup, KirkpatrickSpanCell
from coach.surveys import rollup
from coach.surveys.kirkpatrick import kirkpatrick
from tests.coach.surveys.conftest import complete, make_org


def _counts(engine: Engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(KirkpatrickRollup)) or 0,
            s.scalar(select(func.count()).select_from(KirkpatrickSpanCell)) or 0,
        )


def test_upgrade_drops_old_rollups_and_downgrade_goes_back(db_engine: Engine) -> None:
    with Session(db_engine) as s:
        org = make_org(s)
        complete(s, org, org.ana, "el-gdpr")
        rollup.refresh(s, org_id=org.id)
        s.commit()
    assert _counts(db_engine)[0] == 1
    config = alembic_config(db_engine)
    command.downgrade(config, "0017")
    with Session(db_engine) as s:  # a rollup the older code built
        rollup.refresh(s, org_id=org.id)
        s.commit()
    assert _counts(db_engine)[0] == 1
    migrate(db_engine)
    assert _counts(db_engine) == (0, 0)
    with Session(db_engine) as s:  # rebuilt on the next request
        kirkpatrick(s, org_id=org.id, group_by="course", since=date(2026, 1, 1),
                    until=date(2026, 12, 31), charts=False)  # fmt: skip
        s.commit()
    assert _counts(db_engine)[0] == 1
    command.downgrade(config, "0017")
    assert _counts(db_engine) == (0, 0)
    migrate(db_engine)
