"""The third development set of the admin assistant: shape, golds, balance, determinism."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.admin import dev3

FIELDS = {"id", "template", "family", "split", "language", "kind", "question", "gold"}
ACTION_ARGS = {
    "enrol": ({"learner_ids", "session_id"}, {"learner_ids", "item_id"}),
    "remind": ({"learner_ids", "session_id"}, {"learner_ids", "item_id"}),
    "mark_attendance": ({"learner_ids", "session_id", "signed"},),
    "cancel_session": ({"session_id"},),
}


@pytest.fixture(scope="module")
def rows(org_dir: Path) -> list[dict[str, Any]]:
    dev3.main([str(org_dir)])
    text = (org_dir / dev3.OUT_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def names(org_dir: Path) -> dict[str, set[str]]:
    with (org_dir / "learners.csv").open(newline="", encoding="utf-8") as fh:
        people = list(csv.DictReader(fh))
    catalog = yaml.safe_load((org_dir / "catalog.yaml").read_text(encoding="utf-8"))
    return {
        "learners": {p["id"] for p in people},
        "teams": {p["team"] for p in people},
        "roles": {p["role"] for p in people},
        "items": {i["id"] for i in catalog["items"]},
        "sessions": {s["id"] for s in catalog["sessions"]},
    }


def test_lines_and_fields(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 150
    assert [r["id"] for r in rows] == [f"dev3-{n:03d}" for n in range(1, len(rows) + 1)]
    for r in rows:
        assert set(r) == FIELDS
        assert r["split"] == "dev"
        assert r["family"].startswith("dev3_")
        assert r["language"] in ("en", "fr")
        assert r["kind"] in ("data", "action", "clarify")
        assert r["question"].strip() and not re.search(r"[{}]", r["question"])
    assert len({r["question"] for r in rows}) == len(rows)


def test_families_share_a_gold_and_have_paraphrases(rows: list[dict[str, Any]]) -> None:
    by_family: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_family.setdefault(r["family"], []).append(r)
    for family, members in by_family.items():
        assert 2 <= len(members) <= 4, family
        assert len({json.dumps(m["gold"], sort_keys=True) for m in members}) == 1, family
        assert len({m["kind"] for m in members}) == 1, family


def _check_gold(gold: dict[str, Any], names: dict[str, set[str]]) -> None:
    kind = gold["type"]
    if kind == "learners":
        assert set(gold) == {"type", "ids"}
        assert gold["ids"] == sorted(set(gold["ids"])) and set(gold["ids"]) <= names["learners"]
    elif kind == "number":
        assert set(gold) == {"type", "value"} and type(gold["value"]) is int
        assert gold["value"] >= 0
    elif kind == "rate":
        assert set(gold) == {"type", "value"} and isinstance(gold["value"], float)
        assert 0 <= gold["value"] <= 1 and round(gold["value"], 4) == gold["value"]
    elif kind == "by_group":
        assert set(gold) == {"type", "group", "values"} and gold["group"] in ("team", "role")
        assert gold["values"] and set(gold["values"]) <= names[gold["group"] + "s"]
        assert all(0 <= v <= 1 and round(v, 4) == v for v in gold["values"].values())
    elif kind == "seats":
        assert set(gold) == {"type", "capacity", "enrolled", "waitlisted", "free"}
        assert all(type(gold[k]) is int for k in ("capacity", "enrolled", "waitlisted", "free"))
        assert gold["free"] == max(gold["capacity"] - gold["enrolled"], 0)
    elif kind == "progression":
        assert set(gold) == {"type", "pre", "post", "gain", "n"}
        assert type(gold["n"]) is int and gold["n"] > 0
        assert all(round(gold[k], 4) == gold[k] for k in ("pre", "post", "gain"))
    elif kind == "engagement":
        assert set(gold) == {"type", "active", "minutes"}
        assert type(gold["active"]) is int and isinstance(gold["minutes"], float)
    elif kind == "action":
        assert set(gold) == {"type", "action", "args"}
        args = gold["args"]
        assert set(args) in ACTION_ARGS[gold["action"]]
        if "learner_ids" in args:
            ids = args["learner_ids"]
            assert ids and ids == sorted(set(ids)) and set(ids) <= names["learners"]
        if "session_id" in args:
            assert args["session_id"] in names["sessions"]
        if "item_id" in args:
            assert args["item_id"] in names["items"]
        if "signed" in args:
            assert isinstance(args["signed"], bool)
    else:
        assert gold == {"type": "clarify"}


def test_golds_are_well_formed(rows: list[dict[str, Any]], names: dict[str, set[str]]) -> None:
    for r in rows:
        _check_gold(r["gold"], names)
        gold_kind = {"action": "action", "clarify": "clarify"}.get(r["gold"]["type"], "data")
        assert gold_kind == r["kind"], r["id"]


def test_balance(rows: list[dict[str, Any]]) -> None:
    kinds = Counter(r["kind"] for r in rows)
    assert kinds["action"] >= 18 and kinds["clarify"] >= 12 and kinds["data"] >= 110
    assert 0.35 <= Counter(r["language"] for r in rows)["fr"] / len(rows) <= 0.55
    shapes = Counter(r["gold"]["type"] for r in rows if r["kind"] == "data")
    for shape in ("learners", "number", "rate", "by_group", "seats", "progression", "engagement"):
        assert shapes[shape] >= 4, shape
    actions = Counter(r["gold"]["action"] for r in rows if r["kind"] == "action")
    assert set(actions) == set(ACTION_ARGS)
    assert sum(dev3.is_trivial(r["gold"]) for r in rows) <= 0.1 * len(rows)


def test_deterministic(org_dir: Path, rows: list[dict[str, Any]]) -> None:
    first = (org_dir / dev3.OUT_NAME).read_bytes()
    assert dev3.build(org_dir) == rows
    dev3.write(org_dir)
    assert (org_dir / dev3.OUT_NAME).read_bytes() == first
