"""Ingestion: load files, chunk, embed, index — idempotent and crash-safe per course."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.chunking import ChunkingConfig, chunk_document, dense_windows, lexical_text
from retrieval.embedding import Embedder
from retrieval.index.base import IndexFilter, IndexPoint, VectorIndex
from retrieval.language import detect
from retrieval.lexical import BM25Encoder
from retrieval.loaders import Catalog, LoadError, discover, find_catalog, load_file
from retrieval.manifest import FileCommit, Manifest
from retrieval.types import Chunk, Document, content_hash

_POINT_NS = uuid.UUID("6f1c7f4e-2b1a-4c55-9a57-0c9e4b8f1d23")


class IngestProgress(Protocol):
    """Receives progress events (the CLI draws them as rich progress bars)."""

    def start(self, total: int, description: str) -> None: ...
    def advance(self, n: int) -> None: ...
    def note(self, message: str) -> None: ...


AfterWrite = Callable[[Sequence[Chunk], IngestProgress], object]
"""Called once per run with every chunk written, after commit (its return value is ignored)."""


class _Silent:
    def start(self, total: int, description: str) -> None:
        pass

    def advance(self, n: int) -> None:
        pass

    def note(self, message: str) -> None:
        pass


@dataclass
class IngestReport:
    """What an ingest run did, file by file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    skipped: list[LoadError] = field(default_factory=list)
    courses: list[str] = field(default_factory=list)
    chunks: int = 0
    texts_embedded: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """False when any file was skipped (the CLI exits non-zero)."""
        return not self.skipped


@dataclass
class _Plan:
    """A course's chunks per file, the dense texts to embed, and windows per chunk."""

    chunks_by_file: dict[str, list[Chunk]]
    texts: list[str]
    window_counts: list[int]


@dataclass
class _Loaded:
    file_key: str
    root: str
    digest: str
    docs: list[Document]


def point_id(generation: int, chunk_id: str, kind: str, i: int = 0) -> str:
    """Deterministic point id of a chunk or one of its dense windows."""
    return str(uuid.uuid5(_POINT_NS, f"{generation}\x1f{chunk_id}\x1f{kind}\x1f{i}"))


