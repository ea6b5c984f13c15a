"""Learner states and recipients read from storage for one organisation and day.

A few bulk queries (:mod:`coach.storage.nudge_state`) for the whole organisation, then
plain :class:`~coach.nudges.state.LearnerState` objects the pure rules run over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from coach import storage
from coach.learning.mastery_history import org_tracer, trajectories
from coach.nudges.plan import Recipient
from coach.nudges.state import LearnerState, LevelReached, PathStep, QuizOutcome, UpcomingSession
from coach.paths.progress import step_done
from coach.storage.mastery_history import mastery_changed_since, skill_evidence
from recommender.catalog import Catalog
from recommender.gaps import mastery_level


def zone(name: object, default: str) -> str:
    """``name`` when it is a known IANA zone, else ``default``."""
    if isinstance(name, str) and name:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default


People = Sequence[Any]
"""Rows of :func:`coach.storage.nudge_people` (one query for the whole organisation)."""


def recipients(
    people: People,
    prefs: Mapping[str, Any],
    *,
    default_zone: str,
    holdout: Mapping[str, bool],
    channels: Sequence[str],
) -> dict[str, Recipient]:
    """Every enabled user with their zone, language and open channels (reachable: an
    e-mail address, a webhook URL of their own; and not opted out)."""
    out: dict[str, Recipient] = {}
    for p in people:
        if p.disabled:
            continue
        pref = prefs.get(p.id)
        opted = set(pref.opted_out) if pref else set()
        reachable = {
            "feed": True,
            "email": bool(p.email),
            "webhook": bool(pref and pref.webhook_url),
        }
        out[p.id] = Recipient(
            p.id,
            timezone=zone((p.data or {}).get("timezone"), default_zone),
            language=p.locale,
            channels=tuple(c for c in channels if reachable.get(c) and c not in opted),
            holdout=holdout.get(p.id, False),
        )
    return out


def learner_states(
    session: Session,
    *,
    org_id: str,
    day: date,
    org_zone: str,
    catalog: Catalog | None,
    people: People | None = None,
) -> list[LearnerState]:
    """The state of every learner with a profile, as the rules read it on ``day``."""
    tz = ZoneInfo(org_zone)
    people = storage.nudge_people(session, org_id=org_id) if people is None else people
    managers = storage.current_managers(session, org_id=org_id)  # the org chart, as it is now
    steps = storage.approved_path_steps(session, org_id=org_id)
    done = storage.done_items(session, org_id=org_id)
    enrolled = storage.enrolled_sessions(session, org_id=org_id)
    end_of_day = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    reviews = storage.due_review_counts(session, org_id=org_id, until=end_of_day)
    quizzes = _quizzes(session, org_id, end_of_day, catalog)
    reached = _reached(session, org_id, day, catalog, done)
    upcoming = _upcoming(catalog, tz, day)
    out = []
    for p in people:
        if p.team is None or p.disabled:  # no profile: not a learner the rules follow
            continue
        uid = p.id
        built_on, path_steps = steps.get(uid, (date.min, []))
        booked = set(enrolled.get(uid, ()))
        booked.update(s["session_id"] for s in path_steps if s.get("session_id"))
        out.append(
            LearnerState(
                org_id=org_id,
                user_id=uid,
                name=p.display_name,
                manager_id=managers.get(uid),
                timezone=zone((p.data or {}).get("timezone"), org_zone),
                sessions=tuple(upcoming[sid] for sid in sorted(booked) if sid in upcoming),
                steps=tuple(
                    PathStep(
                        s["item_id"],
                        s.get("title") or s["item_id"],
                        date.fromisoformat(s["end"]),
                        step_done(s, uid, built_on, done),
                        date.fromisoformat(s["deadline"]) if s.get("deadline") else None,
                    )
                    for s in path_steps
                ),
                reviews_due=reviews.get(uid, 0),
                quizzes=tuple(quizzes.get(uid, ())),
                reached=tuple(reached.get(uid, ())),
            )
        )
    return out


def _upcoming(catalog: Catalog | None, tz: ZoneInfo, day: date) -> dict[str, UpcomingSession]:
    """The catalog's sessions of the next two weeks (the rules look 7 days ahead at most)."""
    if catalog is None:
        return {}
    out = {}
    for sid, s in catalog.sessions.items():
        start = s.start if s.start.tzinfo else s.start.replace(tzinfo=tz)  # local wall time
        if not day <= start.astimezone(tz).date() <= day + timedelta(days=14):
            continue
        item = catalog.items.get(s.item_id)
        out[sid] = UpcomingSession(
            sid, s.item_id, item.title if item else s.item_id, start, s.place
        )
    return out


