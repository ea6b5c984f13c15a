"""Language detection for documents and queries (offline, py3langid)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

SUPPORTED = ("en", "fr")


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    return ident


def detect(
    text: str, *, languages: Sequence[str] = SUPPORTED, min_confidence: float = 0.0
) -> str | None:
    """Return the most likely language of ``text`` among ``languages``.

    Returns None when the text has no letters or the best guess is below
    ``min_confidence`` (short queries are often ambiguous).
    """
    sample = text[:4000]
    if not any(ch.isalpha() for ch in sample):
        return None
    if len(languages) == 1:
        return languages[0]
    lang, prob = _identifier(tuple(languages)).classify(sample)
    return str(lang) if float(prob) >= min_confidence else None
