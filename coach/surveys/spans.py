"""The arithmetic of the Kirkpatrick rollup, without a database: exact sums, the whole
months of a period, and the spans that let per-period figures be added up from cells.

A figure that is not a plain sum over days is written as a sum of *terms*, each counted in
a period ``[S, E]`` when ``S <= lo`` and ``hi <= E`` (and ``E < nxt`` when ``nxt`` is set):

- a learning pair: the latest pre-test and the latest post-test of a learner and an item in
  the period. For tests of days ``a`` (pre) and ``b`` (post) whose next tests of the same
  phase are ``a'`` and ``b'``, the pair is the latest in ``[S, E]`` exactly when
  ``S <= min(a, b)``, ``max(a, b) <= E`` and ``E < min(a', b')``;
- a learner's skill reached by steps of a group on days ``d1 < ... < dk``: it counts once
  in a period holding any of them, which is ``+1`` per day held minus ``1`` per two
  consecutive days both held (the days held by an interval are consecutive);
- the mastery gain of such a skill (:func:`mastery_terms`): mastery at the start of the
  first step day held, and at the end of the period. The first is the once-terms weighted
  by each day's starting value (the sum telescopes to the first day held); the second is
  the once-terms weighted by the value at their ``hi``, plus, for each later day with
  evidence ``e``, its change counted when the period holds ``e`` too (the changes up to
  the period's end add up to the value there).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

FIXED_BITS = 93
"""Scores are summed exactly as integers of 2**-93: every float from 2**-40 up is one
(smaller non-zero values are rounded to it)."""


def to_fixed(x: float) -> int:
    """``x`` in units of 2**-93."""
    num, den = x.as_integer_ratio()
    shift = FIXED_BITS - (den.bit_length() - 1)
    return num << shift if shift >= 0 else round(Fraction(num, den) * (1 << FIXED_BITS))


def fixed_mean(total: int, n: int) -> float:
    """The mean of values summing to ``total`` (2**-93 units), correctly rounded: the float
    ``statistics.mean`` gives for the same values."""
    return total / (n << FIXED_BITS)


def whole_months(since: date, until: date) -> tuple[date, date] | None:
    """First and last day of the months ``[since, until]`` covers whole (None: none)."""
    first = since if since.day == 1 else (since.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = until + timedelta(days=1)
    last = until if end.day == 1 else until.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None


Term = tuple[date, date, date | None]
"""(lo, hi, nxt) of a term."""


def pair_terms(
    pre: Sequence[tuple[date, float]], post: Sequence[tuple[date, float]]
) -> Iterator[tuple[Term, float, float]]:
    """The possible latest (pre, post) pairs of one learner and item, with their scores;
    ``pre`` and ``post`` are (day, score) in the order the tests were taken."""
    for j, (a, pre_score) in enumerate(pre):
        a_next = pre[j + 1][0] if j + 1 < len(pre) else None
        for k, (b, post_score) in enumerate(post):
            b_next = post[k + 1][0] if k + 1 < len(post) else None
            nxts = [d for d in (a_next, b_next) if d is not None]
            lo, hi, nxt = min(a, b), max(a, b), min(nxts) if nxts else None
            if nxt is None or nxt > hi:  # else a later test is always in the period too
                yield (lo, hi, nxt), pre_score, post_score


def once_terms(days: Sequence[date]) -> Iterator[tuple[Term, int]]:
    """Terms (with their sign) counting 1 in a period holding any of ``days`` (sorted,
    distinct), 0 otherwise."""
    for k, day in enumerate(days):
        yield (day, day, None), 1
        if k:
            yield (days[k - 1], day, None), -1


@dataclass(frozen=True, slots=True)
class FixedPath:
    """A learner's mastery of a skill over time in fixed point (2**-93 units): ``start``
    before any evidence, ``values[k]`` at the end of ``days[k]`` (days with evidence)."""

    start: int
    days: tuple[date, ...]
    values: tuple[int, ...]

    def start_of(self, day: date) -> int:
        k = bisect_left(self.days, day)
        return self.values[k - 1] if k else self.start

    def end_of(self, day: date) -> int:
        k = bisect_right(self.days, day)
        return self.values[k - 1] if k else self.start


def mastery_terms(days: Sequence[date], path: FixedPath) -> Iterator[tuple[Term, int, int, int]]:
    """Terms ``(term, n, before, after)`` of one learner's skill taught by steps on ``days``
    (sorted, distinct), with mastery ``path`` (at least one day of evidence). In a period
    ``[S, E]`` holding some of the days and the first day of evidence, they sum to ``n`` 1,
    ``before`` the mastery at the start of the first step day held, ``after`` the mastery
    at the end of ``E``; elsewhere to 0."""
    first = path.days[0]
    for (lo, day, _), sign in once_terms(days):
        hi = max(day, first)  # counted once the period holds evidence
        yield (lo, hi, None), sign, sign * path.start_of(day), sign * path.end_of(hi)
        k = bisect_right(path.days, hi)
        for j in range(k, len(path.days)):  # k >= 1: the first day is at most hi
            change = path.values[j] - path.values[j - 1]
            yield (lo, path.days[j], None), 0, 0, sign * change
