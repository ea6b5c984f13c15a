"""The lexical side of hybrid search: language-aware, code-aware BM25 sparse vectors.

Documents get BM25 term-frequency weights here; the inverse document frequency is
applied by the index itself (Qdrant's ``IDF`` modifier on the sparse vector), so the
same vectors work in the embedded engine and on a Qdrant server.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from retrieval.stopwords import BY_LANGUAGE, QUERY_FRAME

# Bump when tokenisation changes: stored sparse vectors must then be rebuilt.
ANALYZER_VERSION = 2

_SNOWBALL = {"en": "english", "fr": "french", "de": "german", "es": "spanish", "it": "italian"}

# Words (letters/digits, with inner apostrophes dropped), identifiers and code operators.
_TOKEN = re.compile(
    r"[^\W_]+(?:_+[^\W_]+)*"  # words and snake_case identifiers
    r"|==|!=|<=|>=|\+=|-=|\*=|/=|//|\*\*|->|%|<<|>>"  # operators that carry meaning in code
    r"|(?<=[\w'\")\]] )[*+/<>](?= ?[\w'\"(\[])"  # binary operators between operands
)
# Literal kinds in code: a question about '50' * 3 is about strings and numbers.
_LITERALS = (
    (re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])"), "lit:float"),
    (re.compile(r"(?<!\w)(['\"])[^'\"\n]{0,40}\1(?!\w)"), "lit:str"),
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class SparseVector:
    """Sparse vector as parallel index/value lists (what Qdrant stores)."""

    indices: list[int]
    values: list[float]

    def __len__(self) -> int:
        return len(self.indices)


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    name = _SNOWBALL.get(language)
    return Stemmer.Stemmer(name) if name else None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def raw_tokens(text: str) -> list[str]:
    """Split text into lowercase word, identifier and operator tokens.

    Identifiers keep their full form and add their parts (``max_len`` → ``max_len``,
    ``max``, ``len``; ``readLines`` → ``readlines``, ``read``, ``lines``).
    """
    text = _fold(text)
    out: list[str] = [kind for pattern, kind in _LITERALS for _ in pattern.finditer(text)]
    for match in _TOKEN.finditer(text):
        tok = match.group(0)
        parts = [p for p in tok.split("_") if p]
        camel = _CAMEL.split(tok) if not tok.islower() and not tok.isupper() else [tok]
        out.append(tok.lower())
        if len(parts) > 1:
            out.extend(p.lower() for p in parts)
        elif len(camel) > 1:
            out.extend(p.lower() for p in camel)
    return out


def analyze(text: str, language: str, *, drop: frozenset[str] = frozenset()) -> list[str]:
    """Tokens of ``text`` with stop words removed and stems applied for ``language``."""
    stop = BY_LANGUAGE.get(language, frozenset()) | drop
    stemmer = _stemmer(language)
    toks = [t for t in raw_tokens(text) if t not in stop]
    if stemmer is None:
        return toks
    return [stemmer.stemWord(t) if t.isalpha() else t for t in toks]


def token_id(token: str) -> int:
    """Stable 31-bit id of a token (crc32: fast, and collisions are negligible here)."""
    return zlib.crc32(token.encode("utf-8")) & 0x7FFFFFFF


class BM25Encoder:
    """Turns text into BM25 sparse vectors; IDF comes from the index.

    Args:
        k1: term-frequency saturation.
        b: document-length normalisation.
        avg_len: expected document length in tokens (after stop words).
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, avg_len: float = 120.0) -> None:
        self.k1 = k1
        self.b = b
        self.avg_len = avg_len

    @property
    def fingerprint(self) -> str:
        """Identifies what the stored document vectors depend on."""
        return f"bm25-v{ANALYZER_VERSION}-{self.k1}-{self.b}-{self.avg_len}"

    def encode_document(self, text: str, language: str) -> SparseVector:
        """BM25 term-frequency weights of a passage."""
        toks = analyze(text, language)
        counts = Counter(token_id(t) for t in toks)
        norm = self.k1 * (1 - self.b + self.b * len(toks) / self.avg_len)
        idx = sorted(counts)
        return SparseVector(
            indices=idx, values=[counts[i] * (self.k1 + 1) / (counts[i] + norm) for i in idx]
        )

    def encode_query(self, text: str, languages: Sequence[str]) -> SparseVector:
        """A query vector: weight 1 per distinct term, stemmed for each candidate language.

        A query whose language is uncertain is analysed once per language; a stem that
        means nothing in the other language simply matches nothing.
        """
        ids: set[int] = set()
        for lang in languages:
            frame = QUERY_FRAME.get(lang, frozenset())
            ids.update(token_id(t) for t in analyze(text, lang, drop=frame))
        idx = sorted(ids)
        return SparseVector(indices=idx, values=[1.0] * len(idx))


def vocabulary(texts: Iterable[str], language: str) -> Counter[str]:
    """Document frequency of analysed terms (for diagnostics and tests)."""
    df: Counter[str] = Counter()
    for text in texts:
        df.update(set(analyze(text, language)))
    return df
