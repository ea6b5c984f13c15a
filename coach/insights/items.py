"""Classical item analysis of quiz items, each flag with the evidence behind it.

For each item, over the attempts on its current version:

* **difficulty** ``p``: the share of correct answers (high = easy);
* **discrimination**: the point-biserial correlation between the item's score (0/1) and
  the learner's *rest score*, the mean score of their other items in the same analysis
  (corrected item-total: the item does not correlate with itself; a mean, not a sum,
  because learners answer different items);
* for choice items, how often each option was picked overall and by the **strong group**
  (learners whose rest score is in the top ``strong_share``, 27% by convention).

Flags (only with at least ``min_attempts`` attempts): ``too_easy`` (p > 0.9),
``too_hard`` (p < 0.2), ``low_discrimination`` (r < 0.2), ``negative_discrimination``
(r < 0: strong learners fail it more than weak ones; often a wrong key), ``unused_distractor``
(a wrong option nobody picked), ``key_beaten`` (strong learners picked a wrong option more
often than the keyed one).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Response:
    """One learner's answer to one item."""

    learner: str
    item: str
    correct: bool
    choice: int | None = None


@dataclass(frozen=True, slots=True)
class ItemKey:
    """What the analysis needs of an item: its options and the keyed one (None: not choice)."""

    item: str
    options: int = 0
    key: int | None = None


@dataclass(frozen=True, slots=True)
class ItemRules:
    """Thresholds of the flags."""

    min_attempts: int = 10
    easy: float = 0.9
    hard: float = 0.2
    low_discrimination: float = 0.2
    strong_share: float = 0.27


@dataclass(slots=True)
class ItemStats:
    """One item's statistics and flags."""

    item: str
    attempts: int
    difficulty: float | None
    discrimination: float | None
    picks: list[int] = field(default_factory=list)
    strong_picks: list[int] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def point_biserial(scores: Sequence[float], totals: Sequence[float]) -> float | None:
    """Pearson correlation of a 0/1 score with a continuous one (None when either is flat)."""
    n = len(scores)
    if n < 2:
        return None
    ms, mt = sum(scores) / n, sum(totals) / n
    cov = sum((s - ms) * (t - mt) for s, t in zip(scores, totals, strict=True))
    vs = sum((s - ms) ** 2 for s in scores)
    vt = sum((t - mt) ** 2 for t in totals)
    if vs == 0 or vt == 0:
        return None
    return cov / math.sqrt(vs * vt)


def analyse_items(
    responses: Sequence[Response], keys: Sequence[ItemKey], rules: ItemRules | None = None
) -> list[ItemStats]:
    """Statistics and flags for every item of ``keys`` (its responses may be none)."""
    rules = rules or ItemRules()
    by_learner: dict[str, dict[str, float]] = defaultdict(dict)
    for r in responses:  # a learner's last answer to an item counts
        by_learner[r.learner][r.item] = 1.0 if r.correct else 0.0
    out = []
    for key in keys:
        mine = {r.learner: r for r in responses if r.item == key.item}
        stats = ItemStats(key.item, len(mine), None, None)
        if mine:
            stats.difficulty = sum(r.correct for r in mine.values()) / len(mine)
        rest = {
            learner: sum(v for i, v in by_learner[learner].items() if i != key.item)
            / (len(by_learner[learner]) - 1)
            for learner in mine
            if len(by_learner[learner]) > 1
        }
        if len(rest) >= 2:
            learners = sorted(rest)
            stats.discrimination = point_biserial(
                [1.0 if mine[u].correct else 0.0 for u in learners], [rest[u] for u in learners]
            )
        if key.key is not None and key.options:
            stats.picks = _picks(mine.values(), key.options)
            n_strong = max(1, round(len(rest) * rules.strong_share)) if rest else 0
            strong = sorted(rest, key=lambda u: -rest[u])[:n_strong]
            stats.strong_picks = _picks([mine[u] for u in strong], key.options)
        _flag(stats, key, rules)
        out.append(stats)
    return out


def _picks(responses: Iterable[Response], options: int) -> list[int]:
    counts = [0] * options
    for r in responses:
        if r.choice is not None and 0 <= r.choice < options:
            counts[r.choice] += 1
    return counts


def _flag(s: ItemStats, key: ItemKey, rules: ItemRules) -> None:
    if s.attempts < rules.min_attempts or s.difficulty is None:
        return
    if s.difficulty > rules.easy:
        s.flags.append("too_easy")
        s.evidence.append(f"{s.difficulty:.0%} answered correctly")
    elif s.difficulty < rules.hard:
        s.flags.append("too_hard")
        s.evidence.append(f"only {s.difficulty:.0%} answered correctly")
    if s.discrimination is not None:
        if s.discrimination < 0:
            s.flags.append("negative_discrimination")
            s.evidence.append(f"point-biserial {s.discrimination:.2f}: weak learners do better")
        elif s.discrimination < rules.low_discrimination:
            s.flags.append("low_discrimination")
            s.evidence.append(f"point-biserial {s.discrimination:.2f}")
    if key.key is None or not s.picks:
        return
    unused = [i for i, n in enumerate(s.picks) if n == 0 and i != key.key]
    if unused:
        s.flags.append("unused_distractor")
        s.evidence.append("nobody picked option " + ", ".join(chr(65 + i) for i in unused))
    keyed = s.strong_picks[key.key]
    beaten = [i for i, n in enumerate(s.strong_picks) if i != key.key and n > keyed]
    if beaten:
        s.flags.append("key_beaten")
        best = max(beaten, key=lambda i: s.strong_picks[i])
        s.evidence.append(
            f"strong learners picked option {chr(65 + best)} {s.strong_picks[best]} times, "
            f"the keyed option {chr(65 + key.key)} {keyed} times"
        )
