"""blendcoach learners export|erase and privacy sweep|requests, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.cli import app
from coach.db import make_engine, migrate
from coach.settings import get_settings

runner = CliRunner()


@pytest.fixture
def engine(cli_env: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("BLENDCOACH_DATABASE_URL", db_url)
    get_settings.cache_clear()
    built = make_engine(db_url)
    migrate(built)
    yield built
    built.dispose()
    get_settings.cache_clear()


def _people(engine: Engine) -> dict[str, str]:
    with Session(engine) as s, s.begin():
        org = storage.create_organisation(s, slug="northwind", name="Northwind")
        storage.update_org_settings(
            s, org_id=org.id, patch={"privacy": {"conversation_retention_days": 30}}
        )
        ids = {}
        for ext in ("ana", "luc"):
            user = storage.create_user(s, org_id=org.id, external_id=ext, display_name=ext.title())
            conv = storage.create_conversation(s, viewer=storage.Viewer.from_user(user), title="t")
            storage.add_message(s, conversation_id=conv.id, role="user", content=f"{ext} asks")
            conv.updated_at = datetime.now(UTC) - timedelta(days=40 if ext == "luc" else 1)
            ids[ext] = user.id
        return ids


def test_export_then_erase_a_learner_from_the_command_line(engine: Engine, tmp_path: Path) -> None:
    ids = _people(engine)
    out = tmp_path / "ana.json"
    done = runner.invoke(
        app, ["learners", "export", "ana", "--org", "northwind", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["person"]["id"] == ids["ana"]
    assert [m["content"] for m in data["data"]["messages"]] == ["ana asks"]
    by_id = runner.invoke(app, ["learners", "export", ids["ana"], "--org", "northwind"])
    assert by_id.exit_code == 0 and json.loads(by_id.output)["person"]["external_id"] == "ana"
    for args in (["nobody", "--org", "northwind"], ["ana", "--org", "acme"]):
        refused = runner.invoke(app, ["learners", "export", *args])
        assert refused.exit_code == 1 and "no " in refused.output

    kept = runner.invoke(app, ["learners", "erase", "ana", "--org", "northwind"], input="n\n")
    assert kept.exit_code == 1  # not confirmed: aborted
    erased = runner.invoke(app, ["learners", "erase", "ana", "--org", "northwind", "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "messages" in erased.output and "index points deleted: 0" in erased.output
    with Session(engine) as s:
        assert s.get(storage.User, ids["ana"]) is None
        assert s.get(storage.User, ids["luc"]) is not None
    listed = runner.invoke(app, ["privacy", "requests", "--org", "northwind"])
    assert listed.exit_code == 0 and "done" in listed.output and "cli" in listed.output

    swept = runner.invoke(app, ["privacy", "sweep"])
    assert swept.exit_code == 0, swept.output
    assert "northwind" in swept.output and "30" in swept.output
    with Session(engine) as s:
        assert storage.list_conversations(s, viewer=_viewer(s, ids["luc"])) == []
    bad = runner.invoke(app, ["privacy", "sweep", "--org", "nowhere"])
    assert bad.exit_code == 1


def _viewer(session: Session, user_id: str) -> storage.Viewer:
    return storage.Viewer.from_user(storage.get_user(session, user_id=user_id))
