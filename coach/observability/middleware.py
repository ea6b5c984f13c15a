"""The outermost middleware: a request id, the request's metrics and its access log line.

The id comes from the client's ``X-Request-ID`` when it is a sane token (a proxy or the LMS
may set one to follow a request across services), else a new one; it is returned in the
response's ``X-Request-ID``, kept in ``request.state.request_id`` and in every log line.
An unhandled error becomes a JSON 500 naming the request id (the traceback goes to the
log, not to the client).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coach.observability.logs import request_id
from coach.observability.metrics import UNMATCHED, Metrics

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: logged at debug level only."""

access_log = logging.getLogger("coach.access")
log = logging.getLogger(__name__)


class RequestContextMiddleware:
    """Request id, metrics by route template and one access log line per HTTP request."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics
        self._plain_routes: dict[object, str] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id.set(rid)
        scope.setdefault("state", {})["request_id"] = rid
        header = (HEADER.lower().encode(), rid.encode())
        status = 500
        started_response = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, started_response
            if message["type"] == "http.response.start":
                status = message["status"]
                started_response = True
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        metrics = self.metrics
        metrics.http_in_progress.inc()
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if not started_response:
                body = {"detail": "internal error", "request_id": rid}
                await JSONResponse(body, status_code=500)(scope, receive, send_with_id)
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.http_in_progress.dec()
            route = self._route(scope)
            method = scope["method"]
            metrics.http_requests.labels(method, route, str(status)).inc()
            metrics.http_seconds.labels(method, route).observe(seconds)
            _log_access(scope, route, status, seconds)
            request_id.reset(token)

    def _route(self, scope: Scope) -> str:
        """The matched route's template; FastAPI names its API routes in the scope, the
        plain ones (``/openapi.json``, ``/docs``) are found by their endpoint."""
        path = getattr(scope.get("route"), "path", None)
        if isinstance(path, str):
            return path
        endpoint = scope.get("endpoint")
        if endpoint is None:
            return UNMATCHED
        if self._plain_routes is None:
            routes = getattr(scope.get("app"), "routes", ())
            self._plain_routes = {
                getattr(r, "endpoint", None): r.path for r in routes if hasattr(r, "path")
            }
        return self._plain_routes.get(endpoint, UNMATCHED)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _VALID_ID.fullmatch(text) else None
    return None


def _log_access(scope: Scope, route: str, status: int, seconds: float) -> None:
    level = logging.DEBUG if scope["path"] in QUIET_PATHS else logging.INFO
    if not access_log.isEnabledFor(level):
        return
    state: dict[str, Any] = scope.get("state", {})
    extra = {
        "method": scope["method"],
        "path": scope["path"],
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
    }
    for key in ("user_id", "org_id"):
        if key in state:
            extra[key] = state[key]
    access_log.log(level, "%s %s %s", scope["method"], scope["path"], status, extra=extra)
