"""The labelled learner messages: loading, and the split that keeps a third aside.

The split is by paraphrase group (a group's paraphrases and translations never straddle
the two parts). The first edition's groups are stratified by signal: within each signal
they are ordered by a CRC32 of their id and every third goes to the held-out part. Groups
added later (ids ending ``-bNNN``: first-person hard negatives written after the first
classifier mistook "my goal is to become a manager" for a sensitive topic) are held out
when the CRC32 of their id is divisible by three, so adding them moved no earlier group.
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
    groups: dict[Signal, set[str]] = defaultdict(set)
    held: set[str] = set()
    for m in messages:
        if _later(m.group):
            if zlib.crc32(m.group.encode()) % every == 0:
                held.add(m.group)
        else:
            groups[m.signal].add(m.group)
    for ids in groups.values():
        ordered = sorted(ids, key=lambda g: (zlib.crc32(g.encode()), g))
        held.update(ordered[every - 1 :: every])
    tune = [m for m in messages if m.group not in held]
    return tune, [m for m in messages if m.group in held]


def _later(group: str) -> bool:
    return group.rsplit("-", 1)[-1].startswith("b")


def write_messages(path: Path | str, messages: Iterable[LabelledMessage]) -> None:
    """Write messages as JSONL (UTF-8, one per line)."""
    lines = [json.dumps(m.as_dict(), ensure_ascii=False) for m in messages]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
