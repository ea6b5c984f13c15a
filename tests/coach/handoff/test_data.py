"""The labelled set's split by editions and the command that writes the training file."""

from __future__ import annotations

from pathlib import Path

from coach.handoff.data import TRAINING_FILE, LabelledMessage, load_messages, main, split


def _m(group: str, signal: str = "none", subtopic: str | None = None) -> LabelledMessage:
    return LabelledMessage(f"{group}.1", group, "en", signal, subtopic, group)  # type: ignore[arg-type]


def test_a_new_edition_moves_no_earlier_group() -> None:
    first = [_m(f"none-{i:03d}") for i in range(1, 31)] + [
        _m(f"sensitive-{i:03d}", "sensitive", "health") for i in range(1, 13)
    ]
    second = [_m(f"none-b{i:03d}") for i in range(1, 10)]
    third = [_m(f"none-c{i:03d}") for i in range(1, 31)] + [
        _m(f"sensitive-c{i:03d}", "sensitive", s)
        for i, s in enumerate(["health", "pay_or_contract", "harassment"] * 6, 1)
    ]
    _, held_before = split(first + second)
    _, held_after = split(first + second + third)
    assert set(held_before) <= set(held_after)
    held_third = [m for m in held_after if m.group.rsplit("-", 1)[1].startswith("c")]
    # stratified: a third of each signal, and of each sensitive subtopic
    assert sum(m.signal == "none" for m in held_third) == 10
    for subtopic in ("health", "pay_or_contract", "harassment"):
        assert sum(m.subtopic == subtopic for m in held_third) == 2


def test_the_command_writes_the_tune_part(tmp_path: Path) -> None:
    out = tmp_path / "training.jsonl"
    main(["evals/handoff/messages.jsonl", "--out", str(out)])
    tune, _ = split(load_messages("evals/handoff/messages.jsonl"))
    assert load_messages(out) == tune == load_messages(TRAINING_FILE)
