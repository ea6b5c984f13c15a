"""The path builder: gaps, candidate items, a dated plan with reasons; review helpers.

``build_path(learner, catalog, mastery, today)`` runs gap analysis, chooses items, dates
them (prerequisites first, sessions with free seats, the weekly hours budget, a blend of
modalities) and explains every step. When an item cannot be scheduled it is replaced by the
next best and the path says so; goals that cannot be met by their deadline are warnings.
Deterministic: the same inputs give the same path.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from recommender.catalog import Catalog
from recommender.collaborative import NO_SIGNAL, CoCompletion
from recommender.evidence import render_reason, step_evidence
from recommender.gaps import Levels, analyse_gaps, gap_analysis
from recommender.mastery import MasteryEstimate
from recommender.model import CatalogItem, Learner
from recommender.plan import Note, Path, Step, path_from_json, path_to_json
from recommender.reasons import say
from recommender.review import PathDiff, PathProblem, diff_paths, validate_path
from recommender.schedule import (
    SCHEDULED,
    Calendar,
    Failure,
    Placed,
    SeatLedger,
    precedence,
    schedule,
    session_problem,
)
from recommender.select import Memo, select_items

__all__ = [
    "CoCompletion",
    "Path",
    "PathDiff",
    "PathProblem",
    "SeatLedger",
    "Step",
    "build_path",
    "diff_paths",
    "gap_analysis",
    "path_from_json",
    "path_to_json",
    "reserve",
    "validate_path",
]

ATTEMPTS = 6  # selection + scheduling rounds; each excludes the items that could not be placed


def build_path(
    learner: Learner,
    catalog: Catalog,
    mastery: Mapping[str, MasteryEstimate] | None = None,
    today: date | None = None,
    *,
    cocompletion: CoCompletion | None = None,
    ledger: SeatLedger | None = None,
    previous: Path | None = None,
    language: str | None = None,
) -> Path:
    """A dated path for ``learner``; seats already taken in ``ledger`` are not offered.

    ``previous`` (the approved path) makes its items slightly preferred, so a re-plan moves
    only what the new history requires. Call ``reserve(ledger, path, catalog)`` to count
    the path's seats before planning the next learner of a batch.
    """
    today = today or date.today()
    lang = language or ("fr" if learner.language == "fr" else "en")
    mastery = mastery or {}
    ledger = ledger or SeatLedger()
    report = analyse_gaps(learner, catalog, mastery, today, language=lang)
    signal = cocompletion.signal(learner) if cocompletion is not None else NO_SIGNAL
    kept = frozenset(previous.item_ids) if previous is not None else frozenset()
    excluded: dict[str, str] = {}
    memo = Memo(learner, signal, kept, catalog)

    sessions_why: dict[str, str | None] = {}  # the ledger does not change during a build

    def available(item: CatalogItem) -> str | None:
        if item.id in excluded:
            return excluded[item.id]
        if item.modality not in SCHEDULED:
            return None
        if item.id not in sessions_why:
            sessions_why[item.id] = _sessions_why(item, catalog, today, ledger, lang)
        return sessions_why[item.id]

    for attempt in range(ATTEMPTS):
        selection = select_items(
            report.gaps,
            learner,
            catalog,
            report.levels,
            signal,
            available,
            previous=kept,
            language=lang,
            memo=memo,
        )
        items = [c.item for c in selection.choices.values()]
        unmet = _unmet(items, catalog, report.levels)
        if unmet and attempt < ATTEMPTS - 1:  # a prerequisite could not be planned: choose again
            excluded.update((k, _why(f, lang)) for k, f in unmet.items())
            continue
        items = [i for i in items if i.id not in unmet]
        before, broken = precedence(items, catalog, report.levels)
        circular = {
            b: Failure(catalog.items[b], "circular", {"title": catalog.items[a].title})
            for a, b in broken
        }
        if circular and attempt < ATTEMPTS - 1:  # drop the dependent, choose again
            excluded.update((b, _why(f, lang)) for b, f in circular.items())
            continue
        deadlines = _deadlines(selection.choices, before)
        priority = {k: c.priority for k, c in selection.choices.items()}
        calendar = Calendar(today, learner.hours_per_week)
        placed, failures = schedule(
            [i for i in items if i.id not in circular],
            before,
            deadlines,
            priority,
            catalog,
            calendar,
            ledger,
            failed={**unmet, **circular},
        )
        if not failures or attempt == ATTEMPTS - 1:
            break
        for f in failures:
            excluded[f.item.id] = _why(f, lang)

    warnings = list(report.warnings) + selection.notes
    for f in failures:
        choice = selection.choices[f.item.id]
        skills = ", ".join(g.label for g in choice.gaps) or f.item.title
        warnings.append(
            Note(
                "unschedulable",
                say("w_unschedulable", lang, title=f.item.title, why=_why(f, lang), skills=skills),
                {"item": f.item.id, "why": f.why},
            )
        )
    titles = {k: c.item.title for k, c in selection.choices.items()}
    steps = []
    for p in sorted(placed, key=lambda p: (p.start, p.end)):
        ev = step_evidence(selection.choices[p.item.id], p, titles)
        steps.append(
            Step(
                item_id=p.item.id,
                title=p.item.title,
                modality=p.item.modality,
                start=p.start,
                end=p.end,
                hours=round(p.item.hours, 2),
                reason=render_reason(ev, lang),
                evidence=ev,
                session_id=p.session.id if p.session else None,
                deadline=deadlines.get(p.item.id),
                allocation=tuple((d, round(h, 2)) for d, h in p.allocation),
            )
        )
        if p.over_budget and p.item.hours <= learner.hours_per_week:
            warnings.append(
                Note(
                    "over_budget",
                    say("w_over_budget", lang, title=p.item.title, date=p.start.isoformat()),
                    {"item": p.item.id, "week": p.start.isoformat()},
                )
            )
        elif p.over_budget:
            warnings.append(
                Note(
                    "session_budget",
                    say(
                        "w_session_budget",
                        lang,
                        title=p.item.title,
                        hours=round(p.item.hours, 1),
                        budget=learner.hours_per_week,
                        date=p.start.isoformat(),
                    ),
                    {"item": p.item.id},
                )
            )
    warnings += _late(placed, selection.choices, lang)
    return Path(
        learner_id=learner.id,
        built_on=today,
        hours_per_week=learner.hours_per_week,
        steps=tuple(steps),
        gaps=tuple(report.gaps),
        warnings=tuple(warnings),
        language=lang,
    )


def _sessions_why(
    item: CatalogItem, catalog: Catalog, today: date, ledger: SeatLedger, lang: str
) -> str | None:
    """Why none of a session-based item's sessions can be booked, or None."""
    sessions = catalog.sessions_of.get(item.id, [])
    if not sessions:
        return say("no_sessions", lang)
    problems = [session_problem(s, today, ledger) for s in sessions]
    if any(p is None for p in problems):
        return None
    if all(p is not None and p[0] == "full" for p in problems):
        return say("all_full", lang)
    key, values = next(p for p in problems if p is not None and p[0] != "full")
    return say(key, lang, **values)


