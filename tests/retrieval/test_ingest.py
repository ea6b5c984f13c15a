"""Ingestion: idempotent by content hash, replaces changed files, prunes, skips bad input."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from retrieval.embedding import FakeEmbedder
from retrieval.index import IndexFilter
from retrieval.ingest import Ingestor, IngestProgress
from retrieval.types import Chunk, SearchFilter
from tests.utils.stack import Stack, module_md, open_stack, write_course

SAFETY = {
    "Lifting": "Bend your knees and keep the load close to your waist when lifting boxes.",
    "Forklifts": "Pedestrians keep to the green walkways; forklift drivers sound the horn at corners.",
}
PRIVACY = {
    "Breaches": "A personal data breach must be notified to the authority within 72 hours.",
    "Retention": "Keep personal data no longer than the retention schedule allows.",
}


@pytest.fixture
def stack(tmp_path: Path, embedder: FakeEmbedder) -> Iterator[Stack]:
    s = open_stack(tmp_path / "data", embedder)
    yield s
    s.close()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write_course(root, "safety", {"01-handling.md": module_md("safety", "Handling", SAFETY)})
    write_course(root, "privacy", {"01-gdpr.md": module_md("privacy", "GDPR", PRIVACY)})
    return root


def _texts(stack: Stack, course: str) -> set[str]:
    return {
        p.payload["text"]
        for p in stack.index.scroll(IndexFilter(must={"course_id": (course,), "kind": ("chunk",)}))
    }


def test_ingest_indexes_every_section_with_citations(stack: Stack, content: Path) -> None:
    report = stack.ingestor.ingest([content])
    assert report.ok and sorted(report.added) == [
        "courses/privacy/01-gdpr.md",
        "courses/safety/01-handling.md",
    ]
    assert report.chunks == 4
    (hit,) = stack.retriever.search("how soon must a data breach be notified", k=1)
    assert hit.citation.course_id == "privacy"
    assert hit.citation.section_title == "Breaches"
    assert hit.citation.source_path == "courses/privacy/01-gdpr.md"
    assert hit.citation.breadcrumb == "Privacy › GDPR › Breaches"
    assert "72 hours" in hit.text


def test_reingesting_unchanged_files_does_nothing(
    stack: Stack, content: Path, embedder: FakeEmbedder
) -> None:
    stack.ingestor.ingest([content])
    points = stack.index.count()
    calls = list(embedder.calls)
    report = stack.ingestor.ingest([content])
    assert report.added == [] and report.updated == [] and len(report.unchanged) == 2
    assert embedder.calls == calls, "nothing was embedded again"
    assert stack.index.count() == points


def test_changed_file_replaces_its_chunks(stack: Stack, content: Path) -> None:
    stack.ingestor.ingest([content])
    safety_before = _texts(stack, "safety")
    path = content / "courses" / "privacy" / "01-gdpr.md"
    path.write_text(
        module_md("privacy", "GDPR", {"Breaches": "Report breaches to the DPO at once."}),
        encoding="utf-8",
    )
    report = stack.ingestor.ingest([content])
    assert report.updated == ["courses/privacy/01-gdpr.md"]
    assert _texts(stack, "privacy") == {"Report breaches to the DPO at once."}
    assert _texts(stack, "safety") == safety_before
    assert stack.index.count(IndexFilter(must={"course_id": ("privacy",)})) == 1
    assert stack.ingestor.manifest.hidden_generations() == []


def test_prune_removes_chunks_of_deleted_files(stack: Stack, content: Path) -> None:
    stack.ingestor.ingest([content])
    (content / "courses" / "safety" / "01-handling.md").unlink()
    kept = stack.ingestor.ingest([content])
    assert kept.pruned == [] and _texts(stack, "safety"), "without --prune nothing is removed"
    report = stack.ingestor.ingest([content], prune=True)
    assert len(report.pruned) == 1
    assert _texts(stack, "safety") == set()
    assert _texts(stack, "privacy")


def test_bad_files_are_skipped_with_reasons_and_lose_nothing(stack: Stack, content: Path) -> None:
    stack.ingestor.ingest([content])
    before = stack.index.count()
    good = content / "courses" / "privacy" / "01-gdpr.md"
    good.write_bytes(b"---\ncourse_id: privacy\n---\n## Broken\n\xff\xfe not utf-8 \xc3\x28")
    (content / "courses" / "privacy" / "02-empty.md").write_text(
        "---\ncourse_id: privacy\n---\n\n", encoding="utf-8"
    )
    (content / "courses" / "privacy" / "03-bad.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    report = stack.ingestor.ingest([content, content / "missing.md"])
    assert not report.ok
    reasons = {Path(e.path).name: e.reason for e in report.skipped}
    assert set(reasons) == {"01-gdpr.md", "02-empty.md", "03-bad.zip", "missing.md"}
    assert "UTF-8" in reasons["01-gdpr.md"]
    assert "empty" in reasons["02-empty.md"]
    assert "zip" in reasons["03-bad.zip"]
    assert stack.index.count() == before, "the old version of the broken file is still searchable"
    assert "72 hours" in " ".join(_texts(stack, "privacy"))


def test_search_hides_generations_that_are_not_live(stack: Stack, content: Path) -> None:
    stack.ingestor.ingest([content])
    manifest = stack.ingestor.manifest
    # Simulate a run that wrote new chunks but never committed them.
    (gen,) = manifest.begin_generations(files=[("/tmp/x.md", "privacy")]).values()
    flt = IndexFilter(must={"course_id": ("privacy",), "kind": ("chunk",)})
    pending = [p for p in stack.index.scroll(flt)]
    from retrieval.index import IndexPoint

    stack.index.upsert(
        [
            IndexPoint(
                p.id[:-4] + "beef",
                {
                    **p.payload,
                    "generation": gen,
                    "chunk_point": p.id[:-4] + "beef",
                    "text": "UNCOMMITTED",
                },
            )
            for p in pending
        ]
    )
    hits = stack.retriever.search("data breach retention authority", k=10)
    assert all(h.text != "UNCOMMITTED" for h in hits)
    assert stack.ingestor.recover() == 1
    assert all(p.payload["text"] != "UNCOMMITTED" for p in stack.index.scroll(flt))


def test_scorm_package_is_searchable_with_sco_citations(stack: Stack, tmp_path: Path) -> None:
    from tests.utils.scorm import build_scorm

    root = tmp_path / "scorm"
    build_scorm(root / "forklifts" / "pkg.zip", version="2004")
    report = stack.ingestor.ingest([root])
    assert report.ok and report.added == ["forklifts/pkg.zip"]
    (hit,) = stack.retriever.search("sound the horn at blind corners", k=1)
    assert hit.citation.source_path == "forklifts/pkg.zip#content/ch1/rules.html"
    assert hit.citation.module_title == "Chapter 1 › Rules of the road"
    assert hit.citation.section_title == "Horn"
    assert stack.ingestor.ingest([root]).unchanged == ["forklifts/pkg.zip"]


def test_new_chunking_or_encoder_reingests_everything(tmp_path: Path, content: Path) -> None:
    from retrieval.chunking import ChunkingConfig

    first = open_stack(tmp_path / "d", FakeEmbedder(dim=64))
    first.ingestor.ingest([content])
    first.close()
    same = open_stack(tmp_path / "d", FakeEmbedder(dim=64))
    assert len(same.ingestor.ingest([content]).unchanged) == 2
    same.close()
    resized = open_stack(
        tmp_path / "d", FakeEmbedder(dim=64), ChunkingConfig(words=100, overlap=10)
    )
    report = resized.ingestor.ingest([content])
    resized.close()
    assert len(report.updated) == 2, "stored vectors were made with other settings"


def test_objectives_and_summaries_rank_below_teaching_sections(
    stack: Stack, tmp_path: Path
) -> None:
    root = tmp_path / "meta"
    sections = {
        "Learning objectives": "Protect pedestrians from forklifts.",
        "Walkways": "Green walkways protect pedestrians from forklifts at the depot.",
        "Summary": "Protect pedestrians from forklifts.",
    }
    # Other passages that share a word with the question, as in any real course.
    others = {
        "Loading docks": "Trailers at the loading docks are chocked before forklifts enter them.",
        "Visitors": "Visitors and other pedestrians sign in at reception and wear a vest.",
        "Racking": "Inspect racking weekly and protect uprights with guards.",
    }
    write_course(root, "safety", {"01.md": module_md("safety", "Vehicles", {**sections, **others})})
    stack.ingestor.ingest([root])
    hits = stack.retriever.search("protect pedestrians from forklifts", k=3)
    assert hits[0].citation.section_title == "Walkways"
    assert {h.citation.section_title for h in hits} == set(sections)


def test_catalog_edit_reingests_and_bad_catalog_is_reported(stack: Stack, content: Path) -> None:
    catalog = content / "catalog.yaml"
    catalog.write_text("courses:\n  - id: safety\n    title: Warehouse safety\n", encoding="utf-8")
    stack.ingestor.ingest([content])
    catalog.write_text("courses:\n  - id: safety\n    title: Safety at work\n", encoding="utf-8")
    assert len(stack.ingestor.ingest([content]).updated) == 2
    catalog.write_text("courses: [unclosed\n", encoding="utf-8")
    report = stack.ingestor.ingest([content])
    assert not report.ok
    assert [e.reason.split(":")[0] for e in report.skipped] == ["invalid catalog"]
    assert report.updated == [] and report.pruned == []
    assert _texts(stack, "privacy"), "nothing already indexed was lost"


def test_a_cited_chunk_can_be_fetched_by_id_live_version_only(stack: Stack, content: Path) -> None:
    stack.ingestor.ingest([content])
    (hit,) = stack.retriever.search("notified to the authority within 72 hours", k=1)
    got = stack.retriever.get_chunk(hit.chunk_id)
    assert got is not None and got.text == hit.text and got.citation == hit.citation
    assert stack.retriever.get_chunk("no-such-chunk") is None
    hidden = SearchFilter(course_ids=("safety",))
    assert stack.retriever.get_chunk(hit.chunk_id, flt=hidden) is None

    path = content / "courses" / "privacy" / "01-gdpr.md"
    path.write_text(
        module_md("privacy", "GDPR", {"Breaches": "Report breaches to the DPO at once."}),
        encoding="utf-8",
    )
    stack.ingestor.ingest([content])
    (new,) = stack.retriever.search("report breaches to the DPO", k=1)
    fetched = stack.retriever.get_chunk(new.chunk_id)
    assert fetched is not None and fetched.text == "Report breaches to the DPO at once."
    if new.chunk_id != hit.chunk_id:  # the old passage is gone with its generation
        assert stack.retriever.get_chunk(hit.chunk_id) is None


def test_after_write_gets_each_runs_written_chunks_once_they_are_live(
    stack: Stack, content: Path, embedder: FakeEmbedder
) -> None:
    runs: list[list[tuple[str, str]]] = []

    def after_write(chunks: Sequence[Chunk], progress: IngestProgress) -> None:
        assert stack.ingestor.manifest.hidden_generations() == [], "not yet committed"
        progress.note("derived data written")
        runs.append(sorted((c.text, c.language) for c in chunks))

    ingestor = Ingestor(
        index=stack.index,
        embedder=embedder,
        manifest=stack.ingestor.manifest,
        after_write=after_write,
    )
    ingestor.ingest([content])
    assert runs == [sorted((t, "en") for t in [*SAFETY.values(), *PRIVACY.values()])]
    ingestor.ingest([content])
    assert len(runs) == 1, "nothing written, no call"
    path = content / "courses" / "privacy" / "01-gdpr.md"
    path.write_text(
        module_md("privacy", "GDPR", {"Breaches": "Report breaches to the DPO at once."}),
        encoding="utf-8",
    )
    ingestor.ingest([content])
    assert runs[1] == [("Report breaches to the DPO at once.", "en")]
