"""blendcoach import catalog|sessions|learners|history|xapi and paths generate: every row
checked, a bad file refused whole with its line numbers, re-imports idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.cli import app
from coach.db import make_engine
from coach.settings import get_settings
from tests.utils.paths import DEMO, DEMO_TODAY, demo_learners_file

runner = CliRunner()


@pytest.fixture(autouse=True)
def _demo_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan on the demo's date, so its sessions stay in the future."""
    monkeypatch.setenv("BLENDCOACH_PLANNING_DATE", DEMO_TODAY.isoformat())
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def _org_state() -> tuple[int, int, int]:
    """(catalog revision, learner profiles, learning records) of northwind."""
    engine = make_engine(get_settings().db_url)
    try:
        with Session(engine) as session:
            org = storage.get_organisation_by_slug(session, slug="northwind")
            assert org is not None
            return (
                storage.catalog_revision(session, org_id=org.id),
                len(storage.learner_profiles(session, org_id=org.id)),
                storage.count_learning_records(session, org_id=org.id),
            )
    finally:
        engine.dispose()  # PostgreSQL's connections would be left open (ResourceWarning)


def _setup(tmp_path: Path) -> None:
    assert _run("users", "add", "rita", "--org", "northwind", "--role", "reviewer")[0] == 0
    code, out = _run("import", "catalog", str(DEMO), "--org", "northwind")
    assert code == 0, out
    assert "34 skills, 30 items, 20 sessions, 6 roles" in out
    code, out = _run("import", "learners", str(demo_learners_file(tmp_path)), "--org", "northwind")
    assert code == 0, out
    # the demo's Sam has a goal on a skill the catalog lacks: kept, and said
    assert "unknown skill 'project.agile'" in out


def test_a_catalog_with_a_cycle_is_refused_with_the_cycle(cli_env: Path, tmp_path: Path) -> None:
    assert _run("users", "add", "rita", "--org", "northwind", "--role", "reviewer")[0] == 0
    catalog = {
        "skills": [
            {"id": "a", "label": "A", "requires": ["b"]},
            {"id": "b", "label": "B", "requires": ["a"]},
        ],
        "items": [
            {"id": "x", "title": "X", "modality": "e-learning", "hours": 1, "skills": ["a"]},
            {"id": "y", "title": "Y", "modality": "bogus", "hours": 1, "skills": ["b"]},
        ],
    }
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(catalog), encoding="utf-8")
    code, out = _run("import", "catalog", str(path), "--org", "northwind")
    assert code == 1
    assert "a → b → a" in out or "b → a → b" in out
    assert "(items):2" in out and "bogus" in out  # the bad row, by its position
    assert "nothing imported" in out
    assert _org_state() == (0, 0, 0)
    code, out = _run("import", "catalog", str(tmp_path / "missing.yaml"), "--org", "northwind")
    assert code == 1 and "not a file" in out


def test_learners_and_history_refuse_a_bad_file_whole(cli_env: Path, tmp_path: Path) -> None:
    _setup(tmp_path)
    before = _org_state()
    bad = tmp_path / "learners.csv"
    bad.write_text(
        "id,name,role,team,hours_per_week,goal_skills,goal_deadline\n"
        "nina,Nina,transport-planner,Ops,3,feedback.giving:2,2027-03-01\n"
        "omar,Omar,astronaut,Ops,3,,\n"
        "pia,Pia,transport-planner,Ops,lots,,\n",
        encoding="utf-8",
    )
    code, out = _run("import", "learners", str(bad), "--org", "northwind")
    assert code == 1
    assert "learners.csv:3" in out and "unknown role 'astronaut'" in out
    assert "learners.csv:4" in out
    assert _org_state() == before
    engine = make_engine(get_settings().db_url)
    with Session(engine) as session:
        org = storage.get_organisation_by_slug(session, slug="northwind")
        assert org is not None
        assert storage.find_user(session, org_id=org.id, external_id="nina") is None
    engine.dispose()
    good = tmp_path / "good.csv"
    good.write_text(
        "id,name,role,team,hours_per_week,goal_skills,goal_deadline\n"
        "nina,Nina,transport-planner,Ops,3,feedback.giving:2,2027-03-01\n",
        encoding="utf-8",
    )
    code, out = _run("import", "learners", str(good), "--org", "northwind")
    assert code == 0, out
    history = tmp_path / "history.csv"
    history.write_text(
        "learner_id,kind,date,item_id,skill,score\n"
        "nina,completion,2026-10-01,cyber-awareness,,0.9\n"
        "nina,quiz,2026-10-02,,no.such.skill,0.5\n"
        "ghost,completion,2026-10-03,cyber-awareness,,\n"
        "nina,completion,someday,cyber-awareness,,\n",
        encoding="utf-8",
    )
    code, out = _run("import", "history", str(history), "--org", "northwind")
    assert code == 1
    for line in (3, 4, 5):
        assert f"history.csv:{line}" in out, out
    assert "history.csv:2" not in out
    assert _org_state()[2] == before[2]


