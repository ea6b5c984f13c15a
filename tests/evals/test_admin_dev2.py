"""The second admin development set (evals/admin/dev2.py) on a freshly generated organisation:
enough questions, unique ids, every kind and language, how-tos that point at real sections of
the admin guide, gold answers of the documented shapes, and the same output twice."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from evals.admin import dev2, gold

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "demo" / "admin-docs"
ACTIONS = {"enrol", "remind", "mark_attendance", "cancel_session"}


@pytest.fixture(scope="module")
def lines(org_dir: Path) -> list[dict[str, Any]]:
    dev2.main([str(org_dir)])
    text = (org_dir / dev2.OUT_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _sections() -> set[tuple[str, str]]:
    found = set()
    for path in DOCS.glob("*/*.md"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                found.add((path.relative_to(DOCS).as_posix(), line[3:].strip()))
    return found


def _is_ratio(value: Any) -> bool:
    return isinstance(value, float | int) and 0 <= value <= 1 and round(value, 4) == value


def _well_formed(gold: dict[str, Any], people: set[str], sessions: set[str]) -> bool:
    kind = gold.get("type")
    if kind in ("refuse", "clarify"):
        return set(gold) == {"type"}
    if kind == "learners":
        ids = gold["ids"]
        return ids == sorted(set(ids)) and set(ids) <= people
    if kind == "number":
        return isinstance(gold["value"], int) and gold["value"] >= 0
    if kind == "rate":
        return _is_ratio(gold["value"])
    if kind == "by_group":
        return gold["group"] in ("team", "role") and all(
            _is_ratio(v) for v in gold["values"].values()
        )
    if kind == "seats":
        return set(gold) == {"type", "capacity", "enrolled", "waitlisted", "free"} and gold[
            "free"
        ] == max(gold["capacity"] - gold["enrolled"], 0)
    if kind == "progression":
        return (
            _is_ratio(gold["pre"])
            and _is_ratio(gold["post"])
            and abs(gold["gain"]) <= 1
            and gold["n"] > 0
        )
    if kind == "engagement":
        return set(gold) == {"type", "active", "minutes"} and gold["active"] >= 0
    if kind == "action":
        args = gold["args"]
        target = [k for k in ("session_id", "item_id") if k in args]
        return (
            gold["action"] in ACTIONS
            and len(target) == 1
            and ("session_id" not in args or args["session_id"] in sessions)
            and (gold["action"] == "cancel_session" or set(args["learner_ids"]) <= people)
            and (gold["action"] != "mark_attendance" or isinstance(args["signed"], bool))
        )
    return False


def test_counts_ids_kinds_and_languages(lines: list[dict[str, Any]]) -> None:
    assert len(lines) >= 180
    ids = [q["id"] for q in lines]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"dev2-\d{3}", i) for i in ids)
    pairs = {(q["kind"], q["language"]) for q in lines}
    for kind in ("howto", "out_of_scope", "data", "action", "clarify"):
        assert {(kind, "en"), (kind, "fr")} <= pairs, kind
    for q in lines:
        assert q["split"] == "dev"
        assert q["family"].startswith("dev2_")
        assert q["template"] and q["question"].strip()
        assert "{" not in q["question"] or q["kind"] == "howto", q  # placeholders filled


def test_howtos_point_at_real_sections(lines: list[dict[str, Any]]) -> None:
    sections = _sections()
    howtos = [q for q in lines if q["kind"] == "howto"]
    assert len(howtos) >= 60
    for q in howtos:
        assert (q["file"], q["section_title"]) in sections, q
    modules = {q["file"] for q in howtos}
    assert modules == {f for f, _ in sections}  # every module of the guide is asked about
    crossing = [q for q in howtos if q["language"] != q["file"][:2]]
    assert any(q["language"] == "fr" for q in crossing)
    assert any(q["language"] == "en" for q in crossing)


def test_gold_is_well_formed(org_dir: Path, lines: list[dict[str, Any]]) -> None:
    data = gold.load(org_dir)
    people, sessions = set(data.people), set(data.sessions)
    for q in lines:
        if q["kind"] == "howto":
            continue
        answer = q["gold"]
        assert _well_formed(answer, people, sessions), q
        expected = {"out_of_scope": {"refuse"}, "action": {"action"}, "clarify": {"clarify"}}
        allowed = expected.get(q["kind"])
        if allowed is None:
            assert answer["type"] not in ("refuse", "action", "clarify"), q
        else:
            assert answer["type"] in allowed, q


def test_deterministic(org_dir: Path, lines: list[dict[str, Any]]) -> None:
    again = dev2.build(org_dir)
    assert again == lines
