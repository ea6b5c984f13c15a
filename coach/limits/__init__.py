"""Limits: per-user and per-organisation request rates, request body sizes.

- :mod:`~coach.limits.window`: sliding-window counters, in-process or in Redis.
- :mod:`~coach.limits.limiter`: :class:`RateLimiter`, keyed from the bearer token.
- :mod:`~coach.limits.http`: the app-wide dependency (429) and the body limit (413).
"""

from coach.limits.limiter import Exceeded, Identity, RateLimiter
from coach.limits.window import InProcessStore, RedisStore, WindowStore

__all__ = ["Exceeded", "Identity", "InProcessStore", "RateLimiter", "RedisStore", "WindowStore"]
