"""The offline classifier: TF-IDF word and character n-grams, logistic regression.

Language-aware in the simplest way that works on a few hundred messages: the message's
language is a token of its own (``__fr__``), so the model can weigh words per language
while character n-grams carry what French and English share (``harcel``/``harass``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from coach.handoff.data import LabelledMessage


def _doc(text: str, lang: str) -> str:
    return f"__{lang}__ {text.lower()}"


class SignalClassifier:
    """Probabilities per label for a learner message (scikit-learn estimator conventions).

    Args:
        c: inverse regularisation strength of the logistic regression.
        char_ngrams: range of character n-gram lengths (within word boundaries).
        seed: random state (the solver is deterministic; kept for the contract).
    """

    def __init__(self, *, c: float = 8.0, char_ngrams: tuple[int, int] = (2, 5), seed: int = 0):
        self.c = c
        self.char_ngrams = char_ngrams
        self.seed = seed

    def fit(
        self, texts: Sequence[str], langs: Sequence[str], labels: Sequence[str]
    ) -> SignalClassifier:
        """Learn from ``texts`` (with their languages) and their labels; returns ``self``."""
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=self.char_ngrams, sublinear_tf=True
                    ),
                ),
            ]
        )
        self.pipeline_ = Pipeline(
            [
                ("features", features),
                (
                    "model",
                    LogisticRegression(
                        C=self.c, class_weight="balanced", max_iter=2000, random_state=self.seed
                    ),
                ),
            ]
        ).fit([_doc(t, lang) for t, lang in zip(texts, langs, strict=True)], list(labels))
        self.classes_: list[str] = [str(c) for c in self.pipeline_.classes_]
        return self

    def predict_proba(self, texts: Sequence[str], langs: Sequence[str]) -> np.ndarray:
        """One row of label probabilities per text, columns in ``classes_`` order."""
        docs = [_doc(t, lang) for t, lang in zip(texts, langs, strict=True)]
        return self.pipeline_.predict_proba(docs)

    def scores(self, text: str, lang: str) -> dict[str, float]:
        """Label → probability for one message."""
        row = self.predict_proba([text], [lang])[0]
        return {label: float(p) for label, p in zip(self.classes_, row, strict=True)}


def fit_signals(messages: Sequence[LabelledMessage], **params: object) -> SignalClassifier:
    """A signal classifier fitted on labelled messages."""
    return SignalClassifier(**params).fit(  # type: ignore[arg-type]
        [m.text for m in messages], [m.lang for m in messages], [m.signal for m in messages]
    )


def fit_subtopics(messages: Sequence[LabelledMessage], **params: object) -> SignalClassifier:
    """A subtopic classifier fitted on the sensitive messages."""
    sensitive = [m for m in messages if m.subtopic is not None]
    return SignalClassifier(**params).fit(  # type: ignore[arg-type]
        [m.text for m in sensitive],
        [m.lang for m in sensitive],
        [str(m.subtopic) for m in sensitive],
    )
