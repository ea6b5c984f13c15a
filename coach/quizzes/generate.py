"""Offline question generation: defined terms and salient words become cited items.

No model writes anything here. A passage's definitions (see :mod:`coach.quizzes.terms`)
become a multiple-choice "which term is described" item, a cloze of the defining sentence,
a true/false statement (false ones swap in another term of the course) and a short-answer
"what is X?" with the definition as reference. Passages that define nothing give clozes
of a salient word. Distractors are other terms found in the same scope (plus an optional
wider ``pool``, e.g. the whole course) that the embedder puts close to the answer but not
too close: near-synonyms would make a second correct answer.

Items are spread over passages round-robin and over kinds (the least used kind first);
the same seed gives the same quiz.
"""

from __future__ import annotations

import random
import re
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from coach.quizzes.items import BLANK, KINDS, Difficulty, ItemKind, Option, QuizItem, Source
from coach.quizzes.phrases import phrase
from coach.quizzes.terms import Finding, definitions, salient_words
from coach.quizzes.text import content_tokens, fold, in_code, is_code
from retrieval.embedding import Embedder
from retrieval.search import META_SECTIONS
from retrieval.types import Citation


class Passage(Protocol):
    """What generation needs of a passage (a :class:`~retrieval.types.SearchHit` or Chunk)."""

    @property
    def chunk_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def citation(self) -> Citation: ...
    @property
    def language(self) -> str: ...
    @property
    def skills(self) -> tuple[str, ...]: ...


class QuizGenerator(ABC):
    """Makes up to ``n`` items from passages; ``name`` is what items record as generator."""

    name: str

    @abstractmethod
    def generate(
        self, passages: Sequence[Passage], n: int, *, seed: int = 0, pool: Sequence[Passage] = ()
    ) -> list[QuizItem]:
        """Items drawn from ``passages`` (distractors may come from ``pool`` too)."""


@dataclass(frozen=True, slots=True)
class OfflineConfig:
    """Offline generation settings.

    Attributes:
        kinds: kinds to make (in tie-break order).
        n_options: options of a multiple-choice item (3 or 4; fewer distractors: 3).
        distractor_max_similarity: cosine above which a term is a near-synonym, not a distractor.
        distractor_min_similarity: cosine below which a term is too unrelated to tempt.
        max_definition_words: longer definitions are not quoted in stems.
    """

    kinds: tuple[ItemKind, ...] = KINDS
    n_options: int = 4
    distractor_max_similarity: float = 0.8
    distractor_min_similarity: float = 0.05
    max_definition_words: int = 35


Maker = Callable[[], QuizItem | None]


