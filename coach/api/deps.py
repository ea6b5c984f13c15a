"""Typed dependencies handed to routes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from coach import storage
from coach.auth import TokenError, auth_secret, verify_token
from coach.conversation.engine import ChatEngine
from coach.services import Services
from retrieval.search import Retriever


def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def get_retriever(request: Request) -> Retriever:
    return request.app.state.retriever  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]
RetrieverDep = Annotated[Retriever, Depends(get_retriever)]


def get_chat(request: Request) -> ChatEngine:
    return request.app.state.chat  # type: ignore[no-any-return]


ChatDep = Annotated[ChatEngine, Depends(get_chat)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A session per request: committed when the route succeeds, rolled back when it raises."""
    with Session(services.engine) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


# scope="function": the commit happens before the response is sent, so a client never
# sees a success whose write was then lost.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

bearer = HTTPBearer(auto_error=False, description="A token from `blendcoach users add`")


def get_current_user(
    services: ServicesDep,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> storage.Viewer:
    """The user the ``Authorization: Bearer`` token speaks for (401 with the reason if none)."""
    try:
        if credentials is None:
            raise TokenError("missing token")
        viewer = verify_token(
            session, token=credentials.credentials, secret=auth_secret(services.settings)
        )
    except TokenError as err:
        challenge = "Bearer" if err.reason == "missing token" else 'Bearer error="invalid_token"'
        raise HTTPException(
            status_code=401, detail=err.reason, headers={"WWW-Authenticate": challenge}
        ) from err
    # End the token check's transaction now (its last-used mark included): it gives the
    # connection back to the pool. Most routes then work in sessions of their own; a request
    # holding this one meanwhile needs two connections at once, and under load (bench.load,
    # 50 users) every pooled connection was held by a request waiting for a second one:
    # nothing moved until the pool timeout. The route's own work in this session starts a
    # new transaction, committed or rolled back as before.
    session.commit()
    return viewer


CurrentUser = Annotated[storage.Viewer, Depends(get_current_user)]


def require_role(*roles: storage.Role) -> Callable[[storage.Viewer], storage.Viewer]:
    """A dependency that lets through only users with one of ``roles`` (403 otherwise).

    Use as ``user: Annotated[Viewer, Depends(require_role("admin"))]``.
    """

    def check(user: CurrentUser) -> storage.Viewer:
        if user.role not in roles:
            raise HTTPException(status_code=403, detail=f"this needs the {' or '.join(roles)} role")
        return user

    return check
