"""The xAPI statement of a manager's on-the-job application confirmation.

The learner is the actor (the statement is about what they do at work); the manager who
observed it is named in a context extension, the confirmed skill is the object (an ADL
``objective``) and the catalog item that taught it the parent activity. ``result.score``
carries the 4-level scale (raw 1..4, scaled 0..1); "no opportunity yet" carries no score
and the ``no-opportunity`` extension. Built like :mod:`coach.xapi`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from coach.xapi import COURSE, EXT, _lang

VERB_APPLIED = {
    "id": "https://blendcoach.dev/xapi/verbs/applied-on-the-job",
    "display": {"en-US": "applied on the job", "fr-FR": "a appliqué en situation de travail"},
}
OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"


def _agent(name: str, org_home: str, external_id: str) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "name": name,
        "account": {"homePage": org_home, "name": external_id},
    }


def application_confirmed(
    *,
    statement_id: str,
    base_url: str,
    org_home: str,
    learner: tuple[str, str],
    manager: tuple[str, str],
    skill: str,
    skill_label: str,
    item_id: str,
    item_title: str,
    learned_on: date,
    level: int | None,
    comment: str,
    language: str,
    timestamp: datetime,
) -> dict[str, Any]:
    """The statement of one answer; ``learner`` and ``manager`` are (external id, name),
    ``level`` None is "no opportunity yet"."""
    result: dict[str, Any] = {"extensions": {f"{EXT}/no-opportunity": level is None}}
    if level is not None:
        result["score"] = {"raw": level, "min": 1, "max": 4, "scaled": round((level - 1) / 3, 4)}
        result["success"] = level >= 3
    if comment:
        result["response"] = comment
    return {
        "id": statement_id,
        "actor": _agent(learner[1], org_home, learner[0]),
        "verb": VERB_APPLIED,
        "object": {
            "objectType": "Activity",
            "id": f"{base_url}/xapi/skills/{skill}",
            "definition": {"type": OBJECTIVE, "name": {"und": skill_label}},
        },
        "result": result,
        "context": {
            "platform": "blendcoach",
            "language": _lang(language),
            "contextActivities": {
                "parent": [
                    {
                        "objectType": "Activity",
                        "id": f"{base_url}/xapi/catalog/{item_id}",
                        "definition": {"type": COURSE, "name": {"und": item_title}},
                    }
                ]
            },
            "extensions": {
                f"{EXT}/observer": _agent(manager[1], org_home, manager[0]),
                f"{EXT}/learned-on": learned_on.isoformat(),
            },
        },
        "timestamp": timestamp.isoformat(),
    }
