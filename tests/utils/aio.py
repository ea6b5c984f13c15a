"""Run a coroutine to completion from a synchronous test, whatever loop this thread runs."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own.

    The browser tests keep Playwright's sync API alive for the session, and it runs an event
    loop in the main thread: ``asyncio.run`` there refuses ("cannot be called from a running
    event loop") and leaves the coroutine never awaited. A fresh thread has no loop.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
