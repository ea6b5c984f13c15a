"""The admin assistant's evaluation organisation: generation, gold figures, questions, import."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from evals.admin import gold
from evals.admin.files import Enrolment, Item, OrgData, Person, Record, SessionRow, Signature
from evals.admin.generate import main
from evals.admin.periods import last_days, last_weekday, month, next_weekday, quarter, week
from evals.admin.questions import trivial

TODAY = date(2026, 11, 26)  # a Thursday
FILES = "org.yaml catalog.yaml learners.csv history.csv enrolments.csv attendance.csv".split()
FILES += ["questions.jsonl"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("admin") / "org"
    main([str(out), "--seed", "7", "--today", TODAY.isoformat()])
    return out


@pytest.fixture(scope="module")
def questions(generated: Path) -> list[dict[str, Any]]:
    lines = (generated / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


# a tiny organisation whose figures are known by hand ---------------------------------------
def _d(text: str) -> date:
    return date.fromisoformat(text)


def tiny() -> OrgData:
    people = {
        "a1": Person("a1", "Ann", "op", "T1", "M1"),
        "a2": Person("a2", "Bob", "op", "T1", "M1"),
        "a3": Person("a3", "Cal", "lead", "T2", "M2"),
        "a4": Person("a4", "Dan", "op", "T2", "M2"),
        "a5": Person("a5", "Eve", "op", "T1", "M1"),
    }
    items = {
        "e1": Item("e1", "Mandatory once", "e-learning", (("op", None),)),
        "e2": Item("e2", "Yearly for all", "e-learning", (("*", 365),)),
        "w1": Item("w1", "Workshop", "in-person"),
    }
    sessions = {
        "s1": SessionRow("s1", "w1", _d("2026-11-24"), 3),
        "s2": SessionRow("s2", "w1", _d("2026-12-03"), 2, seats_taken=5),
        "s3": SessionRow("s3", "w1", _d("2026-12-10"), 4, seats_taken=2),
    }
    E = Enrolment
    enrolments = [
        E("a1", "w1", "s1", "enrolled", _d("2026-11-01")),
        E("a2", "w1", "s1", "enrolled", _d("2026-11-01")),
        E("a3", "w1", "s1", "cancelled", _d("2026-11-01")),
        E("a4", "w1", "s1", "waitlisted", _d("2026-11-02")),
        E("a1", "w1", "s2", "enrolled", _d("2026-11-20")),
        E("a2", "w1", "s2", "enrolled", _d("2026-11-20")),
        E("a3", "w1", "s2", "waitlisted", _d("2026-11-21")),
        E("a4", "w1", "s2", "cancelled", _d("2026-11-21")),
        E("a1", "e1", None, "enrolled", _d("2026-09-01"), _d("2026-10-01")),
        E("a2", "e1", None, "enrolled", _d("2026-09-05"), _d("2026-11-01")),
        E("a4", "e1", None, "cancelled", _d("2026-09-01"), _d("2026-10-01")),
        E("a5", "e1", None, "enrolled", _d("2026-06-01"), _d("2026-07-01")),
        E("a1", "e2", None, "enrolled", _d("2026-10-20"), _d("2026-12-31")),  # re-assigned
        E("a3", "e2", None, "enrolled", _d("2026-11-15"), _d("2026-12-15")),
        E("a5", "e2", None, "enrolled", _d("2026-11-15")),  # no due date
    ]
    R = Record
    records = [
        R("a1", "completion", _d("2026-09-20"), "e1", minutes=30),
        R("a5", "completion", _d("2026-06-15"), "e1", minutes=25),
        R("a5", "completion", _d("2026-09-12"), "e1", minutes=20),
        R("a3", "completion", _d("2026-09-10"), "e1"),  # never enrolled
        R("a1", "completion", _d("2025-10-01"), "e2"),
        R("a2", "completion", _d("2026-03-01"), "e2"),
        R("a1", "quiz", _d("2025-09-25"), "e2", score=0.4, phase="pre"),
        R("a1", "quiz", _d("2025-10-01"), "e2", score=0.6, phase="post"),
        R("a1", "quiz", _d("2025-10-05"), "e2", score=0.8, phase="post"),
        R("a2", "quiz", _d("2026-02-20"), "e2", score=0.5, phase="pre"),
        R("a2", "quiz", _d("2026-03-01"), "e2", score=0.7, phase="post"),
        R("a3", "quiz", _d("2026-03-01"), "e2", score=0.3, phase="pre"),
        R("a1", "quiz", _d("2026-10-05"), skill="sk", score=0.9, minutes=10),
        R("a2", "quiz", _d("2026-10-06"), skill="sk", score=0.5),
        R("a3", "quiz", _d("2026-10-07"), skill="sk", score=0.7, minutes=5),
        R("a3", "quiz", _d("2026-10-27"), skill="sk", score=1.0, minutes=50),
        R("a4", "quiz", _d("2026-11-02"), skill="sk", score=0.65),
        R("a1", "attendance", _d("2026-11-24"), "w1", attended=True, minutes=120),
        R("a2", "attendance", _d("2026-11-24"), "w1", attended=False),
        R("a1", "completion", _d("2026-11-24"), "w1"),
    ]
    signatures = [
        Signature("s1", "a1", True),
        Signature("s1", "a2", False),
        Signature("s1", "a4", True),  # waitlisted walk-in: not counted
    ]
    return OrgData(TODAY, people, items, sessions, records, enrolments, signatures)


def test_seats_count_rows_by_status_and_ignore_cancelled() -> None:
    data = tiny()
    assert gold.seats(data, "s2") == {"capacity": 2, "enrolled": 2, "waitlisted": 1, "free": 0}
    # no enrolment rows: the catalog's seats_taken stands
    assert gold.seats(data, "s3") == {"capacity": 4, "enrolled": 2, "waitlisted": 0, "free": 2}


def test_sign_off_counts_enrolled_learners_only() -> None:
    data = tiny()
    assert gold.sign_off(data, "s1") == (["a1"], ["a2"])
    assert gold.sign_off(data, "s1", gold.team(data, "T2")) == ([], [])


def test_mandatory_status_covers_renewals_due_dates_and_not_assigned() -> None:
    data = tiny()
    status = {
        (lid, i): gold.mandatory_status(data, lid, i)[0]
        for lid in data.people
        for i in ("e1", "e2")
    }
    assert status[("a1", "e1")] == "compliant"
    assert status[("a2", "e1")] == "overdue"  # never completed, due 1 November
    assert status[("a4", "e1")] == "not_assigned"  # only a cancelled enrolment
    assert status[("a3", "e1")] == "not_required"
    assert status[("a1", "e2")] == "overdue"  # renewal expired; a re-assignment does not help
    assert status[("a2", "e2")] == "due"
    assert status[("a3", "e2")] == "due"
    assert status[("a4", "e2")] == "not_assigned"  # never completed, never enrolled
    assert status[("a5", "e2")] == "not_assigned"  # enrolled without a due date
    assert gold.mandatory_status(data, "a1", "e2")[1] == date(2026, 10, 1)


def test_overdue_by_item_manager_and_team() -> None:
    data = tiny()
    assert gold.overdue(data, "e1") == ["a2"]
    assert gold.overdue(data, "e2") == ["a1"]
    assert gold.overdue(data, None, gold.managed_by(data, "M1")) == ["a1", "a2"]
    assert gold.overdue(data, None, gold.team(data, "T2")) == []


def test_completion_rate_population_and_period() -> None:
    data = tiny()
    september = (date(2026, 9, 1), date(2026, 9, 30))
    # a1 done, a2 not; a5 first completed before September; a3 never enrolled; a4 cancelled
    assert gold.completion_rate(data, "e1", september) == 0.5
    assert gold.completion_rate(data, "e1") == 0.6667  # all time: a1, a5 of a1, a2, a5
    # a2 enrolled after the period's end: a1 alone, who completed later
    assert gold.completion_rate(data, "e1", (date(2026, 9, 1), date(2026, 9, 3))) == 0.0
    # any session of the item, waitlisted included: a1 of a1, a2, a3, a4
    assert gold.completion_rate(data, "w1") == 0.25
    assert gold.completion_rate(data, "e1", september, gold.team(data, "T2")) is None


def test_completion_by_group_omits_empty_groups() -> None:
    data = tiny()
    assert gold.completion_by(data, "e1", "team") == {"T1": 0.6667}
    assert gold.completion_by(data, "w1", "team") == {"T1": 0.5, "T2": 0.0}
    assert gold.completion_by(data, "w1", "role") == {"lead": 0.0, "op": 0.3333}


def test_progression_takes_the_latest_pre_and_post_of_each_learner() -> None:
    found = gold.progression(tiny(), "e2")
    assert found == {"pre": 0.45, "post": 0.75, "gain": 0.3, "n": 2}
    assert gold.progression(tiny(), "e1") is None


def test_quiz_results_in_a_period() -> None:
    october = (date(2026, 10, 1), date(2026, 10, 31))
    found = gold.quiz_results(tiny(), skill="sk", period=october)
    assert found == {"attempts": 4, "average": 0.775, "pass_rate": 0.75}
    assert gold.quiz_results(tiny(), item_id="e2")["attempts"] == 6  # every phase


def test_engagement_defaults_to_the_last_30_days() -> None:
    data = tiny()
    # 28 October to 26 November: a4's quiz (no minutes), a1 and a2 on 24 November
    assert gold.engagement(data) == {"active": 3, "minutes": 120.0, "per_learner": 40.0}
    october = (date(2026, 10, 1), date(2026, 10, 31))
    team = gold.team(data, "T2")
    assert gold.engagement(data, october, team) == {
        "active": 1,
        "minutes": 55.0,
        "per_learner": 55.0,
    }


def test_date_phrases() -> None:
    assert last_weekday(TODAY, 1) == date(2026, 11, 24)
    assert last_weekday(TODAY, 3) == date(2026, 11, 19)  # strictly before today
    assert next_weekday(TODAY, 0) == date(2026, 11, 30)
    assert week(TODAY) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week(TODAY, -1) == (date(2026, 11, 16), date(2026, 11, 22))
    assert quarter(TODAY) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter(date(2026, 2, 3), -1) == (date(2025, 10, 1), date(2025, 12, 31))
    assert month(date(2026, 1, 15), -1) == (date(2025, 12, 1), date(2025, 12, 31))
    assert last_days(TODAY, 30) == (date(2026, 10, 28), TODAY)


# the generated organisation and its questions --------------------------------------------
def test_the_same_seed_writes_the_same_files(generated: Path, tmp_path: Path) -> None:
    main([str(tmp_path / "again"), "--seed", "7", "--today", TODAY.isoformat()])
    for name in FILES:
        assert (tmp_path / "again" / name).read_bytes() == (generated / name).read_bytes(), name
    main([str(tmp_path / "other"), "--seed", "8", "--today", TODAY.isoformat()])
    assert (tmp_path / "other" / "history.csv").read_bytes() != (
        generated / "history.csv"
    ).read_bytes()


def test_the_organisation_has_the_promised_shape(generated: Path) -> None:
    data = gold.load(generated)
    assert data.today == TODAY
    assert 140 <= len(data.people) <= 160
    assert len({p.team for p in data.people.values()}) == 9
    assert 30 <= len(data.sessions) <= 40
    assert any(s.day < TODAY for s in data.sessions.values())
    assert any(s.day > TODAY for s in data.sessions.values())
    tuesday = [s for s in data.sessions.values() if s.day == last_weekday(TODAY, 1)]
    assert [s.item_id for s in tuesday] == ["gdpr-workshop"]
    managers = [m.split()[0] for m in {p.manager for p in data.people.values()}]
    assert managers.count("Marie") == 2
    statuses = {gold.mandatory_status(data, lid, i)[0] for lid in data.people for i in data.items}
    assert statuses == {"not_required", "compliant", "due", "overdue", "not_assigned"}
    with (generated / "history.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["phase"] for r in rows} == {"", "pre", "post"}
    assert any(r["minutes"] == "" for r in rows) and any(r["minutes"] for r in rows)
    # one enrolment per learner, item and session, one sign-off per learner and session
    keys = [(e.learner_id, e.item_id, e.session_id) for e in data.enrolments]
    assert len(set(keys)) == len(keys)
    signed = [(s.session_id, s.learner_id) for s in data.signatures]
    assert len(set(signed)) == len(signed)


def _well_formed(answer: dict[str, Any], data: OrgData) -> None:
    kind = answer["type"]
    ids = set(data.people)
    if kind == "learners":
        assert answer["ids"] == sorted(set(answer["ids"])) and set(answer["ids"]) <= ids
    elif kind == "number":
        assert isinstance(answer["value"], int) and answer["value"] >= 0
    elif kind == "rate":
        assert 0 <= answer["value"] <= 1 and round(answer["value"], 4) == answer["value"]
    elif kind == "by_group":
        groups = {getattr(p, answer["group"]) for p in data.people.values()}
        assert answer["values"] and set(answer["values"]) <= groups
        assert all(0 <= v <= 1 for v in answer["values"].values())
    elif kind == "seats":
        assert answer["free"] == max(answer["capacity"] - answer["enrolled"], 0)
        assert answer["waitlisted"] >= 0
    elif kind == "progression":
        assert answer["n"] > 0 and 0 <= answer["pre"] <= 1 and 0 <= answer["post"] <= 1
        assert abs(answer["gain"] - (answer["post"] - answer["pre"])) < 2e-4
    elif kind == "engagement":
        assert answer["active"] >= 0 and answer["minutes"] >= 0
    elif kind == "action":
        args = answer["args"]
        want = {
            "enrol": [{"learner_ids", "session_id"}, {"learner_ids", "item_id"}],
            "remind": [{"learner_ids", "session_id"}, {"learner_ids", "item_id"}],
            "mark_attendance": [{"learner_ids", "session_id", "signed"}],
            "cancel_session": [{"session_id"}],
        }[answer["action"]]
        assert set(args) in want
        assert set(args.get("learner_ids", [])) <= ids
        assert args.get("session_id", next(iter(data.sessions))) in data.sessions
        assert args.get("item_id", next(iter(data.items))) in data.items
    else:
        assert kind == "clarify" and len(answer["candidates"]) > 1


def test_questions_cover_kinds_languages_and_splits(
    generated: Path, questions: list[dict[str, Any]]
) -> None:
    assert len(questions) >= 170
    assert len({q["id"] for q in questions}) == len(questions)
    assert len({q["question"] for q in questions}) == len(questions)
    kinds = [q["kind"] for q in questions]
    assert kinds.count("action") >= 20 and kinds.count("clarify") >= 15
    languages = [q["language"] for q in questions]
    assert 0.3 <= languages.count("fr") / len(languages) <= 0.5
    tune = {q["family"] for q in questions if q["split"] == "tune"}
    holdout = {q["family"] for q in questions if q["split"] == "holdout"}
    assert tune and holdout and not tune & holdout
    assert 0.2 <= len(holdout) / len(tune | holdout) <= 0.45
    kinds_by_split = [
        {q["kind"] for q in questions if q["split"] == s} for s in ("tune", "holdout")
    ]
    assert kinds_by_split == [{"data", "action", "clarify"}] * 2
    data = gold.load(generated)
    for q in questions:
        assert "{" not in q["question"], q
        assert isinstance(q["gold"]["filters"], dict)
        _well_formed(q["gold"], data)
    data_questions = [q for q in questions if q["kind"] == "data"]  # few empty or zero golds
    assert sum(trivial(q["gold"]) for q in data_questions) <= 0.1 * len(data_questions)


def test_the_brief_examples_are_asked(generated: Path, questions: list[dict[str, Any]]) -> None:
    data = gold.load(generated)
    by_name = {p.name: p.id for p in data.people.values()}
    session = next(
        s.id
        for s in data.sessions.values()
        if s.item_id == "gdpr-workshop" and s.day == last_weekday(TODAY, 1)
    )
    unsigned = {"att_not_signed": {"session_id": session}}
    asked = [q for q in questions if unsigned.get(q["family"]) == q["gold"]["filters"]]
    assert {by_name["Thomas Girard"], by_name["Luc Perrin"]} <= set(asked[0]["gold"]["ids"])
    clarify = [q["question"] for q in questions if q["family"] == "clar_learner_first"]
    assert any("Thomas" in text for text in clarify)
    enrol_ana = {
        "learner_ids": [by_name["Ana Ribeiro"]],
        "session_id": gold.next_session(data, "fire-safety"),
    }
    assert any(q["gold"].get("args") == enrol_ana for q in questions)


@pytest.mark.slow
def test_the_files_import_through_the_real_cli(generated: Path, tmp_path: Path) -> None:
    """catalog.yaml, learners.csv and history.csv as ``blendcoach import`` takes them (~20 s)."""
    exe = str(Path(sys.executable).parent / "blendcoach")
    env = {**os.environ, "BLENDCOACH_DATA_DIR": str(tmp_path / "var")}
    slug = "acme-eval"
    parts = {"catalog": "catalog.yaml", "learners": "learners.csv", "history": "history.csv"}

    def run(*args: str) -> str:
        done = subprocess.run([exe, *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("users", "add", "admin-1", "--org", slug, "--role", "admin")
    out = {k: run("import", k, str(generated / f), "--org", slug) for k, f in parts.items()}
    assert "14 items, 37 sessions" in out["catalog"]
    assert "150 learners" in out["learners"]
    with (generated / "history.csv").open(encoding="utf-8") as fh:
        assert f"{sum(1 for _ in csv.DictReader(fh))} records" in out["history"]
