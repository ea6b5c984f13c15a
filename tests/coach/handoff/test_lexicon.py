"""Normalisation and concept lexicons: one spelling per word, concepts as features."""

from __future__ import annotations

import pytest

from coach.handoff.lexicon import concept_tokens, concepts, personal_matter
from coach.handoff.normalise import normalise
from coach.handoff.rules import without_request


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Je suis DÉBORDÉE", "je suis debordee"),
        ("j’ai besoin d’aide", "j'ai besoin d'aide"),
        ("jveux parler a qqn stp", "je veux parler a quelqu'un stp"),
        ("pls connect me w/ a person", "please connect me with a person"),
        ("im stuck, cant do it", "i'm stuck, can't do it"),
        ("  Cœur   brisé ", "coeur brise"),
    ],
)
def test_normalise_folds_spellings(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised
    assert normalise(normalised) == normalised  # idempotent


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("my bonus was cut this year", {"self", "pay"}, set()),
        ("write me a loop that prints prime numbers", set(), {"pay"}),  # prime, the number
        ("j'ai une hernie discale", {"self", "condition"}, set()),
        ("quelle base legale pour ce traitement de donnees ?", set(), {"condition"}),  # GDPR
        ("la video ne charge pas", set(), {"distress"}),  # not "vidée"
        ("my manager shouts at me", {"manager", "hostile", "harm_to_me"}, set()),
        ("can i talk to a real trainer", {"request", "person", "contact"}, set()),
    ],
)
def test_concepts(text: str, present: set[str], absent: set[str]) -> None:
    found = concepts(normalise(text))
    assert present <= found and not absent & found


def test_pairs_need_the_concepts_close_together() -> None:
    assert "_c_self_condition" in concept_tokens("i have dyslexia, can i get more time?")
    # "my slides" and "dyslexia" are far apart, and "How do I" frames a question
    far = concept_tokens("how do i make my slides accessible for all colleagues with dyslexia")
    assert "_c_condition" in far and "_c_self_condition" not in far


def test_a_pair_in_a_study_question_has_its_own_token() -> None:
    tokens = concept_tokens(normalise("What does the module say about my manager shouting?"))
    assert "_c_manager_hostile_s" in tokens.split()


def test_without_request_keeps_what_the_message_is_about() -> None:
    rest = without_request("I'd like to talk to someone in HR about my salary.")
    assert "about my salary" in rest and "talk to someone" not in rest


@pytest.mark.parametrize(
    ("rest", "personal"),
    [
        ("about my salary", True),
        ("de ma remuneration", True),
        ("about a colleague who won't leave me alone", True),
        ("about my training plan", False),
        ("about the bonus formula exercise", False),
        ("what does the module say about my manager shouting?", False),  # a study question
    ],
)
def test_personal_matter(rest: str, personal: bool) -> None:
    assert personal_matter(normalise(rest)) is personal
