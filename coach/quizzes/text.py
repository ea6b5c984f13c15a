"""Text helpers shared by generation, validation and grading: normalising, tokens, sentences."""

from __future__ import annotations

import re
import unicodedata

from retrieval.chunking import split_sentences
from retrieval.lexical import analyze

_MARKUP = re.compile(r"\*\*|__|`")
_SPACE = re.compile(r"\s+")
_CODE = re.compile(r"[=(){}\[\]<>*/+%\"#]|(?<!\w)'|'(?!\w)|\w\.\w|\w_\w")
DIGIT = re.compile(r"\d")
CODE_KEYWORDS = frozenset(
    "return print raise if elif while for in not and or import def class yield del".split()
)
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


def option_key(text: str) -> str:
    """What two options must share to be the same option: one-token options (values,
    identifiers) and code compare case-sensitively; prose ignores case and a full stop."""
    spaced = " ".join(text.split())
    if is_code(spaced) or DIGIT.search(spaced):
        return spaced
    if " " not in spaced:
        return spaced.rstrip(".")
    return " ".join(strip_markup(spaced).split()).casefold().rstrip(".")


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Spans of ``phrase`` in ``text`` as whole tokens, ignoring case and spacing."""
    parts = [re.escape(p) for p in strip_markup(phrase).split()]
    if not parts:
        return []
    pattern = r"\s*".join(parts)
    pattern = (r"(?<!\w)" if parts[0][:1].isalnum() else "") + pattern
    pattern += r"(?!\w)" if phrase.strip()[-1:].isalnum() else ""
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def in_code(text: str, start: int, end: int) -> bool:
    """Whether the span sits inside code: an operator, call or keyword right next to it."""
    before, after = text[:start].rstrip(), text[end:].lstrip()
    prev_word = before.split()[-1] if before.split() else ""
    if prev_word in CODE_KEYWORDS:
        return True
    if before and before[-1] in "=+-*/%<>:[{\"'":
        return True
    if before.endswith(",") and before.count("(") + before.count("[") > before.count(
        ")"
    ) + before.count("]"):
        return True  # an argument or item inside brackets, not a prose comma
    if before.endswith("(") and len(before) > 1 and (before[-2].isalnum() or before[-2] == "_"):
        return True
    return bool(after) and after[0] in "=+-*/%<>,:]}\"'("
