"""The admin assistant's development set (evals/admin/dev.py) on the seed-7 organisation."""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.admin import dev
from evals.admin.generate import write_org

TODAY = date(2026, 11, 26)
FIELDS = {"id", "template", "family", "split", "language", "kind", "question", "gold"}
ACTION_ARGS = {
    "enrol": [{"learner_ids", "session_id"}, {"learner_ids", "item_id"}],
    "remind": [{"learner_ids", "session_id"}, {"learner_ids", "item_id"}],
    "mark_attendance": [{"learner_ids", "session_id", "signed"}],
    "cancel_session": [{"session_id"}],
}
DATA_TYPES = {"learners", "number", "rate", "by_group", "seats", "progression", "engagement"}


def _generate(out: Path) -> Path:
    write_org(out, seed=7, today=TODAY)
    dev.write_dev(out)
    return out / "dev_questions.jsonl"


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("admin-dev") / "org"
    _generate(out)
    return out


@pytest.fixture(scope="module")
def rows(org: Path) -> list[dict[str, Any]]:
    lines = (org / "dev_questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def names(org: Path) -> dict[str, set[str]]:
    """The organisation's learner, session, item, team and role ids."""
    with (org / "learners.csv").open(encoding="utf-8", newline="") as fh:
        people = list(csv.DictReader(fh))
    cat = yaml.safe_load((org / "catalog.yaml").read_text(encoding="utf-8"))
    return {
        "learners": {p["id"] for p in people},
        "team": {p["team"] for p in people},
        "role": {p["role"] for p in people},
        "sessions": {s["id"] for s in cat["sessions"]},
        "items": {i["id"] for i in cat["items"]},
    }


def test_deterministic(org: Path, tmp_path: Path) -> None:
    again = _generate(tmp_path / "org")
    assert again.read_bytes() == (org / "dev_questions.jsonl").read_bytes()


def test_lines(rows: list[dict[str, Any]]) -> None:
    assert len(rows) >= 160
    assert [r["id"] for r in rows] == [f"dev-{n:03d}" for n in range(1, len(rows) + 1)]
    for r in rows:
        assert set(r) == FIELDS, r
        assert r["split"] == "dev"
        assert r["family"].startswith("dev_")
        assert r["template"].startswith(r["family"] + ".")
        assert r["question"].strip() == r["question"] and r["question"]
    assert len({r["question"] for r in rows}) == len(rows), "a question is repeated"
    assert len({r["template"] for r in rows}) == len(rows)


def test_every_family_fits_seed_7(rows: list[dict[str, Any]]) -> None:
    """No family is skipped on the evaluation's own organisation, and each has 2-6 phrasings."""
    counts = Counter(r["family"] for r in rows)
    assert set(counts) == {name for name, _ in dev.FAMILIES}
    assert all(2 <= n <= 6 for n in counts.values()), counts


def test_languages_and_kinds(rows: list[dict[str, Any]]) -> None:
    languages = Counter(r["language"] for r in rows)
    kinds = Counter(r["kind"] for r in rows)
    assert set(languages) == {"en", "fr"}
    assert 0.3 <= languages["fr"] / len(rows) <= 0.5
    assert set(kinds) == {"data", "action", "clarify", "out_of_scope"}
    assert kinds["clarify"] >= 12 and kinds["out_of_scope"] >= 16
    assert {r["gold"]["action"] for r in rows if r["kind"] == "action"} == set(ACTION_ARGS)
    assert {r["gold"]["type"] for r in rows if r["kind"] == "data"} == DATA_TYPES


def _check_gold(kind: str, gold: dict[str, Any], names: dict[str, set[str]]) -> None:
    kind_of = gold["type"]
    if kind == "clarify":
        assert gold == {"type": "clarify"}
        return
    if kind == "out_of_scope":
        assert gold == {"type": "refuse"}
        return
    if kind == "action":
        assert set(gold) == {"type", "action", "args"} and kind_of == "action"
        args = gold["args"]
        assert set(args) in ACTION_ARGS[gold["action"]], gold
        if "learner_ids" in args:
            ids = args["learner_ids"]
            assert ids and ids == sorted(set(ids)) and set(ids) <= names["learners"]
            if gold["action"] == "mark_attendance":
                assert len(ids) == 1 and isinstance(args["signed"], bool)
        assert "session_id" not in args or args["session_id"] in names["sessions"]
        assert "item_id" not in args or args["item_id"] in names["items"]
        return
    assert kind == "data" and kind_of in DATA_TYPES
    if kind_of == "learners":
        assert set(gold) == {"type", "ids"}
        assert gold["ids"] == sorted(set(gold["ids"])) and set(gold["ids"]) <= names["learners"]
    elif kind_of == "number":
        assert set(gold) == {"type", "value"} and type(gold["value"]) is int and gold["value"] >= 0
    elif kind_of == "rate":
        assert set(gold) == {"type", "value"} and isinstance(gold["value"], float)
        assert 0 <= gold["value"] <= 1 and round(gold["value"], 4) == gold["value"]
    elif kind_of == "by_group":
        assert set(gold) == {"type", "group", "values"} and gold["group"] in ("team", "role")
        assert gold["values"] and set(gold["values"]) <= names[gold["group"]]
        assert all(isinstance(v, float) and 0 <= v <= 1 for v in gold["values"].values())
    elif kind_of == "seats":
        assert set(gold) == {"type", "capacity", "enrolled", "waitlisted", "free"}
        assert all(type(gold[k]) is int and gold[k] >= 0 for k in set(gold) - {"type"})
        assert gold["free"] == max(gold["capacity"] - gold["enrolled"], 0)
    elif kind_of == "progression":
        assert set(gold) == {"type", "pre", "post", "gain", "n"}
        assert type(gold["n"]) is int and gold["n"] >= 1
        assert abs(gold["post"] - gold["pre"] - gold["gain"]) < 1e-3
    else:
        assert set(gold) == {"type", "active", "minutes"}
        assert type(gold["active"]) is int and isinstance(gold["minutes"], float)


def test_golds_well_formed(rows: list[dict[str, Any]], names: dict[str, set[str]]) -> None:
    for r in rows:
        try:
            _check_gold(r["kind"], r["gold"], names)
        except AssertionError as exc:
            raise AssertionError(f"{r['id']} {r['question']!r}: {r['gold']}") from exc


def test_few_trivial_golds(rows: list[dict[str, Any]]) -> None:
    """Empty lists and zero counts stay rare (at most 10 %)."""
    trivial = [
        r
        for r in rows
        if (r["gold"]["type"] == "learners" and not r["gold"]["ids"])
        or (r["gold"]["type"] == "number" and r["gold"]["value"] == 0)
        or (r["gold"]["type"] == "rate" and r["gold"]["value"] == 0)
    ]
    assert len(trivial) <= 0.1 * len(rows)
