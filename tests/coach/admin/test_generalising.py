"""Reading questions phrased in ways no template wrote: predictions refused, "missing" as a
negation, everyday words searched as the guide's words, a section's heading in its rank."""

from __future__ import annotations

import pytest

from coach.admin.docs import _by_heading
from coach.admin.glossary import everyday_terms, in_guide_words
from coach.admin.understand import NEGATED, refusal_of
from retrieval.types import Citation, SearchHit


@pytest.mark.parametrize(
    "question",
    [
        "what will our completion rate be in 2030?",
        "Quel sera le taux de complétion dans cinq ans ?",
        "Which learners are most likely to quit the company next year?",
        "Quels salariés risquent de démissionner l'an prochain ?",
        "Can you forecast next quarter's engagement?",
        "Prédis le taux de réussite du quiz Python",
    ],
)
def test_predictions_are_refused(question: str) -> None:
    assert refusal_of(question) == "scope"


@pytest.mark.parametrize(
    "question",
    [
        "Who will attend next Thursday's fire safety session?",
        "Qui sera présent à la session SST de jeudi prochain ?",
        "Completion rate of Python for analysts this quarter",
        "Le formateur doit-il clôturer la feuille d'émargement à la fin ?",
    ],
)
def test_future_sessions_and_plain_questions_are_not_predictions(question: str) -> None:
    assert refusal_of(question) is None


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("il manque qui sur la feuille d emargement", True),
        ("list the learners with no signature", True),
        ("qui a emarge mardi", False),
        ("who signed in for the fire safety session", False),
    ],
)
def test_missing_and_no_read_as_a_negation(text: str, negated: bool) -> None:
    assert bool(NEGATED.search(text)) is negated


def test_everyday_words_are_searched_as_the_guides_words() -> None:
    asked = "what's the cut-off date for signing up, and can people join the waitlist?"
    words = in_guide_words(asked).split()
    assert {"deadline", "enrolment", "waiting", "list"} <= set(words)
    assert in_guide_words("Completion rate of Python for analysts") == ""
    # the everyday words the question says are known; the others of the table are not
    assert "cut" in everyday_terms(asked) and "wipe" not in everyday_terms(asked)


def _hit(section: str, score: float) -> SearchHit:
    where = Citation("admin-docs", "Guide", "m", "Module", section, "en/x.md", "a")
    return SearchHit(chunk_id=section, text="...", score=score, citation=where, language="en")


def test_a_heading_made_of_the_questions_words_moves_up_a_close_call() -> None:
    query = "my CSV import of learners got rejected, why? refused"
    close = [_hit("Bulk enrolment with a CSV file", 0.94), _hit("When an import is refused", 0.85)]
    assert _by_heading(close, query, 0.15)[0].chunk_id == "When an import is refused"
    far = [_hit("Bulk enrolment with a CSV file", 0.94), _hit("When an import is refused", 0.5)]
    assert _by_heading(far, query, 0.15)[0].chunk_id == "Bulk enrolment with a CSV file"
