"""What a manager sees of each report, and the team figures when only aggregates are allowed.

Per person: the approved path (steps done, progress, the next step and its due date),
overdue mandatory training (the admin tools' rule, reused) and mastery per skill. A step
counts as done once the learner completed its item or attended its session since the path
was built (:mod:`coach.paths.progress`, the rule the learner's own page uses). The aggregate
keeps to counts and means, and drops any per-skill figure resting on fewer than
``min_group_size`` people (it would single someone out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from statistics import mean
from typing import Any

from sqlalchemy.orm import Session

from coach import storage
from coach.admin.org import OrgData, Person
from coach.admin.tools import _mandatory_status
from coach.learning.mastery import LEARNER_KEY
from coach.paths import NoCatalog, PathService
from coach.paths.progress import step_done_by
from recommender.plan import path_from_json


def _path(session: Session, user_id: str, records: Sequence[Any], today: date) -> dict[str, Any]:
    row = storage.path_of_user(session, user_id=user_id)
    if row is None or row.approved_version is None:
        return {"approved": False, "status": None if row is None else row.status}
    content = storage.path_version(session, path_id=row.id, version=row.approved_version).content
    path = path_from_json(content)
    steps = path.steps
    done = [s for s in steps if step_done_by(s, records, since=path.built_on)]
    todo = sorted((s for s in steps if s not in done), key=lambda s: s.deadline or s.end)
    nxt = todo[0] if todo else None
    return {
        "approved": True,
        "status": row.status,
        "steps": len(steps),
        "done": len(done),
        "progress": round(len(done) / len(steps), 3) if steps else 1.0,
        "next_step": None
        if nxt is None
        else {
            "item_id": nxt.item_id,
            "title": nxt.title,
            "start": nxt.start.isoformat(),
            "due": (nxt.deadline or nxt.end).isoformat(),
            "late": (nxt.deadline or nxt.end) < today,
        },
    }


def _overdue(org: OrgData, person: Person) -> list[dict[str, Any]]:
    try:
        late = _mandatory_status(org, person, None)
    except NoCatalog:
        return []
    return [
        {
            "item_id": item,
            "title": org.item_title(item),
            "due": due.isoformat(),
            "days_late": (org.today - due).days,
        }
        for item, due in late
    ]


def people_figures(
    session: Session, *, service: PathService, org_id: str, user_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """The figures of each of these people (those with a learner profile), by name."""
    org = OrgData(session, org_id=org_id, world=service.world, today=service.today())
    wanted = set(user_ids)
    # only these people's records (OrgData would load the whole organisation's)
    org.__dict__["records"] = storage.learning_records(session, user_ids=sorted(wanted))
    out = []
    for person in org.people:
        if person.user_id not in wanted:
            continue
        records = org.records.get(person.user_id, [])
        mastery = [
            {"skill": m.skill, "p_mastery": round(m.p_mastery, 3), "n_attempts": m.n_attempts}
            for m in storage.list_mastery(session, user_id=person.user_id)
            if m.skill != LEARNER_KEY
        ]
        out.append(
            {
                "id": person.user_id,
                "external_id": person.id,
                "name": person.name,
                "team": person.team,
                "role": person.role,
                "path": _path(session, person.user_id, records, org.today),
                "overdue_mandatory": _overdue(org, person),
                "mastery": mastery,
            }
        )
    return sorted(out, key=lambda p: (p["name"].lower(), p["external_id"]))


def aggregate(people: Sequence[dict[str, Any]], *, min_group_size: int) -> dict[str, Any]:
    """Team figures over ``people`` (the caller checked the group is large enough)."""
    with_path = [p["path"] for p in people if p["path"]["approved"]]
    skills: dict[str, list[float]] = defaultdict(list)
    for p in people:
        for m in p["mastery"]:
            skills[m["skill"]].append(m["p_mastery"])
    shown = {s: v for s, v in skills.items() if len(v) >= min_group_size}
    return {
        "people": len(people),
        "with_approved_path": len(with_path),
        "mean_progress": round(mean(p["progress"] for p in with_path), 3) if with_path else None,
        "late_steps": sum(1 for p in with_path if p["next_step"] and p["next_step"]["late"]),
        "overdue_mandatory_people": sum(1 for p in people if p["overdue_mandatory"]),
        "mastery": [
            {"skill": s, "people": len(v), "mean_p_mastery": round(mean(v), 3)}
            for s, v in sorted(shown.items())
        ],
        "skills_hidden": len(skills) - len(shown),
    }
