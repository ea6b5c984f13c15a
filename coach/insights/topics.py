"""Grouping recorded questions into topics: embeddings, clustering, names, ranking.

Questions are grouped per course scope and language first (a French and an English
question are never one topic: the label and the examples must read in one language), then
clustered by their sentence embeddings with agglomerative clustering (average linkage,
cosine distance) cut at ``distance_threshold``, so the number of topics follows the data
(``bench.insights`` chose the threshold on a tuning split of real questions and reports the
held-out figure). Each topic gets key phrases (:mod:`coach.insights.naming`), up to
``examples`` representative questions (the closest to its centre, distinct texts), the
module most often found nearest, and a rank by distinct learners weighted by recency.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from coach.insights.naming import key_phrases

DISTANCE_THRESHOLD = 0.575
"""Cosine distance at which clusters stop merging: chosen by ``bench.insights`` on the tune
split of finance-book's questions with MiniLM (adjusted Rand index against the chapters
peaks at 0.575-0.625 and falls to 0.16 at 0.75; bench/results/insights-python-finance.json)."""
HALF_LIFE_DAYS = 30.0


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """One recorded question as the topics job sees it."""

    id: str
    text: str
    language: str
    learner: str
    """Only counted (distinct learners), never shown."""
    asked_at: datetime
    course_id: str | None = None
    nearest: tuple[str | None, str | None, str | None] = (None, None, None)
    """``(course_id, module_id, title)`` of the closest module found for it."""


@dataclass(slots=True)
class Topic:
    """A group of questions with what L&D sees of it."""

    course_id: str | None
    language: str
    question_ids: list[str]
    key_phrases: list[str]
    label: str
    learners: int
    questions: int
    last_asked: datetime
    score: float
    examples: list[str]
    nearest: dict[str, str | None] | None = None
    extra: dict[str, object] = field(default_factory=dict)


class TopicClusterer:
    """Agglomerative clustering of unit vectors with an automatic number of clusters.

    Follows scikit-learn's estimator rules: ``__init__`` stores hyper-parameters only,
    ``fit`` returns ``self`` and sets ``labels_``.

    Args:
        distance_threshold: cosine distance (1 - cosine) above which clusters stay apart.
        linkage: ``average`` (default) or ``complete``/``single``.
    """

    def __init__(
        self, *, distance_threshold: float = DISTANCE_THRESHOLD, linkage: str = "average"
    ) -> None:
        self.distance_threshold = distance_threshold
        self.linkage = linkage

    def fit(self, vectors: np.ndarray) -> TopicClusterer:
        n = len(vectors)
        if n < 2:
            self.labels_ = np.zeros(n, dtype=int)
            return self
        model = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage=self.linkage,
            distance_threshold=self.distance_threshold,
        )
        self.labels_ = model.fit_predict(vectors)
        return self


def recency_weight(last: datetime, now: datetime, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """1.0 for a topic asked today, 0.5 after one half-life, 0.25 after two..."""
    days = max((now - last).total_seconds() / 86400, 0.0)
    return float(0.5 ** (days / half_life_days))


def build_topics(
    questions: Sequence[AskedQuestion],
    embed: Callable[[list[str]], np.ndarray],
    *,
    now: datetime | None = None,
    distance_threshold: float = DISTANCE_THRESHOLD,
    examples: int = 3,
) -> list[Topic]:
    """Group questions per course scope and language into named topics, best ranked first.

    Args:
        questions: recorded questions (any order).
        embed: texts → unit vectors (one row each), e.g. ``embedder.embed_documents``.
        now: the ranking's reference time (default: now, UTC).
        distance_threshold: see :class:`TopicClusterer`.
        examples: representative questions kept per topic.
    """
    now = now or datetime.now(UTC)
    groups: dict[tuple[str | None, str], list[AskedQuestion]] = {}
    for q in questions:
        groups.setdefault((q.course_id, q.language), []).append(q)
    clusters: list[tuple[str | None, str, list[AskedQuestion], np.ndarray]] = []
    for (course, lang), members in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
        vectors = np.asarray(embed([q.text for q in members]), dtype=np.float32)
        labels = TopicClusterer(distance_threshold=distance_threshold).fit(vectors).labels_
        for label in sorted(set(labels.tolist())):
            idx = [i for i, lab in enumerate(labels) if lab == label]
            clusters.append((course, lang, [members[i] for i in idx], vectors[idx]))
    # key phrases are distinctive against the other topics of the same language
    phrases: list[list[str]] = [[] for _ in clusters]
    for lang in {c[1] for c in clusters}:
        at = [i for i, c in enumerate(clusters) if c[1] == lang]
        found = key_phrases([[q.text for q in clusters[i][2]] for i in at])
        for i, names in zip(at, found, strict=True):
            phrases[i] = names
    topics = [
        _topic(course, lang, members, vecs, phrases[i], now, examples)
        for i, (course, lang, members, vecs) in enumerate(clusters)
    ]
    return sorted(topics, key=lambda t: (-t.score, -t.learners, t.label))


def _topic(
    course: str | None,
    lang: str,
    members: list[AskedQuestion],
    vectors: np.ndarray,
    phrases: list[str],
    now: datetime,
    examples: int,
) -> Topic:
    centre = vectors.mean(axis=0)
    order = np.argsort(-(vectors @ centre), kind="stable")
    shown: list[str] = []
    for i in order:
        text = " ".join(members[int(i)].text.split())
        if text.lower() not in {s.lower() for s in shown}:
            shown.append(text)
        if len(shown) == examples:
            break
    learners = len({q.learner for q in members})
    last = max(q.asked_at for q in members)
    nearest = Counter(q.nearest for q in members if q.nearest[1] is not None).most_common(1)
    return Topic(
        course_id=course,
        language=lang,
        question_ids=[q.id for q in members],
        key_phrases=phrases,
        label=", ".join(phrases) or shown[0][:80],
        learners=learners,
        questions=len(members),
        last_asked=last,
        score=round(learners * recency_weight(last, now), 4),
        examples=shown,
        nearest=(
            dict(zip(("course_id", "module_id", "title"), nearest[0][0], strict=True))
            if nearest
            else None
        ),
    )
