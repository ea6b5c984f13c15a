"""Key terms and their definitions, found in course text by plain patterns (EN and FR).

What becomes a question: a defined term (``**term**: …``, "X is a …", "X refers to …",
"X désigne …", a Markdown definition list), or, when a passage defines nothing, a salient
word of the passage (frequent here, rare elsewhere) in a sentence that says something
about it. Each finding keeps the sentence it came from: that sentence is the cloze, the
explanation and the evidence the validator checks the answer against.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coach.quizzes.text import contains_phrase, fold, in_code, sentences, strip_markup, words
from retrieval.stopwords import BY_LANGUAGE
from retrieval.types import Citation

TERM = r"(?:\*\*)?(?P<term>[\w’'\-]+(?:\s+[\w’'\-]+){0,3})(?:\*\*)?"
_LEAD_EN = r"^(?:(?:Technically|In Python|In general|Formally|In programming|In finance|Simply put|In short),\s+)?"
_LEAD_FR = r"^(?:(?:En pratique|En résumé|Concrètement|Autrement dit),\s+)?"
_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "en": [
        re.compile(
            _LEAD_EN + r"(?:(?P<art>An?|The)\s+)?" + TERM + r"\s+(?:is|are)\s+"
            r"(?P<def>(?:a|an|the|any|one|when|how|what|used to)\s+.{8,})$",
            re.IGNORECASE,
        ),
        re.compile(
            _LEAD_EN + r"(?:(?P<art>An?|The)\s+)?" + TERM + r"\s+(?:refers to|means|is defined as|"
            r"denotes|is called|describes)\s+(?P<def>.{8,})$",
            re.IGNORECASE,
        ),
    ],
    "fr": [
        re.compile(
            _LEAD_FR
            + r"(?:(?P<art>Une?|Les?|La)\s+|(?P<elided>L['’]))?"
            + TERM
            + r"\s+(?:est|sont)\s+"
            r"(?P<def>(?:une?|les?|la|l['’]|toute?s?|tous)\b\s*.{8,})$",
            re.IGNORECASE,
        ),
        re.compile(
            _LEAD_FR
            + r"(?:(?P<art>Une?|Les?|La)\s+|(?P<elided>L['’]))?"
            + TERM
            + r"\s+(?:désigne|signifie|"
            r"correspond à|se définit comme|consiste à|consiste en)\s+(?P<def>.{8,})$",
            re.IGNORECASE,
        ),
    ],
}
_BOLD_COLON = re.compile(r"^\*\*(?P<term>[^*]{2,60}?)\*\*\s*(?:[:—–]|\s-)\s*(?P<def>.{8,})$")
_DEF_LIST = re.compile(r"(?m)^(?P<term>[^\n:]{2,50})\n:\s+(?P<def>[^\n]{8,})$")
# Subjects that are not terms: pronouns, determiners, question words.
_NOT_TERMS = frozenset(
    """this that these those it there here which what who one each another such all both
    ce cela ceci il elle ils elles on qui que quoi chaque tout tous cette cet ces celui""".split()
)
# A pronoun inside a candidate ("Protecting it", "Ask them") makes a fragment, not a term;
# matched as written, so "IT security" stays a term.
_PRONOUNS = frozenset(
    """it them they you your yours we us our he she him her
    il elle ils elles lui leur leurs vous nous""".split()
)
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_CODE_WORD = re.compile(r"[=(){}\[\]<>*/+%\"#\\]|\w\.\w|\w_\w")
_WORD = re.compile(r"[^\W\d_][\w’'\-]{3,}", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Finding:
    """A term and what the passage says about it.

    Attributes:
        term: the term as written (markup removed).
        article: its leading article in the sentence, if any ("a", "une").
        definition: what the passage says it is (empty for salient words).
        sentence: the sentence it came from (markup removed).
        chunk_id: the passage.
        kind: ``definition`` or ``salient``.
    """

    term: str
    article: str
    definition: str
    sentence: str
    chunk_id: str
    citation: Citation
    language: str
    skills: tuple[str, ...]
    kind: str = "definition"


def _clean_term(raw: str) -> str:
    return strip_markup(raw).strip(" \t,;:.«»\"'’").strip()


def _plausible_term(term: str, language: str) -> bool:
    toks = fold(term).split()
    raw = strip_markup(term).split()
    if not toks or len(toks) > 5:
        return False
    if toks[0] in _NOT_TERMS and not (raw[0].isupper() and len(raw[0]) > 1):  # "IT", not "It"
        return False
    if any(t in _PRONOUNS for t in raw):
        return False
    stop = BY_LANGUAGE.get(language, frozenset())
    return any(t not in stop and not t.isdigit() and len(t) > 2 for t in toks)


def _tidy_definition(text: str) -> str:
    text = strip_markup(text).strip()
    return text[:-1].strip() if text.endswith((".", ";")) else text


def definitions(text: str, *, language: str) -> list[tuple[str, str, str, str]]:
    """``(term, article, definition, sentence)`` found in a passage, in reading order."""
    found: list[tuple[str, str, str, str]] = []
    for entry in _DEF_LIST.finditer(text):
        term = _clean_term(entry["term"])
        if _plausible_term(term, language):
            sentence = f"{term}: {entry['def'].strip()}"
            found.append((term, "", _tidy_definition(entry["def"]), sentence))
    patterns = _PATTERNS.get(language, _PATTERNS["en"])
    for sent in sentences(text):
        if not 5 <= words(sent) <= 60:
            continue
        match: re.Match[str] | None = _BOLD_COLON.match(sent)
        art = ""
        if match is None:
            match = next((m for p in patterns if (m := p.match(sent))), None)
            if match is not None:
                art = (match["art"] or match.groupdict().get("elided") or "").strip()
        if match is None:
            continue
        term = _clean_term(match["term"])
        definition = _tidy_definition(match["def"])
        if not _plausible_term(term, language) or contains_phrase(definition, term):
            continue
        found.append((term, art, definition, strip_markup(sent)))
    return found


def salient_words(
    texts: Sequence[str], *, language: str, per_text: int = 3
) -> list[list[tuple[str, str]]]:
    """For each text, up to ``per_text`` ``(word, sentence)``: frequent here, rare elsewhere.

    The sentence is one that uses the word and is long enough to give context for a cloze.
    """
    stop = BY_LANGUAGE.get(language, frozenset())
    bags = [
        Counter(w for w in map(str.lower, _WORD.findall(strip_markup(t))) if w not in stop)
        for t in texts
    ]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(texts)
    out: list[list[tuple[str, str]]] = []
    for text, bag in zip(texts, bags, strict=True):
        bold = {w.lower() for b in _BOLD.findall(text) for w in _WORD.findall(b)}
        # A topical word recurs in its passage (or the author put it in bold).
        topical = [w for w in bag if bag[w] >= 2 or w in bold]
        ranked = sorted(topical, key=lambda w: (-bag[w] * math.log((n + 1) / df[w]), w))
        picks: list[tuple[str, str]] = []
        used: set[str] = set()
        for word in ranked:
            if len(picks) >= per_text:
                break
            if word not in bold and not _noun_like(word, text, language):
                continue
            found = _sentence_with(text, word, used)
            if found is not None:
                picks.append(found)
                used.add(found[1])
        out.append(picks)
    return out


# Words after which an English "-ing" form is a noun ("the string", "of programming").
_DETERMINERS = "a|an|the|this|that|each|every|any|one|of|your|its|their|our"
_NAME_PARTICLES = frozenset("van von de da di du der den le la del".split())


def _noun_like(word: str, text: str, language: str) -> bool:
    """Whether a salient word can stand as a term, not a verb form or an adverb ("using",
    "typed", "accidentally"), judged without a tagger from its ending and its neighbours."""
    if language == "fr":
        return not (word.endswith("ment") and len(word) > 6)
    if word.endswith("ly") and len(word) > 4:
        return False
    if word.endswith("ed") and len(word) > 4:
        return False
    # a noun somewhere in the passage: right after a determiner ("the string", "a
    # variable"); a proper noun keeps its capital mid-sentence
    determined = rf"(?i)\b(?:{_DETERMINERS})\s+{re.escape(word)}\b"
    proper = re.search(rf"(?<![.!?]\s)(?<!^)\b{re.escape(word.capitalize())}\b", text)
    return re.search(determined, text) is not None or proper is not None


def _sentence_with(text: str, word: str, used: set[str]) -> tuple[str, str] | None:
    """``(word as written, sentence)``: a readable sentence using the word once, not at its
    start, not inside code and not as part of a name ("Guido van Rossum")."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    for sent in sentences(text):
        clean = strip_markup(sent)
        if sent in used or clean in used or not readable(clean):
            continue
        found = pattern.findall(clean)
        if len(found) != 1 or pattern.match(clean):
            continue
        m = pattern.search(clean)
        assert m is not None
        if in_code(clean, m.start(), m.end()) or _in_name(clean, m.start(), m.end()):
            continue
        return m.group(0), clean
    return None


def _in_name(sentence: str, start: int, end: int) -> bool:
    """Whether a capitalised word sits in a run of capitalised words or after a particle."""
    if not sentence[start : start + 1].isupper():
        return False
    before = sentence[:start].split()
    after = sentence[end:].split()
    prev = before[-1] if before else ""
    nxt = after[0] if after else ""
    return (
        prev.lower() in _NAME_PARTICLES
        or (prev[:1].isupper() and not prev.endswith((".", ":")))
        or nxt[:1].isupper()
    )


def readable(sentence: str) -> bool:
    """A whole, plain sentence: capitalised, ends with a full stop, 8–40 words, not code."""
    n = words(sentence)
    if not 8 <= n <= 40 or not sentence[:1].isupper() or not sentence.endswith("."):
        return False
    if sentence.lower().startswith(("by the end of this", "à la fin de ce")):
        return False
    if sentence.count("(") != sentence.count(")") or sentence.count('"') % 2:
        return False  # prose run into a code sample or a table
    codeish = sum(1 for w in sentence.split() if _CODE_WORD.search(w))
    return codeish <= n // 8
