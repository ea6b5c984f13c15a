"""Citation markers renumbered while the reply streams."""

from __future__ import annotations

import pytest

from coach.responders.citations import CitationTracker, has_sentence, remap_markers


def stream(deltas: list[str], available: int = 3) -> tuple[list[str], CitationTracker]:
    tracker = CitationTracker(available)
    shown = [tracker.feed(d) for d in deltas] + [tracker.flush()]
    return shown, tracker


def test_markers_are_numbered_in_order_of_first_use() -> None:
    _, t = stream(["Lists change [3]. Tuples do not [1]. Both index [3][1]."])
    assert t.text == "Lists change [1]. Tuples do not [2]. Both index [1][2]."
    assert t.used == [3, 1]


@pytest.mark.parametrize(
    "deltas",
    [
        ["Lists change [", "3", "]. Tuples [1", "]."],
        ["Lists change ", "[3]", ". Tuples ", "[", "1]", "."],
        list("Lists change [3]. Tuples [1]."),
    ],
)
def test_markers_split_across_deltas(deltas: list[str]) -> None:
    shown, t = stream(deltas)
    assert "".join(shown) == t.text == "Lists change [1]. Tuples [2]."


def test_nothing_partial_is_ever_shown() -> None:
    shown, _ = stream(["Lists change [", "3", "]."])
    assert shown[:2] == ["Lists change", ""]


def test_lists_are_split_and_unknown_numbers_dropped() -> None:
    _, t = stream(["See [2, 3] and [7] or [0], then [2; 9]."], available=3)
    assert t.text == "See [1][2] and or, then [1]."
    assert t.used == [2, 3]


def test_code_is_left_alone() -> None:
    text = "Use `items[1]` to get it [2].\n```python\nx = [1, 2]\n```\nDone [1]."
    _, t = stream([text])
    assert t.text == "Use `items[1]` to get it [1].\n```python\nx = [1, 2]\n```\nDone [2]."


def test_other_brackets_pass_through() -> None:
    _, t = stream(["A [note] and [link](http://x) and [12345678901234567890123456789]."])
    assert t.text == "A [note] and [link](http://x) and [12345678901234567890123456789]."


def test_remap_and_sentences() -> None:
    assert remap_markers("A [1]. B [2]. C [5].", {1: 3, 2: 1}) == "A [3]. B [1]. C ."
    assert has_sentence("Stay three metres away [1]. Then")
    assert not has_sentence("Stay three metres")
    assert not has_sentence("Hi. Then we")
    assert not has_sentence("It costs 3.5 euros per")