def test_xapi_statements_become_history_once(cli_env: Path, tmp_path: Path) -> None:
    _setup(tmp_path)
    code, out = _run("users", "add", "kim", "--org", "northwind", "--email", "kim@example.com")
    assert code == 0
    kim = tmp_path / "kim.csv"
    kim.write_text("id,name,role\nkim,Kim,transport-planner\n", encoding="utf-8")
    assert _run("import", "learners", str(kim), "--org", "northwind")[0] == 0
    base = "https://lms.example.com/activities/items/"
    verb = "http://adlnet.gov/expapi/verbs/"
    statements = [
        {
            "id": "6f0d3c5e-0000-4000-8000-000000000001",
            "actor": {"account": {"homePage": "https://lms.example.com", "name": "ana"}},
            "verb": {"id": verb + "completed"},
            "object": {"id": base + "gdpr-basics"},
            "result": {"score": {"scaled": 0.9}},
            "timestamp": "2026-11-02T10:00:00Z",
        },
        {
            "id": "6f0d3c5e-0000-4000-8000-000000000002",
            "actor": {"mbox": "mailto:kim@example.com"},
            "verb": {"id": verb + "attended"},
            "object": {"id": base + "ws-feedback-lyon-2026-12"},
            "timestamp": "2026-11-03T10:00:00Z",
        },
        {
            "id": "6f0d3c5e-0000-4000-8000-000000000003",
            "actor": {"account": {"homePage": "https://lms.example.com", "name": "ana"}},
            "verb": {"id": verb + "launched"},
            "object": {"id": base + "gdpr-basics"},
            "timestamp": "2026-11-01T10:00:00Z",
        },
    ]
    path = tmp_path / "statements.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in statements) + "\n", encoding="utf-8")
    before = _org_state()[2]
    code, out = _run("import", "xapi", str(path), "--org", "northwind")
    assert code == 0, out
    assert "2 records, 0 duplicates, 1 skipped" in out
    assert "launched (1)" in out
    assert _org_state()[2] == before + 2
    code, out = _run("import", "xapi", str(path), "--org", "northwind")
    assert code == 0 and "0 records, 2 duplicates" in out
    assert _org_state()[2] == before + 2
    wrong = tmp_path / "wrong.json"
    bad = dict(statements[0], id="x-4", object={"id": base + "unknown-course"})
    wrong.write_text(json.dumps([bad, {"verb": {"id": verb + "passed"}}]), encoding="utf-8")
    code, out = _run("import", "xapi", str(wrong), "--org", "northwind")
    assert code == 1
    assert "wrong.json:1" in out and "unknown-course" in out
    assert "wrong.json:2" in out and "actor" in out
    assert _org_state()[2] == before + 2


def test_sessions_import_and_paths_generate(cli_env: Path, tmp_path: Path) -> None:
    _setup(tmp_path)
    sessions = tmp_path / "sessions.csv"
    sessions.write_text(
        "id,item_id,start,seats,seats_taken,place\n"
        "vc-delegation-clinic-3,vc-delegation-clinic,2027-04-15T10:00:00+00:00,12,0,Teams\n"
        "bad-1,no-such-item,2027-04-15T10:00:00+00:00,12,0,Teams\n",
        encoding="utf-8",
    )
    code, out = _run("import", "sessions", str(sessions), "--org", "northwind")
    assert code == 1 and "sessions.csv:3" in out
    revision = _org_state()[0]
    header, good, _bad = sessions.read_text().splitlines()
    sessions.write_text(f"{header}\n{good}\n")
    code, out = _run("import", "sessions", str(sessions), "--org", "northwind")
    assert code == 0, out
    assert _org_state()[0] == revision + 1
    code, out = _run("paths", "generate", "--org", "northwind")
    assert code == 0, out
    assert "5 written, 0 unchanged" in out
    # The paths went to review through the runtime guard, as through the API.
    engine = make_engine(get_settings().db_url)
    with Session(engine) as session:
        org_id = storage.get_organisation_by_slug(session, slug="northwind").id
        judged = storage.list_events(session, org_id=org_id, type="guard.verdict")
        assert sorted(e.payload["kind"] for e in judged) == ["path"] * 5
    engine.dispose()
    code, out = _run("paths", "generate", "--org", "northwind", "--learner", "ana")
    assert code == 0 and "0 written, 1 unchanged" in out
    code, out = _run("paths", "generate", "--org", "northwind", "--learner", "nobody")
    assert code == 1 and "no such learner" in out


def test_enrolments_import_then_the_admin_assistant_answers_from_the_command_line(
    cli_env: Path, tmp_path: Path
) -> None:
    _setup(tmp_path)
    code, out = _run(
        "import", "enrolments", str(DEMO / "blended" / "enrolments.csv"), "--org", "northwind"
    )
    assert code == 0 and "imported enrolments: 7 added" in out, out
    assert _run("users", "add", "maria", "--org", "northwind", "--role", "admin")[0] == 0
    code, out = _run(
        "admin",
        "ask",
        "Who is overdue on mandatory training?",
        "--org",
        "northwind",
        "--as",
        "maria",
    )
    assert code == 0, out
    assert out.startswith("data ") and "Chloé Bernard" in out and "Luc Moreau" in out
    code, out = _run("admin", "ask", "who is overdue?", "--org", "northwind", "--as", "rita")
    assert code == 1 and "'rita' is not an admin of 'northwind'" in out
    code, out = _run("admin", "ask", "hello", "--org", "nowhere", "--as", "maria")
    assert code == 1 and "no organisation 'nowhere'" in out
