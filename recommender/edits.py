"""A reviewer's edits to a path: remove, add, move, swap a step or choose another session.

``apply_edits`` applies the operations in order, then dates the steps again in the
reviewer's order (self-paced work fills the weekly budget from today; a step never starts
before the step listed above it; a dated session keeps its date). It does not refuse what a
reviewer may knowingly decide: a prerequisite out of order, a full session, a week over
budget are found by ``validate_path`` and shown; only an edit that cannot be applied (an
unknown item, a step not in the path, an item twice) is an :class:`EditError`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from recommender.catalog import Catalog
from recommender.model import CatalogItem, Learner, Modality, Session
from recommender.plan import Path, Step
from recommender.reasons import say
from recommender.schedule import HORIZON_WEEKS, Calendar, SeatLedger, session_problem

OPS = ("remove", "add", "move", "swap", "session")
ADDED_BY = {"en": "added by {who}", "fr": "ajouté par {who}"}


class EditError(ValueError):
    """An edit that cannot be applied to this path."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One operation; ``other`` is the item put in place of ``item_id`` by a swap."""

    op: str
    item_id: str
    position: int | None = None
    session_id: str | None = None
    other: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        op = str(data.get("op", ""))
        if op not in OPS:
            raise EditError(f"unknown edit op {op!r} (one of {', '.join(OPS)})")
        item = data.get("item_id")
        if not item:
            raise EditError(f"edit {op!r} needs an item_id")
        position = data.get("position")
        if position is not None and (not isinstance(position, int) or position < 0):
            raise EditError("position must be a step index ≥ 0")
        other = data.get("with")
        if op == "swap" and not other:
            raise EditError("a swap needs 'with': the item to put in its place")
        if op == "session" and not data.get("session_id"):
            raise EditError("choosing a session needs a session_id")
        if op == "move" and position is None:
            raise EditError("a move needs a position")
        return cls(op, str(item), position, data.get("session_id"), other)


@dataclass
class _Slot:
    item: CatalogItem
    session_id: str | None
    old: Step | None


def apply_edits(
    path: Path,
    edits: list[Edit],
    catalog: Catalog,
    learner: Learner,
    today: date,
    *,
    ledger: SeatLedger | None = None,
    editor: str = "",
) -> Path:
    """The path after ``edits``, dated again in the edited order."""
    slots = [
        _Slot(catalog.items[s.item_id], s.session_id, s)
        for s in path.steps
        if s.item_id in catalog.items
    ]
    missing = [s.item_id for s in path.steps if s.item_id not in catalog.items]
    if missing:
        raise EditError(f"the path names items no longer in the catalog: {', '.join(missing)}")
    for edit in edits:
        _apply(slots, edit, catalog)
    steps = _redate(slots, path, catalog, learner, today, ledger or SeatLedger(), editor)
    return replace(path, steps=tuple(steps), built_on=today)


def _index(slots: list[_Slot], item_id: str) -> int:
    for n, slot in enumerate(slots):
        if slot.item.id == item_id:
            return n
    raise EditError(f"item '{item_id}' is not a step of this path")


def _new(catalog: Catalog, item_id: str, slots: list[_Slot]) -> CatalogItem:
    item = catalog.items.get(item_id)
    if item is None:
        raise EditError(f"unknown item '{item_id}'")
    if any(s.item.id == item_id for s in slots):
        raise EditError(f"'{item.title}' is already a step of this path")
    return item


def _session(catalog: Catalog, item: CatalogItem, session_id: str | None) -> str | None:
    if session_id is None:
        return None
    session = catalog.sessions.get(session_id)
    if session is None or session.item_id != item.id:
        raise EditError(f"'{session_id}' is not a session of '{item.title}'")
    return session_id


def _apply(slots: list[_Slot], edit: Edit, catalog: Catalog) -> None:
    if edit.op == "add":
        item = _new(catalog, edit.item_id, slots)
        at = len(slots) if edit.position is None else min(edit.position, len(slots))
        slots.insert(at, _Slot(item, _session(catalog, item, edit.session_id), None))
        return
    n = _index(slots, edit.item_id)
    if edit.op == "remove":
        del slots[n]
    elif edit.op == "move":
        slot = slots.pop(n)
        slots.insert(min(edit.position or 0, len(slots)), slot)
    elif edit.op == "swap":
        assert edit.other is not None
        item = _new(catalog, edit.other, slots)
        slots[n] = _Slot(item, _session(catalog, item, edit.session_id), None)
    else:  # session
        slots[n].session_id = _session(catalog, slots[n].item, edit.session_id)


