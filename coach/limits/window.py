"""Sliding-window request counters, in-process or in Redis, checked and counted atomically.

Each key counts requests in fixed windows of ``window_s`` seconds; a request is allowed when
the previous window's count, weighted by how much of it still overlaps the sliding window,
plus the current window's count stays under the limit (Cloudflare's approximation of a
sliding log: two integers per key, no burst of twice the limit at a window boundary).
Several keys (the user's and the organisation's) are checked together and counted only if
all allow the request, so a refused request uses up nobody's budget.
"""

from __future__ import annotations

import math
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis


@dataclass(frozen=True, slots=True)
class Refusal:
    """The first key whose limit refused the request, and its two window counts."""

    index: int
    current: int
    previous: int


@dataclass(frozen=True, slots=True)
class Window:
    """Where ``now`` falls: the window's number and how far into it (0 to 1)."""

    number: int
    elapsed: float

    @classmethod
    def at(cls, now: float, window_s: int) -> Window:
        number = int(now // window_s)
        return cls(number, (now - number * window_s) / window_s)


def retry_after(refusal: Refusal, limit: int, window: Window, window_s: int) -> int:
    """Whole seconds until one more request fits under ``limit`` if none is made meanwhile."""
    room = limit - 1  # the estimate must drop to this for the next request to fit
    if refusal.current <= room and refusal.previous > 0:
        # Later in this window: previous * (1 - f) + current <= room.
        fraction = 1 - (room - refusal.current) / refusal.previous
        wait = (fraction - window.elapsed) * window_s
    else:
        # Next window: this window's count becomes the weighted one.
        fraction = 1 - room / refusal.current if refusal.current else 0.0
        wait = (1 - window.elapsed + max(fraction, 0.0)) * window_s
    return max(1, math.ceil(wait))


class WindowStore(ABC):
    """Two counts per key (this window, the previous one), checked and counted together."""

    @abstractmethod
    async def hit(
        self, keys: Sequence[str], limits: Sequence[int], window: Window
    ) -> Refusal | None:
        """Count one request on every key if each stays within its limit, else refuse."""

    async def close(self) -> None:  # noqa: B027 - most stores hold nothing to release
        """Release connections."""


class InProcessStore(WindowStore):
    """Counters in this process's memory (one worker; each worker would count apart)."""

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, int, int]] = {}  # key: (window, current, previous)
        self._lock = threading.Lock()
        self._swept = 0

    def _read(self, key: str, number: int) -> tuple[int, int]:
        window, current, previous = self._counts.get(key, (number, 0, 0))
        if window == number:
            return current, previous
        return 0, (current if window == number - 1 else 0)

    async def hit(
        self, keys: Sequence[str], limits: Sequence[int], window: Window
    ) -> Refusal | None:
        weight = 1 - window.elapsed
        with self._lock:
            if window.number > self._swept + 1:
                self._sweep(window.number)
            counts = [self._read(key, window.number) for key in keys]
            for i, ((current, previous), limit) in enumerate(zip(counts, limits, strict=True)):
                if previous * weight + current + 1 > limit:
                    return Refusal(i, current, previous)
            for key, (current, previous) in zip(keys, counts, strict=True):
                self._counts[key] = (window.number, current + 1, previous)
        return None

    def _sweep(self, number: int) -> None:
        """Forget keys idle for two windows (their counts can no longer matter)."""
        self._counts = {k: v for k, v in self._counts.items() if v[0] >= number - 1}
        self._swept = number


# KEYS: current and previous window of each limit, in pairs. ARGV: weight, ttl, limits.
_SCRIPT = """
local weight = tonumber(ARGV[1])
local n = #KEYS / 2
for i = 1, n do
  local current = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local previous = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  if previous * weight + current + 1 > tonumber(ARGV[2 + i]) then
    return {i, current, previous}
  end
end
for i = 1, n do
  redis.call('INCR', KEYS[2 * i - 1])
  redis.call('EXPIRE', KEYS[2 * i - 1], tonumber(ARGV[2]))
end
return {0, 0, 0}
"""


class RedisStore(WindowStore):
    """Counters in Redis, shared by every worker and machine (one Lua script per request)."""

    def __init__(self, redis: Redis, *, prefix: str, window_s: int) -> None:
        self.redis = redis
        self.prefix = prefix
        self.window_s = window_s
        self._script = redis.register_script(_SCRIPT)

    @classmethod
    def from_url(cls, url: str, *, prefix: str, window_s: int, timeout_s: float) -> RedisStore:
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
        return cls(client, prefix=prefix, window_s=window_s)

    async def hit(
        self, keys: Sequence[str], limits: Sequence[int], window: Window
    ) -> Refusal | None:
        names: list[str] = []
        for key in keys:
            names += [
                f"{self.prefix}:{key}:{window.number}",
                f"{self.prefix}:{key}:{window.number - 1}",
            ]
        args = [repr(1 - window.elapsed), 2 * self.window_s + 1, *limits]
        index, current, previous = await self._script(keys=names, args=args)
        if not index:
            return None
        return Refusal(int(index) - 1, int(current), int(previous))

    async def close(self) -> None:
        await self.redis.aclose()
