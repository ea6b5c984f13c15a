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

SECRET = (
    r"(tokens?|jetons?|passwords?|mots? de passe|api[ _-]?keys?|cl[eé]s?( secr[eè]te| d'api)?|"
    r"secrets?|jwt|credentials|identifiants|bearer|[a-z]+_[a-z_]*(key|secret|password)[a-z_]*)"
)
# Asking to be shown a secret (how to renew one's token is a fair how-to question).
SECRETS = re.compile(
    r"\b(show|give|print|paste|send|tell|reveal|display|dump|list|read out|what is|what's|"
    r"value of|montre|donne|affiche|r[eé]v[eè]le|envoie|colle|communique|quel(le)? est)\b"
    rf".{{0,40}}\b{SECRET}\b|"
    r"\b(system prompt|prompt syst[eè]me|instructions? syst[eè]me|hidden instructions|"
    r"your instructions|tes instructions|vos instructions|everything above)\b",
    re.IGNORECASE,
)
# Data the product does not hold (HR records): no answer, whatever the wording.
NOT_HELD = re.compile(
    r"\b(salar(y|ies)|salaires?|bonus(es)?|primes? annuelles?|pay ?slips?|bulletins? de paie|"
    r"performance (rating|review)s?|annual reviews?|entretiens? annuels?|notes? d entretien|"
    r"sick (leave|days?)|arr[eê]ts? maladie|home address(es)?|adresses? personnelles?|"
    r"personal (phone|mobile|number)|num[eé]ros? (perso|personnels?)|portable perso|"
    r"union (members?|reps?)|syndiqu[eé]s?)\b",
    re.IGNORECASE,
)
# Predictions: nothing the live data holds says what will happen ("most likely to quit",
# "what will the rate be in 2030", "qui risquent de ...").
PREDICTION = re.compile(
    r"\b(most likely|likely to|predict\w*|forecast\w*|projection\w*|pr[eé]vision\w*|"
    r"pr[eé]di(re|s|t|ction)\w*|pronosti\w*|risquent d\w*)\b|"
    r"\b(will|sera|seront)\b.{0,40}\b(rate|taux|percentage|pourcentage|score|average|moyenne)\b|"
    r"\b(rate|taux|percentage|pourcentage|score|average|moyenne)\b.{0,40}\b(will be|sera|seront)\b",
    re.IGNORECASE,
)
# Trying to change the rules: skip confirmation, act on everything, role-play, fake system text.
OVERRIDE = re.compile(
    r"\b(ignore|ignorez|oublie|oubliez|disregard|bypass|contourne|override|skip|saute)\b.{0,40}"
    r"\b(instructions?|rules?|r[eè]gles?|consignes?|confirm\w*|guard|step|[eé]tape)|"
    r"\b(without|sans|no need)\b.{0,40}\b(confirm\w*|asking|ask me|demander|validation)|"
    r"\b(i|je)\b.{0,30}\b(authori[sz]e|autorise)\b|"
    r"^\W*(please |now |just )?(delete|erase|supprime[rz]?|efface[rz]?|drop|wipe)\b.{0,30}"
    r"\b(all|tous|toutes|tout|every\w*)\b|"
    r"\b(pretend|fais comme si|act as if|from now on|[aà] partir de maintenant|you are now|"
    r"tu es maintenant|unrestricted|no rules|plus de r[eè]gles|maintenance mode|mode maintenance)\b|"
    r"\b(confirm\w*|confirmation)\b.{0,20}\b(disabled|off|d[eé]sactiv\w*|already clicked)\b|"
    r"\[\s*(system|syst[eè]me|message syst[eè]me)|^\W*(system|syst[eè]me)\s*:|"
    r"\b(system|admin) override\b|\boverride (enabled|active|on|activ\w*)\b|"
    r"\b(other|autres?) (organi[sz]ations?|entreprises?|clients?|companies|tenants?)\b|"
    r"\bsuper[ -]?admin|\bact as\b|\b(pretend|pose) (to be|as|que)\b",
    re.IGNORECASE,
)
GROUP_BY = {
    "team": re.compile(r"\b(by|per|par|for each|pour chaque) (team|equipe)s?\b"),
    "role": re.compile(r"\b(by|per|par) (role|job|metier|poste|fonction)s?\b"),
}
NEXT = re.compile(r"\b(next|upcoming|prochaine?s?|a venir)\b")
LAST = re.compile(r"\b(last|latest|previous|most recent|derniere?s?|precedente?)\b")
ABSENT = re.compile(
    r"\b(absent|no show|not there|didn t attend|missed|not signed|unsigned|pas venue?|"
    r"pas present|non signee?s?|pas signe|non emargee?s?|pas emargee?s?)"
)
COUNT = re.compile(
    r"\b(how many|combien|number of|nombre d|nombre de|nombre total|total number|nb|count|"
    r"total of|headcount|effectif)\b"
)
ATTEMPTS = re.compile(r"\b(attempts?|tries|tentatives?|essais?)\b")
WHO = re.compile(
    r"\b(who|whom|which (learners|people|attendees)|qui|list|liste|names?|noms?|roster|"
    r"attendee list|liste de presence)\b"
)
SIGNED_WORDS = re.compile(
    r"\b(signed|sign in|signed in|signatures?|emarge|emarges|emargements?|signe|signes|present)\b"
)
SKILL_WORD = re.compile(r"\b(skill|skills|competence|competences)\b")
# An admin's imperative: the first words say which action is asked for, whatever else follows.
ACTION_VERBS: dict[str, re.Pattern[str]] = {
    "remind": re.compile(
        r"^(please |pls |can you |could you |peux tu |pourrais tu )?(remind|nudge|chase|ping|"
        r"send (a |an )?(reminder|nudge)|relance[rz]?|envoie[rz]? (un |une )?(rappel|relance)|"
        r"rappelle[rz]?)\b|\b(please|can you|could you|merci d|peux tu) (send (a |an )?reminder|"
        r"remind|envoyer (un |une )?(rappel|relance)|relancer)\b"
    ),
    "enrol": re.compile(
        r"^(please |pls |can you |could you |peux tu |pourrais tu )?(enrol|enroll|register|"
        r"book|sign \w+( \w+)? up|inscri[rst]e?z?|ajoute[rz]?)\b"
    ),
    "mark_attendance": re.compile(
        r"^(please |pls |can you |peux tu )?(mark|marque[rz]?|note[rz]?|valide[rz]? l emargement|"
        r"corrige[rz]? l emargement)\b|\b(set|correct|fix|validate|corrige[rz]?|modifie[rz]?|"
        r"valide[rz]?|passe[rz]?) .{0,40}"
        r"\b(attendance|emargement|sign off|signature|presence)\b"
    ),
    "cancel_session": re.compile(
        r"^(please |pls |can you |peux tu )?(cancel|call off|annule[rz]?|supprime[rz]? la session)\b"
    ),
}
# A time phrase the date reader did not understand ("since the summer holidays"): ask.
VAGUE_TIME = re.compile(
    r"\b(since|depuis|after|apres|before|avant|until|jusqu a|during|pendant) (the |le |la |les |l )?"
    r"(holidays?|vacances|summer|ete|winter|hiver|spring|printemps|autumn|fall|automne|"
    r"rentree|reorg\w*|merger|fusion|easter|paques|christmas|noel)\b|"
    r"\b(haute saison|basse saison|high season|peak season|busy season|low season)\b|"
    r"\b(recently|lately|recemment|dernierement|ces temps ci|around the|autour de|"
    r"since easter|depuis paques)\b"
)
NEGATED = re.compile(
    r"\b(not|n t|haven t|hasn t|didn t|never|pas|jamais|sans|missing|manquante?s?|without|"
    r"yet to|non|no|unsigned|manque|manquent|absents?)\b"
)
PASS = re.compile(
    r"\b(pass|passed|passing|reussite|reussi|reussis)\b|\b(share|proportion|part|percentage|"
    r"pourcentage)\b.{0,60}\b(scored?|obtenu|ou plus|or more|above|au dessus)\b"
)
ELEARNING = re.compile(r"\b(course|cours|e learning|elearning|module|en ligne|online)\b")
LIVE = re.compile(
    r"\b(sessions?|workshops?|ateliers?|class|classe|clinic|seance|presentiel|in person)\b"
)
WAITLIST = re.compile(
    r"\b(waiting list|wait list|waitlist|waitlisted|liste d attente|en attente)\b"
)
HOW_FRAME = re.compile(
    r"^(how (do|does|can|should|is|are|to|long)|why|what (is|are|does|happens|counts)|when (is|does|do)|"
    r"can (i|we|learners|a learner|someone)|if |comment|pourquoi|que se passe|qu est ce|"
    r"est ce qu|peut on|puis je|quand (est|un|une)|dans quel|a quoi|quel est le (calcul|delai))"
)
NAMES = ("item", "session", "team", "manager", "person", "role", "skill")
HOW_ANYWHERE = re.compile(
    r"\b(how (do|can|should|would) (i|we|you)|how to|comment (faire|puis je|peut on|on fait))\b"
)
# What an order must name to be one ("enrol single learner session console" is a search).
TARGETS: dict[str, tuple[str, ...]] = {
    "enrol": ("person",),
    "mark_attendance": ("person",),
    "remind": ("person", "team", "team_part", "manager", "item", "session", "date"),
    "cancel_session": ("session", "item", "date"),
}
SEAT_WORDS = re.compile(
    r"\b(capacity|capacite|seats?|places?|free|libres?|room left|full|complete?)\b"
)
TIME_WORDS = re.compile(r"\b(time|minutes?|hours?|temps|heures?|duree|spent|passe)\b")
TEAM_WORD = re.compile(
    r"\b(team|equipe|reports|collaborateurs|n 1|colleagues|collegues|teammates)\b"
)


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
    refusal: Literal["secrets", "override", "scope"] | None = None
    group_by: Literal["team", "role"] | None = None
    ordinal: Literal["next", "last"] | None = None
    absent: bool = False
    team_word: bool = False
    count: bool = False  # "how many": a number, not a list
    waitlist: bool = False  # about the waiting list
    seat_words: bool = False  # capacity, seats, places
    time_words: bool = False  # minutes, hours, time spent
    how_frame: bool = False  # "how is...", "why...": a question about how things work
    how_anywhere: bool = False  # "... how do I ...?" after some context
    attempts: bool = False  # quiz attempts are counted
    who: bool = False  # a list of people is asked for
    signed_words: bool = False  # "who signed", "qui a émargé"
    skill_word: bool = False  # "the skill ...": a skill, not the course teaching it
    imperative: str | None = None  # the action the first words ask for
    vague_time: bool = False  # a time phrase the date reader did not understand
    negated: bool = False  # "who has NOT signed"
    passing: bool = False  # "pass rate" rather than the average score
    modality: Literal["e-learning", "live"] | None = None  # "the Python course" / "session"

    @property
    def commanded(self) -> bool:
        """The question is an order: an action verb, something for it to act on (a learner
        to enrol or mark, a session to cancel...), and no "how do I" anywhere."""
        if self.imperative is None or self.how_frame or HOW_ANYWHERE.search(self.entities.text):
            return False
        needs = TARGETS[self.imperative]
        return bool(self.dates and "date" in needs) or any(self.entities.of(k) for k in needs)

    @property
    def intent(self) -> str:
        if self.commanded:
            return str(self.imperative)
        return self.guess.intent if self.guess else "out_of_scope"

    def names_something(self) -> bool:
        """Whether the question names anything of the organisation, or a date."""
        return bool(self.dates) or any(self.entities.of(kind) for kind in NAMES)


