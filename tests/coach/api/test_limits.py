"""Rate limits per user and per organisation (in-process and in Redis) and the body limit:
refused with a JSON reason, and nothing already stored is lost."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.auth import auth_secret
from coach.observability import Metrics
from coach.services import Services
from coach.settings import LimitSettings, Settings
from retrieval.embedding import FakeEmbedder
from tests.utils.metrics import value
from tests.utils.redis_keys import REDIS_URL, key_prefix
from tests.utils.users import TestUser, make_user

# Windows of an hour: a test never straddles two (and would still be refused if it did).
HOUR = 3600
MakeServices = Callable[..., Services]


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    with key_prefix("bc-test-rl") as prefix:
        yield prefix


@pytest.fixture(params=["in-process", "redis"])
def make_services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeServices]:
    """Services with the given limits; with Redis, a key prefix of the test's own."""
    built: list[Services] = []
    redis = request.param == "redis"
    prefix = request.getfixturevalue("redis_prefix") if redis else "unused"

    def make(**limits: int) -> Services:
        settings = Settings(  # type: ignore[call-arg]
            data_dir=tmp_path / "var",
            embedding_model="fake",
            redis_url=REDIS_URL if redis else None,
            limits=LimitSettings(window_s=HOUR, redis_prefix=prefix, **limits),
            _env_file=None,
        )
        built.append(Services.build(settings, embedder=FakeEmbedder(dim=16)))
        return built[-1]

    yield make
    for services in built:
        services.close()


def user(services: Services, external_id: str, org: str = "northwind") -> TestUser:
    return make_user(
        services.engine, secret=auth_secret(services.settings), org=org, external_id=external_id
    )


def test_per_user_limit(make_services: MakeServices) -> None:
    services = make_services(per_user=3, per_org=100)
    ana, luc = user(services, "ana"), user(services, "luc")
    with TestClient(create_app(services=services)) as c:
        assert [c.get("/v1/me", headers=ana.headers).status_code for _ in range(3)] == [200] * 3
        refused = c.get("/v1/me", headers=ana.headers)
        assert refused.status_code == 429
        assert refused.json()["detail"].startswith(
            "rate limit exceeded: at most 3 requests per 3600 s per user; retry in "
        )
        assert 1 <= int(refused.headers["retry-after"]) <= 2 * HOUR
        assert refused.headers["x-request-id"]
        assert c.get("/v1/me", headers=luc.headers).status_code == 200  # Luc has his own
        assert value(c, "blendcoach_rate_limited_total", scope="user") == 1
        # Refused on its route, like any other response.
        assert value(c, "blendcoach_http_requests_total", route="/v1/me", status="429") == 1


def test_per_organisation_limit(make_services: MakeServices) -> None:
    services = make_services(per_user=100, per_org=3)
    ana, luc = user(services, "ana"), user(services, "luc")
    zoe = user(services, "zoe", org="acme")
    with TestClient(create_app(services=services)) as c:
        for who in (ana, ana, luc):
            assert c.get("/v1/me", headers=who.headers).status_code == 200
        refused = c.get("/v1/me", headers=luc.headers)
        assert refused.status_code == 429 and "per organisation" in refused.json()["detail"]
        assert c.get("/v1/me", headers=zoe.headers).status_code == 200  # another company
        assert value(c, "blendcoach_rate_limited_total", scope="org") == 1


def test_requests_without_a_valid_token_are_not_counted(make_services: MakeServices) -> None:
    services = make_services(per_user=1, per_org=1)
    with TestClient(create_app(services=services)) as c:
        for headers in ({}, {"Authorization": "Bearer forged.token.here"}):
            assert [c.get("/v1/me", headers=headers).status_code for _ in range(3)] == [401] * 3
        assert c.get("/readyz").status_code == 200 and c.get("/metrics").status_code == 200


@pytest.mark.parametrize("make_services", ["redis"], indirect=True)
def test_two_workers_on_one_redis_share_the_counts(make_services: MakeServices) -> None:
    first = make_services(per_user=3)
    # A second app with its own limiter (its own in-process memory would count apart).
    second = dataclasses.replace(first, metrics=Metrics())
    ana = user(first, "ana")
    with TestClient(create_app(services=first)) as a, TestClient(create_app(services=second)) as b:
        assert [a.get("/v1/me", headers=ana.headers).status_code for _ in range(2)] == [200] * 2
        assert b.get("/v1/me", headers=ana.headers).status_code == 200
        assert b.get("/v1/me", headers=ana.headers).status_code == 429
        assert a.get("/v1/me", headers=ana.headers).status_code == 429


@pytest.mark.parametrize("make_services", ["in-process"], indirect=True)
def test_an_oversized_body_is_refused_and_nothing_is_stored(make_services: MakeServices) -> None:
    services = make_services(max_body_bytes=2048)
    ana = user(services, "ana")
    with TestClient(create_app(services=services)) as c:
        first = c.post("/v1/chat", json={"message": "What is phishing?"}, headers=ana.headers)
        assert first.status_code == 200
        conversation = first.json()["conversation_id"]
        big = {"message": "x" * 4096, "conversation_id": conversation}
        declared = c.post("/v1/chat", json=big, headers=ana.headers)
        assert declared.status_code == 413
        assert declared.json()["detail"].startswith("request body too large (")
        assert declared.json()["detail"].endswith("the limit is 2048 bytes")

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"message": "'
            for _ in range(8):
                yield b"y" * 512
            yield b'"}'

        headers = {**ana.headers, "Content-Type": "application/json"}
        streamed = c.post("/v1/chat", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        assert streamed.json() == {"detail": "request body too large: the limit is 2048 bytes"}
        malformed = c.post("/v1/chat", content=b'{"message": ', headers=headers)
        assert malformed.status_code == 422 and malformed.json()["detail"]
        # The conversation is as it was: no new turn, nothing half-written.
        listed = c.get("/v1/conversations", headers=ana.headers).json()["conversations"]
        assert [row["id"] for row in listed] == [conversation]
        stored = c.get(f"/v1/conversations/{conversation}", headers=ana.headers).json()
        assert next(m["content"] for m in stored["messages"]) == "What is phishing?"
        assert len(stored["messages"]) == 2