def _quizzes(
    session: Session, org_id: str, until: datetime, catalog: Catalog | None
) -> dict[str, list[QuizOutcome]]:
    out: dict[str, list[QuizOutcome]] = defaultdict(list)
    rows = storage.finished_quizzes(
        session, org_id=org_id, since=until - timedelta(days=4), until=until
    )
    for q in rows:
        scope = q["scope"] or {}
        # the most practised skill; a tie goes to the first by id (a set's order changes
        # with every process, and the topic with it)
        skills = q["skills"]
        skill = scope.get("skill") or max(sorted(set(skills)), key=skills.count, default=None)
        topic = (
            (catalog.label(skill) if catalog and skill else skill)
            or scope.get("module_id")
            or scope.get("course_id")
            or "quiz"
        )
        scores = q["scores"]
        out[q["user_id"]].append(
            QuizOutcome(
                q["id"], str(topic), sum(scores) / len(scores), len(scores), q["finished_at"]
            )
        )
    return out


def _reached(
    session: Session,
    org_id: str,
    day: date,
    catalog: Catalog | None,
    done: Mapping[tuple[str, str], date],
) -> dict[str, list[LevelReached]]:
    """Skill levels reached in the week up to ``day``: by a completion or an attended
    session (each skill the item teaches, at its level), or by measured mastery crossing a
    level (:func:`_mastery_reached`). One per (skill, level), the latest; by learner."""
    out: dict[str, list[LevelReached]] = defaultdict(list)
    if catalog is None:
        return out
    since = day - timedelta(days=7)
    rows = storage.recent_completions(session, org_id=org_id, since=since, until=day)
    found: dict[str, dict[tuple[str, int], LevelReached]] = defaultdict(dict)
    for user, item_id, on in rows:
        item = catalog.items.get(item_id)
        for sl in item.skills if item else ():
            _keep(found[user], LevelReached(sl.skill, catalog.label(sl.skill), sl.level, on))
    for user, reached in _mastery_reached(session, org_id, since, day, catalog, done):
        _keep(found[user], reached)
    for user, levels in found.items():
        out[user] = sorted(levels.values(), key=lambda r: (r.on, r.skill, r.level))
    return out


def _keep(found: dict[tuple[str, int], LevelReached], reached: LevelReached) -> None:
    """The latest of a (skill, level): a completion and mastery reaching the same level
    are one recognition (the rule's key is skill:level), proposed while the latest is in
    the rule's window (as when each completion was a candidate of that key)."""
    key = (reached.skill, reached.level)
    if key not in found or reached.on > found[key].on:
        found[key] = reached


def _mastery_reached(
    session: Session,
    org_id: str,
    since: date,
    until: date,
    catalog: Catalog,
    done: Mapping[tuple[str, str], date],
) -> list[tuple[str, LevelReached]]:
    """(learner, level) where measured mastery crossed a skill level in ``[since, until]``.

    The knowledge-tracing estimate is mapped onto the skill's levels as the gap analysis
    does (:func:`recommender.gaps.mastery_level`, at most one level above what the learner's
    completions prove: answers say a skill is known, not at which level), and a level above
    the proven one counts on the first day the estimate (replayed from the graded answers,
    :mod:`coach.learning.mastery_history`) reaches it after being below it at the start of
    the window. Only estimates updated since the window opened are replayed.
    """
    opened = datetime.combine(since, time(), tzinfo=UTC) - timedelta(days=1)
    changed = {
        (u, s)
        for u, s in mastery_changed_since(session, org_id=org_id, since=opened)
        if s in catalog.skills
    }
    if not changed:
        return []
    users = {u for u, _ in changed}
    evidence = skill_evidence(session, org_id=org_id, user_ids=users)
    paths = trajectories(
        (r for r in evidence if (r[0], r[1]) in changed), org_tracer(session, org_id)
    )
    proven: dict[tuple[str, str], int] = defaultdict(int)
    for user, item_id in done:  # completions and attended sessions
        item = catalog.items.get(item_id)
        if user in users and item is not None:
            for sl in item.skills:
                proven[(user, sl.skill)] = max(proven[(user, sl.skill)], sl.level)
    out = []
    for (user, skill), path in sorted(paths.items()):
        known, top = proven[(user, skill)], catalog.top_level(skill)

        def level(p: float, known: int = known, top: int = top) -> int:
            return min(mastery_level(p, top), known + 1)

        best = level(path.end_of(since - timedelta(days=1)))
        for on, p in zip(path.days, path.values, strict=True):
            if not since <= on <= until or level(p) <= best:
                continue
            for lv in range(max(best, known) + 1, level(p) + 1):
                out.append((user, LevelReached(skill, catalog.label(skill), lv, on)))
            best = level(p)
    return out
