"""Candidate items per gap and the choice among them.

Content-based (skills taught above the planned level, entry level, language), collaborative
(``collaborative.Signal``), past performance (completed items are skipped; a weak quiz adds
remediation and favours practice), modality preferences and blend, and availability: an
item whose sessions are all full is replaced by the next best with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from recommender.catalog import Catalog
from recommender.collaborative import Signal
from recommender.gaps import Levels
from recommender.model import CatalogItem, Learner, Modality
from recommender.plan import Gap, GapSource, Note
from recommender.reasons import say

Availability = Callable[[CatalogItem], str | None]  # why the item cannot be taken, or None


@dataclass
class Choice:
    """An item chosen for the path and everything its reason will cite."""

    item: CatalogItem
    priority: float
    gaps: list[Gap] = field(default_factory=list)
    raises: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # skill: from, to, target
    prereq_of: list[str] = field(default_factory=list)
    instead: list[tuple[str, str]] = field(default_factory=list)  # (title, why) of better items
    similar: float = 0.0
    popular: float = 0.0
    preferred: bool = False
    blend: bool = False
    other_language: bool = False
    retake_of: str | None = None  # ISO date of the earlier completion


@dataclass
class Selection:
    choices: dict[str, Choice]
    notes: list[Note]


def select_items(
    gaps: list[Gap],
    learner: Learner,
    catalog: Catalog,
    levels: Levels,
    signal: Signal,
    available: Availability,
    *,
    previous: frozenset[str] = frozenset(),
    language: str = "en",
) -> Selection:
    """Choose items closing the gaps, highest priority first, prerequisites included."""
    planned = dict(levels.current)
    chosen: dict[str, Choice] = {}
    notes: list[Note] = []
    open_gaps: dict[str, Gap] = {g.skill: g for g in gaps if g.skill is not None}
    langs = set(learner.languages)
    prefs = set(learner.preferences)

    def add(
        item: CatalogItem,
        gap: Gap | None,
        prereq_of: str | None,
        chain: frozenset[str] = frozenset(),
    ) -> Choice:
        choice = chosen.get(item.id)
        if choice is None:
            choice = Choice(item, gap.priority if gap else 0.0)
            chosen[item.id] = choice
            choice.similar, choice.popular = signal.similar(item.id), signal.popular(item.id)
            choice.preferred = item.modality in prefs
            choice.other_language = item.language not in langs
            if item.id in levels.completed:
                choice.retake_of = levels.completed[item.id].isoformat()
            for sl in item.skills:
                before = planned.get(sl.skill, 0)
                if sl.level > before:
                    g = open_gaps.get(sl.skill)
                    if g is not None:
                        choice.raises[sl.skill] = (before, sl.level, g.target)
                        if g not in choice.gaps:
                            choice.gaps.append(g)
                    planned[sl.skill] = sl.level
            for ref in item.prereq_items:  # prerequisite items not yet completed come first
                if ref not in levels.completed and ref in catalog.items:
                    pre = add(catalog.items[ref], None, item.id)
                    pre.priority = max(choice.priority + 0.01, pre.priority)
            for req in catalog.needs(item):
                if planned.get(req.skill, 0) < req.level:
                    src = GapSource("prerequisite", item.id, item.title)
                    extra = Gap(
                        req.skill,
                        levels.of(req.skill),
                        req.level,
                        choice.priority + 0.01,
                        catalog.label(req.skill),
                        gap.deadline if gap else None,
                        (src,),
                    )
                    open_gaps.setdefault(req.skill, extra)
                    close(extra, item.id, chain | {sl.skill for sl in item.skills})
        if gap is not None and gap not in choice.gaps:
            choice.gaps.append(gap)
        if prereq_of is not None and prereq_of not in choice.prereq_of:
            choice.prereq_of.append(prereq_of)
        return choice

    def score(item: CatalogItem, gap: Gap, run: int) -> float:
        gain = 0.0
        for sl in item.skills:
            g = open_gaps.get(sl.skill)
            have = planned.get(sl.skill, 0)
            if g is not None and have < g.target and sl.level > have:
                gain += (min(sl.level, g.target) - have) / (g.target - g.current) * g.priority
        s = gain / (1 + 0.15 * item.hours)
        s += 0.25 * (item.modality in prefs) + 0.3 * signal.similar(item.id)
        s += 0.1 * signal.popular(item.id) - 0.1 * abs(
            item.level - 1 - planned.get(gap.skill or "", 0)
        )
        s += 0.2 * (item.id in previous) - 0.3 * (item.language not in langs)
        if item.modality.practice and run >= 2:  # blend: practice after two e-learnings
            s += 0.3
        if gap.weak is not None and item.modality.practice:
            s += 0.2
        s -= 0.2 * sum(
            1 for p in item.prereq_items if p not in levels.completed and p not in chosen
        )
        return s

    def blocked(item: CatalogItem) -> str | None:
        for need in catalog.needs(item):
            if levels.of(need.skill) < need.level and catalog.reachable(need.skill) < need.level:
                return say(
                    "unteachable", language, skill=catalog.label(need.skill), level=need.level
                )
        why = available(item)
        if why is None:
            for ref in item.prereq_items:
                if ref not in levels.completed and (ref_why := available(catalog.items[ref])):
                    return f"{catalog.items[ref].title}: {ref_why}"
        return why

    def close(gap: Gap, prereq_of: str | None = None, chain: frozenset[str] = frozenset()) -> None:
        """Choose items until ``gap`` is closed; ``chain`` holds the skills of the items this
        gap is a prerequisite of, which a candidate may not itself need (a cycle)."""
        skill = gap.skill or ""
        while planned.get(skill, 0) < gap.target:
            have = planned.get(skill, 0)
            pool = [
                i
                for i in catalog.teaching.get(skill, ())
                if i.teaches(skill) > have
                and not any(
                    n.skill in chain and levels.of(n.skill) < n.level for n in catalog.needs(i)
                )
            ]
            fresh = [i for i in pool if i.id not in chosen and i.id not in levels.completed]
            if not fresh and gap.weak is not None:  # remediation may retake a completed item
                fresh = [i for i in pool if i.id not in chosen]
            if not fresh:
                notes.append(
                    Note(
                        "no_item",
                        say("w_no_item", language, skill=gap.label, target=gap.target),
                        {"skill": skill, "target": gap.target},
                    )
                )
                return
            run = 0  # e-learnings chosen since the last practice item
            for c in reversed(chosen.values()):
                if c.item.modality is not Modality.E_LEARNING:
                    break
                run += 1
            ranked = sorted(fresh, key=lambda i: (-score(i, gap, run), catalog.position[i.id]))
            skipped: list[tuple[str, str]] = []
            pick = None
            for item in ranked:
                why = blocked(item)
                if why is None:
                    pick = item
                    break
                skipped.append((item.title, why))
            if pick is None:
                title, why = skipped[0]
                notes.append(
                    Note(
                        "unschedulable",
                        say("w_unschedulable", language, title=title, why=why, skills=gap.label),
                        {"skill": skill, "item": ranked[0].id, "why": why},
                    )
                )
                return
            choice = add(pick, gap, prereq_of, chain)
            choice.blend = pick.modality.practice and run >= 2
            for title, why in skipped[:1]:
                choice.instead.append((title, why))
                notes.append(
                    Note(
                        "fallback",
                        say("w_fallback", language, title=title, other=pick.title, why=why),
                        {"item": ranked[0].id, "replacement": pick.id, "why": why},
                    )
                )

    for gap in gaps:
        if gap.item is not None:
            item = catalog.items[gap.item]
            if item.id in chosen:
                chosen[item.id].gaps.append(gap)
                continue
            why = blocked(item)
            if why is not None:
                notes.append(
                    Note(
                        "unschedulable",
                        say(
                            "w_unschedulable",
                            language,
                            title=item.title,
                            why=why,
                            skills=item.title,
                        ),
                        {"item": item.id, "why": why},
                    )
                )
                continue
            add(item, gap, None)
        elif planned.get(gap.skill or "", 0) < gap.target:
            close(gap)
    return Selection(chosen, notes)
