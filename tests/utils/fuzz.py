"""schemathesis against the real app: an organisation with data, a token per role, the checks.

Shared by ``tests/coach/api/test_schemathesis.py`` (bounded, in ``make test``) and
``bench/fuzz.py`` (the longer run). Every operation of the OpenAPI schema is called with the
token of a role that may call it, and its path parameters are drawn half the time from the
ids of real objects (a conversation, a quiz, a path, a goal…) so that routes do real work
rather than only answer 404.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from coach.app import create_app
from coach.auth import auth_secret
from coach.services import Services
from coach.settings import Settings
from retrieval.embedding import FakeEmbedder
from tests.utils.paths import DEMO, DEMO_TODAY, seed_demo_paths
from tests.utils.users import TestUser, make_user

# Server errors and schema violations; negative_data_rejection: input the schema rules out
# (a wrong type, a missing field) must get a 4xx, i.e. the schema says what the app checks.
# Not positive_data_acceptance: a 422 for input the schema allows is a business rule
# (a quiz already answered, dates in the wrong order), and those are documented.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# Who calls: mostly a role that may, sometimes another role or nobody (401/403 documented).
WHO = st.sampled_from(["allowed"] * 6 + ["other", "anonymous"])

COURSE = "cyber-awareness"
GOAL = {
    "label": "Automate the planning exports",
    "reason": "Ana takes over the weekly planning exports in spring",
    "deadline": "2027-05-31",
    "skills": [{"skill": "python.pandas", "level": 2}],
}

# Which role calls each operation: the first rule whose method and path pattern match.
ROLE_RULES: list[tuple[str, str, str]] = [
    ("*", r"^/v1/(admin|xapi|learners/\{user_id\}/export)", "admin"),
    ("DELETE", r"^/v1/learners/", "admin"),
    ("*", r"^/v1/manager", "manager"),
    ("*", r"^/v1/(quiz-items|paths|catalog)", "reviewer"),
    ("*", r"^/v1/handoffs/(assigned|notices)", "trainer"),
    ("*", r"", "learner"),
]


def role_for(method: str, path: str) -> str:
    """The role whose token calls ``method path`` (a role that may call it)."""
    for rule_method, pattern, role in ROLE_RULES:
        if rule_method in ("*", method.upper()) and re.search(pattern, path):
            return role
    raise AssertionError("the last rule matches everything")


@dataclass
class FuzzWorld:
    """The app, its users by role and the ids of real objects by path parameter."""

    app: FastAPI
    users: dict[str, TestUser]
    ids: dict[str, list[str]] = field(default_factory=dict)

    def headers(self, method: str, path: str, who: str = "allowed") -> dict[str, str]:
        """The token of the role that may call ``method path`` (``who="allowed"``), of
        another role (``"other"``), or none (``"anonymous"``)."""
        role = role_for(method, path)
        if who == "anonymous":
            return {}
        if who == "other":
            role = "learner" if role != "learner" else "manager"
        return self.users[role].headers

    @cached_property
    def schema(self) -> Any:
        """The app's OpenAPI schema loaded by schemathesis, real ids mixed into path params."""
        loaded = schemathesis.openapi.from_asgi("/openapi.json", self.app)
        ids = self.ids

        @loaded.hook  # type: ignore[untyped-decorator]
        def flatmap_path_parameters(
            context: schemathesis.HookContext, path_parameters: dict[str, Any]
        ) -> st.SearchStrategy[dict[str, Any]]:
            # Destructive operations get ids of their own (erasing Ana would end the run).
            erase = context.operation is not None and context.operation.method.upper() == "DELETE"
            choices = [st.just(path_parameters)]
            for name in path_parameters or {}:
                pool = ids.get(f"erasable_{name}" if erase else name)
                if pool:
                    choices.append(
                        st.sampled_from(pool).map(lambda v, n=name: {**path_parameters, n: v})
                    )
            return st.one_of(choices)

        return loaded


