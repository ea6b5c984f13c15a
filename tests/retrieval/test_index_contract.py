"""One contract, every VectorIndex: embedded Qdrant Edge, qdrant-client (memory, server)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from retrieval.index import (
    EdgeIndex,
    IndexFilter,
    IndexPoint,
    IndexQuery,
    QdrantClientIndex,
    VectorIndex,
)
from retrieval.lexical import SparseVector

DIM = 8
SERVER_URL = os.environ.get("BLENDCOACH_TEST_QDRANT_URL")


def _make(kind: str, path: Path) -> VectorIndex:
    if kind == "edge":
        return EdgeIndex(path / "shard", DIM)
    if kind == "memory":
        return QdrantClientIndex.connect(":memory:", "contract", DIM)
    assert SERVER_URL
    return QdrantClientIndex.connect(SERVER_URL, f"contract_{uuid.uuid4().hex[:8]}", DIM)


KINDS = ["edge", "memory"] + (["server"] if SERVER_URL else [])


@pytest.fixture(params=KINDS)
def index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorIndex]:
    idx = _make(request.param, tmp_path)
    yield idx
    idx.close()


def _pid(i: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, str(i)))


def _unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float32)
    return a / np.linalg.norm(a)


def _points() -> list[IndexPoint]:
    rng = np.random.default_rng(7)
    pts = []
    for i in range(40):
        payload = {
            "chunk_point": _pid(i),
            "course_id": f"course-{i % 4}",
            "skills": [f"skill.{i % 3}", "common.skill"],
            "language": "fr" if i % 5 == 0 else "en",
            "generation": i % 2,
            "kind": "chunk",
            "source_path": f"f{i}.md",
            "n": i,
        }
        pts.append(
            IndexPoint(
                _pid(i),
                payload,
                dense=_unit(rng.normal(size=DIM).tolist()),
                sparse=SparseVector(indices=[i % 7, 100 + i], values=[1.0, 0.5]),
            )
        )
    return pts


def test_upsert_count_and_retrieve(index: VectorIndex) -> None:
    pts = _points()
    index.upsert(pts)
    index.flush()
    assert index.count() == 40
    got = index.retrieve([_pid(3), _pid(5), _pid(999)])
    assert sorted(p.payload["n"] for p in got) == [3, 5]
    assert index.count(IndexFilter(must={"course_id": ("course-1",)})) == 10


def test_a_query_can_ask_for_some_payload_fields_only(index: VectorIndex) -> None:
    pts = _points()
    index.upsert(pts)
    assert pts[4].dense is not None
    (hits,) = index.query_batch(
        [IndexQuery(pts[4].dense, limit=3, payload_fields=("chunk_point", "course_id"))]
    )
    assert hits[0].payload == {"chunk_point": _pid(4), "course_id": "course-0"}
    assert all(set(h.payload) == {"chunk_point", "course_id"} for h in hits)


def test_dense_query_finds_the_exact_vector_first(index: VectorIndex) -> None:
    pts = _points()
    index.upsert(pts)
    target = pts[17]
    assert target.dense is not None
    (hits,) = index.query_batch([IndexQuery(target.dense, limit=5)])
    assert hits[0].id == _pid(17)
    assert hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_sparse_query_uses_idf(index: VectorIndex) -> None:
    index.upsert(_points())
    # term 103 occurs in one point, term 3 in several: the rare term must dominate.
    (hits,) = index.query_batch(
        [IndexQuery(SparseVector(indices=[3, 103], values=[1.0, 1.0]), limit=3)]
    )
    assert hits[0].payload["n"] == 3
    (common,) = index.query_batch([IndexQuery(SparseVector(indices=[3], values=[1.0]), limit=10)])
    assert {h.payload["n"] % 7 for h in common} == {3}


def test_filters_on_course_skill_language_and_generation(index: VectorIndex) -> None:
    pts = _points()
    index.upsert(pts)
    query = pts[0].dense
    assert query is not None
    flt = IndexFilter(
        must={"course_id": ("course-0", "course-2"), "skills": ("skill.1",), "language": ("en",)},
        must_not={"generation": (1,)},
    )
    (hits,) = index.query_batch([IndexQuery(query, limit=40, filter=flt)])
    assert hits, "some points match"
    for h in hits:
        p = h.payload
        assert p["course_id"] in ("course-0", "course-2")
        assert "skill.1" in p["skills"] and p["language"] == "en" and p["generation"] != 1
    expected = {
        pt.payload["n"]
        for pt in pts
        if pt.payload["course_id"] in ("course-0", "course-2")
        and "skill.1" in pt.payload["skills"]
        and pt.payload["language"] == "en"
        and pt.payload["generation"] != 1
    }
    assert {h.payload["n"] for h in hits} == expected


def test_batch_returns_results_in_query_order(index: VectorIndex) -> None:
    pts = _points()
    index.upsert(pts)
    queries = [IndexQuery(pts[i].dense, limit=1) for i in (4, 9, 30)]  # type: ignore[arg-type]
    results = index.query_batch(queries)
    assert [r[0].payload["n"] for r in results] == [4, 9, 30]


def test_delete_by_filter_and_scroll(index: VectorIndex) -> None:
    index.upsert(_points())
    index.delete(IndexFilter(must={"generation": (0,)}))
    index.flush()
    assert index.count() == 20
    seen = list(index.scroll(page=7, with_dense=True))
    assert len(seen) == 20
    assert all(p.payload["generation"] == 1 for p in seen)
    assert all(p.dense is not None and p.dense.shape == (DIM,) for p in seen)
    with pytest.raises(ValueError, match="empty filter"):
        index.delete(IndexFilter())


def test_points_may_carry_only_one_vector(index: VectorIndex) -> None:
    dense_only = IndexPoint(_pid(1), {"chunk_point": _pid(1), "n": 1}, dense=_unit([1] * DIM))
    sparse_only = IndexPoint(
        _pid(2), {"chunk_point": _pid(2), "n": 2}, sparse=SparseVector(indices=[5], values=[1.0])
    )
    index.upsert([dense_only, sparse_only])
    dense_hits, sparse_hits = index.query_batch(
        [IndexQuery(_unit([1] * DIM), limit=5), IndexQuery(SparseVector([5], [1.0]), limit=5)]
    )
    assert [h.payload["n"] for h in dense_hits] == [1]
    assert [h.payload["n"] for h in sparse_hits] == [2]


def test_edge_index_persists_across_reopen(tmp_path: Path) -> None:
    idx = EdgeIndex(tmp_path / "shard", DIM)
    idx.upsert(_points())
    idx.close()
    again = EdgeIndex(tmp_path / "shard", DIM)
    try:
        assert again.count() == 40
        assert again.count(IndexFilter(must={"language": ("fr",)})) == 8
    finally:
        again.close()
