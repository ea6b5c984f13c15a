"""Reviewing paths: every problem kind flagged, diffs of re-plans, JSON round trip."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta

from recommender.catalog import Catalog
from recommender.model import HistoryRecord, Modality, RecordKind
from recommender.paths import build_path, diff_paths, path_from_json, path_to_json, validate_path
from recommender.plan import Step
from tests.recommender.test_paths import TODAY, chain_catalog, goal, item, learner, session


def planned():  # type: ignore[no-untyped-def]
    lr = learner(
        preferences=(Modality.IN_PERSON,), goals=(goal("analysis:2", weeks=20, label="Analyst"),)
    )
    return lr, build_path(lr, chain_catalog(), {}, TODAY)


def test_a_built_path_is_valid_and_round_trips_through_json() -> None:
    lr, path = planned()
    assert validate_path(path, chain_catalog(), lr, TODAY) == []
    text = json.dumps(path_to_json(path))
    again = path_from_json(json.loads(text))
    assert again == path and path_from_json(text) == path
    assert again.steps[0].modality is Modality.E_LEARNING


def test_validate_flags_each_problem_kind() -> None:
    lr, path = planned()
    cat = chain_catalog()
    steps = list(path.steps)
    ws = next(n for n, s in enumerate(steps) if s.item_id == "analysis-ws")
    edited = [
        replace(
            steps[ws],
            session_id="ws-1",
            start=TODAY + timedelta(days=14),
            end=TODAY + timedelta(days=14),
        ),
        *[s for n, s in enumerate(steps) if n != ws],  # the workshop moved before its prerequisites
        replace(steps[0]),  # a duplicate
        Step("ghost", "Ghost", Modality.E_LEARNING, TODAY, TODAY, 1, ""),
        Step("analysis-vc", "VC", Modality.VIRTUAL, TODAY, TODAY, 2, ""),  # no session chosen
        Step(
            "report-el",
            "Late",
            Modality.E_LEARNING,
            TODAY - timedelta(days=3),
            TODAY + timedelta(days=90),
            2,
            "",
            deadline=TODAY + timedelta(days=30),
            allocation=((TODAY, 40.0),),
        ),
    ]
    problems = validate_path(replace(path, steps=tuple(edited)), cat, lr, TODAY)
    kinds = {p.kind for p in problems}
    assert {
        "prerequisite",
        "session_full",
        "duplicate",
        "unknown_item",
        "no_session",
        "past",
        "past_deadline",
        "over_budget",
    } <= kinds
    full = next(p for p in problems if p.kind == "session_full")
    assert full.step == 0 and "is full" in full.message


def test_a_closed_or_foreign_session_is_flagged() -> None:
    lr, path = planned()
    cat = chain_catalog()
    ws = next(s for s in path.steps if s.item_id == "analysis-ws")
    foreign = replace(
        path, steps=tuple(replace(s, session_id="vc-1") if s is ws else s for s in path.steps)
    )
    assert "unknown_session" in {p.kind for p in validate_path(foreign, cat, lr, TODAY)}
    later = TODAY + timedelta(days=50)  # after ws-2 was held
    assert "session_closed" in {p.kind for p in validate_path(path, cat, lr, later)}


def test_a_replan_after_new_history_is_diffed_against_the_approved_path() -> None:
    lr, approved = planned()
    done = HistoryRecord(RecordKind.COMPLETION, TODAY, "analysis-el", score=0.9)
    cat = chain_catalog()
    new = build_path(
        replace(lr, history=(done,)), cat, {}, TODAY + timedelta(days=7), previous=approved
    )
    diff = diff_paths(approved, new)
    kinds = {(c.kind, c.item_id) for c in diff.changes}
    assert ("removed", "analysis-el") in kinds
    assert any(k == "rescheduled" for k, _ in kinds) or any(k == "moved" for k, _ in kinds)
    assert "- removed Analysis-El" in diff.text()
    assert (
        diff_paths(approved, approved).empty
        and diff_paths(approved, approved).text() == "no change"
    )


def test_diff_names_added_moved_and_rescheduled_steps() -> None:
    _, old = planned()
    steps = list(old.steps)
    swapped = [steps[1], steps[0], *steps[2:]]
    extra = Step("safety-el", "Safety", Modality.E_LEARNING, TODAY, TODAY, 1, "Mandatory.")
    new = replace(
        old,
        steps=(
            *swapped[:-1],
            replace(swapped[-1], start=swapped[-1].start + timedelta(days=7)),
            extra,
        ),
    )
    diff = diff_paths(old, new)
    kinds = [c.kind for c in diff.changes]
    assert "added" in kinds and "moved" in kinds and "rescheduled" in kinds
    assert "+ added Safety as step" in diff.text()


def test_a_path_item_not_in_the_catalog_anymore_is_flagged_not_raised() -> None:
    lr, path = planned()
    cat = chain_catalog()
    smaller = Catalog(
        cat.skills.values(),
        [i for i in cat.items.values() if i.id != "intro"] + [item("x", "basics")],
        [session("ws-2", "analysis-ws", 42)],
        cat.roles.values(),
    )
    kinds = {p.kind for p in validate_path(path, smaller, lr, TODAY)}
    assert "unknown_item" in kinds


def test_the_library_does_not_import_the_service() -> None:
    code = (
        "import sys, recommender.paths, recommender.demo, recommender.records; "
        "print(','.join(m for m in sys.modules if m.split('.')[0] in ('coach', 'fastapi')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