def _redate(
    slots: list[_Slot],
    path: Path,
    catalog: Catalog,
    learner: Learner,
    today: date,
    ledger: SeatLedger,
    editor: str,
) -> list[Step]:
    cal = Calendar(today, path.hours_per_week or learner.hours_per_week)
    earliest = today
    steps = []
    for slot in slots:
        item = slot.item
        session: Session | None = None
        alloc: list[tuple[date, float]]
        if item.modality.scheduled:
            session = _pick_session(catalog, item, slot.session_id, earliest, today, ledger)
            if session is None:  # no session at all: left undated for validation to flag
                start = end = earliest
                alloc = []
            else:
                start = end = session.start.date()
                alloc = cal.book(start, item.hours)
        elif item.modality is Modality.COACHING:
            start = end = max(earliest, cal.day(cal.cursor, cal.used.get(cal.cursor, 0.0)))
            alloc = cal.book(start, item.hours)
        else:
            placed = cal.fill(item.hours, earliest)
            if placed is None:
                raise EditError(
                    f"'{item.title}' does not fit in {HORIZON_WEEKS} weeks at "
                    f"{cal.budget:g} h a week"
                )
            start, end, alloc = placed.start, placed.end, placed.allocation
        earliest = max(earliest, start)
        steps.append(_step(slot, path, item, session, start, end, alloc, catalog, editor))
    return steps


def _pick_session(
    catalog: Catalog,
    item: CatalogItem,
    chosen: str | None,
    earliest: date,
    today: date,
    ledger: SeatLedger,
) -> Session | None:
    """The chosen session, else the first open one not before ``earliest``, else any."""
    if chosen is not None:
        return catalog.sessions[chosen]
    sessions = catalog.sessions_of.get(item.id, [])
    for s in sessions:
        if s.start.date() >= earliest and session_problem(s, today, ledger) is None:
            return s
    return sessions[-1] if sessions else None


def _step(
    slot: _Slot,
    path: Path,
    item: CatalogItem,
    session: Session | None,
    start: date,
    end: date,
    alloc: list[tuple[date, float]],
    catalog: Catalog,
    editor: str,
) -> Step:
    if slot.old is not None:
        evidence = dict(slot.old.evidence)
        reason = slot.old.reason
    else:
        evidence, reason = _added(item, path, editor)
    if session is not None:
        evidence["session"] = {
            "id": session.id,
            "start": session.start.isoformat(),
            "place": session.place,
            "trainer": session.trainer,
            "seats": session.seats,
            "free": session.free_seats,
        }
    else:
        evidence.pop("session", None)
    deadline = slot.old.deadline if slot.old is not None else _deadline(item, path)
    return Step(
        item_id=item.id,
        title=item.title,
        modality=item.modality,
        start=start,
        end=max(end, start),
        hours=round(item.hours, 2),
        reason=reason,
        evidence=evidence,
        session_id=None if session is None else session.id,
        deadline=deadline,
        allocation=tuple((d, round(h, 2)) for d, h in alloc),
    )


def _added(item: CatalogItem, path: Path, editor: str) -> tuple[dict[str, Any], str]:
    """Evidence and reason of a step a reviewer added: who, and which open gaps it serves."""
    lang = path.language
    gaps: list[dict[str, Any]] = [
        {
            "skill": g.skill,
            "label": g.label,
            "from": g.current,
            "to": min(item.teaches(g.skill), g.target),
            "target": g.target,
        }
        for g in path.gaps
        if g.skill is not None and item.teaches(g.skill) > g.current
    ]
    evidence: dict[str, Any] = {"added_by": editor or "reviewer"}
    parts = [ADDED_BY.get(lang, ADDED_BY["en"]).format(who=editor or "reviewer")]
    if gaps:
        evidence["gaps"] = [{**g, "sources": []} for g in gaps]
        parts += [
            say(
                "gap" if g["to"] >= g["target"] else "gap_partial",
                lang,
                skill=g["label"],
                frm=g["from"],
                to=g["to"],
                target=g["target"],
            )
            for g in gaps
        ]
    text = "; ".join(parts)
    return evidence, text[:1].upper() + text[1:]


def _deadline(item: CatalogItem, path: Path) -> date | None:
    dates = [
        g.deadline
        for g in path.gaps
        if g.deadline is not None and g.skill is not None and item.teaches(g.skill) > g.current
    ]
    return min(dates) if dates else None
