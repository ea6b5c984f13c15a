"""How rare each analysed term is in the indexed passages (document frequencies per language).

The coverage gate weighs a question's terms by their rarity in the courses: a question whose
rare, specific words are missing from the passages is less covered than one missing only a
word the courses use everywhere. Terms are analysed as the lexical side analyses them (stop
words dropped, stems for the language), over each passage's section title and text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from retrieval.lexical import analyze


@dataclass(frozen=True, slots=True)
class TermStats:
    """Passages per language and, per language, how many passages hold each term."""

    docs: Mapping[str, int] = field(default_factory=dict)
    df: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    @classmethod
    def from_passages(cls, passages: Iterable[tuple[str, str]]) -> TermStats:
        """Count ``(text, language)`` passages (pass the section title with the text)."""
        docs: Counter[str] = Counter()
        df: dict[str, Counter[str]] = {}
        for text, language in passages:
            docs[language] += 1
            df.setdefault(language, Counter()).update(set(analyze(text, language)))
        return cls(dict(docs), df)

    def idf(self, term: str, language: str) -> float:
        """BM25's inverse document frequency (Qdrant's): ~0.1 for a term in nearly every
        passage, ln(2n + 2) for one in none of the ``n`` passages of that language."""
        n = self.docs.get(language, 0)
        df = self.df.get(language, {}).get(term, 0)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def __bool__(self) -> bool:
        return any(self.docs.values())
