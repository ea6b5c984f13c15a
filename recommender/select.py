"""Candidate items per gap and the choice among them.

Content-based (skills taught above the planned level, entry level, language), collaborative
(``collaborative.Signal``), past performance (completed items are skipped; a weak quiz adds
remediation and favours practice), modality preferences and blend, and availability: an
item whose sessions are all full is replaced by the next best with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import numpy as np
import numpy.typing as npt

from recommender.catalog import Catalog, Pool
from recommender.collaborative import Signal
from recommender.gaps import Levels
from recommender.model import CatalogItem, Learner, Modality, SkillLevel
from recommender.plan import Gap, GapSource, Note
from recommender.reasons import say

Availability = Callable[[CatalogItem], str | None]  # why the item cannot be taken, or None


@dataclass(slots=True)
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


class Memo:
    """What the selection rounds of one learner's build share (same learner, signal,
    ``previous``, catalog and levels): the score's learner-only terms for every item, in
    catalog order; candidates that would loop back through a prerequisite chain; needs no
    item teaches; and rankings.

    A ranking is keyed by everything it depends on (the candidates and which of them, or of
    their prerequisite items, are chosen; the planned level and open gap of every skill they
    teach; blend and remediation), so a round that meets the same state reuses it."""

    def __init__(
        self, learner: Learner, signal: Signal, previous: frozenset[str], catalog: Catalog
    ) -> None:
        self.catalog = catalog
        self.prefs = set(learner.preferences)
        self.langs = set(learner.languages)
        self.rankings: dict[tuple[object, ...], list[CatalogItem]] = {}
        self.loops: dict[tuple[str, int, frozenset[str]], frozenset[str]] = {}
        self.unteachable: dict[str, SkillLevel | None] = {}  # a need no item teaches
        cols = _columns(catalog)
        similar = cols.similar(signal)
        popular = cols.align(signal.popularity)
        liked_modality = np.zeros(len(MODALITIES), dtype=bool)
        liked_modality[[MODALITIES.index(m) for m in self.prefs]] = True
        pref = liked_modality[cols.modality]
        other_language = np.ones(len(cols.languages), dtype=bool)
        other_language[[cols.languages[lang] for lang in self.langs if lang in cols.languages]] = (
            False
        )
        other = other_language[cols.language]
        again = np.zeros(len(cols.language), dtype=bool)
        again[[catalog.position[i] for i in previous if i in catalog.position]] = True
        # Signal.similar and .popular per item, and the score's three terms, each computed
        # exactly as the score adds it (elementwise, as Python would), so sums round alike
        self.similar = similar
        self.popular = popular
        self.liked: list[float] = (0.25 * pref + 0.3 * similar).tolist()
        self.popular_term: list[float] = (0.1 * popular).tolist()
        self.fit: list[float] = (0.2 * again - 0.3 * other).tolist()


MODALITIES = list(Modality)


class _Columns:
    """A catalog's items laid out as arrays in catalog order, with the collaborative
    signal's lookups aligned to them (each built once per catalog and signal)."""

    def __init__(self, catalog: Catalog) -> None:
        self.ids = list(catalog.items)
        items = catalog.items.values()
        self.modality = np.array([MODALITIES.index(i.modality) for i in items], dtype=np.int8)
        self.languages: dict[str, int] = {}
        self.language = np.array(
            [self.languages.setdefault(i.language, len(self.languages)) for i in items],
            dtype=np.int16,
        )
        # kept per dict (and the dict with it, so its id stays its own): the signal hands
        # out the same index and popularity dicts for every learner
        self._values: dict[int, tuple[object, npt.NDArray[np.float64]]] = {}
        self._places: dict[int, tuple[object, npt.NDArray[np.intp]]] = {}

    def align(self, values: dict[str, float]) -> npt.NDArray[np.float64]:
        """``values`` per item, 0 where missing."""
        if not values:
            return np.zeros(len(self.ids))
        got = self._values.get(id(values))
        if got is None or got[0] is not values:
            got = self._values[id(values)] = (
                values,
                np.array([values.get(i, 0.0) for i in self.ids], dtype=np.float64),
            )
        return got[1]

    def similar(self, signal: Signal) -> npt.NDArray[np.float64]:
        """``signal.similar`` per item."""
        if signal.similarity is None or not signal.index:
            return np.zeros(len(self.ids))
        got = self._places.get(id(signal.index))
        if got is None or got[0] is not signal.index:
            got = self._places[id(signal.index)] = (
                signal.index,
                np.array([signal.index.get(i, -1) for i in self.ids], dtype=np.intp),
            )
        places = got[1]
        return np.where(places >= 0, signal.similarity[places], 0.0)


_COLUMNS: WeakKeyDictionary[Catalog, _Columns] = WeakKeyDictionary()


