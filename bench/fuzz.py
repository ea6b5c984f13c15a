"""schemathesis against every route of the OpenAPI schema, longer than ``make test`` does.

    python -m bench.fuzz --out bench/results/fuzz.json [--examples 60] [--database-url URL]

The real app (``coach.app.create_app``) on the demo organisation planned and used through
the API (``tests/utils/fuzz.py``: a token per role, real ids for path parameters half the
time); each operation gets ``--examples`` generated requests (valid and invalid input,
seeded: the same run twice gives the same figures), most with the token of a role that may
call it, some with another role's or none. Every response goes through the checks of
``tests.utils.fuzz.CHECKS``; unlike the test, a failure does not stop the run: each is
counted, and the first request of each distinct failure is kept with its curl.

JSON keys:
    database: ``sqlite`` (a file in a temp dir) or ``postgresql`` (``--database-url``, an
        empty database the service migrates).
    examples_per_operation: hypothesis's ``max_examples`` per operation.
    operations: operations in the OpenAPI schema, all tested.
    cases: requests generated and sent (one each).
    server_errors: responses with a 5xx status.
    schema_violations: cases that failed a check other than ``not_a_server_error``
        (undocumented status or content type, a body or headers not as documented, invalid
        input accepted).
    failures_by_check: cases failing each check (a case may fail several).
    statuses: responses per status code.
    by_operation: per operation: ``operation`` ("GET /v1/me"), ``role`` whose token it is
        called with, ``cases``, ``server_errors``, ``schema_violations``, ``statuses``.
    failures: one entry per distinct failure: ``operation``, ``checks``, ``title``,
        ``status``, ``message``, ``curl`` (the token filtered out).
    seconds: wall time of the fuzzing (the setup excluded).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.core.failures import Failure, FailureGroup

from bench.common import print_table, write_json
from tests.utils.fuzz import CHECKS, WHO, FuzzWorld, fuzz_world, role_for

SERVER_CHECK = "not_a_server_error"


def _checks(failure: Failure) -> tuple[str, ...]:
    return tuple(getattr(failure, "checks", ()) or (type(failure).__name__,))


def fuzz_operation(world: FuzzWorld, operation: Any, examples: int) -> dict[str, Any]:
    """Send ``examples`` generated requests to one operation; count what the checks find."""
    method, path = operation.method.upper(), operation.path
    statuses: Counter[str] = Counter()
    by_check: Counter[str] = Counter()
    failures: dict[tuple[str, ...], dict[str, Any]] = {}
    counts = {"cases": 0, "server_errors": 0, "schema_violations": 0}

    @given(case=operation.as_strategy(), who=WHO)
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case, who: str) -> None:
        headers = world.headers(method, path, who)
        counts["cases"] += 1
        try:
            response = case.call(headers=headers)
        except Exception as err:  # the app raised past its handlers: a 500 for a client
            statuses["500"] += 1
            counts["server_errors"] += 1
            by_check[SERVER_CHECK] += 1
            failures.setdefault(
                (f"{method} {path}", SERVER_CHECK, type(err).__name__),
                {
                    "operation": f"{method} {path}",
                    "checks": [SERVER_CHECK],
                    "title": f"{type(err).__name__} raised",
                    "status": 500,
                    "message": str(err)[:2000],
                    "curl": case.as_curl_command(headers=headers)[:4000],
                },
            )
            return
        statuses[str(response.status_code)] += 1
        counts["server_errors"] += response.status_code >= 500
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            found = [f for f in group.exceptions if isinstance(f, Failure)]
            names = {name for f in found for name in _checks(f)}
            by_check.update(names)
            counts["schema_violations"] += bool(names - {SERVER_CHECK})
            for failure in found:
                key = (f"{method} {path}", *_checks(failure), failure.title)
                failures.setdefault(
                    key,
                    {
                        "operation": f"{method} {path}",
                        "checks": list(_checks(failure)),
                        "title": failure.title,
                        "status": response.status_code,
                        "message": failure.message[:2000],
                        "curl": case.as_curl_command(headers=headers)[:4000],
                    },
                )

    run()
    return {
        "operation": f"{method} {path}",
        "role": role_for(method, path),
        **counts,
        "statuses": dict(sorted(statuses.items())),
        "by_check": dict(by_check),
        "failures": list(failures.values()),
    }


def fuzz(world: FuzzWorld, examples: int) -> dict[str, Any]:
    """Every operation of the schema, in its order."""
    rows = []
    started = time.perf_counter()
    for result in world.schema.get_all_operations():
        rows.append(fuzz_operation(world, result.ok(), examples))
    seconds = time.perf_counter() - started
    by_check: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for row in rows:
        by_check.update(row.pop("by_check"))
        statuses.update(row["statuses"])
    return {
        "examples_per_operation": examples,
        "operations": len(rows),
        "cases": sum(r["cases"] for r in rows),
        "server_errors": sum(r["server_errors"] for r in rows),
        "schema_violations": sum(r["schema_violations"] for r in rows),
        "failures_by_check": {c.__name__: by_check.get(c.__name__, 0) for c in CHECKS},
        "statuses": dict(sorted(statuses.items())),
        "by_operation": [{k: v for k, v in r.items() if k != "failures"} for r in rows],
        "failures": [f for r in rows for f in r["failures"]],
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--examples", type=int, default=60, help="per operation")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="blendcoach-fuzz-") as tmp,
        fuzz_world(Path(tmp) / "var", args.database_url) as world,
    ):
        report = fuzz(world, args.examples)
    report = {"database": "postgresql" if args.database_url else "sqlite", **report}
    print_table(
        f"schemathesis: {report['operations']} operations, {args.examples} examples each "
        f"({report['database']}, {report['seconds']} s)",
        ["measure", "value"],
        [
            ["operations tested", report["operations"]],
            ["cases generated", report["cases"]],
            ["5xx responses", report["server_errors"]],
            ["schema violations", report["schema_violations"]],
            *[[f"  failing {name}", n] for name, n in report["failures_by_check"].items()],
        ],
    )
    for failure in report["failures"]:
        print(f"{failure['operation']}: {failure['title']} ({failure['status']})")
    write_json(args.out, report)


if __name__ == "__main__":
    main()
