"""Standalone queries for follow-up questions ("and its exceptions?", "et pour les sanctions ?").

Search sees one query at a time, so a follow-up must carry the topic it refers to. The
offline rewriter spots follow-ups (a leading connective, an anaphoric pronoun in a short
message, or hardly any words of its own) and appends the key terms of the previous user
turn(s); standalone questions pass through untouched. An LLM rewriter subclasses
:class:`QueryRewriter` too.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence

from coach.responders.base import Turn
from retrieval.stopwords import ENGLISH, ENGLISH_QUERY_FRAME, FRENCH, FRENCH_QUERY_FRAME

_WORD = re.compile(r"[^\W_][\w'’-]*")
# Openings that tie a message to what came before.
_CONNECTIVE = re.compile(
    r"^\s*(?:(?:and |but )?(?:what|how) about|what if|same for|and|but|so|also|then|ok(?:ay)?|"
    r"et (?:si|pour|concernant)|qu['’]en est-il|pour ce qui est|même chose pour|"
    r"et|mais|donc|alors|aussi|sinon|ensuite|puis)\b[\s,]*",
    re.IGNORECASE,
)
# Asking what a named thing is: standalone even with a single topic word.
_DEFINITION = re.compile(
    r"^\s*(?:what(?: is|'s| are)|define|qu['’]est-ce qu|c['’]est quoi|que (?:signifie|veut dire))",
    re.IGNORECASE,
)
# French inverted clitics: "dois-je", "faut-il", "peut-on".
_CLITIC = re.compile(r"-(?:t-)?(?:je|tu|il|elle|on|nous|vous|ils|elles)$")
_ANAPHORA = frozenset(
    """
    it its it's they them their theirs this that these those there he she his her
    former latter above same one ones
    il elle ils elles lui leur leurs son sa ses ce cela ça ceci celui celle ceux celles
    y en là-dessus dessus
    """.split()
)
# Words that ask for more about the topic without naming it.
_FOLLOW_UP = frozenset(
    """
    why how so example examples instance explain explanation more detail details elaborate
    mean means meaning clarify again else exactly really tell show give please thanks
    about what's it's
    pourquoi comment exemple exemples expliquer explique explication plus détail détails
    précise préciser signifie veut dire encore autre autres donne donner montre merci
    concernant qu'en est-il
    """.split()
)
# Generic verbs and words that say nothing about a topic.
_GENERIC = frozenset(
    """
    get got make need needs know want use used thing things way ways someone something
    doit dois faut peut peux fait faire savoir chose choses quelqu'un quelque combien
    quand quoi avoir être dit dire est-ce
    """.split()
)
_STOP = ENGLISH | FRENCH | ENGLISH_QUERY_FRAME | FRENCH_QUERY_FRAME


def content_words(text: str) -> list[str]:
    """Words of ``text`` that name a topic, in order, without repeats (case kept)."""
    seen: dict[str, str] = {}
    for word in _WORD.findall(text):
        low = _CLITIC.sub("", word.lower().strip("'’-"))
        if low in _STOP or low in _FOLLOW_UP or low in _GENERIC or low in _ANAPHORA:
            continue
        if len(low) < 3 and not any(ch.isdigit() for ch in low) and not word.isupper():
            continue
        seen.setdefault(low, word)
    return list(seen.values())


class QueryRewriter(ABC):
    """Turns the learner's message into a standalone search query."""

    @abstractmethod
    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """A query that makes sense without ``history`` (``question`` itself if it does)."""

    def is_follow_up(self, question: str) -> bool:
        """Whether ``rewrite`` may change ``question`` given some history (True: unknown)."""
        return True


class OfflineRewriter(QueryRewriter):
    """Rule-based rewriting for English and French follow-ups.

    Args:
        max_terms: key terms carried over from earlier turns.
        own_words: a message with at most this many topic words of its own is a follow-up.
        anaphora_words: a message with an anaphoric pronoun and at most this many topic
            words is a follow-up (longer ones usually name their own subject).
        turns: earlier user turns searched for the topic.
    """

    def __init__(
        self, max_terms: int = 8, own_words: int = 1, anaphora_words: int = 3, turns: int = 3
    ) -> None:
        self.max_terms = max_terms
        self.own_words = own_words
        self.anaphora_words = anaphora_words
        self.turns = turns

    def is_follow_up(self, question: str) -> bool:
        """Whether ``question`` leans on earlier turns for its subject."""
        own = content_words(question)
        if _CONNECTIVE.match(question) and len(own) <= self.anaphora_words + 1:
            return True
        if not own or (len(own) <= self.own_words and not _DEFINITION.match(question)):
            return True
        words = {w.lower().strip("'’-") for w in _WORD.findall(question)}
        words |= {w.split("'")[0] + "'" for w in words if "'" in w}
        return bool(words & _ANAPHORA) and len(own) <= self.anaphora_words

    def rewrite(self, question: str, history: Sequence[Turn]) -> str:
        """Append the earlier topic's key terms to a follow-up; leave others untouched."""
        text = question.strip()
        earlier = [t.content for t in history if t.role == "user" and t.content.strip()]
        if not earlier or not self.is_follow_up(text):
            return text
        own = {w.lower() for w in content_words(text)}
        topic: list[str] = []
        # The latest turn first; older ones only while the newer were follow-ups themselves.
        for prior in reversed(earlier[-self.turns :]):
            topic += [w for w in content_words(prior) if w.lower() not in own]
            if not self.is_follow_up(prior):
                break
        terms = list(dict.fromkeys(topic))[: self.max_terms]
        if not terms:
            return text
        core = text
        while (stripped := _CONNECTIVE.sub("", core, count=1).strip()) not in ("", core):
            core = stripped
        return f"{core} ({' '.join(terms)})"
