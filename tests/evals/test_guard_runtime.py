"""The runtime guard's quiz and path entry points, as the service calls them."""

from __future__ import annotations

from coach.quizzes import Option, QuizItem, Source, Validator
from evals.guard import Guard
from retrieval.embedding import Embedder

PASSAGE = (
    "A personal data breach must be reported to the data protection officer within "
    "one hour of discovery. The officer decides whether to notify the authority within "
    "72 hours."
)
SOURCE = Source(chunk_id="c1", course_id="gdpr", module_id="breaches", section_title="Breaches")
OPTIONS = (
    Option(text="the data protection officer", correct=True),
    Option(text="the warehouse manager"),
    Option(text="a colleague in the team"),
)


def item(**changes: object) -> QuizItem:
    data: dict[str, object] = {
        "kind": "mcq",
        "stem": "Who must a personal data breach be reported to within one hour?",
        "options": OPTIONS,
        "answer": "the data protection officer",
        "source": SOURCE,
        **changes,
    }
    return QuizItem.model_validate(data)


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
