"""Which database the service tests run on: ``BLENDCOACH_TEST_DATABASE=sqlite`` (default, a
file in each test's data directory) or ``postgresql`` (a throwaway copy of a migrated
template per test, on the server of ``BLENDCOACH_TEST_PG``; ``make test-pg``)."""

from __future__ import annotations

import os

SERVICE_DATABASE = os.environ.get("BLENDCOACH_TEST_DATABASE", "sqlite").strip().lower()
if SERVICE_DATABASE not in ("sqlite", "postgresql"):
    raise ValueError(
        f"BLENDCOACH_TEST_DATABASE must be sqlite or postgresql, got {SERVICE_DATABASE!r}"
    )
ON_POSTGRESQL = SERVICE_DATABASE == "postgresql"
