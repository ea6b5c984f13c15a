"""Answers split into sentences with their citation markers."""

from __future__ import annotations

from evals.checks import split_answer


def test_markers_follow_their_sentence() -> None:
    answer = "A list is mutable. [1] A tuple is not. [2][3] Strings are sequences [1]. Done"
    assert split_answer(answer) == [
        ("A list is mutable.", (1,)),
        ("A tuple is not.", (2, 3)),
        ("Strings are sequences .", (1,)),
        ("Done", ()),
    ]


def test_indexing_in_code_is_no_citation() -> None:
    assert split_answer("Ex: newList[3] accesses the 4th element. [2]") == [
        ("Ex: newList[3] accesses the 4th element.", (2,))
    ]
