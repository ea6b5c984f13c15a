"""What every answer check reads, computed once: sentences, markers, terms and vectors.

:func:`prepare` splits the answer into sentences (each keeps the ``[n]`` markers that
follow it), the contexts into sentences, analyses every text into content terms (stop
words out, stems in, the answer's language) and, with an embedder, encodes the answer's
sentences, the whole answer and the context sentences in one batch (the question goes
through the embedder's cached query path). Context sentence vectors are kept in a small
LRU: a coach quotes the same passages turn after turn. A :class:`VectorStore` (the coach's
sentence vectors, stored at ingest) is read before anything is encoded, and keeps what was
encoded, so a sentence is encoded once per encoder, not once per process.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from retrieval.chunking import split_sentences
from retrieval.embedding import Embedder
from retrieval.language import detect
from retrieval.lexical import analyze
from retrieval.stopwords import QUERY_FRAME

# A marker is not glued to a word: ``a[0]`` and ``newList[3]`` are code.
MARKER = re.compile(r"(?<!\w)\[(\d{1,3})\]")
# A sentence ends at terminal punctuation, then any markers, then space (or the end).
_END = re.compile(r"(?<=[.!?…])((?:\s*\[\d{1,3}\])*)\s+|((?:\s+\[\d{1,3}\])+)\s+")
_WORDS = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class AnswerSentence:
    """A sentence of the answer, without its markers, and the passages it cites (1-based)."""

    text: str
    markers: tuple[int, ...]
    terms: frozenset[str]

    @property
    def question(self) -> bool:
        """A question asks, it does not claim (a coach ends with one to check understanding)."""
        return self.text.rstrip(" \"'»”)").endswith("?")


@dataclass(frozen=True, slots=True)
class ContextSentence:
    """A sentence of a context, with the context's 0-based position."""

    context: int
    text: str
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class Prepared:
    """One (question, answer, contexts) triple, analysed for the checks.

    ``sim`` is the cosine of each answer sentence (rows) with each context sentence
    (columns); the vectors are None without an embedder (lexical signals only).
    """

    question: str
    answer: str
    contexts: tuple[str, ...]
    language: str
    sentences: tuple[AnswerSentence, ...]
    question_terms: frozenset[str]
    answer_terms: frozenset[str]
    context_sentences: tuple[ContextSentence, ...]
    context_terms: tuple[frozenset[str], ...]
    question_vec: np.ndarray | None = None
    answer_vec: np.ndarray | None = None
    sentence_vecs: np.ndarray | None = None
    context_vecs: np.ndarray | None = None
    sim: np.ndarray | None = None


def claims(p: Prepared) -> list[int]:
    """Positions of the answer's sentences that claim something: all but its questions
    (an answer made only of questions claims in them, and is judged on them)."""
    stated = [i for i, s in enumerate(p.sentences) if not s.question]
    return stated or list(range(len(p.sentences)))


def words(text: str) -> list[str]:
    """Lowercase word tokens, stop words kept (negations matter to contradictions)."""
    return [w.replace("’", "'") for w in _WORDS.findall(text.lower())]


def terms(text: str, language: str) -> frozenset[str]:
    """Content terms: analysed tokens (stems), stop words and question framing dropped."""
    return frozenset(analyze(text, language, drop=QUERY_FRAME.get(language, frozenset())))


def split_answer(answer: str) -> list[tuple[str, tuple[int, ...]]]:
    """Sentences of an answer with the markers that follow (or sit inside) each one."""
    out: list[tuple[str, tuple[int, ...]]] = []
    text = answer + " "
    ends = [(m.start(), m.end(), m.group(1) or m.group(2) or "") for m in _END.finditer(text)]
    pos = 0
    for start, end, marks in [*ends, (len(text), len(text), "")]:
        piece = text[pos:start] + marks
        pos = end
        markers = tuple(int(n) for n in MARKER.findall(piece))
        body = " ".join(MARKER.sub("", piece).split())
        if body:
            out.append((body, markers))
        elif markers and out:  # markers alone: they belong to the sentence before
            prev_text, prev_markers = out[-1]
            out[-1] = (prev_text, prev_markers + markers)
    return out


