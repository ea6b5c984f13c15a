"""The labelled-set builder: every kind does what it says, the same way for a seed."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from evals.checks import split_answer
from evals.slop import build, main
from evals.slop_kinds import KINDS, TRANSFORMS, Base, Source

GOLD = Source(
    "m1#s1",
    "m1",
    "Lists",
    "Lists A list is mutable. Its items can be changed after creation. It holds 3 items here.",
    ("A list is mutable.", "Its items can be changed after creation.", "It holds 3 items here."),
)
NEAR = Source(
    "m1#s2", "m1", "Tuples", "A tuple is immutable.", ("A tuple is immutable once it is made.",)
)
FAR = Source(
    "m2#s1",
    "m2",
    "Files",
    "Files",
    (
        "The open() function opens a file for reading.",
        "Call close() when the file is no longer needed.",
    ),
)
OTHER = Source(
    "m3#s1",
    "m3",
    "Loops",
    "Loops",
    (
        "A for loop repeats its body for each item.",
        "A while loop repeats while its condition is true.",
    ),
)


def _base() -> Base:
    return Base(
        "Can a list be changed?",
        [NEAR, GOLD, FAR],
        1,
        ["A list is mutable.", "Its items can be changed after creation."],
        "Yes: lists are mutable, so their items can change.",
        "Can a list be changed? yes",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_each_transformation_is_deterministic_for_a_seed(kind: str) -> None:
    make = TRANSFORMS[kind]
    runs = {str(make(_base(), [GOLD, NEAR, FAR, OTHER], random.Random(seed))) for seed in (1, 1)}
    assert len(runs) == 1
    assert (
        len({str(make(_base(), [GOLD, NEAR, FAR, OTHER], random.Random(s))) for s in range(12)}) > 1
    )


def _all(kind: str) -> list[tuple[str, list[Source]]]:
    out = [TRANSFORMS[kind](_base(), [GOLD, NEAR, FAR, OTHER], random.Random(s)) for s in range(30)]
    return [x for x in out if x is not None]


def test_filler_adds_sentences_from_no_source() -> None:
    for answer, _ in _all("generic_filler"):
        sentences = [s for s, _ in split_answer(answer)]
        assert any(s not in GOLD.sentences and s != _base().expert for s in sentences)
        assert len(sentences) >= 3


def test_wrong_section_quotes_another_module_and_cites_it() -> None:
    for answer, contexts in _all("wrong_section"):
        for sentence, markers in split_answer(answer):
            source = contexts[markers[0] - 1]
            assert (
                source.module != "m1"
                and sentence.removeprefix("Regarding lists: ") in source.sentences
            )


def test_contradiction_changes_exactly_one_quote() -> None:
    for answer, _ in _all("contradiction"):
        sentences = [s for s, _ in split_answer(answer)]
        changed = [s for s in sentences if s not in GOLD.sentences]
        assert len(changed) == 1 and len(sentences) == 2


def test_repetition_says_something_twice() -> None:
    for answer, _ in _all("repetition"):
        sentences = [s.lower() for s, _ in split_answer(answer)]
        assert any(b.endswith(a[1:]) for i, a in enumerate(sentences) for b in sentences[i + 1 :])


def test_hedging_quotes_nothing() -> None:
    for answer, _ in _all("hedging"):
        assert not any(s in GOLD.sentences for s, _ in split_answer(answer))


def test_hallucinated_citations_point_nowhere_or_to_the_wrong_text() -> None:
    for answer, contexts in _all("hallucinated_citation"):
        pairs = split_answer(answer)
        bad = [
            (s, m)
            for s, ms in pairs
            for m in ms
            if m > len(contexts) or not any(s.endswith(q[1:]) for q in contexts[m - 1].sentences)
        ]
        assert (
            bad
            or "According" in answer
            or "study" in answer
            or "reported" in answer
            or "handbook" in answer
        )


def _book(tmp_path: Path) -> Path:
    sections = [GOLD, NEAR, FAR, OTHER]
    (tmp_path / "sections.jsonl").write_text(
        "\n".join(
            json.dumps(
                {
                    "doc_id": s.doc_id,
                    "module": s.module,
                    "section_title": s.title,
                    "text": " ".join(s.sentences),
                }
            )
            for s in sections
        )
    )
    qs = [
        {
            "id": f"q{i}",
            "question": f"Can a list be changed ({i})?",
            "gold_doc_id": "m1#s1",
            "solution": "Yes, lists are mutable objects.",
            "options": [],
        }
        for i in range(4)
    ]
    (tmp_path / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in qs))
    return tmp_path


def test_build_labels_each_question_and_is_reproducible(tmp_path: Path) -> None:
    book = _book(tmp_path)
    lines = list(build(book, seed=3))
    assert lines == list(build(book, seed=3))
    assert sum(x.label == "good" for x in lines) == 8  # grounded and expert per question
    low = [x.kind for x in lines if x.label == "low_value"]
    assert len(low) == 8 and len(set(low)) == 6  # two per question, kinds in turn
    main([str(book), "--out", str(tmp_path / "set.jsonl"), "--split", "all"])
    first = json.loads((tmp_path / "set.jsonl").read_text().splitlines()[0])
    assert {"question", "answer", "contexts", "label", "kind", "split", "module"} <= set(first)
