"""The offline default responder: a short extractive answer quoted from the passages.

No model writes anything: the answer is two to four sentences taken verbatim from the
retrieved passages, each followed by its citation number. Sentences are scored against the
question with the same embedder as search plus term overlap, then picked with maximal
marginal relevance so the answer does not say the same thing twice, and shown in reading
order within each passage. Sentence vectors come from an in-process cache, then from the
vectors stored at ingest (one query), and only the rest are encoded (one batch: content
ingested before sentence vectors were stored) and stored for the next turns.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.exc import SQLAlchemyError

from coach.responders.base import Answer, CitationRef, Delta, Responder, ResponderInput
from coach.responders.grounding import (
    DEFAULT_COVERAGE,
    CoverageConfig,
    assess_coverage,
    not_covered_message,
    term_coverage,
)
from coach.responders.sentence_vectors import SentenceVectorStore
from coach.responders.sentences import Sentence, quotable, split_passage
from coach.storage.sentence_vectors import to_float16
from retrieval.embedding import Embedder
from retrieval.types import SearchHit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OfflineConfig:
    """How the extractive answer is built.

    Attributes:
        passages: passages whose sentences are candidates (the coverage evidence, best
            first; passages too weak to be evidence would only add noise).
        max_candidates: sentences encoded per turn at most, those sharing the most query
            terms first (a whole turn must stay within ~150 ms on 2 cores; 16, 24 and 32
            quote the gold section equally often on the python book and the demo).
        max_batch_tokens: sentences times the longest one's (rough) token count at most:
            the encoder pads a batch to its longest sentence and its time follows that
            product (correlation 0.84 on the python book, ~0.09 ms a token with MiniLM
            on 2 cores); 480 to 800 quote the gold section equally often (bench.answers).
        min_sentences: sentences an answer tries to have (fewer if the passages lack them).
        max_sentences: sentences an answer has at most.
        max_words: words an answer has at most (a single longer sentence is still kept).
        min_words: shorter sentences are headings or list debris.
        max_sentence_words: longer "sentences" are run-ons, tables or code.
        lexical_weight: share of a sentence's relevance from query-term overlap.
        mmr_lambda: relevance against novelty when picking the next sentence.
        duplicate_cosine: a sentence this close to one already picked is a repeat.
        min_relative: after ``min_sentences``, a sentence must reach this share of the
            best relevance to be added.
        vector_cache: sentence vectors kept between turns.
        coverage: when to answer at all.
    """

    passages: int = 5
    max_candidates: int = 16
    max_batch_tokens: int = 512
    min_sentences: int = 2
    max_sentences: int = 4
    max_words: int = 90
    min_words: int = 5
    max_sentence_words: int = 50
    lexical_weight: float = 0.3
    mmr_lambda: float = 0.7
    duplicate_cosine: float = 0.9
    min_relative: float = 0.8
    vector_cache: int = 8192
    coverage: CoverageConfig = field(default=DEFAULT_COVERAGE)


@dataclass(frozen=True, slots=True)
class _Candidate:
    hit: SearchHit
    rank: int
    sentence: Sentence
    overlap: float
    """Share of the query's terms in the sentence (or its section title)."""


