"""Structure-aware chunking: sections stay whole or split on sentence boundaries.

Chunks never cross a section boundary, so every chunk cites exactly one section.
Dense "windows" (short overlapping spans of a chunk, prefixed with its breadcrumb) are
what the encoder sees: a small encoder matches a question to a focused span better
than to a 250-word passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.types import Chunk, Citation, Document, Section

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[\"'(\[A-ZÀ-ÖØ-Þ0-9`])|\n{2,}")


@dataclass(frozen=True, slots=True)
class ChunkingConfig:
    """How passages are cut.

    Attributes:
        words: target maximum words per chunk.
        overlap: words repeated from the end of one chunk at the start of the next.
        window_words: words per dense window (0: one window per chunk).
        window_stride: words between window starts.
    """

    words: int = 250
    overlap: int = 40
    window_words: int = 40
    window_stride: int = 20

    def __post_init__(self) -> None:
        if self.words < 20:
            raise ValueError("chunk size must be at least 20 words")
        if not 0 <= self.overlap < self.words // 2:
            raise ValueError("chunk overlap must be between 0 and half the chunk size")
        if self.window_words and not 0 < self.window_stride <= self.window_words:
            raise ValueError("window stride must be between 1 and the window size")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences (paragraph breaks always split)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _pack(sentences: list[str], words: int, overlap: int) -> list[str]:
    """Greedily pack sentences into pieces of about ``words`` words, with overlap."""
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for sent in sentences:
        n = len(sent.split())
        if n > words:  # one enormous "sentence" (a table, a code listing): hard-split it
            if current:
                pieces.append(" ".join(current))
                current, count = [], 0
            toks = sent.split()
            step = words - overlap
            pieces.extend(" ".join(toks[i : i + words]) for i in range(0, len(toks), step))
            continue
        if count + n > words and current:
            pieces.append(" ".join(current))
            tail: list[str] = []
            tail_n = 0
            for prev in reversed(current):
                m = len(prev.split())
                if tail_n + m > overlap:
                    break
                tail.insert(0, prev)
                tail_n += m
            current, count = tail, tail_n
        current.append(sent)
        count += n
    if current:
        pieces.append(" ".join(current))
    return pieces


def chunk_document(doc: Document, config: ChunkingConfig, language: str) -> list[Chunk]:
    """Cut a document into cited chunks, in reading order."""
    chunks: list[Chunk] = []
    for section in doc.sections:
        citation = _citation(doc, section)
        pieces = _pack(split_sentences(section.text), config.words, config.overlap)
        for i, piece in enumerate(pieces):
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.source_path}#{section.anchor}:{i}",
                    text=piece,
                    citation=citation,
                    language=language,
                    skills=tuple(doc.skills),
                    position=len(chunks),
                    heading_path=section.heading_path,
                )
            )
    return chunks


def _citation(doc: Document, section: Section) -> Citation:
    return Citation(
        course_id=doc.course_id,
        course_title=doc.course_title,
        module_id=doc.module_id,
        module_title=doc.module_title,
        section_title=section.title,
        source_path=doc.source_path,
        anchor=section.anchor,
    )


def dense_windows(chunk: Chunk, config: ChunkingConfig) -> list[str]:
    """Texts the encoder embeds for a chunk: breadcrumb-prefixed overlapping windows."""
    words = chunk.text.split()
    size, stride = config.window_words, config.window_stride
    if not size or len(words) <= size + stride // 2:
        spans = [words]
    else:
        starts = list(range(0, len(words) - size + 1, stride))
        if starts[-1] + size < len(words):
            starts.append(len(words) - size)
        spans = [words[s : s + size] for s in starts]
    return [f"{chunk.context}: {' '.join(span)}" for span in spans]


def lexical_text(chunk: Chunk) -> str:
    """What the BM25 side indexes: section context and the passage."""
    return f"{chunk.context}\n{chunk.text}"
