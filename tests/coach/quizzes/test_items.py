"""The item model: JSON round trip, stable ids, the single correct option."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from coach.quizzes import Option, QuizItem, Source
from retrieval.types import Citation

CITE = Citation("py", "Python", "basics", "Basics", "Variables", "courses/py/01.md", "variables")


def mcq(**changes: object) -> QuizItem:
    data: dict[str, object] = {
        "kind": "mcq",
        "stem": "Which term names a value stored in memory?",
        "options": (
            Option(text="variable", correct=True),
            Option(text="function"),
            Option(text="library"),
        ),
        "answer": "variable",
        "source": Source.from_citation("courses/py/01.md#variables:0", CITE),
        "skills": ("python.basics",),
        **changes,
    }
    return QuizItem.model_validate(data)


def test_json_round_trip_keeps_every_field_and_the_citation() -> None:
    item = mcq(explanation="A variable is a name.", difficulty="easy", language="en")
    back = QuizItem.from_json(item.to_json())
    assert back == item
    assert back.source.citation == CITE
    assert back.correct_index == 0 and back.correct_text == "variable"


def test_id_is_stable_and_changes_with_content() -> None:
    assert mcq().id == mcq().id and mcq().id.startswith("q-")
    assert mcq(stem="Another stem?").id != mcq().id


def test_two_flagged_options_have_no_correct_index() -> None:
    options = (Option(text="a", correct=True), Option(text="b", correct=True), Option(text="c"))
    assert mcq(options=options).correct_index is None


def test_unknown_kinds_and_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        mcq(kind="essay")
    with pytest.raises(ValidationError):
        QuizItem.model_validate_json(mcq().to_json().replace('"stem"', '"stem_x"'))
