"""Fault tests: the real service against real engines, broken on purpose while it runs.

The service runs under uvicorn in a thread (``serve``) or as ``blendcoach serve`` in a
subprocess (``tests/faults/proc.py``), always on a free port of 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn

from coach.app import create_app
from coach.services import Services
from tests.browser.live import listen, wait_until
from tests.faults.pgcluster import Cluster, unavailable


@contextmanager
def serve(services: Services) -> Iterator[str]:
    """The app on ``services`` under uvicorn in a thread; yields its base URL."""
    sock = listen()
    host, port = sock.getsockname()
    config = uvicorn.Config(create_app(services=services), log_level="critical", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the app")
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def pg_cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster of this test's own, started (never the shared 5432)."""
    reason = unavailable()
    if reason is not None:
        pytest.skip(f"cannot run a throwaway PostgreSQL cluster: {reason}")
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.close()
