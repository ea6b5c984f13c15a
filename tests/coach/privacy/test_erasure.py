"""A learner with data in every table: the export holds all of it, the erasure leaves
nothing of them anywhere (every cell of every table, JSON included, and the index), and
the other learners' data is exactly as it was. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from coach import storage
from coach.models import target_metadata
from coach.services import Services
from coach.storage import erasure_requests
from coach.storage.personal_data import export_rows
from coach.storage.user_data import USER_TABLES
from tests.coach.privacy.seed import SENTENCE, TEXTS, seed
from tests.utils.users import TestUser

OWNED = sorted(n for n, e in USER_TABLES.items() if (e.owner or e.via) and n != "users")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def residue(engine: Engine, *, exact: set[str], texts: set[str]) -> list[str]:
    """Every cell (and string inside a JSON cell) of every table that names the person:
    equal to one of ``exact``, or containing one of ``texts`` (case-insensitive)."""
    lowered = [t.casefold() for t in texts]
    found = []
    with engine.connect() as conn:
        for meta in target_metadata:
            for table in meta.sorted_tables:
                for row in conn.execute(select(table)).mappings():
                    for column, value in row.items():
                        for s in _strings(value):
                            if s in exact or any(t in s.casefold() for t in lowered):
                                found.append(f"{table.name}.{column}: {s[:100]!r}")
    return found


def _index_payloads(services: Services) -> list[str]:
    return [json.dumps(p.payload, ensure_ascii=False) for p in services.index.scroll()]


def test_the_export_holds_every_table_and_the_erasure_leaves_nothing(
    client: TestClient,
    services: Services,
    learner: TestUser,
    other_learner: TestUser,
    admin: TestUser,
    reviewer: TestUser,
    manager: TestUser,
    trainer: TestUser,
    tmp_path: Path,
) -> None:
    ana, luc = learner, other_learner
    seeded = seed(
        client, services, tmp_path, ana=ana, luc=luc, admin=admin, reviewer=reviewer,
        tom=manager, trainer=trainer,
    )  # fmt: skip
    texts = {ana.id, "Ana Ribeiro", *TEXTS}
    assert residue(services.engine, exact={"ana"}, texts=texts)  # the scan does find her

    exported = client.get(f"/v1/learners/{ana.id}/export", headers=admin.headers)
    assert exported.status_code == 200, exported.text
    assert "attachment" in exported.headers["content-disposition"]
    export = exported.json()
    assert export["format"] == "blendcoach-personal-data/1"
    assert export["person"]["external_id"] == "ana"
    assert export["person"]["email"] == "ana.ribeiro@northwind.example"
    assert sorted(export["data"]) == OWNED
    assert [t for t in OWNED if not export["data"][t]] == []  # every table represented
    assert export["mentions"] == {}  # a learner acts on nobody else's rows
    assert set(export["about"]) == set(OWNED)
    whole = json.dumps(export, ensure_ascii=False)
    assert all(text in whole for text in TEXTS)
    assert {r["jti"] for r in export["data"]["api_tokens"]} == {"[redacted]"}
    assert export["data"]["nudge_preferences"][0]["webhook_url"] == "[redacted]"
    assert "secret" not in whole and "hooks.slack.com" not in whole
    # issue 12: every hand-off and consent is in the export, with its audit trail
    assert export["data"]["handoffs"][0]["status"] == "consented"
    audit = [e["type"] for e in export["data"]["events"] if e["type"].startswith("handoff.")]
    assert audit == ["handoff.offered", "handoff.consented"]
    assert export["data"]["erasure_requests"][0]["status"] == "pending"

    luc_before = _rows(services, luc.id)
    erased = client.delete(f"/v1/learners/{ana.id}", headers=admin.headers)
    assert erased.status_code == 200, erased.text
    report = erased.json()
    assert report["index_points"] == 1
    deleted = report["rows"]["deleted"]
    assert [t for t in OWNED if t != "erasure_requests" and not deleted.get(t)] == []
    assert report["rows"]["anonymised"]["erasure_requests"] == 1  # the register's line
    assert report["rows"]["dropped"]["gap_topics"] >= 1
    assert "kirkpatrick_rollups" in report["rows"]["dropped"]

    assert services.embedder._cached_query.cache_info().currsize == 0  # her questions
    # nothing of Ana in any cell of any table, JSON included
    assert residue(services.engine, exact={"ana"}, texts=texts) == []
    # nor in the index: no point keyed to her, her sentence no longer retrievable
    assert not [p for p in _index_payloads(services) if any(t in p for t in texts)]
    hits = services.retriever().search(SENTENCE, k=20)
    assert all(SENTENCE not in h.text for h in hits)
    assert services.index.retrieve([seeded.point_id]) == []
    # Luc's data is exactly as it was
    assert _rows(services, luc.id) == luc_before
    # her token is refused; the register keeps the anonymous line of her request
    assert client.get("/v1/me", headers=ana.headers).status_code == 401
    with Session(services.engine) as s:
        (line,) = erasure_requests.list_requests(s, org_id=seeded.org_id)
        events = storage.list_events(s, org_id=seeded.org_id, type="privacy.erased")
    assert (line.status, line.origin, line.user_id, line.decided_by) == (
        "done", "learner", None, admin.id
    )  # fmt: skip
    assert line.counts["deleted"] == deleted and line.counts["index_points"] == 1
    assert [e.payload["request_id"] for e in events] == [line.id] and events[0].user_id is None


def _rows(services: Services, user_id: str) -> dict[str, list[dict[str, Any]]]:
    with Session(services.engine) as s:
        return export_rows(s, user_id=user_id)


def test_the_counted_event_lines_stay_anonymous(
    client: TestClient, services: Services, learner: TestUser, admin: TestUser
) -> None:
    """The guard's verdicts and answered turns keep counting, without who, which
    conversation or the time of day; every other line of the learner goes."""
    turn = client.post(
        "/v1/chat", json={"message": "How do I report phishing?"}, headers=learner.headers
    )
    assert turn.status_code == 200, turn.text
    with Session(services.engine) as s:
        before = storage.list_events(s, org_id=learner.org_id, type="chat.answered")
    assert len(before) == 1 and before[0].payload["conversation_id"]
    assert client.delete(f"/v1/learners/{learner.id}", headers=admin.headers).status_code == 200
    with Session(services.engine) as s:
        (after,) = storage.list_events(s, org_id=learner.org_id, type="chat.answered")
        left = {e.type for e in storage.list_events(s, org_id=learner.org_id)}
    assert after.id == before[0].id and after.user_id is None
    assert "conversation_id" not in after.payload and "message_id" not in after.payload
    assert after.payload["chunks"] == before[0].payload["chunks"]
    assert (after.created_at.hour, after.created_at.minute) == (0, 0)
    assert after.created_at.date() == before[0].created_at.date()
    assert left <= {"chat.answered", "guard.verdict", "privacy.erased"}


def test_erasing_a_manager_keeps_their_reports_records_without_them(
    client: TestClient,
    services: Services,
    learner: TestUser,
    other_learner: TestUser,
    admin: TestUser,
    reviewer: TestUser,
    manager: TestUser,
    trainer: TestUser,
    tmp_path: Path,
) -> None:
    ana, tom = learner, manager
    seed(
        client, services, tmp_path, ana=ana, luc=other_learner, admin=admin, reviewer=reviewer,
        tom=tom, trainer=trainer,
    )  # fmt: skip
    exported = client.get(f"/v1/learners/{tom.id}/export", headers=admin.headers).json()
    assert [m["as"] for m in exported["mentions"]["manager_goals"]] == [["manager_id"]]
    assert exported["data"]["reporting_lines"] and exported["data"]["nudges"]
    erased = client.delete(f"/v1/learners/{tom.id}", headers=admin.headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["rows"]["anonymised"]["manager_goals"] == 1
    assert residue(services.engine, exact={"tom"}, texts={tom.id, "Tom Hughes"}) == []
    # Ana keeps her goal (without its author) and her comment on it
    goals = client.get("/v1/me/goals", headers=ana.headers).json()["goals"]
    assert len(goals) == 1 and goals[0]["comments"]
    with Session(services.engine) as s:
        profile = s.get(storage.LearnerProfile, ana.id)
        assert profile is not None and profile.manager == ""
