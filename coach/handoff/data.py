"""The labelled learner messages: loading, and the split that keeps a third aside.

The split is by paraphrase group (a group's paraphrases and translations never straddle
the two parts). Groups come in editions, told by the last part of their id: ``-001``
(the first), ``-b001`` (the second), ``-c001`` (the third), and so on. An edition's groups
are stratified by signal (from the third edition on, sensitive ones by subtopic too):
within each stratum they are ordered by a CRC32 of their id and every third goes to the
held-out part, so adding an edition moves no earlier group. The
second edition (first-person hard negatives written after the first classifier mistook
"my goal is to become a manager" for a sensitive topic) is the exception: its groups are
held out when the CRC32 of their id is divisible by three. The third edition (ids
``-cNNN``) broadened the set after the detector generalised poorly to messages written
apart from it; once committed an edition is closed, and new groups start a new letter.

``python -m coach.handoff.data evals/handoff/messages.jsonl`` rewrites the shipped
``training.jsonl`` (the tune part) from the labelled set.
"""

from __future__ import annotations

import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.handoff.signals import SIGNALS, SUBTOPICS, Signal, Subtopic

TRAINING_FILE = Path(__file__).with_name("training.jsonl")
"""The tune part of ``evals/handoff/messages.jsonl``, shipped for the offline classifier."""


@dataclass(frozen=True, slots=True)
class LabelledMessage:
    """One learner message with its gold signal."""

    id: str
    group: str
    lang: str
    signal: Signal
    subtopic: Subtopic | None
    text: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "group": self.group,
            "lang": self.lang,
            "signal": self.signal,
            "subtopic": self.subtopic,
            "text": self.text,
        }


def load_messages(path: Path | str) -> list[LabelledMessage]:
    """Read a JSONL file of labelled messages (raises ``ValueError`` naming a bad line)."""
    out: list[LabelledMessage] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("signal") not in SIGNALS:
            raise ValueError(f"{path}:{n}: unknown signal {row.get('signal')!r}")
        sub = row.get("subtopic")
        if (row["signal"] == "sensitive") != (sub is not None) or (sub and sub not in SUBTOPICS):
            raise ValueError(f"{path}:{n}: a sensitive message needs a known subtopic, others none")
        out.append(
            LabelledMessage(
                row["id"], row["group"], row["lang"], row["signal"], sub, str(row["text"])
            )
        )
    return out


def split(
    messages: Sequence[LabelledMessage], *, every: int = 3
) -> tuple[list[LabelledMessage], list[LabelledMessage]]:
    """``(tune, held_out)``: every ``every``-th group of each signal is held out."""
    groups: dict[tuple[str, Signal, Subtopic | None], set[str]] = defaultdict(set)
    held: set[str] = set()
    for m in messages:
        edition = _edition(m.group)
        if edition == "b":
            if zlib.crc32(m.group.encode()) % every == 0:
                held.add(m.group)
        else:  # from the third edition on, sensitive groups by subtopic too
            groups[edition, m.signal, m.subtopic if edition else None].add(m.group)
    for ids in groups.values():
        ordered = sorted(ids, key=lambda g: (zlib.crc32(g.encode()), g))
        held.update(ordered[every - 1 :: every])
    tune = [m for m in messages if m.group not in held]
    return tune, [m for m in messages if m.group in held]


def _edition(group: str) -> str:
    """``""`` for the first edition's groups (``-001``), else the letter (``-b001``: ``b``)."""
    last = group.rsplit("-", 1)[-1]
    return last[0] if last[:1].isalpha() else ""


def write_messages(path: Path | str, messages: Iterable[LabelledMessage]) -> None:
    """Write messages as JSONL (UTF-8, one per line)."""
    lines = [json.dumps(m.as_dict(), ensure_ascii=False) for m in messages]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    """Rewrite ``training.jsonl`` as the tune part of a labelled file."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("data", type=Path, help="labelled messages (JSON lines)")
    parser.add_argument("--out", type=Path, default=TRAINING_FILE)
    args = parser.parse_args(argv)
    tune, held_out = split(load_messages(args.data))
    write_messages(args.out, tune)
    print(f"{args.out}: {len(tune)} tune messages ({len(held_out)} held out)")


if __name__ == "__main__":
    main()
