"""The offline classifier: TF-IDF word and character n-grams plus concept features,
logistic regression.

Language-aware in the simplest way that works on a thousand-odd messages: the message's
language is a token of its own (``__fr__``), so the model can weigh words per language
while character n-grams carry what French and English share (``harcel``/``harass``).
The text is normalised first (accents folded, chat abbreviations spelt out), and the
concepts of :mod:`coach.handoff.lexicon` found in it ("the learner's pay", "a health
condition", "asking for a person", and pairs such as "I" + "a condition") are binary
features of their own, so wording the training set never used still carries its concept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from coach.handoff.data import LabelledMessage
from coach.handoff.lexicon import concept_tokens
from coach.handoff.normalise import normalise

_SEP = "\x1f"  # between a document's text and its concept tokens


def _doc(text: str, lang: str) -> str:
    clean = normalise(text)
    return f"__{lang}__ {clean}{_SEP}{concept_tokens(clean)}"


def _text_part(doc: str) -> str:
    return doc.split(_SEP, 1)[0]


def _concept_part(doc: str) -> str:
    return doc.split(_SEP, 1)[1]


class SignalClassifier:
    """Probabilities per label for a learner message (scikit-learn estimator conventions).

    Args:
        c: inverse regularisation strength of the logistic regression.
        char_ngrams: range of character n-gram lengths (within word boundaries).
        seed: random state (the solver is deterministic; kept for the contract).
    """

    def __init__(
        self,
        *,
        c: float = 8.0,
        char_ngrams: tuple[int, int] = (2, 5),
        concepts: float = 0.3,
        seed: int = 0,
    ):
        self.c = c
        self.char_ngrams = char_ngrams
        self.concepts = concepts
        self.seed = seed

    def fit(
        self, texts: Sequence[str], langs: Sequence[str], labels: Sequence[str]
    ) -> SignalClassifier:
        """Learn from ``texts`` (with their languages) and their labels; returns ``self``."""
        parts: list[tuple[str, object]] = [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=_text_part, ngram_range=(1, 2), sublinear_tf=True, min_df=1
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=_text_part,
                    analyzer="char_wb",
                    ngram_range=self.char_ngrams,
                    sublinear_tf=True,
                ),
            ),
        ]
        if self.concepts:
            parts.append(
                (
                    "concepts",
                    CountVectorizer(preprocessor=_concept_part, token_pattern=r"\S+", binary=True),
                )
            )
        features = FeatureUnion(
            parts,
            transformer_weights={"concepts": self.concepts} if self.concepts else None,
        )
        pipeline = Pipeline(
            [
                ("features", features),
                (
                    "model",
                    LogisticRegression(
                        C=self.c,
                        class_weight="balanced",
                        solver="newton-cg",
                        max_iter=500,
                        random_state=self.seed,
                    ),
                ),
            ]
        )
        docs = [_doc(t, lang) for t, lang in zip(texts, langs, strict=True)]
        # One BLAS thread: on a busy 2-core machine more threads make the solver 5-10x slower.
        with threadpool_limits(1):
            self.pipeline_ = pipeline.fit(docs, list(labels))
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
