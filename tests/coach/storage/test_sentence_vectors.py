"""Sentence vectors: stored as float16 by encoder and text digest, once per sentence."""

from __future__ import annotations

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coach import storage

ENCODER = storage.encoder_key("all-MiniLM-L6-v2-384")


def unit(seed: int, dim: int = 384) -> np.ndarray:
    vec = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
    return vec / np.linalg.norm(vec)


def test_vectors_come_back_as_float32_rounded_through_float16(session: Session) -> None:
    keys = [storage.sentence_key(t) for t in ("Stop the line.", "Call the desk.")]
    saved = {keys[0]: unit(1), keys[1]: unit(2)}
    storage.save_sentence_vectors(session, encoder=ENCODER, vectors=saved)
    session.commit()
    found = storage.sentence_vectors(session, encoder=ENCODER, keys=[*keys, "unknown"])
    assert set(found) == set(keys)
    for key, vec in found.items():
        assert vec.dtype == np.float32 and vec.shape == (384,)
        np.testing.assert_array_equal(vec, storage.to_float16(saved[key]))
        assert np.abs(vec - saved[key]).max() < 1e-3
        assert float(vec @ saved[key]) > 0.9999


def test_a_vector_takes_two_bytes_per_dimension(session: Session) -> None:
    key = storage.sentence_key("Stop the line.")
    storage.save_sentence_vectors(session, encoder=ENCODER, vectors={key: unit(1)})
    blob = session.scalars(select(storage.SentenceVector.vector)).one()
    assert len(blob) == 384 * 2


def test_saving_a_stored_sentence_again_keeps_one_row_and_the_first_vector(
    session: Session,
) -> None:
    key = storage.sentence_key("Stop the line.")
    storage.save_sentence_vectors(session, encoder=ENCODER, vectors={key: unit(1)})
    session.commit()
    storage.save_sentence_vectors(session, encoder=ENCODER, vectors={key: unit(2)})
    session.commit()
    assert session.scalar(select(func.count()).select_from(storage.SentenceVector)) == 1
    (vec,) = storage.sentence_vectors(session, encoder=ENCODER, keys=[key]).values()
    np.testing.assert_array_equal(vec, storage.to_float16(unit(1)))


def test_another_encoder_never_reads_these_vectors(session: Session) -> None:
    key = storage.sentence_key("Stop the line.")
    storage.save_sentence_vectors(session, encoder=ENCODER, vectors={key: unit(1)})
    other = storage.encoder_key("/models/" + "x" * 300)  # a long model path still fits
    assert storage.sentence_vectors(session, encoder=other, keys=[key]) == {}
    assert storage.stored_sentence_keys(session, encoder=other, keys=[key]) == set()


def test_many_keys_are_read_in_slices(session: Session) -> None:
    keys = [storage.sentence_key(f"Sentence number {i}.") for i in range(1203)]
    vectors = {k: unit(i, dim=8) for i, k in enumerate(keys[:1100])}
    storage.save_sentence_vectors(session, encoder=ENCODER, vectors=vectors)
    session.commit()
    assert storage.stored_sentence_keys(session, encoder=ENCODER, keys=keys) == set(vectors)
    found = storage.sentence_vectors(session, encoder=ENCODER, keys=keys)
    assert set(found) == set(vectors)