def refusal_of(question: str) -> Literal["secrets", "override", "scope"] | None:
    """Why the question must be refused whatever it names: it asks to be shown a secret,
    or tries to change the rules."""
    if OVERRIDE.search(question):  # "ignore your instructions" is bending, not asking
        return "override"
    if NOT_HELD.search(question) or PREDICTION.search(question):
        return "scope"
    if SECRETS.search(question):
        return "secrets"
    return None


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
    refusal = refusal_of(question)
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
        seat_words=bool(SEAT_WORDS.search(text)),
        time_words=bool(TIME_WORDS.search(text)),
        how_frame=bool(HOW_FRAME.search(text)),
        how_anywhere=bool(HOW_ANYWHERE.search(text)),
        attempts=bool(ATTEMPTS.search(text)),
        who=bool(WHO.search(WAITLIST.sub(" ", text))),
        signed_words=bool(SIGNED_WORDS.search(text)),
        skill_word=bool(SKILL_WORD.search(text)),
        imperative=next((a for a, rx in ACTION_VERBS.items() if rx.search(text)), None),
        vague_time=bool(VAGUE_TIME.search(text)) and not dates,
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
    found = _joined_ranges(question, found)
    out, at = [], 0
    for m in found:
        out += [question[at : m.start], f" {token('date')} "]
        at = m.end
    out.append(question[at:])
    return "".join(out), [m.range for m in found], None


