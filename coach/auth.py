"""Signed bearer tokens (JWT, HS256) and their verification against the database.

A token carries ``sub`` (user id), ``org``, ``role``, ``jti``, ``iat`` and ``exp``. It is
accepted only if its signature and expiry hold, its ``jti`` was issued here and not
revoked, its user exists and is enabled, and its ``org`` and ``role`` still match the
user's row: changing a user's role or organisation invalidates their older tokens.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

import jwt
from sqlalchemy.orm import Session

from coach import storage
from coach.settings import Settings
from coach.storage.models import utcnow

ALGORITHM = "HS256"
SECRET_FILE = "secret.key"
REQUIRED_CLAIMS = ("sub", "org", "role", "jti", "exp", "iat")

Reason = Literal["missing token", "expired token", "invalid token", "revoked token"]


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A freshly signed token and the id it can be revoked by."""

    token: str
    jti: str
    expires_at: datetime


class TokenError(Exception):
    """A token that cannot be accepted; ``reason`` is what the client is told."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


def auth_secret(settings: Settings) -> str:
    """The signing key: ``auth.secret`` if set, else the one kept in ``data_dir/secret.key``."""
    if settings.auth.secret is not None:
        return settings.auth.secret.get_secret_value()
    return _stored_secret((settings.data_dir / SECRET_FILE).resolve())


@lru_cache(maxsize=8)
def _stored_secret(path: Path) -> str:
    """Read the key file, creating it (mode 0600) the first time.

    The key is written to a private temporary file and linked into place, so a process
    starting at the same moment sees either no file or the whole key, and the first wins.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_urlsafe(48) + "\n")
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise RuntimeError(f"{path} holds no usable key; delete it to generate a new one")
    return secret


def issue_token(
    session: Session,
    *,
    user: storage.User,
    secret: str,
    days: int = 90,
    label: str = "",
    now: datetime | None = None,
) -> IssuedToken:
    """Record and sign a new token for ``user``, valid ``days`` days from ``now``."""
    issued = (now or utcnow()).replace(microsecond=0)
    expires = issued + timedelta(days=days)
    row = storage.create_token(session, user_id=user.id, expires_at=expires, label=label)
    claims = {
        "sub": user.id,
        "org": user.org_id,
        "role": user.role,
        "jti": row.jti,
        "iat": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
    }
    return IssuedToken(jwt.encode(claims, secret, algorithm=ALGORITHM), row.jti, expires)


def verify_token(session: Session, *, token: str, secret: str) -> storage.Viewer:
    """The user a token speaks for, checked against the database.

    Raises:
        TokenError: with the reason to tell the client.
    """
    if not token:
        raise TokenError("missing token")
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": list(REQUIRED_CLAIMS)}
        )
    except jwt.ExpiredSignatureError as err:
        raise TokenError("expired token") from err
    except jwt.InvalidTokenError as err:
        raise TokenError("invalid token") from err
    row = storage.get_token(session, jti=str(claims["jti"]))
    if row is None or row.user_id != claims["sub"]:
        raise TokenError("invalid token")
    if row.revoked_at is not None:
        raise TokenError("revoked token")
    user = session.get(storage.User, row.user_id)
    if user is None:
        raise TokenError("invalid token")
    if user.disabled:  # a disabled user's tokens are all withdrawn
        raise TokenError("revoked token")
    if claims["org"] != user.org_id or claims["role"] != user.role:
        raise TokenError("invalid token")
    storage.mark_token_used(session, token=row)
    return storage.Viewer.from_user(user)
