"""The limits at the HTTP edge: the rate-limit dependency and the request body limit."""

from __future__ import annotations

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coach.limits.limiter import RateLimiter
from coach.observability.metrics import Metrics


async def enforce_rate_limit(request: Request) -> None:
    """Count the request against its user's and organisation's limits; 429 past them.

    An app-wide dependency: it runs after routing (metrics keep the route) and before the
    route's own dependencies, so a refused request costs no database work.
    """
    limiter: RateLimiter | None = getattr(request.app.state, "limiter", None)
    if limiter is None:
        return
    who = limiter.identify(request.headers.get("authorization"))
    if who is None:
        return  # no valid token: the route answers 401
    request.state.user_id, request.state.org_id = who.user_id, who.org_id
    exceeded = await limiter.check(who)
    if exceeded is None:
        return
    metrics: Metrics | None = getattr(request.app.state, "metrics", None)
    if metrics is not None:
        metrics.rate_limited.labels(exceeded.scope).inc()
    raise HTTPException(
        status_code=429,
        detail=exceeded.reason,
        headers={"Retry-After": str(exceeded.retry_after_s)},
    )


class BodyTooLarge(HTTPException):
    """Raised while the body is read; FastAPI turns it into a JSON 413."""

    def __init__(self, limit: int, declared: int | None = None) -> None:
        size = f" ({declared} bytes)" if declared is not None else ""
        super().__init__(
            status_code=413, detail=f"request body too large{size}: the limit is {limit} bytes"
        )


class BodyLimitMiddleware:
    """Refuse bodies over ``max_bytes`` with a JSON 413 before they are read whole.

    A declared ``Content-Length`` over the limit is refused on the first read, without
    reading anything; a chunked body is counted as it arrives. Nothing is stored: the body
    is read before the route runs.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        declared = _content_length(scope)
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit, declared)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except BodyTooLarge as exc:
            # Read outside a route (FastAPI handles those inside): answer here if we still can.
            if started:
                raise
            response = JSONResponse({"detail": exc.detail}, status_code=413)
            await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
