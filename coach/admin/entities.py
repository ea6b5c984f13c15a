"""Entity matching for admin questions: courses, sessions, teams, managers, people, roles
and skills of the organisation, found in the question's words (accents, case, plurals and
small typos forgiven), each with where it was found so the intent classifier can mask it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from coach.admin.org import OrgData
from retrieval import stopwords

# Names that differ across languages for the same training (acronyms people type).
ALIASES = {"gdpr": ("rgpd",), "rgpd": ("gdpr",)}
# What admins call common corporate trainings in the other language: a phrase of a title or
# a skill label in one group makes the group's other phrases names of that item too.
GLOSSARY: tuple[tuple[str, ...], ...] = (
    ("gdpr", "rgpd", "data protection", "protection des donnees"),
    ("fire safety", "securite incendie", "incendie", "fire"),
    ("manual handling", "gestes et postures", "manutention"),
    ("first aid", "secourisme", "premiers secours", "sst"),
    ("anti bribery", "anticorruption", "anti corruption", "corruption", "bribery"),
    ("code of conduct", "code de conduite"),
    ("cybersecurity", "cybersecurite", "cyber security", "cyber"),
    ("pivot tables", "tableaux croises dynamiques", "tcd"),
    ("time management", "gestion du temps"),
    ("phishing", "hameconnage"),
    ("leadership", "management d equipe"),
    ("warehouse", "entrepot", "entrepots", "depot"),
    ("sales", "commercial", "commerciale", "commerciaux", "ventes"),
    ("finance", "comptabilite", "accounting"),
    ("analytics", "analyse"),
    ("human resources", "hr", "rh", "ressources humaines"),
    ("logistics", "logistique"),
    ("transport", "transports"),
    ("warehouse operative", "operateur d entrepot", "operateurs d entrepot", "cariste"),
    ("data analyst", "analyste", "analyste de donnees"),
    ("team leader", "chef d equipe", "chefs d equipe"),
    ("sales rep", "commercial", "commerciaux"),
    ("hr advisor", "charge rh", "conseiller rh"),
    ("finance officer", "comptable", "charge financier"),
    ("logistics coordinator", "coordinateur logistique", "coordinatrice logistique"),
)
STOP = (
    stopwords.ENGLISH
    | stopwords.FRENCH
    | frozenset(
        """training course courses formation formations module session sessions team teams
        equipe introduction basics essentials fondamentaux next last job work your
        workshop atelier class classe virtual virtuelle""".split()
    )
)
MAX_SHARED = 4  # a phrase naming more items than this is too vague to be a name
FUZZY_MIN_LEN = 6
FUZZY_SCORE = 88.0


def norm(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'")
    return " ".join(re.sub(r"[^a-z0-9@._']+|'", " ", text).split())


@dataclass(frozen=True)
class Match:
    """One entity found: ``kind`` (item, team, manager, person, role, skill, session)."""

    kind: str
    key: str
    label: str
    score: float
    span: tuple[int, int]  # in the normalised question
    exact: bool = True


@dataclass
class Entities:
    """Everything found in one question, best first within each kind."""

    text: str
    found: list[Match] = field(default_factory=list)

    def of(self, kind: str) -> list[Match]:
        """One match per entity, best first; an entity named by several separate phrases
        ("manual handling" ... "Lyon") scores their sum."""
        mine = [m for m in self.found if m.kind == kind]
        # a longer name of another kind covers it: "analysts" in "Python for analysts",
        # "data" in "data analysts"
        covering = [m for m in self.found if m.kind != kind and m.score >= 0.9]
        mine = [m for m in mine if not any(_inside(m.span, n.span) for n in covering)]
        # the longest name wins: "GDPR workshop" is not also "GDPR" (another course)
        mine = [
            m
            for m in mine
            if not any(
                n.key != m.key
                and n.exact
                and n.span[0] <= m.span[0]
                and m.span[1] <= n.span[1]
                and n.span != m.span
                for n in mine
            )
        ]
        spans: dict[str, list[Match]] = {}
        for m in sorted(mine, key=lambda m: -m.score):
            kept = spans.setdefault(m.key, [])
            if all(m.span[1] <= k.span[0] or m.span[0] >= k.span[1] for k in kept):
                kept.append(m)
        best = [replace(ms[0], score=round(sum(m.score for m in ms), 4)) for ms in spans.values()]
        return sorted(best, key=lambda m: (-m.score, m.label))


def _inside(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Span ``a`` lies within the longer span ``b``."""
    return b[0] <= a[0] and a[1] <= b[1] and (b[1] - b[0]) > (a[1] - a[0])


