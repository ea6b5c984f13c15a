"""Paths in storage, on SQLite and PostgreSQL: versions, the audit trail, seats held, and
the optimistic lock when two reviewers write the same path at once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.paths import PathService
from coach.paths.imports import import_catalog
from recommender.demo import catalog_rows as demo_catalog_rows
from tests.utils.paths import DEMO, DEMO_TODAY, seed_demo_paths


@pytest.fixture
def world(db_engine: Engine, tmp_path: Path) -> tuple[str, storage.Viewer, storage.Viewer]:
    org_id = seed_demo_paths(db_engine, tmp_path)
    with Session(db_engine) as session, session.begin():
        viewers = [
            storage.Viewer.from_user(
                storage.create_user(
                    session, org_id=org_id, external_id=name, display_name=name, role="reviewer"
                )
            )
            for name in ("rita", "raj")
        ]
    return org_id, viewers[0], viewers[1]


def _service() -> PathService:
    return PathService(today=lambda: DEMO_TODAY)


def test_generated_paths_are_stored_with_versions_audit_and_seats(
    db_engine: Engine, world: tuple[str, storage.Viewer, storage.Viewer]
) -> None:
    org_id, rita, _ = world
    service = _service()
    with Session(db_engine) as session, session.begin():
        made = service.generate(session, viewer=rita, org_id=org_id)
        assert len(made.paths) == 5
    with Session(db_engine) as session:
        rows, total = storage.list_paths(session, viewer=rita, status="pending")
        assert total == 5
        path, user = next((p, u) for p, u in rows if u.external_id == "luc")
        version = storage.path_version(session, path_id=path.id, version=1)
        assert [s["item_id"] for s in version.content["steps"]] == path.item_ids
        assert version.origin == "generated" and version.created_by == rita.id
        audit = storage.path_history(session, path_id=path.id)
        assert [(a.action, a.from_status, a.to_status, a.actor_name) for a in audit] == [
            ("generate", None, "pending", "rita")
        ]
        held = storage.booked_sessions(session, org_id=org_id)
        assert sum(held.values()) == sum(len(p.session_ids) for p, _ in rows)
        assert storage.booked_sessions(session, org_id=org_id, except_user=user.id) == (
            held - Counter(path.session_ids)
        )


def test_two_reviewers_writing_at_once_the_second_gets_a_conflict(
    db_engine: Engine, world: tuple[str, storage.Viewer, storage.Viewer]
) -> None:
    org_id, rita, raj = world
    service = _service()
    with Session(db_engine) as session, session.begin():
        service.generate(session, viewer=rita, org_id=org_id, external_ids=["ana"])
    with Session(db_engine) as first, Session(db_engine) as second:
        (row_a, _), *_ = storage.list_paths(first, viewer=rita)[0]
        seen, path_id = row_a.revision, row_a.id
        row_b = storage.get_path(second, viewer=raj, path_id=row_a.id)
        assert row_b.revision == seen
        # both passed the revision check; the first commits its decision
        service.review(first, viewer=rita, path_id=row_a.id, action="approve", revision=seen)
        first.commit()
        # the second's write races past the check: the version counter refuses it
        with pytest.raises(storage.Conflict):
            service.review(
                second,
                viewer=raj,
                path_id=row_b.id,
                action="reject",
                revision=seen,
                comment="no",
            )
        second.rollback()
    with Session(db_engine) as session:
        row = storage.get_path(session, viewer=rita, path_id=path_id)
        assert row.status == "approved"
        assert [a.action for a in storage.path_history(session, path_id=row.id)] == [
            "generate",
            "approve",
        ]


def test_a_learner_reads_only_their_approved_version(
    db_engine: Engine, world: tuple[str, storage.Viewer, storage.Viewer]
) -> None:
    org_id, rita, _ = world
    service = _service()
    with Session(db_engine) as session, session.begin():
        service.generate(session, viewer=rita, org_id=org_id, external_ids=["ana", "luc"])
    with Session(db_engine) as session, session.begin():
        ana = storage.find_user(session, org_id=org_id, external_id="ana")
        assert ana is not None
        me = storage.Viewer.from_user(ana)
        with pytest.raises(storage.NotFound):
            storage.my_approved_path(session, viewer=me)
        with pytest.raises(storage.Forbidden):
            storage.list_paths(session, viewer=me)
        row = storage.path_of_user(session, user_id=ana.id)
        assert row is not None
        service.review(
            session, viewer=rita, path_id=row.id, action="approve", revision=row.revision
        )
        path, version = storage.my_approved_path(session, viewer=me)
        assert path.id == row.id and version.version == 1


def test_coaching_slots_held_by_stored_paths_are_not_offered_again(
    db_engine: Engine, world: tuple[str, storage.Viewer, storage.Viewer], tmp_path: Path
) -> None:
    """Capacity 1 a month: paths generated one call at a time never share a month."""
    org_id, rita, _ = world
    rows = demo_catalog_rows(DEMO)
    for item in rows["items"]:
        if item.get("capacity_per_month"):
            item["capacity_per_month"] = 1
    scarce = tmp_path / "scarce.yaml"
    scarce.write_text(yaml.safe_dump(rows), encoding="utf-8")
    service = _service()
    with Session(db_engine) as session, session.begin():
        import_catalog(session, org_id=org_id, path=scarce)
    for learner in ("ana", "luc", "priya", "sam", "chloe"):
        with Session(db_engine) as session, session.begin():
            service.generate(session, viewer=rita, org_id=org_id, external_ids=[learner])
    with Session(db_engine) as session:
        rows_, _ = storage.list_paths(session, viewer=rita)
        used = Counter(slot for p, _ in rows_ for slot in p.slots)
        assert used, "no path books coaching: the test shows nothing"
        assert max(used.values()) == 1
