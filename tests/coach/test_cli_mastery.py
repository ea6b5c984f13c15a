"""blendcoach mastery import / fit: history becomes mastery; bad files store nothing."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.cli import app
from coach.db import make_engine
from coach.learning.mastery import LEARNER_KEY
from coach.settings import get_settings

runner = CliRunner()


def _engine():  # type: ignore[no-untyped-def]
    return make_engine(get_settings().db_url)


def _add_users(*names: str) -> None:
    for name in names:
        result = runner.invoke(app, ["users", "add", name, "--org", "northwind"])
        assert result.exit_code == 0, result.output


def _csv(
    path: Path, rows: list[tuple[str, str, object]], header: str = "user,skill,correct"
) -> Path:
    path.write_text(header + "\n" + "\n".join(",".join(map(str, r)) for r in rows) + "\n")
    return path


def test_imported_history_sets_mastery_and_a_bad_file_stores_nothing(
    cli_env: Path, tmp_path: Path
) -> None:
    _add_users("ana", "luc")
    good = [("ana", "phishing", 1)] * 4 + [("luc", "phishing", 0)] * 4 + [("ana", "gdpr", "false")]
    result = runner.invoke(
        app, ["mastery", "import", str(_csv(tmp_path / "h.csv", good)), "--org", "northwind"]
    )
    assert result.exit_code == 0, result.output
    assert "imported 9" in result.output and "default" in result.output  # too few to fit
    engine = _engine()
    with Session(engine) as session:
        users = {u.external_id: u.id for u in storage.list_users(session)}
        ana = {r.skill: r for r in storage.list_mastery(session, user_id=users["ana"])}
        luc = {r.skill: r for r in storage.list_mastery(session, user_id=users["luc"])}
    assert set(ana) == {"phishing", "gdpr", LEARNER_KEY}
    assert ana["phishing"].n_attempts == 4 and ana["phishing"].p_mastery > luc["phishing"].p_mastery
    assert ana["gdpr"].p_mastery < ana["phishing"].p_mastery

    bad = [("ana", "phishing", 1), ("nobody", "phishing", 1), ("luc", "", 1), ("luc", "x", "maybe")]
    result = runner.invoke(
        app, ["mastery", "import", str(_csv(tmp_path / "bad.csv", bad)), "--org", "northwind"]
    )
    assert result.exit_code == 1
    for expected in ("line 3: no user 'nobody'", "line 4: empty skill", "line 5: correct must be"):
        assert expected in result.output
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(storage.HistoryAttempt)) == 9
    missing = runner.invoke(
        app,
        [
            "mastery",
            "import",
            str(_csv(tmp_path / "m.csv", [], "user,skill")),
            "--org",
            "northwind",
        ],
    )
    assert missing.exit_code == 1 and "missing column(s) correct" in missing.output
    unknown = runner.invoke(app, ["mastery", "import", str(tmp_path / "h.csv"), "--org", "nope"])
    assert unknown.exit_code == 1 and "no organisation 'nope'" in unknown.output
    engine.dispose()


def test_fit_learns_from_enough_history_and_replays_every_estimate(
    cli_env: Path, tmp_path: Path
) -> None:
    learners = [f"l{i}" for i in range(6)]
    _add_users(*learners)
    rng = random.Random(3)
    rows = []
    for name in learners:
        skill_level = {"phishing": rng.random(), "gdpr": rng.random()}
        for t in range(40):
            skill = "phishing" if t % 2 else "gdpr"
            rows.append((name, skill, int(rng.random() < 0.3 + 0.6 * skill_level[skill] + t / 200)))
    path = _csv(tmp_path / "history.csv", rows)
    imported = runner.invoke(
        app, ["mastery", "import", str(path), "--org", "northwind", "--no-fit"]
    )
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["mastery", "fit", "--org", "northwind", "--min-attempts", "100"])
    assert result.exit_code == 0, result.output
    assert "fitted" in result.output and "240" in result.output
    engine = _engine()
    with Session(engine) as session:
        org = storage.get_organisation_by_slug(session, slug="northwind")
        assert org is not None
        params = storage.get_model_params(session, org_id=org.id)
        assert params is not None and params.n_attempts == 240 and "tracer" in params.params
        for user in storage.list_users(session, org_id=org.id):
            skills = {r.skill: r.n_attempts for r in storage.list_mastery(session, user_id=user.id)}
            assert skills == {"phishing": 20, "gdpr": 20, LEARNER_KEY: 40}
    engine.dispose()
