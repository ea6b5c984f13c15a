"""The runtime guard's quiz and path entry points, as the service calls them."""

from __future__ import annotations

from coach.quizzes import Validator
from evals.guard import Guard
from retrieval.embedding import Embedder
from tests.coach.quizzes.test_validate import OPTIONS, PASSAGE, item


def test_the_guard_withholds_broken_and_repeated_quiz_items(minilm: Embedder) -> None:
    guard = Guard(minilm)
    sound = item()
    repeat = item(stem="Within one hour, who must a personal data breach be reported to?")
    two = (OPTIONS[0], OPTIONS[1].model_copy(update={"correct": True}), OPTIONS[2])
    broken = item(stem="Which role decides on notifying the authority?", options=two)
    items = [sound, repeat, broken]
    verdict = guard.quiz(items, {"c1": PASSAGE}, validator=Validator(minilm))
    assert verdict.verdict == "block"
    assert guard.withheld(verdict, items) == {1, 2}
    assert any("one_correct" in r for r in verdict.reasons)
    alone = guard.quiz([sound], {"c1": PASSAGE}, validator=Validator(minilm))
    assert alone.verdict == "pass" and guard.withheld(alone, [sound]) == set()
