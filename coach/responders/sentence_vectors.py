"""Sentence vectors computed once at ingest, so an offline turn reads them instead of encoding.

Encoding the candidate sentences was most of an offline turn on a freshly started server.
The coach hooks :meth:`SentenceVectorStore.after_ingest` into the ingestor: every chunk
written is split into the quotable sentences the offline responder would consider, and
each distinct sentence without a stored vector is encoded and stored (float16, keyed by a
digest of its text). At query time :meth:`lookup` reads a turn's candidates in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coach.responders.sentences import quotable, split_passage
from coach.storage.sentence_vectors import (
    encoder_key,
    save_sentence_vectors,
    sentence_key,
    sentence_vectors,
    stored_sentence_keys,
)
from retrieval.embedding import Embedder
from retrieval.ingest import IngestProgress
from retrieval.types import Chunk


class SentenceVectorStore:
    """The offline responder's sentence vectors, in the service's database.

    Args:
        engine: the service's database (SQLite or PostgreSQL, migrated).
        embedder: the encoder the responder scores sentences with; its fingerprint is part
            of every key, so another encoder never reads these vectors.
        min_words: shortest quotable sentence (``OfflineConfig.min_words``).
        max_words: longest quotable sentence (``OfflineConfig.max_sentence_words``).
        slice_size: sentences encoded and committed together at ingest (bounds memory, and
            an interrupted ingest keeps what it committed).
        also: another reader's sentence split of a passage (the runtime guard's), whose
            sentences are stored at ingest too, so no reader encodes a passage per turn.
    """

    def __init__(
        self,
        engine: Engine,
        embedder: Embedder,
        *,
        min_words: int,
        max_words: int,
        slice_size: int = 2048,
        also: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        self.also = also
        self.engine = engine
        self.embedder = embedder
        self.min_words = min_words
        self.max_words = max_words
        self.slice_size = slice_size
        self.encoder = encoder_key(embedder.fingerprint)

    def sentences(self, chunk_id: str, text: str) -> list[str]:
        """The quotable sentences of a passage, as the offline responder splits them (and
        those of ``also``'s split)."""
        found = quotable(
            split_passage(chunk_id, text), min_words=self.min_words, max_words=self.max_words
        )
        out = [s.text for s in found]
        if self.also is not None:
            out += [t for t in self.also(text) if t.strip()]
        return list(dict.fromkeys(out))

    def after_ingest(self, chunks: Sequence[Chunk], progress: IngestProgress) -> int:
        """Encode and store the sentences of newly ingested chunks; returns how many were new.

        Sentences stored already (another chunk, an earlier run) are not encoded again.
        """
        texts = list(dict.fromkeys(t for c in chunks for t in self.sentences(c.chunk_id, c.text)))
        keys = {t: sentence_key(t) for t in texts}
        with Session(self.engine) as session:
            have = stored_sentence_keys(session, encoder=self.encoder, keys=keys.values())
        todo = [t for t in texts if keys[t] not in have]
        if not todo:
            return 0
        # The encoder pads a batch to its longest text: batch sentences of similar length.
        todo.sort(key=len)
        progress.start(len(todo), "Sentence vectors")
        for start in range(0, len(todo), self.slice_size):
            part = todo[start : start + self.slice_size]
            vectors = self.embedder.embed_documents(part, progress=progress.advance)
            with Session(self.engine) as session, session.begin():
                save_sentence_vectors(
                    session,
                    encoder=self.encoder,
                    vectors={keys[t]: v for t, v in zip(part, vectors, strict=True)},
                )
        return len(todo)

    def lookup(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors (float32, rounded through float16) of those sentences that have one."""
        keys = {sentence_key(t): t for t in texts}
        with Session(self.engine) as session:
            found = sentence_vectors(session, encoder=self.encoder, keys=keys)
        return {keys[k]: v for k, v in found.items()}

    def save(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Store vectors by sentence text (one that is stored already keeps its row)."""
        with Session(self.engine) as session, session.begin():
            save_sentence_vectors(
                session,
                encoder=self.encoder,
                vectors={sentence_key(t): v for t, v in vectors.items()},
            )
