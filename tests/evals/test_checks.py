"""Each answer check on hand-made good and bad answers (English and French, fake encoder)."""

from __future__ import annotations

from evals.checks import (
    Preparer,
    check_citations,
    check_grounding,
    check_redundancy,
    check_relevance,
    check_specificity,
    quiz_redundancy,
)
from evals.verdict import Thresholds
from retrieval.embedding import FakeEmbedder
from tests.evals.conftest import CHAINES, LISTES, LISTS, STRINGS

Q = "Can the items of a list be changed after it is created?"
GOOD = "A list is mutable: its items can be changed after the list is created. [1]"


def _prep(
    embedder: FakeEmbedder,
    answer: str,
    question: str = Q,
    contexts: tuple[str, ...] = (LISTS, STRINGS),
):
    return Preparer(embedder).prepare(question, answer, contexts)


def test_grounding_passes_a_quote_and_blocks_flipped_facts(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    t = thresholds.grounding
    assert check_grounding(_prep(embedder, GOOD), t).verdict == "pass"
    for flipped, change in (
        (
            "A list is immutable: its items can be changed after the list is created. [1]",
            "opposite",
        ),
        ("A tuple is immutable, so its items can be changed once it exists. [1]", "negation"),
        (
            "The len() function returns the number of items, so len([4, 5, 6]) returns 4. [1]",
            "number",
        ),
    ):
        r = check_grounding(_prep(embedder, flipped), t)
        assert r.verdict == "block", flipped
        assert change in r.reasons[0]


def test_grounding_flags_unsupported_sentences(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    r = check_grounding(
        _prep(embedder, "Bananas grow in tropical regions near the equator."), thresholds.grounding
    )
    assert r.verdict == "block"
    assert r.details["unsupported"] == 1
    assert "not supported" in r.reasons[0]


def test_grounding_in_french(embedder: FakeEmbedder, thresholds: Thresholds) -> None:
    q = "Peut-on modifier un tuple ?"
    ok = "Un tuple n'est pas modifiable, ses éléments restent fixes une fois créé. [1]"
    flipped = "Un tuple est modifiable, ses éléments restent fixes une fois créé. [1]"
    assert (
        check_grounding(_prep(embedder, ok, q, (LISTES, CHAINES)), thresholds.grounding).verdict
        == "pass"
    )
    r = check_grounding(_prep(embedder, flipped, q, (LISTES, CHAINES)), thresholds.grounding)
    assert r.verdict == "block"
    assert "negation" in r.reasons[0]


def test_specificity_catches_filler_and_hedging(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    t = thresholds.specificity
    assert check_specificity(_prep(embedder, GOOD), t).score == 1.0
    filler = (
        "In today's fast-paced world, it is important to note that data matters. "
        "Mastering these fundamental concepts will help you unlock your full potential."
    )
    r = check_specificity(_prep(embedder, filler), t)
    assert r.verdict == "block"
    assert "in today's fast-paced" in r.details["filler"]
    hedge = "It really depends on many factors. In some cases it may vary."
    assert check_specificity(_prep(embedder, hedge), t).verdict == "block"


def test_specificity_in_french(embedder: FakeEmbedder, thresholds: Thresholds) -> None:
    q = "Peut-on modifier une liste ?"
    ok = "Une liste est modifiable : ses éléments peuvent être changés après sa création. [1]"
    slop = "Il est important de noter que, dans le monde actuel, tout dépend de nombreux facteurs."
    t = thresholds.specificity
    assert check_specificity(_prep(embedder, ok, q, (LISTES,)), t).verdict == "pass"
    r = check_specificity(_prep(embedder, slop, q, (LISTES,)), t)
    assert r.verdict == "block"
    assert r.details["filler"] and r.details["hedges"]


def test_course_phrases_are_not_filler(embedder: FakeEmbedder, thresholds: Thresholds) -> None:
    course = "In some cases a list is faster than a tuple."
    answer = "In some cases a list is faster than a tuple. [1]"
    r = check_specificity(_prep(embedder, answer, contexts=(course,)), thresholds.specificity)
    assert r.details["hedges"] == []


def test_redundancy_counts_repeated_sentences(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    t = thresholds.redundancy
    two = GOOD + " The append() method adds one item at the end of a list. [1]"
    assert check_redundancy(_prep(embedder, two), t).score == 1.0
    again = (
        two
        + " In other words, a list is mutable: its items can be changed after the list is created."
    )
    r = check_redundancy(_prep(embedder, again), t)
    assert r.score < 1.0
    assert r.details["pairs"][0][:2] == [0, 2]
    assert check_redundancy(_prep(embedder, again + " " + GOOD), t).verdict == "block"


def test_quiz_redundancy_finds_repeated_stems(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    stems = [
        "Which method adds an item at the end of a list?",
        "What does len() return for a list of three items?",
        "Which list method adds an item at the end of the list?",
    ]
    r = quiz_redundancy(stems, embedder, thresholds.redundancy)
    assert r.details["pairs"][0][:2] == [0, 2]
    assert quiz_redundancy(stems[:2], embedder).score == 1.0
    fr = [
        "Quelle méthode ajoute un élément à la fin d'une liste ?",
        "Quelle méthode ajoute un élément à la fin de la liste ?",
    ]
    assert quiz_redundancy(fr, None, thresholds.redundancy).score == 0.5


def test_relevance_prefers_the_answer_from_the_right_passage(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    t = thresholds.relevance
    right = check_relevance(_prep(embedder, GOOD), t)
    wrong = check_relevance(
        _prep(embedder, "The upper() method returns a copy of the string in capital letters. [2]"),
        t,
    )
    assert right.score > wrong.score
    assert right.verdict == "pass" and wrong.verdict != "pass"
    assert wrong.details["gap"] > 0
    assert any("closer to the question" in r for r in wrong.reasons)


def test_citations_must_exist_and_support_their_sentence(
    embedder: FakeEmbedder, thresholds: Thresholds
) -> None:
    t, w = thresholds.citations, thresholds.grounding.dense_weight
    assert check_citations(_prep(embedder, GOOD), t, w).score == 1.0
    assert check_citations(_prep(embedder, "A list is mutable."), t, w).details["citations"] == 0
    missing = check_citations(_prep(embedder, GOOD.replace("[1]", "[7]")), t, w)
    assert missing.verdict == "block"
    assert "points to no context" in missing.reasons[0]
    elsewhere = check_citations(_prep(embedder, GOOD.replace("[1]", "[2]")), t, w)
    assert elsewhere.verdict == "block"
    invented = check_citations(
        _prep(embedder, GOOD + " According to the Python Institute, lists are fast."), t, w
    )
    assert invented.details["fabricated"] == ["According to the Python Institute"]
    author_year = check_citations(
        _prep(embedder, GOOD + " Lists are fast (Smith et al., 2019)."), t, w
    )
    assert author_year.details["fabricated"] == ["(Smith et al., 2019)"]


def test_citations_in_french(embedder: FakeEmbedder, thresholds: Thresholds) -> None:
    q = "Peut-on modifier une liste ?"
    ok = "Une liste est modifiable : ses éléments peuvent être changés après sa création. [1]"
    t, w = thresholds.citations, thresholds.grounding.dense_weight
    assert check_citations(_prep(embedder, ok, q, (LISTES, CHAINES)), t, w).verdict == "pass"
    assert (
        check_citations(
            _prep(embedder, ok.replace("[1]", "[2]"), q, (LISTES, CHAINES)), t, w
        ).verdict
        == "block"
    )


def test_a_check_question_claims_nothing(embedder: FakeEmbedder, thresholds: Thresholds) -> None:
    """The coach ends with a question to check understanding: neither unsupported nor vague."""
    asked = GOOD + " Which part would you try first?"
    assert check_grounding(_prep(embedder, asked), thresholds.grounding).verdict == "pass"
    assert check_specificity(_prep(embedder, asked), thresholds.specificity).verdict == "pass"
    # ... but filler in a question is still filler, and questions alone are judged as claims
    filler = GOOD + " At the end of the day, isn't it all about doing your best?"
    assert check_specificity(_prep(embedder, filler), thresholds.specificity).verdict != "pass"
    only = "What do you think happens? Why might that matter to you?"
    assert check_grounding(_prep(embedder, only), thresholds.grounding).verdict == "block"
