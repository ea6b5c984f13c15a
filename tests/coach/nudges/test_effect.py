"""The effect measurement: intervals against published figures, outcomes against counts
made by hand on a small organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.effect import compare, effect_report, wilson
from coach.storage.models import QuizItem, ReviewCard


def test_wilson_interval_matches_the_textbook() -> None:
    # Newcombe (1998), table I: 81/263 -> 0.2553 to 0.3662
    low, high = wilson(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert wilson(0, 10)[0] == 0.0 and round(wilson(0, 10)[1], 4) == 0.2775


def test_newcombe_difference_interval_matches_the_paper() -> None:
    # Newcombe (1998), method 10, example (a): 56/70 - 48/80 = 0.2000, 0.0524 to 0.3339
    c = compare((56, 70), (48, 80))
    assert round(c.difference or 0, 4) == 0.2
    assert (round(c.low or 0, 4), round(c.high or 0, 4)) == (0.0524, 0.3339)
    # example (h): 10/10 - 0/10 -> 0.6075 to 1.0000
    h = compare((10, 10), (0, 10))
    assert (round(h.low or 0, 4), round(h.high or 0, 4)) == (0.6075, 1.0)


def test_an_empty_group_has_no_difference() -> None:
    c = compare((3, 4), (0, 0))
    assert c.difference is None and c.holdout.rate is None and c.nudged.rate == 0.75


def _path(session: Session, org_id: str, user_id: str, steps: list[tuple[Any, ...]]) -> None:
    path = storage.create_path(
        session, org_id=org_id, user_id=user_id, status="pending", team="t", role=None
    )
    content = {
        "built_on": "2026-02-01",
        "steps": [
            {"item_id": i, "title": i, "end": end, **(extra[0] if extra else {})}
            for i, end, *extra in steps
        ],
    }
    storage.add_version(
        session,
        path=path,
        content=content,
        problems=[],
        origin="generated",
        actor_id=None,
        summary={},
    )
    storage.set_status(session, path=path, status="approved", action="approve", actor=None)


def _card(
    session: Session, org_id: str, user_id: str, n: int, due: datetime, last: datetime | None
) -> None:
    item = QuizItem(
        org_id=org_id,
        course_id="c",
        chunk_id=f"c{n}",
        kind="mcq",
        payload={},
        fingerprint=f"f{n}",
        generator="t",
    )
    session.add(item)
    session.flush()
    session.add(ReviewCard(user_id=user_id, item_id=item.id, card={}, due=due, last_review=last))


@pytest.fixture
def measured(db_engine: Engine) -> dict[str, object]:
    with Session(db_engine) as s, s.begin():
        org = storage.create_organisation(s, slug="acme").id
        a, b, c, d = (storage.create_user(s, org_id=org, external_id=x).id for x in "abcd")
        storage.save_holdout_draws(
            s,
            org_id=org,
            seed=0,
            share=0.5,
            draws=[
                {"user_id": u, "team": "t", "position": n, "holdout": n >= 2}
                for n, u in enumerate((a, b, c, d))
            ],
        )
        _path(s, org, a, [("x", "2026-03-05"), ("y", "2026-03-10")])
        _path(s, org, b, [("x", "2026-03-05"), ("z", "2026-04-30")])  # z: due after the period
        # d's class is a session step (s9, outside the attendance figures): attending it does it
        _path(s, org, c, [("x", "2026-03-05")])
        _path(s, org, d, [("cl", "2026-03-03", {"session_id": "s9"})])
        recs = [(a, "x", date(2026, 3, 4)), (a, "y", date(2026, 3, 12)), (b, "x", date(2026, 3, 5))]
        # c did x in January, before the path was built (1 February): a renewal, still missed
        recs += [(c, "x", date(2026, 1, 10))]
        storage.add_learning_records(
            s,
            org_id=org,
            records=[
                {"user_id": u, "kind": "completion", "on": on, "item_id": i} for u, i, on in recs
            ],
        )
        storage.save_catalog_rows(
            s,
            org_id=org,
            rows={
                "item": [{"id": "cl", "title": "Class", "modality": "in-person", "hours": 7}],
                "session": [
                    {"id": "s1", "item_id": "cl", "start": "2026-03-03T09:00:00"},
                    {"id": "s2", "item_id": "cl", "start": "2026-05-03T09:00:00"},
                ],
            },
        )
        storage.save_enrolments(
            s,
            org_id=org,
            rows=[
                {"user_id": u, "item_id": "cl", "session_id": sid, "enrolled_on": date(2026, 2, 1)}
                for u in (a, b, c, d)
                for sid in ("s1", "s2")
            ],
        )
        storage.save_attendance(
            s,
            org_id=org,
            rows=[
                {"session_id": "s1", "user_id": a, "signed": True},
                {"session_id": "s1", "user_id": b, "signed": False},
                {"session_id": "s1", "user_id": c, "signed": True},
            ],
        )
        storage.add_learning_records(
            s,
            org_id=org,
            records=[
                {"user_id": d, "kind": "attendance", "on": date(2026, 3, 3), "item_id": "s9"}
                | {"attended": True}
            ],
        )
        _card(s, org, a, 1, datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
        _card(s, org, c, 2, datetime(2026, 3, 2, tzinfo=UTC), None)
        _card(s, org, c, 3, datetime(2026, 3, 20, tzinfo=UTC), None)  # due after the period
    return {"org": org, "engine": db_engine}


def test_outcomes_counted_by_hand(measured: dict[str, object]) -> None:
    with Session(measured["engine"]) as s:  # type: ignore[arg-type]
        report = effect_report(
            s, org_id=measured["org"], since=date(2026, 3, 1), until=date(2026, 3, 15),  # type: ignore[arg-type]
            today=date(2026, 3, 15),
        )  # fmt: skip
    m = report["metrics"]
    assert report["learners"] == {"nudged": 2, "holdout": 2}
    # steps: a on time (x) and late (y), b on time (x); c missed x (done only before the
    # path), d attended the session of its class step on its day
    assert (m["on_time_steps"]["nudged"]["successes"], m["on_time_steps"]["nudged"]["n"]) == (2, 3)
    assert (m["on_time_steps"]["holdout"]["successes"], m["on_time_steps"]["holdout"]["n"]) == (
        1,
        2,
    )
    # s1 on 3 March: a signed, b absent; c signed, d never signed (s2 is after the period)
    assert m["attendance"]["nudged"]["successes"] == 1 and m["attendance"]["nudged"]["n"] == 2
    assert m["attendance"]["holdout"]["successes"] == 1 and m["attendance"]["holdout"]["n"] == 2
    assert m["attendance"]["difference"] == 0.0
    # reviews: a's card reviewed on 4 March; c's card due 2 March never reviewed
    assert (m["reviews"]["nudged"]["n"], m["reviews"]["holdout"]["n"]) == (1, 1)
    assert m["reviews"]["difference"] == 1.0
    expected = compare((2, 3), (1, 2))
    assert m["on_time_steps"]["low"] == pytest.approx(expected.low)
    assert m["on_time_steps"]["high"] == pytest.approx(expected.high)
