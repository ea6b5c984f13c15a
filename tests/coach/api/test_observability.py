"""/metrics by route template, request ids in responses and in every JSON log line."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from coach.app import create_app
from coach.observability import Metrics, configure_logging
from coach.services import Services
from tests.utils.metrics import samples, value
from tests.utils.users import TestUser

BREACH = "How quickly must a personal data breach be reported?"


def test_requests_are_counted_by_route_template_not_by_path(
    client: TestClient, learner: TestUser
) -> None:
    for conversation in ("c-1", "c-2", "c-3"):
        assert (
            client.get(f"/v1/conversations/{conversation}", headers=learner.headers).status_code
            == 404
        )
    client.get("/v1/no-such-route/123")
    client.get("/v1/no-such-route/456")
    client.get("/openapi.json")  # one of FastAPI's own routes
    route = "/v1/conversations/{conversation_id}"
    assert value(client, "blendcoach_http_requests_total", route=route, status="404") == 3
    assert value(client, "blendcoach_http_request_duration_seconds_count", route=route) == 3
    assert value(client, "blendcoach_http_requests_total", route="<unmatched>") == 2
    assert value(client, "blendcoach_http_requests_total", route="/openapi.json") == 1
    text = client.get("/metrics").text
    assert "c-1" not in text and "no-such-route" not in text


def test_retrieval_time_and_guard_verdicts_of_a_chat_turn(
    client: TestClient, learner: TestUser
) -> None:
    resp = client.post("/v1/chat", json={"message": BREACH}, headers=learner.headers)
    assert resp.status_code == 200
    assert value(client, "blendcoach_retrieval_duration_seconds_count", stage="candidates") >= 1
    assert value(client, "blendcoach_retrieval_duration_seconds_count", stage="rank") >= 1
    verdicts = samples(client, "blendcoach_guard_verdicts_total")
    assert verdicts and all(labels["kind"] == "answer" for labels, _ in verdicts)
    assert sum(v for _, v in verdicts) >= 1
    chat = "/v1/chat"
    assert value(client, "blendcoach_http_requests_total", route=chat, status="200") == 1


def test_queue_depths_are_read_when_scraped(client: TestClient) -> None:
    depths = {
        (labels["queue"], labels["state"]): v
        for labels, v in samples(client, "blendcoach_queue_depth")
    }
    assert depths == {
        ("nudge_deliveries", "due"): 0,
        ("nudge_deliveries", "sending"): 0,
        ("xapi_outbox", "pending"): 0,
        ("xapi_outbox", "retrying"): 0,
        ("xapi_outbox", "failed"): 0,
    }


def test_each_app_has_its_own_registry(services: Services, learner: TestUser) -> None:
    with TestClient(create_app(services=services)) as first:
        first.get("/v1/me", headers=learner.headers)
        assert value(first, "blendcoach_http_requests_total", route="/v1/me") == 1
    other = dataclasses.replace(services, metrics=Metrics())
    with TestClient(create_app(services=other)) as second:
        assert value(second, "blendcoach_http_requests_total", route="/v1/me") == 0


@pytest.fixture
def logging_app(services: Services) -> Iterator[tuple[FastAPI, TestClient]]:
    """The app with the process's logging set up as ``blendcoach serve`` does (undone after)."""
    restore = configure_logging("info", "json")
    app = create_app(services=services)

    @app.get("/test/log")
    def write_a_line() -> dict[str, str]:  # a sync route: it runs in a worker thread
        logging.getLogger("coach.test").warning("from the route", extra={"answer": 42})
        return {"ok": "yes"}

    @app.get("/test/boom")
    def boom() -> None:
        raise RuntimeError("the database melted")

    try:
        with TestClient(app, raise_server_exceptions=False) as c:
            yield app, c
    finally:
        restore()


def json_lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def test_request_ids_come_back_and_are_in_every_log_line(
    logging_app: tuple[FastAPI, TestClient], capsys: pytest.CaptureFixture[str]
) -> None:
    _, client = logging_app
    capsys.readouterr()
    resp = client.get("/test/log", headers={"X-Request-ID": "lms-7f3a.1"})
    assert resp.headers["x-request-id"] == "lms-7f3a.1"
    lines = [line for line in json_lines(capsys.readouterr().err) if line.get("request_id")]
    route_line = next(line for line in lines if line["logger"] == "coach.test")
    assert route_line["request_id"] == "lms-7f3a.1" and route_line["answer"] == 42
    assert route_line["level"] == "warning" and route_line["message"] == "from the route"
    access = next(line for line in lines if line["logger"] == "coach.access")
    assert access["request_id"] == "lms-7f3a.1"
    assert (access["route"], access["status"], access["method"]) == ("/test/log", 200, "GET")
    assert access["duration_ms"] >= 0


def test_a_missing_or_unusable_request_id_is_replaced_by_a_new_one(
    logging_app: tuple[FastAPI, TestClient],
) -> None:
    _, client = logging_app
    minted = client.get("/test/log").headers["x-request-id"]
    assert len(minted) == 32 and int(minted, 16) >= 0
    odd = client.get("/test/log", headers={"X-Request-ID": "bad id\twith spaces"})
    assert odd.headers["x-request-id"] != "bad id\twith spaces"
    assert client.get("/test/log").headers["x-request-id"] != minted


def test_an_unhandled_error_is_a_json_500_with_the_request_id_logged(
    logging_app: tuple[FastAPI, TestClient], capsys: pytest.CaptureFixture[str]
) -> None:
    _, client = logging_app
    capsys.readouterr()
    resp = client.get("/test/boom", headers={"X-Request-ID": "req-500"})
    assert resp.status_code == 500
    assert resp.json() == {"detail": "internal error", "request_id": "req-500"}
    assert "melted" not in resp.text  # the reason is in the log, not sent to the client
    logged = [line for line in json_lines(capsys.readouterr().err) if line.get("exc")]
    assert any(
        line["request_id"] == "req-500" and "the database melted" in line["exc"] for line in logged
    )
    assert value(client, "blendcoach_http_requests_total", route="/test/boom", status="500") == 1
