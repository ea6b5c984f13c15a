"""Hybrid search: dense windows + BM25 chunks, fused, filtered and de-duplicated."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from retrieval.embedding import Embedder
from retrieval.index.base import IndexFilter, IndexQuery, ScoredPoint, VectorIndex
from retrieval.language import detect
from retrieval.lexical import BM25Encoder
from retrieval.termstats import TermStats
from retrieval.types import Citation, SearchFilter, SearchHit

Mode = Literal["hybrid", "rrf", "dense", "bm25"]
MAX_QUERY_CHARS = 2000
# Sections that describe or recap a module rather than teach it: rarely the passage to
# cite when a teaching section also matches.
META_SECTIONS = frozenset(
    {
        "learning objectives",
        "learning outcomes",
        "summary",
        "chapter summary",
        "section summary",
        "objectifs pédagogiques",
        "objectifs d'apprentissage",
        "résumé",
        "résumé du chapitre",
        "synthèse",
    }
)


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """Fusion settings.

    Attributes:
        candidates: chunks taken from each side before fusion.
        dense_weight: weight of the min-max normalised dense score (BM25 gets the rest).
        rrf_k: constant of reciprocal-rank fusion (the ``rrf`` mode).
        per_section: at most this many hits from one section.
        module_weight: share of a chunk's score taken from the best chunk of its module
            (a question about one topic tends to match several sections of its module).
        meta_section_weight: factor on the score of objectives and summary sections.
        hnsw_ef: HNSW beam width at query time (None: engine default).
    """

    candidates: int = 60
    dense_weight: float = 0.6
    rrf_k: int = 60
    per_section: int = 1
    module_weight: float = 0.15
    meta_section_weight: float = 0.5
    hnsw_ef: int | None = None


class QueryError(ValueError):
    """A query that cannot be run (empty, too long)."""


# What fusion needs from each candidate point; the full payload is fetched for the top k only.
_CANDIDATE_FIELDS = ("chunk_point", "module_id", "section_title")


@dataclass(slots=True)
class Candidates:
    """Per-chunk scores from each side before fusion, keyed by chunk point id."""

    dense: dict[str, float]
    bm25: dict[str, float]
    modules: dict[str, str]
    meta: set[str]

    def side(self, name: str) -> dict[str, float]:
        return self.dense if name == "dense" else self.bm25


def _best_per_chunk(points: Sequence[ScoredPoint], out: Candidates) -> dict[str, float]:
    """Score of each chunk: its best point (a chunk scores its best dense window)."""
    best: dict[str, float] = {}
    for p in points:
        key = str(p.payload["chunk_point"])
        out.modules[key] = str(p.payload.get("module_id", key))
        if str(p.payload.get("section_title", "")).lower() in META_SECTIONS:
            out.meta.add(key)
        if p.score > best.get(key, float("-inf")):
            best[key] = p.score
    return best


def _module_context(
    fused: dict[str, float], modules: dict[str, str], weight: float
) -> dict[str, float]:
    """Blend each chunk's score with the best score in its module."""
    best: dict[str, float] = {}
    for key, score in fused.items():
        mod = modules.get(key, key)
        best[mod] = max(best.get(mod, float("-inf")), score)
    return {
        key: (1 - weight) * s + weight * best[modules.get(key, key)] for key, s in fused.items()
    }


def _minmax(scores: dict[str, float]) -> dict[str, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    span = hi - lo
    return {k: (v - lo) / span if span > 0 else 1.0 for k, v in scores.items()}


def _rrf(ranked: Sequence[dict[str, float]], k: int) -> dict[str, float]:
    fused: dict[str, float] = {}
    for scores in ranked:
        order = sorted(scores, key=scores.__getitem__, reverse=True)
        for rank, key in enumerate(order):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank + 1)
    return fused