@dataclass(frozen=True)
class _Name:
    kind: str
    key: str
    label: str
    variant: str
    weight: float


def _variants(title: str) -> set[str]:
    base = norm(title)
    out = {base}
    for part in re.split(r"\s*[:(\-–]\s*|\)", title):
        if len(norm(part)) >= 3:
            out.add(norm(part))
    for word in re.findall(r"\b[A-Z]{3,}\b", title):
        out.add(word.lower())
        out.update(ALIASES.get(word.lower(), ()))
    return out


def _phrases(text: str, longest: int = 3) -> set[str]:
    """Runs of 1-3 words that start and end on a content word (``manual handling``)."""
    words = text.split()
    out = set()
    for n in range(1, longest + 1):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if run[0] in STOP or run[-1] in STOP or len(run[-1]) < 3 or run[0].isdigit():
                continue
            if n == 1 and len(run[0]) < 4:
                continue
            out.add(" ".join(run))
    return out


def _translations(phrase: str) -> set[str]:
    """The glossary's other names of a phrase (empty when the phrase is in no group)."""
    out: set[str] = set()
    for group in GLOSSARY:
        if phrase in group:
            out.update(g for g in group if g != phrase)
    return out


def _plural(variant: str) -> Iterable[str]:
    yield variant
    if not variant.endswith("s"):
        yield variant + "s"


