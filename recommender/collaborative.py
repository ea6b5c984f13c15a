"""Collaborative signal: item-item cosine similarity over co-completions, weighted by outcome.

Fitted once per catalog and history (``CoCompletion().fit(learners)``); a learner's signal
for an item is its mean similarity to what they passed. Learners without history get the
item's popularity among colleagues in the same role.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.metrics.pairwise import cosine_similarity

from recommender.model import Learner, RecordKind


class CoCompletion:
    """Item-item similarity from which items the same learners completed, and how well."""

    def __init__(self, pass_score: float = 0.6, weak_weight: float = 0.3) -> None:
        self.pass_score = pass_score
        self.weak_weight = weak_weight

    def fit(self, learners: Iterable[Learner]) -> CoCompletion:
        """Learn similarities and per-role popularity from the learners' completions."""
        index: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        role_counts: dict[str, Counter[str]] = {}
        role_sizes: Counter[str] = Counter()
        n = 0
        for learner in learners:
            done: dict[str, float] = {}
            for rec in learner.history:
                if rec.kind is RecordKind.QUIZ or rec.item_id is None:
                    continue
                ok = rec.score is None or rec.score >= self.pass_score
                if rec.kind is RecordKind.ATTENDANCE and not rec.attended:
                    continue
                done[rec.item_id] = max(done.get(rec.item_id, 0.0), 1.0 if ok else self.weak_weight)
            role = learner.role or ""
            role_sizes[role] += 1
            counts = role_counts.setdefault(role, Counter())
            for item_id, value in done.items():
                rows.append(n)
                cols.append(index.setdefault(item_id, len(index)))
                vals.append(value)
                counts[item_id] += 1
            n += 1
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(max(n, 1), max(len(index), 1)))
        sim = sparse.csr_matrix(cosine_similarity(matrix.T, dense_output=False))
        sim.setdiag(0.0)
        sim.eliminate_zeros()
        self.index_ = index
        self.similarity_ = sim
        self.popularity_ = {
            role: {item: c / role_sizes[role] for item, c in counts.items()}
            for role, counts in role_counts.items()
        }
        return self

    def signal(self, learner: Learner) -> Signal:
        """The learner's similarity to each item (and popularity in their role)."""
        seen = [
            self.index_[r.item_id]
            for r in learner.history
            if r.item_id in self.index_ and r.kind is not RecordKind.QUIZ
        ]
        pop = self.popularity_.get(learner.role or "", {})
        if not seen:
            return Signal(None, self.index_, pop)
        rows = self.similarity_[sorted(set(seen))]
        vec = np.asarray(rows.sum(axis=0)).ravel() / len(set(seen))
        return Signal(vec, self.index_, pop)


class Signal:
    """One learner's collaborative scores, looked up by item id."""

    def __init__(
        self,
        similarity: npt.NDArray[np.float64] | None,
        index: dict[str, int],
        popularity: dict[str, float],
    ) -> None:
        self.similarity = similarity
        self.index = index
        self.popularity = popularity

    def similar(self, item_id: str) -> float:
        if self.similarity is None or item_id not in self.index:
            return 0.0
        return float(self.similarity[self.index[item_id]])

    def popular(self, item_id: str) -> float:
        return self.popularity.get(item_id, 0.0)


NO_SIGNAL = Signal(None, {}, {})
