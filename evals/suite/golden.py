"""Golden sets of the answers suite: real book questions, or the demo's labelled questions.

A book (layout of ``shared/data/README.md``) gives questions with their gold section and an
expert's solution; the demo (``demo/questions.jsonl``) gives learners' questions with their
gold section only. Questions come from the held-out modules (:func:`bench.common.holdout`,
never used to tune the coach) and only those modules are indexed, which keeps the suite
fast; the sample of each course is stable (ordered by a hash of the question id).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from bench.answers import gold_items
from bench.common import holdout, read_jsonl
from bench.retrieval import load_questions

BOOK_FILES = ("questions.jsonl", "sections.jsonl")


@dataclass(frozen=True)
class GoldQuestion:
    """One question with what a good answer rests on."""

    id: str
    course: str
    question: str
    gold: tuple[str, str]
    """(file, section title) of the section that answers it."""
    section_text: str | None = None
    """The gold section's text (None: taken from the indexed chunks of the section)."""
    reference: str | None = None
    """An expert's answer (the correct option and the book's explanation), if any."""


@dataclass(frozen=True)
class GoldSet:
    """A course's content to index and its questions."""

    course: str
    content: list[Path]
    questions: list[GoldQuestion]


def is_book(folder: Path) -> bool:
    return all((folder / f).is_file() for f in BOOK_FILES) and (folder / "content").is_dir()


def _reference(q: dict) -> str | None:
    correct = [o["text"] for o in q.get("options") or [] if o.get("correct")]
    parts = [*correct[:1], (q.get("solution") or "").strip()]
    text = " ".join(p for p in parts if p)
    return text or None


def _sample(questions: list[GoldQuestion], limit: int | None) -> list[GoldQuestion]:
    ordered = sorted(questions, key=lambda q: zlib.crc32(q.id.encode()))
    return ordered[:limit] if limit is not None else ordered


def book_set(book: Path, limit: int | None) -> GoldSet:
    """The held-out modules of a book and up to ``limit`` of their questions."""
    questions, sections = load_questions(book)
    held = {k: s for k, s in sections.items() if holdout(str(s.get("module") or s["file"]))}
    gold = [
        GoldQuestion(
            id=str(q["id"]),
            course=book.name,
            question=q["question"],
            gold=(held[q["gold_doc_id"]]["file"], held[q["gold_doc_id"]]["section_title"]),
            section_text=held[q["gold_doc_id"]]["text"],
            reference=_reference(q),
        )
        for q in questions
        if q["gold_doc_id"] in held
    ]
    files = sorted({book / "content" / s["file"] for s in held.values()})
    return GoldSet(book.name, files, _sample(gold, limit))


def demo_sets(demo: Path, limit: int | None) -> list[GoldSet]:
    """The demo catalog indexed whole (it is small), its questions grouped by course."""
    content, items = gold_items(demo)
    rows = read_jsonl(demo / "questions.jsonl")
    by_course: dict[str, list[GoldQuestion]] = {}
    for row, item in zip(rows, items, strict=True):
        course = Path(item["gold"][0]).parts[1] if "/" in item["gold"][0] else item["gold"][0]
        by_course.setdefault(course, []).append(
            GoldQuestion(str(row["id"]), course, item["question"], item["gold"])
        )
    return [GoldSet(c, [content], _sample(qs, limit)) for c, qs in sorted(by_course.items())]


def golden_sets(data: Path | None, demo: Path, limit: int | None) -> list[GoldSet]:
    """Every book under ``data`` (or ``data`` itself when it is a book); else the demo."""
    books: list[Path] = []
    if data is not None and data.is_dir():
        books = [data] if is_book(data) else sorted(p for p in data.iterdir() if is_book(p))
    if books:
        return [book_set(b, limit) for b in books]
    return demo_sets(demo, limit)
