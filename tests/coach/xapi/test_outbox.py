"""The outbox: filled with the event, sent in batches exactly once, retried with back-off
while the LRS is down, refuses or fails, narrowed to the one bad statement, reported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from coach import storage
from coach.settings import LrsSettings
from coach.xapi_lrs.models import XapiOutbox
from coach.xapi_lrs.outbox import claim_due, outbox_state, requeue_failed
from coach.xapi_lrs.sender import LrsClient, flush
from tests.coach.xapi.conftest import FakeLrs, log_statements


class Clock:
    """The sender's clock, from a little after the statements were logged."""

    def __init__(self) -> None:
        self.start = self.now = datetime.now(UTC) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now


def _cfg(**kw: object) -> LrsSettings:
    values = {"url": "https://lrs.example/xAPI/", "username": "coach", "password": "s3cret"}
    return LrsSettings.model_validate(values | {"batch_size": 3, "retry_base_s": 30.0} | kw)


def _client(lrs: FakeLrs, cfg: LrsSettings) -> LrsClient:
    return LrsClient(cfg, transport=httpx.MockTransport(lrs))


def _rows(db: Engine) -> list[XapiOutbox]:
    with Session(db) as session:
        return list(session.scalars(select(XapiOutbox).order_by(XapiOutbox.event_id)))


def test_a_statement_is_queued_with_its_event_and_only_if_it_commits(db: Engine) -> None:
    log_statements(db, 2)
    assert [(r.status, r.attempts) for r in _rows(db)] == [("pending", 0), ("pending", 0)]
    with Session(db) as session:
        org = storage.get_organisation_by_slug(session, slug="northwind")
        assert org is not None
        storage.log_event(session, org_id=org.id, type="chat.started", payload={"xapi": {}})
        session.rollback()  # the learner's request failed: neither event nor row
    assert len(_rows(db)) == 2


def test_batches_go_to_the_lrs_once_with_the_version_header_and_basic_auth(db: Engine) -> None:
    statements = log_statements(db, 7)
    lrs, cfg = FakeLrs(), _cfg()
    report = flush(db, cfg, _client(lrs, cfg))
    assert (report.sent, report.batches, report.errors) == (7, 3, [])
    assert [len(p) for p in lrs.posts] == [3, 3, 1]
    first = lrs.requests[0]
    assert str(first.url) == "https://lrs.example/xAPI/statements"
    assert first.method == "POST"
    assert first.headers["X-Experience-API-Version"] == "1.0.3"
    assert first.headers["Authorization"] == f"Basic {lrs.basic_auth()}"
    assert lrs.stored == {s["id"]: s for s in statements}
    assert flush(db, cfg, _client(lrs, cfg)).batches == 0  # nothing left: nothing sent again
    assert len(lrs.posts) == 3
    assert {r.status for r in _rows(db)} == {"sent"}


def test_lrs_down_backs_off_exponentially_and_sends_everything_once_back(db: Engine) -> None:
    statements = log_statements(db, 4)
    lrs, cfg, clock = FakeLrs(mode="down"), _cfg(), Clock()
    report = flush(db, cfg, _client(lrs, cfg), clock=clock)
    # the pass stops at the first failure: one try, the whole first batch backs off
    assert (report.sent, report.retried, len(lrs.requests)) == (0, 3, 1)
    assert "LRS unreachable: ConnectError" in report.errors[0]
    backed = [r for r in _rows(db) if r.attempts == 1]
    assert len(backed) == 3
    assert all(r.next_attempt_at == clock.start + timedelta(seconds=30) for r in backed)
    state = outbox_state(Session(db))
    assert state.counts["pending"] == 4 and state.retrying == 3
    assert "ConnectError" in state.last_error

    clock.now = clock.start + timedelta(seconds=31)
    flush(db, cfg, _client(lrs, cfg), clock=clock)  # down again: 2nd attempt, 60 s
    assert {r.next_attempt_at - clock.now for r in _rows(db) if r.attempts == 2} == {
        timedelta(seconds=60)
    }
    lrs.mode = "up"
    clock.now += timedelta(seconds=10)
    flush(db, cfg, _client(lrs, cfg), clock=clock)  # the one never tried goes; others wait
    assert len(lrs.stored) == 1
    clock.now += timedelta(seconds=60)
    flush(db, cfg, _client(lrs, cfg), clock=clock)
    assert lrs.stored == {s["id"]: s for s in statements}
    sent_ids = [i for post in lrs.posts for i in post]
    assert sorted(sent_ids) == sorted(lrs.stored)  # each posted once, none twice
    assert outbox_state(Session(db)).counts == {"pending": 0, "sent": 4, "failed": 0, "dropped": 0}


