"""Gradient-boosted trees as plain JSON-able arrays, evaluated without scikit-learn.

scikit-learn fits the ensemble (``HistGradientBoostingClassifier`` on numeric features);
the fitted trees are copied out once so that the service can store them as JSON and score
one attempt in pure Python (a few hundred node visits), or many at once with numpy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

_FIELDS = ("feature", "threshold", "left", "right", "value", "leaf", "missing_left")


@dataclass(frozen=True)
class Tree:
    """One regression tree: node ``i`` sends ``x`` left when ``x[feature[i]] <= threshold[i]``."""

    feature: list[int]
    threshold: list[float]
    left: list[int]
    right: list[int]
    value: list[float]
    leaf: list[bool]
    missing_left: list[bool]

    def score(self, x: Sequence[float]) -> float:
        i = 0
        while not self.leaf[i]:
            v = x[self.feature[i]]
            go_left = self.missing_left[i] if math.isnan(v) else v <= self.threshold[i]
            i = self.left[i] if go_left else self.right[i]
        return self.value[i]

    def score_many(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        feature, threshold = np.array(self.feature), np.array(self.threshold)
        left, right, leaf = np.array(self.left), np.array(self.right), np.array(self.leaf)
        missing_left = np.array(self.missing_left)
        node = np.zeros(len(x), dtype=np.intp)
        rows = np.arange(len(x))
        while not leaf[node].all():
            v = x[rows, feature[node]]
            go_left = np.where(np.isnan(v), missing_left[node], v <= threshold[node])
            node = np.where(leaf[node], node, np.where(go_left, left[node], right[node]))
        return np.array(self.value)[node]


@dataclass(frozen=True)
class TreeEnsemble:
    """A binary classifier: sigmoid(baseline + sum of the trees' leaf values)."""

    baseline: float
    trees: list[Tree]

    @classmethod
    def from_sklearn(cls, model: Any) -> TreeEnsemble:
        """Copy a fitted binary ``HistGradientBoostingClassifier`` (numeric features only)."""
        trees = []
        for (predictor,) in model._predictors:  # one tree per iteration for binary targets
            nodes = predictor.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            trees.append(
                Tree(
                    feature=nodes["feature_idx"].tolist(),
                    threshold=nodes["num_threshold"].tolist(),
                    left=nodes["left"].tolist(),
                    right=nodes["right"].tolist(),
                    value=nodes["value"].tolist(),
                    leaf=nodes["is_leaf"].astype(bool).tolist(),
                    missing_left=nodes["missing_go_to_left"].astype(bool).tolist(),
                )
            )
        return cls(float(np.ravel(model._baseline_prediction)[0]), trees)

    def predict_one(self, x: Sequence[float]) -> float:
        """P(positive) for one feature vector."""
        z = self.baseline + sum(t.score(x) for t in self.trees)
        return 1.0 / (1.0 + math.exp(-min(max(z, -30.0), 30.0)))

    def predict_many(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """P(positive) for each row of ``x``."""
        z = np.full(len(x), self.baseline)
        for t in self.trees:
            z += t.score_many(x)
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "trees": [{f: getattr(t, f) for f in _FIELDS} for t in self.trees],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        return cls(
            float(data["baseline"]), [Tree(**{f: t[f] for f in _FIELDS}) for t in data["trees"]]
        )