class OfflineResponder(Responder):
    """Grounded extractive answers with no language model.

    Args:
        embedder: the embedder search uses (its query vector is usually cached already).
        config: answer-building settings.
        store: sentence vectors stored at ingest (None: encode every uncached sentence);
            it must split sentences with the config's ``min_words``/``max_sentence_words``.
    """

    name = "offline"

    def __init__(
        self,
        embedder: Embedder,
        config: OfflineConfig | None = None,
        store: SentenceVectorStore | None = None,
    ) -> None:
        self.embedder = embedder
        self.config = config or OfflineConfig()
        cfg = self.config
        if store is not None and (store.min_words, store.max_words) != (
            cfg.min_words,
            cfg.max_sentence_words,
        ):
            raise ValueError(
                "the sentence vector store and the responder disagree on quotable sentence "
                f"lengths: {store.min_words}-{store.max_words} vs "
                f"{cfg.min_words}-{cfg.max_sentence_words} words"
            )
        self.store = store
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def respond(self, inp: ResponderInput) -> Iterator[Delta | Answer]:
        """Yield the answer sentence by sentence, then the final :class:`Answer`."""
        started = time.perf_counter()
        cfg = self.config
        query = inp.query or inp.question
        cov = assess_coverage(
            inp.hits,
            query=query,
            language=inp.language,
            embedder=self.embedder,
            config=cfg.coverage,
            stats=inp.term_stats,
        )
        meta: dict[str, object] = {"coverage": cov.reason, "confidence": round(cov.confidence, 3)}
        picked = self._select(query, inp.language, cov.evidence) if cov.covered else []
        if not picked:
            closest = cov.closest.citation if cov.closest is not None else None
            text = not_covered_message(inp.language, closest)
            yield text
            meta["ms"] = round((time.perf_counter() - started) * 1000, 2)
            if cov.covered:
                meta["coverage"] = "no quotable sentence: " + cov.reason
            yield Answer(text, (), False, self.name, inp.language, suggestion=closest, meta=meta)
            return
        numbers: dict[str, int] = {}
        quotes: dict[str, list[Sentence]] = {}
        parts: list[str] = []
        for cand in picked:
            n = numbers.setdefault(cand.hit.chunk_id, len(numbers) + 1)
            quotes.setdefault(cand.hit.chunk_id, []).append(cand.sentence)
            part = f"{cand.sentence.text} [{n}]"
            yield part if not parts else " " + part
            parts.append(part)
        hits = {c.hit.chunk_id: c.hit for c in picked}
        citations = tuple(
            CitationRef(
                n=n,
                chunk_id=cid,
                citation=hits[cid].citation,
                quote=" ".join(s.text for s in quotes[cid]),
            )
            for cid, n in numbers.items()
        )
        meta["ms"] = round((time.perf_counter() - started) * 1000, 2)
        yield Answer(" ".join(parts), citations, True, self.name, inp.language, meta=meta)

    def _candidates(self, query: str, language: str, hits: Sequence[SearchHit]) -> list[_Candidate]:
        """Quotable sentences of the best passages, in the question's language when any are.

        Beyond ``max_candidates`` sentences or ``max_batch_tokens``, those sharing the
        fewest query terms are left out before encoding (the turn's main cost).
        """
        cfg = self.config
        top = list(hits[: cfg.passages])
        if any(h.language == language for h in top):
            top = [h for h in top if h.language == language]
        out: list[_Candidate] = []
        for rank, hit in enumerate(top):
            sentences = split_passage(hit.chunk_id, hit.text)
            for s in quotable(sentences, min_words=cfg.min_words, max_words=cfg.max_sentence_words):
                pseudo = SearchHit(hit.chunk_id, s.text, 0.0, hit.citation, hit.language)
                overlap = term_coverage(query, [pseudo], language=language)
                out.append(_Candidate(hit, rank, s, overlap))
        # A batch costs its size times its longest sentence (padding), so budget that.
        keep: list[int] = []
        longest = 0
        for i in sorted(range(len(out)), key=lambda i: (-out[i].overlap, out[i].rank, i)):
            if len(keep) == cfg.max_candidates:
                break
            tokens = max(longest, out[i].sentence.tokens)
            if (len(keep) + 1) * tokens <= cfg.max_batch_tokens:
                keep.append(i)
                longest = tokens
        return [out[i] for i in sorted(keep)]

    def _select(self, query: str, language: str, hits: Sequence[SearchHit]) -> list[_Candidate]:
        """Pick sentences by relevance and novelty; return them grouped in reading order."""
        cfg = self.config
        cands = self._candidates(query, language, hits)
        if not cands:
            return []
        vecs = self._embed([c.sentence.text for c in cands])
        cosine = vecs @ self.embedder.embed_query(query)
        overlap = np.array([c.overlap for c in cands], dtype=np.float32)
        rel = (1 - cfg.lexical_weight) * cosine + cfg.lexical_weight * overlap
        chosen: list[int] = []
        words = 0
        best = float(rel.max())
        while len(chosen) < cfg.max_sentences:
            sim = vecs @ vecs[chosen].T if chosen else np.zeros((len(cands), 1), np.float32)
            redundancy = sim.max(axis=1)
            mmr = cfg.mmr_lambda * rel - (1 - cfg.mmr_lambda) * redundancy
            order = [int(i) for i in np.argsort(-mmr) if int(i) not in chosen]
            nxt = next(
                (
                    i
                    for i in order
                    if redundancy[i] < cfg.duplicate_cosine
                    and (not chosen or words + cands[i].sentence.words <= cfg.max_words)
                ),
                None,
            )
            if nxt is None:
                break
            if len(chosen) >= cfg.min_sentences and rel[nxt] < cfg.min_relative * best:
                break
            chosen.append(nxt)
            words += cands[nxt].sentence.words
        return _reading_order([cands[i] for i in chosen])

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors: cached, else stored at ingest (one query), else encoded (one batch)."""
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
            for t in known:
                self._vectors.move_to_end(t)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            found = self.store.lookup(missing) if self.store is not None else {}
            unstored = [t for t in missing if t not in found]
            if unstored:
                fresh = self.embedder.embed_documents(unstored)
                if self.store is not None:
                    # Rounded as the stored copy will read back: the same answer either way.
                    fresh = to_float16(fresh)
                    _keep(self.store, dict(zip(unstored, fresh, strict=True)))
                found.update(zip(unstored, fresh, strict=True))
            known.update(found)
            with self._lock:
                self._vectors.update((t, found[t]) for t in missing)
                while len(self._vectors) > self.config.vector_cache:
                    self._vectors.popitem(last=False)
        return np.stack([known[t] for t in texts])


def _keep(store: SentenceVectorStore, vectors: dict[str, np.ndarray]) -> None:
    """Store vectors encoded at query time (content ingested before they were stored)."""
    try:
        store.save(vectors)
    except SQLAlchemyError as err:  # the answer does not depend on it: go on
        log.warning("could not store %d sentence vectors: %s", len(vectors), err)


def _reading_order(picked: list[_Candidate]) -> list[_Candidate]:
    """Passages in the order first picked; sentences in reading order within each."""
    first: dict[str, int] = {}
    for i, c in enumerate(picked):
        first.setdefault(c.hit.chunk_id, i)
    return sorted(picked, key=lambda c: (first[c.hit.chunk_id], c.sentence.position))
