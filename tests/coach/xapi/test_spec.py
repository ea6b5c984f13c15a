"""Every statement the service builds passes the xAPI 1.0.3 checks; statements that break
the spec are refused with a reason naming the field."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from coach import xapi
from coach.managers.xapi import application_confirmed
from coach.xapi_spec import StatementInvalid, check, problems
from tests.coach.test_xapi import _mcq, _statement

BASE = "https://coach.example.com"
AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ANA = xapi.agent("Ana", f"{BASE}/orgs/northwind", "ana")
RAVI = xapi.agent("Ravi", f"{BASE}/orgs/northwind", "ravi")
ID = "5f0c7a5e-8a49-4c55-9d3b-1f3f0e6f1a10"


def built() -> dict[str, dict[str, Any]]:
    """One statement of each kind the service logs."""
    common = {"statement_id": ID, "base_url": BASE, "learner": ANA, "timestamp": AT}
    return {
        "answered": _statement(_mcq()),
        "initialized": xapi.conversation_started(
            **common, conversation_id="c1", course_id="gdpr-basics", language="en"
        ),
        "asked": xapi.question_asked(
            **common,
            conversation_id="c1",
            message_id="m1",
            course_id=None,
            language="fr",
            covered=True,
            responder="offline",
            chunks=["gdpr/04#delay"],
            latency_ms=812.4,
        ),
        "mastered": xapi.mastery_reached(
            **common,
            skill="breach-reporting",
            p_mastery=0.962,
            attempts=7,
            quiz_id="q1",
            language="en",
        ),
        "registered": xapi.path_approved(
            **common, reviewer=RAVI, path_id="p1", version=3, steps=["gdpr-101"], language="en"
        ),
        "attended": xapi.session_attended(
            **common, session_id="s1", item_id="gdpr-workshop", language="en"
        ),
        "applied": application_confirmed(
            statement_id=ID,
            base_url=BASE,
            org_home=f"{BASE}/orgs/northwind",
            learner=("ana", "Ana"),
            manager=("tom", "Tom"),
            skill="feedback.giving",
            skill_label="Giving feedback",
            item_id="feedback-101",
            item_title="Feedback",
            learned_on=AT.date(),
            level=3,
            comment="",
            language="en",
            timestamp=AT,
        ),
    }


@pytest.mark.parametrize("kind", list(built()))
def test_every_statement_the_service_builds_is_valid(kind: str) -> None:
    statement = built()[kind]
    assert problems(statement) == []
    assert (
        statement["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/") or kind == "applied"
    )


def _broken(change: str) -> dict[str, Any]:
    s = copy.deepcopy(built()["answered"])
    if change == "no actor":
        del s["actor"]
    elif change == "verb id not an IRI":
        s["verb"]["id"] = "answered"
    elif change == "score above 1":
        s["result"]["score"]["scaled"] = 1.5
    elif change == "id not a UUID":
        s["id"] = "attempt-17"
    elif change == "timestamp":
        s["timestamp"] = "yesterday"
    elif change == "two identifiers":
        s["actor"]["mbox"] = "mailto:ana@northwind.example"
    elif change == "unknown property":
        s["mood"] = "happy"
    elif change == "duration":
        s["result"]["duration"] = "12 seconds"
    elif change == "raw outside min max":
        s["result"]["score"] |= {"raw": 5, "min": 0, "max": 1}
    elif change == "language tag":
        s["context"]["language"] = "english please"
    return s


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ("no actor", "actor: missing"),
        ("verb id not an IRI", "verb.id: 'answered' is not an IRI"),
        ("score above 1", "result.score.scaled: 1.5 is outside [-1, 1]"),
        ("id not a UUID", "id: 'attempt-17' is not a UUID"),
        ("timestamp", "timestamp: 'yesterday' is not an ISO 8601"),
        ("two identifiers", "actor: an Agent needs exactly one of"),
        ("unknown property", "mood: not a property of the spec"),
        ("duration", "result.duration: '12 seconds' is not an ISO 8601 duration"),
        ("raw outside min max", "result.score.raw: 5 is outside [min, max]"),
        ("language tag", "context.language: 'english please' is not a language tag"),
    ],
)
def test_a_statement_breaking_the_spec_is_refused_with_the_field_and_why(
    change: str, where: str
) -> None:
    found = problems(_broken(change))
    assert len(found) == 1 and found[0].startswith(where), found
    with pytest.raises(StatementInvalid) as err:
        check(_broken(change), index=4)
    assert str(err.value).startswith("statement 4: " + where)


def test_shapes_an_lrs_export_may_hold_are_accepted() -> None:
    exported = {  # no id (an LRS assigns one), mbox actor, a sub-statement, stored/authority
        "actor": {"mbox": "mailto:ana@northwind.example", "name": "Ana"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
        "object": {
            "objectType": "SubStatement",
            "actor": {"objectType": "Group", "member": [{"mbox": "mailto:a@b.example"}]},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"id": "https://lms.example/sessions/1"},
        },
        "result": {"score": {"scaled": -0.5}, "duration": "PT1H2M3.5S"},
        "timestamp": "2026-11-27T09:30:00Z",
        "stored": "2026-11-27T09:30:01.123Z",
        "authority": {"account": {"homePage": "https://lrs.example", "name": "admin"}},
        "version": "1.0.3",
    }
    assert problems(exported, require_id=False) == []
    assert problems(exported) == ["id: missing (a UUID)"]
    assert problems([1, 2]) == ["statement: must be a JSON object"]
