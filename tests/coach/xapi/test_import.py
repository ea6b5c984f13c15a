"""``blendcoach import xapi``: an LRS export is checked against xAPI 1.0.3 first; one
statement breaking the spec refuses the file, each reason at its statement, nothing kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.coach.test_cli_import import _demo_date, _org_state, _run, _setup

__all__ = ["_demo_date"]  # its autouse fixture plans on the demo's date here too

ITEM = "https://lms.example.com/activities/items/gdpr-basics"
VERB = "http://adlnet.gov/expapi/verbs/"
ANA = {"objectType": "Agent", "account": {"homePage": "https://lms.example.com", "name": "ana"}}


def _completed(n: int, **change: Any) -> dict[str, Any]:
    return {
        "id": f"6f0d3c5e-0000-4000-8000-{n:012d}",
        "actor": ANA,
        "verb": {"id": VERB + "completed", "display": {"en-US": "completed"}},
        "object": {"id": ITEM},
        "result": {"score": {"scaled": 0.8}},
        "timestamp": f"2026-11-0{n}T10:00:00Z",
    } | change


@pytest.mark.slow
def test_statements_breaking_the_spec_refuse_the_export_with_each_reason(
    cli_env: Path, tmp_path: Path
) -> None:
    _setup(tmp_path)
    before = _org_state()[2]
    export = [
        _completed(1),
        _completed(2, result={"score": {"scaled": 1.5}}),
        _completed(3, verb={"id": "completed"}),
        _completed(4, actor=ANA | {"mbox": "mailto:ana@example.com"}),
        _completed(5, id="attempt-5", timestamp="last Tuesday"),
        {"verb": {"id": VERB + "launched"}, "object": {"id": ITEM}},  # a skipped verb too
    ]
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"statements": export}), encoding="utf-8")
    code, out = _run("import", "xapi", str(path), "--org", "northwind")
    assert code == 1, out
    prefix = "export.json:{}: not an xAPI 1.0.3 statement: "
    for n, reason in [
        (2, "result.score.scaled: 1.5 is outside [-1, 1]"),
        (3, "verb.id: 'completed' is not an IRI"),
        (4, "actor: an Agent needs exactly one of mbox"),
        (5, "id: 'attempt-5' is not a UUID"),
        (5, "timestamp: 'last Tuesday' is not an ISO 8601 date and time"),
        (6, "actor: missing (required)"),
    ]:
        assert prefix.format(n) + reason in " ".join(out.split()), (n, reason, out)
    assert "export.json:1:" not in out
    assert _org_state()[2] == before  # not even the valid first statement

    path.write_text(json.dumps([_completed(1), export[5] | {"actor": ANA}]), encoding="utf-8")
    code, out = _run("import", "xapi", str(path), "--org", "northwind")
    assert code == 0, out
    assert _org_state()[2] == before + 1
