"""Coverage verdicts, the not-covered message and citation numbering."""

from __future__ import annotations

import pytest

from coach.responders.grounding import (
    CoverageConfig,
    assess_coverage,
    not_covered_message,
    number_citations,
    term_coverage,
)
from retrieval.embedding import FakeEmbedder
from retrieval.termstats import TermStats
from retrieval.types import SearchHit
from tests.utils.hits import make_hit

FORKLIFT = make_hit(
    "Stay at least 3 metres from a working forklift. Never walk under raised forks.",
    course="Warehouse safety",
    module="Forklifts and pedestrians",
    section="Rules for pedestrians",
    dense=0.62,
)
SANCTIONS = make_hit(
    "Les sanctions prévues par le RGPD peuvent atteindre 20 millions d'euros.",
    course="RGPD : les fondamentaux",
    module="Les principes du RGPD",
    section="Pourquoi le RGPD nous concerne tous",
    language="fr",
    dense=0.5,
)


def test_a_passage_that_answers_the_question_covers_it() -> None:
    cov = assess_coverage(
        [FORKLIFT], query="How far should I stay from a working forklift?", language="en"
    )
    assert cov.covered
    assert cov.evidence == (FORKLIFT,)
    assert cov.closest == FORKLIFT
    assert cov.confidence > 0.5


def test_no_passages_are_not_covered() -> None:
    cov = assess_coverage([], query="How far from a forklift?", language="en")
    assert not cov.covered
    assert cov.closest is None
    assert cov.evidence == ()
    assert cov.confidence == 0.0


def test_weak_unrelated_evidence_is_not_covered_and_suggests_nothing() -> None:
    weak = make_hit("Stay at least 3 metres from a working forklift.", dense=0.12)
    cov = assess_coverage([weak], query="What's a good recipe for lasagne?", language="en")
    assert not cov.covered
    assert cov.closest is None
    assert cov.confidence < 0.5


def test_a_near_miss_is_not_covered_but_names_the_closest_passage() -> None:
    near = make_hit(
        "Only trained and authorised operators may drive forklifts at Northwind.",
        module="Forklifts and pedestrians",
        dense=0.42,
    )
    question = "How do I get a forklift licence in Texas?"
    lenient = CoverageConfig(suggest_min=0.2)
    cov = assess_coverage([near], query=question, language="en", config=lenient)
    assert not cov.covered
    assert cov.closest == near
    strict = CoverageConfig(suggest_min=0.4)
    assert assess_coverage([near], query=question, language="en", config=strict).closest is None


def test_french_terms_match_through_stemming() -> None:
    share = term_coverage("Quelles sanctions sont prévues ?", [SANCTIONS], language="fr")
    assert share == 1.0
    cov = assess_coverage([SANCTIONS], query="Quelles sanctions sont prévues ?", language="fr")
    assert cov.covered


def test_missing_dense_scores_are_computed_with_the_embedder() -> None:
    hit = make_hit("Stay at least 3 metres from a working forklift.", dense=None)
    embedder = FakeEmbedder()
    cov = assess_coverage(
        [hit], query="Stay 3 metres from a working forklift?", language="en", embedder=embedder
    )
    assert embedder.calls  # the passage was embedded
    assert cov.covered


def test_not_covered_message_names_the_closest_module_in_the_learners_language() -> None:
    en = not_covered_message("en", FORKLIFT.citation)
    assert "don't cover" in en
    assert "The closest module is Warehouse safety › Forklifts and pedestrians." in en
    fr = not_covered_message("fr", SANCTIONS.citation)
    assert "ne traitent pas" in fr
    assert "Le module le plus proche est RGPD : les fondamentaux › Les principes du RGPD." in fr


def test_not_covered_message_without_a_closest_module_or_known_language() -> None:
    assert not_covered_message("de", None) == not_covered_message("en", None)
    assert "closest" not in not_covered_message("en", None)


def test_citations_are_numbered_from_one_in_hit_order() -> None:
    refs = number_citations([FORKLIFT, SANCTIONS])
    assert [r.n for r in refs] == [1, 2]
    assert [r.chunk_id for r in refs] == [FORKLIFT.chunk_id, SANCTIONS.chunk_id]
    assert refs[0].quote == FORKLIFT.text
    assert refs[1].citation == SANCTIONS.citation


# Ten passages of a programming course: "return" and "value" are everywhere, "decorator"
# in one passage, "snake" in none.
COURSE_STATS = TermStats.from_passages(
    [(f"Functions {i}\nA function may return a value.", "en") for i in range(9)]
    + [("Decorators\nA decorator wraps a function.", "en")]
)
RETURNS = make_hit("A function may return a value to its caller.", dense=0.35)
DECORATES = make_hit("A decorator wraps a function to extend it.", dense=0.33)


@pytest.mark.parametrize(
    ("question", "passage", "plain", "weighted"),
    [
        # the specific word is missing: rarity weights sink the share
        ("How do I return a value from a decorator?", RETURNS, 2 / 3, (0.0, 0.15)),
        # only a word the course uses everywhere is missing: the share rises
        ("What does a decorator return?", DECORATES, 1 / 2, (0.9, 1.0)),
        # a word the course never uses weighs the most
        ("Can a function return a snake?", RETURNS, 2 / 3, (0.0, 0.1)),
        ("Can a decorator return a value?", DECORATES, 1 / 3, (0.8, 0.95)),
    ],
)
def test_missing_a_rare_word_counts_more_than_missing_a_common_one(
    question: str, passage: SearchHit, plain: float, weighted: tuple[float, float]
) -> None:
    assert term_coverage(question, [passage], language="en") == pytest.approx(plain)
    share = term_coverage(question, [passage], language="en", stats=COURSE_STATS)
    assert weighted[0] <= share <= weighted[1]


@pytest.mark.parametrize(
    ("question", "passage", "covered_plain", "covered_weighted"),
    [
        ("How do I return a value from a decorator?", RETURNS, True, False),
        ("What does a decorator return?", DECORATES, False, True),
    ],
)
def test_term_statistics_decide_close_calls_on_the_specific_words(
    question: str, passage: SearchHit, covered_plain: bool, covered_weighted: bool
) -> None:
    plain = assess_coverage([passage], query=question, language="en")
    weighted = assess_coverage([passage], query=question, language="en", stats=COURSE_STATS)
    assert plain.covered is covered_plain
    assert weighted.covered is covered_weighted
    assert "rare-weighted terms" in weighted.reason and "rare-weighted" not in plain.reason


def test_every_word_found_in_a_passage_about_something_else_is_not_covered() -> None:
    # a short question of generic words finds them all in a passage far from its meaning
    # (python questions asked of a finance book): the cosine outweighs the word count
    generic = make_hit("A function may return a value.", dense=0.15)
    cov = assess_coverage([generic], query="Which value does the function return?", language="en")
    assert not cov.covered


def test_a_cosine_alone_with_no_shared_word_covers_nothing() -> None:
    # an encoder's chance similarity: not one word of the question is in the passage
    lookalike = make_hit("Stay at least 3 metres from a working forklift.", dense=0.8)
    cov = assess_coverage([lookalike], query="Best chocolate soufflé recipe?", language="en")
    assert not cov.covered and cov.closest is None and cov.confidence < 0.5
