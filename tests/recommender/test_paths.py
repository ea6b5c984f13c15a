"""The path builder on small catalogs (whose factories the other path tests import)."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta

import pytest

from bench.paths import generate
from recommender.catalog import Catalog
from recommender.collaborative import NO_SIGNAL
from recommender.gaps import analyse_gaps
from recommender.mastery import MasteryEstimate
from recommender.model import (
    CatalogItem,
    Goal,
    HistoryRecord,
    Learner,
    MandatoryRule,
    Modality,
    RecordKind,
    RoleProfile,
    Session,
    SkillDef,
    SkillLevel,
)
from recommender.paths import SeatLedger, build_path, reserve, validate_path
from recommender.select import Memo, select_items

TODAY = date(2026, 11, 23)  # a Monday


def sl(spec: str) -> tuple[SkillLevel, ...]:
    """``"a:2 b"`` as skill levels."""
    out = []
    for part in spec.split():
        name, _, level = part.partition(":")
        out.append(SkillLevel(name, int(level or 1)))
    return tuple(out)


def item(
    ident: str,
    skills: str,
    modality: Modality = Modality.E_LEARNING,
    hours: float = 1.0,
    **kw: object,
) -> CatalogItem:
    return CatalogItem(ident, ident.title(), modality, hours, skills=sl(skills), **kw)  # type: ignore[arg-type]


def session(ident: str, item_id: str, days: int, seats: int = 10, taken: int = 0) -> Session:
    start = datetime.combine(TODAY + timedelta(days=days), datetime.min.time()).replace(hour=9)
    return Session(ident, item_id, start, seats, taken, "Room 1", "Trainer")


def chain_catalog() -> Catalog:
    """basics → analysis → reporting, with a workshop and a mandatory renewal."""
    skills = [
        SkillDef("basics", "Basics"),
        SkillDef("analysis", "Analysis", requires=sl("basics")),
        SkillDef("reporting", "Reporting", requires=sl("analysis")),
        SkillDef("safety", "Safety", levels=1),
    ]
    items = [
        item("intro", "basics:2", hours=2),
        item("analysis-el", "analysis:1", hours=2),
        item(
            "analysis-ws", "analysis:2", Modality.IN_PERSON, hours=3, prereq_items=("analysis-el",)
        ),
        item("analysis-vc", "analysis:2", Modality.VIRTUAL, hours=2, prereq_items=("analysis-el",)),
        item("report-el", "reporting:2", hours=2),
        item("safety-el", "safety:1", hours=1, mandatory_for=()),
    ]
    sessions = [
        session("ws-1", "analysis-ws", 14, seats=8, taken=8),  # full
        session("ws-2", "analysis-ws", 42),
        session("vc-1", "analysis-vc", 60),
    ]
    roles = [RoleProfile("analyst", "Analyst", sl("reporting:2"))]
    return Catalog(skills, items, sessions, roles)


def learner(**kw: object) -> Learner:
    base: dict[str, object] = {"id": "u1", "role": "analyst", "hours_per_week": 4.0}
    base.update(kw)
    return Learner(**base)  # type: ignore[arg-type]


def goal(skills: str, weeks: int | None = None, label: str = "goal") -> Goal:
    return Goal(
        label, skills=sl(skills), deadline=TODAY + timedelta(weeks=weeks) if weeks else None
    )


def test_gaps_come_from_role_goal_prerequisites_and_mandatory_renewal() -> None:
    cat = chain_catalog()
    renewal = CatalogItem(
        "safety-el",
        "Safety",
        Modality.E_LEARNING,
        1,
        skills=sl("safety"),
        mandatory_for=(MandatoryRule("analyst", renewal_days=365),),
    )
    cat = Catalog(
        cat.skills.values(),
        [*list(cat.items.values())[:-1], renewal],
        cat.sessions.values(),
        cat.roles.values(),
    )
    done = HistoryRecord(RecordKind.COMPLETION, TODAY - timedelta(days=400), "safety-el")
    lr = learner(goals=(goal("analysis:2", weeks=10, label="Lead analyst"),), history=(done,))
    mastery = {"basics": MasteryEstimate("basics", 0.97, 0.9, 0.99, 12)}
    report = analyse_gaps(lr, cat, mastery, TODAY)
    by = {g.skill or g.item: g for g in report.gaps}
    assert "basics" not in by  # mastered: no gap
    assert by["reporting"].target == 2 and by["reporting"].sources[0].kind == "role"
    assert {s.kind for s in by["analysis"].sources} == {"goal", "prerequisite"}
    assert by["analysis"].deadline == TODAY + timedelta(weeks=10)
    assert by["safety-el"].mandatory and any(n.kind == "overdue" for n in report.warnings)
    assert report.gaps[0].item == "safety-el"  # mandatory and overdue: highest priority


def test_bad_goals_are_explained_not_fatal() -> None:
    lr = learner(
        goals=(
            goal("ghost:2", weeks=4, label="Ghost"),
            Goal("Old", skills=sl("analysis:2"), deadline=TODAY - timedelta(days=30)),
        )
    )
    path = build_path(lr, chain_catalog(), {}, TODAY)
    kinds = [w.kind for w in path.warnings]
    assert "unknown_skill" in kinds and "past_deadline" in kinds and "no_history" in kinds
    assert "ghost" in " ".join(w.message for w in path.warnings)
    assert path.steps  # still planned, as soon as possible


def test_prerequisites_come_first_and_a_full_session_falls_back() -> None:
    lr = learner(preferences=(Modality.IN_PERSON,), goals=(goal("analysis:2", weeks=12),))
    path = build_path(lr, chain_catalog(), {}, TODAY)
    order = path.item_ids
    assert order.index("intro") < order.index("analysis-el") < order.index("report-el")
    ws = next(s for s in path.steps if s.item_id == "analysis-ws")
    assert ws.session_id == "ws-2"  # the first session is full
    assert "skipped" in ws.reason and "full" in ws.reason
    assert validate_path(path, chain_catalog(), lr, TODAY) == []


def test_every_session_full_is_replaced_by_another_modality_with_the_reason() -> None:
    cat = chain_catalog()
    sessions = [
        session("ws-1", "analysis-ws", 14, 8, 8),
        session("ws-2", "analysis-ws", 42, 8, 8),
        session("vc-1", "analysis-vc", 60),
    ]
    cat = Catalog(cat.skills.values(), cat.items.values(), sessions, cat.roles.values())
    lr = learner(preferences=(Modality.IN_PERSON,), goals=(goal("analysis:2", weeks=20),))
    path = build_path(lr, cat, {}, TODAY)
    step = next(s for s in path.steps if s.item_id == "analysis-vc")
    assert "Analysis-Ws" in step.reason and "full" in step.reason
    assert any(w.kind == "fallback" for w in path.warnings)


def test_budget_and_deadline_warnings() -> None:
    lr = learner(hours_per_week=1.0, goals=(goal("reporting:2", weeks=2, label="Fast track"),))
    path = build_path(lr, chain_catalog(), {}, TODAY)
    late = [w for w in path.warnings if w.kind == "late"]
    assert [w.evidence["goal"] for w in late] == ["Fast track"]
    weekly: dict[date, float] = {}
    for s in path.steps:
        for week, hours in s.allocation:
            weekly[week] = weekly.get(week, 0) + hours
    longest = max(
        (s.hours for s in path.steps if s.session_id), default=0.0
    )  # a session may exceed it
    assert all(h <= max(1.0, longest) + 1e-6 for h in weekly.values())
    assert [p.kind for p in validate_path(path, chain_catalog(), lr, TODAY)].count(
        "past_deadline"
    ) >= 1


def test_blend_prefers_practice_after_e_learning() -> None:
    skills = [SkillDef(f"k{i}", f"K{i}") for i in range(5)]
    items = [item(f"el{i}", f"k{i}:2") for i in range(5)] + [
        item(f"coach{i}", f"k{i}:2", Modality.COACHING) for i in range(5)
    ]
    cat = Catalog(skills, items)
    lr = learner(role=None, goals=(goal(" ".join(f"k{i}:2" for i in range(5))),))
    path = build_path(lr, cat, {}, TODAY)
    mods = [s.modality for s in path.steps]
    assert Modality.COACHING in mods and Modality.E_LEARNING in mods
    run = best = 1
    for a, b in itertools.pairwise(mods):
        run = run + 1 if a == b else 1
        best = max(best, run)
    assert best <= 3


def test_weak_quiz_adds_remediation_with_the_score_in_the_reason() -> None:
    history = (
        HistoryRecord(RecordKind.COMPLETION, TODAY - timedelta(days=60), "intro"),
        HistoryRecord(RecordKind.QUIZ, TODAY - timedelta(days=30), skill="basics", score=0.4),
    )
    path = build_path(learner(role=None, history=history), chain_catalog(), {}, TODAY)
    [step] = [s for s in path.steps if "basics" in str(s.evidence.get("weak"))]
    assert "40%" in step.reason


def test_no_item_twice_and_seats_are_shared_across_a_batch() -> None:
    cat = chain_catalog()
    ledger = SeatLedger()
    for n in range(12):
        lr = learner(
            id=f"u{n}", preferences=(Modality.IN_PERSON,), goals=(goal("analysis:2", weeks=30),)
        )
        path = build_path(lr, cat, {}, TODAY, ledger=ledger)
        assert len(path.item_ids) == len(set(path.item_ids))
        reserve(ledger, path, cat)
    assert all(ledger.seats[sid] <= cat.sessions[sid].free_seats for sid in ledger.seats)


def test_french_reasons() -> None:
    lr = learner(language="fr", goals=(goal("analysis:1"),))
    path = build_path(lr, chain_catalog(), {}, TODAY)
    assert "niveau" in path.steps[0].reason


def random_catalog(rng: random.Random) -> Catalog:
    n = rng.randint(4, 10)
    skills = [
        SkillDef(
            f"s{i}",
            f"S{i}",
            requires=tuple(
                SkillLevel(f"s{j}") for j in rng.sample(range(i), min(i, rng.randint(0, 2)))
            ),
        )
        for i in range(n)
    ]
    items = []
    for k in range(rng.randint(n, 3 * n)):
        mod = rng.choice(list(Modality))
        taught = " ".join(
            f"s{s}:{rng.randint(1, 3)}" for s in rng.sample(range(n), rng.randint(1, 2))
        )
        pre = (f"i{rng.randrange(k)}",) if k and rng.random() < 0.3 else ()
        items.append(
            item(
                f"i{k}",
                taught,
                mod,
                rng.choice([0.5, 1, 2, 4]),
                prereq_items=pre,
                monthly_capacity=2 if mod is Modality.COACHING else None,
            )
        )
    sessions = [
        session(f"i{k}-{d}", it.id, d, seats=rng.randint(0, 3))
        for k, it in enumerate(items)
        if it.modality.scheduled
        for d in (10, 40, 90)
    ]
    return Catalog(
        skills,
        items,
        sessions,
        [
            RoleProfile(
                "r",
                "R",
                tuple(SkillLevel(f"s{i}", rng.randint(1, 3)) for i in rng.sample(range(n), 2)),
            )
        ],
    )


@pytest.mark.parametrize("seed", range(40))
def test_random_catalogs_never_violate_prerequisites(seed: int) -> None:
    rng = random.Random(seed)
    cat = random_catalog(rng)
    ledger = SeatLedger()
    for n in range(3):
        lr = learner(
            id=f"u{n}",
            role="r",
            hours_per_week=rng.choice([1, 3, 6]),
            goals=(goal(f"s{rng.randrange(len(cat.skills))}:3", weeks=rng.randint(2, 30)),),
        )
        path = build_path(lr, cat, {}, TODAY, ledger=ledger)
        kinds = {p.kind for p in validate_path(path, cat, lr, TODAY, ledger=ledger)}
        assert not kinds & {
            "prerequisite",
            "duplicate",
            "session_full",
            "session_closed",
            "no_session",
        }
        assert path == build_path(lr, cat, {}, TODAY, ledger=ledger)  # deterministic
        reserve(ledger, path, cat)


def rounds_agree(catalog: Catalog, lr: Learner, mastery: dict[str, MasteryEstimate]) -> None:
    """Selection rounds ruling out ever more items choose the same with a shared memo as
    from nothing."""
    report = analyse_gaps(lr, catalog, mastery, TODAY)
    memo = Memo(lr, NO_SIGNAL, frozenset(), catalog)
    ruled_out: dict[str, str] = {}
    for n in range(6):

        def available(it: CatalogItem) -> str | None:
            return ruled_out.get(it.id)

        rounds = [
            select_items(report.gaps, lr, catalog, report.levels, NO_SIGNAL, available, **kw)
            for kw in ({"memo": memo}, {})
        ]
        shared, fresh = (
            [(k, c.priority, c.gaps, c.instead, c.blend) for k, c in r.choices.items()]
            for r in rounds
        )
        assert shared == fresh
        assert rounds[0].notes == rounds[1].notes
        ruled_out.update((k, "ruled out") for k in list(rounds[0].choices)[n::4])


@pytest.mark.parametrize("seed", range(3))
def test_rounds_sharing_a_memo_choose_as_fresh_rounds_do(seed: int) -> None:
    """The rankings kept across a build's selection rounds never change a choice."""
    catalog, learners, mastery = generate(n_items=1500, n_skills=90, n_learners=12, seed=seed)
    for lr in learners:
        rounds_agree(catalog, lr, mastery.get(lr.id, {}))


def test_rounds_sharing_a_memo_agree_on_small_catalogs_with_looping_needs() -> None:
    for seed in range(100):
        rng = random.Random(seed)
        cat = random_catalog(rng)
        target = f"s{rng.randrange(len(cat.skills))}:3"
        rounds_agree(cat, learner(role="r", goals=(goal(target, weeks=10),)), {})
