"""A generated organisation for benchmarks: learners, managers, a 90-day calendar.

    org = generate(seed=7)                 # plain rows, deterministic by seed
    ids = load(engine, org)                # bulk-inserted into a migrated database

10,000 learners in 500 teams of 20, one manager per team; 40 skills, 120 items (a third
scheduled: in-person or virtual sessions every two weeks over 90 days, some cancelled);
80% of learners on an approved path of 3 to 8 dated steps (past steps mostly done, some
late, mandatory steps with deadlines), enrolled in the sessions of their scheduled steps;
review cards due, a few recent quizzes (some failed), recent completions; locales (FR/EN),
a tenth of learners in another time zone, e-mail for most, opt-outs and personal webhooks
for some. Everything is a list of row dicts per table (``GeneratedOrg.rows``), so another
benchmark (dashboards) can load it or read it directly.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from coach import storage
from coach.storage.models import QuizItem, ReviewCard

START = date(2026, 3, 2)  # a Monday: day 0 of the calendar
ZONES = ("America/New_York", "Asia/Singapore", "Europe/London", "America/Sao_Paulo")


@dataclass
class GeneratedOrg:
    """Rows per table, plus what a benchmark needs to know about them."""

    seed: int
    start: date
    slug: str
    org_id: str
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    catalog: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(
    seed: int = 7, *, learners: int = 10_000, managers: int = 500, days: int = 90
) -> GeneratedOrg:
    """The organisation's rows (deterministic by ``seed``)."""
    rng = random.Random(seed)
    org = GeneratedOrg(seed, START, f"gen-{seed}", _uuid(rng))
    now = datetime.combine(START, time(5), UTC)
    skills = [{"id": f"sk{n}", "label": f"Skill {n}", "levels": 3} for n in range(40)]
    items, sessions = [], []
    for n in range(120):
        scheduled = n % 3 == 0
        modality = rng.choice(("in-person", "virtual")) if scheduled else "e-learning"
        taught = rng.sample(skills, rng.choice((1, 2)))
        items.append({
            "id": f"it{n}", "title": f"Course {n}", "modality": modality,
            "hours": 7 if scheduled else rng.choice((1, 2, 3)),
            "skills": [f"{s['id']}:{rng.randint(1, 3)}" for s in taught],
        })  # fmt: skip
        if scheduled:
            first = rng.randrange(0, 14)
            for k, offset in enumerate(range(first, days, 14)):
                start = datetime.combine(START + timedelta(offset), time(rng.choice((9, 14))))
                sessions.append({
                    "id": f"it{n}-s{k}", "item_id": f"it{n}", "start": start.isoformat(),
                    "seats": 40, "place": rng.choice(("Lyon", "Paris", "Online")),
                })  # fmt: skip
    org.catalog = {"skill": skills, "item": items, "session": sessions}
    org.cancelled = sorted(s["id"] for s in rng.sample(sessions, max(1, len(sessions) // 30)))
    sessions_of: dict[str, list[dict[str, Any]]] = {}
    for s in sessions:
        sessions_of.setdefault(s["item_id"], []).append(s)

    users, profiles, prefs, lines = [], [], [], []
    team_managers = []
    for m in range(managers):
        uid = _uuid(rng)
        team_managers.append((f"team{m}", f"mgr{m}", uid))
        users.append(_user(org.org_id, uid, f"mgr{m}", "manager", rng))
    learner_ids = []
    for n in range(learners):
        team, manager_ext, manager_id = team_managers[n % managers]
        uid = _uuid(rng)
        learner_ids.append(uid)
        users.append(_user(org.org_id, uid, f"l{n}", "learner", rng))
        data: dict[str, Any] = {"id": f"l{n}", "team": team}
        if rng.random() < 0.1:
            data["timezone"] = rng.choice(ZONES)
        profiles.append({"user_id": uid, "org_id": org.org_id, "role": "staff", "team": team,
                         "manager": manager_ext, "data": data, "updated_at": now})  # fmt: skip
        lines.append({"org_id": org.org_id, "report_id": uid, "manager_id": manager_id,
                      "valid_from": START - timedelta(365), "valid_to": None, "source": "gen",
                      "created_at": now})  # fmt: skip
        r = rng.random()
        if r < 0.08:
            opted = ["email"] if r < 0.05 else ["feed"] if r < 0.07 else ["email", "feed"]
            hook = "https://hooks.slack.com/services/T/B/x" if rng.random() < 0.5 else None
            prefs.append({"user_id": uid, "org_id": org.org_id, "opted_out": opted,
                          "webhook_url": hook, "updated_at": now})  # fmt: skip
    paths, versions, enrolments, records = [], [], [], []
    for uid in learner_ids:
        if rng.random() >= 0.8:
            continue
        pid = _uuid(rng)
        steps, day = [], rng.randrange(-30, 10)
        for item in rng.sample(items, rng.randint(3, 8)):
            day += rng.randint(3, 14)
            due = START + timedelta(day)
            step = {"item_id": item["id"], "title": item["title"], "end": due.isoformat(),
                    "deadline": (due + timedelta(7)).isoformat() if rng.random() < 0.2 else None,
                    "session_id": None}  # fmt: skip
            runs = [s for s in sessions_of.get(item["id"], ()) if s["start"][:10] >= str(due)]
            if runs:
                step["session_id"] = runs[0]["id"]
                enrolments.append({"org_id": org.org_id, "user_id": uid, "item_id": item["id"],
                                   "session_id": runs[0]["id"], "status": "enrolled",
                                   "enrolled_on": START - timedelta(30), "source": "gen",
                                   "updated_at": now})  # fmt: skip
            if day < 0 and rng.random() < 0.75:  # past steps: mostly done, some late
                late = rng.choice((0, 0, 0, 2, 5))
                records.append(_record(org.org_id, uid, item["id"], due + timedelta(late - 1)))
            elif day in (-1, -2, -3) and rng.random() < 0.5:
                records.append(_record(org.org_id, uid, item["id"], START - timedelta(1)))
            steps.append(step)
        paths.append({"id": pid, "org_id": org.org_id, "user_id": uid, "status": "approved",
                      "version": 1, "approved_version": 1, "revision": 1, "team": "", "role": None,
                      "item_ids": [s["item_id"] for s in steps], "session_ids": [], "slots": [],
                      "n_steps": len(steps), "hours": 0.0, "start": None, "end": None,
                      "blocking": 0, "warnings": 0, "created_at": now, "updated_at": now})  # fmt: skip
        versions.append({"path_id": pid, "version": 1, "content": {"steps": steps}, "problems": [],
                         "origin": "generated", "created_by": None, "comment": "",
                         "created_at": now, "guard": None})  # fmt: skip
    quiz_items = [
        {"id": _uuid(rng), "org_id": org.org_id, "course_id": "c", "module_id": None,
         "chunk_id": f"c#{n}", "kind": "mcq", "skills": [f"sk{n % 40}"], "payload": {},
         "fingerprint": f"f{n}", "generator": "gen", "version": 1, "status": "active",
         "updated_by": None, "created_at": now, "updated_at": now}
        for n in range(200)
    ]  # fmt: skip
    cards, quizzes, attempts = [], [], []
    for uid in learner_ids:
        for q in rng.sample(quiz_items, rng.choice((0, 0, 1, 2, 4, 6))):
            due = now + timedelta(days=rng.randint(-5, 20))
            cards.append({"user_id": uid, "item_id": q["id"], "card": {}, "due": due,
                          "last_review": None, "reviews": 1})  # fmt: skip
        if rng.random() < 0.05:
            qid = _uuid(rng)
            done_at = now - timedelta(hours=rng.randint(2, 40))
            quizzes.append({"id": qid, "org_id": org.org_id, "user_id": uid, "scope": {},
                            "item_ids": [], "progress": {}, "conversation_id": None,
                            "created_at": done_at, "completed_at": done_at})  # fmt: skip
            good = rng.random() < 0.5
            for q in rng.sample(quiz_items, 4):
                ok = rng.random() < (0.8 if good else 0.2)
                attempts.append({"id": _uuid(rng), "quiz_id": qid, "item_id": q["id"],
                                 "item_version": 1, "user_id": uid, "answer": {}, "correct": ok,
                                 "score": float(ok), "confidence": 1.0, "feedback": "",
                                 "time_taken_ms": None, "hints_used": 0, "skills": q["skills"],
                                 "created_at": done_at})  # fmt: skip
    org.rows = {
        "users": users, "learner_profiles": profiles, "reporting_lines": lines,
        "nudge_preferences": prefs,
        "learning_paths": paths, "path_versions": versions, "enrolments": enrolments,
        "learning_records": records, "quiz_items": quiz_items, "review_cards": cards,
        "quizzes": quizzes, "quiz_attempts": attempts,
    }  # fmt: skip
    return org


def _user(org_id: str, uid: str, ext: str, role: str, rng: random.Random) -> dict[str, Any]:
    return {
        "id": uid, "org_id": org_id, "external_id": ext, "display_name": ext.upper(),
        "email": f"{ext}@example.test" if rng.random() < 0.95 else None, "role": role,
        "locale": "fr" if rng.random() < 0.7 else "en", "disabled": False,
        "created_at": datetime.combine(START, time(), UTC),
    }  # fmt: skip


def _record(org_id: str, uid: str, item_id: str, on: date) -> dict[str, Any]:
    return {"org_id": org_id, "user_id": uid, "kind": "completion", "on": on, "item_id": item_id,
            "skill": None, "score": None, "attended": None, "phase": None, "minutes": None,
            "source": "gen", "ref": None, "created_at": datetime.combine(on, time(), UTC)}  # fmt: skip


_TABLES = (
    ("users", storage.User), ("learner_profiles", storage.LearnerProfile),
    ("reporting_lines", storage.ReportingLine),
    ("nudge_preferences", storage.NudgePreference), ("learning_paths", storage.LearningPath),
    ("path_versions", storage.PathVersion), ("enrolments", storage.Enrolment),
    ("learning_records", storage.LearningRecord), ("quiz_items", QuizItem),
    ("review_cards", ReviewCard), ("quizzes", storage.Quiz), ("quiz_attempts", storage.QuizAttempt),
)  # fmt: skip


def _chunks(rows: list[dict[str, Any]], n: int = 5000) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), n):
        yield rows[i : i + n]


def load(engine: Engine, org: GeneratedOrg) -> None:
    """Insert the organisation into a migrated database (bulk, one transaction), then let
    PostgreSQL gather its statistics, as autovacuum would on a live database: on tables it
    has never analysed the planner guesses a few rows each and nests loops over 10,000 x
    10,000 (13 s for one join of users and profiles)."""
    with Session(engine) as session, session.begin():
        session.add(storage.Organisation(id=org.org_id, slug=org.slug, name=org.slug, settings={}))
        session.flush()
        storage.save_catalog_rows(session, org_id=org.org_id, rows=org.catalog)
        for sid in org.cancelled:
            storage.set_session_status(
                session, org_id=org.org_id, session_id=sid, status="cancelled", reason="gen"
            )
        for table, model in _TABLES:
            for chunk in _chunks(org.rows[table]):
                session.execute(insert(model), chunk)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
