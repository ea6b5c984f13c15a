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

KINDS = (
    "session.d7",
    "session.d1",
    "step.due",
    "deadline.near",
    "reviews.due",
    "quiz.help",
    "skill.reached",
    "skill.reached.manager",
)


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


def _sessions(
    state: LearnerState, day: date, tz: ZoneInfo, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    early, late = config.session_days
    for s in state.sessions:
        local = s.start.astimezone(tz)
        days = (local.date() - day).days
        if days < late or days > early:
            continue
        kind = "session.d1" if days <= late else "session.d7"
        params = {
            "title": s.title,
            "date": local.date(),
            "time": local.strftime("%H:%M"),
            "place": s.place or "-",
        }
        reason = (
            f"enrolled in session {s.session_id} of {s.item_id} starting {local:%Y-%m-%d %H:%M}"
            f" ({days} day{'s' if days > 1 else ''} ahead)"
        )
        yield Candidate(
            org_id=state.org_id,
            user_id=state.user_id,
            kind=kind,
            key=f"{kind}:{s.session_id}",
            not_before=morning,
            reason=reason,
            link=f"/me/path?session={s.session_id}",
            params=params,
            priority=80 if kind == "session.d1" else 70,
            expires_at=s.start.astimezone(UTC),
            session_id=s.session_id,
        )


def _steps(
    state: LearnerState, day: date, tz: ZoneInfo, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    open_steps = sorted((s for s in state.steps if not s.done), key=lambda s: (s.due, s.item_id))
    if open_steps:
        nxt = open_steps[0]
        left = (nxt.due - day).days
        if 0 <= left <= config.step_due_within:
            yield Candidate(
                org_id=state.org_id,
                user_id=state.user_id,
                kind="step.due",
                key=f"step.due:{nxt.item_id}:{nxt.due.isoformat()}",
                not_before=morning,
                reason=f"next open step {nxt.item_id} of the approved path is due on {nxt.due}",
                link=f"/me/path?step={nxt.item_id}",
                params={"title": nxt.title, "date": nxt.due, "days": left},
                priority=60,
                expires_at=_end_of(nxt.due, tz),
            )
    for s in open_steps:
        if s.deadline is None:
            continue
        left = (s.deadline - day).days
        if 0 <= left <= config.deadline_within:
            yield Candidate(
                org_id=state.org_id,
                user_id=state.user_id,
                kind="deadline.near",
                key=f"deadline.near:{s.item_id}:{s.deadline.isoformat()}",
                not_before=morning,
                reason=f"{s.item_id} is not done and its deadline {s.deadline} is {left} days away",
                link=f"/me/path?step={s.item_id}",
                params={"title": s.title, "date": s.deadline, "days": left},
                priority=75,
                expires_at=_end_of(s.deadline, tz),
            )


def _reviews(
    state: LearnerState, day: date, tz: ZoneInfo, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    if state.reviews_due < config.reviews_min:
        return
    year, week, _ = day.isocalendar()
    yield Candidate(
        org_id=state.org_id,
        user_id=state.user_id,
        kind="reviews.due",
        key=f"reviews.due:{year}-W{week:02d}",  # at most one review reminder a week
        not_before=morning,
        reason=f"{state.reviews_due} spaced-review cards are due",
        link="/me/reviews",
        params={"count": state.reviews_due},
        priority=40,
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
        yield Candidate(
            org_id=state.org_id,
            user_id=state.user_id,
            kind="quiz.help",
            key=f"quiz.help:{q.quiz_id}",
            not_before=max(morning, q.finished_at + timedelta(hours=1)),
            reason=f"quiz {q.quiz_id} on {q.topic} scored {q.score:.0%} over {q.n_items} items",
            link=f"/me/coach?quiz={q.quiz_id}",
            params={"topic": q.topic, "score": round(q.score * 100), "items": q.n_items},
            priority=65,
            expires_at=q.finished_at + timedelta(days=7),
        )


def _recognition(
    state: LearnerState, day: date, morning: datetime, config: RuleConfig
) -> Iterator[Candidate]:
    for r in state.reached:
        if not 0 <= (day - r.on).days <= config.recognition_days:
            continue
        expires = morning + timedelta(days=7)
        yield Candidate(
            org_id=state.org_id,
            user_id=state.user_id,
            kind="skill.reached",
            key=f"skill.reached:{r.skill}:{r.level}",
            not_before=morning,
            reason=f"reached level {r.level} of {r.skill} on {r.on}",
            link=f"/me/skills?skill={r.skill}",
            params={"skill": r.label, "level": r.level},
            priority=55,
            expires_at=expires,
        )
        if state.manager_id:
            yield Candidate(
                org_id=state.org_id,
                user_id=state.manager_id,
                kind="skill.reached.manager",
                key=f"skill.reached.manager:{state.user_id}:{r.skill}:{r.level}",
                not_before=morning,
                reason=f"their report {state.user_id} reached level {r.level} of {r.skill}",
                link=f"/manager/reports/{state.user_id}",
                params={"name": state.name or state.user_id, "skill": r.label, "level": r.level},
                priority=30,
                expires_at=expires,
                about=state.user_id,
            )
