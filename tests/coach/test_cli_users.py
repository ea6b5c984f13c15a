"""blendcoach users add / list / revoke / disable and demo-users, against a temp data dir."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import jwt
import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from coach import storage
from coach.auth import TokenError, verify_token
from coach.cli import app
from coach.db import make_engine
from coach.settings import get_settings

runner = CliRunner()


def _check(token: str) -> storage.Viewer:
    """What the API would make of this token."""
    from coach.auth import auth_secret

    settings = get_settings()
    engine = make_engine(settings.db_url)
    try:
        with Session(engine) as session:
            return verify_token(session, token=token, secret=auth_secret(settings))
    finally:
        engine.dispose()


def _token(output: str) -> str:
    """The token: the one line of the output that is a JWT."""
    [token] = [line for line in output.splitlines() if line.count(".") == 2 and " " not in line]
    return token


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # tables drawn whole, not folded


def test_add_creates_the_org_and_user_and_prints_a_working_token(cli_env: Path) -> None:
    result = runner.invoke(
        app,
        ["users", "add", "ana@example.com", "--org", "northwind", "--org-name", "Northwind",
         "--name", "Ana", "--locale", "fr", "--days", "7"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "created organisation 'northwind'" in result.output
    assert "created learner 'ana@example.com'" in result.output
    token = _token(result.stdout)
    viewer = _check(token)
    assert (viewer.role, viewer.locale, viewer.display_name) == ("learner", "fr", "Ana")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 7 * 86400
    assert stat.S_IMODE((cli_env / "secret.key").stat().st_mode) == 0o600
    # No encoder, no index: user commands only touch the database.
    assert not (cli_env / "index").exists()


@pytest.mark.parametrize("role", ["manager", "trainer"])
def test_managers_and_trainers_are_added_like_anyone(cli_env: Path, role: str) -> None:
    result = runner.invoke(app, ["users", "add", "tom", "--org", "northwind", "--role", role])
    assert result.exit_code == 0, result.output
    assert _check(_token(result.stdout)).role == role


def test_add_refuses_an_existing_user_unless_token_only(cli_env: Path) -> None:
    first = runner.invoke(app, ["users", "add", "ana", "--org", "northwind"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["users", "add", "ana", "--org", "northwind", "--role", "admin"])
    assert again.exit_code == 1
    assert "already exists" in again.output and "--token-only" in again.output
    fresh = runner.invoke(app, ["users", "add", "ana", "--org", "northwind", "--token-only"])
    assert fresh.exit_code == 0, fresh.output
    assert "new token for 'ana'" in fresh.output
    assert _token(fresh.stdout) != _token(first.stdout)
    assert _check(_token(first.stdout)).id == _check(_token(fresh.stdout)).id
    assert _check(_token(fresh.stdout)).role == "learner"  # --token-only changes nothing else
    missing = runner.invoke(app, ["users", "add", "bob", "--org", "northwind", "--token-only"])
    assert missing.exit_code == 1 and "no user 'bob'" in missing.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "root"], "root"),
        (["--locale", "de"], "de"),
        (["--days", "0"], "days"),
        (["--org", "Bad Slug"], "slug"),
    ],
)
def test_add_rejects_bad_options(cli_env: Path, args: list[str], message: str) -> None:
    base = [] if "--org" in args else ["--org", "northwind"]
    result = runner.invoke(app, ["users", "add", "ana", *base, *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "eyJ" not in result.output  # no token printed


def test_list_shows_users_and_their_live_tokens(cli_env: Path) -> None:
    assert runner.invoke(app, ["users", "list"]).output.strip() == "No users."
    runner.invoke(app, ["users", "add", "ana", "--org", "northwind", "--name", "Ana Lopes"])
    runner.invoke(app, ["users", "add", "maria", "--org", "northwind", "--role", "admin"])
    runner.invoke(app, ["users", "add", "zoe", "--org", "acme"])
    every = runner.invoke(app, ["users", "list"])
    assert every.exit_code == 0, every.output
    for text in ("Ana Lopes", "maria", "admin", "zoe", "acme", "active"):
        assert text in every.output
    northwind = runner.invoke(app, ["users", "list", "--org", "northwind"])
    assert "ana" in northwind.output and "zoe" not in northwind.output
    unknown = runner.invoke(app, ["users", "list", "--org", "nowhere"])
    assert unknown.exit_code == 1 and "no organisation 'nowhere'" in unknown.output


def test_revoke_and_disable_refuse_the_token(cli_env: Path) -> None:
    added = runner.invoke(app, ["users", "add", "ana", "--org", "northwind"])
    token = _token(added.stdout)
    jti = jwt.decode(token, options={"verify_signature": False})["jti"]
    assert jti in added.output  # the id to revoke it by

    revoked = runner.invoke(app, ["users", "revoke", jti])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    with pytest.raises(TokenError, match="revoked token"):
        _check(token)
    twice = runner.invoke(app, ["users", "revoke", jti])
    assert twice.exit_code == 0 and "already revoked" in twice.output
    unknown = runner.invoke(app, ["users", "revoke", "nope"])
    assert unknown.exit_code == 1 and "no token 'nope'" in unknown.output

    other = _token(runner.invoke(app, ["users", "add", "ana", "--org", "northwind",
                                       "--token-only"]).stdout)  # fmt: skip
    assert runner.invoke(app, ["users", "disable", "ana", "--org", "northwind"]).exit_code == 0
    with pytest.raises(TokenError, match="revoked token"):
        _check(other)
    listed = runner.invoke(app, ["users", "list"]).output
    assert "disabled" in listed
    refused = runner.invoke(app, ["users", "add", "ana", "--org", "northwind", "--token-only"])
    assert refused.exit_code == 1 and "disabled" in refused.output
    runner.invoke(app, ["users", "disable", "ana", "--org", "northwind", "--enable"])
    assert _check(other).role == "learner"


def test_demo_users_are_created_once_with_tokens_on_file(cli_env: Path) -> None:
    first = runner.invoke(app, ["demo-users"])
    assert first.exit_code == 0, first.output
    path = cli_env / "demo-tokens.json"
    tokens = json.loads(path.read_text())
    assert list(tokens) == ["ana", "luc", "maria", "ravi", "tom", "sophie", "zoe"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    seen = {name: _check(entry["token"]) for name, entry in tokens.items()}
    assert {n: (v.role, v.locale) for n, v in seen.items()} == {
        "ana": ("learner", "en"),
        "luc": ("learner", "fr"),
        "maria": ("admin", "en"),
        "ravi": ("reviewer", "en"),
        "tom": ("manager", "en"),
        "sophie": ("manager", "fr"),
        "zoe": ("learner", "en"),
    }
    assert seen["ana"].org_id == seen["maria"].org_id != seen["zoe"].org_id
    assert tokens["luc"]["display_name"] == "Luc" and tokens["zoe"]["org"] == "acme"
    # Printed whole, one per line, for curl or a widget tag.
    for name, entry in tokens.items():
        assert f"{name}\t{entry['token']}" in first.stdout
    assert set(_states(first.stdout).values()) == {"new"}

    # Again: same users, same tokens, nothing duplicated.
    again = runner.invoke(app, ["demo-users"])
    assert again.exit_code == 0, again.output
    assert set(_states(again.stdout).values()) == {"kept"}
    assert json.loads(path.read_text()) == tokens
    listed = runner.invoke(app, ["users", "list"]).output
    assert listed.count("northwind") == 6 and listed.count("acme") == 1

    # A token revoked since is replaced; the others are kept.
    runner.invoke(app, ["users", "revoke", jwt.decode(tokens["ana"]["token"],
                  options={"verify_signature": False})["jti"]])  # fmt: skip
    third = runner.invoke(app, ["demo-users"])
    renewed = json.loads(path.read_text())
    assert renewed["ana"]["token"] != tokens["ana"]["token"]
    assert renewed["luc"]["token"] == tokens["luc"]["token"]
    assert _check(renewed["ana"]["token"]).id == seen["ana"].id
    assert _states(third.stdout) == {"ana": "new"} | {n: "kept" for n in tokens if n != "ana"}


def _states(output: str) -> dict[str, str]:
    """The token state column of the demo-users table: user -> "new" or "kept"."""
    rows = [line.split("│") for line in output.splitlines() if line.startswith("│")]
    return {cells[1].strip(): cells[-2].strip() for cells in rows if len(cells) == 7}
