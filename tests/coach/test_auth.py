"""Signed tokens: what is accepted, what is refused and why, and where the key lives."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import TokenError, auth_secret, issue_token, verify_token
from coach.settings import AuthSettings, Settings

SECRET = "s" * 40


@pytest.fixture
def session(db_engine: Engine) -> Iterator[Session]:
    with Session(db_engine) as s:
        org = storage.create_organisation(s, slug="northwind")
        storage.create_user(s, org_id=org.id, external_id="ana", display_name="Ana", locale="fr")
        s.commit()
        yield s


def _ana(session: Session) -> storage.User:
    org = storage.get_organisation_by_slug(session, slug="northwind")
    assert org is not None
    user = storage.find_user(session, org_id=org.id, external_id="ana")
    assert user is not None
    return user


def _refused(session: Session, token: str) -> str:
    with pytest.raises(TokenError) as err:
        verify_token(session, token=token, secret=SECRET)
    return err.value.reason


def test_an_issued_token_speaks_for_its_user(session: Session) -> None:
    ana = _ana(session)
    issued = issue_token(session, user=ana, secret=SECRET, days=90)
    viewer = verify_token(session, token=issued.token, secret=SECRET)
    assert viewer == storage.Viewer(ana.id, ana.org_id, "learner", "fr", "Ana")
    claims = jwt.decode(issued.token, SECRET, algorithms=["HS256"])
    assert set(claims) == {"sub", "org", "role", "jti", "iat", "exp"}
    assert claims["exp"] - claims["iat"] == 90 * 86400 and claims["jti"] == issued.jti
    row = storage.get_token(session, jti=issued.jti)
    assert row is not None and row.last_used_at is not None


def test_expired_tokens_are_refused(session: Session) -> None:
    past = datetime.now(UTC) - timedelta(days=2)
    issued = issue_token(session, user=_ana(session), secret=SECRET, days=1, now=past)
    assert _refused(session, issued.token) == "expired token"


def test_forged_and_tampered_tokens_are_refused(session: Session) -> None:
    ana = _ana(session)
    good = issue_token(session, user=ana, secret=SECRET).token
    claims = jwt.decode(good, SECRET, algorithms=["HS256"])
    forged = jwt.encode(claims, "another secret of at least 32 characters", algorithm="HS256")
    header, _, signature = good.split(".")
    elevated = jwt.encode({**claims, "role": "admin"}, SECRET, algorithm="HS256").split(".")[1]
    unsigned = jwt.encode(claims, None, algorithm="none")
    unknown_jti = jwt.encode({**claims, "jti": "never-issued"}, SECRET, algorithm="HS256")
    no_jti = jwt.encode({k: v for k, v in claims.items() if k != "jti"}, SECRET, algorithm="HS256")
    for token in (
        forged,
        f"{header}.{elevated}.{signature}",  # payload swapped under the old signature
        unsigned,
        unknown_jti,
        no_jti,
        "not.a.token",
        "garbage",
    ):
        assert _refused(session, token) == "invalid token", token
    assert _refused(session, "") == "missing token"


def test_claims_must_still_match_the_user(session: Session) -> None:
    ana = _ana(session)
    claims = jwt.decode(
        issue_token(session, user=ana, secret=SECRET).token, SECRET, algorithms=["HS256"]
    )
    # Even signed with the real key, a token cannot claim a role the user does not have.
    promoted = jwt.encode({**claims, "role": "admin"}, SECRET, algorithm="HS256")
    assert _refused(session, promoted) == "invalid token"
    # Changing the user's role withdraws the tokens issued for the old one.
    token = issue_token(session, user=ana, secret=SECRET).token
    ana.role = "admin"
    session.flush()
    assert _refused(session, token) == "invalid token"
    fresh = issue_token(session, user=ana, secret=SECRET).token
    assert verify_token(session, token=fresh, secret=SECRET).role == "admin"


def test_revoked_tokens_and_disabled_users_are_refused(session: Session) -> None:
    ana = _ana(session)
    first = issue_token(session, user=ana, secret=SECRET)
    second = issue_token(session, user=ana, secret=SECRET)
    storage.revoke_token(session, jti=first.jti)
    assert _refused(session, first.token) == "revoked token"
    assert verify_token(session, token=second.token, secret=SECRET).id == ana.id
    with pytest.raises(storage.NotFound):
        storage.revoke_token(session, jti="never-issued")

    storage.set_user_disabled(session, user_id=ana.id, disabled=True)
    assert _refused(session, second.token) == "revoked token"
    storage.set_user_disabled(session, user_id=ana.id, disabled=False)
    assert verify_token(session, token=second.token, secret=SECRET).id == ana.id
    # A deleted user's tokens go with them.
    session.delete(ana)
    session.flush()
    assert _refused(session, second.token) == "invalid token"


def test_the_generated_key_is_private_and_survives_restarts(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]
    key = auth_secret(settings)
    path = tmp_path / "var" / "secret.key"
    assert len(key) >= 32 and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    restarted = Settings(data_dir=tmp_path / "var", _env_file=None)  # type: ignore[call-arg]
    assert auth_secret(restarted) == key
    other = Settings(data_dir=tmp_path / "other", _env_file=None)  # type: ignore[call-arg]
    assert auth_secret(other) != key
    assert list((tmp_path / "var").iterdir()) == [path]  # no temporary file left behind


def test_a_configured_key_wins_and_must_be_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BLENDCOACH_AUTH__SECRET", "k" * 32)
    monkeypatch.setenv("BLENDCOACH_AUTH__TOKEN_DAYS", "7")
    settings = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert auth_secret(settings) == "k" * 32 and settings.auth.token_days == 7
    assert not (tmp_path / "secret.key").exists()
    assert "k" * 32 not in repr(settings)
    with pytest.raises(ValidationError, match="32 characters"):
        AuthSettings.model_validate({"secret": "short"})
