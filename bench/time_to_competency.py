"""Time to competency: simulated learners following blendcoach's paths or naive course lists.

    python -m bench.time_to_competency TRAIN.csv [HELDOUT.csv] --out F.json
        [--catalog demo|generated] [--learners 300] [--seed 7] [--horizon 200]

BKT (standard, no forgetting) is fitted on TRAIN.csv (long format ``user_id,skill_name,
correct``); each catalog skill borrows one fitted skill's parameters and the simulated
learners of ``recommender.simulate`` learn by them. Every learner gets a goal (a target role
or a few skills at levels) and follows four policies from the same hidden state with the
same random draws: ``blendcoach`` (``build_path`` with the learner's goal, history of
completions and quiz scores, and mastery from its knowledge tracer; re-planned after every
step), and three course lists an LMS would show, restricted to the items tagged with a
target skill: ``catalog_order``, ``popularity`` (most learners completed first, in the
catalog's own history) and ``random``. A list is taken in order; items whose end quiz was
failed are retaken in later passes; once every item is passed the whole list starts again.
The figure is the training hours until every target skill reaches its level (hidden state),
capped at ``--horizon``; non-reachers count as the horizon.

Held out: with HELDOUT.csv the simulated learners' true parameters come from a fit on it
(learners blendcoach's tracer never saw; the tracer keeps TRAIN's) and a fresh cohort
(seed + 1); without it, a second seed (other skill mappings and cohort).

``--diagnostics`` also runs blendcoach with one input withheld (mastery estimates; quiz
evidence on skills outside the learner's targets) to show where its hours go;
``--sensitivity`` re-runs the main cohort with one simulator assumption changed at a time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import track

from bench.common import console, print_table, write_json
from recommender.catalog import Catalog
from recommender.collaborative import CoCompletion
from recommender.demo import load_demo
from recommender.gaps import PASS
from recommender.mastery import (
    Attempts,
    BKTParams,
    KnowledgeTracer,
    fit_bkt,
)
from recommender.model import Goal, Learner, RecordKind, SkillLevel
from recommender.simulate import (
    MAX_STALLS,
    Outcome,
    SimConfig,
    SimulatedLearner,
    assign_sources,
    assumptions,
    competency_targets,
    follow_blendcoach,
    follow_list,
    tracer_with,
)

POLICIES = ("blendcoach", "catalog_order", "popularity", "random")
TARGET = 0.30
DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"
# blendcoach with one of its inputs withheld, to find where its time goes (not policies)
DIAGNOSTICS: dict[str, Callable[[Mapping[str, int]], dict[str, Any]]] = {
    "blendcoach_without_mastery": lambda targets: {"use_mastery": False},
    "blendcoach_target_quizzes_only": lambda targets: {"quizzed": set(targets)},
    "blendcoach_without_both": lambda targets: {"use_mastery": False, "quizzed": set(targets)},
}


@dataclass
class World:
    """A catalog to learn from, its planning date, and its learners' past completions."""

    catalog: Catalog
    today: date
    cocompletion: CoCompletion
    completed_by: Counter[str]  # item -> learners who completed it


def fit_params(path: Path) -> tuple[dict[str, BKTParams], Counter[str], float]:
    """Standard BKT per skill of a long-format file, attempts per skill, fit seconds."""
    attempts = Attempts.read_csv(path)
    skills, skill_idx = np.unique(attempts.skill, return_inverse=True)
    _, user_idx = np.unique(attempts.user, return_inverse=True)
    start = time.perf_counter()
    fitted = fit_bkt(user_idx, skill_idx, attempts.correct, len(skills), forgets=False)
    seconds = time.perf_counter() - start
    counts = np.bincount(skill_idx, minlength=len(skills))
    names = [str(s) for s in skills]
    return (
        dict(zip(names, fitted, strict=True)),
        Counter(dict(zip(names, counts.tolist(), strict=True))),
        seconds,
    )


def without_mandatory(catalog: Catalog) -> Catalog:
    """The catalog minus its mandatory rules: compliance is not the goal being timed."""
    items = [replace(i, mandatory_for=()) for i in catalog.items.values()]
    return Catalog(
        catalog.skills.values(), items, catalog.sessions.values(), catalog.roles.values()
    )


