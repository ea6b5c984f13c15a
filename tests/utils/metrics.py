"""Read an app's ``/metrics`` in tests."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families


def samples(client: TestClient, name: str) -> list[tuple[dict[str, str], float]]:
    """The samples called ``name`` on ``/metrics``, as (labels, value)."""
    resp = client.get("/metrics")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/plain")
    return [
        (s.labels, s.value)
        for family in text_string_to_metric_families(resp.text)
        for s in family.samples
        if s.name == name
    ]


def value(client: TestClient, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels``."""
    return sum(v for got, v in samples(client, name) if labels.items() <= got.items())
