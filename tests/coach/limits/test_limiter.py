"""The rate limiter: whom a token counts against, the reason it gives, and a store that
fails letting requests through."""

from __future__ import annotations

import time
from collections.abc import Sequence

import jwt

from coach.limits import Identity, InProcessStore, RateLimiter, WindowStore
from coach.limits.window import Refusal, Window
from coach.settings import LimitSettings
from tests.utils.aio import run

SECRET = "s" * 40


def token(secret: str = SECRET, **claims: object) -> str:
    base = {"sub": "u1", "org": "o1", "exp": int(time.time()) + 60}
    return "Bearer " + jwt.encode({**base, **claims}, secret, algorithm="HS256")


def limiter(store: WindowStore | None = None, **limits: int) -> RateLimiter:
    return RateLimiter(
        store or InProcessStore(), LimitSettings(**limits), secret=SECRET, clock=lambda: 6000.0
    )


def test_a_signed_token_names_its_user_and_organisation() -> None:
    rl = limiter()
    assert rl.identify(token()) == Identity("u1", "o1")
    assert rl.identify(token().replace("Bearer", "bearer")) == Identity("u1", "o1")


def test_forged_expired_and_missing_tokens_count_against_nobody() -> None:
    rl = limiter()
    assert rl.identify(token(secret="x" * 40)) is None  # someone else's budget stays theirs
    assert rl.identify(token(exp=int(time.time()) - 10)) is None
    assert rl.identify(None) is None and rl.identify("Basic abc") is None
    assert rl.identify("Bearer not-a-jwt") is None


def test_the_refusal_says_which_limit_and_when_to_retry() -> None:
    rl = limiter(per_user=2, per_org=100, window_s=60)
    who = Identity("u1", "o1")
    assert run(rl.check(who)) is None and run(rl.check(who)) is None
    exceeded = run(rl.check(who))
    assert exceeded is not None and (exceeded.scope, exceeded.limit) == ("user", 2)
    # 6000 s starts a window: the rest of it, then half the next (2 * 0.5 + 1 fits in 2).
    assert exceeded.retry_after_s == 90
    assert exceeded.reason == (
        "rate limit exceeded: at most 2 requests per 60 s per user; retry in 90 s"
    )


def test_a_zero_limit_is_no_limit() -> None:
    rl = limiter(per_user=0, per_org=1)
    assert run(rl.check(Identity("u1", "o1"))) is None
    assert run(rl.check(Identity("u2", "o2"))) is None
    refused = run(rl.check(Identity("u3", "o1")))
    assert refused is not None and refused.scope == "org"
    assert "per organisation" in refused.reason


class BrokenStore(WindowStore):
    async def hit(
        self, keys: Sequence[str], limits: Sequence[int], window: Window
    ) -> Refusal | None:
        raise ConnectionError("redis is down")


def test_a_broken_store_lets_requests_through_and_says_so() -> None:
    errors: list[int] = []
    rl = RateLimiter(
        BrokenStore(), LimitSettings(per_user=1), secret=SECRET, on_error=lambda: errors.append(1)
    )
    for _ in range(3):
        assert run(rl.check(Identity("u1", "o1"))) is None
    assert len(errors) == 3
