"""Grading every kind, feedback that cites, the LLM rubric hook, and hints that never tell."""

from __future__ import annotations

import pytest

from coach.llm import FakeChatModel, LLMError
from coach.quizzes import LLMRubric, OfflineGenerator, Option, QuizItem, Source, grade, hint
from coach.quizzes.grade import reveals
from retrieval.embedding import Embedder, FakeEmbedder
from retrieval.types import SearchHit

SOURCE = Source(
    chunk_id="c1",
    course_id="py",
    course_title="Python",
    module_id="basics",
    module_title="Basics",
    section_title="What computers run",
)
MCQ = QuizItem(
    kind="mcq",
    stem="Which term names a sequence of instructions a computer can run?",
    options=(
        Option(text="library", feedback="A library is code used by other programs."),
        Option(text="program", correct=True),
        Option(text="traceback"),
    ),
    answer="program",
    explanation="Technically, a program is a sequence of instructions that a computer can run.",
    source=SOURCE,
)
CLOZE = QuizItem(
    kind="cloze",
    stem="Pandas is a widely used _____ for data analysis.",
    answer="library",
    accepted=("libraries",),
    source=SOURCE,
)
NUMBER = QuizItem(kind="cloze", stem="Report within _____ hours.", answer="72", source=SOURCE)
SHORT = QuizItem(
    kind="short_answer",
    stem="In your own words, what is a program?",
    answer="a sequence of instructions that a computer can run",
    key_terms=("instructions", "sequence", "computer"),
    source=SOURCE,
)


def test_choices_are_graded_exactly_with_feedback_and_citation() -> None:
    right = grade(MCQ, 1)
    assert right.correct and right.score == 1.0 and right.confidence == 1.0
    assert right.citation.section_title == "What computers run"
    assert "Python › Basics › What computers run" in right.feedback
    wrong = grade(MCQ, "library")
    assert not wrong.correct and wrong.score == 0.0
    assert "code used by other programs" in wrong.feedback  # that option's own feedback
    assert "“program”" in wrong.feedback and "Technically" in wrong.feedback
    assert grade(MCQ, "b").correct and not grade(MCQ, 7).correct


@pytest.mark.parametrize(
    ("answer", "correct", "method"),
    [
        ("library", True, "exact"),
        ("  Library. ", True, "exact"),
        ("libraries", True, "exact"),
        ("libary", True, "typo"),
        ("module", False, "exact"),
    ],
)
def test_cloze_accepts_variants_and_small_typos(answer: str, correct: bool, method: str) -> None:
    got = grade(CLOZE, answer)
    assert (got.correct, got.method) == (correct, method)


def test_numbers_get_no_typo_tolerance() -> None:
    assert grade(NUMBER, "72").correct and not grade(NUMBER, "73").correct


def test_short_answers_by_meaning_and_key_terms(minilm: Embedder) -> None:
    good = grade(SHORT, "It is a series of instructions that the computer runs.", embedder=minilm)
    vague = grade(SHORT, "Something you buy in a shop.", embedder=minilm)
    assert good.correct and good.method == "semantic" and good.confidence > 0.5
    assert not vague.correct and vague.score < good.score
    assert "instructions" in vague.feedback  # says what was missing
    assert not grade(SHORT, "", embedder=minilm).correct


def test_llm_rubric_grades_and_falls_back_on_bad_output(minilm: Embedder) -> None:
    model = FakeChatModel(['{"score": 0.9, "correct": true, "feedback": "Well put."}'])
    got = grade(SHORT, "steps a computer follows", embedder=minilm, rubric=LLMRubric(model))
    assert got.correct and got.method == "llm:fake" and got.feedback.startswith("Well put.")
    assert "<learner_answer>\nsteps a computer follows" in model.calls[0][-1].content
    broken = FakeChatModel(["not json", '{"score": 2}'])
    offline = grade(SHORT, "steps a computer follows", embedder=minilm, rubric=LLMRubric(broken))
    assert offline.method == "semantic" and offline.details["llm_fallback"] == "invalid_output"
    down = FakeChatModel([LLMError("refused", kind="connection")])
    assert grade(SHORT, "x y z", embedder=minilm, rubric=LLMRubric(down)).method == "semantic"


def test_hints_guide_without_giving_the_answer(
    en_passages: list[SearchHit], fr_passages: list[SearchHit]
) -> None:
    gen = OfflineGenerator(FakeEmbedder())
    items = [MCQ, CLOZE, SHORT]
    items += gen.generate(en_passages, 12, seed=2) + gen.generate(fr_passages, 8, seed=2)
    for it in items:
        hints = [hint(it, level) for level in (1, 2, 3)]
        assert len(set(hints)) >= 2, "levels differ"
        for text in hints:
            assert text and not reveals(text, it), (it.stem, text)
            if it.kind != "short_answer":
                assert it.correct_text.lower() not in text.lower()
    assert "What computers run" in hint(MCQ, 1)
    assert hint(MCQ, 2).startswith("“Technically, a _____ is")
    assert hint(MCQ, 3) in {"You can rule out “library”.", "You can rule out “traceback”."}


def test_a_hint_that_would_name_the_answer_falls_back() -> None:
    titled = MCQ.model_copy(
        update={"source": SOURCE.model_copy(update={"section_title": "Programs"})}
    )
    assert "Programs" not in hint(titled, 1) and "program" not in hint(titled, 1).lower()
