"""The built-in rules: each fires in its window, with its reason, link and stable key."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coach.nudges.rules import KINDS, learner_candidates
from coach.nudges.state import (
    LearnerState,
    LevelReached,
    PathStep,
    QuizOutcome,
    UpcomingSession,
)

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2026, 3, 2)  # a Monday


def state(**kw: object) -> LearnerState:
    return LearnerState(org_id="o", user_id="u", name="Ana", **kw)  # type: ignore[arg-type]


def session_in(days: int, sid: str = "s1") -> UpcomingSession:
    start = datetime(2026, 3, 2, 9, 30, tzinfo=PARIS) + timedelta(days=days)
    return UpcomingSession(sid, "excel", "Excel pivot tables", start, "Room 4")


def kinds(st: LearnerState, day: date = DAY) -> list[str]:
    return [c.kind for c in learner_candidates(st, day=day, tz=PARIS)]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(8, []), (7, ["session.d7"]), (3, ["session.d7"]), (1, ["session.d1"]), (0, [])],
)
def test_session_windows(days: int, expected: list[str]) -> None:
    assert kinds(state(sessions=(session_in(days),))) == expected


def test_session_nudge_carries_logistics_reason_link_and_expiry() -> None:
    (c,) = learner_candidates(state(sessions=(session_in(1),)), day=DAY, tz=PARIS)
    assert c.params == {
        "title": "Excel pivot tables",
        "date": date(2026, 3, 3),
        "time": "09:30",
        "place": "Room 4",
    }
    assert c.session_id == "s1" and c.key == "session.d1:s1"
    assert c.link == "/me/path?session=s1" and "s1" in c.reason
    assert c.expires_at == datetime(2026, 3, 3, 8, 30, tzinfo=UTC)
    assert c.not_before == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Paris


def test_next_step_due_only_the_next_open_one() -> None:
    steps = (
        PathStep("a", "Done already", DAY, done=True),
        PathStep("b", "Formulas", DAY + timedelta(days=2)),
        PathStep("c", "Charts", DAY + timedelta(days=1), done=False),
    )
    out = learner_candidates(state(steps=steps), day=DAY, tz=PARIS)
    assert [(c.kind, c.params["title"]) for c in out] == [("step.due", "Charts")]
    far = (PathStep("b", "Formulas", DAY + timedelta(days=3)),)
    assert kinds(state(steps=far)) == []


def test_deadline_approaching_for_an_open_mandatory_step() -> None:
    steps = (PathStep("gdpr", "GDPR", DAY + timedelta(days=20), deadline=DAY + timedelta(7)),)
    out = learner_candidates(state(steps=steps), day=DAY, tz=PARIS)
    assert [c.kind for c in out] == ["deadline.near"]
    assert out[0].params["days"] == 7
    assert kinds(state(steps=steps), DAY - timedelta(days=1)) == []


def test_reviews_from_a_threshold_once_a_week() -> None:
    assert kinds(state(reviews_due=2)) == []
    monday = learner_candidates(state(reviews_due=5), day=DAY, tz=PARIS)
    friday = learner_candidates(state(reviews_due=9), day=DAY + timedelta(4), tz=PARIS)
    assert monday[0].kind == "reviews.due" and monday[0].params == {"count": 5}
    assert monday[0].key == friday[0].key  # same ISO week: the planner keeps one


def test_a_bad_quiz_brings_the_coach_offer() -> None:
    finished = datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
    bad = QuizOutcome("q1", "VLOOKUP", 0.25, 4, finished)
    good = QuizOutcome("q2", "VLOOKUP", 0.75, 4, finished)
    tiny = QuizOutcome("q3", "VLOOKUP", 0.0, 1, finished)
    old = QuizOutcome("q4", "VLOOKUP", 0.0, 5, finished - timedelta(days=5))
    out = learner_candidates(state(quizzes=(bad, good, tiny, old)), day=DAY, tz=PARIS)
    assert [(c.kind, c.key) for c in out] == [("quiz.help", "quiz.help:q1")]
    assert out[0].params == {"topic": "VLOOKUP", "score": 25, "items": 4}
    assert out[0].link == "/me/coach?quiz=q1"


def test_recognition_goes_to_the_learner_and_their_manager() -> None:
    st = state(manager_id="m", reached=(LevelReached("excel", "Excel", 2, DAY),))
    out = learner_candidates(st, day=DAY, tz=PARIS)
    assert [(c.kind, c.user_id, c.about) for c in out] == [
        ("skill.reached", "u", None),
        ("skill.reached.manager", "m", "u"),
    ]
    assert out[1].params == {"name": "Ana", "skill": "Excel", "level": 2}
    no_manager = state(reached=(LevelReached("excel", "Excel", 2, DAY),))
    assert kinds(no_manager) == ["skill.reached"]
    assert kinds(no_manager, DAY + timedelta(days=4)) == []


def test_every_kind_is_reachable_and_keys_are_stable() -> None:
    st = state(
        manager_id="m",
        sessions=(session_in(1, "s1"), session_in(7, "s2")),
        steps=(PathStep("b", "Formulas", DAY, deadline=DAY),),
        reviews_due=3,
        quizzes=(QuizOutcome("q", "Charts", 0.0, 3, datetime(2026, 3, 1, tzinfo=UTC)),),
        reached=(LevelReached("excel", "Excel", 1, DAY),),
    )
    first = learner_candidates(st, day=DAY, tz=PARIS)
    assert {c.kind for c in first} == set(KINDS)
    assert first == learner_candidates(st, day=DAY, tz=PARIS)
    assert all(c.reason and c.link.startswith("/") for c in first)
