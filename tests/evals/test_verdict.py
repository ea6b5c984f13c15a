"""Verdict combination and the thresholds file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from evals.verdict import Assessment, CheckResult, combine, load_thresholds, verdict_of


def _r(name: str, verdict: str, score: float = 0.5) -> CheckResult:
    return CheckResult(name, score, verdict, (f"{name} says {verdict}",))  # type: ignore[arg-type]


def test_the_worst_verdict_wins_and_reasons_come_from_failing_checks() -> None:
    a = combine(
        [_r("grounding", "pass", 1.0), _r("relevance", "revise"), _r("citations", "block", 0.1)]
    )
    assert a.verdict == "block"
    assert a.reasons == ("relevance: relevance says revise", "citations: citations says block")
    assert a.scores == {"grounding": 1.0, "relevance": 0.5, "citations": 0.1}
    assert combine([_r("a", "pass"), _r("b", "revise")]).verdict == "revise"
    assert combine([]).verdict == "pass"


def test_several_revisions_can_make_a_block_when_configured() -> None:
    checks = [_r("a", "revise"), _r("b", "revise"), _r("c", "pass")]
    assert combine(checks).verdict == "revise"
    assert combine(checks, revises_to_block=2).verdict == "block"


def test_assessment_is_json_able() -> None:
    a = Assessment("pass", (CheckResult("grounding", 0.9, "pass", (), {"support": [0.9]}),))
    data = json.loads(json.dumps(a.to_dict()))
    assert data["verdict"] == "pass"
    assert data["checks"][0]["details"] == {"support": [0.9]}


def test_verdict_of_applies_block_then_revise() -> None:
    assert verdict_of(0.2, revise=0.8, block=0.5) == "block"
    assert verdict_of(0.6, revise=0.8, block=0.5) == "revise"
    assert verdict_of(0.8, revise=0.8, block=0.5) == "pass"


def test_the_shipped_thresholds_load() -> None:
    t = load_thresholds()
    assert 0 <= t.grounding.block <= t.grounding.revise <= 1
    assert isinstance(t.suite, dict)


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "thresholds.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_a_bad_thresholds_file_names_the_bad_keys(tmp_path: Path) -> None:
    data = load_thresholds().model_dump()
    data["grounding"]["typo_key"] = 1
    with pytest.raises(ValueError, match=r"grounding\.typo_key"):
        load_thresholds(_write(tmp_path, data))
    del data["grounding"]["typo_key"]
    data["relevance"]["block"] = 2
    with pytest.raises(ValueError, match=r"relevance\.block"):
        load_thresholds(_write(tmp_path, data))
    data["relevance"]["block"] = 0.9  # above its revise threshold
    with pytest.raises(ValueError, match="must not exceed revise"):
        load_thresholds(_write(tmp_path, data))
    del data["citations"]
    with pytest.raises(ValueError, match="citations: Field required"):
        load_thresholds(_write(tmp_path, data))


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("grounding: [unclosed")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_thresholds(bad)
    bad.write_text("- a list\n")
    with pytest.raises(ValueError, match="expected a mapping"):
        load_thresholds(bad)
