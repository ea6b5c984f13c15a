"""The test Redis (database 9 by default) and a key prefix per test, cleaned up after."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis

REDIS_URL = os.environ.get("BLENDCOACH_TEST_REDIS", "redis://127.0.0.1:6379/9")


@contextmanager
def key_prefix(name: str = "bc-test") -> Iterator[str]:
    """A fresh prefix; every key under it is deleted on exit."""
    prefix = f"{name}-{uuid.uuid4().hex[:10]}"
    try:
        yield prefix
    finally:
        redis = Redis.from_url(REDIS_URL)
        try:
            for key in redis.scan_iter(f"{prefix}:*"):
                redis.delete(key)
        finally:
            redis.close()