class Ingestor:
    """Brings files into the index.

    Args:
        index: where points go.
        embedder: dense encoder.
        manifest: ingestion state (hashes, generations).
        chunking: chunk and window sizes.
        bm25: lexical encoder.
        languages: languages detected and stemmed.
        after_write: derived data an application keeps per chunk (the coach's sentence
            vectors): called with the chunks of the run once they are live, with the run's
            progress; not called when nothing was written.
    """

    def __init__(
        self,
        *,
        index: VectorIndex,
        embedder: Embedder,
        manifest: Manifest,
        chunking: ChunkingConfig | None = None,
        bm25: BM25Encoder | None = None,
        languages: Sequence[str] = ("en", "fr"),
        after_write: AfterWrite | None = None,
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.manifest = manifest
        self.chunking = chunking or ChunkingConfig()
        self.bm25 = bm25 or BM25Encoder()
        self.languages = tuple(languages)
        self.after_write = after_write
        # Stored with each file's hash: a new encoder, chunking or analyser re-ingests.
        settings = f"{self.embedder.fingerprint}|{self.chunking}|{self.bm25.fingerprint}"
        self.fingerprint = hashlib.sha256(settings.encode()).hexdigest()[:16]

    def recover(self) -> int:
        """Delete points left by an interrupted run or a replaced version; returns how many generations."""
        hidden = self.manifest.hidden_generations()
        if hidden:
            self.index.delete(IndexFilter(must={"generation": tuple(hidden)}))
            self.index.flush()
            self.manifest.forget(hidden)
        return len(hidden)

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        progress: IngestProgress | None = None,
    ) -> IngestReport:
        """Ingest files and directories; unchanged files are skipped by content hash."""
        progress = progress or _Silent()
        started = time.perf_counter()
        report = IngestReport()
        self.recover()
        known = self.manifest.files()
        pairs, errors = discover(paths)
        report.skipped.extend(errors)

        by_course: dict[str, list[_Loaded]] = defaultdict(list)
        catalogs: dict[Path, Catalog | None] = {}
        catalog_hashes: dict[Path, str] = {}
        for root in {root for _, root in pairs}:
            try:
                catalogs[root] = find_catalog(root)
            except LoadError as err:  # keep what is indexed until the catalog is fixed
                report.skipped.append(err)
                progress.note(f"skipped {root}: {err.reason}")
                continue
            cat = catalogs[root]
            # Catalog metadata is part of what a file's chunks carry: an edit re-ingests.
            catalog_hashes[root] = content_hash(cat.path.read_bytes()) if cat else ""
        seen: set[str] = set()
        for path, root in pairs:
            key = str(path.resolve())
            seen.add(key)
            if root not in catalogs:
                continue
            try:
                docs = load_file(path, root=root, catalog=catalogs[root])
            except LoadError as err:
                report.skipped.append(err)
                progress.note(f"skipped {err}")
                continue
            digest = hashlib.sha256(
                "|".join(
                    [self.fingerprint, catalog_hashes[root], *(d.content_hash for d in docs)]
                ).encode()
            ).hexdigest()
            label = docs[0].source_path.split("#")[0]
            if key in known and known[key].content_hash == digest:
                report.unchanged.append(label)
                continue
            (report.updated if key in known else report.added).append(label)
            by_course[docs[0].course_id].append(_Loaded(key, str(root.resolve()), digest, docs))

        removed_by_course: dict[str, list[str]] = defaultdict(list)
        if prune:
            roots = {str(root.resolve()) for _, root in pairs} | {
                str(p.resolve()) for p in paths if p.is_dir()
            }
            for key, rec in known.items():
                if rec.root in roots and key not in seen and not Path(key).exists():
                    removed_by_course[rec.course_id].append(key)
                    report.pruned.append(key)

        plans = {c: self._prepare(files) for c, files in by_course.items()}
        total = sum(len(plan.texts) for plan in plans.values())
        progress.start(total, "Embedding")
        for course_id in sorted(set(by_course) | set(removed_by_course)):
            plan = plans.get(course_id, _Plan({}, [], []))
            self._ingest_course(
                course_id,
                by_course.get(course_id, []),
                plan,
                removed_by_course.get(course_id, []),
                progress,
            )
            report.courses.append(course_id)
            report.chunks += len(plan.window_counts)
            report.texts_embedded += len(plan.texts)
        written = [c for plan in plans.values() for cs in plan.chunks_by_file.values() for c in cs]
        if written and self.after_write is not None:
            self.after_write(written, progress)
        if report.courses:
            progress.note("optimising the index")
            self.index.optimize()
        report.seconds = time.perf_counter() - started
        return report

    def _prepare(self, files: list[_Loaded]) -> _Plan:
        """Chunk every document of a course and lay out the dense texts to embed."""
        chunks_by_file: dict[str, list[Chunk]] = {}
        texts: list[str] = []
        window_counts: list[int] = []
        for f in files:
            chunks: list[Chunk] = []
            for doc in f.docs:
                language = (
                    doc.language or detect(doc.text, languages=self.languages) or self.languages[0]
                )
                chunks.extend(chunk_document(doc, self.chunking, language))
            chunks_by_file[f.file_key] = chunks
            for chunk in chunks:
                windows = dense_windows(chunk, self.chunking)
                texts.extend(windows)
                window_counts.append(len(windows))
        return _Plan(chunks_by_file, texts, window_counts)

    def _ingest_course(
        self,
        course_id: str,
        files: list[_Loaded],
        plan: _Plan,
        removed: list[str],
        progress: IngestProgress,
    ) -> None:
        chunks_by_file = plan.chunks_by_file
        gens = self.manifest.begin_generations(files=[(f.file_key, course_id) for f in files])
        vectors = self.embedder.embed_documents(plan.texts, progress=progress.advance)
        cursor = 0
        counts = iter(plan.window_counts)
        for f in files:
            points: list[IndexPoint] = []
            gen = gens[f.file_key]
            for chunk in chunks_by_file[f.file_key]:
                n = next(counts)
                points.extend(self._points(chunk, gen, vectors[cursor : cursor + n]))
                cursor += n
            for start in range(0, len(points), 512):
                self.index.upsert(points[start : start + 512])
        self.index.flush()
        retired = self.manifest.commit(
            commits=[
                FileCommit(
                    file_key=f.file_key,
                    root=f.root,
                    course_id=course_id,
                    content_hash=f.digest,
                    generation=gens[f.file_key],
                    chunk_count=len(chunks_by_file[f.file_key]),
                )
                for f in files
            ],
            removed=removed,
        )
        if retired:
            self.index.delete(IndexFilter(must={"generation": tuple(retired)}))
            self.index.flush()
            self.manifest.forget(retired)

    def _points(self, chunk: Chunk, generation: int, vectors: np.ndarray) -> list[IndexPoint]:
        cite = chunk.citation
        chunk_pid = point_id(generation, chunk.chunk_id, "chunk")
        common = {
            "chunk_id": chunk.chunk_id,
            "chunk_point": chunk_pid,
            "course_id": cite.course_id,
            "module_id": cite.module_id,
            "section_title": cite.section_title,
            "skills": list(chunk.skills),
            "language": chunk.language,
            "generation": generation,
            "source_path": cite.source_path,
        }
        chunk_payload = {
            **common,
            "kind": "chunk",
            "text": chunk.text,
            "context": chunk.context,
            "course_title": cite.course_title,
            "module_title": cite.module_title,
            "anchor": cite.anchor,
            "position": chunk.position,
        }
        sparse = self.bm25.encode_document(lexical_text(chunk), chunk.language)
        if len(vectors) == 1:  # the chunk is its own window
            return [IndexPoint(chunk_pid, chunk_payload, dense=vectors[0], sparse=sparse)]
        points = [IndexPoint(chunk_pid, chunk_payload, sparse=sparse)]
        points.extend(
            IndexPoint(
                point_id(generation, chunk.chunk_id, "window", i),
                {**common, "kind": "window"},
                dense=v,
            )
            for i, v in enumerate(vectors)
        )
        return points
