"""Storage errors as HTTP responses: NotFound → 404, Forbidden → 403, AlreadyExists → 409."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from coach.storage import AccessError


async def _access_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AccessError)
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})


def install_error_handlers(app: FastAPI) -> None:
    """Let routes call storage functions directly; their access errors become statuses."""
    app.add_exception_handler(AccessError, _access_error)
