"""Test-data factory: hand-made search hits with a citation and per-side scores."""

from __future__ import annotations

from retrieval.types import Citation, SearchHit


def make_hit(
    text: str,
    *,
    section: str = "Section",
    module: str = "Module",
    course: str = "Course",
    language: str = "en",
    dense: float | None = 0.6,
    bm25: float | None = 10.0,
    chunk_id: str | None = None,
) -> SearchHit:
    """A passage from ``course › module › section``; ``None`` leaves a side's score out."""
    slug = "-".join(f"{course} {module} {section}".lower().split())
    scores = {k: v for k, v in (("dense", dense), ("bm25", bm25)) if v is not None}
    citation = Citation(
        course_id=course.lower().replace(" ", "-"),
        course_title=course,
        module_id=module.lower().replace(" ", "-"),
        module_title=module,
        section_title=section,
        source_path=f"courses/{slug}.md",
        anchor=section.lower().replace(" ", "-"),
    )
    return SearchHit(
        chunk_id=chunk_id or f"courses/{slug}.md#{citation.anchor}:0",
        text=text,
        score=max(scores.values(), default=0.0),
        citation=citation,
        language=language,
        scores=scores,
    )
