"""xAPI fixtures: a migrated database with an organisation and two learners, statements
logged as the service logs them, and a fake LRS on an httpx transport."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage, xapi
from coach.db import make_engine, migrate

BASE = "https://coach.example.com"


def seed(engine: Engine) -> Engine:
    """Organisation northwind with learners ana and luc."""
    with Session(engine) as session, session.begin():
        org = storage.create_organisation(session, slug="northwind")
        for ext in ("ana", "luc"):
            storage.create_user(session, org_id=org.id, external_id=ext, display_name=ext.title())
    return engine


@pytest.fixture
def db(db_engine: Engine) -> Engine:
    """A migrated database of each kind (SQLite, PostgreSQL), seeded."""
    return seed(db_engine)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database, seeded."""
    engine = make_engine(f"sqlite:///{tmp_path / 'xapi.db'}")
    migrate(engine)
    yield seed(engine)
    engine.dispose()


def log_statements(db: Engine, n: int, *, learner: str = "ana") -> list[dict[str, Any]]:
    """``n`` conversations opened by ``learner``: their events and statements, committed."""
    out = []
    with Session(db) as session, session.begin():
        org = storage.get_organisation_by_slug(session, slug="northwind")
        assert org is not None
        user = storage.find_user(session, org_id=org.id, external_id=learner)
        assert user is not None
        for i in range(n):
            statement = xapi.conversation_started(
                statement_id=xapi.new_statement_id(),
                base_url=BASE,
                learner=xapi.person(session, base_url=BASE, user_id=user.id),
                conversation_id=f"c-{learner}-{i}",
                course_id="gdpr-basics",
                language="en",
                timestamp=datetime.now(UTC),
            )
            storage.log_event(
                session, org_id=org.id, user_id=user.id, type="chat.started",
                payload={"xapi": statement},
            )  # fmt: skip
            out.append(statement)
    return out


@dataclass
class FakeLrs:
    """An LRS as an httpx transport: stores statements by id like an LRS (an equal duplicate
    is dropped, a differing one is a 409 for the whole batch), or fails as told."""

    mode: str = "up"  # up | down | 500 | 401
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    posts: list[list[str]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # ids answered 400

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "500":
            return httpx.Response(500, text="internal error")
        if self.mode == "401":
            return httpx.Response(401, json={"detail": "Invalid authentication credentials"})
        batch = json.loads(request.content)
        ids = [s["id"] for s in batch]
        self.posts.append(ids)
        if bad := self.refuse & set(ids):
            return httpx.Response(400, json={"detail": f"invalid statement {sorted(bad)}"})
        for s in batch:
            if s["id"] in self.stored and self.stored[s["id"]] != s:
                return httpx.Response(409, json={"detail": "differing statement"})
        new = [s for s in batch if s["id"] not in self.stored]
        self.stored.update({s["id"]: s for s in new})
        return httpx.Response(200, json=[s["id"] for s in new]) if new else httpx.Response(204)

    def basic_auth(self) -> str:
        return base64.b64encode(b"coach:s3cret").decode()
