"""The documented transformations that turn a good answer into a low-value one.

Each takes the question's :class:`Base` (contexts, the gold context's position, quotes
from it, the expert explanation), the book's quotable sections and a seeded
``random.Random``, and returns ``(answer, contexts)`` or None when it cannot apply. Every
kind draws from several templates so that no single pattern identifies it; the phrases
here were written apart from the guard's lists (``evals.checks.lexicon``) and many are
in none of them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from evals.checks.text import terms

KINDS = (
    "generic_filler",
    "wrong_section",
    "contradiction",
    "repetition",
    "hedging",
    "hallucinated_citation",
)


@dataclass(frozen=True)
class Source:
    """A section of the book and its quotable sentences."""

    doc_id: str
    module: str
    title: str
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Base:
    """What a question's answers are made from."""

    question: str
    contexts: list[Source]
    gold: int
    """0-based position of the gold section in ``contexts``."""
    quotes: list[str]
    expert: str | None
    about: str
    """The question with its known answer: what quotes are picked for."""

    def grounded(self, quotes: Sequence[str] | None = None, n: int | None = None) -> str:
        """Quotes each followed by the marker of context ``n`` (default: the gold one)."""
        mark = f"[{(self.gold if n is None else n) + 1}]"
        return " ".join(f"{q} {mark}" for q in (self.quotes if quotes is None else quotes))

    @property
    def topic(self) -> str:
        return self.contexts[self.gold].title.lower() or "this topic"


Transform = Callable[[Base, Sequence[Source], random.Random], tuple[str, list[Source]] | None]

_OPENERS = (
    "Great question! {Topic} is one of those things every learner should understand.",
    "In today's fast-paced world, knowing about {topic} matters more than ever.",
    "It is important to note that {topic} is a key part of the bigger picture.",
    "When it comes to {topic}, there is a lot to unpack.",
    "Let's take a closer look at {topic}, a topic that comes up again and again.",
    "Understanding {topic} can make a real difference in how you approach your work.",
    "This is a really interesting area, and {topic} deserves some attention.",
    "Many people find {topic} confusing at first, but it becomes clearer with time.",
)
_CLOSERS = (
    "By mastering this concept, you will be well prepared for whatever comes next.",
    "Keep practicing and you'll be amazed at how quickly it all starts to make sense.",
    "In conclusion, {topic} is a valuable skill that will serve you well in many situations.",
    "Ultimately, the key is to stay curious and keep learning.",
    "This knowledge is something that every successful professional relies on.",
    "Remember, learning is a journey, not a destination.",
    "With a solid grasp of these ideas, you can tackle real-world problems with confidence.",
    "I hope this helps you on your learning path!",
)
_HEDGES = (
    "The answer to this depends on a number of factors.",
    "Whether {topic} works one way or another really depends on the situation.",
    "It's difficult to give a definitive answer without knowing more about your case.",
    "In some cases it can work like that, while in others it may not.",
    "There are several ways to look at {topic}, and each has its merits.",
    "Generally speaking, it could go either way.",
    "Experts have different opinions on {topic}, so it is hard to say for sure.",
    "You might want to experiment a bit and see what fits your needs best.",
    "It may be one thing or another, depending on the context.",
    "Results with {topic} can vary quite a lot.",
    "Some would say it matters a great deal, others not so much.",
    "Perhaps the best approach is to keep your options open.",
    "There is no simple rule here; much of it comes down to circumstances.",
    "It might be worth considering the specifics before drawing any conclusions.",
)
_AGAIN = (
    "In other words, ",
    "Again, ",
    "As mentioned, ",
    "To put it another way, ",
    "Once more: ",
    "To repeat, ",
)
_SOURCES = (
    "According to the {org} guidelines [{n}], ",
    "As reported by {org} [{n}], ",
    "A {year} study by {author} et al. [{n}] found that ",
    "{Org}'s official handbook [{n}] states that ",
)
_ORGS = (
    "International Standards Board",
    "National Learning Institute",
    "Harvard Review",
    "OECD",
    "Stanford Computing Lab",
)
_AUTHORS = ("Smith", "Nguyen", "García", "Müller", "Okafor", "Johnson")
# Meaning flips for contradictions (a list of its own, not the guard's).
_FLIPS = (
    ("always", "never"),
    ("never", "always"),
    ("all", "no"),
    ("every", "no"),
    ("increase", "decrease"),
    ("increases", "decreases"),
    ("higher", "lower"),
    ("lower", "higher"),
    ("more", "less"),
    ("true", "false"),
    ("before", "after"),
    ("after", "before"),
    ("first", "last"),
    ("larger", "smaller"),
    ("positive", "negative"),
    ("can", "cannot"),
    ("must", "need not"),
    ("mutable", "immutable"),
    ("immutable", "mutable"),
    ("left", "right"),
)
_AUX = re.compile(r"\b(is|are|was|were|can|will|should|must|does|do|has|have)\b(?! not)")
_NOT = re.compile(r"\b(is|are|was|were|does|do|can)(?: not|n't)\b")
_NUMBER = re.compile(r"(?<![\w.])(\d+)(?![\w.])")


