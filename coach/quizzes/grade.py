"""Grading and hints.

Multiple-choice and true/false answers are graded exactly; cloze answers by normalised
text, accepted variants and light typo tolerance (rapidfuzz); short answers by meaning
(embedding similarity to the reference) and key-term coverage, with a confidence, or by a
chat model with the ``quiz_grade`` rubric when one is given (strict JSON, and the offline
grade whenever the model fails). Feedback explains and cites the passage. :func:`hint`
gives guiding hints that never contain the answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rapidfuzz import fuzz

from coach.llm.base import ChatMessage, ChatModel, LLMError
from coach.prompts import load_prompt
from coach.quizzes.items import BLANK, QuizItem
from coach.quizzes.phrases import phrase
from coach.quizzes.text import contains_phrase, content_tokens, fold, is_code, norm, words
from coach.responders.blocks import escape, language_name
from retrieval.embedding import Embedder
from retrieval.types import Citation

Response = int | str


@dataclass(frozen=True, slots=True)
class GradingConfig:
    """Short-answer and typo settings.

    Attributes:
        typo_ratio: least rapidfuzz ratio (0–100) for a cloze answer with a typo.
        typo_min_chars: shorter answers (and code, numbers) must match exactly.
        sim_floor: cosine counted as no similarity at all.
        sim_ceiling: cosine counted as full similarity.
        coverage_weight: share of key-term coverage in a short answer's score.
        pass_score: least score of a correct short answer.
    """

    typo_ratio: float = 85.0
    typo_min_chars: int = 5
    sim_floor: float = 0.25
    sim_ceiling: float = 0.8
    coverage_weight: float = 0.4
    pass_score: float = 0.55


@dataclass(frozen=True, slots=True)
class Grade:
    """The verdict on one answer.

    Attributes:
        correct: whether it counts as right (what mastery tracking records).
        score: 0–1 (exact kinds: 0 or 1).
        confidence: how sure the grader is (1 for exact matches; lower near a threshold).
        feedback: what to show the learner, with the passage cited.
        citation: the passage the item comes from.
        method: ``exact``, ``variant``, ``typo``, ``semantic`` or ``llm:MODEL``.
        details: the numbers behind a short-answer grade, and any LLM fallback reason.
    """

    correct: bool
    score: float
    confidence: float
    feedback: str
    citation: Citation
    method: str
    details: dict[str, object] = field(default_factory=dict)


def grade(
    item: QuizItem,
    response: Response,
    *,
    embedder: Embedder | None = None,
    rubric: LLMRubric | None = None,
    passage: str | None = None,
    config: GradingConfig | None = None,
) -> Grade:
    """Grade a learner's answer: an option index or text, the cloze words, or free text.

    Short answers need ``embedder`` for the similarity part (without it: key terms only,
    at low confidence); with ``rubric`` a chat model grades them, ``passage`` as evidence.
    """
    cfg = config or GradingConfig()
    if item.kind in ("mcq", "true_false"):
        return _grade_choice(item, response)
    text = str(response).strip()
    if item.kind == "cloze":
        return _grade_cloze(item, text, cfg)
    offline = _grade_short(item, text, embedder, cfg)
    if rubric is None or not text:
        return offline
    return rubric.grade(item, text, passage=passage, offline=offline)


def _grade_choice(item: QuizItem, response: Response) -> Grade:
    chosen = _chosen_index(item, response)
    right = chosen is not None and chosen == item.correct_index
    parts = [phrase(item.language, "correct" if right else "wrong")]
    if chosen is not None and item.options[chosen].feedback:
        parts.append(item.options[chosen].feedback)
    if not right:
        parts.append(phrase(item.language, "expected", answer=item.correct_text))
    return _verdict(item, right, 1.0 if right else 0.0, 1.0, "exact", parts)


def _chosen_index(item: QuizItem, response: Response) -> int | None:
    if isinstance(response, int) and not isinstance(response, bool):
        return response if 0 <= response < len(item.options) else None
    text = norm(str(response))
    for i, option in enumerate(item.options):
        if norm(option.text) == text:
            return i
    letters = "abcdefgh"
    if len(text) == 1 and text in letters[: len(item.options)]:
        return letters.index(text)
    return None


def _grade_cloze(item: QuizItem, text: str, cfg: GradingConfig) -> Grade:
    expected = [item.answer, *item.accepted]
    method = ""
    score = 0.0
    if any(norm(text) == norm(e) for e in expected):
        method, score = "exact", 1.0
    elif any(fold(text) == fold(e) for e in expected):
        method, score = "variant", 1.0
    else:
        best = max(
            (fuzz.ratio(fold(text), fold(e)) for e in expected if _typo_ok(e, cfg)), default=0.0
        )
        if best >= cfg.typo_ratio:
            method, score = "typo", best / 100
    right = bool(method)
    parts = [phrase(item.language, "correct" if right else "wrong")]
    if method != "exact":
        parts.append(phrase(item.language, "expected", answer=item.answer))
    confidence = 1.0 if method in ("exact", "variant", "") else score
    return _verdict(item, right, score, confidence, method or "exact", parts)


def _typo_ok(expected: str, cfg: GradingConfig) -> bool:
    folded = fold(expected)
    return len(folded) >= cfg.typo_min_chars and not is_code(expected) and not folded.isdigit()


def _grade_short(item: QuizItem, text: str, embedder: Embedder | None, cfg: GradingConfig) -> Grade:
    coverage, missing = key_term_coverage(item, text)
    sim = 0.0
    if embedder is not None and text:
        vecs = embedder.embed_documents([text, item.answer])
        sim = float(vecs[0] @ vecs[1])
    scaled = min(max((sim - cfg.sim_floor) / (cfg.sim_ceiling - cfg.sim_floor), 0.0), 1.0)
    w = cfg.coverage_weight if embedder is not None else 1.0
    score = (1 - w) * scaled + w * coverage if text else 0.0
    right = score >= cfg.pass_score
    # Far from the pass mark is sure; a short or embedder-less answer less so.
    confidence = min(1.0, 0.5 + abs(score - cfg.pass_score) * 2)
    if embedder is None or words(text) < 3:
        confidence *= 0.6
    if not text:
        confidence = 1.0
    lang = item.language
    parts = [phrase(lang, "correct" if right else ("partly" if score >= 0.3 else "wrong"))]
    if missing and not right:
        parts.append(phrase(lang, "missing", terms=", ".join(missing)))
    parts.append(phrase(lang, "reference", answer=item.answer))
    details: dict[str, object] = {"similarity": round(sim, 3), "coverage": round(coverage, 3)}
    return _verdict(item, right, round(score, 3), round(confidence, 3), "semantic", parts, details)


def key_term_coverage(item: QuizItem, text: str) -> tuple[float, list[str]]:
    """Share of the item's key terms the answer uses (stems, small typos), and the missing."""
    if not item.key_terms:
        return 0.0, []
    said = content_tokens(text, item.language)
    folded = fold(text).split()
    missing = []
    for term in item.key_terms:
        stems = content_tokens(term, item.language)
        if stems and stems <= said:
            continue
        if any(fuzz.ratio(fold(term), w) >= 85 for w in folded if len(w) > 3):
            continue
        missing.append(term)
    return 1 - len(missing) / len(item.key_terms), missing


