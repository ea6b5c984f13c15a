"""Offline intent classification of admin questions: TF-IDF (words and character n-grams)
and logistic regression, trained on coach/admin/intents.yaml with names masked, so that
"Marie Dupont's team" and "l'équipe de Luc" look alike to it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from coach.admin.entities import norm

TRAINING = Path(__file__).with_name("intents.yaml")
PLACEHOLDER = re.compile(r"\{(item|session|team|manager|person|role|skill|date)\}")
DATA_INTENTS = (
    "seats",
    "roster",
    "attendance",
    "overdue",
    "completion",
    "progression",
    "quiz",
    "engagement",
    "backlog",
)
ACTION_INTENTS = ("enrol", "remind", "mark_attendance", "cancel_session")


# What the classifier sees a name as: a skill reads like a course ("quizzes on pandas" and
# "quizzes on Python for analysts" ask the same thing), part of a team name like a team.
SAME = {"skill": "item", "team_part": "team"}


def token(kind: str) -> str:
    """The word a masked name becomes (``x item x`` would split; ``xitemx`` stays one)."""
    return f"x{SAME.get(kind, kind)}x"


def mask(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` (normalised) with each (start, end, kind) span replaced by its token."""
    out, at = [], 0
    for start, end, kind in sorted(spans):
        if start < at:
            continue
        out += [text[at:start], f" {token(kind)} "]
        at = end
    out.append(text[at:])
    return " ".join("".join(out).split())


def training_set(path: Path = TRAINING) -> tuple[list[str], list[str]]:
    """(masked questions, intents) of the training file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts, labels = [], []
    for intent, questions in data.items():
        for q in questions:
            texts.append(norm(PLACEHOLDER.sub(lambda m: f" {token(m.group(1))} ", q)))
            labels.append(intent)
    return texts, labels


@dataclass(frozen=True)
class Guess:
    """The classifier's best intents, most likely first, with probabilities."""

    ranked: list[tuple[str, float]]

    @property
    def intent(self) -> str:
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        return self.ranked[0][1]


class IntentClassifier:
    """Words + character n-grams TF-IDF and a logistic regression (scikit-learn rules:
    hyper-parameters in ``__init__``, ``fit`` returns ``self``, learned state ends in ``_``)."""

    def __init__(self, *, C: float = 20.0) -> None:
        self.C = C

    def fit(self, texts: list[str], labels: list[str]) -> IntentClassifier:
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
            ]
        )
        self.pipeline_ = Pipeline(
            [("features", features), ("model", LogisticRegression(C=self.C, max_iter=2000))]
        )
        self.pipeline_.fit(texts, labels)
        self.vocabulary_ = sorted({w for t in texts for w in t.split() if len(w) >= 5})
        return self

    def spell(self, masked: str) -> str:
        """Long words the training questions never use, replaced by the closest one they do
        when it is close enough ("compeltion" → "completion")."""
        known = set(self.vocabulary_)
        out = []
        for w in masked.split():
            if len(w) >= 6 and w not in known and not w.startswith("x"):
                best = process.extractOne(w, self.vocabulary_, scorer=fuzz.ratio, score_cutoff=80)
                w = best[0] if best else w
            out.append(w)
        return " ".join(out)

    def guess(self, masked: str) -> Guess:
        probs = self.pipeline_.predict_proba([self.spell(masked)])[0]
        classes = self.pipeline_.classes_
        ranked = sorted(zip(classes, probs, strict=True), key=lambda p: -p[1])
        return Guess([(str(c), float(p)) for c, p in ranked])


@cache
def default_classifier() -> IntentClassifier:
    """The classifier trained on the shipped question set (once per process)."""
    return IntentClassifier().fit(*training_set())
