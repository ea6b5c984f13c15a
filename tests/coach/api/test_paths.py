"""Paths over HTTP: generate, list, read, review with edits and the optimistic lock, bulk
approval, re-plans with a diff, the learner's approved path, and isolation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.auth import auth_secret
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.utils.paths import DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser, make_user


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        embedding_model="fake",
        planning_date=DEMO_TODAY,
        _env_file=None,
    )


@pytest.fixture
def seeded(services: Services, learner: TestUser, tmp_path: Path) -> str:
    """The demo catalog and learners in northwind; ``learner`` (ana) is the demo's Ana."""
    return seed_demo_paths(services.engine, tmp_path)


def _generate(client: TestClient, who: TestUser, **body: Any) -> dict[str, Any]:
    resp = client.post("/v1/paths", json=body, headers=who.headers)
    assert resp.status_code == 201, resp.text
    return resp.json()  # type: ignore[no-any-return]


def _path_of(client: TestClient, who: TestUser, learner_id: str) -> dict[str, Any]:
    listed = client.get("/v1/paths", headers=who.headers).json()["paths"]
    pid = next(p["id"] for p in listed if p["learner"]["id"] == learner_id)
    return client.get(f"/v1/paths/{pid}", headers=who.headers).json()  # type: ignore[no-any-return]


def _review(client: TestClient, who: TestUser, path: dict[str, Any], **body: Any) -> Any:
    return client.post(
        f"/v1/paths/{path['id']}/review",
        json={"revision": path["revision"], **body},
        headers=who.headers,
    )


def test_generation_sends_every_learner_to_review_with_reasons(
    client: TestClient, seeded: str, reviewer: TestUser, learner: TestUser
) -> None:
    made = _generate(client, reviewer)
    assert {p["learner"]["id"] for p in made["paths"]} == {"ana", "luc", "priya", "sam", "chloe"}
    assert all(p["status"] == "pending" and p["version"] == 1 for p in made["paths"])
    assert _generate(client, reviewer)["unchanged"]  # nothing new: nothing written
    ana = _path_of(client, reviewer, "ana")
    steps = ana["path"]["steps"]
    assert steps and all(s["reason"] for s in steps)
    assert [s["start"] for s in steps] == sorted(s["start"] for s in steps)
    assert ana["learner"] == {
        "id": "ana",
        "name": "Ana",
        "team": "Manchester planning",
        "role": "transport-planner",
    }
    booked = [s["session_id"] for s in steps if s["session_id"]]
    assert set(booked) <= set(ana["sessions"])
    assert ana["history"][0]["action"] == "generate"
    assert ana["history"][0]["actor"] == "Ravi"
    assert not [p for p in ana["problems"] if p["blocking"]]
    # the runtime guard judged the generated path; its reviewer sees the verdict
    assert ana["guard"]["kind"] == "path" and ana["guard"]["verdict"] != "block"
    assert {"path_prerequisites", "path_goals"} <= set(ana["guard"]["scores"])
    # the learner sees nothing before approval
    mine = client.get("/v1/me/path", headers=learner.headers)
    assert mine.status_code == 404
    assert mine.json()["detail"] == "no approved path yet"


def test_unknown_learners_and_a_missing_catalog_are_explained(
    client: TestClient, services: Services, reviewer: TestUser, tmp_path: Path
) -> None:
    resp = client.post("/v1/paths", json={"learners": ["ana"]}, headers=reviewer.headers)
    assert resp.status_code == 409
    assert "import catalog" in resp.json()["detail"]
    seed_demo_paths(services.engine, tmp_path)
    made = _generate(client, reviewer, learners=["ana", "nobody"])
    assert [p["learner"]["id"] for p in made["paths"]] == ["ana"]
    assert made["problems"] == [
        {"learner": "nobody", "message": "no such learner (import learners first)"}
    ]


