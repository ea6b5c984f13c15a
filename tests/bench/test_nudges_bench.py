"""bench.nudges on a small generated organisation: the audit finds no violation, the
rerun plans nothing, the naive baseline proposes the same nudges; the generator is
deterministic by seed."""

from __future__ import annotations

import argparse

from bench.nudges import run_seed
from bench.org_gen import generate


def test_generator_is_deterministic_by_seed() -> None:
    a, b, c = (
        generate(5, learners=60, managers=3),
        generate(5, learners=60, managers=3),
        generate(6, learners=60, managers=3),
    )
    assert a.rows == b.rows and a.catalog == b.catalog
    assert a.rows["users"] != c.rows["users"]
    assert sum(u["role"] == "manager" for u in a.rows["users"]) == 3


def test_small_run_audits_clean() -> None:
    args = argparse.Namespace(learners=80, managers=4, days=4, naive_sample=20, database=None)
    run = run_seed(11, args)
    assert run["throughput"]["cold"]["planned"] > 0
    assert run["throughput"]["rerun"]["planned"] == 0
    assert run["naive"]["same_candidates"] is True
    assert run["naive"]["queries"] > 10 * 20
    audit = run["audit"]
    assert set(audit["violations"].values()) == {0}, audit["violations"]
    assert audit["nudges"].get("sent", 0) > 0 and audit["injected"]["job_retries"] > 0
