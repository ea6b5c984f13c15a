"""A Redis key prefix per test, every key under it deleted afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.utils.redis_keys import key_prefix


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    with key_prefix("bc-test-rl") as prefix:
        yield prefix
