"""Follow-up questions become standalone queries; standalone questions stay as typed."""

from __future__ import annotations

import pytest

from coach.responders.base import Turn
from coach.responders.rewrite import OfflineRewriter, QueryRewriter


def history(*user_turns: str) -> list[Turn]:
    """Alternating user/assistant turns with the given user messages."""
    turns: list[Turn] = []
    for text in user_turns:
        turns += [Turn("user", text), Turn("assistant", "Here is what the course says.")]
    return turns


@pytest.mark.parametrize(
    ("previous", "follow_up", "carried", "kept"),
    [
        (
            "When must a data breach be reported to the regulator?",
            "and what about its exceptions?",
            ["breach", "reported", "regulator"],
            "its exceptions?",
        ),
        (
            "Que dit le RGPD sur les violations de données ?",
            "et pour les sanctions ?",
            ["RGPD", "violations", "données"],
            "les sanctions ?",
        ),
        (
            "Should I stay 3 metres away from a working forklift?",
            "why?",
            ["forklift", "metres"],
            "why?",
        ),
        (
            "How does the SBI model structure feedback?",
            "give an example",
            ["SBI", "feedback"],
            "give an example",
        ),
        (
            "Faut-il éteindre son ordinateur après un clic sur un lien de phishing ?",
            "Pourquoi ?",
            ["ordinateur", "phishing"],
            "Pourquoi ?",
        ),
        (
            "How do I use groupby in pandas?",
            "Can you explain how it works?",
            ["groupby", "pandas"],
            "Can you explain how it works?",
        ),
        (
            "Combien de temps conserver les bulletins de paie ?",
            "Et qu'en est-il des caméras ?",
            ["conserver", "paie"],
            "des caméras ?",
        ),
        (
            "On m'a volé mon téléphone professionnel.",
            "Qui dois-je prévenir ?",
            ["téléphone", "volé"],
            "Qui dois-je prévenir ?",
        ),
    ],
)
def test_follow_ups_carry_the_earlier_topic(
    previous: str, follow_up: str, carried: list[str], kept: str
) -> None:
    query = OfflineRewriter().rewrite(follow_up, history(previous))
    assert query.startswith(kept)
    for term in carried:
        assert term in query


@pytest.mark.parametrize(
    "question",
    [
        "How do I tell a colleague they were rude to a customer without attacking them?",
        "What is a list comprehension in Python?",
        "What is phishing?",
        "Qu'est-ce que le RGPD ?",
        "Est-ce que la plaque d'immatriculation d'un camion est une donnée personnelle ?",
        "Above what weight should I stop lifting alone?",
    ],
)
def test_standalone_questions_are_left_untouched(question: str) -> None:
    rewriter = OfflineRewriter()
    assert rewriter.rewrite(question, history("How does the SBI model work?")) == question


def test_without_history_nothing_is_added() -> None:
    assert OfflineRewriter().rewrite("why?", []) == "why?"


def test_a_chain_of_follow_ups_reaches_back_to_the_topic() -> None:
    turns = history("What does the TILE assessment check before a lift?", "why?")
    query = OfflineRewriter().rewrite("give an example", turns)
    assert "TILE" in query and "lift" in query


def test_assistant_turns_are_not_taken_as_the_topic() -> None:
    turns = [Turn("user", "How do I report a near miss?"), Turn("assistant", "Use the app.")]
    query = OfflineRewriter().rewrite("why?", turns)
    assert "near" in query and "app" not in query


def test_the_offline_rewriter_is_a_query_rewriter() -> None:
    assert isinstance(OfflineRewriter(), QueryRewriter)