def _verdict(
    item: QuizItem,
    right: bool,
    score: float,
    confidence: float,
    method: str,
    parts: list[str],
    details: dict[str, object] | None = None,
) -> Grade:
    if item.explanation and item.kind != "short_answer":
        parts.append(item.explanation)
    citation = item.source.citation
    parts.append(phrase(item.language, "see", where=citation.breadcrumb or citation.source_path))
    return Grade(right, score, confidence, " ".join(parts), citation, method, details or {})


class RubricReply(BaseModel):
    """The grading model's reply."""

    model_config = ConfigDict(extra="forbid", strict=True)

    score: float = Field(ge=0, le=1)
    correct: bool
    feedback: str = Field(min_length=1)


class LLMRubric:
    """Short answers graded by a chat model with the ``quiz_grade`` prompt.

    Args:
        chat_model: the model.
        max_attempts: calls per answer at most (an invalid reply is retried once by default).
    """

    def __init__(self, chat_model: ChatModel, *, max_attempts: int = 2) -> None:
        self.chat_model = chat_model
        self.max_attempts = max_attempts
        self.prompt = load_prompt("quiz_grade")

    def grade(self, item: QuizItem, response: str, *, passage: str | None, offline: Grade) -> Grade:
        """The model's grade, or ``offline`` (with the reason in details) when it fails."""
        rendered = self.prompt.render(
            language=language_name(item.language),
            question=escape(item.stem),
            reference=escape(item.answer),
            key_terms=escape(", ".join(item.key_terms) or "(none)"),
            passage=escape(passage or item.explanation or item.answer),
            response=escape(response),
        )
        messages = [ChatMessage("system", rendered.system), ChatMessage("user", rendered.user)]
        reason = ""
        for _ in range(self.max_attempts):
            try:
                raw = "".join(self.chat_model.stream(messages)).strip()
            except LLMError as exc:
                reason = f"llm_error: {exc}"
                break
            try:
                reply = RubricReply.model_validate_json(_unfence(raw))
            except ValidationError as exc:
                reason = "invalid_output"
                messages += [
                    ChatMessage("assistant", raw),
                    ChatMessage("user", f"Not valid: {escape(str(exc)[:200])}. JSON only."),
                ]
                continue
            see = phrase(item.language, "see", where=item.source.citation.breadcrumb)
            return Grade(
                reply.correct,
                reply.score,
                0.8,
                f"{reply.feedback} {see}",
                item.source.citation,
                f"llm:{self.chat_model.name}",
                {"offline_score": offline.score},
            )
        return Grade(
            offline.correct,
            offline.score,
            offline.confidence,
            offline.feedback,
            offline.citation,
            offline.method,
            {**offline.details, "llm_fallback": reason},
        )


