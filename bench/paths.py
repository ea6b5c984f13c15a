"""Blended paths: quality, latency and throughput of ``recommender.paths.build_path``.

    python -m bench.paths DEMO_DIR --out FILE.json [--items 5000 --skills 300 --learners 10000]

Two catalogs: the Northwind demo (``recommender.demo.load_demo``) and one generated here
with a fixed seed (a DAG of skills, items of every modality, sessions with seats partly
taken, mandatory items with renewal, learners with roles, goals, history and some weak
quizzes). Every learner is planned in turn with one seat ledger, so seats taken by earlier
plans count. Quality comes from ``validate_path`` (prerequisite violations, full sessions,
deadlines, budget) plus goal coverage and modality blend. Baselines use the same gap
analysis and, per gap, the first item in catalog order or the most popular item, in that
naive order. Latency is per learner (p50/p95, one path); throughput is paths/s over the
whole batch, both single process.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.progress import track

from bench.common import console, print_table, write_json
from recommender.catalog import Catalog
from recommender.demo import load_demo
from recommender.gaps import current_levels
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
from recommender.paths import CoCompletion, SeatLedger, build_path, reserve, validate_path
from recommender.plan import Gap, Step
from recommender.plan import Path as LearningPath

TODAY = date(2026, 11, 23)
LAYERS = 6  # depth of the generated skills DAG
MODALITIES = [
    (Modality.E_LEARNING, 0.55),
    (Modality.IN_PERSON, 0.12),
    (Modality.VIRTUAL, 0.13),
    (Modality.COACHING, 0.08),
    (Modality.ON_THE_JOB, 0.12),
]
HOURS = {
    Modality.E_LEARNING: (0.5, 3.0),
    Modality.IN_PERSON: (3.0, 7.0),
    Modality.VIRTUAL: (1.0, 2.0),
    Modality.COACHING: (1.0, 1.0),
    Modality.ON_THE_JOB: (2.0, 6.0),
}


def generate(
    n_items: int, n_skills: int, n_learners: int, seed: int = 0
) -> tuple[Catalog, list[Learner], dict[str, dict[str, MasteryEstimate]]]:
    """A synthetic catalog and learners (deterministic for a seed)."""
    rng = random.Random(seed)
    skills = []
    layer = max(1, n_skills // LAYERS)  # skills in layers; each requires 0-2 of the layer below
    for i in range(n_skills):
        pool = list(range(max(0, (i // layer - 1) * layer), (i // layer) * layer))
        reqs = rng.sample(pool, k=min(len(pool), rng.choice([0, 1, 1, 2])))
        skills.append(
            SkillDef(f"s{i}", f"Skill {i}", 3, tuple(SkillLevel(f"s{r}", 1) for r in reqs))
        )
    roles = [
        RoleProfile(
            f"r{k}",
            f"Role {k}",
            tuple(SkillLevel(f"s{s}", rng.randint(1, 2)) for s in rng.sample(range(n_skills), 8)),
        )
        for k in range(30)
    ]
    items, sessions = [], []
    kinds, weights = zip(*MODALITIES, strict=True)
    for j in range(n_items):
        mod = rng.choices(kinds, weights)[0]
        primary = rng.randrange(n_skills)
        taught = {primary} | {
            min(n_skills - 1, primary + d) for d in rng.sample(range(1, 4), rng.randint(0, 2))
        }
        top = rng.randint(1, 2) if mod is Modality.E_LEARNING else rng.randint(2, 3)
        lo, hi = HOURS[mod]
        prereq: tuple[str, ...] = ()
        if j > 10 and rng.random() < 0.15:
            prereq = (f"i{rng.randrange(max(0, j - 200), j)}",)
        mandatory: tuple[MandatoryRule, ...] = ()
        if j % 500 == 7:
            mandatory = (MandatoryRule(f"r{rng.randrange(30)}", 365),)
        items.append(
            CatalogItem(
                f"i{j}",
                f"Item {j}",
                mod,
                round(rng.uniform(lo, hi), 2),
                "fr" if rng.random() < 0.15 else "en",
                top - 1 if top > 1 and rng.random() < 0.5 else 1,
                tuple(SkillLevel(f"s{s}", top) for s in sorted(taught)),
                prereq_items=prereq,
                mandatory_for=mandatory,
                monthly_capacity=rng.randint(4, 10) if mod is Modality.COACHING else None,
            )
        )
        if mod.scheduled:
            for k in range(rng.randint(2, 4)):
                start = datetime(2026, 11, 23, 9) + timedelta(days=rng.randint(3, 280))
                seats = rng.randint(8, 20)
                taken = seats if rng.random() < 0.1 else rng.randint(0, seats - 1)
                sessions.append(
                    Session(f"i{j}-{k}", f"i{j}", start, seats, taken, "Room", "Trainer")
                )
    catalog = Catalog(skills, items, sessions, roles)
    learners, mastery = [], {}
    for u in range(n_learners):
        role = roles[rng.randrange(30)]
        goals: list[Goal] = []
        if rng.random() < 0.5:
            deadline = TODAY + timedelta(weeks=rng.randint(8, 40))
            if rng.random() < 0.4:
                goals.append(Goal("next role", role=f"r{rng.randrange(30)}", deadline=deadline))
            else:
                wanted = tuple(
                    SkillLevel(f"s{s}", rng.randint(1, 3)) for s in rng.sample(range(n_skills), 3)
                )
                goals.append(Goal("skills goal", skills=wanted, deadline=deadline))
        history = []
        for sl in role.skills[: rng.randint(0, 5)]:
            teaching = catalog.teaching.get(sl.skill, [])
            if teaching:
                item = teaching[rng.randrange(len(teaching))]
                day = TODAY - timedelta(days=rng.randint(10, 700))
                history.append(
                    HistoryRecord(
                        RecordKind.COMPLETION, day, item.id, score=round(rng.uniform(0.4, 1), 2)
                    )
                )
                if rng.random() < 0.2:
                    history.append(HistoryRecord(RecordKind.QUIZ, day, skill=sl.skill, score=0.35))
        if rng.random() < 0.3:
            mastery[f"u{u}"] = {
                s: MasteryEstimate(s, p, max(0, p - 0.1), min(1, p + 0.1), 6)
                for s, p in ((sl.skill, rng.random()) for sl in role.skills[:3])
            }
        learners.append(
            Learner(
                f"u{u}",
                role=role.id,
                language="fr" if rng.random() < 0.2 else "en",
                hours_per_week=rng.choice([2, 3, 4, 5]),
                preferences=tuple(rng.sample(kinds, rng.randint(0, 2))),
                goals=tuple(goals),
                history=tuple(history),
            )
        )
    return catalog, learners, mastery


def coverage(
    path: LearningPath, gaps: list[Gap], catalog: Catalog, learner: Learner
) -> tuple[int, int]:
    """Gaps whose target the path reaches, and gaps the catalog could close at all."""
    levels = current_levels(learner, catalog, {}).current
    reached = dict(levels)
    for step in path.steps:
        for sl in catalog.items[step.item_id].skills:
            reached[sl.skill] = max(reached.get(sl.skill, 0), sl.level)
    items = set(path.item_ids)
    covered = closable = 0
    for g in gaps:
        if g.item is not None:
            closable += 1
            covered += g.item in items
        elif (
            max(
                (i.teaches(g.skill or "") for i in catalog.teaching.get(g.skill or "", [])),
                default=0,
            )
            >= g.target
        ):
            closable += 1
            covered += reached.get(g.skill or "", 0) >= g.target
    return covered, closable


def longest_run(steps: tuple[Step, ...]) -> int:
    best = run = 0
    last = None
    for s in steps:
        run = run + 1 if s.modality == last else 1
        last = s.modality
        best = max(best, run)
    return best


def naive_path(
    learner: Learner, catalog: Catalog, gaps: list[Gap], popularity: dict[str, float], by: str
) -> LearningPath:
    """A baseline: per gap the first item (catalog order) or the most popular, in that order."""
    chosen: dict[str, CatalogItem] = {}
    for g in gaps:
        if g.item is not None:
            chosen.setdefault(g.item, catalog.items[g.item])
            continue
        pool = [
            i
            for i in catalog.teaching.get(g.skill or "", [])
            if i.teaches(g.skill or "") > g.current
        ]
        if not pool:
            continue
        if by == "catalog":
            pick = next((i for i in pool if i.teaches(g.skill or "") >= g.target), pool[0])
        else:
            pick = max(pool, key=lambda i: (popularity.get(i.id, 0.0), -catalog.position[i.id]))
        chosen.setdefault(pick.id, pick)
    order = sorted(
        chosen.values(),
        key=(lambda i: catalog.position[i.id])
        if by == "catalog"
        else (lambda i: -popularity.get(i.id, 0.0)),
    )
    steps = tuple(
        Step(
            i.id,
            i.title,
            i.modality,
            TODAY + timedelta(days=n),
            TODAY + timedelta(days=n),
            i.hours,
            "",
        )
        for n, i in enumerate(order)
    )
    return LearningPath(learner.id, TODAY, learner.hours_per_week, steps)


def evaluate(
    name: str,
    catalog: Catalog,
    learners: list[Learner],
    mastery: dict[str, dict[str, MasteryEstimate]],
    today: date,
    latency_sample: int,
    baseline_sample: int,
) -> dict[str, Any]:
    """Plan every learner in turn with one seat ledger; score the paths and the baselines."""
    t0 = time.perf_counter()
    cocompletion = CoCompletion().fit(learners)
    fit_seconds = time.perf_counter() - t0
    popularity = Counter(r.item_id for lr in learners for r in lr.history if r.item_id)
    pop = {k: v / max(len(learners), 1) for k, v in popularity.items()}
    ledger = SeatLedger()
    times: list[float] = []
    stats: Counter[str] = Counter()
    runs: list[int] = []
    sampled = set(range(0, len(learners), max(1, len(learners) // max(latency_sample, 1))))
    base: dict[str, Counter[str]] = {
        "catalog": Counter(),
        "popularity": Counter(),
        "same_items_catalog_order": Counter(),
    }
    started = time.perf_counter()
    for n, learner in enumerate(track(learners, description=f"{name}: planning", console=console)):
        m = mastery.get(learner.id, {})
        t = time.perf_counter()
        path = build_path(learner, catalog, m, today, cocompletion=cocompletion, ledger=ledger)
        if n in sampled:
            times.append(time.perf_counter() - t)
        problems = validate_path(path, catalog, learner, today, mastery=m, ledger=ledger)
        reserve(ledger, path, catalog)
        kinds = Counter(p.kind for p in problems)
        gaps = list(path.gaps)
        covered, closable = coverage(path, gaps, catalog, learner)
        stats["paths"] += 1
        stats["steps"] += len(path.steps)
        stats["prerequisite_violations"] += kinds["prerequisite"]
        stats["full_session_problems"] += kinds["session_full"] + kinds["session_closed"]
        stats["over_budget_weeks"] += kinds["over_budget"]
        stats["duplicates"] += kinds["duplicate"]
        stats["steps_after_deadline"] += kinds["past_deadline"]
        stats["steps_with_deadline"] += sum(s.deadline is not None for s in path.steps)
        stats["gaps"] += len(gaps)
        stats["gaps_closable"] += closable
        stats["gaps_covered"] += covered
        stats["paths_with_goal"] += bool(learner.goals)
        stats["goal_paths_on_time"] += bool(learner.goals) and not any(
            w.kind == "late" for w in path.warnings
        )
        stats["warnings"] += len(path.warnings)
        mods = {s.modality for s in path.steps}
        practice_possible = any(
            i.modality.practice for g in gaps if g.skill for i in catalog.teaching.get(g.skill, [])
        )
        if len(path.steps) >= 2 and practice_possible:
            stats["blend_eligible"] += 1
            stats["blend_mixed"] += len(mods) >= 2
        runs.append(longest_run(path.steps))
        if n < baseline_sample:
            for by in ("catalog", "popularity"):
                naive = naive_path(learner, catalog, gaps, pop, by)
                bp = [
                    p
                    for p in validate_path(naive, catalog, learner, today, mastery=m)
                    if p.kind == "prerequisite"
                ]
                c, k = coverage(naive, gaps, catalog, learner)
                base[by]["prerequisite_violations"] += len(bp)
                base[by]["gaps_covered"] += c
                base[by]["gaps_closable"] += k
                base[by]["paths"] += 1
            same = sorted(path.steps, key=lambda s: catalog.position[s.item_id])
            reordered = LearningPath(
                learner.id,
                today,
                learner.hours_per_week,
                tuple(
                    Step(
                        s.item_id,
                        s.title,
                        s.modality,
                        today + timedelta(days=k),
                        today + timedelta(days=k),
                        s.hours,
                        "",
                    )
                    for k, s in enumerate(same)
                ),
            )
            sv = [
                p
                for p in validate_path(reordered, catalog, learner, today, mastery=m)
                if p.kind == "prerequisite"
            ]
            base["same_items_catalog_order"]["prerequisite_violations"] += len(sv)
            base["same_items_catalog_order"]["paths"] += 1
    elapsed = time.perf_counter() - started
    conflicts = sum(1 for sid, n in ledger.seats.items() if n > catalog.sessions[sid].free_seats)
    ms = sorted(t * 1000 for t in times)
    return {
        "catalog": {
            "items": len(catalog.items),
            "skills": len(catalog.skills),
            "sessions": len(catalog.sessions),
            "learners": len(learners),
        },
        "quality": {
            "prerequisite_violations": stats["prerequisite_violations"],
            "session_seat_conflicts": conflicts,
            "full_or_closed_session_steps": stats["full_session_problems"],
            "duplicate_items": stats["duplicates"],
            "over_budget_weeks": stats["over_budget_weeks"],
            "goal_coverage": _ratio(stats["gaps_covered"], stats["gaps"]),
            "goal_coverage_of_closable_gaps": _ratio(stats["gaps_covered"], stats["gaps_closable"]),
            "deadline_fit_steps": 1
            - _ratio(stats["steps_after_deadline"], stats["steps_with_deadline"]),
            "goal_paths_on_time": _ratio(stats["goal_paths_on_time"], stats["paths_with_goal"]),
            "paths_mixing_modalities": _ratio(stats["blend_mixed"], stats["blend_eligible"]),
            "longest_same_modality_run_mean": round(statistics.fmean(runs), 2) if runs else 0,
            "longest_same_modality_run_max": max(runs, default=0),
            "steps_per_path": _ratio(stats["steps"], stats["paths"]),
            "warnings_per_path": _ratio(stats["warnings"], stats["paths"]),
        },
        "baselines": {
            by: {
                "paths": c["paths"],
                "prerequisite_violations": c["prerequisite_violations"],
                **(
                    {
                        "goal_coverage_of_closable_gaps": _ratio(
                            c["gaps_covered"], c["gaps_closable"]
                        )
                    }
                    if "gaps_closable" in c
                    else {}
                ),
            }
            for by, c in base.items()
        },
        "latency_ms": {
            "sampled_paths": len(ms),
            "p50": round(ms[len(ms) // 2], 2) if ms else None,
            "p95": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2) if ms else None,
        },
        "throughput_paths_per_s": round(len(learners) / elapsed, 1) if elapsed else None,
        "batch_seconds_incl_validation": round(elapsed, 2),
        "cocompletion_fit_seconds": round(fit_seconds, 3),
    }


def _ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else 0.0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("demo", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--skills", type=int, default=300)
    ap.add_argument("--learners", type=int, default=10000)
    ap.add_argument("--latency-sample", type=int, default=1000)
    ap.add_argument("--baseline-sample", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    demo = load_demo(args.demo)
    demo_learners = list(demo.learners.values())
    results: dict[str, Any] = {
        "method": (
            "every learner planned in turn with one seat ledger (seats of earlier plans count); "
            "latency = build_path only on an evenly spaced sample; throughput = whole batch "
            "including validate_path and metrics, single process"
        ),
        "demo": evaluate("demo", demo.catalog, demo_learners, {}, demo.today, 1000, 1000),
    }
    # the demo's collaborative signal is its cohort: refit with it for the per-learner view
    cc = CoCompletion().fit(demo.cohort + demo_learners)
    ledger = SeatLedger()
    per_learner = {}
    for lr in demo_learners:
        p = build_path(lr, demo.catalog, {}, demo.today, cocompletion=cc, ledger=ledger)
        reserve(ledger, p, demo.catalog)
        per_learner[lr.id] = {
            "steps": len(p.steps),
            "modalities": sorted({s.modality.value for s in p.steps}),
            "warnings": [w.kind for w in p.warnings],
            "first_step": p.steps[0].reason if p.steps else None,
        }
    results["demo"]["per_learner"] = per_learner

    t0 = time.perf_counter()
    catalog, learners, mastery = generate(args.items, args.skills, args.learners, args.seed)
    gen_seconds = time.perf_counter() - t0
    results["generated"] = evaluate(
        "generated", catalog, learners, mastery, TODAY, args.latency_sample, args.baseline_sample
    )
    results["generated"]["generation_seconds"] = round(gen_seconds, 2)
    results["generated"]["skills_dag"] = (
        f"{LAYERS} layers; each skill requires 0-2 skills of the layer below"
    )
    results["generated"]["seed"] = args.seed

    quality, speed = [], []
    for name in ("demo", "generated"):
        r = results[name]
        q = r["quality"]
        quality.append(
            [
                name,
                q["prerequisite_violations"],
                q["session_seat_conflicts"],
                q["goal_coverage_of_closable_gaps"],
                q["deadline_fit_steps"],
                q["over_budget_weeks"],
                q["paths_mixing_modalities"],
                q["longest_same_modality_run_mean"],
            ]
        )
        for by, b in r["baselines"].items():
            cov = b.get("goal_coverage_of_closable_gaps", "")
            quality.append([f"{name}: {by}", b["prerequisite_violations"], "", cov, "", "", "", ""])
        lat = r["latency_ms"]
        speed.append(
            [
                name,
                r["catalog"]["items"],
                r["catalog"]["learners"],
                lat["p50"],
                lat["p95"],
                r["throughput_paths_per_s"],
            ]
        )
    print_table(
        "Blended paths: quality (baselines: same gaps, naive choice and order)",
        [
            "paths",
            "prereq viol.",
            "seat confl.",
            "coverage",
            "on time",
            "weeks over",
            "mixed",
            "run",
        ],
        quality,
    )
    print_table(
        "Blended paths: speed",
        ["catalog", "items", "learners", "p50 ms", "p95 ms", "paths/s"],
        speed,
    )
    write_json(args.out, results)


if __name__ == "__main__":
    main()
