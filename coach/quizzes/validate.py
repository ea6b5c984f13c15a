"""Validation before any learner sees an item, each failed check a named reason.

Checks (reason names in quotes): the item has the shape of its kind (``structure``);
exactly one option is correct (``one_correct``); options are distinct, by normalised text
and by meaning for prose options (``distinct_options``); the correct answer is supported
by the cited passage, lexically and by embedding similarity (``answer_supported``); the
stem does not give the answer away (``answer_in_stem``); "all/none of the above" only as
the last, correct option (``all_none_above``); reading length is bounded (``too_long``);
and no two items of one quiz ask the same thing reworded (``duplicate_item``).

Thresholds are for the packaged MiniLM and were tuned on part of python-book's real
items (``bench/quiz.py`` reports the figures on the held-out part).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from coach.quizzes.items import BLANK, QuizItem
from coach.quizzes.text import (
    DIGIT,
    content_tokens,
    fold,
    in_code,
    is_code,
    occurrences,
    option_key,
    sentences,
    words,
)
from retrieval.embedding import Embedder

CHECKS = (
    "structure",
    "one_correct",
    "distinct_options",
    "answer_supported",
    "answer_in_stem",
    "all_none_above",
    "too_long",
    "duplicate_item",
)
_META_OPTION = re.compile(
    r"\b(?:all|none|both|neither) of (?:the|these|those) (?:above|answers|options)\b|"
    r"\btoutes? les réponses\b|\baucune des réponses\b|\b(?:tout|aucun) ce qui précède\b",
    re.IGNORECASE,
)
_TF_PREFIX = re.compile(r"^(?:true or false|vrai ou faux)\s*\?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ValidationConfig:
    """Validation thresholds (tuned for all-MiniLM-L6-v2 on four module folds of python-book's
    real items by ``bench/quiz.py``; the support score can be negative because of the gap
    penalty, hence a threshold below zero).

    Attributes:
        min_options: fewest options of a multiple-choice item.
        max_options: most options of a multiple-choice item.
        duplicate_option_similarity: cosine at which two prose options say the same thing.
        duplicate_option_min_words: shorter options (values, code) are compared as text only.
        support_threshold: least support score of the answer in the cited passage.
        support_weights: the support score's weight per feature (see
            :meth:`Validator.support_features`): ``dense`` the claim's best cosine with a
            window of the cited passage, ``lexical`` the share of its content words found
            there, ``gap`` by how much another source passage beats that cosine (a wrong
            citation), ``rank`` log(1 + how many passages beat it), ``topic_dense`` and
            ``topic_gap`` the same for the stem with every option (the item's topic).
        support_bias: the score's constant.
        support_min_similarity: least cosine of the claim with some window of the cited
            passage, whatever the other sources (what catches a wrong citation when the
            quiz has a single source).
        duplicate_item_similarity: cosine of two items' stem + answer above which they are
            one question.
        max_stem_words: longest stem.
        max_option_words: longest option.
        max_total_words: longest stem and options together.
    """

    min_options: int = 3
    max_options: int = 4
    duplicate_option_similarity: float = 0.94
    duplicate_option_min_words: int = 3
    support_threshold: float = -0.0919
    support_weights: tuple[tuple[str, float], ...] = (
        ("dense", 0.5),
        ("lexical", 0.5),
        ("topic_gap", -1.0),
    )
    support_bias: float = 0.0
    support_min_similarity: float = 0.1922
    duplicate_item_similarity: float = 0.9
    max_stem_words: int = 80
    max_option_words: int = 40
    max_total_words: int = 160


@dataclass(frozen=True, slots=True)
class SourcePool:
    """Window vectors of a quiz's source passages; ``owners[i]`` is window i's passage text."""

    owners: list[str]
    vectors: np.ndarray
    ids: dict[str, int] = field(init=False)
    owner_ids: np.ndarray = field(init=False)
    starts: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        ids = {t: i for i, t in enumerate(dict.fromkeys(self.owners))}
        object.__setattr__(self, "ids", ids)
        owner_ids = np.array([ids[t] for t in self.owners], dtype=np.int64)
        object.__setattr__(self, "owner_ids", owner_ids)
        # windows of one passage are contiguous: where each passage's run starts
        starts = (
            np.flatnonzero(np.r_[True, owner_ids[1:] != owner_ids[:-1]])
            if len(owner_ids)
            else np.zeros(0, dtype=np.int64)
        )
        object.__setattr__(self, "starts", starts)

    def best_per_passage(self, vector: np.ndarray) -> np.ndarray:
        """Each passage's best window cosine with ``vector``, indexed by passage id."""
        if not len(self.owner_ids):
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.vectors @ vector, self.starts)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An item that failed validation, with every reason and the scores behind them."""

    item: QuizItem
    reasons: tuple[str, ...]
    details: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Accepted items (in input order) and rejected ones with reasons."""

    accepted: list[QuizItem]
    rejected: list[Rejection]

    def reason_counts(self) -> dict[str, int]:
        """How many rejected items failed each check."""
        counts = dict.fromkeys(CHECKS, 0)
        for r in self.rejected:
            for reason in r.reasons:
                counts[reason] = counts.get(reason, 0) + 1
        return counts


