"""Validation: each check names its reason; the generate → validate loop drops what fails."""

from __future__ import annotations

from coach.quizzes import (
    OfflineGenerator,
    Option,
    QuizItem,
    Source,
    Validator,
    build_quiz,
    sources_of,
)
from retrieval.embedding import Embedder, FakeEmbedder
from retrieval.types import SearchHit

PASSAGE = (
    "A personal data breach must be reported to the data protection officer within "
    "one hour of discovery. The officer decides whether to notify the authority within "
    "72 hours."
)
UNRELATED = (
    "Forklift drivers sound the horn at every corner and keep to the marked lanes; "
    "pedestrians wear high-visibility vests in the loading bays."
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


def reasons(validator: Validator, it: QuizItem, passage: str = PASSAGE) -> set[str]:
    report = validator.validate([it], {"c1": passage, "c2": UNRELATED})
    return {r for rej in report.rejected for r in rej.reasons}


def test_a_sound_item_passes(minilm: Embedder) -> None:
    assert reasons(Validator(minilm), item()) == set()


def test_each_fault_is_named(minilm: Embedder) -> None:
    v = Validator(minilm)
    two = (OPTIONS[0], OPTIONS[1].model_copy(update={"correct": True}), OPTIONS[2])
    assert "one_correct" in reasons(v, item(options=two))
    dup = (OPTIONS[0], Option(text="The Data Protection Officer."), OPTIONS[2])
    assert "distinct_options" in reasons(v, item(options=dup))
    near = (OPTIONS[0], OPTIONS[1], Option(text="the officer for data protection"))
    assert "distinct_options" in reasons(v, item(options=near))
    assert "answer_supported" in reasons(v, item(), passage=UNRELATED)
    leak = item(stem="Who, the data protection officer or not, must get breach reports?")
    assert "answer_in_stem" in reasons(v, leak)
    above = (OPTIONS[0], Option(text="all of the above"), OPTIONS[2])
    assert "all_none_above" in reasons(v, item(options=above))
    assert "structure" in reasons(v, item(options=OPTIONS[:2]))
    assert "too_long" in reasons(v, item(stem="Who " + "really " * 90 + "gets reports?"))


def test_all_of_the_above_is_fine_as_the_last_correct_option(minilm: Embedder) -> None:
    options = (
        Option(text="the data protection officer"),
        Option(text="within one hour of discovery"),
        Option(text="the authority within 72 hours"),
        Option(text="All of the above", correct=True),
    )
    got = reasons(Validator(minilm), item(options=options, answer="All of the above"))
    assert "all_none_above" not in got


def test_code_values_in_the_stem_are_not_a_give_away(embedder: FakeEmbedder) -> None:
    options = (Option(text="0.1", correct=True), Option(text="0.10"), Option(text="0"))
    code = item(stem="What is the output of round(0.1, 1)?", options=options, answer="0.1")
    assert "answer_in_stem" not in Validator(embedder).check(code, PASSAGE)[0]
    leaked = code.model_copy(update={"stem": "What is the output of round(0.1, 1)? (0.1)"})
    assert "answer_in_stem" in Validator(embedder).check(leaked, PASSAGE)[0]


def test_the_same_question_twice_is_rejected_once(minilm: Embedder) -> None:
    again = item(stem="Within one hour, who must a personal data breach be reported to?")
    report = Validator(minilm).validate([item(), again], {"c1": PASSAGE})
    assert [i.id for i in report.accepted] == [item().id]
    assert report.rejected[0].reasons == ("duplicate_item",)
    assert report.reason_counts()["duplicate_item"] == 1


def test_generated_quiz_is_built_from_valid_items_only(
    minilm: Embedder, en_passages: list[SearchHit]
) -> None:
    gen = OfflineGenerator(minilm)
    build = build_quiz(gen, Validator(minilm), en_passages, 4, seed=0)
    assert len(build.items) == 4 and build.rounds >= 1
    report = Validator(minilm).validate(build.items, sources_of(en_passages))
    assert report.rejected == []  # what the loop kept passes on its own
    assert len({i.id for i in build.items}) == len(build.items)
