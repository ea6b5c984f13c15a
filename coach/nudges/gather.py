"""Learner states and recipients read from storage for one organisation and day.

A few bulk queries (:mod:`coach.storage.nudge_state`) for the whole organisation, then
plain :class:`~coach.nudges.state.LearnerState` objects the pure rules run over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.plan import Recipient
from coach.nudges.state import LearnerState, LevelReached, PathStep, QuizOutcome, UpcomingSession
from recommender.catalog import Catalog


def zone(name: object, default: str) -> str:
    """``name`` when it is a known IANA zone, else ``default``."""
    if isinstance(name, str) and name:
        try:
            ZoneInfo(name)
            return name
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default


def recipients(
    session: Session,
    *,
    org_id: str,
    default_zone: str,
    holdout: Mapping[str, bool],
    channels: Sequence[str],
) -> dict[str, Recipient]:
    """Every enabled user of the organisation with their zone, language, open channels."""
    zones = {
        p.user_id: zone(p.data.get("timezone"), default_zone)
        for _, p in storage.learner_profiles(session, org_id=org_id)
    }
    prefs = storage.org_nudge_preferences(session, org_id=org_id)
    out: dict[str, Recipient] = {}
    for user in storage.list_users(session, org_id=org_id):
        if user.disabled:
            continue
        pref = prefs.get(user.id)
        opted = set(pref.opted_out) if pref else set()
        reachable = {
            "feed": True,
            "email": bool(user.email),
            "webhook": bool(pref and pref.webhook_url),
        }
        open_ = tuple(c for c in channels if reachable.get(c) and c not in opted)
        out[user.id] = Recipient(
            user.id,
            timezone=zones.get(user.id),
            language=user.locale,
            channels=open_,
            holdout=holdout.get(user.id, False),
        )
    return out


def learner_states(
    session: Session, *, org_id: str, day: date, org_zone: str, catalog: Catalog | None
) -> list[LearnerState]:
    """The state of every learner with a profile, as the rules read it on ``day``."""
    tz = ZoneInfo(org_zone)
    pairs = storage.learner_profiles(session, org_id=org_id)
    by_external = {u.external_id: u.id for u in storage.list_users(session, org_id=org_id)}
    steps = storage.approved_path_steps(session, org_id=org_id)
    done = storage.done_items(session, org_id=org_id)
    enrolled = storage.enrolled_sessions(session, org_id=org_id)
    end_of_day = datetime.combine(day + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    reviews = storage.due_review_counts(session, org_id=org_id, until=end_of_day)
    quizzes = _quizzes(session, org_id, end_of_day, catalog)
    reached = _reached(session, org_id, day, catalog)
    out = []
    for user, profile in pairs:
        uid = user.id
        path_steps = steps.get(uid, [])
        sessions = set(enrolled.get(uid, ())) | {
            s["session_id"] for s in path_steps if s.get("session_id")
        }
        out.append(
            LearnerState(
                org_id=org_id,
                user_id=uid,
                name=user.display_name,
                manager_id=by_external.get(profile.manager) if profile.manager else None,
                timezone=zone(profile.data.get("timezone"), org_zone),
                sessions=_sessions(sessions, catalog, tz),
                steps=tuple(
                    PathStep(
                        s["item_id"],
                        s.get("title") or s["item_id"],
                        date.fromisoformat(s["end"]),
                        (uid, s["item_id"]) in done,
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


def _sessions(ids: set[str], catalog: Catalog | None, tz: ZoneInfo) -> tuple[UpcomingSession, ...]:
    if catalog is None:
        return ()
    out = []
    for sid in sorted(ids):
        s = catalog.sessions.get(sid)
        if s is None:
            continue
        start = s.start if s.start.tzinfo else s.start.replace(tzinfo=tz)  # local wall time
        item = catalog.items.get(s.item_id)
        out.append(
            UpcomingSession(sid, s.item_id, item.title if item else s.item_id, start, s.place)
        )
    return tuple(out)


def _quizzes(
    session: Session, org_id: str, until: datetime, catalog: Catalog | None
) -> dict[str, list[QuizOutcome]]:
    out: dict[str, list[QuizOutcome]] = defaultdict(list)
    rows = storage.finished_quizzes(
        session, org_id=org_id, since=until - timedelta(days=4), until=until
    )
    for q in rows:
        scope = q["scope"] or {}
        skill = scope.get("skill") or max(set(q["skills"]), key=q["skills"].count, default=None)
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
    session: Session, org_id: str, day: date, catalog: Catalog | None
) -> dict[str, list[LevelReached]]:
    out: dict[str, list[LevelReached]] = defaultdict(list)
    if catalog is None:
        return out
    rows = storage.recent_completions(
        session, org_id=org_id, since=day - timedelta(days=7), until=day
    )
    for user, item_id, on in sorted(rows, key=lambda r: (r[0], r[2], r[1])):
        item = catalog.items.get(item_id)
        for sl in item.skills if item else ():
            out[user].append(LevelReached(sl.skill, catalog.label(sl.skill), sl.level, on))
    return out
