"""Text helpers shared by generation, validation and grading: normalising, tokens, sentences."""

from __future__ import annotations

import re
import unicodedata

from retrieval.chunking import split_sentences
from retrieval.lexical import analyze

_MARKUP = re.compile(r"\*\*|__|`")
_SPACE = re.compile(r"\s+")
_CODE = re.compile(r"[=(){}\[\]<>*/+%\"#]|(?<!\w)'|'(?!\w)|\w\.\w|\w_\w")
_LIST_MARK = re.compile(r"(?:^|\s)(?:[-*+•]|\d{1,2}[.)])\s+")


def strip_markup(text: str) -> str:
    """Drop Markdown emphasis and backticks, keep the words."""
    return _MARKUP.sub("", text)


def norm(text: str) -> str:
    """Case-folded, markup-free, single-spaced, without trailing sentence punctuation."""
    text = unicodedata.normalize("NFKC", strip_markup(text)).casefold()
    return _SPACE.sub(" ", text).strip().rstrip(".!?;:, ").strip()


def fold(text: str) -> str:
    """:func:`norm` without accents or punctuation (for lenient answer matching)."""
    text = unicodedata.normalize("NFKD", norm(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACE.sub(" ", re.sub(r"[^\w\s]", " ", text)).strip()


def is_code(text: str) -> bool:
    """Whether text looks like code or a literal (operators, quotes, dotted names)."""
    return bool(_CODE.search(text))


def contains_phrase(haystack: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole tokens (after :func:`norm`)."""
    h, n = norm(haystack), norm(needle)
    if not n:
        return False
    pattern = (r"(?<!\w)" if n[0].isalnum() else "") + re.escape(n)
    pattern += r"(?!\w)" if n[-1].isalnum() else ""
    return re.search(pattern, h) is not None


def content_tokens(text: str, language: str) -> set[str]:
    """Stemmed tokens without stop words (lexical overlap and key-term coverage)."""
    return set(analyze(strip_markup(text), language))


def sentences(text: str) -> list[str]:
    """Sentences of a passage, list items split apart, markup kept."""
    out: list[str] = []
    for sent in split_sentences(text):
        out.extend(p.strip() for p in _LIST_MARK.split(sent) if p and p.strip())
    return out


def words(text: str) -> int:
    """Number of whitespace-separated words."""
    return len(text.split())
