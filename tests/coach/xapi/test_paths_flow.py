"""An approved path is the learner's xAPI ``registered`` statement, the approving reviewer
its instructor, queued for the LRS, one or in bulk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from coach.services import Services
from coach.settings import Settings
from coach.xapi_spec import problems
from tests.utils.paths import DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        embedding_model="fake",
        planning_date=DEMO_TODAY,
        public_url="https://coach.example.com",
        _env_file=None,
    )


def _paths(client: TestClient, reviewer: TestUser) -> dict[str, dict[str, Any]]:
    listed = client.get("/v1/paths", headers=reviewer.headers).json()["paths"]
    return {p["learner"]["id"]: p for p in listed}


def test_approving_paths_logs_registered_statements(
    client: TestClient,
    services: Services,
    tmp_path: Path,
    learner: TestUser,
    reviewer: TestUser,
    admin: TestUser,
) -> None:
    seed_demo_paths(services.engine, tmp_path)
    assert client.post("/v1/paths", json={}, headers=reviewer.headers).status_code == 201
    paths = _paths(client, reviewer)
    ana = client.get(f"/v1/paths/{paths['ana']['id']}", headers=reviewer.headers).json()
    resp = client.post(
        f"/v1/paths/{ana['id']}/review",
        json={"revision": ana["revision"], "action": "approve", "comment": "fine"},
        headers=reviewer.headers,
    )
    assert resp.status_code == 200, resp.text
    bulk = client.post(
        "/v1/paths/review", json={"ids": [paths["luc"]["id"]]}, headers=reviewer.headers
    )
    assert bulk.status_code == 200, bulk.text
    got = client.get("/v1/xapi/statements", headers=admin.headers).json()["statements"]
    registered = [s for s in got if s["verb"]["id"].endswith("/registered")]
    assert [s["actor"]["account"]["name"] for s in registered] == ["ana", "luc"]
    first = registered[0]
    assert problems(first) == []
    assert first["object"]["id"] == f"https://coach.example.com/xapi/paths/{ana['id']}"
    assert first["context"]["instructor"]["account"]["name"] == "ravi"
    assert first["context"]["extensions"]["https://blendcoach.dev/xapi/extensions/steps"]
    state = client.get("/v1/xapi/outbox", headers=admin.headers).json()
    assert state["counts"]["pending"] == len(got)
