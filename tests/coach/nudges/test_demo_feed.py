"""``make demo`` leaves the demo learner's widget feed with today's nudges: the Makefile's
demo commands run on a temp data dir (all but ``ingest``: nudges do not read the index),
then the learner reads ``/v1/me/notifications`` with her demo token."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from coach.app import create_app
from coach.cli import app
from coach.services import Services
from coach.settings import get_settings
from retrieval.embedding import FakeEmbedder
from tests.conftest import REPO

runner = CliRunner()


def _demo_commands() -> list[list[str]]:
    """The blendcoach commands of the Makefile's demo target, in order."""
    lines = (REPO / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index("demo: install") + 1
    out = []
    for line in lines[start:]:
        if not line.startswith("\t"):
            break
        words = shlex.split(line.strip())
        if words[0] == "$(BIN)/blendcoach":
            out.append(words[1:])
    return out


def test_the_demo_learners_feed_has_reasoned_nudges(cli_env: Path) -> None:
    commands = _demo_commands()
    assert ["nudges", "plan", "--org", "northwind"] in commands
    for words in commands:
        if words[0] == "ingest":
            continue
        result = runner.invoke(app, words)
        assert result.exit_code == 0, (words, result.output)
    tokens = json.loads((cli_env / "demo-tokens.json").read_text(encoding="utf-8"))
    token = tokens["ana"]["token"]  # the demo learner of northwind
    services = Services.build(get_settings(), embedder=FakeEmbedder(dim=64))
    try:
        with TestClient(create_app(services=services)) as client:
            got = client.get(
                "/v1/me/notifications", headers={"Authorization": f"Bearer {token}"}
            ).json()
    finally:
        services.close()
    assert got["items"] and got["unread"] == len(got["items"])
    for n in got["items"]:
        assert n["reason"].strip() and n["link"].startswith("/"), n
        assert n["subject"].strip() and n["body"].strip() and n["sent_at"], n


def test_nudge_settings_from_the_cli_are_validated_and_nothing_half_stored(
    cli_env: Path,
) -> None:
    assert runner.invoke(app, ["demo-users"]).exit_code == 0
    ok = runner.invoke(app, ["nudges", "settings", "--org", "northwind", "--max-per-week", "5"])
    assert ok.exit_code == 0 and "'max_per_week': 5" in ok.output, ok.output
    for args, says in (
        (["--quiet", "10:00-10:00"], "no quiet hours is 00:00-00:00"),
        (["--quiet", "0800"], "HH:MM-HH:MM"),
        (["--quiet", "25:00-08:00", "--max-per-week", "9"], "quiet_start"),
        (["--holdout", "0.9"], "holdout_share"),
    ):
        bad = runner.invoke(app, ["nudges", "settings", "--org", "northwind", *args])
        said = " ".join(bad.output.split())  # the console wraps long lines
        assert bad.exit_code == 1 and says in said and "nothing changed" in said, (args, said)
    shown = runner.invoke(app, ["nudges", "settings", "--org", "northwind"])
    assert "'max_per_week': 5" in shown.output and "'quiet_start': '20:00:00'" in shown.output
    assert runner.invoke(app, ["nudges", "settings", "--org", "nowhere"]).exit_code == 1
