"""Reading an admin question offline: its language, dates, names and intent.

Dates are found first (and masked), then the organisation's names, then the intent is
classified on the question with every name replaced by its kind, so the classifier learns
phrasing, not people. Questions asking for secrets or trying to override the rules are
recognised before anything else and refused."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from coach.admin.dates import DateMatch, DateParseError, DateRange, find_dates
from coach.admin.entities import Entities, Gazetteer, norm
from coach.admin.intents import Guess, IntentClassifier, mask, token
from retrieval.language import detect

SECRETS = re.compile(
    r"\b(tokens?|jetons?|passwords?|mots? de passe|api[ _-]?keys?|cl[eé]s? d'api|secrets?|jwt|"
    r"system prompt|prompt syst[eè]me|tes instructions|your instructions|credentials|"
    r"identifiants|bearer)\b",
    re.IGNORECASE,
)
OVERRIDE = re.compile(
    r"\b(ignore|ignorez|oublie|oubliez|disregard|bypass|contourne|override)\b.{0,40}"
    r"\b(instructions?|rules?|r[eè]gles?|consignes?|confirmation|guard)|"
    r"\b(without|sans)\b.{0,30}\b(confirm\w*|asking|demander|validation)|"
    r"\b(i|je)\b.{0,20}\b(authori[sz]e|autorise)\b|"
    r"\b(delete|supprime[rz]?|efface[rz]?|drop)\b.{0,30}\b(all|tous|toutes|tout|every)\b",
    re.IGNORECASE,
)
GROUP_BY = {
    "team": re.compile(r"\b(by|per|par|for each|pour chaque) (team|equipe)s?\b"),
    "role": re.compile(r"\b(by|per|par) (role|job|metier|poste|fonction)s?\b"),
}
NEXT = re.compile(r"\b(next|upcoming|prochaine?s?|a venir)\b")
LAST = re.compile(r"\b(last|latest|previous|most recent|derniere?s?|precedente?)\b")
ABSENT = re.compile(r"\b(absent|no show|no-show|not there|didn t attend|pas venue?|pas present)")
COUNT = re.compile(r"\b(how many|combien|number of|nombre d|nombre de|nb|count of|total of)\b")
NEGATED = re.compile(
    r"\b(not|n t|haven t|hasn t|didn t|pas|sans|missing|manquante?s?|without|yet to|non)\b"
)
PASS = re.compile(r"\b(pass|passed|passing|reussite|reussi|reussis)\b")
ELEARNING = re.compile(r"\b(course|cours|e learning|elearning|module|en ligne|online)\b")
LIVE = re.compile(
    r"\b(sessions?|workshops?|ateliers?|class|classe|clinic|seance|presentiel|in person)\b"
)
WAITLIST = re.compile(
    r"\b(waiting list|wait list|waitlist|waitlisted|liste d attente|en attente)\b"
)
TEAM_WORD = re.compile(r"\b(team|equipe|reports|collaborateurs|n 1)\b")


@dataclass
class Reading:
    """What one question asks, as far as it could be read."""

    question: str
    language: str
    masked: str
    guess: Guess | None
    entities: Entities
    dates: list[DateRange] = field(default_factory=list)
    date_error: DateParseError | None = None
    refusal: Literal["secrets", "override"] | None = None
    group_by: Literal["team", "role"] | None = None
    ordinal: Literal["next", "last"] | None = None
    absent: bool = False
    team_word: bool = False
    count: bool = False  # "how many": a number, not a list
    waitlist: bool = False  # about the waiting list
    negated: bool = False  # "who has NOT signed"
    passing: bool = False  # "pass rate" rather than the average score
    modality: Literal["e-learning", "live"] | None = None  # "the Python course" / "session"

    @property
    def intent(self) -> str:
        return self.guess.intent if self.guess else "out_of_scope"


def language_of(question: str, hint: str | None = None) -> str:
    """``en`` or ``fr`` (the request's hint wins)."""
    if hint in ("en", "fr"):
        return hint
    return detect(question, languages=("en", "fr")) or "en"


def read_question(
    question: str,
    *,
    gazetteer: Gazetteer,
    classifier: IntentClassifier,
    today: date,
    language: str | None = None,
) -> Reading:
    """Dates, names, intent and modifiers of one question."""
    lang = language_of(question, language)
    masked_dates, dates, error = _mask_dates(question, today)
    entities = gazetteer.find(masked_dates)
    text = entities.text
    refusal: Literal["secrets", "override"] | None = None
    if SECRETS.search(question):
        refusal = "secrets"
    elif OVERRIDE.search(question):
        refusal = "override"
    spans = [(m.span[0], m.span[1], m.kind) for m in _best_spans(entities)]
    masked = mask(text, spans)
    guess = classifier.guess(masked) if refusal is None else None
    return Reading(
        question=question,
        language=lang,
        masked=masked,
        guess=guess,
        entities=entities,
        dates=dates,
        date_error=error,
        refusal=refusal,
        group_by=next((k for k, rx in GROUP_BY.items() if rx.search(text)), None),
        ordinal="next" if NEXT.search(text) else "last" if LAST.search(text) else None,
        absent=bool(ABSENT.search(text)),
        team_word=bool(TEAM_WORD.search(text)),
        count=bool(COUNT.search(text)),
        waitlist=bool(WAITLIST.search(text)),
        negated=bool(NEGATED.search(text)),
        passing=bool(PASS.search(text)),
        modality="live" if LIVE.search(text) else "e-learning" if ELEARNING.search(text) else None,
    )


def _mask_dates(question: str, today: date) -> tuple[str, list[DateRange], DateParseError | None]:
    try:
        found: list[DateMatch] = find_dates(question, today=today)
    except DateParseError as err:
        start, end = err.span
        return f"{question[:start]} {token('date')} {question[end:]}", [], err
    out, at = [], 0
    for m in found:
        out += [question[at : m.start], f" {token('date')} "]
        at = m.end
    out.append(question[at:])
    return "".join(out), [m.range for m in found], None


def _best_spans(entities: Entities) -> list:
    """Non-overlapping matches, longest and best first (``Marie Dupont`` over ``Marie``)."""
    chosen: list = []
    ranked = sorted(entities.found, key=lambda m: (-(m.span[1] - m.span[0]), -m.score))
    for m in ranked:
        if all(m.span[1] <= c.span[0] or m.span[0] >= c.span[1] for c in chosen):
            chosen.append(m)
    return chosen


__all__ = ["Reading", "language_of", "norm", "read_question"]
