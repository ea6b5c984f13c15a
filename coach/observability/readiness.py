"""Readiness: can this process serve learners now? Each dependency checked within a limit.

Checks run at once in worker threads; one that does not answer within ``timeout_s`` fails
as a timeout (its thread finishes in the background: the database and Redis clients have
their own connect timeouts).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, text

if TYPE_CHECKING:
    from redis import Redis

    from coach.llm.base import ChatModel

Check = Callable[[], None]
"""Returns when the dependency is fine, raises with the reason otherwise."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One check's result."""

    ok: bool
    ms: float
    error: str | None = None
    required: bool = True

    def public(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": self.ok, "ms": self.ms}
        if self.error is not None:
            out["error"] = self.error
        if not self.required:
            out["required"] = False
        return out


@dataclass(frozen=True, slots=True)
class Readiness:
    """Every check's outcome; ready when every required one passed."""

    checks: Mapping[str, Outcome] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        return [name for name, o in self.checks.items() if o.required and not o.ok]

    @property
    def ready(self) -> bool:
        return not self.failed

    def public(self) -> dict[str, Any]:
        return {
            "status": "ready" if self.ready else "unavailable",
            "failed": self.failed,
            "checks": {name: o.public() for name, o in self.checks.items()},
        }


def database(engine: Engine) -> Check:
    """``SELECT 1`` on a pooled connection."""

    def check() -> None:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    return check


def index(count: Callable[[], int]) -> Check:
    """The vector index answers a count."""

    def check() -> None:
        count()

    return check


def writable(problem: Callable[[], str | None]) -> Check:
    """The embedded index's directory can be written (ingest and erasure need it; searches
    work without it, so the check is reported without deciding readiness)."""

    def check() -> None:
        found = problem()
        if found is not None:
            raise OSError(f"read-only, searches still work: {found}")

    return check


@dataclass(frozen=True, slots=True)
class Probe:
    """The app's checks, how long each may take, and those reported without deciding."""

    checks: Mapping[str, Check]
    timeout_s: float
    optional: frozenset[str] = frozenset()

    async def run(self) -> Readiness:
        return await run_checks(self.checks, timeout_s=self.timeout_s, optional=self.optional)


async def run_checks(
    checks: Mapping[str, Check], *, timeout_s: float, optional: frozenset[str] = frozenset()
) -> Readiness:
    """Run every check concurrently, each within ``timeout_s``; ``optional`` ones are
    reported without deciding readiness."""
    names = list(checks)
    outcomes = await asyncio.gather(*(_timed(checks[n], timeout_s) for n in names))
    return Readiness(
        {
            name: Outcome(o.ok, o.ms, o.error, required=name not in optional)
            for name, o in zip(names, outcomes, strict=True)
        }
    )


async def _timed(check: Check, timeout_s: float) -> Outcome:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(asyncio.to_thread(check), timeout_s)
    except TimeoutError:
        return Outcome(False, _ms(started), f"no answer within {timeout_s:g} s")
    except Exception as exc:
        return Outcome(False, _ms(started), _reason(exc))
    return Outcome(True, _ms(started))


def _reason(exc: Exception) -> str:
    """The error's type and first line, short (no traceback, no query text)."""
    first = (str(exc).strip().splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}"[:200]


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def llm(model: ChatModel, timeout_s: float) -> Check:
    """The chat endpoint answers (``GET /models``; fails at once while its circuit is open)."""

    def check() -> None:
        model.ping(timeout_s)

    return check


def redis(client: Redis) -> Check:
    """Redis answers ``PING`` (rate-limit counters and the nudge job queue live there)."""

    def check() -> None:
        client.ping()

    return check