def pick_quotes(about: str, source: Source, k: int, rng: random.Random) -> list[str]:
    """Up to ``k`` sentences of ``source`` sharing most terms with ``about``, in reading order."""
    q = terms(about, "en")
    ranked = sorted(
        range(len(source.sentences)),
        key=lambda i: (-len(q & terms(source.sentences[i], "en")), rng.random()),
    )
    chosen: list[int] = []
    for i in ranked:
        t = terms(source.sentences[i], "en")
        if all(
            len(t & (u := terms(source.sentences[j], "en"))) <= 0.5 * len(t | u) for j in chosen
        ):
            chosen.append(i)
        if len(chosen) == k:
            break
    return [source.sentences[i] for i in sorted(chosen)]


def _fill(template: str, base: Base) -> str:
    topic = base.topic
    return template.format(topic=topic, Topic=topic[:1].upper() + topic[1:])


def _content(base: Base, rng: random.Random) -> str:
    """The good answer a transformation starts from (grounded or expert)."""
    if base.expert is not None and rng.random() < 0.4:
        return base.expert
    return base.grounded()


def generic_filler(
    base: Base, sources: Sequence[Source], rng: random.Random
) -> tuple[str, list[Source]] | None:
    """Boilerplate around (or instead of) real content: openers, closers, empty praise."""
    opener = _fill(rng.choice(_OPENERS), base)
    closers = [_fill(c, base) for c in rng.sample(_CLOSERS, 2)]
    content = _content(base, rng)
    first = content.split(" [")[0] if "[" in content else content
    style = rng.randrange(4)
    if style == 0:
        parts = [opener, content, closers[0]]
    elif style == 1:
        parts = [opener, _fill(rng.choice(_OPENERS), base), content]
    elif style == 2:
        parts = [opener, closers[0], closers[1]]  # no content at all
    else:
        parts = [
            content.replace(
                first, "It's worth keeping in mind that " + first[:1].lower() + first[1:], 1
            ),
            *closers,
        ]
    return " ".join(parts), base.contexts


def wrong_section(
    base: Base, sources: Sequence[Source], rng: random.Random
) -> tuple[str, list[Source]] | None:
    """A fluent grounded answer quoted from a section of another module, cited as the answer.

    Its sentences are picked as the good answer's are, for the question and its answer.
    """
    gold = base.contexts[base.gold]
    far = [s for s in sources if s.module != gold.module and len(s.sentences) >= 2]
    wrong = rng.choice(far)
    contexts = [c for c in base.contexts if c is not gold]
    if rng.random() < 0.5:  # search found the gold section, the answer ignored it
        contexts.append(gold)
    contexts.append(wrong)
    rng.shuffle(contexts)
    quotes = pick_quotes(base.about, wrong, rng.choice((2, 3)), rng)
    answer = base.grounded(quotes, contexts.index(wrong))
    if rng.random() < 0.3:
        answer = f"Regarding {base.topic}: " + answer
    return answer, contexts


