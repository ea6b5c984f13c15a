"""Whether the planner sees a step of the approved path as done (table-driven): a completion
of its item or an attendance of its session counts from the day the path was built, so a
course done before and due again (a renewal) still gets its step's nudges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.gather import learner_states
from coach.storage.path_models import PathVersion
from tests.coach.nudges.conftest import DAY, Org

BUILT = DAY - timedelta(days=20)

CASES: dict[str, tuple[dict[str, Any], list[dict[str, Any]], bool]] = {
    # name: (what the stored version says beyond its step, records of Ana, done?)
    "nothing recorded": ({"built_on": BUILT.isoformat()}, [], False),
    "completed before the path was built (a renewal)": (
        {"built_on": BUILT.isoformat()},
        [{"kind": "completion", "item_id": "el-excel", "on": BUILT - timedelta(days=300)}],
        False,
    ),
    "completed the day the path was built": (
        {"built_on": BUILT.isoformat()},
        [{"kind": "completion", "item_id": "el-excel", "on": BUILT}],
        True,
    ),
    "completed since, after an older completion": (
        {"built_on": BUILT.isoformat()},
        [
            {"kind": "completion", "item_id": "el-excel", "on": BUILT - timedelta(days=300)},
            {"kind": "completion", "item_id": "el-excel", "on": DAY - timedelta(days=2)},
        ],
        True,
    ),
    "its session attended since": (
        {"built_on": BUILT.isoformat(), "session_id": "s-excel"},
        [
            {
                "kind": "attendance",
                "item_id": "s-excel",
                "on": DAY - timedelta(days=1),
                "attended": True,
            }
        ],
        True,
    ),
    "its session missed": (
        {"built_on": BUILT.isoformat(), "session_id": "s-excel"},
        [{"kind": "attendance", "item_id": "s-excel", "on": DAY, "attended": False}],
        False,
    ),
    "a version stored without its day counts any completion": (
        {},
        [{"kind": "completion", "item_id": "el-excel", "on": BUILT - timedelta(days=300)}],
        True,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_step_done(db_engine: Engine, org: Org, case: str) -> None:
    extra, records, done = CASES[case]
    with Session(db_engine) as session, session.begin():
        version = session.scalars(select(PathVersion)).one()  # Ana's approved path (fixture)
        content = dict(version.content)
        step = content["steps"][0] | {k: v for k, v in extra.items() if k != "built_on"}
        version.content = {"steps": [step]} | (
            {"built_on": extra["built_on"]} if "built_on" in extra else {}
        )
        storage.add_learning_records(
            session,
            org_id=org.id,
            records=[{"user_id": org.ana} | r for r in records],
        )
    with Session(db_engine) as session:
        states = learner_states(
            session, org_id=org.id, day=DAY, org_zone="Europe/Paris", catalog=None
        )
    ana = next(s for s in states if s.user_id == org.ana)
    assert [(s.item_id, s.done) for s in ana.steps] == [("el-excel", done)]
