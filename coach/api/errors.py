"""Errors as HTTP responses: storage's NotFound → 404, Forbidden → 403, AlreadyExists → 409,
a value the database refuses (a NUL byte in a text on PostgreSQL) → 422, and a database
that cannot serve (down, restarting, unreachable) → 503."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from coach.api.error_docs import install_error_docs
from coach.db import UNAVAILABLE, unavailable_reason
from coach.storage import AccessError

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5
"""What a 503 for an unavailable database tells clients to wait before trying again."""


async def _access_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccessError)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # Not acknowledged: the request's open transaction is rolled back. (A connection lost
    # during COMMIT leaves its outcome unknown, hence "did not complete", not "not saved".)
    # One line in the log, no traceback: while the database is down every request says it.
    log.warning("database unavailable: %s", str(exc).strip().splitlines()[0][:300])
    body = {
        "detail": f"{unavailable_reason(exc)}; the request did not complete, try again shortly",
        "reason": "database_unavailable",
        "request_id": getattr(request.state, "request_id", None),
    }
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})


async def _unstorable_value(request: Request, exc: Exception) -> JSONResponse:
    # PostgreSQL refuses some values the schema lets through (a NUL byte in a text, a number
    # past BIGINT): the client's input, so a 422 with the database's reason (no SQL), and
    # the transaction rolled back. Logged, in case a value of our own ever causes one.
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:200]
    log.warning(
        "value refused by the database in %s %s: %s", request.method, request.url.path, reason
    )
    return JSONResponse({"detail": f"a value in the request cannot be stored: {reason}"}, 422)


def install_error_handlers(app: FastAPI) -> None:
    """Let routes call storage functions directly; their errors become statuses (and every
    route's error answers are documented in the OpenAPI schema)."""
    app.add_exception_handler(AccessError, _access_error)
    app.add_exception_handler(DataError, _unstorable_value)
    install_error_docs(app)
    for kind in UNAVAILABLE:
        app.add_exception_handler(kind, _database_unavailable)
