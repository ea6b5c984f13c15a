"""The request session commits only what a successful request wrote; roles gate routes;
storage access errors become 404/403."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from coach import storage
from coach.api.deps import CurrentUser, SessionDep, require_role
from coach.api.errors import install_error_handlers
from coach.services import Services
from tests.utils.users import TestUser

router = APIRouter()
AdminOrReviewer = Annotated[storage.Viewer, Depends(require_role("admin", "reviewer"))]


@router.post("/remember")
def remember(text: str, fail: bool, user: CurrentUser, session: SessionDep) -> None:
    storage.add_memory(session, user_id=user.id, kind="fact", text=text)
    if fail:
        raise HTTPException(status_code=409, detail="changed my mind")


@router.get("/staff")
def staff(user: AdminOrReviewer) -> str:
    return user.role


@router.get("/conversations/{conversation_id}")
def conversation(conversation_id: str, user: CurrentUser, session: SessionDep) -> str:
    write = user.role == "admin"  # the admin asks to write: allowed to read only
    conv = storage.get_conversation(
        session, conversation_id=conversation_id, viewer=user, write=write
    )
    return conv.title


@pytest.fixture
def probe(services: Services) -> Iterator[TestClient]:
    app = FastAPI()
    app.state.services = services
    install_error_handlers(app)
    app.include_router(router)
    with TestClient(app) as c:
        yield c


def test_a_failed_request_leaves_nothing_behind(
    probe: TestClient, services: Services, learner: TestUser
) -> None:
    ok = probe.post("/remember", params={"text": "kept", "fail": False}, headers=learner.headers)
    assert ok.status_code == 200
    failed = probe.post("/remember", params={"text": "lost", "fail": True}, headers=learner.headers)
    assert failed.status_code == 409
    with Session(services.engine) as session:
        assert [m.text for m in storage.list_memory(session, user_id=learner.id)] == ["kept"]


def test_require_role_lets_through_only_those_roles(
    probe: TestClient, learner: TestUser, admin: TestUser, reviewer: TestUser
) -> None:
    assert probe.get("/staff", headers=admin.headers).json() == "admin"
    assert probe.get("/staff", headers=reviewer.headers).json() == "reviewer"
    resp = probe.get("/staff", headers=learner.headers)
    assert resp.status_code == 403 and "admin or reviewer" in resp.json()["detail"]
    assert probe.get("/staff").status_code == 401


def test_access_errors_become_404_and_403(
    probe: TestClient, services: Services, learner: TestUser, admin: TestUser, outsider: TestUser
) -> None:
    with Session(services.engine) as session, session.begin():
        conv = storage.create_conversation(session, viewer=learner.viewer, title="Mine")
        conv_id = conv.id
    url = f"/conversations/{conv_id}"
    assert probe.get(url, headers=learner.headers).json() == "Mine"
    resp = probe.get(url, headers=outsider.headers)
    assert resp.status_code == 404 and resp.json() == {"detail": "conversation not found"}
    resp = probe.get(url, headers=admin.headers)
    assert resp.status_code == 403 and "owner" in resp.json()["detail"]
