"""Against a real LRS (ralph): statements recorded while it is down all arrive once it is up,
exactly once, as they were built, also when it stops in the middle of a pass; refused
credentials and its 500s are retried with back-off, reported, and lose nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from coach.settings import LrsSettings
from coach.xapi_lrs.models import XapiOutbox
from coach.xapi_lrs.outbox import outbox_state
from coach.xapi_lrs.sender import LrsClient, flush
from tests.coach.xapi.conftest import log_statements
from tests.coach.xapi.ralph import PASSWORD, USER, Ralph
from tests.utils.databases import ON_POSTGRESQL

# ralph takes seconds to start; the outbox's SQL runs on both databases in test_outbox, so
# these run once, on SQLite (make test-pg would only repeat them).
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(ON_POSTGRESQL, reason="database-independent: run in make test"),
]


@pytest.fixture
def db(sqlite_db: Engine) -> Engine:
    return sqlite_db


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    lrs = Ralph(tmp_path_factory.mktemp("ralph"))
    yield lrs
    lrs.stop()


class Later:
    """The sender's clock, moved on past each back-off."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now


def _cfg(ralph: Ralph, password: str = PASSWORD, **kw: Any) -> LrsSettings:
    return LrsSettings(
        url=ralph.url,
        username=USER,
        password=SecretStr(password),
        batch_size=kw.pop("batch_size", 4),
        retry_base_s=10,
        timeout_s=10,
        **kw,
    )


def _check_arrived_once(ralph: Ralph, statements: list[dict[str, Any]]) -> None:
    held = ralph.statements()
    ids = [s["id"] for s in held]
    assert len(ids) == len(set(ids)), "a statement arrived twice"
    by_id = {s["id"]: s for s in held}
    assert set(by_id) == {s["id"] for s in statements}
    for sent in statements:  # as built: the LRS adds stored and authority only
        got = by_id[sent["id"]]
        assert {k: got[k] for k in sent} == sent
        assert set(got) - set(sent) <= {"stored", "authority", "version"}


def test_recorded_while_the_lrs_is_down_then_delivered_once_in_order(
    db: Engine, ralph: Ralph
) -> None:
    statements = log_statements(db, 6, learner="ana")
    clock, cfg = Later(), _cfg(ralph)
    client = LrsClient(cfg)
    report = flush(db, cfg, client, clock=clock)  # ralph not started: connection refused
    assert report.sent == 0 and "LRS unreachable" in report.errors[0]
    with Session(db) as session:
        assert outbox_state(session).counts["pending"] == 6

    ralph.start()
    clock.now += timedelta(seconds=11)
    report = flush(db, cfg, client, clock=clock)
    assert (report.sent, report.errors) == (6, [])
    _check_arrived_once(ralph, statements)

    # The sender died after ralph stored a batch and before it marked the rows: they are
    # sent again with the same ids, and ralph keeps one of each.
    with Session(db) as session, session.begin():
        session.execute(update(XapiOutbox).values(status="pending", next_attempt_at=clock.now))
    assert flush(db, cfg, client, clock=clock).sent == 6
    _check_arrived_once(ralph, statements)

    # Stopped in the middle of a pass: the first batch is in, the rest waits, then arrives.
    more = log_statements(db, 5, learner="luc")
    calls = {"n": 0}

    def stop_after_first_batch(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == 2:
            ralph.stop()
        with httpx.Client() as real:
            return real.send(request)

    with LrsClient(cfg, transport=httpx.MockTransport(stop_after_first_batch)) as midway:
        report = flush(db, cfg, midway, clock=clock)
    assert report.sent == 4 and report.retried == 1 and report.errors
    ralph.start()
    clock.now += timedelta(seconds=11)
    assert flush(db, cfg, client, clock=clock).sent == 1
    _check_arrived_once(ralph, statements + more)
    client.close()


def test_refused_credentials_and_a_failing_lrs_are_retried_and_reported(
    db: Engine, ralph: Ralph
) -> None:
    if ralph.proc is None:
        ralph.start()
    already = ralph.statements()
    statements = log_statements(db, 3)
    clock = Later()
    wrong = _cfg(ralph, password="not-the-password")
    with LrsClient(wrong) as client:
        report = flush(db, wrong, client, clock=clock)
    assert report.sent == 0
    with Session(db) as session:
        state = outbox_state(session)
    assert state.last_error.startswith("LRS refused the credentials (401)")
    assert state.retrying == 3

    # ralph's store broken under it: it answers 500 until it is repaired
    store = ralph.app_dir / "store"
    moved = ralph.app_dir / "store-aside"
    store.rename(moved)
    store.write_text("not a directory")
    right = _cfg(ralph)
    clock.now += timedelta(seconds=11)
    with LrsClient(right) as client:
        report = flush(db, right, client, clock=clock)
    assert report.sent == 0 and report.errors[0].startswith("LRS answered 5"), report.errors
    with Session(db) as session:
        assert outbox_state(session).counts["pending"] == 3
    store.unlink()
    moved.rename(store)
    clock.now += timedelta(seconds=21)
    with LrsClient(right) as client:
        assert flush(db, right, client, clock=clock).sent == 3
    _check_arrived_once(ralph, already + statements)
