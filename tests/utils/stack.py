"""Test-data factories: course trees on disk and a ready ingestion stack."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine

from retrieval.chunking import ChunkingConfig
from retrieval.embedding import Embedder
from retrieval.index import EdgeIndex
from retrieval.ingest import Ingestor
from retrieval.manifest import Manifest, metadata
from retrieval.search import Retriever


def module_md(
    course: str,
    title: str,
    sections: dict[str, str],
    *,
    language: str = "en",
    skills: tuple[str, ...] = (),
) -> str:
    """A demo-style Markdown module with front matter."""
    skill_list = ", ".join(skills)
    body = "\n\n".join(f"## {name}\n\n{text}" for name, text in sections.items())
    return (
        f"---\ncourse_id: {course}\ncourse_title: {course.replace('-', ' ').title()}\n"
        f"module_id: {course}-{title.lower().replace(' ', '-')}\ntitle: {title}\n"
        f"language: {language}\nskills: [{skill_list}]\n---\n# {title}\n\n{body}\n"
    )


def write_course(root: Path, course: str, modules: dict[str, str]) -> list[Path]:
    """Write ``{file name: markdown}`` under ``root/courses/<course>/``."""
    folder = root / "courses" / course
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in modules.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@dataclass
class Stack:
    engine: Engine
    index: EdgeIndex
    ingestor: Ingestor
    retriever: Retriever

    def close(self) -> None:
        self.index.close()
        self.engine.dispose()


def open_stack(data: Path, embedder: Embedder, chunking: ChunkingConfig | None = None) -> Stack:
    """An Edge index and SQLite manifest under ``data`` (reopening finds what is there)."""
    data.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{data / 'manifest.db'}")
    metadata.create_all(engine)
    manifest = Manifest(engine)
    index = EdgeIndex(data / "index", embedder.dim)
    ingestor = Ingestor(index=index, embedder=embedder, manifest=manifest, chunking=chunking)
    retriever = Retriever(
        index=index, embedder=embedder, hidden_generations=manifest.hidden_generations
    )
    return Stack(engine, index, ingestor, retriever)