def load_world(kind: str, demo_dir: Path, seed: int, items: int, skills: int) -> World:
    """The demo catalog with its cohort, or a generated one (``bench.paths.generate``)."""
    if kind == "demo":
        demo = load_demo(demo_dir)
        catalog, people, today = (
            demo.catalog,
            demo.cohort + list(demo.learners.values()),
            demo.today,
        )
    else:
        from bench.paths import TODAY, generate

        catalog, people, _ = generate(items, skills, max(items // 2, 200), seed)
        today = TODAY
    completed_by: Counter[str] = Counter()
    for lr in people:
        completed_by.update(
            {r.item_id for r in lr.history if r.kind is RecordKind.COMPLETION and r.item_id}
        )
    cc = CoCompletion().fit(people)
    return World(without_mandatory(catalog), today, cc, completed_by)


@dataclass(frozen=True)
class Person:
    """A simulated learner: goal, targets, own skill parameters and blendcoach's tracer."""

    learner: Learner
    targets: dict[str, int]
    seed: str  # the simulated person's random draws
    truth: dict[str, BKTParams]  # per catalog skill, drives the simulation
    tracer: KnowledgeTracer  # blendcoach's learner model for this person's skills


def make_cohort(
    world: World,
    truth: Mapping[str, BKTParams],
    estimator: Mapping[str, BKTParams],
    sources: list[str],
    n: int,
    seed: int,
    config: SimConfig,
) -> list[Person]:
    """Learners with one goal each: a target role (half, when there are roles) or 2-3 skills
    at random teachable levels. Each learner draws their own skill-to-parameter mapping, so
    no figure hangs on which catalog skill drew a slow parameter set. Goals the learner
    already meets are drawn again."""
    cat = world.catalog
    rng = random.Random(f"cohort:{seed}")
    teachable = sorted(s for s in cat.skills if cat.reachable(s) > 0)
    roles = sorted(cat.roles)
    out: list[Person] = []
    while len(out) < n:
        if roles and rng.random() < 0.5:
            goal = Goal("target role", role=rng.choice(roles))
        else:
            picked = rng.sample(teachable, min(rng.randint(2, 3), len(teachable)))
            levels = tuple(SkillLevel(s, rng.randint(1, cat.reachable(s))) for s in picked)
            goal = Goal("skills goal", skills=levels)
        learner = Learner(
            f"sim{len(out)}",
            language="en",
            other_languages=("fr",),
            hours_per_week=4.0,
            goals=(goal,),
        )
        targets = competency_targets(learner, cat)
        person = f"{seed}:{learner.id}"
        mapping = assign_sources(cat.skills, sources, person)
        params = {s: truth[src] for s, src in mapping.items()}
        if targets and not SimulatedLearner(cat, params, person, config).reached(targets):
            tracer = tracer_with({s: estimator[src] for s, src in mapping.items()})
            out.append(Person(learner, targets, person, params, tracer))
    return out


def one_person(
    world: World, p: Person, config: SimConfig, horizon: float, diagnostics: bool
) -> dict[str, Outcome]:
    """One learner under every policy, each from the same seed (common random numbers)."""
    cat = world.catalog

    def sim() -> SimulatedLearner:
        return SimulatedLearner(cat, p.truth, p.seed, config)

    def follow(**options: Any) -> Outcome:
        return follow_blendcoach(
            sim(),
            p.learner,
            p.targets,
            p.tracer,
            world.today,
            horizon,
            cocompletion=world.cocompletion,
            **options,
        )

    tagged = [i for i in cat.items.values() if any(sl.skill in p.targets for sl in i.skills)]
    shuffled = list(tagged)
    random.Random(f"{p.seed}:order").shuffle(shuffled)
    orders = {
        "catalog_order": tagged,
        "popularity": sorted(tagged, key=lambda i: -world.completed_by[i.id]),
        "random": shuffled,
    }
    out = {"blendcoach": follow()}
    out |= {name: follow_list(sim(), order, p.targets, horizon) for name, order in orders.items()}
    for name, options in (DIAGNOSTICS if diagnostics else {}).items():
        out[name] = follow(**options(p.targets))
    return out


def summarise(outcomes: list[Outcome], horizon: float) -> dict[str, Any]:
    hours = np.array([horizon if o.hours is None else o.hours for o in outcomes])
    return {
        "median_hours": round(float(np.median(hours)), 2),
        "p75_hours": round(float(np.percentile(hours, 75)), 2),
        "reached_share": round(sum(o.hours is not None for o in outcomes) / len(outcomes), 4),
        "n": len(outcomes),
        "mean_items": round(statistics.fmean(o.items for o in outcomes), 2),
    }


def report(runs: dict[str, list[Outcome]], horizon: float) -> dict[str, Any]:
    """Per-policy figures, the reduction against catalog order and paired comparisons."""
    policies = {p: summarise(runs[p], horizon) for p in POLICIES}
    ours, base = runs["blendcoach"], runs["catalog_order"]
    policies["blendcoach"]["stalled"] = sum(o.stalled for o in ours)
    policies["blendcoach"]["review_quizzes"] = sum(o.reviews for o in ours)
    med = policies["catalog_order"]["median_hours"]
    capped = [
        (horizon if a.hours is None else a.hours, horizon if b.hours is None else b.hours)
        for a, b in zip(ours, base, strict=True)
    ]
    extra = {p: summarise(o, horizon) for p, o in runs.items() if p not in POLICIES}
    for v in extra.values():
        v["reduction_vs_catalog_order"] = round(1 - v["median_hours"] / med, 4) if med else 0.0
    return {
        "policies": policies,
        **({"diagnostics": extra} if extra else {}),
        "reduction_vs_catalog_order": round(1 - policies["blendcoach"]["median_hours"] / med, 4)
        if med
        else 0.0,
        "paired_vs_catalog_order": {
            "blendcoach_faster_share": round(statistics.fmean(a < b for a, b in capped), 4),
            "blendcoach_slower_share": round(statistics.fmean(a > b for a, b in capped), 4),
            "median_hours_saved": round(float(np.median([b - a for a, b in capped])), 2),
        },
    }


@dataclass(frozen=True)
class Study:
    """What every run of one benchmark shares."""

    world: World
    sources: list[str]  # skills of the logs whose parameters catalog skills may borrow
    learners: int
    horizon: float
    diagnostics: bool = False


def run(
    study: Study,
    truth: Mapping[str, BKTParams],
    estimator: Mapping[str, BKTParams],
    seed: int,
    config: SimConfig,
    label: str,
    sources: list[str] | None = None,
) -> dict[str, Any]:
    """Draw a cohort, simulate every policy, summarise.

    ``truth`` (per source skill) drives the simulated learners, ``estimator`` blendcoach's
    tracer; ``sources`` overrides the study's source skills.
    """
    cohort = make_cohort(
        study.world,
        truth,
        estimator,
        sources or study.sources,
        study.learners,
        seed,
        config,
    )
    runs: dict[str, list[Outcome]] = {}
    for person in track(cohort, description=label, console=console):
        outcomes = one_person(study.world, person, config, study.horizon, study.diagnostics)
        for name, outcome in outcomes.items():
            runs.setdefault(name, []).append(outcome)
    return report(runs, study.horizon)


SENSITIVITY: dict[str, Callable[[SimConfig], SimConfig]] = {
    "prerequisites_ignored": lambda c: replace(c, unmet_factor=1.0),
    "no_learning_without_prerequisites": lambda c: replace(c, unmet_factor=0.0),
    "half_the_opportunities": lambda c: replace(
        c, opportunities_per_hour=c.opportunities_per_hour / 2
    ),
    "twice_the_opportunities": lambda c: replace(
        c, opportunities_per_hour=c.opportunities_per_hour * 2
    ),
}


def study_assumptions(config: SimConfig, args: argparse.Namespace, n_sources: int) -> list[str]:
    """The simulator's assumptions and the benchmark's own, in words."""
    return [
        *assumptions(config),
        f"Parameters come from the {n_sources} skills of {args.train.name} with at least "
        f"{args.min_attempts} attempts (fitted on {args.train.name} only); each simulated "
        "learner draws their own mapping of catalog skills to them.",
        "Learners: one goal each (a target role for half of them when the catalog has roles, "
        "else 2-3 skills at random teachable levels), no current role, no history, reading "
        "English and French; goals already met at the start are drawn again.",
        "Mandatory (compliance) rules are removed from the catalog: they are not the goal. "
        "blendcoach plans on the catalog's planning date every time, so sessions stay "
        "bookable; course lists ignore sessions and seats altogether.",
        "blendcoach re-plans after every item from the completions (scored by the end quiz) "
        "and the quiz scores, with mastery from its knowledge tracer holding the fitted "
        "parameters; when its path is empty before competency, a review quiz on every "
        f"target skill (at its target level) follows; after {MAX_STALLS} empty paths in a "
        "row the learner counts as stalled (not reached).",
        "After each item, a quiz on every skill it teaches, asked at the level it teaches it. "
        "blendcoach's mastery of a skill is its tracer's P(known) over all answers on the "
        "skill, whatever their level, as in the service.",
        "Course lists (catalog order, popularity, random) hold the items tagged with a target "
        f"skill; an item is passed when its end quiz scores at least {PASS:g}; failed items are "
        "retaken in later passes, and the whole list restarts once all are passed.",
        "Every policy starts from the same hidden state and uses the same random draws per "
        "learner and skill (common random numbers).",
        f"Horizon {args.horizon:g} training hours; non-reachers count as the horizon.",
    ]


def _sources(min_attempts: int, *counts: Counter[str]) -> list[str]:
    """Skills with at least ``min_attempts`` attempts in every file (all shared skills if none)."""
    shared = set.intersection(*(set(c) for c in counts))
    return sorted({s for s in shared if all(c[s] >= min_attempts for c in counts)} or shared)


def _table(title: str, r: dict[str, Any]) -> None:
    rows = [
        [p, v["median_hours"], v["p75_hours"], v["reached_share"], v["mean_items"]]
        + ([r["reduction_vs_catalog_order"]] if p == "blendcoach" else [""])
        for p, v in r["policies"].items()
    ]
    for p, v in r.get("diagnostics", {}).items():
        figures = [v[k] for k in ("median_hours", "p75_hours", "reached_share", "mean_items")]
        rows.append(
            [p.replace("blendcoach_", "(diag.) "), *figures, v["reduction_vs_catalog_order"]]
        )
    print_table(title, ["policy", "median h", "p75 h", "reached", "items", "reduction"], rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train", type=Path)
    ap.add_argument("heldout", type=Path, nargs="?")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--catalog", choices=("demo", "generated"), default="demo")
    ap.add_argument("--demo-dir", type=Path, default=DEMO_DIR)
    ap.add_argument("--items", type=int, default=600, help="generated catalog: items")
    ap.add_argument("--skills", type=int, default=60, help="generated catalog: skills")
    ap.add_argument("--learners", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--horizon", type=float, default=200.0, help="training hours")
    ap.add_argument("--min-attempts", type=int, default=200, help="per source skill")
    ap.add_argument("--opportunities-per-hour", type=float, default=12.0)
    ap.add_argument("--unmet-factor", type=float, default=0.25)
    ap.add_argument("--quiz-questions", type=int, default=4)
    ap.add_argument("--diagnostics", action="store_true", help="blendcoach minus one input")
    ap.add_argument("--sensitivity", action="store_true", help="re-run with other assumptions")
    args = ap.parse_args(argv)
    config = SimConfig(args.opportunities_per_hour, args.unmet_factor, args.quiz_questions)
    started = time.perf_counter()

    train, train_counts, fit_seconds = fit_params(args.train)
    sources = _sources(args.min_attempts, train_counts)
    world = load_world(args.catalog, args.demo_dir, args.seed, args.items, args.skills)
    study = Study(world, sources, args.learners, args.horizon, args.diagnostics)

    main_run = run(study, train, train, args.seed, config, "simulating (TRAIN parameters)")
    held_seed = args.seed + 1
    if args.heldout is not None:
        held, held_counts, held_seconds = fit_params(args.heldout)
        both = _sources(args.min_attempts, train_counts, held_counts)
        heldout = run(study, held, train, held_seed, config, "held out (HELDOUT parameters)", both)
        heldout["held_out"] = (
            f"learners' true parameters fitted on {args.heldout.name} (learners not in "
            f"{args.train.name}); blendcoach's tracer keeps {args.train.name}'s fit; a fresh "
            f"cohort and skill mappings (seed {held_seed}) over the {len(both)} skills with at "
            f"least {args.min_attempts} attempts in both files"
        )
    else:
        heldout = run(study, train, train, held_seed, config, "held out (second seed)")
        heldout["held_out"] = f"a second seed ({held_seed}): another skill mapping and cohort"
    results: dict[str, Any] = {
        **main_run,
        "target": TARGET,
        "assumptions": study_assumptions(config, args, len(sources)),
        "catalog": args.catalog,
        "n_learners": args.learners,
        "seed": args.seed,
        "fit_seconds": round(fit_seconds, 2),
        "heldout": heldout,
    }
    if args.heldout is not None:
        results["heldout_fit_seconds"] = round(held_seconds, 2)
    tables = [("main", main_run), ("held out", heldout)]
    if args.sensitivity:
        quick = replace(study, diagnostics=False)
        results["sensitivity"] = {}
        for name, change in SENSITIVITY.items():
            changed = change(config)
            r = run(quick, train, train, args.seed, changed, name)
            results["sensitivity"][name] = {"config": asdict(changed), **r}
            tables.append((f"sensitivity: {name}", r))
    results["seconds"] = round(time.perf_counter() - started, 1)
    for name, r in tables:
        _table(f"Time to competency, {args.catalog} ({args.learners} learners): {name}", r)
    write_json(args.out, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