def _flip(sentence: str, rng: random.Random) -> str | None:
    """The sentence with its meaning reversed by one small edit (None if none applies)."""
    moves = ["negate", "number", "swap"]
    rng.shuffle(moves)
    for move in moves:
        if move == "negate":
            if m := _NOT.search(sentence):
                return sentence[: m.start()] + m.group(1) + sentence[m.end() :]
            if m := _AUX.search(sentence):
                return sentence[: m.end()] + " not" + sentence[m.end() :]
        elif move == "number" and (nums := _NUMBER.findall(sentence)):
            old = rng.choice(nums)
            new = str(int(old) + rng.choice((1, 2, 3, 10)))
            return re.sub(rf"(?<![\w.]){old}(?![\w.])", new, sentence, count=1)
        elif move == "swap":
            options = [(a, b) for a, b in _FLIPS if re.search(rf"\b{a}\b", sentence)]
            if options:
                a, b = rng.choice(options)
                return re.sub(rf"\b{a}\b", b, sentence, count=1)
    return None


def contradiction(
    base: Base, sources: Sequence[Source], rng: random.Random
) -> tuple[str, list[Source]] | None:
    """A grounded answer with one quoted sentence negated or altered (number, opposite word)."""
    order = list(range(len(base.quotes)))
    rng.shuffle(order)
    for i in order:
        flipped = _flip(base.quotes[i], rng)
        if flipped is not None and flipped != base.quotes[i]:
            quotes = list(base.quotes)
            quotes[i] = flipped
            return base.grounded(quotes), base.contexts
    return None


def repetition(
    base: Base, sources: Sequence[Source], rng: random.Random
) -> tuple[str, list[Source]] | None:
    """A good answer that says its point again: verbatim, after a connector, or twice over."""
    content = _content(base, rng)
    parts = re.split(r"(?<=[.!?]) (?=[A-Z])|(?<=\]) (?=[A-Z])", content)
    style = rng.randrange(4)
    pick = rng.choice(parts)
    if style == 0:
        parts = [*parts, pick]
    elif style == 1:
        parts = [*parts, rng.choice(_AGAIN) + pick[:1].lower() + pick[1:]]
    elif style == 2:
        parts = parts + parts
    else:
        again = [rng.choice(_AGAIN) + pick[:1].lower() + pick[1:] for _ in range(2)]
        parts = [*parts, *again]
    return " ".join(parts), base.contexts


def hedging(
    base: Base, sources: Sequence[Source], rng: random.Random
) -> tuple[str, list[Source]] | None:
    """Two to four non-committal sentences about the topic, sometimes with a citation."""
    parts = [_fill(h, base) for h in rng.sample(_HEDGES, rng.choice((2, 3, 4)))]
    if rng.random() < 0.35:
        parts[-1] += f" [{base.gold + 1}]"
    return " ".join(parts), base.contexts


def hallucinated_citation(
    base: Base, sources: Sequence[Source], rng: random.Random
) -> tuple[str, list[Source]] | None:
    """Citations that lie: a marker past the contexts, a wrong context, an invented source."""
    k = len(base.contexts)
    style = rng.randrange(4)
    if style == 0:
        return base.grounded(n=k + rng.randrange(0, 3)), base.contexts  # [k+1]..[k+3]
    if style == 1:
        wrong = rng.choice([i for i in range(k) if i != base.gold])
        return base.grounded(n=wrong), base.contexts
    if style == 2:
        lead = rng.choice(_SOURCES).format(
            org=rng.choice(_ORGS),
            Org=rng.choice(_ORGS),
            n=rng.randrange(1, k + 3),
            year=rng.randrange(1995, 2024),
            author=rng.choice(_AUTHORS),
        )
        gold = base.contexts[base.gold]
        rest = [s for s in gold.sentences if s not in base.quotes] or list(base.quotes)
        claim = rng.choice(rest)
        return base.grounded() + " " + lead + claim[:1].lower() + claim[1:], base.contexts
    gold = base.contexts[base.gold]
    stray = rng.choice([s for s in sources if s.module != gold.module and s not in base.contexts])
    return base.grounded([*base.quotes, rng.choice(stray.sentences)]), base.contexts


TRANSFORMS: dict[str, Transform] = {
    "generic_filler": generic_filler,
    "wrong_section": wrong_section,
    "contradiction": contradiction,
    "repetition": repetition,
    "hedging": hedging,
    "hallucinated_citation": hallucinated_citation,
}
