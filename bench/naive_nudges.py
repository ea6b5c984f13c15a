"""The baseline planner of ``bench.nudges``: the same rules and guard rails, each learner's
state read with its own queries (a dozen per learner), as a first version would do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from coach import storage
from coach.nudges.candidate import Candidate
from coach.nudges.gather import zone
from coach.nudges.plan import Ledger, Recipient, plan
from coach.nudges.rules import learner_candidates
from coach.nudges.state import LearnerState, LevelReached, PathStep, QuizOutcome, UpcomingSession
from coach.paths.world import World
from coach.storage.models import Quiz, QuizAttempt, ReviewCard


def naive_plan(
    db: Engine, org_id: str, user_ids: Sequence[str], day: date
) -> tuple[list[Candidate], int]:
    """Candidates of ``user_ids`` on ``day`` and how many queries it took; the guard rails
    run on them too, as the engine would."""
    queries = 0
    out: list[Candidate] = []
    with Session(db) as s:
        settings = storage.org_settings(s, org_id=org_id).nudges
        catalog = World().catalog(s, org_id)
        tz = ZoneInfo(settings.timezone)
        end = datetime.combine(day + timedelta(days=1), time(), tz).astimezone(UTC)
        ledger, recipients = Ledger(), {}
        for uid in user_ids:
            user = s.get(storage.User, uid)
            profile = s.get(storage.LearnerProfile, uid)
            path = s.scalar(select(storage.LearningPath).where(storage.LearningPath.user_id == uid))
            version = s.get(storage.PathVersion, (path.id, path.approved_version)) if path else None
            enrolled = set(s.scalars(select(storage.Enrolment.session_id).where(
                storage.Enrolment.user_id == uid, storage.Enrolment.session_id != "",
                storage.Enrolment.status == "enrolled")))  # fmt: skip
            records = s.execute(select(storage.LearningRecord.item_id, storage.LearningRecord.on).where(
                storage.LearningRecord.user_id == uid,
                or_(storage.LearningRecord.kind == "completion",
                    storage.LearningRecord.attended.is_(True)))).all()  # fmt: skip
            due = s.scalar(select(func.count()).select_from(ReviewCard).where(
                ReviewCard.user_id == uid, ReviewCard.due <= end)) or 0  # fmt: skip
            quizzes = list(s.scalars(select(Quiz).where(
                Quiz.user_id == uid, Quiz.completed_at >= end - timedelta(days=4),
                Quiz.completed_at <= end)))  # fmt: skip
            outcomes = []
            for q in quizzes:
                scores = list(
                    s.scalars(select(QuizAttempt.score).where(QuizAttempt.quiz_id == q.id))
                )
                queries += 1
                if scores:
                    outcomes.append(QuizOutcome(q.id, "quiz", sum(scores) / len(scores),
                                                len(scores), q.completed_at))  # fmt: skip
            pref = s.get(storage.NudgePreference, uid)
            held = s.get(storage.NudgeHoldout, uid)
            keys = s.execute(select(storage.Nudge.key, storage.Nudge.send_at).where(
                storage.Nudge.user_id == uid)).all()  # fmt: skip
            manager = s.scalar(select(storage.ReportingLine.manager_id).where(
                storage.ReportingLine.report_id == uid, storage.ReportingLine.valid_to.is_(None)))  # fmt: skip
            queries += 13
            if user is None or profile is None:
                continue
            done = {i for i, _ in records}
            reached = [
                LevelReached(sl.skill, catalog.label(sl.skill), sl.level, on)
                for i, on in records if day - timedelta(days=7) <= on <= day
                for sl in (catalog.items[i].skills if i in catalog.items else ())
            ]  # fmt: skip
            steps = version.content.get("steps", ()) if version else ()
            sessions = []
            for sid in sorted(
                enrolled | {st["session_id"] for st in steps if st.get("session_id")}
            ):
                cs = catalog.sessions.get(sid)
                if cs is not None:
                    item = catalog.items.get(cs.item_id)
                    start = cs.start.replace(tzinfo=tz) if cs.start.tzinfo is None else cs.start
                    sessions.append(UpcomingSession(sid, cs.item_id, item.title if item else sid,
                                                    start, cs.place))  # fmt: skip
            own = zone(profile.data.get("timezone"), settings.timezone)
            state = LearnerState(
                org_id=org_id, user_id=uid, name=user.display_name, manager_id=manager,
                timezone=own, sessions=tuple(sessions),
                steps=tuple(PathStep(st["item_id"], st.get("title") or st["item_id"],
                                     date.fromisoformat(st["end"]), st["item_id"] in done,
                                     date.fromisoformat(st["deadline"]) if st.get("deadline") else None)
                            for st in steps),
                reviews_due=due, quizzes=tuple(outcomes), reached=tuple(reached),
            )  # fmt: skip
            out += learner_candidates(state, day=day, tz=ZoneInfo(own))
            for key, at in keys:
                ledger.add(uid, key, at)
            opted = set(pref.opted_out) if pref else set()
            recipients[uid] = Recipient(
                uid, own, user.locale,
                tuple(c for c in ("feed", "email") if c not in opted), bool(held and held.holdout),
            )  # fmt: skip
        cancelled = set(storage.session_statuses(s, org_id=org_id))
        queries += 1
        plan([c for c in out if c.user_id in recipients], settings=settings, recipients=recipients,
             ledger=ledger, cancelled=cancelled, now=datetime.combine(day, time(3), UTC))  # fmt: skip
    return out, queries
