"""The admin guide as the assistant reads it: cited answers from its passages, and a check
that a question is really about something the guide covers before answering from it.

The coach's responder decides whether passages answer a learner; admin how-tos need a
stricter door, because the guide's passages are all about admin work and so always look
somewhat related ("how do learners claim travel expenses?" finds the enrolment page). A
question is answered from the guide only when its best passage is close enough (dense and
lexical scores) and few of its content words are absent from the whole guide.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace

from coach.admin.glossary import everyday_terms, french_terms, in_english, in_guide_words
from coach.responders.base import Answer, CitationRef, Responder, ResponderInput
from retrieval.lexical import BY_LANGUAGE, analyze
from retrieval.search import Retriever, SearchFilter
from retrieval.types import SearchHit

DOC_COURSES = ("admin-docs", "admin-docs-fr")
# Everyday words that carry no topic (the stop-word lists keep only the shortest ones).
COMMON = frozenset(
    """got get gets getting want wants wanted need needs needed like would could should
    someone somebody anyone everyone people thing things way ways still also just really
    already again please thanks ok okay sure maybe yes one two three lot lots much many
    kind sort use used using make made let know tell said say says seem seems normal
    voudrais voudrait veux veut voulons peux peut peuvent puisse puissent pourrait faut
    gens quelqu chose choses faire fait quand meme deja encore merci oui non bien tout
    toute tous toutes normal normale""".split()
)
VOCABULARY_TTL = 600.0  # seconds: a re-ingested guide is picked up within ten minutes


@dataclass(frozen=True)
class Gate:
    """When the guide covers a question (measured on the tune split of bench.admin)."""

    min_dense: float = 0.5  # best passage cosine (MiniLM) ...
    min_bm25: float = 10.0  # ... or best BM25 score, one of them at least
    max_unknown: int = 2  # content words found nowhere in the guide
    unknown_dense: float = 0.55  # with 2 unknown words, the passage must be this close
    strong_bm25: float = 15.0  # lexical evidence that overrules an out-of-scope guess


@dataclass
class Docs:
    """Where the admin guide lives in the index and who writes the cited answer."""

    retriever: Retriever
    responder: Responder
    courses: tuple[str, ...] = DOC_COURSES
    k: int = 5
    sections: int = 2  # the answer quotes the best sections only, not every passage found
    see_also: float = 0.7  # a close second section not quoted is named as "see also"
    gate: Gate = field(default_factory=Gate)
    title_weight: float = 0.15  # how much a heading that says the question's words counts
    _vocabulary: tuple[float, frozenset[str]] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def vocabulary(self) -> frozenset[str]:
        """Every analysed term of the guide, stemmed both as English and as French (so a
        French question's ``exporter`` meets the English ``export``)."""
        with self._lock:
            if self._vocabulary and time.monotonic() - self._vocabulary[0] < VOCABULARY_TTL:
                return self._vocabulary[1]
        chunks = self.retriever.chunks(flt=SearchFilter(course_ids=self.courses))
        terms: set[str] = set()
        for c in chunks:
            text = f"{c.citation.module_title} {c.citation.section_title} {c.text}"
            for language in ("en", "fr"):
                terms.update(analyze(text, language))
        vocab = frozenset(terms)
        with self._lock:
            self._vocabulary = (time.monotonic(), vocab)
        return vocab

    def unknown(self, question: str, language: str) -> list[str]:
        """Content words of the question that the guide never uses."""
        vocab = self.vocabulary() | everyday_terms(question)
        vocab |= french_terms() if language == "fr" else frozenset()
        terms = [t for t in analyze(question, language, drop=COMMON) if t.isalpha() and len(t) >= 3]
        return [t for t in terms if t not in vocab]

    def clearly_covers(self, question: str, language: str) -> bool:
        """Strong lexical evidence that the guide is about this question (for questions the
        intent classifier took for out of scope): a high BM25 score and every content word
        known to the guide."""
        raw = self.retriever.candidates(question, flt=SearchFilter(course_ids=self.courses))
        strong = max(raw.bm25.values(), default=0.0) >= self.gate.strong_bm25
        return strong and not self.unknown(question, language)

    def answer(self, question: str, language: str) -> Answer | None:
        """A cited answer from the guide, or None when the guide does not cover it."""
        flt = SearchFilter(course_ids=self.courses)
        # a French question may be answered by the English half of the guide: search (and
        # judge the evidence) with the English words of its admin terms too
        # and with the guide's words for everyday ones ("waitlist", "cut-off", "wipe")
        extra = in_english(question) if language == "fr" else ""
        query = " ".join(w for w in (question, extra, in_guide_words(question)) if w)
        raw = self.retriever.candidates(query, flt=flt)
        dense = max(raw.dense.values(), default=0.0)
        bm25 = max(raw.bm25.values(), default=0.0)
        g = self.gate
        if dense < g.min_dense and bm25 < g.min_bm25:
            return None
        unknown = len(self.unknown(question, language))
        if unknown > g.max_unknown or (unknown == g.max_unknown and dense < g.unknown_dense):
            return None
        ranked = _by_heading(self.retriever.rank(raw, k=3 * self.k), query, self.title_weight)
        hits = _best_sections(ranked[: self.k], self.sections)
        inp = ResponderInput(question=question, query=question, language=language, hits=tuple(hits))
        answer = self.responder.answer(inp)
        if not (answer.covered and answer.citations):
            if not hits or hits[0].language == language:
                return None
            # the responder judges sentences in the question's language; across languages
            # the gate's evidence stands and the best section is pointed to, quoted
            answer = _pointer(hits[0], language)
        return _see_also(answer, hits, self.see_also, language)


def _title_terms(title: str) -> frozenset[str]:
    """Stems of the words of ``title`` as English and as French, stop words of both out."""
    en, fr = BY_LANGUAGE["en"], BY_LANGUAGE["fr"]
    return frozenset(analyze(title, "en", drop=fr)) | frozenset(analyze(title, "fr", drop=en))


def _by_heading(hits: list[SearchHit], query: str, weight: float) -> list[SearchHit]:
    """The passages re-ordered with their section's heading: a section whose title is made
    of the question's words ("Setting an enrolment deadline" for "the enrolment deadline")
    is the one the guide wrote for it. The score gains ``weight`` times the share of the
    heading's words the query (and its guide words) contains."""
    asked = _title_terms(query)

    def key(h: SearchHit) -> float:
        title = _title_terms(h.citation.section_title)
        return h.score + (weight * len(title & asked) / len(title) if title else 0.0)

    return sorted(hits, key=key, reverse=True)


def _best_sections(hits: list[SearchHit], n: int) -> list[SearchHit]:
    """The hits of the ``n`` best sections, best first (a how-to answer stays on topic)."""
    keep: list[tuple[str, str]] = []
    out = []
    for h in hits:
        key = (h.citation.source_path, h.citation.section_title)
        if key not in keep:
            if len(keep) == n:
                continue
            keep.append(key)
        out.append(h)
    return out


def _pointer(hit: SearchHit, language: str) -> Answer:
    """An answer that points to a section in the other language and quotes its opening."""
    quote = " ".join(hit.text.split()[:45]).rstrip(",;:") + "…"
    c = hit.citation
    lead = (
        f"La section « {c.section_title} » du guide (en anglais) répond à cette question [1] :"
        if language == "fr"
        else f"The guide's section “{c.section_title}” (in French) answers this [1]:"
    )
    ref = CitationRef(n=1, chunk_id=hit.chunk_id, citation=c, quote=hit.text)
    return Answer(
        text=f"{lead} {quote}",
        citations=(ref,),
        covered=True,
        responder="offline (guide section)",
        language=language,
    )


def _see_also(answer: Answer, hits: list[SearchHit], ratio: float, language: str) -> Answer:
    """Name the best section the answer did not quote when it scored close to the best one:
    admins often need the neighbouring procedure too."""
    cited = {(c.citation.source_path, c.citation.section_title) for c in answer.citations}
    top = hits[0].score if hits else 0.0
    extra = next(
        (
            h
            for h in hits
            if (h.citation.source_path, h.citation.section_title) not in cited
            and h.score >= ratio * top
        ),
        None,
    )
    if extra is None:
        return answer
    n = max(c.n for c in answer.citations) + 1
    ref = CitationRef(n=n, chunk_id=extra.chunk_id, citation=extra.citation, quote=extra.text)
    label = "Voir aussi" if language == "fr" else "See also"
    text = f"{answer.text}\n\n{label} [{n}] : {extra.citation.section_title}."
    if language != "fr":
        text = text.replace(f"[{n}] :", f"[{n}]:")
    return replace(answer, text=text, citations=(*answer.citations, ref))
