"""Quotable sentences of a passage: split once per chunk, debris filtered out.

Chunk text keeps its Markdown (lists, code fences, tables) because the loaders keep it for
display. An extractive answer must quote whole prose sentences only, never a heading, a
bare list item, a line of code or a sentence cut at a chunk boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from retrieval.chunking import split_sentences

# Code fences (a chunk may end inside one) and table rows carry no quotable prose.
_FENCE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_TABLE_ROW = re.compile(r"\|(?:[^|\n]*\|)+")
# List items: after a newline, or right after the colon that introduces the list.
_ITEM = re.compile(r"\n\s*(?:[-*•+]|\d{1,2}[.)])\s+|(?<=[:;])\s+[-*•]\s+")
_MARKER = re.compile(r"^(?:[-*•+]|\d{1,2}[.)])\s+")
_LEAD = re.compile(r"^[\s*_`\"'«“(\[]+")
_END = re.compile(r"[.!?…](?:[\s*_`\"'»”)\]]*)$")
_WORD = re.compile(r"[^\W\d_]+")
# About one encoder token per word piece and per symbol (code is mostly symbols).
_PIECE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a passage, in reading order."""

    position: int
    text: str
    words: int
    tokens: int
    """Rough encoder token count (words plus symbols): what encoding costs."""
    complete: bool
    """Starts like a sentence, ends with terminal punctuation and is mostly prose."""


def pieces(text: str) -> list[str]:
    """Prose pieces of a passage: code fences and tables dropped, list items separated."""
    text = _TABLE_ROW.sub("\n\n", _FENCE.sub("\n\n", text))
    out: list[str] = []
    for block in _ITEM.split(text):
        out.extend(split_sentences(block))
    # A numbered item's marker is not part of its sentence ("2. **Call** the desk.").
    return [_MARKER.sub("", " ".join(p.split())) for p in out if p.strip()]


def is_complete(sentence: str) -> bool:
    """A whole prose sentence: capital or digit first, terminal punctuation last, few symbols."""
    body = _LEAD.sub("", sentence)
    starts = body[:1].isupper() or body[:1].isdigit() or sentence.startswith("`")
    if not starts:
        return False
    if not _END.search(sentence) or "```" in sentence:
        return False
    letters = sum(len(w) for w in _WORD.findall(sentence))
    return letters >= 0.6 * len(sentence.replace(" ", ""))


@lru_cache(maxsize=4096)
def split_passage(chunk_id: str, text: str) -> tuple[Sentence, ...]:
    """Sentences of one passage (cached: popular passages come back turn after turn)."""
    del chunk_id  # part of the cache key only: the same text may sit in two chunks
    out = []
    for i, piece in enumerate(pieces(text)):
        words = len(piece.split())
        tokens = len(_PIECE.findall(piece))
        out.append(Sentence(i, piece, words, tokens, is_complete(piece)))
    return tuple(out)


def quotable(sentences: tuple[Sentence, ...], *, min_words: int, max_words: int) -> list[Sentence]:
    """Complete sentences of a sensible length (headings and bare bullets are too short)."""
    return [s for s in sentences if s.complete and min_words <= s.words <= max_words]