def operations() -> list[tuple[str, str]]:
    """Every (method, path) of the app's OpenAPI schema, in its order."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = create_app(fuzz_settings(Path(tmp))).openapi()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops]


def fuzz_settings(data_dir: Path, database_url: str | None = None) -> Settings:
    """The service on a temp dir; no rate limits (they are tested on their own, and would
    turn a long run into 429s)."""
    extra: dict[str, Any] = {"database_url": database_url} if database_url else {}
    return Settings(  # type: ignore[call-arg]
        data_dir=data_dir,
        embedding_model="fake",
        planning_date=DEMO_TODAY,
        limits={"per_user": 0, "per_org": 0},
        _env_file=None,
        **extra,
    )


@contextmanager
def fuzz_world(data_dir: Path, database_url: str | None = None) -> Iterator[FuzzWorld]:
    """The demo organisation planned and used a little, through the API itself."""
    services = Services.build(fuzz_settings(data_dir, database_url), embedder=FakeEmbedder(dim=64))
    try:
        yield _populate(services, data_dir)
    finally:
        services.close()


def _populate(services: Services, data_dir: Path) -> FuzzWorld:
    services.ingestor().ingest([DEMO / "catalog"])
    secret = auth_secret(services.settings)

    def user(external_id: str, name: str, role: str = "learner") -> TestUser:
        return make_user(
            services.engine, secret=secret, external_id=external_id, display_name=name, role=role
        )

    users = {
        "learner": user("ana", "Ana"),
        "admin": user("maria", "Maria", "admin"),
        "reviewer": user("ravi", "Ravi", "reviewer"),
        "manager": user("tom", "Tom Hughes", "manager"),
        "trainer": user("claire", "Claire Dubois", "trainer"),
    }
    luc = user("luc", "Luc")
    erasable = [user(f"leaver-{n}", f"Leaver {n}") for n in range(3)]
    seed_demo_paths(services.engine, data_dir)
    ids: dict[str, list[str]] = {
        "user_id": [users["learner"].id, luc.id],
        "erasable_user_id": [u.id for u in erasable],
        "item_id": [],
    }
    # The setup goes through the API as users would; the fuzzed app is another instance.
    with TestClient(create_app(services=services)) as client:

        def call(method: str, url: str, who: TestUser, body: Any = None) -> Any:
            resp = client.request(method, url, json=body, headers=who.headers)
            assert resp.status_code < 300, (method, url, resp.status_code, resp.text)
            return resp.json() if resp.content else None

        ana, reviewer = users["learner"], users["reviewer"]
        call("POST", "/v1/paths", reviewer, {})
        call("POST", "/v1/paths/review", reviewer, {"action": "approve"})
        ids["path_id"] = [p["id"] for p in call("GET", "/v1/paths", reviewer)["paths"][:3]]
        chat = call("POST", "/v1/chat", ana, {"message": "How do I spot a phishing e-mail?"})
        ids["conversation_id"] = [chat["conversation_id"]]
        ids["message_id"] = [chat["message_id"], chat["user_message_id"]]
        ids["chunk_id"] = [
            hit["chunk_id"] for hit in call("GET", "/v1/search?q=phishing", ana)["hits"][:2]
        ]
        quiz = call("POST", "/v1/quizzes", ana, {"course_id": COURSE, "n": 3})
        ids["quiz_id"] = [quiz["id"]]
        ids["item_id"] = [item["id"] for item in quiz["items"]]
        ids["item_id"] += [i["id"] for i in call("GET", "/v1/catalog/items", reviewer)["items"][:2]]
        goal = call("POST", f"/v1/manager/reports/{ana.id}/goals", users["manager"], GOAL)
        ids["goal_id"] = [goal["goal"]["id"]]
        call("DELETE", "/v1/me", erasable[0])  # a pending erasure request for the admin
        requests = call("GET", "/v1/admin/erasure-requests", users["admin"])["requests"]
        ids["request_id"] = [r["id"] for r in requests]
    return FuzzWorld(app=create_app(services=services), users=users, ids=ids)
