"""Goals and facts a learner states about themselves, kept as their visible memory.

Only first-person statements are kept ("my goal is to lead my team", "je travaille à la
logistique"), and only the learner's own words, so the memory never holds anything the
learner did not say. Questions are never facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.chunking import split_sentences

Kind = Literal["goal", "fact"]

MAX_FACT_CHARS = 240

_GOAL = [
    r"\bmy (?:main |current |personal )?(?:goal|objective|aim)s? (?:is|are|for \w+ is)\b",
    r"\bi(?:'d| would)? (?:want|need|hope|plan|aim) to (?:learn|become|get better|improve|master|understand|lead|pass|prepare)\b",
    r"\bi(?:'m| am) (?:trying|working|preparing|studying) (?:to|for)\b",
    r"\bmon (?:objectif|but)(?: principal)? (?:est|c'est)\b",
    r"\bje (?:veux|voudrais|souhaite|dois|compte) (?:apprendre|devenir|progresser|améliorer|maîtriser|comprendre|réussir|préparer|mieux)\b",
    r"\bj'aimerais (?:apprendre|devenir|progresser|améliorer|maîtriser|comprendre|mieux)\b",
]
_FACT = [
    r"\bi(?:'m| am) (?:a|an|the) (?!bit\b|little\b)\w+",
    r"\bi work (?:as|in|at|on|for|with)\b",
    r"\bi(?:'ve| have) (?:been|worked|managed|led|completed|finished|done)\b",
    r"\bi (?:manage|lead|run|coordinate|supervise)\b",
    r"\bmy (?:role|job|team|position|manager) (?:is|has|consists)\b",
    r"\bje suis (?:un |une |le |la )?(?:manager|responsable|chef|analyste|développeu\w+|commercia\w+|technicien\w*|assistant\w*|stagiaire|ingénieur\w*|consultant\w*|directeur|directrice|coordinat\w+|nouveau|nouvelle|en charge)\b",
    r"\bje travaille (?:comme|dans|à|au|aux|chez|en|sur|avec)\b",
    r"\bj'ai (?:déjà |)(?:suivi|terminé|fini|géré|dirigé|travaillé|encadré)\b",
    r"\bje (?:gère|dirige|encadre|coordonne|manage)\b",
    r"\bmon (?:rôle|poste|métier|équipe|manager) (?:est|consiste|compte)\b",
]
_GOAL_RE = [re.compile(p, re.IGNORECASE) for p in _GOAL]
_FACT_RE = [re.compile(p, re.IGNORECASE) for p in _FACT]


@dataclass(frozen=True, slots=True)
class LearnerFact:
    """One statement worth remembering."""

    kind: Kind
    text: str


def extract_facts(message: str) -> list[LearnerFact]:
    """First-person goals and facts in ``message`` (questions are skipped)."""
    found: list[LearnerFact] = []
    for sentence in split_sentences(message.replace("’", "'")):
        sentence = sentence.strip()
        if not sentence or sentence.endswith("?") or len(sentence) > MAX_FACT_CHARS:
            continue
        if any(r.search(sentence) for r in _GOAL_RE):
            found.append(LearnerFact("goal", sentence))
        elif any(r.search(sentence) for r in _FACT_RE):
            found.append(LearnerFact("fact", sentence))
    return found
