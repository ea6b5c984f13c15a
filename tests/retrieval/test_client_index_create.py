"""QdrantClientIndex creating its collection: sharding passed through, a creation race lost
gracefully (replicas starting at once on an empty Qdrant server)."""

from __future__ import annotations

from typing import Any

import pytest
from qdrant_client import QdrantClient, models

from retrieval.index import QdrantClientIndex
from retrieval.index.base import DENSE

DIM = 8


class RecordingClient(QdrantClient):
    """An in-memory client that keeps the arguments of each ``create_collection``."""

    def __init__(self) -> None:
        super().__init__(location=":memory:")
        self.created: list[dict[str, Any]] = []

    def create_collection(self, collection_name: str, **kwargs: Any) -> bool:  # type: ignore[override]
        self.created.append(kwargs)
        return super().create_collection(collection_name, **kwargs)


class LateClient(QdrantClient):
    """Another replica creates the collection (with ``other_dim``-d vectors) between this
    one's check and its create, which then fails as the server would."""

    def __init__(self, other_dim: int = DIM) -> None:
        super().__init__(location=":memory:")
        self.other_dim = other_dim
        self.creates = 0

    def create_collection(self, collection_name: str, **kwargs: Any) -> bool:  # type: ignore[override]
        self.creates += 1
        theirs = {DENSE: models.VectorParams(size=self.other_dim, distance=models.Distance.COSINE)}
        super().create_collection(collection_name, **{**kwargs, "vectors_config": theirs})
        return super().create_collection(collection_name, **kwargs)  # already exists: raises


def test_sharding_goes_to_the_collection_it_creates() -> None:
    client = RecordingClient()
    QdrantClientIndex(
        client,
        "c",
        DIM,
        payload_indexes=False,
        shard_number=6,
        replication_factor=2,
        write_consistency_factor=1,
    )
    assert len(client.created) == 1
    made = client.created[0]
    assert (made["shard_number"], made["replication_factor"]) == (6, 2)
    assert made["write_consistency_factor"] == 1


def test_defaults_leave_sharding_to_the_server() -> None:
    client = RecordingClient()
    QdrantClientIndex(client, "c", DIM, payload_indexes=False)
    made = client.created[0]
    assert made["shard_number"] is None and made["replication_factor"] is None


def test_an_existing_collection_is_opened_not_created() -> None:
    client = RecordingClient()
    QdrantClientIndex(client, "c", DIM, payload_indexes=False)
    QdrantClientIndex(client, "c", DIM, payload_indexes=False, shard_number=6)
    assert len(client.created) == 1
    with pytest.raises(ValueError, match="8-d vectors"):
        QdrantClientIndex(client, "c", 16, payload_indexes=False)


def test_a_replica_that_loses_the_creation_race_opens_the_winners_collection() -> None:
    client = LateClient()
    index = QdrantClientIndex(client, "c", DIM, payload_indexes=False)
    assert client.creates == 1 and index.count() == 0


def test_the_winners_collection_is_still_checked() -> None:
    with pytest.raises(ValueError, match="16-d vectors"):
        QdrantClientIndex(LateClient(other_dim=16), "c", DIM, payload_indexes=False)
