"""A generated organisation for the Kirkpatrick benchmark: a year of training, surveys and
KPIs, written straight into a migrated database (bulk inserts; deterministic for a seed).

10,000 learners in 100 teams, 500 managers (5 teams each... one per 20 learners), 60 items
(e-learning, in-person, virtual, coaching) with sessions; each learner takes about six
steps in the year (a signed session or a completed module), half of them with a pre- and a
post-test; every step opens a hot survey and cold D+30 / D+60 surveys for the learner and
their manager, answered at realistic rates; graded answers on the taught skills around
each step (two the day before, two that day, one or two in review 5 to 60 days later: what
mastery over time is replayed from); three KPIs per
team and month written as a CSV and imported through ``blendcoach import kpis``.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from coach import storage
from coach.storage.path_models import CatalogRow, CatalogState, LearnerProfile, LearningRecord
from coach.storage.survey_models import SurveyAnswer, SurveyInstance
from coach.surveys.kpi_import import import_kpis
from coach.surveys.templates import default_template

MODALITIES = ("e-learning", "in-person", "virtual", "coaching")
APPLIED = ("yes", "partly", "no", "no_opportunity")
COMMENTS = (
    "The role plays were useful",
    "Too long, more practice please",
    "Great trainer, clear examples",
    "Les exemples concrets étaient utiles",
    "Pas assez de temps pour pratiquer",
)


def _chunks(rows: list[dict[str, Any]], n: int = 5000):
    for at in range(0, len(rows), n):
        yield rows[at : at + n]


def generate(
    engine: Engine, out_dir: Path, *, learners: int = 10_000, seed: int = 7, end: date
) -> dict[str, Any]:
    """Fill a migrated, empty database; returns what was made (counts, org id)."""
    rng = random.Random(seed)
    start = end - timedelta(days=364)
    n_teams, n_managers, n_items = max(learners // 100, 2), max(learners // 20, 1), 60
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        org = storage.create_organisation(s, slug="bench", name="Bench")
        org_id = org.id
        hot = storage.survey_form_id(
            s, data=default_template("hot", "learner").model_dump(mode="json")
        )
        cold = storage.survey_form_id(
            s, data=default_template("cold", "learner").model_dump(mode="json")
        )
        boss = storage.survey_form_id(
            s, data=default_template("cold", "manager").model_dump(mode="json")
        )
    users: list[dict[str, Any]] = []
    managers = [str(uuid.uuid4()) for _ in range(n_managers)]
    for k, mid in enumerate(managers):
        users.append(_user(org_id, mid, f"m{k:04d}", "manager", now))
    people = []
    for k in range(learners):
        uid = str(uuid.uuid4())
        users.append(_user(org_id, uid, f"l{k:05d}", "learner", now))
        team = f"Team {k % n_teams:03d}"
        people.append((uid, team, managers[k % n_managers], f"m{k % n_managers:04d}"))
    items = [
        {"id": f"item-{k:02d}", "title": f"Course {k:02d}", "modality": MODALITIES[k % 4], "hours": 2,
         "skills": f"skill-{k % 30:02d}:1"}
        for k in range(n_items)
    ]  # fmt: skip
    sessions = [
        {"id": f"{it['id']}-s{m}", "item_id": it["id"], "seats": 30,
         "start": (start + timedelta(days=30 * m + 10)).isoformat() + "T09:00:00"}
        for it in items if it["modality"] in ("in-person", "virtual") for m in range(12)
    ]  # fmt: skip
    profiles, records, instances, answers, attendance, mastery = [], [], [], [], [], []
    for uid, team, mid, mext in people:
        profiles.append({"user_id": uid, "org_id": org_id, "role": "rep", "team": team,
                         "manager": mext, "data": {"id": uid}, "updated_at": now})  # fmt: skip
        for it in rng.sample(items, 6):
            on = start + timedelta(days=rng.randrange(365))
            sid = ""
            if it["modality"] in ("in-person", "virtual"):
                sid = f"{it['id']}-s{min((on - start).days // 30, 11)}"
                attendance.append({"org_id": org_id, "session_id": sid, "user_id": uid, "signed": True,
                                   "signed_at": datetime.combine(on, datetime.min.time(), UTC),
                                   "source": "bench", "updated_at": now})  # fmt: skip
            else:
                records.append(_record(org_id, uid, "completion", on, it["id"], None, None, now))
            if rng.random() < 0.5:
                pre = round(rng.uniform(0.2, 0.7), 2)
                records.append(
                    _record(org_id, uid, "quiz", on - timedelta(days=1), it["id"], "pre", pre, now)
                )
                post = round(min(pre + rng.uniform(-0.05, 0.4), 1.0), 2)
                records.append(_record(org_id, uid, "quiz", on, it["id"], "post", post, now))
            skill = it["skills"].split(":")[0]
            # graded answers on the skill (mastery is replayed from them): two the day before
            # the step, two on the day, one or two in review weeks later
            for offset, p_right in ((-1, 0.45), (-1, 0.45), (0, 0.7), (0, 0.7),
                                    (rng.randint(5, 60), 0.75), (rng.randint(5, 60), 0.75)):  # fmt: skip
                at = datetime.combine(on + timedelta(days=offset), datetime.min.time(), UTC)
                mastery.append({"org_id": org_id, "user_id": uid, "skill": skill,
                                "correct": rng.random() < p_right, "source": "bench",
                                "occurred_at": at + timedelta(minutes=rng.randrange(1440)),
                                "created_at": now})  # fmt: skip
            plans = [("hot", "learner", uid, 0, hot, 14, 0.6)]
            for d in (30, 60):
                plans.append(("cold", "learner", uid, d, cold, 21, 0.4))
                plans.append(("cold", "manager", mid, d, boss, 21, 0.35))
            for kind, aud, who, off, form, close, rate in plans:
                iid = str(uuid.uuid4())
                opens = on + timedelta(days=off)
                instances.append({
                    "id": iid, "org_id": org_id, "key": f"{kind}|{aud}|{uid}|{it['id']}|{sid}|{off}",
                    "kind": kind, "audience": aud, "respondent_id": who, "subject_id": uid,
                    "item_id": it["id"], "session_id": sid, "trigger": "attendance" if sid else "completion",
                    "trigger_on": on, "offset_days": off, "opens_on": opens,
                    "closes_on": opens + timedelta(days=close),
                    "status": "closed" if opens + timedelta(days=close) < end else "open",
                    "form_id": form, "created_at": now, "closed_at": None,
                })  # fmt: skip
                if opens <= end and rng.random() < rate:
                    answers.append(_answer(rng, org_id, iid, who, kind, opens, now))
    with Session(engine) as s, s.begin():
        for table, rows in (
            ("users", users), (LearnerProfile, profiles), (LearningRecord, records),
            ("attendance", attendance), (SurveyInstance, instances), (SurveyAnswer, answers),
        ):  # fmt: skip
            target = storage.metadata.tables[table] if isinstance(table, str) else table.__table__
            for chunk in _chunks(rows):
                s.execute(insert(target), chunk)
        rows = [{"org_id": org_id, "kind": "item", "key": it["id"], "position": k, "data": it,
                 "updated_at": now} for k, it in enumerate(items)]  # fmt: skip
        rows += [{"org_id": org_id, "kind": "session", "key": x["id"], "position": k, "data": x,
                  "updated_at": now} for k, x in enumerate(sessions)]  # fmt: skip
        skills = sorted({it["skills"].split(":")[0] for it in items})
        rows += [{"org_id": org_id, "kind": "skill", "key": sk, "position": k,
                  "data": {"id": sk, "label": sk}, "updated_at": now} for k, sk in enumerate(skills)]  # fmt: skip
        s.execute(insert(CatalogRow.__table__), rows)
        s.execute(
            insert(CatalogState.__table__), [{"org_id": org_id, "revision": 1, "updated_at": now}]
        )
        for chunk in _chunks(mastery):
            s.execute(insert(storage.HistoryAttempt.__table__), chunk)
    out_dir.mkdir(parents=True, exist_ok=True)
    kpis = out_dir / "kpis.csv"
    lines = ["team,month,indicator,value,unit"]
    for t in range(n_teams):
        for m in range(12):
            month = f"{(start + timedelta(days=31 * m)):%Y-%m}"
            lines.append(f"Team {t:03d},{month},revenue,{100000 + rng.randrange(50000)},EUR")
            lines.append(f"Team {t:03d},{month},nps,{rng.randrange(-20, 70)},")
            lines.append(
                f"Team {t:03d},{month},first contact resolution,{rng.uniform(0.5, 0.9):.3f},"
            )
    kpis.write_text("\n".join(dict.fromkeys(lines)) + "\n", encoding="utf-8")
    with Session(engine) as s, s.begin():
        done = import_kpis(s, org_id=org_id, path=kpis)
    return {
        "org_id": org_id, "learners": learners, "managers": n_managers, "teams": n_teams,
        "items": n_items, "records": len(records), "sign_offs": len(attendance), "graded_answers": len(mastery),
        "survey_instances": len(instances), "survey_answers": len(answers),
        "kpis": done.counts.get("added", 0), "period": [start.isoformat(), end.isoformat()],
    }  # fmt: skip


def _user(org_id: str, uid: str, ext: str, role: str, now: datetime) -> dict[str, Any]:
    return {"id": uid, "org_id": org_id, "external_id": ext, "display_name": ext, "role": role,
            "locale": "en", "disabled": False, "created_at": now}  # fmt: skip


def _record(org_id, uid, kind, on, item, phase, score, now) -> dict[str, Any]:
    return {"org_id": org_id, "user_id": uid, "kind": kind, "on": on, "item_id": item, "skill": None,
            "score": score, "attended": None, "phase": phase, "minutes": None, "source": "bench",
            "ref": None, "created_at": now}  # fmt: skip


def _answer(rng: random.Random, org_id, iid, who, kind, day, now) -> dict[str, Any]:
    if kind == "hot":
        scores = {"satisfaction": rng.randint(2, 5), "usefulness": rng.randint(1, 5),
                  "confidence": rng.randint(2, 5), "change": None, "applied": None}  # fmt: skip
        values = {k: v for k, v in scores.items() if v is not None}
        if rng.random() < 0.3:
            values["comment"] = rng.choice(COMMENTS)
    else:
        scores = {"satisfaction": None, "usefulness": None, "confidence": None,
                  "change": rng.randint(1, 5), "applied": rng.choice(APPLIED)}  # fmt: skip
        values = {"applied": scores["applied"], "change": scores["change"]}
    return {"instance_id": iid, "org_id": org_id, "respondent_id": who, "values": values,
            "language": "en", "answered_on": day, "created_at": now, "updated_at": now, "edits": 0,
            **scores}  # fmt: skip