def _unfence(text: str) -> str:
    match = re.match(r"^```(?:json)?\s*\n(.*)\n```$", text.strip(), re.DOTALL)
    return match.group(1) if match else text.strip()


def hint(item: QuizItem, level: int = 1) -> str:
    """A guiding hint (levels 1–3, each more specific) that never contains the answer."""
    lang = item.language
    level = min(max(level, 1), 3)
    cite = item.source
    candidates = []
    if level >= 3:
        candidates.append(_narrowing_hint(item))
    if level >= 2:
        candidates.append(_guiding_question(item))
    candidates.append(phrase(lang, "hint_1", section=cite.section_title, module=cite.module_title))
    for text in candidates:
        if text and not reveals(text, item):
            return text
    return phrase(lang, "hint_2_tf") if item.kind == "true_false" else _generic(lang)


def _generic(language: str) -> str:
    return (
        "Relisez le passage d'où vient la question : quelle phrase y répond ?"
        if language == "fr"
        else "Reread the passage this question comes from: which sentence answers it?"
    )


def reveals(text: str, item: QuizItem) -> bool:
    """Whether a hint would give the answer away (it contains it, or an accepted variant)."""
    if item.kind == "true_false":
        return bool(re.search(r"\b(?:true|false|vrai|faux)\b", text, re.IGNORECASE))
    if item.kind == "short_answer":
        return contains_phrase(text, item.answer)
    return any(
        contains_phrase(text, a) or (len(fold(a)) > 3 and fold(a) in fold(text))
        for a in (item.correct_text, item.answer, *item.accepted)
        if a.strip()
    )


def _guiding_question(item: QuizItem) -> str:
    lang = item.language
    if item.kind == "true_false":
        return phrase(lang, "hint_2_tf")
    if item.kind == "mcq" and item.explanation:
        masked = re.sub(
            rf"(?<!\w){re.escape(item.correct_text)}(?!\w)",
            BLANK,
            item.explanation,
            flags=re.IGNORECASE,
        )
        if BLANK in masked and masked not in item.stem:
            return f"“{masked}”"
    stem_words = [
        w
        for w in re.findall(r"[^\W\d_]{5,}", item.stem.replace(BLANK, " "))
        if not contains_phrase(item.correct_text, w)
    ]
    topic = max(stem_words, key=len) if stem_words else item.source.section_title
    return phrase(lang, "hint_2", topic=f"“{topic}”")


def _narrowing_hint(item: QuizItem) -> str:
    lang = item.language
    if item.kind == "mcq":
        wrong = [o.text for i, o in enumerate(item.options) if i != item.correct_index]
        if not wrong:
            return ""
        pick = int(hashlib.blake2b(item.id.encode(), digest_size=2).hexdigest(), 16)
        return phrase(lang, "hint_3_mcq", wrong=wrong[pick % len(wrong)])
    if item.kind == "cloze":
        letters = sum(c.isalnum() for c in item.answer)
        return phrase(lang, "hint_3_cloze", n_words=words(item.answer), n_letters=letters)
    if item.kind == "short_answer":
        return phrase(lang, "hint_3_short", n_terms=max(len(item.key_terms), 1))
    return phrase(lang, "hint_3_tf")
