"""Iterating a course's or module's live passages in reading order (for quizzes)."""

from __future__ import annotations

from pathlib import Path

from retrieval.embedding import FakeEmbedder
from tests.utils.stack import module_md, open_stack, write_course


def test_chunks_of_a_course_and_module_come_in_reading_order(
    tmp_path: Path, embedder: FakeEmbedder
) -> None:
    root = tmp_path / "content"
    first = {"Alpha": "Alpha text about lifting.", "Beta": "Beta text about walkways."}
    second = {"Gamma": "Gamma text about forklifts."}
    write_course(
        root,
        "safety",
        {
            "01-a.md": module_md("safety", "One", first, skills=("safety.lifting",)),
            "02-b.md": module_md("safety", "Two", second),
        },
    )
    write_course(root, "privacy", {"01-p.md": module_md("privacy", "GDPR", {"X": "Other."})})
    stack = open_stack(tmp_path / "data", embedder)
    try:
        stack.ingestor.ingest([root])
        course = stack.retriever.chunks(course_id="safety")
        assert [h.citation.section_title for h in course] == ["Alpha", "Beta", "Gamma"]
        assert course[0].skills == ("safety.lifting",) and "lifting" in course[0].text
        module = stack.retriever.chunks(course_id="safety", module_id="safety-two")
        assert [h.citation.section_title for h in module] == ["Gamma"]
        assert stack.retriever.chunks(course_id="nope") == []
        # An edited module replaces its passages: only the live generation is returned.
        (root / "courses" / "safety" / "02-b.md").write_text(
            module_md("safety", "Two", {"Gamma": "New gamma text."}), encoding="utf-8"
        )
        stack.ingestor.ingest([root])
        texts = [h.text for h in stack.retriever.chunks(course_id="safety")]
        assert len(texts) == 3 and "New gamma text." in texts
    finally:
        stack.close()
