"""Through the service: a chat turn logs its statements with their outbox rows; admins pull
their organisation's statements page by page, see the outbox, and no one else can."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.app import create_app
from coach.auth import auth_secret
from coach.services import Services
from coach.settings import Settings
from coach.xapi_lrs.models import XapiOutbox
from coach.xapi_spec import problems
from retrieval.embedding import FakeEmbedder
from tests.conftest import DEMO_CATALOG
from tests.utils.users import TestUser, make_user

BREACH = "How quickly must a personal data breach be reported?"
_orgs = itertools.count(1)


# One service for the module (ingesting the catalog is most of a test's time); each test
# its own organisation, so none sees another's statements.
@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    data: Path = tmp_path_factory.mktemp("xapi") / "var"
    settings = Settings(data_dir=data, embedding_model="fake", _env_file=None)  # type: ignore[call-arg]
    built = Services.build(settings, embedder=FakeEmbedder(dim=64))
    built.ingestor().ingest([DEMO_CATALOG])
    yield built
    built.close()


@pytest.fixture(scope="module")
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services=services)) as c:
        yield c


@pytest.fixture
def org() -> str:
    return f"xapi-org-{next(_orgs)}"


def _user(services: Services, org: str, **kw: str) -> TestUser:
    return make_user(services.engine, secret=auth_secret(services.settings), org=org, **kw)


@pytest.fixture
def learner(services: Services, org: str) -> TestUser:
    return _user(services, org, external_id="ana", display_name="Ana")


@pytest.fixture
def admin(services: Services, org: str) -> TestUser:
    return _user(services, org, external_id="maria", display_name="Maria", role="admin")


def _ask(client: TestClient, user: TestUser, conversation_id: str | None = None) -> str:
    body: dict[str, Any] = {"message": BREACH}
    if conversation_id:
        body["conversation_id"] = conversation_id
    resp = client.post("/v1/chat", json=body, headers=user.headers)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["conversation_id"])


def _pull(client: TestClient, user: TestUser, url: str) -> dict[str, Any]:
    resp = client.get(url, headers=user.headers)
    assert resp.status_code == 200, resp.text
    assert resp.headers["X-Experience-API-Version"] == "1.0.3"
    return resp.json()  # type: ignore[no-any-return]


def test_a_chat_turn_is_an_initialized_and_an_asked_statement_queued_for_the_lrs(
    client: TestClient, services: Services, learner: TestUser, admin: TestUser
) -> None:
    conversation = _ask(client, learner)
    _ask(client, learner, conversation)  # the same conversation: asked only
    got = _pull(client, admin, "/v1/xapi/statements")["statements"]
    verbs = [s["verb"]["display"]["en-US"] for s in got]
    assert verbs == ["initialized", "asked", "asked"]
    for s in got:
        assert problems(s) == [], s
        assert s["actor"]["account"] == {
            "homePage": f"{services.settings.base_url}/orgs/{learner.org}",
            "name": "ana",
        }
    assert got[0]["object"]["id"].endswith(f"/xapi/conversations/{conversation}")
    asked = got[1]
    assert asked["context"]["contextActivities"]["parent"][0]["id"] == got[0]["object"]["id"]
    assert asked["result"]["extensions"]["https://blendcoach.dev/xapi/extensions/covered"]
    assert BREACH not in str(asked)  # the question's text stays in the service
    with Session(services.engine) as session:
        rows = list(session.scalars(select(XapiOutbox).where(XapiOutbox.org_id == admin.org_id)))
    assert sorted(r.statement_id for r in rows) == sorted(s["id"] for s in got)
    assert {r.status for r in rows} == {"pending"}
    state = client.get("/v1/xapi/outbox", headers=admin.headers).json()
    assert state["lrs_configured"] is False
    assert state["counts"]["pending"] == 3 and state["retrying"] == 0


def test_statements_come_page_by_page_with_more_and_since(
    client: TestClient, learner: TestUser, admin: TestUser
) -> None:
    before = datetime.now(UTC) - timedelta(seconds=1)
    for _ in range(3):
        _ask(client, learner)  # 2 statements each
    first = _pull(client, admin, "/v1/xapi/statements?limit=4")
    assert len(first["statements"]) == 4 and first["more"].startswith("/v1/xapi/statements?")
    second = _pull(client, admin, first["more"])
    assert len(second["statements"]) == 2 and second["more"] == ""
    ids = [s["id"] for s in first["statements"] + second["statements"]]
    assert len(set(ids)) == 6
    stored = [s["stored"] for s in first["statements"] + second["statements"]]
    assert stored == sorted(stored)
    since = stored[2]
    later = _pull(client, admin, f"/v1/xapi/statements?since={since.replace('+', '%2B')}")
    assert [s["id"] for s in later["statements"]] == ids[2:]
    assert _pull(client, admin, f"/v1/xapi/statements?since={before:%Y-%m-%dT%H:%M:%S}")[
        "statements"
    ]
    future = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _pull(client, admin, f"/v1/xapi/statements?since={future}")["statements"] == []


def test_only_an_admin_of_the_organisation_reads_its_statements_and_outbox(
    client: TestClient, services: Services, learner: TestUser, admin: TestUser
) -> None:
    _ask(client, learner)
    other_admin = _user(services, f"{admin.org}-other", role="admin")
    for url in ("/v1/xapi/statements", "/v1/xapi/outbox"):
        denied = client.get(url, headers=learner.headers)
        assert denied.status_code == 403, denied.text
        assert client.get(url).status_code == 401
    assert client.post("/v1/xapi/outbox/retry", headers=learner.headers).status_code == 403
    assert _pull(client, other_admin, "/v1/xapi/statements")["statements"] == []
    assert (
        client.get("/v1/xapi/outbox", headers=other_admin.headers).json()["counts"]["pending"] == 0
    )
    hidden = client.get(f"/v1/xapi/statements?org={admin.org}", headers=other_admin.headers)
    assert hidden.status_code == 404 and admin.org in hidden.json()["detail"]
    assert len(_pull(client, admin, f"/v1/xapi/statements?org={admin.org}")["statements"]) == 2


def test_bad_paging_arguments_are_refused_with_a_reason(
    client: TestClient, admin: TestUser
) -> None:
    for query in ("since=yesterday", "limit=0", "limit=501", "after=-1", f"after={2**63}"):
        resp = client.get(f"/v1/xapi/statements?{query}", headers=admin.headers)
        assert resp.status_code == 422, query
        assert resp.json()["detail"], query


def test_a_since_before_the_first_representable_day_in_utc_is_refused(
    client: TestClient, admin: TestUser
) -> None:
    # schemathesis: in UTC this is before year 1, and binding it raised (a 500).
    url = "/v1/xapi/statements?after=0&since=0001-01-01T00%3A00%3A00%2B01%3A00"
    resp = client.get(url, headers=admin.headers)
    assert resp.status_code == 422
    assert resp.json()["detail"] == "since is out of range"
    ok = client.get(
        "/v1/xapi/statements?since=0001-01-01T01%3A00%3A00%2B01%3A00", headers=admin.headers
    )
    assert ok.status_code == 200