class OfflineGenerator(QuizGenerator):
    """Classical question generation from the passages' own sentences.

    Args:
        embedder: ranks distractors by similarity to the answer.
        config: generation settings.
    """

    name = "offline"

    def __init__(self, embedder: Embedder, config: OfflineConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or OfflineConfig()
        self._vectors: dict[str, np.ndarray] = {}
        self._pool_cache: tuple[tuple[str, ...], list[list[Finding]]] | None = None

    def generate(
        self, passages: Sequence[Passage], n: int, *, seed: int = 0, pool: Sequence[Passage] = ()
    ) -> list[QuizItem]:
        """Up to ``n`` items, spread across passages and kinds, deterministic for a seed."""
        findings = find_terms(passages)
        ids = {p.chunk_id for p in passages}
        extra = [f for fs in self._pool_terms(pool) for f in fs if f.chunk_id not in ids]
        terms = _TermSpace(self._embed_terms, [f for fs in findings for f in fs] + extra)
        rng = random.Random(seed)
        order = list(range(len(passages)))
        rng.shuffle(order)
        queues = {i: list(findings[i]) for i in order}
        used_terms: set[str] = set()
        counts: Counter[str] = Counter({k: 0 for k in self.config.kinds})
        items: list[QuizItem] = []
        while len(items) < n and any(queues.values()):
            for i in order:
                if len(items) >= n:
                    break
                item = self._next_item(queues[i], terms, used_terms, counts, rng)
                if item is not None:
                    items.append(item)
                    counts[item.kind] += 1
        return items

    def _pool_terms(self, pool: Sequence[Passage]) -> list[list[Finding]]:
        """Terms of the distractor pool (the same pool for every module of a course: cached)."""
        key = tuple(p.chunk_id for p in pool)
        if self._pool_cache is None or self._pool_cache[0] != key:
            self._pool_cache = (key, find_terms(pool))
        return self._pool_cache[1]

    def _embed_terms(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            if len(self._vectors) > 50_000:
                self._vectors.clear()
            self._vectors.update(zip(missing, self.embedder.embed_documents(missing), strict=True))
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _next_item(
        self,
        queue: list[Finding],
        terms: _TermSpace,
        used: set[str],
        counts: Counter[str],
        rng: random.Random,
    ) -> QuizItem | None:
        while queue:
            finding = queue.pop(0)
            key = fold(finding.term)
            if key in used:
                continue
            makers = self._makers(finding, terms, rng)
            for kind in sorted(makers, key=lambda k: (counts[k], rng.random())):
                item = makers[kind]()
                if item is not None:
                    used.add(key)
                    return item
        return None

    def _makers(self, f: Finding, terms: _TermSpace, rng: random.Random) -> dict[str, Maker]:
        cfg = self.config
        makers: dict[str, Maker] = {}
        if "cloze" in cfg.kinds:
            makers["cloze"] = lambda: _cloze(f)
        if "mcq" in cfg.kinds:
            makers["mcq"] = lambda: _mcq(f, terms.distractors(f, cfg, rng), cfg)
        if "true_false" in cfg.kinds:
            makers["true_false"] = lambda: _true_false(
                f, [d for d in terms.distractors(f, cfg, rng) if _fits(f, terms.finding(d))], rng
            )
        if "short_answer" in cfg.kinds and f.kind == "definition":
            makers["short_answer"] = lambda: _short_answer(f, cfg)
        return makers


def find_terms(passages: Sequence[Passage]) -> list[list[Finding]]:
    """Definitions of each passage, or its salient words when it defines fewer than two."""
    out: list[list[Finding]] = []
    by_lang: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_lang.setdefault(p.language, []).append(i)
    salient: dict[int, list[tuple[str, str]]] = {}
    for lang, idx in by_lang.items():
        picks = salient_words([passages[i].text for i in idx], language=lang)
        salient.update(zip(idx, picks, strict=True))
    for i, p in enumerate(passages):
        if p.citation.section_title.strip().lower() in META_SECTIONS:
            out.append([])  # objectives and summaries restate; quiz the teaching sections
            continue
        skills = tuple(p.skills) or (p.citation.module_id,)
        found = [
            Finding(term, art, definition, sentence, p.chunk_id, p.citation, p.language, skills)
            for term, art, definition, sentence in definitions(p.text, language=p.language)
        ]
        if len(found) < 2:
            found += [
                Finding(
                    word, "", "", sentence, p.chunk_id, p.citation, p.language, skills, "salient"
                )
                for word, sentence in salient[i]
            ]
        out.append(found)
    return out


class _TermSpace:
    """Every term found in scope, embedded once, for choosing distractors."""

    def __init__(
        self, embed: Callable[[list[str]], np.ndarray], findings: Sequence[Finding]
    ) -> None:
        seen: dict[str, Finding] = {}
        for f in findings:
            seen.setdefault(fold(f.term), f)
        self.keys = sorted(seen)
        self.findings = [seen[k] for k in self.keys]
        texts = [f.term for f in self.findings]
        self.vectors = embed(texts)
        self.row = {k: i for i, k in enumerate(self.keys)}

    def finding(self, term: str) -> Finding | None:
        """Where a term of the space was found."""
        row = self.row.get(fold(term))
        return None if row is None else self.findings[row]

    def distractors(self, f: Finding, cfg: OfflineConfig, rng: random.Random) -> list[str]:
        """Up to ``n_options - 1`` plausible wrong terms for ``f``, most similar first."""
        key = fold(f.term)
        if key not in self.row:
            return []
        sims = self.vectors @ self.vectors[self.row[key]]
        # Terms defined side by side (a list of rights, of principles) are the same kind.
        bonus = np.array([0.15 if o.chunk_id == f.chunk_id else 0.0 for o in self.findings])
        code = is_code(f.term)
        ranked: list[str] = []
        taken = {_singular(key)}
        for j in np.argsort(-(sims + bonus), kind="stable"):
            other = self.findings[int(j)]
            okey = self.keys[int(j)]
            if okey == key or okey in key or key in okey or other.language != f.language:
                continue
            if _singular(okey) in taken:
                continue  # "operator" beside "operators": one option, written twice
            if is_code(other.term) != code or other.kind != f.kind:
                continue
            if not cfg.distractor_min_similarity <= sims[j] <= cfg.distractor_max_similarity:
                continue
            if _mentions(f.sentence, other.term):
                continue  # the passage itself uses it: it may well be true too
            ranked.append(other.term)
            taken.add(_singular(okey))
        # Keep the most plausible, with a little seeded variety among the top ones.
        top = ranked[: cfg.n_options + 1]
        rng.shuffle(top)
        return sorted(top[: cfg.n_options - 1], key=ranked.index)


_DETERMINED = r"(?i)\b(?:a|an|the|this|each|every|any|of|your|its|their)\s+(?:[\w-]+\s+)?"


def _fits(f: Finding, other: Finding | None) -> bool:
    """Whether ``other`` can replace ``f``'s term in its sentence and still read as a
    sentence: same number, same capitalisation (mid-sentence), and, for salient words that
    may be any part of speech, a noun where it was found ("the team", not "write")."""
    if other is None:
        return False
    a, b = fold(f.term), fold(other.term)
    if (_singular(a) != a) != (_singular(b) != b):
        return False
    if not f.sentence.lower().startswith(f.term.lower()) and (
        f.term[:1].isupper() != other.term[:1].isupper()
    ):
        return False
    if other.kind == "salient":
        return re.search(_DETERMINED + re.escape(other.term) + r"\b", other.sentence) is not None
    return True


def _mentions(text: str, term: str) -> bool:
    """Whether ``text`` uses ``term``, singular or plural ("docstring" in "Docstrings …")."""
    key = re.escape(_singular(fold(term)))
    return re.search(rf"(?<!\w){key}(?:e?s)?(?!\w)", fold(text)) is not None


def _singular(key: str) -> str:
    """A folded term without an English plural ending (for comparing terms, not display)."""
    if len(key) > 4 and key.endswith("es") and key[-3] in "sxz":
        return key[:-2]
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


def _source(f: Finding) -> Source:
    return Source.from_citation(f.chunk_id, f.citation)


def _blank(sentence: str, term: str) -> str | None:
    """The sentence with the term blanked, unless the term sits inside code there."""
    pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
    m = pattern.search(sentence)
    if m is None or in_code(sentence, m.start(), m.end()):
        return None
    return sentence[: m.start()] + BLANK + sentence[m.end() :]


def _variants(f: Finding) -> tuple[str, ...]:
    out = {f.term.lower()}
    if f.article:
        out.add(f"{f.article} {f.term}".lower().replace("' ", "'").replace("’ ", "’"))
    if " " not in f.term and f.term.isalpha():
        out.add(f.term[:-1].lower() if f.term.endswith("s") else f"{f.term}s".lower())
    return tuple(sorted(out - {f.term.lower()}))


def _item(f: Finding, kind: ItemKind, stem: str, answer: str, **kw: object) -> QuizItem:
    difficulty: Difficulty = kw.pop("difficulty", "medium")  # type: ignore[assignment]
    return QuizItem(
        kind=kind,
        stem=stem,
        answer=answer,
        explanation=f.sentence,
        source=_source(f),
        skills=f.skills,
        generator="offline",
        difficulty=difficulty,
        language=f.language,
        **kw,  # type: ignore[arg-type]
    )


def _cloze(f: Finding) -> QuizItem | None:
    stem = _blank(f.sentence, f.term)
    if stem is None:
        return None
    return _item(f, "cloze", stem, f.term, accepted=_variants(f))


def _mcq(f: Finding, distractors: list[str], cfg: OfflineConfig) -> QuizItem | None:
    if len(distractors) < 2:
        return None
    lang = f.language
    if f.kind == "definition" and len(f.definition.split()) <= cfg.max_definition_words:
        stem = phrase(lang, "mcq_term", definition=f.definition)
    else:
        cloze = _blank(f.sentence, f.term)
        if cloze is None:
            return None
        stem = phrase(lang, "mcq_cloze", cloze=cloze)
    texts = [f.term, *distractors[: cfg.n_options - 1]]
    # Options in a stable order that does not give the answer away: sorted by text.
    options = tuple(Option(text=t, correct=(t == f.term)) for t in sorted(texts, key=str.lower))
    difficulty: Difficulty = "easy" if len(options) == 3 else "medium"
    return _item(f, "mcq", stem, f.term, options=options, difficulty=difficulty)


def _true_false(f: Finding, distractors: list[str], rng: random.Random) -> QuizItem | None:
    lang = f.language
    statement = f.sentence
    truth = rng.random() < 0.5 or not distractors
    if not truth:
        swapped = re.sub(
            rf"(?:(?<!\w)(?P<art>[Aa]n?)\s+)?(?<!\w){re.escape(f.term)}(?!\w)",
            lambda m: _swap(m, distractors[0], lang),
            statement,
            count=1,
            flags=re.IGNORECASE,
        )
        if swapped == statement:
            return None
        statement = swapped
    options = (
        Option(text=phrase(lang, "true"), correct=truth),
        Option(text=phrase(lang, "false"), correct=not truth),
    )
    answer = phrase(lang, "true" if truth else "false")
    return _item(
        f,
        "true_false",
        phrase(lang, "tf", statement=statement),
        answer,
        options=options,
        difficulty="easy",
    )


def _swap(match: re.Match[str], replacement: str, language: str) -> str:
    """The distractor in place of the term, its English article agreeing ("an escape")."""
    art = match["art"]
    term = match.group(0)[len(art) :].strip() if art else match.group(0)
    new = _same_case(term, replacement) if not art else replacement
    if art and language == "en":
        article = "an" if replacement[:1].lower() in "aeiou" else "a"
        return f"{article.capitalize() if art[0].isupper() else article} {new}"
    return f"{art} {new}" if art else new


def _same_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _short_answer(f: Finding, cfg: OfflineConfig) -> QuizItem | None:
    if not f.definition or len(f.definition.split()) > cfg.max_definition_words * 2:
        return None
    lang = f.language
    if f.article and lang == "en":
        stem = phrase(lang, "short_art", article=f.article.lower(), term=f.term)
    else:
        stem = phrase(lang, "short", term=f.term)
    key_terms = key_terms_of(f.definition, lang)
    return _item(f, "short_answer", stem, f.definition, key_terms=key_terms, difficulty="hard")


def key_terms_of(text: str, language: str, limit: int = 4) -> tuple[str, ...]:
    """The longest content words of a reference answer (what a good answer should use)."""
    stems = content_tokens(text, language)
    found: list[str] = []
    for word in re.findall(r"[^\W\d_][\w’'\-]+", text):
        low = word.lower()
        if len(low) > 3 and low not in found and content_tokens(low, language) & stems:
            found.append(low)
    return tuple(sorted(found, key=lambda w: (-len(w), found.index(w)))[:limit])
