"""Under-used and disliked content: each section's use by the coach over a period.

A section is *unused* when no chat turn of the period retrieved or cited any of its
passages, *never cited* when it was retrieved but never quoted, and *disliked* when at least
``min_ratings`` rated answers cite it and at least ``down_share`` of them got a thumbs-down.
A module is unused when every one of its sections is. Use comes from the ``chat.answered``
events (``retrieved`` and ``chunks``), ratings from the feedback on cited answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from retrieval.types import SearchHit


@dataclass(frozen=True, slots=True)
class ContentRules:
    """When a section is flagged."""

    min_ratings: int = 3
    down_share: float = 0.5


@dataclass(slots=True)
class SectionUse:
    """One section's use over the period."""

    course_id: str
    module_id: str
    module_title: str
    section_title: str
    source_path: str
    retrieved: int = 0
    cited: int = 0
    rated: int = 0
    down: int = 0
    flags: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_path, self.section_title)


@dataclass(frozen=True, slots=True)
class ModuleUse:
    """A module no turn of the period used."""

    course_id: str
    module_id: str
    module_title: str
    sections: int


def content_use(
    inventory: Sequence[SearchHit],
    turns: Iterable[tuple[Sequence[str], Sequence[str]]],
    ratings: Iterable[tuple[int, Sequence[str]]],
    rules: ContentRules | None = None,
) -> tuple[list[SectionUse], list[ModuleUse]]:
    """Flag sections and modules.

    Args:
        inventory: every live passage (chunk) of the courses the organisation sees.
        turns: ``(retrieved chunk ids, cited chunk ids)`` per answered turn.
        ratings: ``(rating, cited chunk ids)`` per rated answer (+1 or -1).
        rules: thresholds.
    """
    rules = rules or ContentRules()
    sections: dict[tuple[str, str], SectionUse] = {}
    section_of: dict[str, tuple[str, str]] = {}
    for hit in inventory:
        c = hit.citation
        use = SectionUse(c.course_id, c.module_id, c.module_title, c.section_title, c.source_path)
        section_of[hit.chunk_id] = sections.setdefault(use.key, use).key
    retrieved: Counter[tuple[str, str]] = Counter()
    cited: Counter[tuple[str, str]] = Counter()
    for got, quoted in turns:  # a section counts once per turn
        retrieved.update({section_of[c] for c in got if c in section_of})
        cited.update({section_of[c] for c in quoted if c in section_of})
    for rating, quoted in ratings:
        for key in {section_of[c] for c in quoted if c in section_of}:
            sections[key].rated += 1
            sections[key].down += rating < 0
    for key, use in sections.items():
        use.retrieved, use.cited = retrieved[key], cited[key]
        if not use.retrieved and not use.cited:
            use.flags.append("unused")
            use.evidence.append("never retrieved nor cited in the period")
        elif not use.cited:
            use.flags.append("never_cited")
            use.evidence.append(f"retrieved {use.retrieved} times, never cited")
        if use.rated >= rules.min_ratings and use.down / use.rated >= rules.down_share:
            use.flags.append("disliked")
            use.evidence.append(f"{use.down} of {use.rated} rated answers citing it: thumbs-down")
    modules: dict[tuple[str, str], list[SectionUse]] = {}
    for use in sections.values():
        modules.setdefault((use.course_id, use.module_id), []).append(use)
    unused = [
        ModuleUse(course, module, uses[0].module_title, len(uses))
        for (course, module), uses in sorted(modules.items())
        if all("unused" in u.flags for u in uses)
    ]
    ordered = sorted(sections.values(), key=lambda u: (u.course_id, u.source_path, u.section_title))
    return ordered, unused