def _unmet(items: list[CatalogItem], catalog: Catalog, levels: Levels) -> dict[str, Failure]:
    """Chosen items whose prerequisites no other chosen item (or the learner) provides."""
    out: dict[str, Failure] = {}
    changed = True
    while changed:
        changed = False
        kept = [i for i in items if i.id not in out]
        reach: dict[str, int] = {}
        for i in kept:
            for sl in i.skills:
                reach[sl.skill] = max(reach.get(sl.skill, 0), sl.level)
        ids = {i.id for i in kept}
        for i in kept:
            missing = [r for r in i.prereq_items if r not in ids and r not in levels.completed]
            if missing:
                out[i.id] = Failure(i, "prereq_failed", {"title": catalog.items[missing[0]].title})
                changed = True
                continue
            for need in catalog.needs(i):
                if max(levels.of(need.skill), reach.get(need.skill, 0)) < need.level:
                    out[i.id] = Failure(
                        i,
                        "unteachable",
                        {"skill": catalog.label(need.skill), "level": str(need.level)},
                    )
                    changed = True
                    break
    return out


def reserve(ledger: SeatLedger, path: Path, catalog: Catalog) -> None:
    """Count ``path``'s sessions and coaching slots as taken in ``ledger``."""
    ledger.reserve((catalog.items[s.item_id], s.session_id, s.start) for s in path.steps)


def _why(f: Failure, lang: str) -> str:
    if f.why == "prereq_failed":
        return say("prereq_of", lang, titles=f.values.get("title", ""))
    if f.why == "horizon":
        return "planning horizon"
    return say(f.why, lang, **{"on": "", "deadline": "", **f.values})


def _deadlines(
    choices: Mapping[str, object], before: dict[str, set[str]]
) -> dict[str, date | None]:
    """Each item's deadline: its own gaps', and its dependents' (prerequisites come first)."""
    out: dict[str, date | None] = {}
    for key, choice in choices.items():
        dates = [g.deadline for g in getattr(choice, "gaps", []) if g.deadline is not None]
        out[key] = min(dates) if dates else None
    changed = True
    while changed:
        changed = False
        for b, prereqs in before.items():
            d = out.get(b)
            if d is None:
                continue
            for a in prereqs:
                if out.get(a) is None or d < out[a]:  # type: ignore[operator]
                    out[a] = d
                    changed = True
    return out


def _late(placed: list[Placed], choices: Mapping[str, object], lang: str) -> list[Note]:
    """One warning per goal or mandatory item whose last step ends after its deadline."""
    worst: dict[tuple[str, date], Placed] = {}
    for p in placed:
        for g in getattr(choices[p.item.id], "gaps", []):
            if g.deadline is None or p.end <= g.deadline:
                continue
            names = [s.label for s in g.sources if s.kind == "goal"]
            if g.item is not None:
                names.append(g.label)
            for name in names:
                key = (name, g.deadline)
                if key not in worst or p.end > worst[key].end:
                    worst[key] = p
    return [
        Note(
            "late",
            say(
                "w_late",
                lang,
                goal=name,
                deadline=d.isoformat(),
                title=p.item.title,
                end=p.end.isoformat(),
            ),
            {"goal": name, "deadline": d.isoformat(), "item": p.item.id, "end": p.end.isoformat()},
        )
        for (name, d), p in sorted(worst.items(), key=lambda kv: (kv[0][1], kv[0][0]))
    ]
