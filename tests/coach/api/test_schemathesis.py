"""schemathesis against every route of the OpenAPI schema: no 5xx, no schema violation.

Each operation gets a few generated requests (valid and invalid input, seeded so a run is
reproducible), most with the token of a role that may call it, some with another role's or
none; real ids half the time (tests/utils/fuzz.py). The longer run: ``python -m bench.fuzz``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.conftest import _pg_database
from tests.utils.databases import ON_POSTGRESQL
from tests.utils.fuzz import CHECKS, WHO, FuzzWorld, fuzz_world, operations

EXAMPLES = 6  # per operation: ~90 operations, ~15 ms a request


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[FuzzWorld]:
    data = tmp_path_factory.mktemp("fuzz") / "var"
    if not ON_POSTGRESQL:
        with fuzz_world(data) as built:
            yield built
        return
    for url in _pg_database(template=request.getfixturevalue("_pg_migrated_template")):
        with fuzz_world(data, database_url=url) as built:
            yield built


OPERATIONS = operations()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_route_answers_as_documented(method: str, path: str, world: FuzzWorld) -> None:
    operation = world.schema[path][method]

    @given(case=operation.as_strategy(), who=WHO)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case, who: str) -> None:
        case.call_and_validate(headers=world.headers(method, path, who), checks=CHECKS)

    run()


# What the first runs found, each fixed: answers that were not as documented.
FOUND: list[tuple[str, str, dict[str, Any], int]] = [
    ("POST", "/v1/admin/ask/stream", {"body": {"question": "0"}}, 200),  # text/event-stream
    ("GET", "/v1/admin/insights/items.csv", {}, 200),  # text/csv
    ("GET", "/v1/admin/kpis", {"query": {"group_by": "team", "start": "2026-01-02"}}, 422),
    ("POST", "/v1/chat", {"body": {"message": " "}}, 422),  # a text detail, not a list
    ("DELETE", "/v1/me/memory/{memory_id}", {"path_parameters": {"memory_id": "0"}}, 404),
    ("GET", "/v1/admin/settings", {}, 200),  # quiet hours: local times, without an offset
    ("GET", "/v1/quiz-items", {"query": {"offset": 3034964830317699425022186094592}}, 422),
]


@pytest.mark.parametrize(
    ("method", "path", "parts", "status"), FOUND, ids=[f"{m} {p}" for m, p, _, _ in FOUND]
)
def test_what_the_fuzzer_found_is_documented(
    method: str, path: str, parts: dict[str, Any], status: int, world: FuzzWorld
) -> None:
    case = world.schema[path][method].Case(**parts)
    response = case.call_and_validate(headers=world.headers(method, path), checks=CHECKS)
    assert response.status_code == status, response.text
