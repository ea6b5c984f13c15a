"""Rate limits per user and per organisation, keyed from the request's bearer token.

The token's signature is checked here (HS256, no database) so nobody can spend another
user's budget with a forged token; whether the token is revoked is the route's business.
Requests without a valid token are not counted: they are refused with 401 at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import jwt

from coach.limits.window import Window, WindowStore, retry_after
from coach.settings import LimitSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Identity:
    """Whom a request counts against."""

    user_id: str
    org_id: str


@dataclass(frozen=True, slots=True)
class Exceeded:
    """A refused request: which limit, its size, and when to try again."""

    scope: str
    limit: int
    window_s: int
    retry_after_s: int

    @property
    def reason(self) -> str:
        who = "user" if self.scope == "user" else "organisation"
        return (
            f"rate limit exceeded: at most {self.limit} requests per {self.window_s} s per "
            f"{who}; retry in {self.retry_after_s} s"
        )


class RateLimiter:
    """Checks and counts requests against the per-user and per-organisation limits.

    Args:
        store: where the counters live (in-process or Redis).
        settings: the limits and their window.
        secret: the key tokens are signed with.
        clock: wall-clock seconds (windows must agree across processes sharing Redis).
        on_error: called when the store fails (a metric); the request is let through.
    """

    warn_every_s = 60.0
    """A store that is down is logged at most this often, not once per request."""

    def __init__(
        self,
        store: WindowStore,
        settings: LimitSettings,
        *,
        secret: str,
        clock: Callable[[], float] = time.time,
        on_error: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.secret = secret
        self.clock = clock
        self.on_error = on_error
        self._warned_at: float | None = None

    def identify(self, authorization: str | None) -> Identity | None:
        """The user and organisation a ``Bearer`` token was signed for (None: no valid one)."""
        if not authorization or authorization[:7].lower() != "bearer ":
            return None
        try:
            claims = jwt.decode(
                authorization[7:].strip(),
                self.secret,
                algorithms=["HS256"],
                options={"require": ["sub", "org"]},
            )
        except jwt.InvalidTokenError:
            return None
        return Identity(str(claims["sub"]), str(claims["org"]))

    async def check(self, who: Identity) -> Exceeded | None:
        """Count a request by ``who``; the limit it exceeds, if any (it is then not counted).

        When the store fails (Redis down or slower than its timeout) the request is let
        through and the failure logged: a broken limiter must not take the service down.
        """
        s = self.settings
        limits = [(scope, key, n) for scope, key, n in self._limits(who) if n > 0]
        if not limits:
            return None
        window = Window.at(self.clock(), s.window_s)
        try:
            refusal = await self.store.hit(
                [f"{scope}:{key}" for scope, key, _ in limits], [n for *_, n in limits], window
            )
        except Exception as exc:
            self._failed(exc)
            return None
        if refusal is None:
            return None
        scope, _, limit = limits[refusal.index]
        return Exceeded(scope, limit, s.window_s, retry_after(refusal, limit, window, s.window_s))

    def _limits(self, who: Identity) -> list[tuple[str, str, int]]:
        return [
            ("user", who.user_id, self.settings.per_user),
            ("org", who.org_id, self.settings.per_org),
        ]

    def _failed(self, exc: Exception) -> None:
        if self.on_error is not None:
            self.on_error()
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= self.warn_every_s:
            self._warned_at = now
            log.warning(
                "rate limits not checked, requests let through: %s: %s", type(exc).__name__, exc
            )

    async def close(self) -> None:
        await self.store.close()