def _columns(catalog: Catalog) -> _Columns:
    got = _COLUMNS.get(catalog)
    if got is None:
        got = _COLUMNS[catalog] = _Columns(catalog)
    return got


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
    memo: Memo | None = None,
) -> Selection:
    """Choose items closing the gaps, highest priority first, prerequisites included.

    The rounds of one learner's build may share a ``memo`` (see :class:`Memo`)."""
    planned = dict(levels.current)
    chosen: dict[str, Choice] = {}
    notes: list[Note] = []
    open_gaps: dict[str, Gap] = {g.skill: g for g in gaps if g.skill is not None}
    # what a score reads of each open gap, kept beside it for the ranking keys
    aims = {k: (g.target, g.current, g.priority) for k, g in open_gaps.items()}
    if memo is None:
        memo = Memo(learner, signal, previous, catalog)
    langs = memo.langs
    prefs = memo.prefs
    completed = levels.completed
    position = catalog.position
    rankings = memo.rankings
    run = [0]  # e-learnings chosen since the last practice item (chosen only grows)
    seen: dict[str, str | None] = {}  # why an item is blocked: fixed within one selection
    liked, popular, fit = memo.liked, memo.popular_term, memo.fit

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
            run[0] = run[0] + 1 if item.modality is Modality.E_LEARNING else 0
            pos = position[item.id]
            choice.similar = float(memo.similar[pos])
            choice.popular = float(memo.popular[pos])
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
                    if req.skill not in open_gaps:
                        open_gaps[req.skill] = extra
                        aims[req.skill] = (extra.target, extra.current, extra.priority)
                    close(extra, item.id, chain | {sl.skill for sl in item.skills})
        if gap is not None and gap not in choice.gaps:
            choice.gaps.append(gap)
        if prereq_of is not None and prereq_of not in choice.prereq_of:
            choice.prereq_of.append(prereq_of)
        return choice

    def ranked(pool: Pool, loops: frozenset[str], gap: Gap, run: int) -> list[CatalogItem]:
        """The fresh candidates of ``pool`` (less ``loops``) best first: gain on open gaps per
        hour, affinity, entry level, blend, remediation, prerequisites still to take (ties in
        catalog order); empty when there is none."""
        skill = gap.skill or ""
        at = planned.get(skill, 0)
        blend = run >= 2  # practice after two e-learnings
        weak = gap.weak is not None
        # everything the ranking depends on: which candidates are fresh, and their scores
        key = (
            skill,
            at,
            loops,
            blend,
            weak,
            pool.ids.intersection(chosen),
            tuple(map(planned.get, pool.skills)),
            tuple(map(aims.get, pool.skills)),
        )
        cached = rankings.get(key)
        if cached is not None:
            return cached
        cands = [c for c in pool.candidates if c.id not in loops] if loops else pool.candidates
        fresh = [c for c in cands if c.id not in chosen and c.id not in completed]
        if not fresh and weak:  # remediation may retake a completed item
            fresh = [c for c in cands if c.id not in chosen]
        keyed = []
        for item, _, pos, taught, hours, level, practice, prereqs in fresh:
            gain = 0.0
            for sk, lvl in taught:
                aim = aims.get(sk)
                if aim is not None:
                    have = planned.get(sk, 0)
                    target = aim[0]
                    if have < target and lvl > have:
                        gain += (
                            ((lvl if lvl < target else target) - have) / (target - aim[1]) * aim[2]
                        )
            s = gain / (1 + 0.15 * hours)
            s += liked[pos]
            s += popular[pos] - 0.1 * abs(level - 1 - at)
            s += fit[pos]
            if practice:
                if blend:
                    s += 0.3
                if weak:
                    s += 0.2
            if prereqs:
                todo = 0
                for p in prereqs:
                    if p not in completed and p not in chosen:
                        todo += 1
                s -= 0.2 * todo
            keyed.append((-s, pos, item))
        keyed.sort()  # positions are unique: items themselves are never compared
        out = rankings[key] = [k[2] for k in keyed]
        return out

    def blocked(item: CatalogItem) -> str | None:
        if item.id not in seen:
            seen[item.id] = _blocked(item)
        return seen[item.id]

    def _blocked(item: CatalogItem) -> str | None:
        if item.id not in memo.unteachable:
            memo.unteachable[item.id] = next(
                (
                    n
                    for n in catalog.needs(item)
                    if levels.of(n.skill) < n.level and catalog.reachable(n.skill) < n.level
                ),
                None,
            )
        if (need := memo.unteachable[item.id]) is not None:
            return say("unteachable", language, skill=catalog.label(need.skill), level=need.level)
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
            pool = catalog.candidates(skill, planned.get(skill, 0))
            loops: frozenset[str] = frozenset()
            if chain:  # a candidate needing a skill of the chain (not yet had) would loop
                where = (skill, planned.get(skill, 0), chain)
                got = memo.loops.get(where)
                if got is None:
                    got = memo.loops[where] = frozenset(
                        c.id
                        for need in chain
                        for c in pool.needing.get(need, ())
                        if any(
                            n.skill in chain and levels.of(n.skill) < n.level
                            for n in catalog.needs(c.item)
                        )
                    )
                loops = got
            ranking = ranked(pool, loops, gap, run[0])
            if not ranking:
                notes.append(
                    Note(
                        "no_item",
                        say("w_no_item", language, skill=gap.label, target=gap.target),
                        {"skill": skill, "target": gap.target},
                    )
                )
                return
            skipped: list[tuple[str, str]] = []
            pick = None
            for item in ranking:
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
                        {"skill": skill, "item": ranking[0].id, "why": why},
                    )
                )
                return
            blend = pick.modality is not Modality.E_LEARNING and run[0] >= 2
            choice = add(pick, gap, prereq_of, chain)
            choice.blend = blend
            for title, why in skipped[:1]:
                choice.instead.append((title, why))
                notes.append(
                    Note(
                        "fallback",
                        say("w_fallback", language, title=title, other=pick.title, why=why),
                        {"item": ranking[0].id, "replacement": pick.id, "why": why},
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
