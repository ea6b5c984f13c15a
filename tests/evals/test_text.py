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


def test_a_small_vector_cache_still_gives_every_context_sentence() -> None:
    from evals.checks import Preparer
    from retrieval.embedding import FakeEmbedder

    prep = Preparer(FakeEmbedder(dim=8), cache_size=2)
    contexts = ["One fact here. Two facts here. Three facts here.", "Four facts here."]
    for _ in range(2):
        p = prep.prepare("How many facts?", "Two facts here. [1]", contexts)
        assert p.sim is not None and p.sim.shape == (1, 4)