class Validator:
    """Checks items against their cited passages.

    Args:
        embedder: the encoder for meaning checks (MiniLM for the shipped thresholds).
        config: thresholds.
    """

    def __init__(self, embedder: Embedder, config: ValidationConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or ValidationConfig()
        self._cache: dict[str, np.ndarray] = {}

    def validate(
        self,
        items: Sequence[QuizItem],
        sources: Mapping[str, str],
        *,
        accepted: Sequence[QuizItem] = (),
    ) -> ValidationReport:
        """Validate ``items`` as one quiz (``accepted``: items already in it).

        ``sources`` maps chunk ids to passage text; an item whose passage is missing fails
        ``answer_supported``.
        """
        keep: list[QuizItem] = []
        rejected: list[Rejection] = []
        quiz = list(accepted)
        pool = self.pool(sources)
        for item in items:
            passage = sources.get(item.source.chunk_id)
            reasons, details = self.check(item, passage, pool=pool)
            dup = self._duplicate_of(item, quiz)
            if dup is not None:
                reasons.append("duplicate_item")
                details["duplicate_similarity"] = dup
            if reasons:
                rejected.append(Rejection(item, tuple(reasons), details))
            else:
                keep.append(item)
                quiz.append(item)
        return ValidationReport(keep, rejected)

    def pool(self, sources: Mapping[str, str]) -> SourcePool:
        """Window vectors of every source passage (what a citation is compared against)."""
        texts = list(dict.fromkeys(sources.values()))
        windows = [(t, w) for t in texts for w in _windows(t)]
        vecs = self._embed([w for _, w in windows]) if windows else np.zeros((0, 1))
        return SourcePool([t for t, _ in windows], vecs)

    def check(
        self, item: QuizItem, passage: str | None, *, pool: SourcePool | None = None
    ) -> tuple[list[str], dict[str, float]]:
        """The single-item checks: failed reasons and the scores behind them."""
        reasons: list[str] = []
        details: dict[str, float] = {}
        if not self._structure_ok(item):
            reasons.append("structure")
        if item.options and item.correct_index is None:
            reasons.append("one_correct")
        if item.kind == "mcq":
            sim = self._option_overlap(item)
            details["option_similarity"] = sim
            if sim >= self.config.duplicate_option_similarity:
                reasons.append("distinct_options")
        features = self.support_features(item, passage, pool) if passage else {}
        support = self.support_score(features) if passage else float("-inf")
        dense = features.get("dense", 0.0)
        details |= {
            "support": support,
            "support_similarity": dense,
            "support_gap": features.get("gap", 1.0),
        }
        if (
            passage is None
            or support < self.config.support_threshold
            or dense < self.config.support_min_similarity
        ):
            reasons.append("answer_supported")
        if self._answer_in_stem(item):
            reasons.append("answer_in_stem")
        if not self._meta_options_ok(item):
            reasons.append("all_none_above")
        if self._too_long(item):
            reasons.append("too_long")
        return reasons, details

    # -- single checks -------------------------------------------------------------------

    def _structure_ok(self, item: QuizItem) -> bool:
        cfg = self.config
        if not item.stem.strip() or not item.answer.strip():
            return False
        if item.kind == "mcq":
            return cfg.min_options <= len(item.options) <= cfg.max_options
        if item.kind == "true_false":
            return len(item.options) == 2
        if item.kind == "cloze":
            return not item.options and BLANK in item.stem
        return not item.options

    def _option_overlap(self, item: QuizItem) -> float:
        """1.0 for options equal as written (modulo spacing, prose case and full stop), else
        the highest cosine between two prose options that are not mere reorderings."""
        texts = [o.text for o in item.options]
        keys = [option_key(t) for t in texts]
        if len(set(keys)) < len(keys):
            return 1.0
        prose = [
            t
            for t in texts
            if words(t) >= self.config.duplicate_option_min_words
            and not is_code(t)
            and not DIGIT.search(t)
        ]
        if len(prose) < 2:
            return 0.0
        vecs = self._embed(prose)
        best = 0.0
        for i in range(len(prose)):
            for j in range(i + 1, len(prose)):
                if sorted(fold(prose[i]).split()) == sorted(fold(prose[j]).split()):
                    continue  # same words reordered: a classic distractor, not a duplicate
                best = max(best, float(vecs[i] @ vecs[j]))
        return best

    def support(self, item: QuizItem, passage: str, pool: SourcePool | None = None) -> float:
        """How well the passage backs the item's claim (stem with its answer)."""
        return self.support_score(self.support_features(item, passage, pool))

    def support_score(self, features: Mapping[str, float]) -> float:
        """The configured linear score of :meth:`support_features`."""
        cfg = self.config
        return cfg.support_bias + sum(w * features.get(k, 0.0) for k, w in cfg.support_weights)

    def support_features(
        self, item: QuizItem, passage: str, pool: SourcePool | None = None
    ) -> dict[str, float]:
        """What tells a cited passage that backs the item from one that does not.

        ``dense``: best cosine of the claim (stem with answer) with a window of the passage;
        ``lexical``: share of the claim's content words in the passage; ``gap``: by how
        much the best other passage of ``pool`` beats ``dense`` (0 if none does); ``rank``:
        log(1 + how many other passages beat it); ``topic_dense`` / ``topic_gap``: the
        same for the stem with every option, what the item is about.
        """
        claim = claim_text(item)
        topic = " ".join([_TF_PREFIX.sub("", item.stem), *(o.text for o in item.options)])
        windows = _windows(passage)
        vecs = self._embed([claim, topic, *windows])
        dense = max(float(np.max(vecs[2:] @ vecs[0])), 0.0)
        topic_dense = max(float(np.max(vecs[2:] @ vecs[1])), 0.0)
        claim_tokens = content_tokens(claim, item.language)
        passage_tokens = content_tokens(passage, item.language)
        lexical = len(claim_tokens & passage_tokens) / len(claim_tokens) if claim_tokens else 0.0
        out = {
            "dense": dense,
            "lexical": lexical,
            "gap": 0.0,
            "rank": 0.0,
            "topic_dense": topic_dense,
            "topic_gap": 0.0,
        }
        if pool is not None and pool.owners:
            own = pool.ids.get(passage, -1)
            for key, vec, mine in (("", vecs[0], dense), ("topic_", vecs[1], topic_dense)):
                best = pool.best_per_passage(vec)
                others = np.delete(best, own) if 0 <= own < len(best) else best
                if len(others):
                    out[f"{key}gap"] = max(float(others.max()) - mine, 0.0)
                if not key:
                    out["rank"] = float(np.log1p(int((others > mine).sum())))
        return out

    def support_parts(
        self, item: QuizItem, passage: str, pool: SourcePool | None = None
    ) -> tuple[float, float, float]:
        """The claim's ``dense``, ``lexical`` and ``gap`` support features."""
        f = self.support_features(item, passage, pool)
        return f["dense"], f["lexical"], f["gap"]

    def _answer_in_stem(self, item: QuizItem) -> bool:
        if item.kind == "true_false":
            return False
        answer = item.correct_text
        stem = _TF_PREFIX.sub("", item.stem)
        spans = occurrences(stem, answer)
        # A value inside the stem's own code ("round(0.1, 1)") is part of the question.
        if not any(not in_code(stem, a, b) for a, b in spans):
            return False

        # Nor is it a give-away when a wrong option is written in the stem's prose too.
        def in_prose(text: str) -> bool:
            return any(
                not in_code(stem, a, b) and not any(a < e and s < b for s, e in spans)
                for a, b in occurrences(stem, text)
            )

        others = [o.text for i, o in enumerate(item.options) if i != item.correct_index]
        return not any(in_prose(o) for o in others)

    def _meta_options_ok(self, item: QuizItem) -> bool:
        meta = [i for i, o in enumerate(item.options) if _META_OPTION.search(o.text)]
        if not meta:
            return True
        return meta == [len(item.options) - 1] and item.options[meta[0]].correct

    def _too_long(self, item: QuizItem) -> bool:
        cfg = self.config
        stem = words(item.stem)
        longest = max((words(o.text) for o in item.options), default=0)
        total = stem + sum(words(o.text) for o in item.options)
        return (
            stem > cfg.max_stem_words
            or longest > cfg.max_option_words
            or (total > cfg.max_total_words)
        )

    def _duplicate_of(self, item: QuizItem, quiz: Sequence[QuizItem]) -> float | None:
        if not quiz:
            return None
        vecs = self._embed([_gist(item), *(_gist(q) for q in quiz)])
        sims = vecs[1:] @ vecs[0]
        same_sentence = any(
            q.explanation and q.explanation == item.explanation and q.kind == item.kind
            for q in quiz
        )
        best = float(sims.max())
        if best >= self.config.duplicate_item_similarity or same_sentence:
            return max(best, 1.0 if same_sentence else best)
        return None

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vec in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self._cache[text] = vec
        if len(self._cache) > 20_000:  # a long benchmark run: keep memory bounded
            self._cache = {t: self._cache[t] for t in texts}
        return np.stack([self._cache[t] for t in texts])


def claim_text(item: QuizItem) -> str:
    """What the passage must support: the stem with its answer (a true/false's true form)."""
    stem = _TF_PREFIX.sub("", item.stem)
    if item.kind == "true_false":
        return item.explanation or stem
    if item.kind == "cloze":
        return stem.replace(BLANK, item.answer)
    return f"{stem} {item.correct_text}"


def _gist(item: QuizItem) -> str:
    return f"{claim_text(item)}"


def _windows(passage: str, size: int = 40) -> list[str]:
    """Overlapping spans of about ``size`` words, plus the whole passage."""
    sents = sentences(passage) or [passage]
    out: list[str] = []
    for i in range(len(sents)):
        span = [sents[i]]
        j = i + 1
        while j < len(sents) and words(" ".join(span)) < size:
            span.append(sents[j])
            j += 1
        out.append(" ".join(span))
    out.append(passage)
    return list(dict.fromkeys(out))


def sources_of(passages: Sequence[object]) -> dict[str, str]:
    """``{chunk_id: text}`` of passages (hits or chunks), what :meth:`Validator.validate` takes."""
    return {str(getattr(p, "chunk_id")): str(getattr(p, "text")) for p in passages}  # noqa: B009
