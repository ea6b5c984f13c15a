"""Dating the chosen items: prerequisites first, real sessions with seats, a weekly budget.

A list scheduler over the items' precedence graph: self-paced work (e-learning, on-the-job
tasks) fills the weekly hours in order; in-person and virtual items take the earliest
session after their prerequisites with a free seat, open enrolment and (when possible) a
date before the deadline; coaching takes the first week with room and a free monthly slot.
"""

from __future__ import annotations

import math
from bisect import insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from recommender.catalog import Catalog
from recommender.gaps import Levels
from recommender.model import CatalogItem, Modality, Session

HORIZON_WEEKS = 104
SCHEDULED = frozenset(m for m in Modality if m.scheduled)  # a set lookup, not an enum property
MAX_RUN = 3  # longest run of one modality before a ready alternative is preferred


class SeatLedger:
    """Seats and coaching slots reserved by paths planned so far (one batch, one catalog)."""

    def __init__(self) -> None:
        self.seats: Counter[str] = Counter()
        self.slots: Counter[tuple[str, int, int]] = Counter()

    def free(self, session: Session) -> int:
        return session.free_seats - self.seats[session.id]

    def slot_free(self, item: CatalogItem, day: date) -> bool:
        cap = item.monthly_capacity
        return cap is None or self.slots[(item.id, day.year, day.month)] < cap

    def reserve(self, steps: Iterable[tuple[CatalogItem, str | None, date]]) -> None:
        """Count a planned path's sessions and coaching slots: (item, session id, start)."""
        for item, session_id, start in steps:
            if session_id is not None:
                self.seats[session_id] += 1
            elif item.monthly_capacity is not None:
                self.slots[(item.id, start.year, start.month)] += 1


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Placed:
    item: CatalogItem
    start: date
    end: date
    session: Session | None = None
    allocation: list[tuple[date, float]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (session date, why)
    over_budget: bool = False
    late: bool = False


@dataclass
class Failure:
    item: CatalogItem
    why: str  # a reasons.py key
    values: dict[str, str] = field(default_factory=dict)


def session_problem(
    session: Session, today: date, ledger: SeatLedger
) -> tuple[str, dict[str, str]] | None:
    """Why a session cannot be booked today (a reasons key and its values), or None."""
    if session.start.date() <= today:
        return "past", {}
    if session.enrol_by is not None and session.enrol_by < today:
        return "enrolment_closed", {"on": session.enrol_by.isoformat()}
    if ledger.free(session) <= 0:
        return "full", {}
    return None


class Calendar:
    """Hours used per week from the week of ``today``; days are spread over Monday-Friday."""

    def __init__(self, today: date, budget: float) -> None:
        self.today = today
        self.week0 = monday(today)
        self.budget = max(budget, 0.25)
        self.used: dict[int, float] = {0: self.budget * min(today.weekday(), 5) / 5}
        self.cursor = 0  # the week self-paced work has reached

    def week(self, day: date) -> int:
        return (day - self.week0).days // 7

    def day(self, week: int, used: float, end: bool = False) -> date:
        fifths = used / self.budget * 5
        offset = max(0, math.ceil(fifths - 1e-9) - 1) if end else int(fifths + 1e-9)
        return self.week0 + timedelta(days=7 * week + min(4, offset))

    def floor(self, week: int, earliest: date) -> float:
        """Hours of ``week`` already gone by ``earliest``."""
        if self.week(earliest) != week:
            return 0.0
        return self.budget * min(earliest.weekday(), 5) / 5

    def fill(self, hours: float, earliest: date) -> Placed | None:
        """Self-paced hours from the cursor, not before ``earliest``; None past the horizon."""
        w = max(self.cursor, self.week(earliest))
        alloc: list[tuple[date, float]] = []
        start: date | None = None
        left = hours
        while left > 1e-9:
            if w >= HORIZON_WEEKS:
                return None
            base = max(self.used.get(w, 0.0), self.floor(w, earliest))
            room = self.budget - base
            if room <= 1e-9:
                w += 1
                continue
            take = min(room, left)
            if start is None:
                start = self.day(w, base)
            alloc.append((self.week0 + timedelta(days=7 * w), take))
            self.used[w] = base + take
            left -= take
        self.cursor = w
        end = self.day(w, self.used.get(w, 0.0), end=True) if alloc else earliest
        first = start or earliest
        return Placed(item=_PLACEHOLDER, start=first, end=max(end, first), allocation=alloc)

    def room(self, week: int, hours: float) -> bool:
        return self.used.get(week, 0.0) + hours <= self.budget + 1e-9

    def book(self, day: date, hours: float) -> list[tuple[date, float]]:
        w = self.week(day)
        self.used[w] = self.used.get(w, 0.0) + hours
        return [(self.week0 + timedelta(days=7 * w), hours)]


_PLACEHOLDER = CatalogItem("", "", Modality.E_LEARNING, 0.0)


def precedence(
    items: list[CatalogItem], catalog: Catalog, levels: Levels
) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """For each chosen item, the chosen items that must come before it.

    Hard: prerequisite items, prerequisite skills, prerequisites of the skills it teaches
    (taught by another chosen item). Soft: an item with a higher entry level on a skill
    comes after one teaching the lower level; soft edges that would close a cycle are dropped.
    """
    before: dict[str, set[str]] = {i.id: set() for i in items}
    chosen = {i.id for i in items}
    raising: dict[str, list[CatalogItem]] = {}  # skill -> chosen items teaching it
    for a in items:
        for sl in a.skills:
            raising.setdefault(sl.skill, []).append(a)
    soft: list[tuple[str, str]] = []
    for b in items:
        for ref in b.prereq_items:
            if ref in chosen:
                before[b.id].add(ref)
        for need in catalog.needs(b):
            have = levels.of(need.skill)
            if have >= need.level:
                continue
            for a in raising.get(need.skill, ()):
                if a.id != b.id and a.teaches(need.skill) > have:
                    before[b.id].add(a.id)
        for sl in b.skills:
            for a in raising.get(sl.skill, ()):
                if a.id != b.id and a.teaches(sl.skill) < sl.level and a.level < b.level:
                    soft.append((a.id, b.id))
    for a_id, b_id in soft:
        if not _reaches(before, a_id, b_id):
            before[b_id].add(a_id)
    # hard edges from skills may still close a cycle (two items teaching each other's
    # prerequisites): keep the edge from the lower catalog position only, report the other.
    # Only an edge between two items left on or between cycles can be on one: check those.
    looped = _on_cycles(before)
    broken: list[tuple[str, str]] = []
    for b_id in before:
        if b_id not in looped:
            continue
        for a_id in sorted(before[b_id]):
            if a_id not in looped or a_id in catalog.items[b_id].prereq_items:
                continue
            if _reaches(before, a_id, b_id) and catalog.position[a_id] > catalog.position[b_id]:
                before[b_id].discard(a_id)
                broken.append((a_id, b_id))
    return before, broken


def _on_cycles(before: dict[str, set[str]]) -> set[str]:
    """Items left once those with no predecessor, then those with no successor, are peeled
    off repeatedly: every item on a cycle (empty when there is none)."""
    after: dict[str, set[str]] = {k: set() for k in before}
    for b_id, prereqs in before.items():
        for a_id in prereqs:
            after[a_id].add(b_id)
    left = set(before)
    for inward, outward in ((before, after), (after, before)):
        waiting = {k: len(inward[k] & left) for k in left}
        free = [k for k, n in waiting.items() if n == 0]
        while free:
            node = free.pop()
            left.discard(node)
            for d in outward[node]:
                if d in left:
                    waiting[d] -= 1
                    if waiting[d] == 0:
                        free.append(d)
    return left


def _reaches(before: dict[str, set[str]], start: str, target: str) -> bool:
    """Whether ``target`` is (transitively) required before ``start``."""
    stack, seen = [start], set()
    while stack:
        node = stack.pop()
        for prev in before.get(node, ()):
            if prev == target:
                return True
            if prev not in seen:
                seen.add(prev)
                stack.append(prev)
    return False


def schedule(
    order: list[CatalogItem],
    before: dict[str, set[str]],
    deadlines: dict[str, date | None],
    priority: dict[str, float],
    catalog: Catalog,
    calendar: Calendar,
    ledger: SeatLedger,
    failed: dict[str, Failure] | None = None,
) -> tuple[list[Placed], list[Failure]]:
    """Place every item after its predecessors; items that cannot be placed (or ``failed``
    already, and their dependents) are failures."""
    today = calendar.today
    placed: dict[str, Placed] = {}
    failed = dict(failed or {})

    def rank(i: CatalogItem) -> tuple[date, float, int]:
        return (deadlines.get(i.id) or date.max, -priority.get(i.id, 0.0), catalog.position[i.id])

    # the ready list (every predecessor placed or failed) kept in order as items finish
    after: dict[str, list[CatalogItem]] = {}
    waiting: dict[str, int] = {}
    for i in order:
        waiting[i.id] = 0
        for p in before[i.id]:
            if p not in failed:
                waiting[i.id] += 1
                after.setdefault(p, []).append(i)
    ready = sorted((i for i in order if not waiting[i.id]), key=rank)
    runs: list[Modality] = []
    while ready:
        at, blend = 0, False
        if len(runs) >= MAX_RUN and len(set(runs[-MAX_RUN:])) == 1:
            alt = next((n for n, i in enumerate(ready) if i.modality is not runs[-1]), None)
            if alt is not None:
                at, blend = alt, True
        pick = ready.pop(at)
        for d in after.get(pick.id, ()):
            waiting[d.id] -= 1
            if not waiting[d.id]:
                insort(ready, d, key=rank)
        lost = [p for p in before[pick.id] if p in failed]
        if lost:  # named by catalog order: a set's order changes from one process to the next
            first = min(lost, key=catalog.position.__getitem__)
            failed[pick.id] = Failure(pick, "prereq_failed", {"title": catalog.items[first].title})
            continue
        earliest = today
        for p in before[pick.id]:
            prev = placed[p]
            gap = (
                1
                if prev.item.modality is not Modality.E_LEARNING
                and prev.item.modality is not Modality.ON_THE_JOB
                else 0
            )
            earliest = max(earliest, prev.end + timedelta(days=gap))
        result = _place(pick, earliest, deadlines.get(pick.id), calendar, catalog, ledger)
        if isinstance(result, Failure):
            failed[pick.id] = result
            continue
        if blend and result.start <= calendar.week0 + timedelta(days=7 * calendar.cursor + 14):
            calendar.cursor = max(calendar.cursor, calendar.week(result.start))
        deadline = deadlines.get(pick.id)
        result.late = deadline is not None and result.end > deadline
        placed[pick.id] = result
        runs.append(pick.modality)
    return list(placed.values()), list(failed.values())


def _place(
    item: CatalogItem,
    earliest: date,
    deadline: date | None,
    cal: Calendar,
    catalog: Catalog,
    ledger: SeatLedger,
) -> Placed | Failure:
    if item.modality in SCHEDULED:
        return _place_session(item, earliest, deadline, cal, catalog, ledger)
    if item.modality is Modality.COACHING:  # in the flow of self-paced work
        earliest = max(earliest, cal.day(cal.cursor, cal.used.get(cal.cursor, 0.0)))
        w = cal.week(earliest)
        while w < HORIZON_WEEKS:
            day = max(earliest, cal.week0 + timedelta(days=7 * w))
            if not ledger.slot_free(item, day):  # no slot left this month: on to the next
                first = date(day.year + day.month // 12, day.month % 12 + 1, 1)
                w = max(w + 1, cal.week(first))
                continue
            if cal.room(w, item.hours):
                return Placed(item, day, day, allocation=cal.book(day, item.hours))
            w += 1
        return Failure(item, "coaching_full", {"deadline": "the planning horizon"})
    placed = cal.fill(item.hours, earliest)
    if placed is None:
        return Failure(item, "horizon", {})
    placed.item = item
    return placed


def _place_session(
    item: CatalogItem,
    earliest: date,
    deadline: date | None,
    cal: Calendar,
    catalog: Catalog,
    ledger: SeatLedger,
) -> Placed | Failure:
    sessions = catalog.sessions_of.get(item.id, [])
    if not sessions:
        return Failure(item, "no_sessions", {})
    skipped: list[tuple[str, str]] = []
    late: Session | None = None
    crowded: Session | None = None
    for s in sessions:
        day = s.start.date()
        problem = session_problem(s, cal.today, ledger)
        if problem is not None:
            skipped.append((day.isoformat(), problem[0]))
            continue
        if day < earliest:
            skipped.append((day.isoformat(), "before_prereqs"))
            continue
        if deadline is not None and day > deadline:
            late = late or s
            continue
        if not cal.room(cal.week(day), item.hours) and item.hours <= cal.budget:
            crowded = crowded or s
            continue
        return _booked(item, s, cal, skipped)
    late_room = None
    if late is not None:
        late_room = next(
            (
                s
                for s in sessions
                if s.start.date() > (deadline or date.max)
                and s.start.date() >= earliest
                and session_problem(s, cal.today, ledger) is None
                and cal.room(cal.week(s.start.date()), item.hours)
            ),
            None,
        )
    pick = late_room or crowded or late
    if pick is not None:
        return _booked(item, pick, cal, skipped)
    reasons = {why for _, why in skipped}
    if reasons == {"full"}:
        return Failure(item, "all_full", {})
    last = skipped[-1][1] if skipped else "no_sessions"
    return Failure(item, last, {"on": skipped[-1][0] if skipped else ""})


def _booked(item: CatalogItem, s: Session, cal: Calendar, skipped: list[tuple[str, str]]) -> Placed:
    day = s.start.date()
    over = not cal.room(cal.week(day), item.hours)
    return Placed(
        item,
        day,
        day,
        session=s,
        allocation=cal.book(day, item.hours),
        skipped=[x for x in skipped if x[0] < day.isoformat()],
        over_budget=over,
    )
