"""A labelled set of good and low-value answers built from a book, for the guard's benchmark.

    python -m evals.slop BOOK_DIR --out FILE.jsonl [--split tune|holdout|all] [--seed 13]

For every question with a gold section (layout of shared/data/README.md) the contexts are
the gold section, another section of its module and one of another module, shuffled (what
a search would hand a responder). Good answers:

- ``expert``: the book's own explanation (the solution, or the correct option's feedback
  when the key is known), sometimes citing the gold section;
- ``grounded``: two or three sentences quoted from the gold section, those sharing the most
  terms with the question and its known answer (no encoder: the guard's own signals do not
  choose them), each followed by its ``[n]`` (the offline responder's style).

Each question also gets two low-value answers, kinds taken in turn so every kind is
equally frequent, each made by a transformation of :mod:`evals.slop_kinds` with a seed
fixed per question and kind. Lines are split by module with :func:`bench.common.holdout`:
thresholds are tuned on ``tune`` modules and figures reported on ``holdout`` ones.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.common import holdout
from evals.slop_kinds import KINDS, TRANSFORMS, Base, Source, pick_quotes
from retrieval.chunking import split_sentences

SPLITS = ("tune", "holdout", "all")
_LEAD = re.compile(r"^[\s*_`\"'«“(\[]+")
_END = re.compile(r"[.!?…][\s\"'»”)\]]*$")


@dataclass(frozen=True)
class Line:
    """One labelled answer in the public format (plus where it came from)."""

    question: str
    answer: str
    contexts: list[str]
    label: str
    kind: str
    module: str
    split: str
    question_id: str


def quotable(text: str, title: str = "") -> list[str]:
    """Whole prose sentences of a section (its title, repeated at the start, dropped)."""
    body = text
    while title and body.startswith(title):
        body = body[len(title) :].lstrip()
    out = []
    for s in split_sentences(body):
        core = _LEAD.sub("", s)
        n = len(s.split())
        letters = sum(ch.isalpha() for ch in s)
        if (
            5 <= n <= 50
            and core[:1].isupper()
            and _END.search(s)
            and letters >= 0.6 * len(s.replace(" ", ""))
        ):
            out.append(s)
    return out


def load_sources(book: Path) -> dict[str, Source]:
    """The book's sections by doc_id."""
    out: dict[str, Source] = {}
    with (book / "sections.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                title = row.get("section_title") or ""
                out[row["doc_id"]] = Source(
                    row["doc_id"],
                    row["module"],
                    title,
                    row["text"],
                    tuple(quotable(row["text"], title)),
                )
    return out


def expert_text(q: dict[str, Any]) -> str | None:
    """The book's explanation of the right answer (None when no key is known)."""
    text = re.sub(r"^Solution:\s*", "", q.get("solution") or "").strip()
    if not text:
        right = [o for o in q.get("options") or [] if o.get("correct")]
        text = (right[0].get("feedback_if_chosen") or "").strip() if len(right) == 1 else ""
    return text if len(text.split()) >= 4 else None


def key_text(q: dict[str, Any]) -> str:
    """The question with its known answer and explanation: what a good answer is about."""
    right = [o["text"] for o in q.get("options") or [] if o.get("correct")]
    return " ".join([q["question"], *right, q.get("solution") or ""])


def _seed(seed: int, *parts: str) -> int:
    return seed * 1_000_003 + zlib.crc32("|".join(parts).encode())


def build(book: Path, seed: int = 13, split: str = "all") -> Iterator[Line]:
    """Yield the labelled lines of one book (deterministic for a seed)."""
    sources = load_sources(book)
    by_module: dict[str, list[Source]] = defaultdict(list)
    for s in sources.values():
        if s.sentences:
            by_module[s.module].append(s)
    quotables = [s for s in sources.values() if s.sentences]
    with (book / "questions.jsonl").open(encoding="utf-8") as fh:
        questions = [json.loads(x) for x in fh if x.strip()]
    turn = 0
    for q in sorted(questions, key=lambda q: q["id"]):
        gold = sources.get(q.get("gold_doc_id") or "")
        if gold is None or not gold.sentences:
            continue
        part = "holdout" if holdout(gold.module) else "tune"
        if split not in ("all", part):
            turn += 2
            continue
        rng = random.Random(_seed(seed, q["id"]))
        others = [s for s in by_module[gold.module] if s.doc_id != gold.doc_id]
        far = [s for s in quotables if s.module != gold.module]
        neighbour = rng.choice(others) if others else rng.choice(far)
        contexts = [gold, neighbour, rng.choice(far)]
        rng.shuffle(contexts)
        base = Base(
            q["question"],
            contexts,
            contexts.index(gold),
            pick_quotes(key_text(q), gold, rng.choice((2, 3)), rng),
            expert_text(q),
            key_text(q),
        )
        meta = {"module": gold.module, "split": part, "question_id": q["id"]}
        texts = [c.text for c in contexts]
        yield Line(q["question"], base.grounded(), texts, "good", "grounded", **meta)
        if base.expert is not None:
            cite = rng.random() < 0.5
            yield Line(
                q["question"],
                base.expert + (f" [{base.gold + 1}]" if cite else ""),
                texts,
                "good",
                "expert",
                **meta,
            )
        made = 0
        for step in range(len(KINDS)):
            kind = KINDS[(turn + step) % len(KINDS)]
            krng = random.Random(_seed(seed, q["id"], kind))
            out = TRANSFORMS[kind](base, quotables, krng)
            if out is not None:
                answer, ctx = out
                yield Line(q["question"], answer, [c.text for c in ctx], "low_value", kind, **meta)
                made += 1
                if made == 2:
                    break
        turn += 2


def main(argv: list[str] | None = None) -> None:
    """Write the labelled set of a book as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--split", choices=SPLITS, default="all")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for line in build(args.book, args.seed, args.split):
            fh.write(json.dumps(asdict(line), ensure_ascii=False) + "\n")
            n += 1
    print(f"wrote {n} lines to {args.out}")


if __name__ == "__main__":
    main()