def test_approval_shows_the_path_to_its_learner_only(
    client: TestClient, seeded: str, reviewer: TestUser, learner: TestUser, services: Services
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    resp = _review(client, reviewer, ana, action="approve", comment="fine")
    assert resp.status_code == 200, resp.text
    done = resp.json()
    assert done["status"] == "approved" and done["approved_version"] == 1
    assert done["revision"] > ana["revision"]
    assert done["history"][-1] | {"at": None} == {
        "version": 1,
        "revision": done["revision"],
        "action": "approve",
        "actor": "Ravi",
        "at": None,
        "from_status": "pending",
        "to_status": "approved",
        "comment": "fine",
        "changes": [],
    }
    mine = client.get("/v1/me/path", headers=learner.headers)
    assert mine.status_code == 200
    body = mine.json()
    assert body["path"]["steps"] == done["path"]["steps"]
    assert body["history"] == [] and body["problems"] == [] and "guard" not in body
    secret = auth_secret(services.settings)
    luc = make_user(services.engine, secret=secret, external_id="luc-2")
    assert client.get("/v1/me/path", headers=luc.headers).status_code == 404
    # learners do not review, list nor generate
    assert client.get("/v1/paths", headers=learner.headers).status_code == 403
    assert client.get(f"/v1/paths/{ana['id']}", headers=learner.headers).status_code == 403
    assert client.post("/v1/paths", json={}, headers=learner.headers).status_code == 403
    assert _review(client, learner, done, action="approve").status_code == 403


def test_another_organisation_sees_no_path(
    client: TestClient, seeded: str, reviewer: TestUser, services: Services
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    other = make_user(
        services.engine, secret=auth_secret(services.settings), org="acme", role="reviewer"
    )
    assert client.get("/v1/paths", headers=other.headers).json() == {"paths": [], "total": 0}
    assert client.get(f"/v1/paths/{ana['id']}", headers=other.headers).status_code == 404
    resp = _review(client, other, ana, action="approve")
    assert resp.status_code == 404
    assert client.get(f"/v1/paths/{ana['id']}", headers=reviewer.headers).json()["status"] == (
        "pending"
    )
    bulk = client.post("/v1/paths/review", json={"ids": [ana["id"]]}, headers=other.headers)
    assert bulk.json() == {
        "approved": [],
        "skipped": [{"id": ana["id"], "reason": "no such path"}],
    }


def test_a_stale_revision_gets_409_and_changes_nothing(
    client: TestClient, seeded: str, reviewer: TestUser, admin: TestUser
) -> None:
    _generate(client, reviewer)
    seen_by_both = _path_of(client, reviewer, "ana")
    first = _review(client, admin, seen_by_both, action="request_changes", comment="too long")
    assert first.status_code == 200
    second = _review(client, reviewer, seen_by_both, action="approve")
    assert second.status_code == 409
    assert "reload" in second.json()["detail"]
    now = client.get(f"/v1/paths/{seen_by_both['id']}", headers=reviewer.headers).json()
    assert now["status"] == "changes_requested"
    assert [h["action"] for h in now["history"]] == ["generate", "request_changes"]


def test_reject_and_request_changes_need_a_reason(
    client: TestClient, seeded: str, reviewer: TestUser
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    for action in ("reject", "request_changes"):
        resp = _review(client, reviewer, ana, action=action, comment="  ")
        assert resp.status_code == 422
        assert "comment" in resp.json()["detail"]
    resp = _review(client, reviewer, ana, action="reject", comment="wrong goal")
    assert resp.json()["status"] == "rejected"
    again = _review(client, reviewer, resp.json(), action="approve")
    assert again.status_code == 409 and "rejected" in again.json()["detail"]


def test_an_edit_is_revalidated_and_a_prerequisite_violation_blocks_approval(
    client: TestClient, seeded: str, reviewer: TestUser
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    steps = ana["path"]["steps"]
    # a step the builder chose as the prerequisite of a later one: move that one first
    dependents = [p["item"] for s in steps for p in s["evidence"].get("prerequisite_of", [])]
    assert dependents, "Ana's demo path has no prerequisite chain"
    moved = dependents[0]
    resp = _review(
        client,
        reviewer,
        ana,
        action="approve",
        edits=[{"op": "move", "item_id": moved, "position": 0}],
    )
    assert resp.status_code == 422
    problems = resp.json()["problems"]
    assert problems and all(p["blocking"] for p in problems)
    assert {p["kind"] for p in problems} == {"prerequisite"}
    after = client.get(f"/v1/paths/{ana['id']}", headers=reviewer.headers).json()
    assert after["version"] == 1 and after["revision"] == ana["revision"]  # nothing saved
    # saved as an edit, the problem is flagged on the new version
    edited = _review(
        client,
        reviewer,
        ana,
        action="edit",
        edits=[{"op": "move", "item_id": moved, "position": 0}],
    ).json()
    assert edited["version"] == 2 and edited["status"] == "pending"
    assert edited["blocking"] >= 1
    assert edited["path"]["steps"][0]["item_id"] == moved
    assert any(c["kind"] == "moved" for c in edited["diff"]["changes"])
    assert edited["history"][-1]["action"] == "edit"


def test_a_full_session_chosen_by_a_reviewer_is_flagged(
    client: TestClient, seeded: str, reviewer: TestUser
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    full = "vc-delegation-clinic-1"  # 10 seats, 10 taken (demo/blended/sessions.yaml)
    present = [s["item_id"] for s in ana["path"]["steps"]]
    edits: list[dict[str, Any]] = (
        [{"op": "session", "item_id": "vc-delegation-clinic", "session_id": full}]
        if "vc-delegation-clinic" in present
        else [{"op": "add", "item_id": "vc-delegation-clinic", "session_id": full}]
    )
    resp = _review(client, reviewer, ana, action="edit", edits=edits, comment="her manager asks")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    flagged = [p for p in body["problems"] if p["kind"] == "session_full"]
    assert flagged and flagged[0]["blocking"] and flagged[0]["item_id"] == "vc-delegation-clinic"
    step = next(s for s in body["path"]["steps"] if s["item_id"] == "vc-delegation-clinic")
    assert step["session_id"] == full
    assert body["sessions"][full]["free_seats"] == 0
    assert _review(client, reviewer, body, action="approve").status_code == 422


def test_bad_edits_are_refused_whole(client: TestClient, seeded: str, reviewer: TestUser) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    first = ana["path"]["steps"][0]["item_id"]
    for edits, reason in (
        ([{"op": "add", "item_id": "no-such-item"}], "unknown item"),
        ([{"op": "remove", "item_id": "no-such-step"}], "not a step"),
        ([{"op": "add", "item_id": first}], "already a step"),
        ([{"op": "explode", "item_id": first}], "unknown edit op"),
        ([{"op": "remove", "item_id": first}, {"op": "remove", "item_id": first}], "not a step"),
    ):
        resp = _review(client, reviewer, ana, action="edit", edits=edits)
        assert resp.status_code == 422, edits
        assert reason in resp.json()["detail"]
    after = client.get(f"/v1/paths/{ana['id']}", headers=reviewer.headers).json()
    assert after["version"] == 1 and after["revision"] == ana["revision"]


def test_remove_and_swap_make_a_new_version_with_the_reviewer_named(
    client: TestClient, seeded: str, reviewer: TestUser
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    last = ana["path"]["steps"][-1]["item_id"]
    present = {s["item_id"] for s in ana["path"]["steps"]}
    extra = next(
        i for i in ("gdpr-basics", "python-analysts", "warehouse-safety") if i not in present
    )
    resp = _review(
        client,
        reviewer,
        ana,
        action="edit",
        edits=[{"op": "remove", "item_id": last}, {"op": "add", "item_id": extra}],
        comment="refresher first",
    )
    body = resp.json()
    assert resp.status_code == 200, body
    ids = [s["item_id"] for s in body["path"]["steps"]]
    assert last not in ids and ids[-1] == extra
    added = body["path"]["steps"][-1]
    assert added["reason"].startswith("Added by Ravi")
    assert added["evidence"]["added_by"] == "Ravi"
    kinds = {c["kind"] for c in body["diff"]["changes"]}
    assert {"added", "removed"} <= kinds
    assert body["history"][-1]["comment"] == "refresher first"
    old = client.get(f"/v1/paths/{ana['id']}?version=1", headers=reviewer.headers).json()
    assert old["path"]["steps"] == ana["path"]["steps"]


def test_bulk_approval_takes_the_filtered_pending_paths(
    client: TestClient, seeded: str, reviewer: TestUser
) -> None:
    _generate(client, reviewer)
    listed = client.get("/v1/paths?team=Manchester planning", headers=reviewer.headers).json()
    assert listed["total"] == 1 and listed["paths"][0]["learner"]["id"] == "ana"
    resp = client.post(
        "/v1/paths/review", json={"team": "Manchester planning"}, headers=reviewer.headers
    )
    assert resp.json() == {"approved": [listed["paths"][0]["id"]], "skipped": []}
    pending = client.get("/v1/paths?status=pending", headers=reviewer.headers).json()
    assert pending["total"] == 4
    assert "ana" not in {p["learner"]["id"] for p in pending["paths"]}
    item = pending["paths"][0]
    some = client.get(f"/v1/paths/{item['id']}", headers=reviewer.headers).json()
    by_item = client.get(
        f"/v1/paths?item={some['path']['steps'][0]['item_id']}", headers=reviewer.headers
    ).json()
    assert item["id"] in {p["id"] for p in by_item["paths"]}
    everything = client.post("/v1/paths/review", json={}, headers=reviewer.headers).json()
    assert len(everything["approved"]) + len(everything["skipped"]) == 4
    bad = client.get("/v1/paths?status=done", headers=reviewer.headers)
    assert bad.status_code == 422


def test_a_replan_after_new_history_is_a_new_pending_version_with_a_diff(
    client: TestClient,
    seeded: str,
    reviewer: TestUser,
    learner: TestUser,
    services: Services,
    tmp_path: Path,
) -> None:
    from sqlalchemy.orm import Session

    from coach.paths.imports import import_history

    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    approved = _review(client, reviewer, ana, action="approve").json()
    first = approved["path"]["steps"][0]
    history = tmp_path / "history.csv"
    history.write_text(
        f"learner_id,kind,date,item_id,score\nana,completion,2026-11-20,{first['item_id']},0.95\n",
        encoding="utf-8",
    )
    with Session(services.engine) as session, session.begin():
        done = import_history(
            session, world=client.app.state.paths.world, org_id=seeded, path=history
        )
    assert done.counts == {"records": 1, "duplicates": 0}
    made = _generate(client, reviewer, learners=["ana"])
    assert made["paths"][0]["version"] == 2 and made["paths"][0]["status"] == "pending"
    now = client.get(f"/v1/paths/{ana['id']}", headers=reviewer.headers).json()
    assert now["approved_version"] == 1 and now["diff"]["against"] == 1
    removed = [c for c in now["diff"]["changes"] if c["kind"] == "removed"]
    assert first["item_id"] in {c["item_id"] for c in removed}
    assert now["history"][-1]["action"] == "replan"
    # the learner keeps the approved version until the re-plan is approved
    mine = client.get("/v1/me/path", headers=learner.headers).json()
    assert mine["path"]["steps"][0]["item_id"] == first["item_id"]
    assert mine["version"] == 1


def test_bulk_approval_skips_what_changed_or_does_not_match(
    client: TestClient, seeded: str, reviewer: TestUser, admin: TestUser
) -> None:
    _generate(client, reviewer)
    listed = client.get("/v1/paths", headers=reviewer.headers).json()["paths"]
    seen = {p["id"]: p["revision"] for p in listed}
    ana = _path_of(client, reviewer, "ana")
    luc = _path_of(client, reviewer, "luc")
    # after the list was read: an admin comments on Ana's path, and rejects Luc's
    _review(client, admin, ana, action="comment", comment="check the dates")
    _review(client, admin, luc, action="reject", comment="wrong role")
    resp = client.post(
        "/v1/paths/review",
        json={"ids": list(seen), "revisions": seen, "team": "Manchester planning"},
        headers=reviewer.headers,
    ).json()
    reasons = {s["id"]: s["reason"] for s in resp["skipped"]}
    assert resp["approved"] == []
    assert reasons[ana["id"]] == "changed since you read it: reload"
    assert reasons[luc["id"]] == "rejected, not pending"
    others = [p["id"] for p in listed if p["id"] not in (ana["id"], luc["id"])]
    assert all(reasons[i] == "outside the filters" for i in others)


def test_a_shown_version_carries_its_own_figures(
    client: TestClient, seeded: str, reviewer: TestUser, learner: TestUser
) -> None:
    _generate(client, reviewer)
    ana = _path_of(client, reviewer, "ana")
    approved = _review(client, reviewer, ana, action="approve").json()
    last = approved["path"]["steps"][-1]
    edited = _review(
        client,
        reviewer,
        approved,
        action="edit",
        edits=[{"op": "remove", "item_id": last["item_id"]}],
    ).json()
    assert edited["version"] == 2 and edited["n_steps"] == ana["n_steps"] - 1
    assert edited["diff"]["against"] == 1
    v1 = client.get(f"/v1/paths/{ana['id']}?version=1", headers=reviewer.headers).json()
    assert v1["shown_version"] == 1 and v1["version"] == 2
    assert v1["n_steps"] == len(v1["path"]["steps"]) == ana["n_steps"]
    assert v1["hours"] == ana["hours"] and v1["end"] == ana["end"]
    assert v1["diff"] is None  # nothing before version 1
    mine = client.get("/v1/me/path", headers=learner.headers).json()
    assert mine["version"] == 1 and mine["n_steps"] == ana["n_steps"]
    assert mine["hours"] == ana["hours"] and mine["end"] == ana["end"]
    assert "revision" not in mine


def test_reviewers_look_up_items_and_sessions_with_free_seats(
    client: TestClient, seeded: str, reviewer: TestUser, learner: TestUser, services: Services
) -> None:
    found = client.get("/v1/catalog/items?q=delegation", headers=reviewer.headers).json()
    ids = [i["id"] for i in found["items"]]
    assert "vc-delegation-clinic" in ids and found["total"] == len(ids)
    sessions = client.get(
        "/v1/catalog/items/vc-delegation-clinic/sessions", headers=reviewer.headers
    ).json()["sessions"]
    free = {s["id"]: s["free_seats"] for s in sessions}
    assert free["vc-delegation-clinic-1"] == 0  # 10 of 10 taken in the demo
    assert free["vc-delegation-clinic-2"] == 8
    assert [s["start"] for s in sessions] == sorted(s["start"] for s in sessions)
    missing = client.get("/v1/catalog/items/nope/sessions", headers=reviewer.headers)
    assert missing.status_code == 404
    assert client.get("/v1/catalog/items", headers=learner.headers).status_code == 403
    other = make_user(
        services.engine, secret=auth_secret(services.settings), org="acme", role="reviewer"
    )
    resp = client.get("/v1/catalog/items", headers=other.headers)
    assert resp.status_code == 404 and "no catalog" in resp.json()["detail"]


def test_an_offset_beyond_the_database_integers_is_refused(
    client: TestClient, reviewer: TestUser
) -> None:
    # schemathesis on PostgreSQL found it on /v1/quiz-items (a BIGINT overflow, a 500).
    resp = client.get("/v1/paths?offset=3034964830317699425022186094592", headers=reviewer.headers)
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["query", "offset"]
    assert client.get("/v1/paths?offset=2147483647", headers=reviewer.headers).json()["paths"] == []


def test_a_nul_byte_in_an_id_is_refused_and_nothing_is_approved(
    db_url: str, tmp_path: Path
) -> None:
    # schemathesis on PostgreSQL: its text fields refuse NUL bytes, and the query raised (500).
    settings = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        embedding_model="fake",
        planning_date=DEMO_TODAY,
        database_url=db_url,
        _env_file=None,
    )
    services = Services.build(settings, embedder=FakeEmbedder(dim=64))
    reviewer = make_user(services.engine, secret=auth_secret(settings), role="reviewer")
    seed_demo_paths(services.engine, tmp_path)
    with TestClient(create_app(services=services)) as client:
        assert client.post("/v1/paths", json={}, headers=reviewer.headers).status_code == 201
        body = {"action": "approve", "ids": ["\u0097Z\u00a3\u0000\u00f5\u0015", "T\u001f\u001e"]}
        resp = client.post("/v1/paths/review", json=body, headers=reviewer.headers)
        if db_url.startswith("postgresql"):
            assert resp.status_code == 422
            assert "cannot contain NUL" in resp.json()["detail"]
        else:  # SQLite stores NUL bytes: no path has these ids
            assert resp.status_code == 200
        approved = client.get("/v1/paths?status=approved", headers=reviewer.headers).json()
        assert approved["paths"] == []
    services.close()