def test_a_500_or_refused_credentials_are_retried_reported_and_nothing_lost(db: Engine) -> None:
    log_statements(db, 2)
    lrs, cfg, clock = FakeLrs(mode="401"), _cfg(max_attempts=2), Clock()
    flush(db, cfg, _client(lrs, cfg), clock=clock)
    state = outbox_state(Session(db))
    assert state.last_error.startswith("LRS refused the credentials (401)")
    assert state.last_error_at == clock.start and state.retrying == 2
    lrs.mode = "500"
    clock.now += timedelta(hours=1)
    flush(db, cfg, _client(lrs, cfg), clock=clock)  # out of attempts: failed, kept
    state = outbox_state(Session(db))
    assert state.counts["failed"] == 2 and state.last_error.startswith("LRS answered 500")
    lrs.mode = "up"
    clock.now += timedelta(hours=1)
    assert flush(db, cfg, _client(lrs, cfg), clock=clock).sent == 0  # failed: not retried
    with Session(db) as session, session.begin():
        assert requeue_failed(session, now=clock.now) == 2
    assert flush(db, cfg, _client(lrs, cfg), clock=clock).sent == 2
    assert len(lrs.stored) == 2


def test_a_bad_statement_is_narrowed_down_and_the_rest_of_its_batch_delivered(
    db: Engine,
) -> None:
    statements = log_statements(db, 3)
    lrs, cfg = FakeLrs(refuse={statements[1]["id"]}), _cfg()
    report = flush(db, cfg, _client(lrs, cfg))
    assert (report.sent, report.failed) == (2, 1)
    assert set(lrs.stored) == {statements[0]["id"], statements[2]["id"]}
    bad = next(r for r in _rows(db) if r.statement_id == statements[1]["id"])
    assert bad.status == "failed" and "LRS answered 400" in bad.last_error


def test_an_id_the_lrs_already_holds_counts_as_delivered(db: Engine) -> None:
    statements = log_statements(db, 3)
    # A pass died after the LRS stored the first one; the second's id is held with other
    # content (409 for the whole batch): each alone, both count as delivered.
    lrs = FakeLrs(stored={statements[0]["id"]: statements[0]})
    lrs.stored[statements[1]["id"]] = statements[1] | {"timestamp": "2020-01-01T00:00:00Z"}
    cfg = _cfg()
    report = flush(db, cfg, _client(lrs, cfg))
    assert (report.sent, report.failed) == (3, 0)
    assert statements[2]["id"] in lrs.stored
    assert {r.status for r in _rows(db)} == {"sent"}


def test_two_senders_never_claim_the_same_row(db: Engine) -> None:
    log_statements(db, 5)
    lease, t0 = timedelta(minutes=5), Clock().now
    with Session(db) as session, session.begin():
        _, first = claim_due(session, now=t0, limit=3, lease=lease)
    with Session(db) as session, session.begin():
        _, second = claim_due(session, now=t0, limit=10, lease=lease)
    assert len(first) == 3 and len(second) == 2
    assert not {r.event_id for r in first} & {r.event_id for r in second}
    with Session(db) as session, session.begin():  # the first pass died: its lease expires
        _, again = claim_due(session, now=t0 + 2 * lease, limit=10, lease=lease)
    assert {r.event_id for r in again} == {r.event_id for r in first + second}


def test_an_erased_learners_statements_are_never_sent(db: Engine) -> None:
    log_statements(db, 2, learner="ana")
    kept = log_statements(db, 1, learner="luc")
    with Session(db) as session, session.begin():
        events = list(session.scalars(select(storage.Event).order_by(storage.Event.id)))
        session.execute(delete(storage.Event).where(storage.Event.id == events[0].id))
        events[1].payload = {"conversation_id": "c"}  # anonymised: the statement is gone
    assert len(_rows(db)) == 2  # the deleted event's row went with it
    lrs, cfg = FakeLrs(), _cfg()
    report = flush(db, cfg, _client(lrs, cfg))
    assert (report.sent, report.dropped) == (1, 1)
    assert list(lrs.stored) == [kept[0]["id"]]
