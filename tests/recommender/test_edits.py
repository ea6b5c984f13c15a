"""A reviewer's edits: applied in order, dated again in the edited order, re-validated by
``validate_path``; only an edit that cannot apply is an error."""

from __future__ import annotations

import pytest

from recommender.edits import Edit, EditError, apply_edits
from recommender.paths import validate_path
from recommender.schedule import SeatLedger
from tests.recommender.test_paths import TODAY, chain_catalog
from tests.recommender.test_review import planned


def _ids(path) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.item_id for s in path.steps]


def test_moving_a_dependent_first_keeps_the_order_and_flags_the_prerequisite() -> None:
    lr, path = planned()
    catalog = chain_catalog()
    last = path.steps[-1].item_id
    moved = apply_edits(path, [Edit("move", last, position=0)], catalog, lr, TODAY, editor="Rita")
    assert _ids(moved) == [last, *_ids(path)[:-1]]
    starts = [s.start for s in moved.steps]
    assert starts == sorted(starts)  # no step starts before the one listed above it
    kinds = {p.kind for p in validate_path(moved, catalog, lr, TODAY)}
    assert "prerequisite" in kinds
    # the step keeps its reason and evidence: it was not added by the reviewer
    assert moved.steps[0].reason == path.steps[-1].reason


def test_remove_add_and_swap_are_dated_again_and_added_steps_say_who() -> None:
    lr, path = planned()
    catalog = chain_catalog()
    first = path.steps[0].item_id
    spare = next(i for i in catalog.items if i not in _ids(path))
    edited = apply_edits(
        path,
        [Edit("remove", first), Edit("add", spare, position=0)],
        catalog,
        lr,
        TODAY,
        editor="Rita",
    )
    assert _ids(edited)[0] == spare and first not in _ids(edited)
    added = edited.steps[0]
    assert added.reason.startswith("Added by Rita")
    assert added.evidence["added_by"] == "Rita"
    assert added.start >= TODAY
    swapped = apply_edits(edited, [Edit("swap", spare, other=first)], catalog, lr, TODAY)
    assert _ids(swapped)[0] == first and spare not in _ids(swapped)


def test_a_chosen_session_is_kept_even_when_full_and_validation_flags_it() -> None:
    lr, path = planned()
    catalog = chain_catalog()
    booked = next(s for s in path.steps if s.session_id)
    others = [s for s in catalog.sessions_of[booked.item_id] if s.id != booked.session_id]
    assert others, "the test catalog has one session only for this item"
    target = others[-1]
    ledger = SeatLedger()
    ledger.seats[target.id] = target.free_seats  # everyone else took the seats
    edited = apply_edits(
        path, [Edit("session", booked.item_id, session_id=target.id)], catalog, lr, TODAY
    )
    step = next(s for s in edited.steps if s.item_id == booked.item_id)
    assert step.session_id == target.id and step.start == target.start.date()
    assert step.evidence["session"]["id"] == target.id
    problems = validate_path(edited, catalog, lr, TODAY, ledger=ledger)
    assert [p.kind for p in problems if p.item_id == booked.item_id] == ["session_full"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"op": "fly", "item_id": "x"}, "unknown edit op"),
        ({"op": "remove"}, "needs an item_id"),
        ({"op": "move", "item_id": "x"}, "needs a position"),
        ({"op": "swap", "item_id": "x"}, "needs 'with'"),
        ({"op": "session", "item_id": "x"}, "needs a session_id"),
        ({"op": "add", "item_id": "x", "position": -1}, "position"),
    ],
)
def test_malformed_edits_are_refused(data: dict[str, object], message: str) -> None:
    with pytest.raises(EditError, match=message):
        Edit.from_dict(data)


def test_edits_that_cannot_apply_are_refused() -> None:
    lr, path = planned()
    catalog = chain_catalog()
    first = path.steps[0].item_id
    booked = next(s for s in path.steps if s.session_id)
    for edits, message in (
        ([Edit("add", "nope")], "unknown item"),
        ([Edit("add", first)], "already a step"),
        ([Edit("remove", "nope")], "not a step"),
        ([Edit("session", booked.item_id, session_id="nope")], "not a session of"),
    ):
        with pytest.raises(EditError, match=message):
            apply_edits(path, edits, catalog, lr, TODAY)
