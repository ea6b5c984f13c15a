"""Naming topics: key phrases by class-based TF-IDF, and an optional one-line LLM label.

Each topic's questions are one document; a phrase scores high when frequent in that topic
and rare in the others of the same run (``sublinear_tf``; words and two-word phrases, with
French and English stop words and the words that frame a question rather than say what it
is about). The LLM sees only the key phrases and a few representative questions (never
who asked) and returns one line; any failure keeps the key phrases.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from coach.llm import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt
from retrieval.stopwords import BY_LANGUAGE, QUERY_FRAME

log = logging.getLogger(__name__)

# Words of learners' questions that say "I am asking", not what about.
ASKING = frozenset(
    """
    explain explained explains tell know need want get use using used work works mean means
    meaning please thanks hello hi something anything way ways difference differences
    expliquer explique expliquez dire savoir besoin veux voudrais faut peut peux dois
    utiliser utilise fonctionne marche signifie veut bonjour merci chose choses façon
    comment pourquoi quand combien quoi est-ce
    """.split()
)
STOP = sorted(set().union(*BY_LANGUAGE.values(), *QUERY_FRAME.values(), ASKING))
LABEL_CHARS = 120


def key_phrases(groups: Sequence[Sequence[str]], *, top: int = 3) -> list[list[str]]:
    """The ``top`` most distinctive phrases of each group of questions (same order)."""
    docs = [" ".join(g) for g in groups]
    if not any(d.strip() for d in docs):
        return [[] for _ in groups]
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words=STOP,
        sublinear_tf=True,
        token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
    )
    try:
        matrix = vectorizer.fit_transform(docs)
    except ValueError:  # nothing but stop words
        return [[] for _ in groups]
    vocab = vectorizer.get_feature_names_out()
    out: list[list[str]] = []
    for row in matrix.toarray():
        chosen: list[str] = []
        for j in np.argsort(-row):
            if row[j] <= 0 or len(chosen) == top:
                break
            phrase = str(vocab[j])
            # a word already inside a chosen phrase (or containing one) adds nothing
            if any(phrase in c.split() or c in phrase.split() for c in chosen):
                continue
            chosen.append(phrase)
        out.append(chosen)
    return out


def llm_label(
    model: ChatModel, *, phrases: Sequence[str], examples: Sequence[str], language: str
) -> str | None:
    """A one-line label from the chat model, or None when it fails or says nothing usable."""
    prompt = load_prompt("insight_label").render(
        language="French" if language == "fr" else "English",
        phrases=", ".join(phrases) or "-",
        examples="\n".join(f"- {_escape(e)}" for e in examples),
    )
    try:
        reply = model.complete(
            [ChatMessage("system", prompt.system), ChatMessage("user", prompt.user)]
        )
    except LLMError as err:
        log.warning("topic label: %s", err)
        return None
    line = next((x for x in reply.splitlines() if x.strip()), "")
    line = re.sub(r"^(label|libellé)\s*:\s*", "", line.strip(), flags=re.I).strip(" \"'*`.")
    return line[:LABEL_CHARS] or None


def _escape(text: str) -> str:
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
