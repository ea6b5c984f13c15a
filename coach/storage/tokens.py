"""Issued API tokens, by JWT id: recorded when issued, checked on every request, revocable.

The signed token itself is made and verified in :mod:`coach.auth`; this module only keeps
the rows that make a token revocable.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.storage.access import NotFound
from coach.storage.models import ApiToken, new_id, utcnow

# Recording every request's use would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_token(
    session: Session, *, user_id: str, expires_at: datetime, label: str = ""
) -> ApiToken:
    """Record a new token for ``user_id``; its ``jti`` goes into the signed token."""
    token = ApiToken(jti=new_id(), user_id=user_id, label=label[:200], expires_at=expires_at)
    session.add(token)
    session.flush()
    return token


def get_token(session: Session, *, jti: str) -> ApiToken | None:
    """The token with this JWT id, or ``None``."""
    return session.get(ApiToken, jti)


def list_tokens(session: Session, *, user_id: str) -> list[ApiToken]:
    """A user's tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user_id)
    return list(session.scalars(query.order_by(ApiToken.created_at.desc())))


def revoke_token(session: Session, *, jti: str, now: datetime | None = None) -> ApiToken:
    """Refuse this token from now on (revoking twice keeps the first time).

    Raises:
        NotFound: no token has this id.
    """
    token = get_token(session, jti=jti)
    if token is None:
        raise NotFound("token not found")
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.flush()
    return token


def mark_token_used(session: Session, *, token: ApiToken, now: datetime | None = None) -> None:
    """Note that the token was just used (at most once per :data:`LAST_USED_RESOLUTION`)."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
