"""The built-in nudge rules: pure functions from a learner's state to candidates.

Before a session (preparation and logistics at D-7, a reminder at D-1), during a path (the
next step due, reviews due, a deadline approaching, a quiz that went badly), after
(recognition when a skill level is reached, and the manager told). Every candidate says
why (``reason``) and where it leads (``link``); its ``key`` makes a rerun or a retry of
the same day propose the very same nudge, which the planner then refuses as a duplicate.
Windows rather than exact days ("2 to 7 days before") keep a missed planning day from
losing a nudge; the key keeps it from coming twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from coach.nudges.candidate import Candidate
from coach.nudges.state import LearnerState, RuleConfig

PRIORITY = {
    "session.d7": 70,
    "session.d1": 80,
    "step.due": 60,
    "deadline.near": 75,
    "reviews.due": 40,
    "quiz.help": 65,
    "skill.reached": 55,
    "skill.reached.manager": 30,
}
"""Each kind's priority: the higher go first when the weekly limit cannot take them all."""
KINDS = tuple(PRIORITY)
_STEP_REASONS = {
    "step.due": "next open step {item} of the approved path is due on {on}",
    "deadline.near": "{item} is not done and its deadline {on} is {left} days away",
}


def _at(day: date, config: RuleConfig, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, config.send_time, tzinfo=tz).astimezone(UTC)


def _end_of(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz).astimezone(UTC)


def learner_candidates(
    state: LearnerState, *, day: date, tz: ZoneInfo, config: RuleConfig | None = None
) -> list[Candidate]:
    """Every nudge the rules propose for ``state`` on ``day`` (the learner's local date)."""
    config = config or RuleConfig()
    morning = _at(day, config, tz)
    return [
        *_sessions(state, day, tz, morning, config),
        *_steps(state, day, tz, morning, config),
        *_reviews(state, day, tz, morning, config),
        *_quizzes(state, day, morning, config),
        *_recognition(state, day, morning, config),
    ]


def _candidate(
    state: LearnerState,
    kind: str,
    ref: str,
    *,
    not_before: datetime,
    expires_at: datetime,
    reason: str,
    link: str,
    params: dict[str, object],
    session_id: str | None = None,
    to: str | None = None,
) -> Candidate:
    """The fields every rule fills alike: keyed ``kind:ref``, for the learner (or ``to``
    someone else about them), with the kind's priority."""
    return Candidate(
        org_id=state.org_id,
        user_id=to or state.user_id,
        kind=kind,
        key=f"{kind}:{ref}",
        not_before=not_before,
        reason=reason,
        link=link,
        params=params,
        priority=PRIORITY[kind],
        expires_at=expires_at,
        session_id=session_id,
        about=state.user_id if to else None,
    )


def _sessions(
    state: LearnerState, day: date, tz: ZoneInfo, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    early, late = config.session_days
    for s in state.sessions:
        local = s.start.astimezone(tz)
        days = (local.date() - day).days
        if days < late or days > early:
            continue
        yield _candidate(
            state,
            "session.d1" if days <= late else "session.d7",
            s.session_id,
            not_before=morning,
            reason=(
                f"enrolled in session {s.session_id} of {s.item_id} starting"
                f" {local:%Y-%m-%d %H:%M} ({days} day{'s' if days > 1 else ''} ahead)"
            ),
            link=f"/me/path?session={s.session_id}",
            params={
                "title": s.title,
                "date": local.date(),
                "time": local.strftime("%H:%M"),
                "place": s.place or "-",
            },
            expires_at=s.start.astimezone(UTC),
            session_id=s.session_id,
        )


def _steps(
    state: LearnerState, day: date, tz: ZoneInfo, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    open_steps = sorted((s for s in state.steps if not s.done), key=lambda s: (s.due, s.item_id))
    dated = [("step.due", s, s.due, config.step_due_within) for s in open_steps[:1]]
    dated += [
        ("deadline.near", s, s.deadline, config.deadline_within)
        for s in open_steps
        if s.deadline is not None
    ]
    for kind, step, on, within in dated:
        left = (on - day).days
        if not 0 <= left <= within:
            continue
        yield _candidate(
            state,
            kind,
            f"{step.item_id}:{on.isoformat()}",
            not_before=morning,
            expires_at=_end_of(on, tz),
            reason=_STEP_REASONS[kind].format(item=step.item_id, on=on, left=left),
            link=f"/me/path?step={step.item_id}",
            params={"title": step.title, "date": on, "days": left},
        )


def _reviews(
    state: LearnerState, day: date, tz: ZoneInfo, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    if state.reviews_due < config.reviews_min:
        return
    year, week, _ = day.isocalendar()
    yield _candidate(
        state,
        "reviews.due",
        f"{year}-W{week:02d}",  # at most one review reminder a week
        not_before=morning,
        reason=f"{state.reviews_due} spaced-review cards are due",
        link="/me/reviews",
        params={"count": state.reviews_due},
        expires_at=_end_of(day + timedelta(days=2), tz),
    )


def _quizzes(
    state: LearnerState, day: date, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    for q in state.quizzes:
        age = (morning - q.finished_at).total_seconds() / 86400
        if q.n_items < config.quiz_min_items or q.score >= config.quiz_below:
            continue
        if age > config.quiz_window_days or q.finished_at > morning + timedelta(days=1):
            continue
        yield _candidate(
            state,
            "quiz.help",
            q.quiz_id,
            not_before=max(morning, q.finished_at + timedelta(hours=1)),
            reason=f"quiz {q.quiz_id} on {q.topic} scored {q.score:.0%} over {q.n_items} items",
            link=f"/me/coach?quiz={q.quiz_id}",
            params={"topic": q.topic, "score": round(q.score * 100), "items": q.n_items},
            expires_at=q.finished_at + timedelta(days=7),
        )


def _recognition(
    state: LearnerState, day: date, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    for r in state.reached:
        if not 0 <= (day - r.on).days <= config.recognition_days:
            continue
        week = morning + timedelta(days=7)
        yield _candidate(
            state,
            "skill.reached",
            f"{r.skill}:{r.level}",
            not_before=morning,
            expires_at=week,
            reason=f"reached level {r.level} of {r.skill} on {r.on}",
            link=f"/me/skills?skill={r.skill}",
            params={"skill": r.label, "level": r.level},
        )
        if state.manager_id:
            yield _candidate(
                state,
                "skill.reached.manager",
                f"{state.user_id}:{r.skill}:{r.level}",
                not_before=morning,
                expires_at=week,
                reason=f"their report {state.user_id} reached level {r.level} of {r.skill}",
                link=f"/manager/reports/{state.user_id}",
                params={"name": state.name or state.user_id, "skill": r.label, "level": r.level},
                to=state.manager_id,
            )