class Retriever:
    """Answers queries from the index.

    Args:
        index: the vector index.
        embedder: the same encoder that built the index.
        bm25: the lexical encoder.
        hidden_generations: returns generations search must hide (mid-ingest, replaced).
        config: fusion settings.
        languages: languages a query may be in.
        hidden_courses: courses a search finds only when its filter names them (the admin
            documentation shares the index with course content but is never a learner's).
    """

    def __init__(
        self,
        *,
        index: VectorIndex,
        embedder: Embedder,
        bm25: BM25Encoder | None = None,
        hidden_generations: Callable[[], Sequence[int]] = tuple,
        config: SearchConfig | None = None,
        languages: Sequence[str] = ("en", "fr"),
        hidden_courses: Sequence[str] = (),
    ) -> None:
        self.index = index
        self.embedder = embedder
        self.bm25 = bm25 or BM25Encoder()
        self.hidden_generations = hidden_generations
        self.config = config or SearchConfig()
        self.languages = tuple(languages)
        self.hidden_courses = tuple(hidden_courses)
        self._term_stats: tuple[int, TermStats] | None = None
        self._stats_lock = threading.Lock()

    def _filter(self, flt: SearchFilter | None) -> IndexFilter:
        flt = flt or SearchFilter()
        hidden = tuple(c for c in self.hidden_courses if c not in flt.course_ids)
        return IndexFilter(
            must={"course_id": flt.course_ids, "skills": flt.skills, "language": flt.languages},
            must_not={"generation": tuple(self.hidden_generations()), "course_id": hidden},
        )

    def prefetch(self, query: str) -> None:
        """Start embedding ``query`` in the background for a search that follows shortly."""
        with contextlib.suppress(QueryError):  # the search itself reports a bad query
            self.embedder.prefetch_query(validate_query(query))

    def candidates(
        self,
        query: str,
        *,
        flt: SearchFilter | None = None,
        modes: Sequence[str] = ("dense", "bm25"),
    ) -> Candidates:
        """Raw per-chunk scores from each side (for fusion and for benchmarks)."""
        query = validate_query(query)
        index_filter = self._filter(flt)
        cfg = self.config
        queries: list[IndexQuery] = []
        if "dense" in modes:
            # Several windows per chunk: ask for more points to keep ~candidates chunks.
            queries.append(
                IndexQuery(
                    self.embedder.embed_query(query),
                    cfg.candidates * 4,
                    index_filter,
                    hnsw_ef=cfg.hnsw_ef,
                    payload_fields=_CANDIDATE_FIELDS,
                )
            )
        if "bm25" in modes:
            lang = detect(query, languages=self.languages, min_confidence=0.9)
            sparse = self.bm25.encode_query(query, [lang] if lang else self.languages)
            if len(sparse):
                queries.append(
                    IndexQuery(
                        sparse, cfg.candidates, index_filter, payload_fields=_CANDIDATE_FIELDS
                    )
                )
        results = self.index.query_batch(queries)
        out = Candidates(dense={}, bm25={}, modules={}, meta=set())
        for q, points in zip(queries, results, strict=True):
            best = _best_per_chunk(points, out)
            out.side(q.using).update(list(best.items())[: cfg.candidates])
        return out

    def search(
        self, query: str, *, k: int = 5, flt: SearchFilter | None = None, mode: Mode = "hybrid"
    ) -> list[SearchHit]:
        """The ``k`` best passages for ``query``, at most ``per_section`` per section."""
        modes = {"dense": ("dense",), "bm25": ("bm25",)}.get(mode, ("dense", "bm25"))
        return self.rank(self.candidates(query, flt=flt, modes=modes), k=k, mode=mode)

    def rank(self, raw: Candidates, *, k: int = 5, mode: Mode = "hybrid") -> list[SearchHit]:
        """The ``k`` best passages of candidates already fetched (a caller that judged the raw
        scores first need not query the index twice)."""
        if mode == "rrf":
            fused = _rrf([raw.dense, raw.bm25], self.config.rrf_k)
        elif mode == "hybrid":
            w = self.config.dense_weight
            dense, sparse = _minmax(raw.dense), _minmax(raw.bm25)
            fused = {
                key: w * dense.get(key, 0.0) + (1 - w) * sparse.get(key, 0.0)
                for key in dense.keys() | sparse.keys()
            }
            if self.config.module_weight:
                fused = _module_context(fused, raw.modules, self.config.module_weight)
            for key in raw.meta & fused.keys():
                fused[key] *= self.config.meta_section_weight
        else:
            fused = raw.side("dense" if mode == "dense" else "bm25")
        ranked = sorted(fused, key=fused.__getitem__, reverse=True)
        return self._hits(ranked, fused, raw, k)

    def get_chunk(self, chunk_id: str, *, flt: SearchFilter | None = None) -> SearchHit | None:
        """The live passage with this chunk id (None if unknown, replaced or filtered out)."""
        index_filter = self._filter(flt)
        must = dict(index_filter.must) | {"chunk_id": (chunk_id,), "kind": ("chunk",)}
        for point in self.index.scroll(IndexFilter(must=must, must_not=index_filter.must_not)):
            return _hit(point.payload, 0.0, {})
        return None

    def chunks(
        self,
        *,
        course_id: str | None = None,
        module_id: str | None = None,
        flt: SearchFilter | None = None,
    ) -> list[SearchHit]:
        """Every live passage of a course and/or module, in reading order (file, position).

        For whole-course work (quiz generation, coverage) rather than search: no scores.
        """
        index_filter = self._filter(flt)
        must = dict(index_filter.must) | {"kind": ("chunk",)}
        if course_id is not None:
            must["course_id"] = (course_id,)
        if module_id is not None:
            must["module_id"] = (module_id,)
        points = self.index.scroll(IndexFilter(must=must, must_not=index_filter.must_not))
        payloads = sorted(
            (p.payload for p in points),
            key=lambda pl: (pl["source_path"], int(pl.get("position", 0)), pl["chunk_id"]),
        )
        return [_hit(pl, 0.0, {}) for pl in payloads]

    def term_stats(self) -> TermStats:
        """Document frequencies of the live passages' terms (what the coverage gate weighs
        a question's words by), counted once and again only when the number of live passages
        changes: one count query per call. An edit that keeps a course's passage count leaves
        the figures slightly stale until the next change, which rarity weights shrug off."""
        index_filter = self._filter(None)
        must = dict(index_filter.must) | {"kind": ("chunk",)}
        live = IndexFilter(must=must, must_not=index_filter.must_not)
        n = self.index.count(live)
        with self._stats_lock:
            if self._term_stats is None or self._term_stats[0] != n:
                stats = TermStats.from_passages(
                    (f"{p.payload['section_title']}\n{p.payload['text']}", p.payload["language"])
                    for p in self.index.scroll(live)
                )
                self._term_stats = (n, stats)
            return self._term_stats[1]

    def _hits(
        self, ranked: list[str], fused: dict[str, float], raw: Candidates, k: int
    ) -> list[SearchHit]:
        hits: list[SearchHit] = []
        per_section: dict[tuple[str, str], int] = {}
        # Fetch payloads in slices: most of the time the first slice is enough.
        for start in range(0, len(ranked), max(k * 3, 10)):
            ids = ranked[start : start + max(k * 3, 10)]
            payloads = {p.id: p.payload for p in self.index.retrieve(ids)}
            for pid in ids:
                payload = payloads.get(pid)
                if payload is None:
                    continue
                section = (payload["source_path"], payload["section_title"])
                if per_section.get(section, 0) >= self.config.per_section:
                    continue
                per_section[section] = per_section.get(section, 0) + 1
                sides = {"dense": raw.dense, "bm25": raw.bm25}
                hits.append(
                    _hit(payload, fused[pid], {n: s[pid] for n, s in sides.items() if pid in s})
                )
                if len(hits) == k:
                    return hits
        return hits


def validate_query(query: str) -> str:
    """Strip a query and reject empty or over-long ones with a clear reason."""
    text = query.strip()
    if not text:
        raise QueryError("query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(text)} characters; the limit is {MAX_QUERY_CHARS}")
    return text


def _hit(payload: dict[str, Any], score: float, scores: dict[str, float]) -> SearchHit:
    citation = Citation(
        course_id=payload["course_id"],
        course_title=payload["course_title"],
        module_id=payload["module_id"],
        module_title=payload["module_title"],
        section_title=payload["section_title"],
        source_path=payload["source_path"],
        anchor=payload["anchor"],
    )
    return SearchHit(
        chunk_id=payload["chunk_id"],
        text=payload["text"],
        score=score,
        citation=citation,
        language=payload["language"],
        skills=tuple(payload.get("skills", ())),
        scores=scores,
    )
