"""Sliding-window counters: the same contract in-process and in Redis, and the wait told
to a refused client."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from redis import Redis

from coach.limits.window import (
    InProcessStore,
    RedisStore,
    Refusal,
    Window,
    WindowStore,
    retry_after,
)
from tests.utils.aio import run
from tests.utils.redis_keys import REDIS_URL

WINDOW_S = 60
Hits = Callable[[Sequence[str], Sequence[int], float], "Refusal | None"]


def _runner(make: Callable[[], WindowStore]) -> Hits:
    """``hit`` as a plain function: a store per call, on a fresh event loop, closed after."""

    def hit(keys: Sequence[str], limits: Sequence[int], now: float) -> Refusal | None:
        async def once() -> Refusal | None:
            store = make()
            try:
                return await store.hit(keys, limits, Window.at(now, WINDOW_S))
            finally:
                await store.close()

        return run(once())

    return hit


@pytest.fixture(params=["in-process", "redis"])
def hit(request: pytest.FixtureRequest) -> Hits:
    if request.param == "in-process":
        store = InProcessStore()  # one store for the test: its memory is the state
        return _runner(lambda: store)
    prefix = request.getfixturevalue("redis_prefix")
    return _runner(
        lambda: RedisStore.from_url(REDIS_URL, prefix=prefix, window_s=WINDOW_S, timeout_s=1.0)
    )


def test_allows_up_to_the_limit_then_refuses(hit: Hits) -> None:
    now = 6000.0  # the start of window 100
    assert [hit(["user:a"], [3], now + i) for i in range(3)] == [None, None, None]
    assert hit(["user:a"], [3], now + 3) == Refusal(0, 3, 0)
    assert hit(["user:b"], [3], now + 3) is None  # another key has its own budget


def test_a_refused_request_counts_against_no_key(hit: Hits) -> None:
    now = 6000.0
    keys = ["user:a", "org:n"]
    assert hit(keys, [5, 2], now) is None and hit(keys, [5, 2], now + 1) is None
    assert hit(keys, [5, 2], now + 2) == Refusal(1, 2, 0)  # the organisation's limit
    # The user's count stayed at 2: with a roomier organisation, three more fit.
    assert [hit(keys, [5, 10], now + 3) for _ in range(3)] == [None, None, None]
    assert hit(keys, [5, 10], now + 4) == Refusal(0, 5, 0)


def test_the_previous_window_weighs_what_still_overlaps(hit: Hits) -> None:
    start = 6000.0
    for i in range(4):
        assert hit(["user:a"], [4], start + i) is None
    # A tenth into the next window: 4 * 0.9 = 3.6 in the sliding window, no room.
    assert hit(["user:a"], [4], start + 66) == Refusal(0, 0, 4)
    # Halfway: 4 * 0.5 = 2, so one more fits (2 + 1 = 3), and another (2 + 2 = 4)...
    assert hit(["user:a"], [4], start + 90) is None
    assert hit(["user:a"], [4], start + 90) is None
    assert hit(["user:a"], [4], start + 90) == Refusal(0, 2, 4)
    # Two windows on, the first no longer counts at all.
    assert hit(["user:a"], [4], start + 180) is None


def test_redis_counters_expire(redis_prefix: str) -> None:
    hit = _runner(
        lambda: RedisStore.from_url(REDIS_URL, prefix=redis_prefix, window_s=WINDOW_S, timeout_s=1)
    )
    hit(["user:a"], [3], 6000.0)
    redis = Redis.from_url(REDIS_URL)
    try:
        (key,) = redis.scan_iter(f"{redis_prefix}:*")
        assert key.decode() == f"{redis_prefix}:user:a:100"
        assert 0 < redis.ttl(key) <= 2 * WINDOW_S + 1
    finally:
        redis.close()


@pytest.mark.parametrize(
    ("refusal", "limit", "elapsed", "expected"),
    [
        # This window is full: wait for the next, then for the weighted count to drop.
        (Refusal(0, 3, 0), 3, 0.5, 30 + 20),
        # Only the previous window's weight is in the way: a little later in this one.
        (Refusal(0, 0, 4), 4, 0.1, 9),  # 4 * 0.75 = 3 at a quarter
        (Refusal(0, 2, 4), 4, 0.5, 15),
        (Refusal(0, 0, 4), 4, 0.249, 1),  # never less than a second
    ],
)
def test_retry_after_is_when_one_more_request_fits(
    refusal: Refusal, limit: int, elapsed: float, expected: int
) -> None:
    assert retry_after(refusal, limit, Window(100, elapsed), WINDOW_S) == expected


def test_retry_after_is_right_by_the_counters_themselves() -> None:
    store, start = InProcessStore(), 6000.0
    run = _runner(lambda: store)
    for i in range(5):
        run(["user:a"], [5], start + 40 + i)  # late in window 100
    refused = run(["user:a"], [5], start + 50)
    assert refused is not None
    wait = retry_after(refused, 5, Window.at(start + 50, WINDOW_S), WINDOW_S)
    assert run(["user:a"], [5], start + 50 + wait - 1) is not None
    assert run(["user:a"], [5], start + 50 + wait) is None