def language_of(answer: str, question: str) -> str:
    """English or French: the answer's language, else the question's, else English."""
    return detect(answer) or detect(question) or "en"


class VectorStore(Protocol):
    """Sentence vectors kept outside the process (by the embedder they were made with)."""

    def lookup(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those texts that have one."""
        ...

    def save(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Keep these vectors (text → vector)."""
        ...


class Preparer:
    """Builds :class:`Prepared` triples; keeps recent sentence vectors.

    Args:
        embedder: encoder for the dense signals (None: lexical signals only).
        cache_size: sentence vectors kept between calls.
        store: read before encoding a sentence, and given every sentence encoded.
    """

    def __init__(
        self, embedder: Embedder | None, cache_size: int = 4096, store: VectorStore | None = None
    ) -> None:
        self.embedder = embedder
        self.store = store
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, question: str, answer: str, contexts: Sequence[str]) -> Prepared:
        """Analyse one triple (one encoder call for every text not cached)."""
        lang = language_of(answer, question)
        sents = tuple(AnswerSentence(t, m, terms(t, lang)) for t, m in split_answer(answer))
        ctx_sents = tuple(
            ContextSentence(i, s, terms(s, lang))
            for i, ctx in enumerate(contexts)
            for s in split_sentences(ctx)
        )
        base = Prepared(
            question=question,
            answer=answer,
            contexts=tuple(contexts),
            language=lang,
            sentences=sents,
            question_terms=terms(question, lang),
            answer_terms=frozenset().union(*(s.terms for s in sents)),
            context_sentences=ctx_sents,
            context_terms=tuple(terms(c, lang) for c in contexts),
        )
        if self.embedder is None or not sents:
            return base
        return self._with_vectors(base)

    def warm(self, texts: Sequence[str]) -> None:
        """Encode sentences ahead of :meth:`prepare` (an answer's, while it still streams)."""
        if self.embedder is not None:
            self._vectors(texts)

    def _vectors(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """A vector for each text: from the cache, else the store, else encoded in one batch
        (and given to the store); all of them remembered in the cache."""
        assert self.embedder is not None
        wanted = list(dict.fromkeys(texts))
        with self._lock:  # take the cached vectors now: inserting may evict them
            known = {t: self._cache[t] for t in wanted if t in self._cache}
            for t in known:
                self._cache.move_to_end(t)
        missing = [t for t in wanted if t not in known]
        if missing and self.store is not None:
            known.update(self.store.lookup(missing))
        todo = [t for t in missing if t not in known]
        if todo:
            encoded = dict(zip(todo, self.embedder.embed_documents(todo), strict=True))
            known.update(encoded)
            if self.store is not None:
                self.store.save(encoded)
        with self._lock:
            for text in missing:
                self._cache[text] = known[text]
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return known

    def _with_vectors(self, p: Prepared) -> Prepared:
        assert self.embedder is not None
        ctx_texts = [c.text for c in p.context_sentences]
        answer_texts = [s.text for s in p.sentences]
        # One batch for everything no cache knows: the answer's sentences and the passages'.
        known = self._vectors(answer_texts + ctx_texts)
        ctx = np.array([known[t] for t in ctx_texts], dtype=np.float32).reshape(
            len(ctx_texts), self.embedder.dim
        )
        sent_vecs = np.array([known[t] for t in answer_texts], dtype=np.float32).reshape(
            len(answer_texts), self.embedder.dim
        )
        return replace(
            p,
            question_vec=self.embedder.embed_query(p.question) if p.question.strip() else None,
            answer_vec=_unit(sent_vecs.mean(axis=0)),
            sentence_vecs=sent_vecs,
            context_vecs=ctx,
            sim=sent_vecs @ ctx.T
            if len(ctx_texts)
            else np.zeros((len(answer_texts), 0), dtype=np.float32),
        )


def _unit(vec: np.ndarray) -> np.ndarray:
    """``vec`` scaled to length 1 (the answer's vector: the mean of its sentences')."""
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else vec