RANGE_OPEN = re.compile(r"\b(between|from|entre|du|de)\s+(le\s+|the\s+)?$", re.IGNORECASE)
RANGE_JOIN = re.compile(
    r"^\s*(and|to|et|au|a|à|-|–|until|jusqu au)\s+(le\s+|the\s+)?$", re.IGNORECASE
)


def _joined_ranges(question: str, found: list[DateMatch]) -> list[DateMatch]:
    """Two days read apart but written as a range ("entre le 01/09/2026 et le 15/10/2026")
    become one period."""
    out: list[DateMatch] = []
    i = 0
    while i < len(found):
        a = found[i]
        b = found[i + 1] if i + 1 < len(found) else None
        if (
            b is not None
            and RANGE_OPEN.search(question[max(0, a.start - 12) : a.start])
            and RANGE_JOIN.match(question[a.end : b.start])
            and a.range.start <= b.range.end
        ):
            text = question[a.start : b.end]
            out.append(DateMatch(DateRange(a.range.start, b.range.end, text), a.start, b.end))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _best_spans(entities: Entities) -> list:
    """Non-overlapping matches, longest and best first (``Marie Dupont`` over ``Marie``)."""
    chosen: list = []
    ranked = sorted(entities.found, key=lambda m: (-(m.span[1] - m.span[0]), -m.score))
    for m in ranked:
        if all(m.span[1] <= c.span[0] or m.span[0] >= c.span[1] for c in chosen):
            chosen.append(m)
    return chosen


__all__ = ["Reading", "language_of", "norm", "read_question", "refusal_of"]
