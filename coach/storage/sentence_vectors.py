"""Vectors of quotable course sentences, stored once per encoder and sentence text.

A row is keyed by a digest of the encoder's fingerprint and one of the sentence's text, so
the same sentence in two chunks (chunk overlap, a paragraph reused across courses) is
stored and encoded once. Rows are never pruned: one is only ever read for a sentence of a
live passage, so those of replaced content or of a former encoder are dead weight (about
0.8 kB each with MiniLM), never wrong answers. Vectors are kept as little-endian float16.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coach.storage.models import SentenceVector

_FLOAT16 = np.dtype("<f2")
# Keys per IN (...) list: far below SQLite's and PostgreSQL's bound-parameter limits.
_SLICE = 500


def sentence_key(text: str) -> str:
    """The digest a sentence's vector is stored under."""
    return hashlib.sha256(text.encode()).hexdigest()


def encoder_key(fingerprint: str) -> str:
    """The digest an encoder's vectors are stored under (fingerprints may be long paths)."""
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def to_float16(vectors: np.ndarray) -> np.ndarray:
    """Vectors as stored and read back (float32 values rounded through float16)."""
    return np.asarray(vectors).astype(_FLOAT16).astype(np.float32)


def sentence_vectors(
    session: Session, *, encoder: str, keys: Iterable[str]
) -> dict[str, np.ndarray]:
    """Stored vectors (float32) of those ``keys`` that have one, by key."""
    wanted = list(dict.fromkeys(keys))
    out: dict[str, np.ndarray] = {}
    for start in range(0, len(wanted), _SLICE):
        rows = session.execute(
            select(SentenceVector.key, SentenceVector.vector).where(
                SentenceVector.encoder == encoder,
                SentenceVector.key.in_(wanted[start : start + _SLICE]),
            )
        )
        for key, blob in rows:
            out[key] = np.frombuffer(blob, dtype=_FLOAT16).astype(np.float32)
    return out


def stored_sentence_keys(session: Session, *, encoder: str, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` already have a vector (without reading the vectors)."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), _SLICE):
        found.update(
            session.scalars(
                select(SentenceVector.key).where(
                    SentenceVector.encoder == encoder,
                    SentenceVector.key.in_(wanted[start : start + _SLICE]),
                )
            )
        )
    return found


def save_sentence_vectors(
    session: Session, *, encoder: str, vectors: Mapping[str, np.ndarray]
) -> None:
    """Store vectors by key as float16; a key stored already keeps its row.

    ``INSERT ... ON CONFLICT DO NOTHING``, so an ingest and a served turn storing the same
    sentence at once cannot collide.
    """
    if not vectors:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {"encoder": encoder, "key": key, "vector": np.asarray(vec).astype(_FLOAT16).tobytes()}
        for key, vec in vectors.items()
    ]
    session.execute(insert(SentenceVector).on_conflict_do_nothing(), rows)
