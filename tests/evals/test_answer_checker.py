"""AnswerChecker end to end: one verdict per answer, with reasons (fake and real encoder)."""

from __future__ import annotations

import pytest

from evals.checks import AnswerChecker
from evals.verdict import Thresholds
from retrieval.embedding import Embedder, FakeEmbedder
from tests.evals.conftest import LISTS, STRINGS

Q = "Can the items of a list be changed after the list is created?"
GOOD = "A list is mutable: its items can be changed after the list is created. [1]"


def test_checker_runs_every_check_and_encodes_once(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    checker = AnswerChecker(embedder, thresholds)
    a = checker.check(Q, GOOD, [LISTS, STRINGS])
    assert a.verdict == "pass"
    assert set(a.scores) == {"grounding", "specificity", "redundancy", "relevance", "citations"}
    assert len(embedder.calls) == 2  # the answer and the contexts in one batch; the question
    checker.check(
        Q, GOOD + " The append() method adds one item at the end of a list. [1]", [LISTS, STRINGS]
    )
    assert len(embedder.calls) == 2  # a quoted sentence is a cached context sentence
    checker.check(Q, GOOD + " You can change them whenever you like. [1]", [LISTS, STRINGS])
    assert embedder.calls[-1] == 1  # only the sentence no cache knows is encoded


class DictStore:
    """Sentence vectors kept outside the checker (as the coach's database keeps them)."""

    def __init__(self) -> None:
        self.vectors: dict = {}

    def lookup(self, texts):  # type: ignore[no-untyped-def]
        return {t: self.vectors[t] for t in texts if t in self.vectors}

    def save(self, vectors):  # type: ignore[no-untyped-def]
        self.vectors.update(vectors)


def test_a_store_spares_encoding_across_checkers(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    store = DictStore()
    first = AnswerChecker(embedder, thresholds, store).check(Q, GOOD, [LISTS, STRINGS])
    encoded = len(embedder.calls)
    assert GOOD.removesuffix(" [1]") in store.vectors  # what was encoded is kept
    again = AnswerChecker(embedder, thresholds, store).check(Q, GOOD, [LISTS, STRINGS])
    assert len(embedder.calls) == encoded  # a new process: nothing encoded again
    assert again.scores == first.scores


def test_checker_without_encoder_still_judges(thresholds: Thresholds) -> None:
    checker = AnswerChecker(None, thresholds)
    assert checker.check(Q, GOOD, [LISTS]).verdict == "pass"
    bad = checker.check(Q, "It depends on many factors. In some cases it may vary.", [LISTS])
    assert bad.verdict == "block"
    assert any(r.startswith("specificity: hedging") for r in bad.reasons)


@pytest.mark.slow
def test_real_encoder_blocks_slop_and_passes_a_good_answer(minilm: Embedder) -> None:
    checker = AnswerChecker(minilm)
    contexts = [LISTS, STRINGS]
    assert checker.check(Q, GOOD, contexts).verdict == "pass"
    for slop in (
        "The upper() method returns a copy of the string in capital letters. [2]",
        "A list is immutable: its items can be changed after the list is created. [1]",
        GOOD + " " + GOOD,
        "Great question! Lists are a cornerstone of programming in today's fast-paced world.",
    ):
        assert checker.check(Q, slop, contexts).verdict == "block", slop
    fr = AnswerChecker(minilm).check(
        "Peut-on modifier un tuple ?",
        "Tout dépend de nombreux facteurs, il est difficile de répondre sans plus de contexte.",
        ["Un tuple n'est pas modifiable, ses éléments restent fixes une fois créé."],
    )
    assert fr.verdict == "block"


def test_a_streaming_answer_is_encoded_as_it_goes(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    checker = AnswerChecker(embedder, thresholds)
    checker.check(Q, GOOD, [LISTS, STRINGS])  # the passages' sentences are cached now
    answer = "You can change them whenever you like. [1] Try it on a list of three numbers."
    checker.warm(answer[: answer.index("Try") + 6])  # the first sentence is finished
    assert embedder.calls[-1] == 1  # ... and encoded; the unfinished one is not
    before = len(embedder.calls)
    checker.check(Q, answer, [LISTS, STRINGS])
    assert embedder.calls[before:] == [1]  # only the last sentence is left at the end
