"""Plain typed objects that flow through ingestion and search."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Section:
    """One titled part of a module, as a loader found it.

    ``title`` is the section heading (the level right below the module title);
    ``heading_path`` adds any sub-headings above this piece of text.
    """

    title: str
    text: str
    anchor: str
    heading_path: tuple[str, ...] = ()


@dataclass(slots=True)
class Document:
    """One module of a course (a file, or one SCO of a SCORM package)."""

    source_path: str
    course_id: str
    course_title: str
    module_id: str
    module_title: str
    sections: list[Section]
    language: str | None = None
    modality: str | None = None
    skills: list[str] = field(default_factory=list)
    prerequisites: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""

    @property
    def text(self) -> str:
        """All section text, for hashing and language detection."""
        return "\n\n".join(s.text for s in self.sections)


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a passage comes from, precise enough to link back to it."""

    course_id: str
    course_title: str
    module_id: str
    module_title: str
    section_title: str
    source_path: str
    anchor: str

    @property
    def breadcrumb(self) -> str:
        """Course › module › section, for display and for embedding context."""
        return " › ".join(
            p for p in (self.course_title, self.module_title, self.section_title) if p
        )


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage of at most ~N words inside one section; the unit of citation."""

    chunk_id: str
    text: str
    citation: Citation
    language: str
    skills: tuple[str, ...] = ()
    position: int = 0
    heading_path: tuple[str, ...] = ()

    @property
    def context(self) -> str:
        """The breadcrumb plus any sub-headings: what the passage is about."""
        extra = [h for h in self.heading_path if h != self.citation.section_title]
        return " › ".join([self.citation.breadcrumb, *extra])


@dataclass(frozen=True, slots=True)
class SearchFilter:
    """Metadata restrictions on a search; empty fields mean no restriction."""

    course_ids: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A passage returned by search: text, fused score and citation."""

    chunk_id: str
    text: str
    score: float
    citation: Citation
    language: str
    skills: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)


def content_hash(data: bytes) -> str:
    """Stable hash of a file's bytes (what idempotent ingestion compares)."""
    return hashlib.sha256(data).hexdigest()