class Gazetteer:
    """The organisation's names, ready to be found in questions."""

    def __init__(self, org: OrgData) -> None:
        names: list[_Name] = []
        catalog = org.catalog
        phrases: dict[str, set[str]] = {}
        for item in catalog.items.values():
            for v in _variants(item.title) | {norm(item.id)}:
                names.append(_Name("item", item.id, item.title, v, 1.0))
            for phrase in _phrases(norm(item.title)) | _phrases(norm(item.id)):
                phrases.setdefault(phrase, set()).add(item.id)
        for item in catalog.items.values():  # an item is also known by what it teaches
            for skill in item.skills:
                label = catalog.skills[skill.skill].label if skill.skill in catalog.skills else ""
                for phrase in _phrases(norm(label)):
                    phrases.setdefault(phrase, set()).add(item.id)
        for phrase, ids in list(phrases.items()):
            for other in _translations(phrase):
                phrases.setdefault(other, set()).update(ids)
        for phrase, ids in phrases.items():  # "the Python course", "the feedback session"
            if len(ids) <= MAX_SHARED:
                weight = 0.6 + 0.1 * phrase.count(" ")
                for item_id in ids:
                    title = catalog.items[item_id].title
                    names.append(_Name("item", item_id, title, phrase, weight))
        team_parts: dict[str, set[str]] = {}
        for team in org.teams:
            names.append(_Name("team", team, team, norm(team), 1.0))
            for phrase in _phrases(norm(team)):
                for variant in {phrase, *_translations(phrase)}:
                    team_parts.setdefault(variant, set()).add(team)
        for phrase, teams in team_parts.items():  # "the warehouse team": which one?
            for team in teams:
                names.append(_Name("team_part", team, team, phrase, 0.7))
        for manager in org.managers:
            names.append(_Name("manager", manager, manager, norm(manager), 1.0))
            names.append(_Name("manager", manager, manager, norm(manager.split()[0]), 0.6))
        for p in org.people:
            names.append(_Name("person", p.id, p.name, norm(p.name), 1.0))
            first = norm(p.name).split()
            if first:
                names.append(_Name("person", p.id, p.name, first[0], 0.6))
            names.append(_Name("person", p.id, p.name, norm(p.id), 1.0))
        for role in catalog.roles.values():
            for v in {norm(role.id), norm(role.label)}:
                for variant in {v, *_translations(v)}:
                    for pv in _plural(variant):
                        names.append(_Name("role", role.id, role.label, pv, 1.0))
        skill_phrases: dict[str, set[str]] = {}
        for skill in catalog.skills.values():
            names.append(_Name("skill", skill.id, skill.label, norm(skill.label), 1.0))
            names.append(_Name("skill", skill.id, skill.label, norm(skill.id), 1.0))
            for phrase in _phrases(norm(skill.label)) | _phrases(norm(skill.id)):
                for variant in {phrase, *_translations(phrase)}:
                    skill_phrases.setdefault(variant, set()).add(skill.id)
        for phrase, ids in skill_phrases.items():
            if len(ids) <= MAX_SHARED:
                for sid in ids:
                    label = catalog.skills[sid].label
                    names.append(_Name("skill", sid, label, phrase, 0.6 + 0.1 * phrase.count(" ")))
        for sid in catalog.sessions:
            names.append(_Name("session", sid, org.session_label(sid), norm(sid), 1.0))
        self.names = [n for n in names if n.variant]
        # titles read loosely: their content words in order, small gaps and spellings allowed
        self.cores = [
            (item.id, item.title, core)
            for item in catalog.items.values()
            if len(core := [w for w in norm(item.title).split() if w not in STOP and len(w) >= 3])
            >= 2
        ]

    def find(self, question: str) -> Entities:
        """Every name found in the question (exact words first, then close spellings)."""
        text = norm(question)
        found = Entities(text)
        padded = f" {text} "
        for n in self.names:
            pos = padded.find(f" {n.variant} ")
            if pos >= 0:
                span = (pos, pos + len(n.variant))
                score = n.weight * (1 + len(n.variant) / 100)
                found.found.append(Match(n.kind, n.key, n.label, score, span))
            elif len(n.variant) >= FUZZY_MIN_LEN and n.weight == 1.0:
                hit = fuzz.partial_ratio_alignment(n.variant, text, score_cutoff=FUZZY_SCORE)
                trimmed = _whole_words(text, hit.dest_start, hit.dest_end) if hit else None
                if hit is not None and trimmed is not None:
                    score = n.weight * hit.score / 100
                    found.found.append(Match(n.kind, n.key, n.label, score, trimmed, exact=False))
        found.found += _loose_titles(text, self.cores)
        return found


LOOSE_GAP = 2  # words allowed between two title words ("Python pour les analystes")
LOOSE_SCORE = 85.0
LOOSE_WEIGHT = 0.95


def _loose_titles(text: str, cores: list[tuple[str, str, list[str]]]) -> list[Match]:
    """Titles whose content words all appear in order, each close in spelling, with at most
    ``LOOSE_GAP`` other words between them: "Python pour les analystes" is "Python for
    analysts"."""
    words, starts, at = text.split(), [], 0
    for w in words:
        at = text.index(w, at)
        starts.append(at)
        at += len(w)
    out = []
    for key, title, core in cores:
        for first in range(len(words)):
            i, hits = first, []
            for c in core:
                window = range(i, min(i + 1 + (LOOSE_GAP if hits else 0), len(words)))
                j = next((j for j in window if fuzz.ratio(c, words[j]) >= LOOSE_SCORE), None)
                if j is None:
                    break
                hits.append(j)
                i = j + 1
            if len(hits) == len(core):
                span = (starts[hits[0]], starts[hits[-1]] + len(words[hits[-1]]))
                out.append(Match("item", key, title, LOOSE_WEIGHT, span))
                break
    return out


def _whole_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a close spelling trimmed of spaces, if it neither starts nor stops inside
    a word by more than one letter (else None)."""
    while start < end and text[start] == " ":
        start += 1
    while end > start and text[end - 1] == " ":
        end -= 1
    left = start == 0 or text[start - 1] == " " or (start >= 2 and text[start - 2] == " ")
    right = end >= len(text) - 1 or text[end] == " " or text[end + 1] == " "
    return (start, end) if left and right and end > start else None
