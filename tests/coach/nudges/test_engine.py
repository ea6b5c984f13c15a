"""Planning a day from stored state, idempotently; delivering with retries, never twice."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.channels import FakeChannel, FeedChannel
from coach.nudges.engine import NudgeEngine, backoff
from coach.settings import NudgeDeliverySettings
from tests.coach.nudges.conftest import DAY, NOW, Org


def engine_with(**channels: object) -> NudgeEngine:
    chans = {"feed": FeedChannel(), **channels}
    return NudgeEngine(channels=chans, clock=lambda: NOW)  # type: ignore[arg-type]


def plan(db: Engine, nudges: NudgeEngine, org: Org) -> dict[str, int]:
    with Session(db) as session, session.begin():
        return nudges.plan_day(session, org_id=org.id, day=DAY).counts


def rows(db: Engine) -> list[storage.Nudge]:
    with Session(db) as session:
        return list(session.scalars(select(storage.Nudge).order_by(storage.Nudge.key)))


def test_a_day_is_planned_from_stored_state_in_each_language(db_engine: Engine, org: Org) -> None:
    counts = plan(db_engine, engine_with(email=FakeChannel("email")), org)
    got = {(r.user_id, r.kind, r.channel) for r in rows(db_engine)}
    assert got == {
        (org.ana, "session.d1", "feed"), (org.ana, "session.d1", "email"),
        (org.ana, "step.due", "feed"), (org.ana, "step.due", "email"),
        (org.luc, "session.d7", "feed"),  # no e-mail address: the feed only
        (org.luc, "reviews.due", "feed"),
        (org.luc, "skill.reached", "feed"),
        (org.tom, "skill.reached.manager", "feed"), (org.tom, "skill.reached.manager", "email"),
    }  # fmt: skip
    assert counts["planned"] == 6
    by_kind = {(r.kind, r.channel): r for r in rows(db_engine)}
    d1 = by_kind[("session.d1", "feed")]
    assert d1.body.startswith("Your session Negotiation is tomorrow, Tuesday 3 March, at 09:30")
    assert d1.send_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC) and d1.session_id == "s1"
    d7 = by_kind[("session.d7", "feed")]
    assert d7.language == "fr" and "lundi 9 mars" in d7.body
    # Luc lives in New York: 09:00 there is 14:00 UTC
    assert d7.send_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert by_kind[("skill.reached.manager", "feed")].body == (
        "Luc reached level 2 in Spreadsheet modelling."
    )


def test_planning_again_adds_nothing(db_engine: Engine, org: Org) -> None:
    nudges = engine_with()
    plan(db_engine, nudges, org)
    before = len(rows(db_engine))
    again = plan(db_engine, nudges, org)
    assert len(rows(db_engine)) == before and again["planned"] == 0
    assert again["duplicate"] == 6


def test_the_weekly_limit_holds_across_runs(db_engine: Engine, org: Org) -> None:
    with Session(db_engine) as session, session.begin():
        storage.update_org_settings(session, org_id=org.id, patch={"nudges": {"max_per_week": 1}})
    nudges = engine_with()
    first = plan(db_engine, nudges, org)
    again = plan(db_engine, nudges, org)
    assert first["rate_limit"] == 3 and again["planned"] == 0 and again["rate_limit"] == 3
    per_user = Counter(r.user_id for r in rows(db_engine))
    assert max(per_user.values()) == 1


def test_the_unique_key_refuses_a_second_row(db_engine: Engine, org: Org) -> None:
    row = {
        "org_id": org.id, "user_id": org.ana, "key": "k", "channel": "feed", "kind": "step.due",
        "send_at": NOW, "language": "en", "subject": "s", "body": "b", "link": "/", "reason": "r",
        "priority": 1,
    }  # fmt: skip
    with Session(db_engine) as session, session.begin():
        assert len(storage.save_planned_nudges(session, rows=[row])) == 1
        again = storage.save_planned_nudges(session, rows=[row, {**row, "channel": "email"}])
        assert len(again) == 1
        n = session.scalar(select(func.count()).select_from(storage.Nudge))
    assert n == 2


def test_a_down_channel_is_retried_with_back_off_then_sent_once(
    db_engine: Engine, org: Org
) -> None:
    email = FakeChannel("email", fail_times=2)
    nudges = engine_with(email=email)
    plan(db_engine, nudges, org)
    (mail,) = [r for r in rows(db_engine) if r.channel == "email" and r.kind == "step.due"]
    at = mail.send_at
    assert nudges.deliver(db_engine, nudge_id=mail.id, now=at) == "retry"
    # retrying the job at once finds it not due: the back-off holds
    assert nudges.deliver(db_engine, nudge_id=mail.id, now=at) == "not_due_or_taken"
    later = at + backoff(1, nudges.delivery)
    assert nudges.deliver(db_engine, nudge_id=mail.id, now=later) == "retry"
    last = later + backoff(2, nudges.delivery)
    assert backoff(2, nudges.delivery) == 2 * backoff(1, nudges.delivery)
    assert nudges.deliver(db_engine, nudge_id=mail.id, now=last) == "sent"
    for _ in range(3):  # injected retries of a finished job
        assert nudges.deliver(db_engine, nudge_id=mail.id, now=last + timedelta(hours=1)) == (
            "not_due_or_taken"
        )
    assert [m.nudge_id for m in email.sent] == [mail.id]
    with Session(db_engine) as session:
        stored = session.get(storage.Nudge, mail.id)
        assert stored is not None and stored.status == "sent" and stored.attempts == 3


def test_after_max_attempts_the_nudge_is_failed_and_kept(db_engine: Engine, org: Org) -> None:
    nudges = NudgeEngine(
        channels={"feed": FeedChannel(), "email": FakeChannel("email", fail_times=99)},
        delivery=NudgeDeliverySettings(max_attempts=2, retry_base_s=1),
        clock=lambda: NOW,
    )
    plan(db_engine, nudges, org)
    (mail,) = [r for r in rows(db_engine) if r.channel == "email" and r.kind == "step.due"]
    now = mail.send_at
    assert nudges.deliver(db_engine, nudge_id=mail.id, now=now) == "retry"
    assert nudges.deliver(db_engine, nudge_id=mail.id, now=now + timedelta(seconds=5)) == "failed"
    with Session(db_engine) as session:
        stored = session.get(storage.Nudge, mail.id)
        assert stored is not None and stored.status == "failed" and "down" in stored.last_error


def test_a_claim_is_taken_once_until_its_lease_runs_out(db_engine: Engine, org: Org) -> None:
    plan(db_engine, engine_with(), org)
    nudge_id = rows(db_engine)[0].id
    lease = timedelta(minutes=5)
    later = NOW + timedelta(days=1)
    with Session(db_engine) as session, session.begin():
        assert storage.claim_nudge(session, nudge_id=nudge_id, now=later, lease=lease) is not None
    with Session(db_engine) as session, session.begin():
        assert storage.claim_nudge(session, nudge_id=nudge_id, now=later, lease=lease) is None
        # the worker died mid-send: after the lease another may take it
        stale = later + timedelta(minutes=6)
        assert storage.claim_nudge(session, nudge_id=nudge_id, now=stale, lease=lease) is not None


def test_opt_out_and_cancellation_after_planning_are_honoured(db_engine: Engine, org: Org) -> None:
    email = FakeChannel("email")
    nudges = engine_with(email=email)
    plan(db_engine, nudges, org)
    with Session(db_engine) as session, session.begin():
        storage.set_nudge_preferences(session, org_id=org.id, user_id=org.ana, opted_out=["email"])
        storage.set_session_status(session, org_id=org.id, session_id="s1", status="cancelled")
    by = {(r.kind, r.channel): r for r in rows(db_engine) if r.user_id == org.ana}
    late = NOW + timedelta(hours=4)
    assert nudges.deliver(db_engine, nudge_id=by["step.due", "email"].id, now=late) == (
        "skipped:opted_out"
    )
    assert nudges.deliver(db_engine, nudge_id=by["session.d1", "feed"].id, now=late) == (
        "skipped:cancelled"
    )
    assert nudges.deliver(db_engine, nudge_id=by["step.due", "feed"].id, now=late) == "sent"
    assert email.sent == []


def test_no_delivery_in_quiet_hours_even_late_or_on_retry(db_engine: Engine, org: Org) -> None:
    email = FakeChannel("email", fail_times=1)
    nudges = engine_with(email=email)
    plan(db_engine, nudges, org)
    by = {(r.kind, r.channel): r for r in rows(db_engine) if r.user_id == org.ana}
    night = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 in Paris: a worker catching up
    feed = by["step.due", "feed"].id
    assert nudges.deliver(db_engine, nudge_id=feed, now=night) == "postponed"
    with Session(db_engine) as session:
        row = session.get(storage.Nudge, feed)
        assert row is not None and row.status == "planned" and row.attempts == 0
        assert row.send_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Paris
    # a failure at 20:59 Paris would retry at 21:00: pushed to the morning instead
    evening = datetime(2026, 3, 2, 18, 59, 30, tzinfo=UTC)
    mail = by["step.due", "email"].id
    assert nudges.deliver(db_engine, nudge_id=mail, now=evening) == "retry"
    with Session(db_engine) as session:
        row = session.get(storage.Nudge, mail)
        assert row is not None and row.send_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


def test_a_claim_abandoned_by_a_dead_worker_is_found_by_the_sweep(
    db_engine: Engine, org: Org
) -> None:
    nudges = engine_with()
    plan(db_engine, nudges, org)
    nudge_id = rows(db_engine)[0].id
    later = NOW + timedelta(hours=10)
    lease = timedelta(seconds=nudges.delivery.lease_s)
    with Session(db_engine) as session, session.begin():  # claimed, then the worker died
        assert storage.claim_nudge(session, nudge_id=nudge_id, now=later, lease=lease)
    with Session(db_engine) as session:
        soon = storage.due_nudge_ids(session, now=later + timedelta(minutes=1), lease=lease)
        after = storage.due_nudge_ids(session, now=later + 2 * lease, lease=lease)
    assert nudge_id not in soon and nudge_id in after
    assert nudges.deliver(db_engine, nudge_id=nudge_id, now=later + 2 * lease) == "sent"
